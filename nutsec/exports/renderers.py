"""Every output of the export audit is a renderer over the same ExportAudit result."""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:  # the CLI imports the enum at --help time; the rest only when rendering
    from nutsec.exports.checks import ExportAudit


class AuditFormat(StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
    HTML = "html"


class AuditRenderer(ABC):
    """Turns an export audit into the text of one format."""

    @abstractmethod
    def render(self, audit: ExportAudit) -> str: ...


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
