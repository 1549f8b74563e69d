"""Single-key input for interactive commands (the audit, the lost-device runbook, the demo).

Keys are read one at a time from a terminal, or a line at a time from a pipe, so the same flow
can be scripted. The terminal's keyboard is a `KeySource`: `PosixKeys` (termios, Linux and macOS)
or `WindowsKeys` (msvcrt), so every interactive command behaves the same on every system. Neither
imports its system's module before it is used: `import nutsec.cli.keys` works everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Protocol

from rich.console import Console

from nutsec.cli.stop_signals import if_the_terminal_has_gone, stop_like_ctrl_c, stopping
from nutsec.safe_text import is_control
from nutsec.secret import Secret

# Named keys: what `KeyInput.key` returns for a key that is not a character. Every other key
# comes back as its own (lower-cased) character, so a name can never be mistaken for a letter.
ENTER = "enter"
BACKSPACE = "backspace"
ESCAPE = "escape"
TAB = "tab"
UP = "up"
DOWN = "down"
LEFT = "left"
RIGHT = "right"
PAGE_UP = "pageup"
PAGE_DOWN = "pagedown"
HOME = "home"
END = "end"
INSERT = "insert"
DELETE = "delete"
#: A special key nutsec has no name for (F1, a media key...): never one of the choices.
UNKNOWN_KEY = "unknown"

#: Ctrl-C, Ctrl-D and Ctrl-Z: "stop now". Each is read as a KeyboardInterrupt, so the command
#: saves what it has and exits 130 alike on every system (Ctrl-D ends input on Linux and macOS,
#: Ctrl-Z on Windows; on a POSIX terminal Ctrl-C and Ctrl-Z are signals and never arrive as keys).
STOP_CHARACTERS = frozenset("\x03\x04\x1a")

#: The single characters that stand for a named key on both systems.
CHARACTER_KEYS = {"\r": ENTER, "\n": ENTER, "\t": TAB, "\x08": BACKSPACE, "\x7f": BACKSPACE}

#: The longest line read at one prompt; a name or password is far shorter than this.
MAX_LINE_BYTES = 65_536
#: The most characters kept of a line typed at a terminal (the rest are not echoed either).
MAX_LINE_CHARACTERS = 16_384

#: At most this many keys are thrown away by one `discard_typeahead` (a stuck key cannot hang it).
MAX_DISCARDED_KEYS = 4096


class StopInput(Exception):
    """The person chose to stop (q, or the input ended): everything so far is already saved."""


class KeySource(ABC):
    """A terminal's keyboard, read without waiting for Enter.

    Ctrl-C, Ctrl-D and Ctrl-Z raise KeyboardInterrupt from every method, never a character.
    """

    @abstractmethod
    def read_key(self) -> str:
        """One key: a character as typed, or a named key (`ENTER`, `LEFT`, `PAGE_UP`...)."""

    @abstractmethod
    def read_hidden(self, prompt: str) -> str:
        """A line typed without echo, after `prompt`; without its line ending."""

    @abstractmethod
    def discard_typeahead(self) -> None:
        """Forget keys typed before now (a key pressed twice, a clicker's burst)."""

    def read_line(self) -> str:
        """A line typed after a prompt already shown, echoed by nutsec itself (see `edit_line`):
        the terminal's own echo would show bidi overrides and C1 controls raw as they are
        typed. Without its line ending."""
        return edit_line(self.read_key, self.echo)

    def echo(self, text: str) -> None:
        """Show `text` as typed (only ever characters that are safe on a terminal)."""
        _write_to_stderr(text)


def edit_line(next_key: Callable[[], str], echo: Callable[[str], object]) -> str:
    """A line, key by key: Backspace and Ctrl-U edit it, Enter ends it, other named keys
    (arrows, F-keys) are ignored. Only characters that are safe on a terminal are kept and
    echoed: control characters, bidi overrides and isolates, C1 controls (U+009B is CSI) are
    dropped unseen, as `KeyInput.line` would drop them anyway."""
    from rich.cells import cell_len

    typed: list[str] = []
    while True:
        key = next_key()
        if key == ENTER:
            echo("\n")
            return "".join(typed)
        if key == BACKSPACE:
            if typed:
                echo("\b \b" * cell_len(typed.pop()))
        elif key == "\x15":  # Ctrl-U: start again
            echo("\b \b" * cell_len("".join(typed)))
            typed.clear()
        elif len(key) == 1 and not is_control(key) and len(typed) < MAX_LINE_CHARACTERS:
            typed.append(key)
            echo(key)


def _stop_if_asked(character: str) -> None:
    if character in STOP_CHARACTERS:
        stopping()
        raise KeyboardInterrupt


# POSIX (Linux, macOS) ---------------------------------------------------------------------------

#: The final byte of an escape sequence (ESC [ ... X, or ESC O X) and the key it stands for.
_SEQUENCE_FINALS = {"A": UP, "B": DOWN, "C": RIGHT, "D": LEFT, "H": HOME, "F": END}
#: ESC [ N ~ sequences, by N.
_TILDE_CODES = {
    "1": HOME,
    "2": INSERT,
    "3": DELETE,
    "4": END,
    "5": PAGE_UP,
    "6": PAGE_DOWN,
    "7": HOME,
    "8": END,
}
#: How long to wait for the rest of an escape sequence after ESC (a lone Escape sends nothing).
_SEQUENCE_WAIT_SECONDS = 0.05


class PosixKeys(KeySource):
    """Keys from a POSIX terminal in cbreak mode: Ctrl-C stays a signal, Ctrl-D is read as a byte.

    termios and tty are imported when a key is read, never at import time (Windows has neither).
    """

    def __init__(self, fd: int, write: Callable[[str], object] | None = None) -> None:
        self.fd = fd
        self._write = write or _write_to_stderr
        self._pending = b""  # bytes read with an escape sequence that belong to the next keys

    def read_key(self) -> str:
        import termios
        import tty

        saved = termios.tcgetattr(self.fd)
        try:
            # cbreak keeps Ctrl-C an interrupt (unlike raw); TCSANOW keeps keys typed ahead.
            tty.setcbreak(self.fd, termios.TCSANOW)
            return self._key()
        finally:
            _restore(self.fd, saved)

    def read_hidden(self, prompt: str) -> str:
        """Read key by key with echo off (rather than getpass, where Ctrl-D after some typing
        would enter what was typed so far): Ctrl-D anywhere stops, as Ctrl-Z does on Windows."""
        import termios

        self._write(prompt)
        saved = termios.tcgetattr(self.fd)
        hidden = termios.tcgetattr(self.fd)
        hidden[3] &= ~(termios.ECHO | termios.ICANON)  # local modes: no echo, key by key
        hidden[6][termios.VMIN], hidden[6][termios.VTIME] = 1, 0
        typed = bytearray()
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, hidden)
            while (byte := self._byte()) not in (b"\r", b"\n"):
                if byte == b"":
                    if_the_terminal_has_gone()
                    stopping()
                    raise KeyboardInterrupt  # the terminal went away
                if byte == b"\x00" or byte.decode("latin-1") in STOP_CHARACTERS:
                    stopping()
                    raise KeyboardInterrupt  # Ctrl-D
                if byte in (b"\x7f", b"\x08"):
                    _drop_last_character(typed)
                elif byte == b"\x15":  # Ctrl-U: start again
                    typed[:] = b"\0" * len(typed)
                    typed.clear()
                elif byte == b"\x1b":
                    self._escape_sequence()  # an arrow or F-key: not part of a password
                else:
                    typed += byte
            return _decoded_secret(typed)
        finally:
            _restore(self.fd, saved)
            typed[:] = b"\0" * len(typed)
            with contextlib.suppress(OSError):  # a terminal that has gone cannot end the line
                self._write("\n")

    def discard_typeahead(self) -> None:
        import termios

        self._pending = b""
        termios.tcflush(self.fd, termios.TCIFLUSH)

    def read_line(self) -> str:
        """As `KeySource.read_line`, with the terminal's echo off for the whole line, so that
        nothing typed (or pasted) while nutsec is busy is echoed raw either."""
        import termios
        import tty

        saved = termios.tcgetattr(self.fd)
        try:
            tty.setcbreak(self.fd, termios.TCSANOW)
            return edit_line(self._key, self.echo)
        finally:
            _restore(self.fd, saved)

    def echo(self, text: str) -> None:
        self._write(text)

    def _key(self) -> str:
        first = self._byte()
        if first == b"":
            if_the_terminal_has_gone()
            stopping()
            raise StopInput  # the terminal went away
        if first == b"\x1b":
            return self._escape_sequence()
        if first == b"\x00":
            # Linux keeps a Ctrl-D typed between prompts (the terminal then reading lines) as
            # a NUL byte: it was still "stop".
            stopping()
            raise KeyboardInterrupt
        if first[0] >= 0xC0:  # the lead byte of a character beyond ASCII
            first += self._continuation(1 if first[0] < 0xE0 else 2 if first[0] < 0xF0 else 3)
        character = first.decode("utf-8", "replace")
        _stop_if_asked(character)
        return CHARACTER_KEYS.get(character, character)

    def _byte(self) -> bytes:
        if self._pending:
            first, self._pending = self._pending[:1], self._pending[1:]
            return first
        try:
            return os.read(self.fd, 1)
        except OSError as error:
            if error.errno == errno.EIO:
                return b""  # the terminal has hung up (its window closed): the input has ended
            raise

    def _continuation(self, count: int) -> bytes:
        data = b""
        for _ in range(count):
            if not self._pending and not self._ready():
                break
            data += self._byte()
        return data

    def _ready(self) -> bool:
        import select

        readable, _, _ = select.select([self.fd], [], [], _SEQUENCE_WAIT_SECONDS)
        return bool(readable)

    def _escape_sequence(self) -> str:
        """ESC alone is Escape; ESC [ or ESC O starts an arrow, Home, Page Up... key."""
        if not self._pending and self._ready():
            self._pending += os.read(self.fd, 64)
        if self._pending[:1] not in (b"[", b"O"):
            return ESCAPE  # whatever follows (Alt+key) is read as the next key
        introducer, rest = self._pending[:1], self._pending[1:]
        # Parameters (digits, ';'), then one final byte: ESC [ 1 ; 5 A is Ctrl+Up, still Up.
        end = 0
        while end < len(rest) and introducer == b"[" and 0x20 <= rest[end] <= 0x3F:
            end += 1
        if end >= len(rest):
            self._pending = b""
            return UNKNOWN_KEY
        params = rest[:end].decode("ascii", "replace")
        final = chr(rest[end])
        self._pending = rest[end + 1 :]
        if final == "~":
            return _TILDE_CODES.get(params.split(";")[0], UNKNOWN_KEY)
        return _SEQUENCE_FINALS.get(final, UNKNOWN_KEY)


