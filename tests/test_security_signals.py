"""Issue 22: SIGTERM (`kill`) and SIGHUP (the terminal window closed) at any interactive prompt
stop like Ctrl-C: the answers are saved (with --no-save, nothing is kept), the terminal is
given back with echo on, "Stopped" is said, and the exit code is 130. The installed `nutsec`
in a real pseudo-terminal; the window is "closed" by closing the terminal's own end, so the
system itself sends the SIGHUP."""

from __future__ import annotations

import os
import signal
import sqlite3
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from nutsec.store.sqlite import STORE_FILE
from tests.conftest import DOCS, toml_block
from tests.test_stop_keys import (
    CHOICE,
    answers,
    at_a_line,
    at_a_question,
    at_the_password,
    spawn,
)

REACH = [at_a_question, at_a_line, at_the_password]
REACH_IDS = ["single-key", "line", "hidden-password"]


@pytest.fixture
def tiny_checklist(tmp_path: Path) -> Path:
    checklist = tmp_path / "tiny.toml"
    checklist.write_text(toml_block(DOCS / "checklist-format.md"), encoding="utf-8")
    return checklist


def _signalled(child: pexpect.spawn, number: int) -> tuple[int, bool]:
    """Send `number` once the prompt is waiting; the exit code and whether echo is on after."""
    time.sleep(0.3)  # the prompt has set the terminal up and is reading
    os.kill(child.pid, number)
    child.expect(pexpect.EOF)
    # The terminal's settings, read from our end of it once nutsec has ended.
    echo = bool(termios.tcgetattr(child.child_fd)[3] & termios.ECHO)
    child.close()
    return (child.exitstatus if child.exitstatus is not None else -1), echo


def _window_closed(child: pexpect.spawn) -> int:
    """Close the terminal as its window would: the system sends SIGHUP. The exit code."""
    time.sleep(0.3)
    child.ptyproc.fileobj.close()
    deadline = time.monotonic() + 15
    while child.ptyproc.isalive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not child.ptyproc.isalive(), "nutsec kept running after its terminal closed"
    status = child.ptyproc.exitstatus
    return status if status is not None else -(child.ptyproc.signalstatus or 1)


@pytest.mark.parametrize("reach", REACH, ids=REACH_IDS)
def test_sigterm_at_any_audit_prompt_stops_like_ctrl_c_and_gives_the_terminal_back(
    reach: Callable[[pexpect.spawn], None], private_data_dir: Path, tiny_checklist: Path
) -> None:
    child, log = spawn(
        private_data_dir, "audit", "--plain", "--offline", "--checklist", str(tiny_checklist)
    )
    reach(child)
    status, echo = _signalled(child, signal.SIGTERM)
    screen = log.getvalue()
    assert status == 130, screen[-600:]
    assert echo, "the terminal was left with echo off"
    assert "Stopped. Your answers so far are saved" in screen
    assert "Traceback" not in screen
    answers(private_data_dir)  # the audit is there, unfinished, to resume
    with sqlite3.connect(private_data_dir / STORE_FILE) as db:
        devices = db.execute("SELECT name FROM devices").fetchall()
    db.close()
    assert devices == ([] if reach is at_a_line else [("Work phone",)])


def test_sigterm_at_the_hidden_prompt_of_password_check_exits_130_with_echo_on(
    private_data_dir: Path,
) -> None:
    child, log = spawn(private_data_dir, "password", "check", "--offline", "--plain")
    child.expect_exact("Password to check")
    status, echo = _signalled(child, signal.SIGTERM)
    assert status == 130
    assert echo, "the terminal was left with echo off"
    assert "Stopped." in log.getvalue() and "Traceback" not in log.getvalue()


def test_sighup_at_an_audit_prompt_keeps_the_answers_like_ctrl_c(
    private_data_dir: Path, tiny_checklist: Path
) -> None:
    child, log = spawn(
        private_data_dir, "audit", "--plain", "--offline", "--checklist", str(tiny_checklist)
    )
    at_a_question(child)
    assert _window_closed(child) == 130, log.getvalue()[-600:]
    with sqlite3.connect(private_data_dir / STORE_FILE) as db:
        devices = db.execute("SELECT name FROM devices").fetchall()
    db.close()
    assert devices == [("Work phone",)]


@pytest.mark.parametrize("reach", REACH, ids=REACH_IDS)
def test_audit_no_save_keeps_nothing_on_disk_when_the_terminal_is_closed(
    reach: Callable[[pexpect.spawn], None], private_data_dir: Path, tiny_checklist: Path
) -> None:
    args = ["audit", "--plain", "--offline", "--no-save", "--checklist", str(tiny_checklist)]
    child, log = spawn(private_data_dir, *args)
    reach(child)
    assert _window_closed(child) == 130, log.getvalue()[-600:]
    with sqlite3.connect(private_data_dir / STORE_FILE) as db:
        kept = {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("audits", "devices", "accounts", "answers")
        }
    db.close()
    assert kept == {"audits": 0, "devices": 0, "accounts": 0, "answers": 0}
    assert not list(private_data_dir.glob("audit-*.lock"))


def test_sigterm_in_the_lost_device_runbook_exits_130(private_data_dir: Path) -> None:
    child, log = spawn(private_data_dir, "lost-device", "--plain")
    child.expect_exact(CHOICE)
    child.send("d")  # one step ticked
    child.expect_exact(CHOICE)
    status, echo = _signalled(child, signal.SIGTERM)
    assert status == 130 and echo
    assert "Every step you ticked is saved" in log.getvalue()
