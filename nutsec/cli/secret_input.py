"""Reading a secret (a password, an API key) from a hidden prompt or one line of standard input,
so that every command reads secrets the same careful way: bounded, never echoed, never quoted."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from nutsec.errors import NutsecError

if TYPE_CHECKING:
    from nutsec.cli.keys import KeySource
    from nutsec.secret import Secret


def read_secret_line(what: str, max_bytes: int) -> Secret:
    """One line of standard input, without its line ending; read as bytes so bad text is caught.

    `what` names the secret in messages ("password", "API key").
    """
    stream = getattr(sys.stdin, "buffer", None)
    limit = max_bytes + 2  # room for the line ending
    raw = stream.readline(limit) if stream is not None else sys.stdin.readline(limit).encode()
    if len(raw) >= limit and not raw.endswith(b"\n"):
        # Endless input (a file or /dev/zero piped in by mistake) must not fill the memory.
        del raw
        raise NutsecError(
            f"The {what} could not be read: the first line is longer than "
            f"{max_bytes:,} characters. Give the {what} on a line of its own."
        )
    if raw.endswith(b"\n"):
        raw = raw[:-1]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # The decoding error would quote the offending byte of the secret: say nothing of it.
        raise NutsecError(f"The {what} could not be read: the input is not UTF-8 text.") from None
    finally:
        del raw
    return wrap_secret(text, what)


def read_hidden_secret(prompt: str, what: str, source: KeySource | None = None) -> Secret:
    """A hidden prompt on the terminal: nothing typed is echoed, on any system.

    Ctrl-C, Ctrl-D (Ctrl-Z on Windows) raise KeyboardInterrupt: the command stops with exit 130.
    Without a terminal (input piped in by mistake) click's prompt reads the line instead.
    """
    if source is not None or sys.stdin.isatty():
        from nutsec.cli.keys import terminal_key_source

        try:
            text = (source or terminal_key_source()).read_hidden(f"{prompt}: ")
        except UnicodeError:
            raise NutsecError(
                f"The {what} could not be read: what was typed is not text."
            ) from None
    else:
        text = typer.prompt(prompt, hide_input=True, default="", show_default=False, err=True)
    return wrap_secret(text, what)


def wrap_secret(text: str, what: str) -> Secret:
    from nutsec.secret import Secret

    try:
        return Secret(text)
    except UnicodeError:
        raise NutsecError(
            f"The {what} could not be read: it contains characters that are not text."
        ) from None