def _restore(fd: int, saved: list[Any]) -> None:
    """Put the terminal's settings back (echo on, lines). A terminal that has gone (its window
    closed: SIGHUP) cannot be restored and need not be: that must not hide why we stopped."""
    import termios

    with contextlib.suppress(termios.error, OSError):
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _drop_last_character(typed: bytearray) -> None:
    """Backspace: remove the last character, all of its UTF-8 bytes."""
    while typed:
        last = typed.pop()
        if last & 0xC0 != 0x80:  # not a continuation byte: the character's first byte
            break


def _decoded_secret(typed: bytearray) -> str:
    try:
        return typed.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Raised outside the handler, so the decoding error, which holds the typed bytes, is not
    # kept as this one's context.
    raise UnicodeError("what was typed is not text")


# Windows ---------------------------------------------------------------------------------------

#: After the prefix "\x00" or "\xe0", the scan code of a special key.
_WINDOWS_SCAN_CODES = {
    "H": UP,
    "P": DOWN,
    "K": LEFT,
    "M": RIGHT,
    "I": PAGE_UP,
    "Q": PAGE_DOWN,
    "G": HOME,
    "O": END,
    "R": INSERT,
    "S": DELETE,
}
_WINDOWS_PREFIXES = ("\x00", "\xe0")


