"""Issue 18 in a real 80x24 pseudo-terminal, for Pat's inventory (an Android phone, a Windows
laptop, a school e-mail, X and Facebook): the essentials first, a password checkable at any time,
and passwords compared across a Ctrl-C when no keyring can keep nutsec's key.

The breach look-ups go to a range server on 127.0.0.1 started by the test (tests/loopback.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nutsec.audit.outcomes import asked_questions
from nutsec.audit.walk import CHECK_ANSWERS, ESSENTIALS_LIMIT, essential_keys
from nutsec.audit_data import Account, Device
from nutsec.checklist.catalog import ChecklistCatalog
from nutsec.checklist.model import Severity
from tests.loopback import RangeServer
from tests.test_audit_interactive import CHOICE, NUTSEC, Audit

WORK, X, FACEBOOK = "Summer2024!", "Summer2025!", "kettle ocean violin marmalade"
UNSAFE = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
CHECKLIST = ChecklistCatalog.standard(Path("/nonexistent")).load("nut-social-media")
DEVICES = (Device("Phone", "phone", "android"), Device("Laptop", "laptop", "windows"))
ACCOUNTS = (
    Account("Work e-mail", "email", "", "work"),
    Account("X", "twitter", ""),
    Account("Facebook", "facebook", ""),
)
QUESTION = re.compile(r"Question (\d+) of (\d+) - ([^\r\n]*)")


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with RangeServer() as running:
        running.add_password(WORK, 1200)
        yield running


def pat(
    data: Path, server: RangeServer, *args: str, keyring: dict[str, str] | None = None
) -> Audit:
    return Audit(data, "--hibp-url", server.url, *args, rows=24, keyring=keyring, offline=False)


def inventory(audit: Audit) -> None:
    audit.key("a")
    audit.line("Phone", "Name of the device")
    audit.key("a")
    audit.key("a")
    audit.line("Laptop", "Name of the device")
    audit.key("w")
    audit.key("c")
    audit.key("a")
    audit.line("Work e-mail", "Name of the account")
    audit.line("1", "Type a number")
    audit.key("w", "Who runs this e-mail account?")
    audit.line("", "Your user name")
    audit.key("a")
    audit.line("X", "Name of the account")
    audit.line("2", "Type a number")
    audit.line("", "Your user name")
    audit.key("a")
    audit.line("Facebook", "Name of the account")
    audit.line("3", "Type a number")
    audit.line("", "Your user name")
    audit.key("c")


def password(audit: Audit, secret: str | None) -> None:
    """At a password step: check `secret`, or "not now" with None."""
    if secret is None:
        audit.key("n")
        return
    audit.key("y")
    audit.line(secret, "Password (hidden")


def first_answer(before: str) -> str:
    """The first answer key on a question's menu ("  y  Yes, ...")."""
    keys = re.findall(r"^  (\w)  \S", before, flags=re.MULTILINE)
    assert keys, before
    return keys[0]


def answer_until_break(audit: Audit, stop_after: int | None = None) -> list[str]:
    """Answer each question with its first answer until the break; the questions' headers."""
    asked: list[str] = []
    while True:
        found = audit.child.expect([QUESTION, "more questions?, about"])
        if found == 1:
            return asked
        asked.append(audit.child.match.group(0))
        if stop_after is not None and len(asked) > stop_after:
            return asked
        audit.child.expect_exact(CHOICE)
        audit.child.send(first_answer(audit.child.before))


def test_the_first_sitting_asks_the_essentials_then_gives_the_score(
    tmp_path: Path, server: RangeServer
) -> None:
    audit = pat(tmp_path, server)
    audit.child.expect_exact("The first sitting takes about 20 to 25 minutes")
    inventory(audit)
    for secret in (WORK, X, FACEBOOK):
        password(audit, secret)
    asked = answer_until_break(audit)
    audit.key("a")  # another day
    assert audit.end() == 0
    screen = audit.screen

    # At most 20 questions, and every critical and high item that applies among them (those a
    # password check answered were not asked: the checks answered them).
    assert len(asked) <= ESSENTIALS_LIMIT
    assert {int(QUESTION.match(h).group(2)) for h in asked} == {len(asked)}  # type: ignore[union-attr]
    chosen = essential_keys(CHECKLIST, DEVICES, ACCOUNTS)
    important = [
        q
        for q in asked_questions(CHECKLIST, DEVICES, ACCOUNTS, {})
        if q.item.severity in (Severity.CRITICAL, Severity.HIGH)
    ]
    assert [q.key for q in important if q.key not in chosen] == []
    assert len(asked) == len([q for q in important if q.item.id not in CHECK_ANSWERS])
    # The score, plainly the essentials', the three things to do and the rest for another day.
    assert "Your essentials score:" in screen
    assert f"It covers the {len(asked)} questions that matter most, and the" in " ".join(
        screen.split()
    )
    assert "Start with these:" in screen
    assert "1. Change Work e-mail's password: it is in known breaches 1,200 times" in screen
    more = re.search(r"(\d+) more questions, about (\d+) minutes: carry on now, or another", screen)
    assert more is not None
    assert "nutsec audit --resume 1" in screen
    for secret in (WORK, X, FACEBOOK):
        assert secret not in screen
    print(f"essentials: {len(asked)} questions; then {more.group(1)} more")  # the closing note

    # The report and history say it is the essentials' score, with the questions to come.
    report = json_report(tmp_path, "1")
    assert report["score"]["scored"] is True
    assert report["questions_to_come"] == int(more.group(1))
    history = run_nutsec(tmp_path, "history", "--plain")
    assert "essentials" in history


