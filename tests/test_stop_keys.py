"""Ctrl-D stops like Ctrl-C at every kind of prompt of the installed `nutsec`, in a real
pseudo-terminal: a single key, a line, the hidden password entry. The answers given so far are
saved, the exit code is 130, and no traceback or "Aborted!" is shown."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest

from nutsec.store.sqlite import open_store
from tests.conftest import DOCS, toml_block

NUTSEC = str(Path(sys.executable).parent / "nutsec")
CHOICE = "Your choice: "


def spawn(data: Path, *args: str) -> tuple[pexpect.spawn, io.StringIO]:
    log = io.StringIO()
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "TERM": "dumb"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        NUTSEC, list(args), env=env, encoding="utf-8", dimensions=(24, 80), timeout=15
    )
    child.logfile_read = log
    return child, log


def ended(child: pexpect.spawn, log: io.StringIO) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1), log.getvalue()


def answers(data: Path) -> dict[tuple[str, str | None], str]:
    with open_store(data) as store:
        return dict(store.load(store.resolve("latest", finished=None)).answers)


def at_a_question(child: pexpect.spawn) -> None:
    """Through the inventory (one phone, no accounts) to the phone's screen-lock question."""
    child.expect_exact(CHOICE)
    child.send("a")
    child.expect_exact("Name of the device")
    child.sendline("Work phone")
    child.expect_exact(CHOICE)
    child.send("p")
    child.expect_exact(CHOICE)
    child.send("c")


def at_a_line(child: pexpect.spawn) -> None:
    child.expect_exact(CHOICE)
    child.send("a")
    child.expect_exact("Name of the device")


def at_the_password(child: pexpect.spawn) -> None:
    at_a_question(child)
    child.expect_exact(CHOICE)
    child.send("a")
    child.expect_exact("Name of the account")
    child.sendline("Mail")
    child.expect_exact("Type a number")
    child.sendline("1")
    child.expect_exact("Your user name")
    child.sendline("")
    child.expect_exact(CHOICE)
    child.send("c")
    child.expect_exact(CHOICE)
    child.send("y")
    child.expect_exact("Password (hidden")


@pytest.mark.parametrize(
    "reach",
    [at_a_question, at_a_line, at_the_password],
    ids=["single-key", "line", "hidden-password"],
)
def test_ctrl_d_at_any_audit_prompt_stops_like_ctrl_c_and_keeps_the_answers(
    reach: Callable[[pexpect.spawn], None], private_data_dir: Path, tmp_path: Path
) -> None:
    checklist = tmp_path / "tiny.toml"
    checklist.write_text(toml_block(DOCS / "checklist-format.md"), encoding="utf-8")
    args = ["audit", "--plain", "--offline", "--checklist", str(checklist)]
    child, log = spawn(private_data_dir, *args)
    reach(child)
    child.sendcontrol("d")
    status, screen = ended(child, log)
    assert status == 130, screen[-600:]
    assert "Your answers so far are saved" in screen
    assert "nutsec audit --resume 1" in screen
    assert "Traceback" not in screen and "Aborted" not in screen
    if reach is at_the_password:
        assert answers(private_data_dir) == {}  # nothing answered yet, but the inventory is kept


def test_ctrl_d_at_the_hidden_prompt_of_password_check_exits_130(private_data_dir: Path) -> None:
    child, log = spawn(private_data_dir, "password", "check", "--offline", "--plain")
    child.expect_exact("Password to check")
    child.sendcontrol("d")
    status, screen = ended(child, log)
    assert status == 130
    assert "Stopped." in screen
    assert "Traceback" not in screen and "Aborted" not in screen


def test_ctrl_d_in_the_lost_device_runbook_exits_130(private_data_dir: Path) -> None:
    child, log = spawn(private_data_dir, "lost-device", "--plain")
    child.expect_exact(CHOICE)
    child.send("d")  # one step ticked
    child.expect_exact(CHOICE)
    child.sendcontrol("d")
    status, screen = ended(child, log)
    assert status == 130
    assert "Every step you ticked is saved" in screen
    assert "Traceback" not in screen
