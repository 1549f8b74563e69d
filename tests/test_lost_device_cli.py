"""`nutsec lost-device` end to end: --print for paper from a real audit, the general runbook when
there is none, exit 2 for a device or audit that does not exist, and the interactive runbook in a
real pseudo-terminal: ticks are kept through Ctrl-C and shown with their times on the next run."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from nutsec.audit_data import Account, Audit, Device
from nutsec.checklist.loader import load_checklist_text
from nutsec.cli import app
from nutsec.store.sqlite import STORE_FILE, open_store
from tests.conftest import DOCS, toml_block
from tests.test_security_data_loss import _as_nobody, needs_root, open_base  # noqa: F401

NUTSEC = str(Path(sys.executable).parent / "nutsec")
CHOICE = "Your choice: "
runner = CliRunner()

ANSWERS = """
[[devices]]
name = "Work phone"
kind = "phone"

[[devices]]
name = "Laptop"
kind = "laptop"

[[accounts]]
name = "Union X"
platform = "twitter"

[[accounts]]
name = "Branch site"
platform = "union"

[[accounts]]
name = "Mail"
platform = "email"
username = "sam@gmail.com"
"""


def run_nutsec(
    data: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data)}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [NUTSEC, *args], capture_output=True, text=True, env=env, input=stdin, check=False
    )


@pytest.fixture
def saved_audit(private_data_dir: Path, tmp_path: Path) -> Path:
    """An audit saved by the real `nutsec audit --answers FILE --offline`."""
    answers = tmp_path / "me.toml"
    answers.write_text(ANSWERS, encoding="utf-8")
    result = run_nutsec(private_data_dir, "audit", "--answers", str(answers), "--offline")
    assert result.returncode == 0, result.stderr
    return private_data_dir


def test_print_writes_the_whole_runbook_in_order_for_that_device(saved_audit: Path) -> None:
    result = run_nutsec(saved_audit, "lost-device", "--device", "work phone", "--print")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    titles = re.findall(r"^\[ \] +\d+\. (.+)$", out, flags=re.MULTILINE)
    assert titles == [
        "Report the loss",
        "Lock and wipe Work phone remotely",
        "Get back into accounts whose sign-in codes went to the lost phone",
        "Secure Mail",  # e-mail first: it can reset every other password
        "Secure Branch site",  # then union and work
        "Secure Union X",  # then social media
        "Check recent activity and report misuse",
    ]
    assert out.count("time: ____") == len(titles)
    assert "For: Work phone (phone)." in out and "From audit 1 (" in out
    assert "Laptop" not in out, "the runbook is for the one lost device"
    assert "icloud.com/find" in out and "account.microsoft.com" not in out
    assert "- Gmail: Google Account > Security" in out
    assert "- Union X, report misuse: X's Help Centre (help.x.com)" in out
    assert "\x1b" not in out, "no colour when piped"
    assert result.stderr == ""


def test_print_with_several_devices_and_no_device_asks_to_choose(saved_audit: Path) -> None:
    result = run_nutsec(saved_audit, "lost-device", "--print")
    assert result.returncode == 2 and result.stdout == ""
    assert "choose the one that has gone with --device NAME" in result.stderr
    assert "'Work phone', 'Laptop'" in result.stderr
    assert "for example: nutsec lost-device --print --device 'Work phone'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_device_is_exit_2_listing_the_known_names(saved_audit: Path) -> None:
    result = run_nutsec(saved_audit, "lost-device", "--device", "Tablet", "--print")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        "Error: No device called 'Tablet' in audit 1. Its devices: 'Work phone', 'Laptop'."
    )


def test_no_saved_audit_gives_the_general_runbook_not_an_error(private_data_dir: Path) -> None:
    result = run_nutsec(private_data_dir, "lost-device", "--print")
    assert result.returncode == 0, result.stderr
    assert "These are the general steps" in result.stdout
    assert "run 'nutsec audit'" in result.stdout
    assert "Lock and wipe the lost device remotely" in result.stdout
    assert "Secure your e-mail" in result.stdout
    assert not private_data_dir.exists(), "printing creates no files"


def test_an_audit_that_does_not_exist_is_exit_2(saved_audit: Path, private_data_dir: Path) -> None:
    assert runner.invoke(app, ["lost-device", "--audit", "99", "--print"]).exit_code == 2
    result = run_nutsec(saved_audit, "lost-device", "--audit", "99", "--print")
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: No saved audit with id 99. See 'nutsec history'."


def test_an_audit_id_with_no_audits_saved_is_exit_2(private_data_dir: Path) -> None:
    result = runner.invoke(app, ["lost-device", "--audit", "99"])
    assert result.exit_code == 2
    assert "There is no saved audit '99'" in result.output


def test_with_several_audits_it_asks_which_naming_each_by_devices_and_date(
    private_data_dir: Path,
) -> None:
    """Issue 19: never silently the newest (on a shared laptop it may be someone else's)."""
    text = toml_block(DOCS / "checklist-format.md")
    checklist = load_checklist_text(text, "example")
    with open_store(private_data_dir) as store:
        store.create(Audit(checklist, datetime.now(UTC), devices=(Device("Old", "phone"),)), text)
        store.create(Audit(checklist, datetime.now(UTC), devices=(Device("New", "tablet"),)), text)
    now = datetime.now(UTC).astimezone()
    day = f"{now.day} {now:%B %Y}"  # as every screen says a day: "3 December 2026"
    refused = runner.invoke(app, ["lost-device", "--print"])
    assert refused.exit_code == 2
    assert f"audit 2: New ({day}); audit 1: Old ({day})" in refused.output
    assert "--audit" in refused.output
    asked = run_nutsec(private_data_dir, "lost-device", stdin="2\nq\n")
    assert asked.returncode == 0, asked.stderr
    assert "Which one is yours?" in asked.stdout and f"2  audit 1: Old ({day})" in asked.stdout
    assert "Lock and wipe Old remotely" in asked.stdout
    result = runner.invoke(app, ["lost-device", "--print", "--audit", "latest"])
    assert result.exit_code == 0, result.output
    assert "For: New (tablet)." in result.output
    assert "From audit 2 (" in result.output and "not finished)" in result.output
    assert "Lock and wipe New remotely" in result.output
    older = runner.invoke(app, ["lost-device", "--print", "--audit", "1"])
    assert "Lock and wipe Old remotely" in older.output


def test_a_piped_interactive_run_ticks_skips_and_sums_up(saved_audit: Path) -> None:
    result = run_nutsec(saved_audit, "lost-device", stdin="2\n\nd\ns\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Which device has gone?" in out and "Step 1 of 6: Report the loss" in out
    assert "Step 2 of 6: Lock and wipe Laptop remotely" in out
    assert "sign-in codes went to the lost phone" not in out, "a laptop: no such step"
    summary = out.rpartition("\nDone:\n")[2]
    assert re.search(r"1\. Report the loss \(\d\d? \w+ \d{4}, \d\d:\d\d \S+\)", summary)
    assert "Skipped for now:\n   3. Secure Mail" in summary
    assert "Carry on any time with:\n  nutsec lost-device --audit 1 --device Laptop" in summary


class Runbook:
    """One interactive `nutsec lost-device` in a pseudo-terminal."""

    def __init__(self, data: Path, *args: str) -> None:
        self.log = io.StringIO()
        env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "TERM": "dumb"}
        for name in ("NO_COLOR", "COLUMNS", "LINES"):
            env.pop(name, None)
        self.child = pexpect.spawn(
            NUTSEC,
            ["lost-device", "--plain", *args],
            env=env,
            encoding="utf-8",
            dimensions=(40, 80),
            timeout=15,
        )
        self.child.logfile_read = self.log

    def key(self, key: str) -> None:
        self.child.expect_exact(CHOICE)
        self.child.send(key)

    def end(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return -1 if self.child.exitstatus is None else int(self.child.exitstatus)

    @property
    def screen(self) -> str:
        text = self.log.getvalue().replace("\r\n", "\n").replace("\r", "\n")
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


TIME = r"\d\d? \w+ \d{4}, \d\d:\d\d \S+"  # the one date style of every report


def test_ticks_survive_ctrl_c_and_the_next_run_shows_them_with_times(saved_audit: Path) -> None:
    first = Runbook(saved_audit, "--device", "Work phone")
    first.child.expect_exact("Step 1 of 7: Report the loss")
    first.key("\r")  # Enter: done
    first.child.expect_exact("Step 2 of 7: Lock and wipe Work phone remotely")
    first.key("d")
    first.child.expect_exact("Step 3 of 7: Get back into accounts")
    first.child.expect_exact(CHOICE)
    first.child.sendintr()
    assert first.end() == 130
    assert "Every step you ticked is saved" in first.screen
    assert len(re.findall(rf"done  \(ticked at {TIME}\)", first.screen)) == 2

    with open_store(saved_audit) as store:
        ticks = store.ticks(1, "Work phone")
    assert list(ticks) == ["report_loss", "lock_and_wipe:Work phone"]

    again = Runbook(saved_audit, "--device", "work phone")
    again.child.expect_exact("You have already done 2 of 7 steps:")
    again.child.expect(rf"1\. Report the loss \({TIME}\)")
    again.child.expect(rf"2\. Lock and wipe Work phone remotely \({TIME}\)")
    again.child.expect_exact("Carrying on at step 3.")
    again.child.expect_exact("Step 3 of 7: Get back into accounts")
    again.key("b")
    again.child.expect_exact("Step 2 of 7")
    again.child.expect_exact("Done earlier, at")
    again.key("q")
    assert again.end() == 0
    from nutsec.report.view import show_date

    shown = show_date(ticks["report_loss"])  # the one date style of every report
    assert f"1. Report the loss ({shown})" in again.screen


def test_names_with_control_characters_and_markup_stay_inert_on_screen(
    private_data_dir: Path,
) -> None:
    text = toml_block(DOCS / "checklist-format.md")
    checklist = load_checklist_text(text, "example")
    device = "[bold]Phone\x1b]0;owned\x07"
    account = "[red]Mail\x1b[2J"
    with open_store(private_data_dir) as store:
        store.create(
            Audit(
                checklist,
                datetime.now(UTC),
                devices=(Device(device, "phone"),),
                accounts=(Account(account, "email"),),
            ),
            text,
        )
    run = Runbook(private_data_dir)
    run.key("q")
    assert run.end() == 0
    screen = run.screen
    assert "\x1b]0;" not in screen and "\x07" not in screen and "\x1b[2J" not in screen
    assert "[bold]Phone<U+001B>]0;owned<U+0007>" in screen
    printed = run_nutsec(private_data_dir, "lost-device", "--print")
    assert "Secure [red]Mail<U+001B>[2J" in printed.stdout
    assert "\x1b" not in printed.stdout


def test_with_no_audit_the_general_runbook_is_interactive_and_its_ticks_are_kept(
    private_data_dir: Path,
) -> None:
    result = run_nutsec(private_data_dir, "lost-device", stdin="\nq\n")
    assert result.returncode == 0, result.stderr
    assert "These are the general steps" in result.stdout
    assert "Step 1 of 5: Report the loss" in result.stdout
    assert "Carry on any time with:\n  nutsec lost-device\n" in result.stdout
    with open_store(private_data_dir) as store:
        assert list(store.ticks(None, "")) == ["report_loss"]
    again = run_nutsec(private_data_dir, "lost-device", stdin="q\n")
    assert "You have already done 1 of 5 steps:" in again.stdout
    assert "Step 2 of 5: Lock and wipe the lost device remotely" in again.stdout


@needs_root
def test_lost_device_print_can_read_a_read_only_database(
    saved_audit: Path,
    open_base: Path,  # noqa: F811 (the fixture imported above)
) -> None:
    """Issue 22: `lost-device --print` opened the store for writing, so a database the person
    may only read (as `nobody`: root's 0755 folder, 0644 file) failed, unlike report."""
    data = Path(shutil.copytree(saved_audit, open_base / "data"))
    data.chmod(0o755)
    (data / STORE_FILE).chmod(0o644)
    result = _as_nobody(saved_audit, data, "lost-device", "--print", "--device", "Work phone")
    assert result.returncode == 0, result.stderr
    assert "Lock and wipe Work phone remotely" in result.stdout
    assert (data / STORE_FILE).stat().st_mode & 0o777 == 0o644
