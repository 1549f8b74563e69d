"""The summary as one self-contained, A4-printable HTML page (Jinja2, every value escaped)."""

from __future__ import annotations

from nutsec.report.template_env import html_environment
from nutsec.workshop.renderer import SummaryRenderer
from nutsec.workshop.summary import GroupPicture
from nutsec.workshop.view import picture_view


class HtmlSummary(SummaryRenderer):
    def render(self, picture: GroupPicture) -> str:
        env = html_environment("nutsec.workshop")
        return env.get_template("summary.html.j2").render(v=picture_view(picture))
