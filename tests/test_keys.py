"""Keys on every system: the Windows key reader with a fake `msvcrt`, the POSIX one on a real
pseudo-terminal, and nutsec importing cleanly where termios, tty and fcntl do not exist."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from nutsec.cli.keys import (
    BACKSPACE,
    DELETE,
    DOWN,
    END,
    ENTER,
    ESCAPE,
    HOME,
    INSERT,
    LEFT,
    PAGE_DOWN,
    PAGE_UP,
    RIGHT,
    TAB,
    UNKNOWN_KEY,
    UP,
    KeyInput,
    PosixKeys,
    WindowsKeys,
    shown_key,
)
from nutsec.cli.secret_input import read_hidden_secret

REPO = Path(__file__).resolve().parents[1]


class FakeMsvcrt:
    """Windows' console keyboard: `getwch` hands out what was typed, `kbhit` says if any is left."""

    def __init__(self, typed: str) -> None:
        self.typed = list(typed)

    def getwch(self) -> str:
        if not self.typed:
            raise AssertionError("nutsec read more keys than were typed")
        return self.typed.pop(0)

    def kbhit(self) -> bool:
        return bool(self.typed)


def windows_keys(typed: str) -> tuple[WindowsKeys, FakeMsvcrt, list[str]]:
    shown: list[str] = []
    fake = FakeMsvcrt(typed)
    return WindowsKeys(fake, shown.append), fake, shown


# Windows ----------------------------------------------------------------------------------------

WINDOWS_SPECIAL_KEYS = [
    ("\xe0H", UP),
    ("\xe0P", DOWN),
    ("\xe0K", LEFT),
    ("\xe0M", RIGHT),
    ("\xe0I", PAGE_UP),
    ("\xe0Q", PAGE_DOWN),
    ("\xe0G", HOME),
    ("\xe0O", END),
    ("\xe0R", INSERT),
    ("\xe0S", DELETE),
    ("\x00H", UP),  # the number pad's arrows come with the other prefix
    ("\x00Q", PAGE_DOWN),
    ("\x00;", UNKNOWN_KEY),  # F1
    ("\r", ENTER),
    ("\x08", BACKSPACE),
    ("\x1b", ESCAPE),
    ("\t", TAB),
]


@pytest.mark.parametrize(("typed", "named"), WINDOWS_SPECIAL_KEYS)
def test_windows_special_keys_come_back_by_name(typed: str, named: str) -> None:
    keys, fake, _ = windows_keys(typed)
    assert keys.read_key() == named
    assert fake.typed == [], "a special key left part of itself to be read as the next key"


@pytest.mark.parametrize("typed", ["y", "q", "?", "é", "3"])
def test_windows_characters_come_back_as_typed(typed: str) -> None:
    keys, _, _ = windows_keys(typed)
    assert keys.read_key() == typed


@pytest.mark.parametrize("stop", ["\x03", "\x1a", "\x04"], ids=["ctrl-c", "ctrl-z", "ctrl-d"])
def test_windows_ctrl_c_and_ctrl_z_stop_at_a_single_key_prompt(stop: str) -> None:
    keys, _, _ = windows_keys(stop)
    with pytest.raises(KeyboardInterrupt):
        keys.read_key()


def test_windows_hidden_entry_echoes_nothing_and_honours_backspace() -> None:
    keys, fake, shown = windows_keys("Tw1\xe0Ktx\x08tr\r")
    assert keys.read_hidden("Password: ") == "Tw1ttr"
    assert fake.typed == []
    assert shown == ["Password: ", "\r\n"], "the hidden entry showed what was typed"


@pytest.mark.parametrize("stop", ["\x03", "\x1a"], ids=["ctrl-c", "ctrl-z"])
def test_windows_ctrl_c_and_ctrl_z_stop_at_the_hidden_prompt(stop: str) -> None:
    keys, _, shown = windows_keys(f"secret{stop}more\r")
    with pytest.raises(KeyboardInterrupt) as raised:
        keys.read_hidden("Password: ")
    assert "secret" not in repr(raised.value) and "secret" not in "".join(shown)
    assert shown[-1] == "\r\n", "the next message would start on the prompt's line"


def test_windows_typeahead_is_discarded_up_to_the_next_question() -> None:
    keys, fake, _ = windows_keys("yy\xe0Pn")
    keys.discard_typeahead()
    assert fake.typed == []


def test_windows_key_input_reads_one_key_without_enter_and_lowercases() -> None:
    fake = FakeMsvcrt("Y\xe0Mq")
    keys = KeyInput(quiet_console(), WindowsKeys(fake, lambda _: None), is_terminal=True)
    assert [keys.key("? "), keys.key("? "), keys.key("? ")] == ["y", RIGHT, "q"]