class MsvcrtModule(Protocol):
    """The part of Windows' `msvcrt` module that nutsec uses (tests pass a fake)."""

    def getwch(self) -> str: ...

    def kbhit(self) -> bool: ...


class WindowsKeys(KeySource):
    """Keys from the Windows console through `msvcrt`: Windows Terminal and the classic console.

    `msvcrt` is passed in (tests give a fake) or imported when first needed, never at import time.
    `write` shows the hidden prompt and the end of its line.
    """

    def __init__(
        self, msvcrt: MsvcrtModule | None = None, write: Callable[[str], object] | None = None
    ) -> None:
        self._msvcrt = msvcrt
        self._write = write or _write_to_stderr

    @property
    def msvcrt(self) -> MsvcrtModule:
        if self._msvcrt is None:
            import importlib

            module: MsvcrtModule = importlib.import_module("msvcrt")
            self._msvcrt = module
            return module
        return self._msvcrt

    def read_key(self) -> str:
        character = self.msvcrt.getwch()
        if character in _WINDOWS_PREFIXES:
            return _WINDOWS_SCAN_CODES.get(self.msvcrt.getwch(), UNKNOWN_KEY)
        _stop_if_asked(character)
        if character == "\x1b":
            return ESCAPE
        return CHARACTER_KEYS.get(character, character)

    def read_hidden(self, prompt: str) -> str:
        self._write(prompt)
        typed: list[str] = []
        try:
            while True:
                character = self.msvcrt.getwch()
                if character in _WINDOWS_PREFIXES:
                    self.msvcrt.getwch()  # an arrow or F-key: not part of a password
                elif character in ("\r", "\n"):
                    return "".join(typed)
                elif character in ("\x08", "\x7f"):
                    if typed:
                        typed.pop()
                else:
                    _stop_if_asked(character)
                    typed.append(character)
        finally:
            typed.clear()
            self._write("\r\n")

    def echo(self, text: str) -> None:
        self._write(text)

    def discard_typeahead(self) -> None:
        for _ in range(MAX_DISCARDED_KEYS):
            if not self.msvcrt.kbhit():
                return
            self.msvcrt.getwch()


