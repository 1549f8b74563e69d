"""Consoles for people: colour unless NO_COLOR or --plain, errors as one line on stderr."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment

from nutsec.errors import NutsecError


def plain_wanted(plain: bool) -> bool:
    return plain or bool(os.environ.get("NO_COLOR"))


class PlainConsole(Console):
    """A console whose lines never end in blanks: rich pads wrapped lines and tables with
    spaces, which screen readers announce and copied text keeps."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return _TRAILING_BLANKS.sub("\n", super()._render_buffer(buffer))


_TRAILING_BLANKS = re.compile(r"[ ]+\n")


def make_console(plain: bool = False, *, stderr: bool = False) -> Console:
    """A console for output; plain means no colour, no styling and no box drawing."""
    if plain_wanted(plain):
        return PlainConsole(
            stderr=stderr,
            no_color=True,
            highlight=False,
            emoji=False,
            color_system=None,
            safe_box=True,
        )
    return Console(stderr=stderr, highlight=False, emoji=False)


def show_error(error: NutsecError) -> None:
    """The one-line message (and any per-problem lines) on stderr, without markup surprises."""
    err = make_console(stderr=True)
    err.print(f"[bold red]Error:[/] {_escape(error.message)}", soft_wrap=True)
    for line in error.details:
        err.print(f"  {_escape(line)}", soft_wrap=True)


def _escape(text: str) -> str:
    """No markup and no control characters: messages quote file names, keys and values."""
    from rich.markup import escape

    from nutsec.safe_text import without_controls

    return escape(without_controls(text))


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
