"""Every output of the export audit is a renderer over the same ExportAudit result."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:  # renderers are imported only when one is asked for
    from nutsec.exports.renderer import AuditRenderer


class AuditFormat(StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
    HTML = "html"


def renderer_for(
    format: AuditFormat, *, plain: bool = False, color: bool = False, width: int = 80
) -> AuditRenderer:
    """The renderer of a format. `plain`, `color` and `width` only matter on the terminal."""
    match format:
        case AuditFormat.JSON:
            from nutsec.exports.json_format import JsonAuditRenderer

            return JsonAuditRenderer()
        case AuditFormat.TERMINAL:
            from nutsec.exports.terminal_format import TerminalAuditRenderer

            return TerminalAuditRenderer(plain=plain, color=color, width=width)
        case AuditFormat.HTML:
            from nutsec.exports.html_format import HtmlAuditRenderer

            return HtmlAuditRenderer()
        case _:
            assert_never(format)
