"""An export-audit renderer: the one seam every output of the export audit implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nutsec.exports.checks import ExportAudit


class AuditRenderer(ABC):
    """Turns an export audit into the text of one format."""

    @abstractmethod
    def render(self, audit: ExportAudit) -> str: ...
