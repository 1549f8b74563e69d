"""Why a password is weak, and what would make it strong, in plain words.

zxcvbn splits a password into the pieces it would guess (a name, a year, a keyboard row...).
Only the kind of each piece is kept (`pattern_kinds`, fixed words), never the piece itself; the
sentences are made from those kinds and the password's length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from nutsec.words import and_list

if TYPE_CHECKING:
    from nutsec.passwords.strength import StrengthResult

#: Shorter than this is "too short", whatever it is made of (three random words are longer).
SHORT_CHARS = 12

#: Each kind of piece: how it reads in "it is ..." and in "with no ...".
KIND_PHRASES: dict[str, tuple[str, str]] = {
    "common-password": ("a common password", "common passwords"),
    "word": ("a common word", "common words"),
    "name": ("a name", "names"),
    "context": ("this login's name or username", "the login's own name or username"),
    "keyboard": ("a pattern of keys next to each other", "keyboard patterns"),
    "repeat": ("a repeated pattern", "repeats"),
    "sequence": ("a sequence like abc or 1234", "sequences"),
    "year": ("a year", "years"),
    "date": ("a date", "dates"),
}
_NAMES = frozenset({"female_names", "male_names", "surnames"})


def pattern_kinds(sequence: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The kinds of the pieces zxcvbn found, in order, without repeats ("name", "year"), and
    "look-alikes" or "reversed" when it saw letters swapped or a word spelt backwards.

    Reads only each match's type fields, never its token or matched word.
    """
    kinds: list[str] = []
    for match in sequence:
        kind = _kind(match)
        if kind:
            kinds.append(kind)
        if match.get("l33t"):
            kinds.append("look-alikes")
        if match.get("reversed"):
            kinds.append("reversed")
    return tuple(dict.fromkeys(kinds))


def _kind(match: Mapping[str, Any]) -> str:
    pattern = match.get("pattern")
    if pattern == "dictionary":
        source = match.get("dictionary_name")
        if source == "passwords":
            return "common-password"
        if source in _NAMES:
            return "name"
        return "context" if source == "user_inputs" else "word"
    if pattern == "regex":  # zxcvbn's one regex is recent years
        return "year"
    return {"spatial": "keyboard", "repeat": "repeat", "sequence": "sequence", "date": "date"}.get(
        str(pattern), ""
    )


def is_short(strength: StrengthResult) -> bool:
    return not strength.truncated and 0 < strength.evaluated_chars < SHORT_CHARS


def weak_reason(strength: StrengthResult) -> str:
    """ "It is made of a name and a year, and it is too short." (or zxcvbn's own warning)."""
    parts = [KIND_PHRASES[k][0] for k in strength.patterns if k in KIND_PHRASES]
    short = is_short(strength)
    made = f"It is {'made of ' if len(set(parts)) > 1 else ''}{_and(parts)}" if parts else ""
    if parts and short:
        return f"{made}, and it is too short."
    if parts:
        return f"{made}."
    if short:
        return "It is too short."
    return strength.warning or "It is not long or random enough to hold out against guessing."


def make_strong(strength: StrengthResult) -> str:
    """What would make it strong, for this password's kinds of pieces."""
    avoid = [KIND_PHRASES[k][1] for k in strength.patterns if k in KIND_PHRASES]
    avoid.sort(key=lambda phrase: phrase == KIND_PHRASES["context"][1])  # "the login's" last
    text = "To make it strong: use three or more random words, or let a password manager make one."
    if avoid:
        text += f" Leave out {_and(avoid)}."
    if "look-alikes" in strength.patterns:
        text += " Swapping letters for look-alikes, like '@' for 'a', does not help."
    elif "reversed" in strength.patterns:
        text += " Spelling a word backwards does not help."
    return text


def _and(words: list[str]) -> str:
    return and_list(list(dict.fromkeys(words)))
