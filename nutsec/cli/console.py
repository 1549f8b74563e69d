"""Consoles for people: colour unless NO_COLOR or --plain, errors as one line on stderr, and
output that works on every terminal: Windows' classic console, and terminals that cannot show
every character (PYTHONIOENCODING=ascii, a Windows code page)."""

from __future__ import annotations

import codecs
import io
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from nutsec.errors import NutsecError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.segment import Segment


def plain_wanted(plain: bool) -> bool:
    return plain or bool(os.environ.get("NO_COLOR"))


@cache
def _plain_console() -> type[Console]:
    """PlainConsole, made on first use: rich is loaded only by a command that shows something
    with it (about 20 ms of every start otherwise)."""
    from rich.console import Console

    class PlainConsole(Console):
        """A console whose lines never end in blanks: rich pads wrapped lines and tables with
        spaces, which screen readers announce and copied text keeps."""

        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            return _TRAILING_BLANKS.sub("\n", super()._render_buffer(buffer))

    return PlainConsole


_TRAILING_BLANKS = re.compile(r"[ ]+\n")


def make_console(plain: bool = False, *, stderr: bool = False) -> Console:
    """A console for output; plain means no colour, no styling and no box drawing."""
    from rich.console import Console

    if plain_wanted(plain):
        return _plain_console()(
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


# Every terminal -------------------------------------------------------------------------------

#: The name of the error handler that stands in plain ASCII for characters an output cannot show.
ASCII_FALLBACK = "nutsec-ascii"

#: Characters nutsec's own texts use, and what stands in for them where they cannot be shown.
_ASCII_STAND_INS = {
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2011": "-",  # non-breaking hyphen
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u00b7": "-",  # middle dot
    "\u2022": "*",  # bullet
    "\u2192": "->",
    "\u2190": "<-",
    "\u00d7": "x",
    "\u2713": "v",  # check mark
    "\u2714": "v",
    "\u2717": "x",
    "\u2718": "x",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u00a0": " ",  # no-break space
    "\u202f": " ",
    "\u00a3": "GBP ",
    "\u20ac": "EUR ",
    "\u2500": "-",  # box drawing, in case a rule reaches a plain output
    "\u2501": "-",
    "\u2502": "|",
    "\u2503": "|",
}


def ascii_stand_in(character: str) -> str:
    """Plain ASCII for one character: a known stand-in, the letter without its accent, or '?'."""
    known = _ASCII_STAND_INS.get(character)
    if known is not None:
        return known
    bare = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode("ascii")
    return bare or "?"


def _stand_in_for_unencodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(ascii_stand_in(c) for c in text), error.end


codecs.register_error(ASCII_FALLBACK, _stand_in_for_unencodable)


def prepare_output_streams() -> None:
    """Make standard output and error safe to write anything to, on every system. Called once,
    at start-up, by the `nutsec` command.

    A character the output cannot show (PYTHONIOENCODING=ascii or latin-1, a Windows code page
    when output goes to a file) becomes plain ASCII instead of a crash. On Windows, the classic
    console is switched to understanding colour codes (colorama, which click already installs
    there; Windows Terminal understands them already), so rich output looks the same as elsewhere.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors=ASCII_FALLBACK)
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        _windows_console_colours()


def _windows_console_colours() -> None:  # pragma: no cover - Windows only
    """Turn on colour codes in the classic Windows console (Windows 10 and later), or translate
    them on older ones. Without colorama, rich finds the console cannot show colour codes and
    uses its own legacy Windows output, so nothing breaks either way."""
    import importlib

    try:
        colorama = importlib.import_module("colorama")
    except ImportError:
        return
    colorama.just_fix_windows_console()


def clear_screen(console: Console) -> None:
    """Start what follows at the top of a clear screen, where the terminal can do that (every
    terminal on Linux and macOS, Windows Terminal, the Windows 10 and 11 console); anywhere else
    (a pipe, a file, a console that cannot take the code) a blank line, never a stray code."""
    if console.is_terminal and not console.legacy_windows:
        console.clear()
    else:
        console.print()


def nutsec_command(
    argv0: str | None = None, *, which: str | None = None, platform: str = sys.platform
) -> str:
    """How the person can start nutsec again in this terminal: 'nutsec' when that name finds
    this same program, else the path they typed (e.g. '.venv/bin/nutsec' before the environment
    is activated), so every command nutsec suggests works when typed as shown."""
    import shutil
    from pathlib import Path

    typed = sys.argv[0] if argv0 is None else argv0
    found = shutil.which("nutsec") if which is None else which
    name = typed.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name not in {"nutsec", "nutsec.exe"} or not any(s in typed for s in ("/", "\\")):
        return "nutsec"  # run by name (found on PATH) or from Python itself (tests, -m)
    try:
        if found and Path(found).resolve() == Path(typed).resolve():
            return "nutsec"
    except OSError:
        pass
    shown = typed[:-4] if typed.lower().endswith(".exe") else typed
    return shell_word(shown, platform=platform)


def shell_word(text: str, *, platform: str = sys.platform) -> str:
    """`text` as one word of a command line: Windows' shells take double quotes, not single."""
    import shlex

    if platform == "win32":
        return f'"{text}"' if any(c in text for c in " &()^%!'") else text
    return shlex.quote(text)


def suggested(*args: str) -> str:
    """A whole nutsec command to show the person: 'nutsec report --full', with the program as
    they can type it here, and each argument quoted for their shell."""
    return " ".join([nutsec_command(), *(shell_word(a) if a else "''" for a in args)])
