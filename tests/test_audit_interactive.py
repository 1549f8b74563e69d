"""The interactive audit in a real pseudo-terminal: single keys, Ctrl-C and Ctrl-D, a killed
process, resume and revisit, counts that agree, and screens that fit 80x24.

Also keeps docs/walkthrough.md honest: its transcript must be what the program prints
(NUTSEC_UPDATE_DOCS=1 rewrites it).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pyte
import pytest

from nutsec.audit_data import Account, Device
from nutsec.store.sqlite import open_store
from tests.conftest import DOCS, toml_block
from tests.memory_keyring import keyring_env

NUTSEC = str(Path(sys.executable).parent / "nutsec")
CHOICE = "Your choice: "
PASSWORDS = ("Summer2024!", "Summer2025!")
WALKTHROUGH = DOCS / "walkthrough.md"
TRACEBACK = "Traceback"


@pytest.fixture
def checklist(tmp_path: Path) -> Path:
    """The walkthrough's own example checklist (one person, two device, two account items)."""
    path = tmp_path / "example.toml"
    path.write_text(toml_block(WALKTHROUGH), encoding="utf-8")
    return path


class Audit:
    """One `nutsec audit` in a pseudo-terminal, everything it prints kept in `screen`."""

    def __init__(
        self,
        data: Path,
        *args: str,
        rows: int = 40,
        plain: bool = True,
        keyring: dict[str, str] | None = None,
        offline: bool = True,
    ) -> None:
        self.log = io.StringIO()
        env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "TERM": "dumb"}
        # A safe keyring of the test's own, kept beside the data folder (see memory_keyring.py).
        env.update(keyring or keyring_env(data))
        for name in ("NO_COLOR", "COLUMNS", "LINES"):  # the width must come from the terminal
            env.pop(name, None)
        self.child = pexpect.spawn(
            NUTSEC,
            ["audit", *(["--plain"] if plain else []), *(["--offline"] if offline else []), *args],
            env=env,
            encoding="utf-8",
            dimensions=(rows, 80),
            timeout=8,
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
    def raw(self) -> str:
        return self.log.getvalue()

    @property
    def screen(self) -> str:
        text = self.raw.replace("\r\n", "\n").replace("\r", "\n")
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
        return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def devices(audit: Audit) -> None:
    """An iPhone and a Windows laptop."""
    audit.key("a")
    audit.line("Work phone", "Name of the device")
    audit.key("i")
    audit.key("a")
    audit.line("Laptop", "Name of the device")
    audit.key("w")
    audit.key("c")


def accounts(audit: Audit) -> None:
    """A work e-mail account and a Twitter account."""
    audit.key("a")
    audit.line("Work e-mail", "Name of the account")
    audit.line("1", "Type a number")
    audit.key("w", "Who runs this e-mail account?")
    audit.line("", "Your user name")
    audit.key("a")
    audit.line("Union Twitter", "Name of the account")
    audit.line("2", "Type a number")
    audit.line("sam_rep", "Your user name")
    audit.key("c")


def inventory(audit: Audit) -> None:
    devices(audit)
    accounts(audit)


def whole_audit(data: Path, checklist: Path, *, rows: int = 40) -> Audit:
    audit = Audit(data, "--checklist", str(checklist), rows=rows)
    inventory(audit)
    for password in PASSWORDS:  # both passwords checked: alike, one number apart
        audit.key("y")
        audit.line(password, "Password (hidden")
    audit.key("y")  # About you: goes to the site itself
    audit.key("?")  # Work phone: the iPhone's steps for a screen lock
    audit.key("y")
    audit.key("?")  # Laptop: the Windows steps for the same question
    audit.key("n")
    audit.key("s")  # Laptop: encryption skipped
    audit.key("u")  # Work e-mail: two-step not sure
    audit.key("y")  # Union Twitter: two-step
    return audit


def saved(data: Path) -> Iterator[tuple[str, object]]:
    with open_store(data) as store:
        audit_id = store.resolve("latest")
        audit = store.load(audit_id)
        yield "position", store.position(audit_id)
        yield "answers", dict(audit.answers)
        yield "devices", [(d.name, d.kind, d.system) for d in audit.devices]
        yield "accounts", [(a.name, a.platform, a.provider) for a in audit.accounts]
        yield "state", audit.state.value


def report_json(data: Path) -> dict[str, object]:
    result = subprocess.run(
        [NUTSEC, "report", "latest", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NUTSEC_DATA_DIR": str(data), **keyring_env(data)},
    )
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_a_whole_audit_asks_by_subject_and_does_not_ask_what_nutsec_checked(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    screen = audit.screen
    # "?" gives each device its own steps.
    assert "What to do: Settings > Face ID & Passcode > Turn Passcode On." in screen
    assert "What to do: Settings > Accounts > Sign-in options, then set up a PIN." in screen
    for password in PASSWORDS:
        assert password not in screen, "a password was shown"
    assert screen.count("This check answered") == 2  # once after each password
    assert "Very like the password on Work e-mail." in screen
    # The reuse question is never asked: the check answered it.
    assert "used for this account only" not in screen.split("Your score:")[0]
    headers = re.findall(r"^Question (\d+) of (\d+) - (.*)$", screen, re.MULTILINE)
    assert [h[2] for h in headers] == [
        "About you: Your habits",
        "Work phone (iPhone)",
        "Laptop (Windows laptop)",
        "Laptop (Windows laptop)",
        "Work e-mail",  # named for its kind: the provider label would say it twice
        "Union Twitter – X (Twitter)",
    ]
    state = dict(saved(private_data_dir))
    assert state["state"] == "finished"
    assert state["devices"] == [("Work phone", "phone", "ios"), ("Laptop", "laptop", "windows")]
    assert state["accounts"] == [("Work e-mail", "email", "work"), ("Union Twitter", "twitter", "")]
    db = (private_data_dir / "audits.sqlite3").read_bytes()
    for password in PASSWORDS:
        assert password.encode() not in db, "a password reached the database"
    # The measurement is scored: the near-reuse fails the critical reuse item for both.
    report = report_json(private_data_dir)
    items = {(i["id"], i["subject"]): i["status"] for i in report["items"]}  # type: ignore[attr-defined, index]
    assert items[("account.password-unique", "Work e-mail")] == "fail"
    assert items[("account.password-unique", "Union Twitter")] == "fail"
    assert report["skipped"] == [
        {
            "item": "device.encryption",
            "subject": "Laptop",
            "question": "Is this computer's storage encrypted (BitLocker on Windows, FileVault "
            "on a Mac)?",
        }
    ]


def test_the_counts_agree_welcome_every_question_the_end_and_checklist_list(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    screen = " ".join(audit.screen.split())
    [welcome] = re.findall(r"Now the questions: (\d+) questions", screen)
    numbers = re.findall(r"Question (\d+) of (\d+)", screen)
    [(answered, total)] = re.findall(r"You answered (\d+) of (\d+) questions", screen)
    assert {of for _, of in numbers} == {welcome} == {total}
    assert [int(j) for j, _ in numbers] == list(range(1, int(welcome) + 1))
    assert answered == str(int(total) - 1)  # one was skipped
    # `checklist list` counts items, plainly; the audit's question count is worked out from
    # those same items (one here, one per device, one per account, less what was measured).
    listed = subprocess.run(
        [NUTSEC, "checklist", "list", "--plain"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NUTSEC_DATA_DIR": str(private_data_dir)},
    ).stdout
    assert "questions)" not in listed and "items)" in listed
    # 1 person + (1 phone + 2 laptop) device + (2 - 1 measured) x 2 accounts = 6
    assert welcome == "6"


def test_the_walkthrough_doc_is_what_the_program_prints(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    transcript = audit.screen
    for password in PASSWORDS:
        assert password not in transcript
    head, _, rest = WALKTHROUGH.read_text(encoding="utf-8").partition("```text\n")
    documented, _, tail = rest.partition("```\n")
    if os.environ.get("NUTSEC_UPDATE_DOCS") == "1":
        WALKTHROUGH.write_text(f"{head}```text\n{transcript}```\n{tail}", encoding="utf-8")
        documented = transcript
    assert documented == transcript, (
        "docs/walkthrough.md is out of date: run NUTSEC_UPDATE_DOCS=1 pytest "
        "tests/test_audit_interactive.py"
    )


def test_the_end_fits_one_80x24_screen_with_score_actions_and_report_command(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = whole_audit(private_data_dir, checklist, rows=24)
    assert audit.end() == 0
    screen = pyte.Screen(80, 24)
    stream = pyte.Stream(screen)
    stream.feed(audit.raw.replace("\r\n", "\n").replace("\n", "\r\n"))
    shown = [line.rstrip() for line in screen.display]
    text = "\n".join(shown)
    assert re.search(r"^Your score: \d+ out of 100 \(\w[\w ]*\)$", text, re.MULTILINE), text
    actions = [line for line in shown if re.match(r"^  [123]\. ", line)]
    assert len(actions) == 3, text
    assert all(len(line) <= 80 for line in shown)
    assert "  nutsec report latest --format html --name 'Your name' -o report.html" in shown
    assert "You answered 5 of 6 questions." in text


def test_every_question_screen_fits_80x24(private_data_dir: Path, checklist: Path) -> None:
    """From one question's header to its prompt (and its ? text) is never more than 24 lines."""
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    blocks = re.split(r"\n(?=Question \d+ of \d+ - )", audit.screen)[1:]
    assert len(blocks) == 6
    for block in blocks:
        lines = block.split("\nYour score:")[0].rstrip("\n").split("\n")
        assert len(lines) <= 24, block
        assert all(len(line) <= 80 for line in lines), block


def test_ctrl_c_at_a_question_keeps_answers_and_resume_continues_there(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = Audit(private_data_dir, "--checklist", str(checklist))
    inventory(audit)
    audit.key("n")
    audit.key("n")
    audit.key("y")  # About you
    audit.key("y")  # Work phone: screen lock
    audit.child.expect_exact("Question 3 of 8")
    audit.child.expect_exact(CHOICE)
    audit.child.sendintr()
    assert audit.end() == 130
    assert "nutsec audit --resume 1" in audit.screen
    assert TRACEBACK not in audit.screen
    assert dict(saved(private_data_dir))["answers"] == {
        ("habits.links", None): "yes",
        ("device.screen-lock", "Work phone"): "yes",
    }

    again = Audit(private_data_dir, "--resume", "latest")
    again.child.expect_exact("Welcome back")
    again.child.expect_exact("2 of 8 questions answered so far")
    # Both passwords were left for later: each is offered again, once, and "not now" still works.
    again.key("n", "You have not checked this account's password yet")
    again.key("n", "You have not checked this account's password yet")
    again.child.expect_exact("Question 3 of 8 - Laptop (Windows laptop)")
    again.key("y")
    again.key("b")  # back to the Laptop: the answer just given is shown
    again.child.expect_exact("Your earlier answer: Yes (press Enter or y to keep it)")
    again.key("q")
    assert again.end() == 0
    state = dict(saved(private_data_dir))
    assert state["position"] == "question:device.screen-lock:Laptop"


@pytest.mark.parametrize(
    "prompt",
    ["menu", "name", "number", "provider", "password", "question", "resume offer"],
)
def test_ctrl_d_at_every_kind_of_prompt_saves_and_exits_130(
    private_data_dir: Path, checklist: Path, prompt: str
) -> None:
    """Ctrl-D means stop, like Ctrl-C: answers saved, exit 130, no traceback."""
    audit = Audit(private_data_dir, "--checklist", str(checklist))
    if prompt == "menu":
        audit.child.expect_exact(CHOICE)
    elif prompt == "resume offer":
        audit.key("a")
        audit.line("Work phone", "Name of the device")
        audit.key("i")
        audit.child.expect_exact(CHOICE)
        audit.child.sendintr()
        assert audit.end() == 130
        audit = Audit(private_data_dir)
        audit.child.expect_exact("it?")
        audit.child.expect_exact(CHOICE)
    elif prompt == "name":
        audit.key("a")
        audit.child.expect_exact("Name of the device")
    elif prompt in ("number", "provider"):
        audit.key("c")
        audit.key("y", "sure?")
        audit.key("a")
        audit.line("Mail", "Name of the account")
        if prompt == "provider":
            audit.line("1", "Type a number")
            audit.child.expect_exact("Who runs this e-mail account?")
            audit.child.expect_exact(CHOICE)
        else:
            audit.child.expect_exact("Type a number")
    elif prompt in ("password", "question"):
        inventory(audit)
        audit.key("y")
        if prompt == "question":
            audit.line(PASSWORDS[0], "Password (hidden")
            audit.key("n")
            audit.child.expect_exact("Question 1 of")
            audit.child.expect_exact(CHOICE)
        else:
            audit.child.expect_exact("Password (hidden")
    time.sleep(0.5)  # the prompt is printed just before the terminal is put in single-key mode
    audit.child.sendeof()
    assert audit.end() == 130
    screen = audit.screen
    assert TRACEBACK not in screen
    assert "Stopped." in screen
    if prompt == "question":
        assert "Your answers so far are saved" in screen
        assert dict(saved(private_data_dir))["state"] == "in_progress"


def test_keys_typed_ahead_are_not_taken_as_the_next_answer(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = Audit(private_data_dir, "--checklist", str(checklist))
    inventory(audit)
    audit.key("n")
    audit.key("n")
    audit.key("yy")  # a double press: the second y must not answer the Work phone question
    audit.child.expect_exact("Question 2 of 8")
    audit.child.expect_exact(CHOICE)
    time.sleep(0.3)
    audit.child.send("q")
    assert audit.end() == 0
    assert dict(saved(private_data_dir))["answers"] == {("habits.links", None): "yes"}


def test_enter_is_never_a_default_and_an_empty_inventory_asks_first(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = Audit(private_data_dir, "--checklist", str(checklist))
    audit.key("\r")
    audit.child.expect_exact("Enter is not one")
    audit.key("c")
    audit.child.expect_exact("You have not added any devices")
    audit.key("n")  # no: back to the list
    audit.child.expect_exact("Your devices: none yet.")
    audit.key("c")
    audit.key("y", "sure?")
    audit.child.expect_exact("Your devices and accounts  (step 2 of 2)")
    audit.key("q")
    assert audit.end() == 0
    assert dict(saved(private_data_dir))["position"] == "inventory:accounts"


def test_the_resume_offer_says_what_n_does(private_data_dir: Path, checklist: Path) -> None:
    audit = Audit(private_data_dir, "--checklist", str(checklist))
    audit.key("q")
    assert audit.end() == 0
    again = Audit(private_data_dir, "--checklist", str(checklist))
    again.key("n", "it?")
    again.key("q")
    assert again.end() == 0
    screen = " ".join(again.screen.split())
    assert "n no, start a new audit (audit 1 is kept: carry on with it later with" in screen
    assert "'nutsec audit --resume 1')" in screen


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
    assert state["position"] == "password:Work e-mail"

    again = Audit(private_data_dir)
    again.key("y", "it?")
    again.child.expect_exact("Your passwords  (step 1 of 2)")
    again.child.expect_exact("Work e-mail")
    again.key("q")
    assert again.end() == 0


def test_revisit_answers_what_was_skipped_and_the_score_follows(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    before = report_json(private_data_dir)
    assert len(before["skipped"]) == 1  # type: ignore[arg-type]

    again = Audit(private_data_dir, "--revisit", "latest")
    again.child.expect_exact("you answered 5 of 6 questions and skipped 1")
    again.key("s")  # only the skipped one
    again.child.expect_exact("Laptop (Windows laptop)")
    again.child.expect_exact("storage encrypted")
    again.key("n")
    again.child.expect_exact("You answered 6 of 6 questions.")
    assert again.end() == 0
    after = report_json(private_data_dir)
    assert after["skipped"] == []
    items = {(i["id"], i["subject"]): i for i in after["items"]}  # type: ignore[attr-defined, index]
    assert items[("device.encryption", "Laptop")]["status"] == "fail"
    assert after["score"] != before["score"]  # type: ignore[comparison-overlap]


def test_revisit_can_change_any_answer(private_data_dir: Path, checklist: Path) -> None:
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    again = Audit(private_data_dir, "--revisit", "1")
    again.key("a", "Which questions")  # all of them
    again.child.expect_exact("Question 1 of 6")
    again.child.expect_exact("Your earlier answer: Yes (press Enter or y to keep it)")
    again.key("n")  # change About you to No
    again.key("q")
    assert again.end() == 0
    assert dict(saved(private_data_dir))["answers"][("habits.links", None)] == "no"  # type: ignore[index]
    assert dict(saved(private_data_dir))["state"] == "finished"


def test_revisit_keeps_an_earlier_answer_on_enter(private_data_dir: Path, checklist: Path) -> None:
    """Revisiting, Enter keeps the answer shown, so going through means Enter, Enter, Enter."""
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    before = dict(saved(private_data_dir))["answers"]
    again = Audit(private_data_dir, "--revisit", "1")
    again.key("a", "Which questions")  # all of them
    again.child.expect_exact("Question 1 of 6")
    again.key("\r")
    again.child.expect_exact("Question 2 of 6")
    again.key("q")
    assert again.end() == 0
    assert dict(saved(private_data_dir))["answers"] == before


def test_revisit_jumps_to_a_question_picked_from_the_list_and_says_the_new_score(
    private_data_dir: Path, checklist: Path
) -> None:
    audit = whole_audit(private_data_dir, checklist)
    assert audit.end() == 0
    before = report_json(private_data_dir)["score"]["overall"]  # type: ignore[index]
    again = Audit(private_data_dir, "--revisit", "1", rows=24)
    again.key("l", "Which questions")
    again.child.expect_exact(" 6. ")  # every question, numbered, with its answer
    again.line("1", "Type a number from 1 to 6")
    again.child.expect_exact("Question 1 of 6")
    again.key("n")  # About you: Yes to No
    again.key("q")
    assert again.end() == 0
    after = report_json(private_data_dir)["score"]["overall"]  # type: ignore[index]
    assert after < before
    assert f"Audit 1's score is now {after} out of 100" in again.screen
    assert f"down {before - after} from {before}" in again.screen


def test_no_save_interactive_leaves_no_audit(private_data_dir: Path, checklist: Path) -> None:
    audit = Audit(private_data_dir, "--checklist", str(checklist), "--no-save")
    audit.key("c")
    audit.key("y", "sure?")
    audit.key("c")
    audit.key("y", "sure?")
    audit.key("y")  # About you
    assert audit.end() == 0
    assert "Nothing was saved" in audit.screen
    with open_store(private_data_dir) as store:
        assert store.history() == []


@pytest.mark.parametrize(
    ("subject", "shown"),
    [
        (Account("X", "twitter"), "X (Twitter)"),
        (Account("Facebook", "facebook"), "Facebook"),
        (Account("Union Twitter", "twitter"), "Union Twitter – X (Twitter)"),
        (Account("Mail", "email", "", "gmail"), "Mail (Gmail)"),
        (Device("Phone", "phone"), "Phone"),
        (Device("Work phone", "phone", "ios"), "Work phone (iPhone)"),
    ],
)
def test_a_subject_is_named_once_with_no_nested_brackets(
    subject: Account | Device, shown: str
) -> None:
    from nutsec.cli.audit_prompts import describe_account, describe_device

    said = describe_device(subject) if isinstance(subject, Device) else describe_account(subject)
    assert said == shown
