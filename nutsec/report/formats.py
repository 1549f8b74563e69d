"""Every report format is a renderer over the same Report; adding one touches nothing else."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:  # renderers are imported only when one is asked for
    from nutsec.report.renderer import ReportRenderer


class ReportFormat(StrEnum):
    TERMINAL = "terminal"
    HTML = "html"
    MARKDOWN = "markdown"
    JSON = "json"


def renderer_for(
    format: ReportFormat,
    *,
    plain: bool = False,
    color: bool = False,
    width: int = 80,
    full: bool = True,
    command: str = "nutsec",
) -> ReportRenderer:
    """The renderer of a format. `plain`, `color`, `width`, `full` (everything, not the
    one-screen summary) and `command` (how nutsec is started, in the commands it suggests) only
    matter on the terminal."""
    match format:
        case ReportFormat.JSON:
            from nutsec.report.json_format import JsonRenderer

            return JsonRenderer()
        case ReportFormat.TERMINAL:
            from nutsec.report.terminal_format import TerminalRenderer

            return TerminalRenderer(
                plain=plain, color=color, width=width, full=full, command=command
            )
        case ReportFormat.HTML:
            from nutsec.report.html_format import HtmlRenderer

            return HtmlRenderer()
        case ReportFormat.MARKDOWN:
            from nutsec.report.markdown_format import MarkdownRenderer

            return MarkdownRenderer()
        case _:
            assert_never(format)
