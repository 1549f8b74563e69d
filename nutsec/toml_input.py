"""TOML a person wrote (checklists, answers files, the checklist saved with an audit): parsed the
same way everywhere, so a quirk of one editor or a hostile file gets the same clear error."""

from __future__ import annotations

import tomllib
from typing import Any

#: Some Windows editors start UTF-8 files with this mark; TOML itself does not allow it.
BYTE_ORDER_MARK = "\ufeff"

TOO_DEEP = (
    "it is nested too deeply: lists or tables inside each other hundreds of times, "
    "which no checklist or answers file needs"
)


TOO_LARGE = "it holds a whole number with far more digits than any checklist or answers file needs"

#: The largest whole number accepted: SQLite's and every counter's 64-bit limit.
LARGEST_INTEGER = 2**63 - 1


def parse_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads`, accepting a leading UTF-8 byte order mark. Nesting too deep for the
    parser, and a whole number beyond 64 bits (Python refuses to read one of over 4,300 digits
    with a ValueError; a smaller giant would overflow SQLite or a float later), are a
    `tomllib.TOMLDecodeError` like any other mistake, so callers name the file."""
    if text.startswith(BYTE_ORDER_MARK):
        text = text[len(BYTE_ORDER_MARK) :]
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError(TOO_DEEP) from None
    except tomllib.TOMLDecodeError:
        raise
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise tomllib.TOMLDecodeError(TOO_LARGE) from None
    if _has_huge_integer(data):
        raise tomllib.TOMLDecodeError(TOO_LARGE)
    return data


def _has_huge_integer(data: object) -> bool:
    """Whether any whole number in `data` (tables and lists, walked without recursion) is
    beyond 64 bits."""
    waiting: list[object] = [data]
    while waiting:
        value = waiting.pop()
        if isinstance(value, dict):
            waiting.extend(value.values())
        elif isinstance(value, list):
            waiting.extend(value)
        elif isinstance(value, int) and not -LARGEST_INTEGER - 1 <= value <= LARGEST_INTEGER:
            return True  # (True and False are ints too, and always in range)
    return False
