"""Issue 22: what is typed into a name at a terminal is echoed by nutsec itself, never raw by the
terminal: bidi overrides and isolates, C1 controls (U+009B is CSI on many terminals) and C0
controls are neither shown nor kept."""

from __future__ import annotations

import os
import tty
from pathlib import Path

import pexpect

from nutsec.cli.keys import PosixKeys
from nutsec.store.sqlite import open_store
from tests.conftest import DOCS, toml_block
from tests.test_stop_keys import CHOICE, at_a_line, spawn

#: A bidi override (shows what follows backwards), a C1 CSI (U+009B: "ESC [" on many terminals)
#: with a colour code after it, a bidi isolate, and C0 controls (BEL, ESC).
HOSTILE_NAME = "Work\u202e enohp\u009b31m\u2066\x07\x1b[2J!"
UNSAFE_ON_SCREEN = ("\u202e", "\u009b", "\u2066", "\x07", "\x1b[2J")


def test_bidi_overrides_and_c1_controls_typed_into_a_name_are_not_echoed_raw(
    private_data_dir: Path, tmp_path: Path
) -> None:
    checklist = tmp_path / "tiny.toml"
    checklist.write_text(toml_block(DOCS / "checklist-format.md"), encoding="utf-8")
    child, log = spawn(
        private_data_dir, "audit", "--plain", "--offline", "--checklist", str(checklist)
    )
    at_a_line(child)
    log.truncate(0)
    log.seek(0)
    child.send(HOSTILE_NAME)
    child.send("\x7f")  # Backspace takes the "!" back off the screen
    child.send("\r")
    child.expect_exact(CHOICE)
    echoed = log.getvalue()
    child.send("p")  # a phone
    child.expect_exact(CHOICE)
    child.send("c")  # continue: the inventory is saved
    child.expect_exact(CHOICE)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    for unsafe in UNSAFE_ON_SCREEN:
        assert unsafe not in echoed, f"{unsafe!r} was echoed raw while typing"
    assert "Work enohp31m!\b \b" in echoed  # the safe characters, as typed, and the Backspace
    with open_store(private_data_dir) as store:
        [device] = store.load(store.resolve("latest", finished=None)).devices
    assert device.name == "Work enohp31m"


def test_a_line_at_a_terminal_keeps_and_echoes_only_safe_characters() -> None:
    master, slave = os.openpty()
    shown: list[str] = []
    try:
        tty.setcbreak(slave)  # as while nutsec waits: the terminal leaves editing keys to it
        keys = PosixKeys(slave, shown.append)
        os.write(master, "Sam\u202eé\u009b\x15Bob\u200bé\x1b[D\x7fs\r".encode())
        assert keys.read_line() == "Bob\u200bs"
    finally:
        os.close(master)
        os.close(slave)
    echoed = "".join(shown)
    assert "\u202e" not in echoed and "\u009b" not in echoed and "\x1b" not in echoed
    assert echoed == "Samé" + "\b \b" * 4 + "Bob\u200bé\b \bs\n"


def test_a_line_at_the_windows_console_keeps_and_echoes_only_safe_characters() -> None:
    from tests.test_keys import windows_keys

    keys, _, shown = windows_keys("Ann\u202e\u009bx\x08e\r")
    assert keys.read_line() == "Anne"
    assert "".join(shown) == "Annx\b \be\n"
