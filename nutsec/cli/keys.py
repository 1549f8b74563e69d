"""Single-key input for interactive commands (the audit, the lost-device runbook).

Keys are read one at a time from a terminal, or a line at a time from a pipe, so the same flow
can be scripted.
"""

from __future__ import annotations

import os
import sys

from rich.console import Console

from nutsec.safe_text import is_control
from nutsec.secret import Secret

ENTER = "\n"

#: The longest line read at one prompt; a name or password is far shorter than this.
MAX_LINE_BYTES = 65_536


class StopInput(Exception):
    """The person chose to stop (q, or the input ended): everything so far is already saved."""


class KeyInput:
    """Reads single keys from a terminal (raw, no Enter needed) or lines from a pipe."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.is_terminal = sys.stdin.isatty()

    def key(self, prompt: str) -> str:
        """One key, lower-cased; Enter is '\\n'. End of input raises StopInput."""
        self.console.print(prompt, end="")
        if not self.is_terminal:
            line = self._line().decode("utf-8", "replace")
            return line.strip()[:1].lower() or ENTER
        import termios
        import tty

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            # cbreak keeps Ctrl-C an interrupt (unlike raw); TCSANOW keeps keys typed ahead.
            tty.setcbreak(fd, termios.TCSANOW)
            data = os.read(fd, 1)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if data in (b"", b"\x04"):
            raise StopInput
        key = data.decode("utf-8", "replace").lower()
        return ENTER if key == "\r" else key

    def line(self, prompt: str) -> str:
        """A line of text; bytes that are not UTF-8 become U+FFFD and control characters
        (escape sequences pasted into a name) are dropped, so what is saved is plain text."""
        self.console.print(prompt, end="")
        text = self._line().decode("utf-8", "replace")
        return "".join(c for c in text if not is_control(c)).strip()

    def secret(self, prompt: str) -> Secret | None:
        """A hidden entry; the text is wrapped at once and never echoed.

        None when what was typed is not text (bytes that are not UTF-8): the decoding error
        would quote part of the password, so it is dropped here, unseen.
        """
        try:
            if self.is_terminal:
                import getpass

                return Secret(getpass.getpass(prompt))
            self.console.print(prompt, end="")
            return Secret(self._line().decode("utf-8").rstrip("\r\n"))
        except UnicodeError:
            return None

    def _line(self) -> bytes:
        """One line as bytes: each caller decides what to do with bytes that are not text."""
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            data: bytes = stream.readline(MAX_LINE_BYTES)
            if len(data) == MAX_LINE_BYTES and not data.endswith(b"\n"):
                # An endless paste or pipe: keep memory bounded, drop the rest of the line.
                while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
        else:  # a replaced sys.stdin without bytes underneath
            data = sys.stdin.readline(MAX_LINE_BYTES).encode("utf-8", "surrogateescape")
        if not data:
            self.console.print()
            raise StopInput
        if not self.is_terminal:
            self.console.print()  # a pipe does not echo, so end the prompt's line ourselves
        return data


def shown_key(key: str) -> str:
    """A key as it can be named back to the person ('Enter', 'x'); never a raw control byte."""
    if key == ENTER:
        return "Enter"
    return repr(key)
