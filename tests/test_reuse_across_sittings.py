"""Promise 2 across a stop: a password checked after Ctrl-C and --resume is compared with those
checked before it (the history key in a safe keyring), and without a safe keyring the two are
"not checked" for reuse, never "unique" (promise 3). Driven in a real pseudo-terminal.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DOCS, toml_block
from tests.memory_keyring import keyring_env
from tests.test_audit_interactive import NUTSEC, Audit

FIRST, SECOND = "Summer2024!", "Summer2025!"
UNSAFE = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


@pytest.fixture
def checklist(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(toml_block(DOCS / "checklist-format.md"), encoding="utf-8")
    return path


def add_phone_and_union_twitter(audit: Audit) -> None:
    """The inventory both tests start with: an Android phone, then the Union Twitter account."""
    audit.key("a")
    audit.line("Work phone", "Name of the device")
    audit.key("a")
    audit.key("c")
    audit.key("a")
    audit.line("Union Twitter", "Name of the account")
    audit.line("2", "Type a number")
    audit.line("sam_rep", "Your user name")


def two_sittings(data: Path, checklist: Path, keyring: dict[str, str]) -> tuple[str, str]:
    """Check FIRST on Union Twitter, Ctrl-C at Mail's password, resume, check SECOND on Mail,
    finish. Returns what each sitting showed."""
    audit = Audit(data, "--checklist", str(checklist), keyring=keyring)
    add_phone_and_union_twitter(audit)
    audit.key("a")
    audit.line("Mail", "Name of the account")
    audit.line("1", "Type a number")
    audit.key("e", "Who runs")  # the e-mail provider: not sure
    audit.line("", "Your user name")
    audit.key("c")
    audit.key("y")  # check Union Twitter's password
    audit.line(FIRST, "Password (hidden")
    audit.child.expect_exact("Mail (E-mail)")  # Mail's password step is on screen
    audit.child.expect_exact("Your choice: ")
    audit.child.sendintr()
    assert audit.end() == 130
    first = audit.screen

    again = Audit(data, "--resume", "latest", keyring=keyring)
    again.child.expect_exact("Welcome back")
    again.key("y")  # check Mail's password
    again.line(SECOND, "Password (hidden")
    if keyring is UNSAFE:  # not compared with Union Twitter's: nutsec offers to take it again
        again.key("n", "Type them again now?")
    for _ in range(4):  # screen lock, two-step for both, Mail's recovery details
        again.key("y")
    assert again.end() == 0
    return first, again.screen


def json_report(data: Path) -> dict[str, Any]:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data)}
    done = subprocess.run(
        [NUTSEC, "report", "latest", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def reuse_items(report: dict[str, Any]) -> dict[str, str]:
    return {i["subject"]: i["status"] for i in report["items"] if i["id"] == "password.reused"}


def passwords(report: dict[str, Any]) -> dict[str, Any]:
    return {a["name"]: a["password"] for a in report["accounts"]}


def assert_nothing_secret_kept(data: Path, *shown: str) -> None:
    stored = b"".join(p.read_bytes() for p in data.iterdir() if p.is_file())
    for password in (FIRST, SECOND):
        digest = hashlib.sha1(password.encode()).hexdigest()  # noqa: S324 (what HIBP uses)
        for needle in (password, digest, digest.upper()):
            assert needle.encode() not in stored, "a password or its hash reached the database"
            for screen in shown:
                assert needle not in screen, "a password or its hash was shown"


def test_a_password_checked_after_a_resume_is_compared_with_one_checked_before(
    private_data_dir: Path, checklist: Path
) -> None:
    first, second = two_sittings(private_data_dir, checklist, keyring_env(private_data_dir))
    assert "Very like the password on Union Twitter." in second
    assert "keyring is not safe" not in first + second
    report = json_report(private_data_dir)
    found = passwords(report)
    assert found["Union Twitter"]["similar_to"] == ["Mail"]
    assert found["Mail"]["similar_to"] == ["Union Twitter"]
    assert found["Mail"]["reuse"] == {"status": "checked", "reason": None}
    assert reuse_items(report) == {"Union Twitter": "fail", "Mail": "fail"}
    assert_nothing_secret_kept(private_data_dir, first, second)


def test_without_a_safe_keyring_passwords_of_two_sittings_are_not_checked_for_reuse(
    private_data_dir: Path, checklist: Path
) -> None:
    first, second = two_sittings(private_data_dir, checklist, UNSAFE)
    for screen in (first, second):
        told = " ".join(screen.split())
        assert told.count("on this computer it cannot safely remember anything") == 1, "told once"
        assert (
            "Nothing is wrong with your computer" in told
            and "ask you to type these passwords again" in told
        )
        assert "Why, and what you can do about it: 'nutsec config keyring-status'." in told
        assert "keyring is not safe" not in told  # no alarm beside "nothing is wrong"
    assert "Not compared with the passwords checked before you stopped" in " ".join(second.split())
    report = json_report(private_data_dir)
    found = passwords(report)
    for name, other in (("Union Twitter", "Mail"), ("Mail", "Union Twitter")):
        assert found[name]["similar_to"] == [] and found[name]["reused_with"] == []
        assert found[name]["reuse"]["status"] == "unknown"
        assert f"not compared with {other}" in found[name]["reuse"]["reason"]
    assert reuse_items(report) == {"Union Twitter": "unknown", "Mail": "unknown"}
    assert_nothing_secret_kept(private_data_dir, first, second)


ANSWERS = """
[[accounts]]
name = "Union Twitter"
platform = "twitter"
password = "{password}"
"""


def scripted(data: Path, checklist: Path, password: str, keyring: dict[str, str]) -> None:
    path = checklist.parent / "answers.toml"
    path.write_text(ANSWERS.format(password=password), encoding="utf-8")
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1", **keyring}
    done = subprocess.run(
        [
            NUTSEC,
            "audit",
            "--answers",
            str(path),
            "--offline",
            "--checklist",
            str(checklist),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    path.unlink()
    assert done.returncode == 0, done.stderr


def test_a_new_audit_says_the_password_is_still_the_one_of_an_earlier_audit(
    private_data_dir: Path, checklist: Path
) -> None:
    ring = keyring_env(private_data_dir)
    scripted(private_data_dir, checklist, FIRST, ring)
    first_day = json_report(private_data_dir)["created_at"][:10]
    scripted(private_data_dir, checklist, FIRST, ring)
    assert passwords(json_report(private_data_dir))["Union Twitter"]["unchanged_since"] == first_day

    # The interactive audit says so at the password step.
    audit = Audit(private_data_dir, "--checklist", str(checklist), keyring=ring)
    add_phone_and_union_twitter(audit)
    audit.key("c")
    audit.key("y")
    audit.line(FIRST, "Password (hidden")
    audit.child.expect_exact("Still the same password as in your audit of")
    audit.key("q")
    assert audit.end() == 0

    scripted(private_data_dir, checklist, SECOND, ring)  # changed: no longer "unchanged"
    assert passwords(json_report(private_data_dir))["Union Twitter"]["unchanged_since"] is None


def test_a_scripted_audit_without_a_safe_keyring_says_what_it_cannot_tell(
    private_data_dir: Path, tmp_path: Path, checklist: Path
) -> None:
    path = tmp_path / "answers.toml"
    path.write_text(ANSWERS.format(password=FIRST), encoding="utf-8")
    env = {**os.environ, "NUTSEC_DATA_DIR": str(private_data_dir), "NO_COLOR": "1", **UNSAFE}
    done = subprocess.run(
        [NUTSEC, "audit", "--answers", str(path), "--offline", "--checklist", str(checklist)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stderr.split())
    assert "Note: your system keyring is not safe, so nutsec cannot tell whether" in said
    assert said.count("keyring is not safe") == 1


@pytest.mark.parametrize(("answer", "deleted"), [("y", True), ("n", False)])
def test_forget_on_a_terminal_asks_first_and_says_what_it_deleted(
    private_data_dir: Path, checklist: Path, answer: str, deleted: bool
) -> None:
    import pexpect

    ring = keyring_env(private_data_dir)
    scripted(private_data_dir, checklist, FIRST, ring)
    env = {**os.environ, "NUTSEC_DATA_DIR": str(private_data_dir), "TERM": "dumb", **ring}
    child = pexpect.spawn(
        NUTSEC,
        ["history", "--forget", "--plain"],
        env=env,
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=15,
    )
    child.expect_exact("Delete 1 stored password fingerprint and nutsec's history key")
    child.expect_exact("Your choice: ")
    child.send(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    said = " ".join((child.before or "").split())
    stored = json.loads(Path(ring["NUTSEC_TEST_KEYRING_FILE"]).read_text(encoding="utf-8"))
    if deleted:
        assert "Deleted 1 stored password fingerprint and nutsec's history key" in said
        assert stored == []
    else:
        assert "Nothing was deleted." in said
        assert [row[:2] for row in stored] == [["nutsec", "history-key"]]


def test_an_audit_that_checks_no_password_never_touches_the_keyring(
    private_data_dir: Path, checklist: Path
) -> None:
    ring = keyring_env(private_data_dir)
    audit = Audit(private_data_dir, "--checklist", str(checklist), keyring=ring)
    audit.key("a")
    audit.line("Mail", "Name of the device")
    audit.key("a")
    audit.key("c")
    audit.key("a")
    audit.line("Mail", "Name of the account")
    audit.line("1", "Type a number")
    audit.key("e", "Who runs")  # the e-mail provider: not sure
    audit.line("", "Your user name")
    audit.key("c")
    audit.key("n")  # not Mail's password
    audit.key("q")
    assert audit.end() == 0
    assert "keyring" not in audit.screen
    assert not Path(ring["NUTSEC_TEST_KEYRING_FILE"]).exists(), "a history key was made"
