"""Small helpers for the words nutsec writes, for every layer (this module imports nothing)."""

from __future__ import annotations

from collections.abc import Sequence


def and_list(words: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c": a list of names as it reads in a sentence."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