def test_windows_hidden_password_prompt_of_password_check_stops_on_ctrl_z() -> None:
    keys, _, _ = windows_keys("abc\x1a")
    with pytest.raises(KeyboardInterrupt):
        read_hidden_secret("Password to check", "password", keys)


def test_windows_hidden_password_prompt_of_password_check_wraps_the_secret() -> None:
    keys, _, shown = windows_keys("Summer2024!\r")
    secret = read_hidden_secret("Password to check", "password", keys)
    assert repr(secret) == "Secret(***)"
    assert secret.reveal() == "Summer2024!"
    assert shown[0] == "Password to check: "


def test_key_input_asks_the_source_to_drop_typeahead_only_on_a_terminal() -> None:
    fake = FakeMsvcrt("yy")
    on_pipe = KeyInput(quiet_console(), WindowsKeys(fake, lambda _: None), is_terminal=False)
    on_pipe.discard_typeahead()
    assert fake.typed == ["y", "y"]
    on_terminal = KeyInput(quiet_console(), WindowsKeys(fake, lambda _: None), is_terminal=True)
    on_terminal.discard_typeahead()
    assert fake.typed == []


def test_named_keys_are_named_back_in_words_never_as_control_bytes() -> None:
    assert shown_key(ENTER) == "Enter"
    assert shown_key(PAGE_DOWN) == "Page Down"
    assert shown_key("x") == "'x'"
    assert shown_key("\x01") == "That key"


# POSIX, on a real pseudo-terminal ---------------------------------------------------------------


@pytest.fixture
def terminal() -> Iterator[tuple[PosixKeys, int]]:
    """PosixKeys reading the far end of a pseudo-terminal; the test types into `master`."""
    if sys.platform == "win32":  # pragma: no cover - POSIX only
        pytest.skip("no pseudo-terminals on Windows")
    import tty

    master, slave = os.openpty()
    tty.setcbreak(slave)  # keys arrive while nutsec waits for one
    try:
        yield PosixKeys(slave), master
    finally:
        os.close(master)
        os.close(slave)


POSIX_SPECIAL_KEYS = [
    (b"\x1b[A", UP),
    (b"\x1b[B", DOWN),
    (b"\x1b[C", RIGHT),
    (b"\x1b[D", LEFT),
    (b"\x1bOA", UP),  # "application" cursor mode
    (b"\x1b[1;5D", LEFT),  # Ctrl+Left
    (b"\x1b[5~", PAGE_UP),
    (b"\x1b[6~", PAGE_DOWN),
    (b"\x1b[H", HOME),
    (b"\x1b[4~", END),
    (b"\x1b[3~", DELETE),
    (b"\x1b[15~", UNKNOWN_KEY),  # F5
    (b"\x1b", ESCAPE),
    (b"\r", ENTER),
    (b"\x7f", BACKSPACE),
    (b"\t", TAB),
]


@pytest.mark.parametrize(("typed", "named"), POSIX_SPECIAL_KEYS)
def test_posix_special_keys_come_back_by_name(
    terminal: tuple[PosixKeys, int], typed: bytes, named: str
) -> None:
    keys, master = terminal
    os.write(master, typed + b"y")
    assert keys.read_key() == named
    assert keys.read_key() == "y", "a special key left part of itself, or ate the next key"


def test_posix_a_letter_beyond_ascii_is_one_key(terminal: tuple[PosixKeys, int]) -> None:
    keys, master = terminal
    os.write(master, "éy".encode())
    assert [keys.read_key(), keys.read_key()] == ["é", "y"]


def test_posix_ctrl_d_stops_like_ctrl_c_at_a_single_key(terminal: tuple[PosixKeys, int]) -> None:
    keys, master = terminal
    os.write(master, b"\x04")
    with pytest.raises(KeyboardInterrupt):
        keys.read_key()


def test_posix_ctrl_d_typed_ahead_still_stops(terminal: tuple[PosixKeys, int]) -> None:
    import termios

    keys, master = terminal
    reading_lines = termios.tcgetattr(keys.fd)
    reading_lines[3] |= termios.ICANON
    termios.tcsetattr(keys.fd, termios.TCSANOW, reading_lines)
    os.write(master, b"\x04")  # typed while nutsec was busy, the terminal reading lines
    with pytest.raises(KeyboardInterrupt):
        keys.read_key()


