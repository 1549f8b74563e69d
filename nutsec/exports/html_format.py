"""The export audit as one self-contained, printable HTML page, in the report's A4 style."""

from __future__ import annotations

from nutsec.exports.checks import ExportAudit
from nutsec.exports.renderer import AuditRenderer
from nutsec.exports.view import audit_view
from nutsec.report.template_env import html_environment


class HtmlAuditRenderer(AuditRenderer):
    def render(self, audit: ExportAudit) -> str:
        template = html_environment().get_template("passwords.html.j2")
        return template.render(v=audit_view(audit))
