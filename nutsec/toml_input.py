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


def parse_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads`, accepting a leading UTF-8 byte order mark; nesting too deep for the
    parser is a `tomllib.TOMLDecodeError` like any other mistake, so callers name the file."""
    if text.startswith(BYTE_ORDER_MARK):
        text = text[len(BYTE_ORDER_MARK) :]
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError(TOO_DEEP) from None
