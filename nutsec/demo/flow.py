"""Moving through the demo: a pure step machine over parts and their pages.

The CLI lays each part out in pages that fit the screen and reads keys; this module only says
where a key leads. Back undoes forward exactly, so a double press can always be taken back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Move(StrEnum):
    NEXT = "next"
    BACK = "back"
    STOP = "stop"


#: Keys (as the key reader returns them: characters, or names such as "enter" and "left"; Enter
#: is also "\n" from a pipe) and what they do. Anything else is ignored, so
#: a stray key never skips a part in front of a room.
KEY_MOVES: dict[str, Move] = {
    " ": Move.NEXT,
    "\n": Move.NEXT,
    "enter": Move.NEXT,
    "n": Move.NEXT,
    "right": Move.NEXT,
    "pagedown": Move.NEXT,
    "down": Move.NEXT,
    "b": Move.BACK,
    "p": Move.BACK,
    "left": Move.BACK,
    "pageup": Move.BACK,
    "up": Move.BACK,
    "q": Move.STOP,
}


def move_for(key: str) -> Move | None:
    """What a key does; None for a key that does nothing."""
    return KEY_MOVES.get(key)


@dataclass(frozen=True)
class Place:
    """A page of a part, both counted from 0."""

    part: int
    page: int


class DemoFlow:
    """Parts in order, each with its pages; NEXT and BACK step one page, STOP ends."""

    def __init__(self, pages_per_part: Sequence[int]) -> None:
        if not pages_per_part or any(count < 1 for count in pages_per_part):
            raise ValueError("every part needs at least one page")
        self.pages = tuple(pages_per_part)

    @property
    def first(self) -> Place:
        return Place(0, 0)

    def is_last(self, place: Place) -> bool:
        return place.part == len(self.pages) - 1 and place.page == self.pages[-1] - 1

    def step(self, place: Place, move: Move) -> Place | None:
        """Where `move` leads from `place`; None when the demo is over (stopped or finished)."""
        if move is Move.STOP:
            return None
        if move is Move.NEXT:
            if place.page + 1 < self.pages[place.part]:
                return Place(place.part, place.page + 1)
            if place.part + 1 < len(self.pages):
                return Place(place.part + 1, 0)
            return None
        if place.page > 0:
            return Place(place.part, place.page - 1)
        if place.part > 0:
            return Place(place.part - 1, self.pages[place.part - 1] - 1)
        return place
