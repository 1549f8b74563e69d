"""A report renderer: the one seam every report format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nutsec.report.model import Report


class ReportRenderer(ABC):
    """Turns a report into the text of one format."""

    @abstractmethod
    def render(self, report: Report) -> str: ...