def test_a_password_left_for_later_is_offered_again_and_can_be_checked_at_its_question(
    tmp_path: Path, server: RangeServer
) -> None:
    audit = pat(tmp_path, server)
    inventory(audit)
    password(audit, WORK)
    password(audit, None)  # X: not now
    password(audit, FACEBOOK)
    answer_until_break(audit, stop_after=2)
    audit.child.sendintr()
    assert audit.end() == 130

    again = pat(tmp_path, server, "--resume", "latest")
    again.child.expect_exact("Welcome back")
    again.child.expect_exact("You have not checked this account's password yet")
    again.key("n")  # still not now
    # X's questions that a check answers offer c, and c checks it there.
    while True:
        again.child.expect(QUESTION)
        where = again.child.match.group(3)
        again.child.expect_exact(CHOICE)
        if where.startswith("X") and "c check it now" in again.child.before:
            break
        assert "c check it now" not in again.child.before  # only where a check answers
        again.child.send(first_answer(again.child.before))
    again.child.send("c")
    again.line(X, "Password (hidden")
    again.child.expect_exact("Very like the password on Work e-mail.")
    again.child.expect(QUESTION)
    again.child.sendintr()
    assert again.end() == 130
    assert X not in again.screen


def test_across_a_stop_with_no_safe_keyring_typing_the_earlier_password_again_finds_the_reuse(
    tmp_path: Path, server: RangeServer
) -> None:
    audit = pat(tmp_path, server, keyring=UNSAFE)
    inventory(audit)
    password(audit, WORK)
    password(audit, None)
    password(audit, None)
    audit.child.expect(QUESTION)
    audit.child.sendintr()
    assert audit.end() == 130

    again = pat(tmp_path, server, "--resume", "latest", keyring=UNSAFE)
    again.child.expect_exact("You have not checked this account's password yet")
    password(again, X)
    again.child.expect_exact("could not be compared with Work e-mail")
    again.key("y", "Type them again now?")
    again.line(WORK, "Password (hidden")
    again.child.expect_exact("Compared again, X: very like the password of Work e-mail.")
    again.key("n")  # Facebook: not now
    again.child.expect(QUESTION)
    again.child.sendintr()
    assert again.end() == 130
    for secret in (WORK, X):
        assert secret not in again.screen


def run_nutsec(data: Path, *args: str) -> str:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data)}
    done = subprocess.run(
        [NUTSEC, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def json_report(data: Path, ref: str) -> dict[str, Any]:
    return json.loads(run_nutsec(data, "report", ref, "--format", "json"))  # type: ignore[no-any-return]


def test_html_to_a_terminal_is_refused_with_a_one_line_hint(tmp_path: Path) -> None:
    import pexpect

    answers = tmp_path / "me.toml"
    answers.write_text('[[devices]]\nname = "Phone"\nkind = "phone"\n', encoding="utf-8")
    run_nutsec(tmp_path, "audit", "--answers", str(answers), "--offline")
    env = {**os.environ, "NUTSEC_DATA_DIR": str(tmp_path)}
    child = pexpect.spawn(
        NUTSEC, ["report", "--format", "html"], env=env, encoding="utf-8", dimensions=(24, 80)
    )
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    assert child.exitstatus == 2
    assert "Add -o report.html" in child.before and "<html" not in child.before


def test_a_name_too_long_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    audit = Audit(tmp_path, rows=24)
    audit.key("a")
    audit.line("x" * 160, "Name of the device")
    audit.child.expect_exact("That name is 160 characters long")
    audit.line("Phone", "Name of the device")
    audit.child.expect_exact("  p  iPad")  # each key is a letter of what it names
    audit.child.expect_exact("  a  Android phone")
    audit.key("q", "Your choice: ")
    audit.child.expect_exact("Your choice: ")
    audit.child.sendintr()
    assert audit.end() == 130
