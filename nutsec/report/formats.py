"""Every report format is a renderer over the same Report; adding one touches nothing else."""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

from nutsec.errors import NotYetAvailableError

if TYPE_CHECKING:  # the CLI imports the enum at --help time; the model only when rendering
    from nutsec.report.model import Report


class ReportFormat(StrEnum):
    TERMINAL = "terminal"
    HTML = "html"
    MARKDOWN = "markdown"
    JSON = "json"


class ReportRenderer(ABC):
    """Turns a report into the text of one format."""

    @abstractmethod
    def render(self, report: Report) -> str: ...


def renderer_for(format: ReportFormat) -> ReportRenderer:
    """The renderer of a format; NotYetAvailableError for the formats still to come."""
    match format:
        case ReportFormat.JSON:
            from nutsec.report.json_format import JsonRenderer

            return JsonRenderer()
        case ReportFormat.TERMINAL | ReportFormat.HTML | ReportFormat.MARKDOWN:
            raise NotYetAvailableError(f"report --format {format.value}")
        case _:
            assert_never(format)
