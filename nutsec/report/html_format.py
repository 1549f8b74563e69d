"""The printable report: one self-contained HTML file, A4 print stylesheet, everything escaped."""

from __future__ import annotations

from nutsec.report.model import Report
from nutsec.report.renderer import ReportRenderer
from nutsec.report.template_env import html_environment
from nutsec.report.view import report_view


class HtmlRenderer(ReportRenderer):
    def render(self, report: Report) -> str:
        template = html_environment().get_template("report.html.j2")
        return template.render(r=report_view(report))
