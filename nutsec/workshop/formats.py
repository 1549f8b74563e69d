"""Every summary format renders the same GroupPicture; adding one touches nothing else."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:  # renderers are imported only when one is asked for
    from nutsec.workshop.renderer import SummaryRenderer


class SummaryFormat(StrEnum):
    TERMINAL = "terminal"
    HTML = "html"
    MARKDOWN = "markdown"
    JSON = "json"


def renderer_for(format: SummaryFormat, *, width: int = 80) -> SummaryRenderer:
    """The renderer of a format; `width` only matters on the terminal."""
    match format:
        case SummaryFormat.TERMINAL:
            from nutsec.workshop.terminal_format import TerminalSummary

            return TerminalSummary(width=width)
        case SummaryFormat.HTML:
            from nutsec.workshop.html_format import HtmlSummary

            return HtmlSummary()
        case SummaryFormat.MARKDOWN:
            from nutsec.workshop.markdown_format import MarkdownSummary

            return MarkdownSummary()
        case SummaryFormat.JSON:
            from nutsec.workshop.json_format import JsonSummary

            return JsonSummary()
        case _:
            assert_never(format)