def _write_to_stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def terminal_key_source(platform: str = sys.platform) -> KeySource:
    """The keyboard of this system's terminal. From now on SIGTERM and SIGHUP stop the command
    like Ctrl-C (see `nutsec.cli.stop_signals`)."""
    stop_like_ctrl_c()
    if platform == "win32":
        return WindowsKeys()
    return PosixKeys(sys.stdin.fileno())


# What the commands use --------------------------------------------------------------------------


class KeyInput:
    """Reads single keys from a terminal (no Enter needed) or lines from a pipe.

    Ctrl-C, Ctrl-D and Ctrl-Z (then Enter, on Windows, where a line is typed) raise
    KeyboardInterrupt at every prompt of a terminal, and so do SIGTERM and SIGHUP from the
    moment a terminal's KeyInput is made; the end of piped input raises StopInput.
    """

    def __init__(
        self,
        console: Console,
        source: KeySource | None = None,
        *,
        is_terminal: bool | None = None,
    ) -> None:
        self.console = console
        self.is_terminal = sys.stdin.isatty() if is_terminal is None else is_terminal
        self._source = source
        if self.is_terminal:
            stop_like_ctrl_c()  # SIGTERM, SIGHUP (the window closed): stop like Ctrl-C

    @property
    def source(self) -> KeySource:
        if self._source is None:
            self._source = terminal_key_source()
        return self._source

    def key(self, prompt: str) -> str:
        """One key: a lower-cased character or a named key (`ENTER`, `LEFT`...)."""
        self.console.print(prompt, end="")
        if not self.is_terminal:
            line = self._line().decode("utf-8", "replace")
            return line.strip()[:1].lower() or ENTER
        key = self.source.read_key()
        return key.lower() if len(key) == 1 else key

    def line(self, prompt: str) -> str:
        """A line of text; bytes that are not UTF-8 become U+FFFD and control characters
        (escape sequences pasted into a name) are dropped, so what is saved is plain text."""
        self.console.print(prompt, end="")
        if self.is_terminal:
            text = self.source.read_line()  # echoed by nutsec, never raw (bidi, C1 controls)
        else:
            text = self._line().decode("utf-8", "replace")
        return "".join(c for c in text if not is_control(c)).strip()

    def secret(self, prompt: str) -> Secret | None:
        """A hidden entry; the text is wrapped at once and never echoed.

        None when what was typed is not text (bytes that are not UTF-8): the decoding error
        would quote part of the password, so it is dropped here, unseen.
        """
        try:
            if self.is_terminal:
                return Secret(self.source.read_hidden(prompt))
            self.console.print(prompt, end="")
            return Secret(self._line().decode("utf-8").rstrip("\r\n"))
        except UnicodeError:
            return None

    def discard_typeahead(self) -> None:
        """Forget keys typed before a new question appeared, so a key pressed twice, or a
        clicker's burst, answers one question, not the next one too. Nothing to do on a pipe."""
        if self.is_terminal:
            self.source.discard_typeahead()

    def _line(self) -> bytes:
        """One line as bytes: each caller decides what to do with bytes that are not text."""
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            try:
                data: bytes = stream.readline(MAX_LINE_BYTES)
            except OSError:
                if not self.is_terminal:
                    raise
                data = b""  # EIO: the terminal's window was closed while a line was typed
            if len(data) == MAX_LINE_BYTES and not data.endswith(b"\n"):
                # An endless paste or pipe: keep memory bounded, drop the rest of the line.
                while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
        else:  # a replaced sys.stdin without bytes underneath
            data = sys.stdin.readline(MAX_LINE_BYTES).encode("utf-8", "surrogateescape")
        if not data:
            if self.is_terminal:
                if_the_terminal_has_gone()  # its window closed: nothing more can be shown
            self.console.print()
            if self.is_terminal:
                stopping()
                raise KeyboardInterrupt  # Ctrl-D (Ctrl-Z then Enter on Windows): stop, like Ctrl-C
            stopping()
            raise StopInput
        if not self.is_terminal:
            self.console.print()  # a pipe does not echo, so end the prompt's line ourselves
        return data


#: How a named key is named back to the person.
_SHOWN_NAMES = {
    ENTER: "Enter",
    BACKSPACE: "Backspace",
    ESCAPE: "Esc",
    TAB: "Tab",
    UP: "The up arrow",
    DOWN: "The down arrow",
    LEFT: "The left arrow",
    RIGHT: "The right arrow",
    PAGE_UP: "Page Up",
    PAGE_DOWN: "Page Down",
    HOME: "Home",
    END: "End",
    INSERT: "Insert",
    DELETE: "Delete",
    UNKNOWN_KEY: "That key",
}


def shown_key(key: str) -> str:
    """A key as it can be named back to the person ('Enter', 'x'); never a raw control byte."""
    if key in _SHOWN_NAMES:
        return _SHOWN_NAMES[key]
    if len(key) == 1 and is_control(key):
        return "That key"
    return repr(key)
