"""The interactive audit in a real pseudo-terminal: single keys, Ctrl-C, a killed process, resume.

Also keeps docs/walkthrough.md honest: its transcript must be what the program prints
(NUTSEC_UPDATE_DOCS=1 rewrites it).
"""

from __future__ import annotations

import io
import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from nutsec.store.sqlite import open_store
from tests.conftest import DOCS, toml_block
from tests.memory_keyring import keyring_env

NUTSEC = str(Path(sys.executable).parent / "nutsec")
CHOICE = "Your choice: "
PASSWORD = "Tw1tt3rUnion!"
WALKTHROUGH = DOCS / "walkthrough.md"


@pytest.fixture
def checklist(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(toml_block(DOCS / "checklist-format.md"), encoding="utf-8")
    return path


class Audit:
    """One `nutsec audit` in a pseudo-terminal, everything it prints kept in `screen`."""

    def __init__(self, data: Path, *args: str, keyring: dict[str, str] | None = None) -> None:
        self.log = io.StringIO()
        env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "TERM": "dumb"}
        # A safe keyring of the test's own, kept beside the data folder (see memory_keyring.py).
        env.update(keyring or keyring_env(data))
        for name in ("NO_COLOR", "COLUMNS", "LINES"):  # the width must come from the terminal
            env.pop(name, None)
        self.child = pexpect.spawn(
            NUTSEC,
            ["audit", "--plain", "--offline", *args],
            env=env,
            encoding="utf-8",
            dimensions=(40, 80),
            timeout=15,
        )
        self.child.logfile_read = self.log

    def key(self, key: str, wait_for: str = CHOICE) -> None:
        self.child.expect_exact(wait_for)
        self.child.send(key)

    def line(self, text: str, wait_for: str) -> None:
        self.child.expect_exact(wait_for)
        self.child.sendline(text)

    def end(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        status = self.child.exitstatus
        return -1 if status is None else int(status)

    @property
    def screen(self) -> str:
        text = self.log.getvalue().replace("\r\n", "\n").replace("\r", "\n")
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
        return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def inventory(audit: Audit) -> None:
    """One phone and two accounts, as a first-time user would type them."""
    audit.key("a")
    audit.line("Work phone", "Name of the device")
    audit.key("p")
    audit.key("c")
    audit.key("a")
    audit.line("Union Twitter", "Name of the account")
    audit.line("2", "Type a number")
    audit.line("sam_rep", "Your user name")
    audit.key("a")
    audit.line("Mail", "Name of the account")
    audit.line("1", "Type a number")
    audit.line("", "Your user name")
    audit.key("c")


def whole_audit(data: Path, checklist: Path) -> Audit:
    audit = Audit(data, "--checklist", str(checklist))
    inventory(audit)
    audit.key("y")  # check Union Twitter's password
    audit.line(PASSWORD, "Password (hidden")
    audit.key("n")  # not Mail's
    audit.key("y")  # Work phone has a screen lock
    audit.key("p")  # Union Twitter: two-step on some sign-ins
    audit.key("?")  # Mail: why does two-step matter?
    audit.key("n")
    audit.key("u")  # Mail recovery details: not sure
    return audit


def saved(data: Path) -> Iterator[tuple[str, object]]:
    with open_store(data) as store:
        audit_id = store.resolve("latest")
        audit = store.load(audit_id)
        yield "position", store.position(audit_id)
        yield "answers", dict(audit.answers)
        yield "devices", [d.name for d in audit.devices]
        yield "accounts", [a.name for a in audit.accounts]
        yield "state", audit.state.value


def test_a_whole_audit_by_single_keys_ends_with_score_and_actions(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    screen = audit.screen
    assert "Section 3 of 4: Your devices  (question 1 of 1)" in screen
    assert "Why it matters: A stolen password alone" in screen
    assert "Your score:" in screen and "Saved as audit 1." in screen
    assert PASSWORD not in screen, "the password was shown"
    state = dict(saved(private_data_dir))
    assert state["state"] == "finished"
    assert state["answers"] == {
        ("device.screen-lock", "Work phone"): "yes",
        ("account.two-factor", "Union Twitter"): "partly",
        ("account.two-factor", "Mail"): "no",
        ("account.email-recovery", "Mail"): "not_sure",
    }
    db = (private_data_dir / "audits.sqlite3").read_bytes()
    assert PASSWORD.encode() not in db, "the password reached the database"


def test_ctrl_c_at_a_question_keeps_answers_and_resume_continues_there(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = Audit(private_data_dir, "--checklist", str(checklist))
    inventory(audit)
    audit.key("n")
    audit.key("n")
    audit.key("y")  # Work phone: screen lock
    audit.child.expect_exact(CHOICE)  # Union Twitter's two-step question is on screen
    audit.child.sendintr()
    assert audit.end() == 130
    assert "nutsec audit --resume 1" in audit.screen
    assert dict(saved(private_data_dir))["answers"] == {("device.screen-lock", "Work phone"): "yes"}

    again = Audit(private_data_dir, "--resume", "latest")
    again.child.expect_exact("Welcome back")
    again.child.expect_exact("(question 1 of 3)")
    again.child.expect_exact("Union Twitter (X (Twitter))")
    again.key("y")
    again.key("b")  # back to Union Twitter: the answer just given is shown
    again.child.expect_exact("Your earlier answer: Yes")
    again.key("q")
    assert again.end() == 0
    state = dict(saved(private_data_dir))
    assert state["position"] == "question:account.two-factor:Union Twitter"
    assert state["answers"] == {
        ("device.screen-lock", "Work phone"): "yes",
        ("account.two-factor", "Union Twitter"): "yes",
    }


def test_a_killed_audit_resumes_at_the_password_step_it_was_on(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = Audit(private_data_dir, "--checklist", str(checklist))
    inventory(audit)
    audit.key("y")
    audit.child.expect_exact("Password (hidden")
    audit.child.kill(signal.SIGKILL)
    audit.child.close(force=True)
    state = dict(saved(private_data_dir))
    assert state["position"] == "password:Union Twitter"
    assert state["accounts"] == ["Union Twitter", "Mail"]

    # A plain `nutsec audit` offers to carry on with it.
    again = Audit(private_data_dir)
    again.key("y", wait_for="with it?")
    again.child.expect_exact("Section 2 of 4: Your passwords  (step 1 of 2)")
    again.child.expect_exact("Union Twitter")
    again.key("q")
    assert again.end() == 0


def test_ctrl_c_during_the_inventory_keeps_the_devices(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = Audit(private_data_dir, "--checklist", str(checklist))
    audit.key("a")
    audit.line("Work phone", "Name of the device")
    audit.key("l")
    audit.key("c")
    audit.child.expect_exact(CHOICE)
    audit.child.sendintr()
    assert audit.end() == 130
    state = dict(saved(private_data_dir))
    assert state["devices"] == ["Work phone"] and state["position"] == "inventory:accounts"


def test_no_save_interactive_leaves_no_audit(private_data_dir: Path, checklist: Path) -> None:
    audit = Audit(private_data_dir, "--checklist", str(checklist), "--no-save")
    audit.key("c")
    audit.key("c")
    assert audit.end() == 0
    assert "Nothing was saved" in audit.screen
    with open_store(private_data_dir) as store:
        assert store.history() == []


def test_the_walkthrough_doc_is_what_the_program_prints(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    transcript = audit.screen
    assert PASSWORD not in transcript
    head, _, rest = WALKTHROUGH.read_text(encoding="utf-8").partition("```text\n")
    documented, _, tail = rest.partition("```\n")
    if os.environ.get("NUTSEC_UPDATE_DOCS") == "1":
        WALKTHROUGH.write_text(f"{head}```text\n{transcript}```\n{tail}", encoding="utf-8")
        documented = transcript
    assert documented == transcript, (
        "docs/walkthrough.md is out of date: run NUTSEC_UPDATE_DOCS=1 pytest "
        "tests/test_audit_interactive.py"
    )