def test_posix_typeahead_is_discarded(terminal: tuple[PosixKeys, int]) -> None:
    keys, master = terminal
    os.write(master, b"\x1b[6~yyn")
    assert keys.read_key() == PAGE_DOWN
    keys.discard_typeahead()
    os.write(master, b"q")
    assert keys.read_key() == "q"


def test_posix_terminal_settings_are_restored_after_a_key(terminal: tuple[PosixKeys, int]) -> None:
    import termios

    keys, master = terminal
    before = termios.tcgetattr(keys.fd)
    os.write(master, b"y")
    keys.read_key()
    assert termios.tcgetattr(keys.fd) == before


def typed_later(master: int, data: bytes) -> threading.Thread:
    """Type `data` a moment from now, once nutsec has set the terminal up for hidden entry."""

    def type_it() -> None:
        time.sleep(0.2)
        os.write(master, data)

    thread = threading.Thread(target=type_it)
    thread.start()
    return thread


def echoed(master: int) -> bytes:
    """What the terminal echoed back to the screen so far."""
    import select

    out = b""
    while select.select([master], [], [], 0.1)[0]:
        out += os.read(master, 1024)
    return out


@pytest.fixture
def echoing_terminal(terminal: tuple[PosixKeys, int]) -> tuple[PosixKeys, int, list[str]]:
    """A terminal as a shell leaves it: reading lines and echoing what is typed."""
    import termios

    keys, master = terminal
    attrs = termios.tcgetattr(keys.fd)
    attrs[3] |= termios.ICANON | termios.ECHO
    termios.tcsetattr(keys.fd, termios.TCSANOW, attrs)
    shown: list[str] = []
    return PosixKeys(keys.fd, shown.append), master, shown


def test_posix_hidden_entry_echoes_nothing_and_honours_backspace(
    echoing_terminal: tuple[PosixKeys, int, list[str]],
) -> None:
    import termios

    keys, master, shown = echoing_terminal
    before = termios.tcgetattr(keys.fd)
    thread = typed_later(master, "Tw1\x1b[Dttx\x7fré!\r".encode())
    assert keys.read_hidden("Password: ") == "Tw1ttré!"
    thread.join()
    assert b"Tw1" not in echoed(master), "the hidden entry echoed what was typed"
    assert shown == ["Password: ", "\n"]
    assert termios.tcgetattr(keys.fd) == before, "the terminal was left without echo"


def test_posix_ctrl_d_stops_the_hidden_entry_even_after_some_typing(
    echoing_terminal: tuple[PosixKeys, int, list[str]],
) -> None:
    keys, master, shown = echoing_terminal
    thread = typed_later(master, b"secret\x04more\r")
    with pytest.raises(KeyboardInterrupt) as raised:
        keys.read_hidden("Password: ")
    thread.join()
    assert "secret" not in repr(raised.value)
    assert shown[-1] == "\n"


def test_posix_hidden_entry_that_is_not_text_is_dropped_unquoted(
    echoing_terminal: tuple[PosixKeys, int, list[str]],
) -> None:
    keys, master, _ = echoing_terminal
    thread = typed_later(master, b"pass\xffword\r")
    with pytest.raises(UnicodeError) as raised:
        keys.read_hidden("Password: ")
    thread.join()
    assert "pass" not in str(raised.value)
    assert raised.value.__context__ is None, "the typed bytes travel with the error"


# No POSIX-only module at import time ------------------------------------------------------------

BLOCKER = '''
import sys

class NoPosixTerminal:
    """As on Windows: these modules do not exist."""

    def find_spec(self, name, path=None, target=None):
        if name in ("termios", "tty", "fcntl"):
            raise ImportError(f"No module named {name!r} (blocked for the test)")
        return None

sys.meta_path.insert(0, NoPosixTerminal())
'''

IMPORT_EVERYTHING = """
import importlib, pkgutil, sys
import nutsec
names = [m.name for m in pkgutil.walk_packages(nutsec.__path__, "nutsec.")]
for name in names:
    importlib.import_module(name)
for blocked in ("termios", "tty", "fcntl"):
    assert blocked not in sys.modules, blocked
    try:
        importlib.import_module(blocked)
    except ImportError:
        pass
    else:
        raise SystemExit(f"{blocked} was not blocked")
from nutsec.cli import app
from typer.testing import CliRunner
result = CliRunner().invoke(app, ["--help"])
assert result.exit_code == 0, result.output
print(len(names), "modules")
"""


def test_every_module_imports_without_termios_tty_and_fcntl(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(textwrap.dedent(BLOCKER), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[0]) > 50, done.stdout


def quiet_console() -> Console:
    return Console(file=io.StringIO(), width=80)
