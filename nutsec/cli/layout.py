"""Indented, wrapped text for the terminal without trailing spaces.

rich's Padding pads every line to the full width, which leaves trailing blanks in plain output
(bad for screen readers and for copying); wrapped list items also need a hanging indent.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text


def wrap_indented(
    console: Console,
    text: str | Text,
    *,
    width: int | None = None,
    indent: int = 2,
    first: str | None = None,
    hang: int | None = None,
) -> Text:
    """`text` wrapped to `width` (default: the console's), every line indented, no trailing blanks.

    With `first` ("  - ", "  1. ") line one starts with it and the next lines line up under the
    text, not the marker; `hang` sets the next lines' indent itself ("Label: text" lines).
    `text` given as str is rich markup (escape user text before).
    """
    body = Text.from_markup(text) if isinstance(text, str) else text
    lead = " " * indent if first is None else first
    if hang is None:
        hang = indent if first is None else len(first)
    rest = " " * hang
    room = max(20, (width or console.width) - max(len(lead), hang))
    result = Text()
    for number, line in enumerate(body.wrap(console, room)):
        line.rstrip()
        if number:
            result.append("\n")
        result.append(lead if number == 0 else rest)
        result.append_text(line)
    return result


def print_indented(
    console: Console,
    text: str | Text,
    *,
    indent: int = 2,
    first: str | None = None,
    hang: int | None = None,
) -> None:
    """Print `text` as `wrap_indented` lays it out."""
    console.print(
        wrap_indented(console, text, indent=indent, first=first, hang=hang), soft_wrap=True
    )
