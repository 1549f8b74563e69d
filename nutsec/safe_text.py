"""Text from files and people is shown on a terminal: control characters in it could move the
cursor, rewrite the screen or set the window title (ANSI escape injection), so none get through."""

from __future__ import annotations

import unicodedata

#: Bidirectional overrides and isolates: they make text display in an order it is not written in.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control(char: str) -> bool:
    """ESC, BEL, DEL, C1 controls such as U+009B (CSI), bidi overrides, line separators..."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS


def first_control_character(text: str, allowed: str = "") -> str | None:
    """The first control character in `text` that is not in `allowed`, or None."""
    return next((c for c in text if is_control(c) and c not in allowed), None)


def describe_character(char: str) -> str:
    """A control character as a person (and a terminal) can safely read it, e.g. U+001B."""
    return f"U+{ord(char):04X}"


def without_controls(text: str) -> str:
    """`text` with every control character shown as its code (U+001B) instead of obeyed."""
    if first_control_character(text) is None:
        return text
    return "".join(f"<{describe_character(c)}>" if is_control(c) else c for c in text)
