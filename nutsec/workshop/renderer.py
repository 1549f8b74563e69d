"""A group-summary renderer: the one seam every `nutsec workshop summary` format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nutsec.workshop.summary import GroupPicture


class SummaryRenderer(ABC):
    """Turns a group picture into the text of one format."""

    @abstractmethod
    def render(self, picture: GroupPicture) -> str: ...
