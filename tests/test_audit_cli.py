"""`nutsec audit --answers`: scripted audits end to end, through the installed command too."""

from __future__ import annotations

import json
import os
import re
import shlex
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.checklist.catalog import ChecklistCatalog
from nutsec.checklist.model import AnswerStatus, Checklist, Scope
from nutsec.cli import app
from nutsec.store.sqlite import open_store
from tests.conftest import DOCS, toml_block
from tests.memory_keyring import keyring_env

runner = CliRunner()
NUTSEC = str(Path(sys.executable).parent / "nutsec")
DEFAULT = ChecklistCatalog.standard(Path("/nonexistent")).load("nut-social-media")


def answers_toml(
    checklist: Checklist, status: AnswerStatus, skip: frozenset[str] = frozenset()
) -> str:
    """An answers file: every item gets an answer of `status` (else its first), except `skip`."""

    def table(scope: Scope) -> str:
        lines = []
        for item in checklist.items():
            if item.scope is scope and item.id not in skip:
                keys = [o.key for o in item.answers if o.status is status] or [item.answers[0].key]
                lines.append(f'"{item.id}" = "{keys[0]}"')
        return "\n".join(lines)

    return f"""
[answers]
{table(Scope.PERSON)}

[[devices]]
name = "Work phone"
kind = "phone"
[devices.answers]
{table(Scope.DEVICE)}

[[devices]]
name = "Laptop"
kind = "laptop"
[devices.answers]
{table(Scope.DEVICE)}

[[accounts]]
name = "Union Twitter"
platform = "twitter"
username = "sam_rep"
[accounts.answers]
{table(Scope.ACCOUNT).replace('"account.email-two-factor"', "# ")}

[[accounts]]
name = "Mail"
platform = "email"
[accounts.answers]
{table(Scope.ACCOUNT).replace('"account.two-factor"', "# ")}
"""


def run_nutsec(
    *args: str, data: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1", **(extra_env or {})}
    return subprocess.run(
        [NUTSEC, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=data.parent,  # a file a command writes (e.g. -o report.html) lands beside the data
    )


def test_all_best_answers_score_100_and_are_saved(
    write_file: Callable[[str, str], Path], private_data_dir: Path
) -> None:
    path = write_file("best.toml", answers_toml(DEFAULT, AnswerStatus.PASS))
    result = run_nutsec("audit", "--answers", str(path), "--offline", data=private_data_dir)
    assert result.returncode == 0, result.stderr
    assert "Your score: 100 out of 100 (Strong)" in result.stdout
    assert "Nothing to fix" in result.stdout
    [hint] = [line.strip() for line in result.stdout.splitlines() if line.startswith("  nutsec ")]
    followed = run_nutsec(*shlex.split(hint)[1:], data=private_data_dir)  # quoted for the shell
    assert followed.returncode == 0, (
        f"the summary suggests {hint!r}, which fails: {followed.stderr}"
    )
    with open_store(private_data_dir) as store:
        [saved] = store.history()
        assert (saved.overall, saved.band, saved.finished_at is not None) == (100, "Strong", True)
        assert store.load(saved.id).answers, "the answers are kept with the audit"
    report = run_nutsec("report", "latest", "--format", "json", data=private_data_dir)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["score"]["overall"] == 100


def test_all_worst_answers_score_0_with_three_actions(
    write_file: Callable[[str, str], Path],
) -> None:
    path = write_file("worst.toml", answers_toml(DEFAULT, AnswerStatus.FAIL))
    result = runner.invoke(app, ["audit", "--answers", str(path), "--offline", "--plain"])
    assert result.exit_code == 0, result.output
    assert "Your score: 0 out of 100 (At risk)" in result.output
    assert "Start with these:" in result.output
    assert "  3. " in result.output and "  4. " not in result.output


def test_mixed_answers_with_skipped_items_score_between(
    write_file: Callable[[str, str], Path], private_data_dir: Path
) -> None:
    text = answers_toml(DEFAULT, AnswerStatus.PASS, skip=frozenset({"device.updates"}))
    text = text.replace('"passwords.manager" = "yes"', '"passwords.manager" = "no"')
    text = text.replace('"account.recent-activity" = "yes"', '"account.recent-activity" = "no"')
    path = write_file("mixed.toml", text)
    result = runner.invoke(app, ["audit", "--answers", str(path), "--offline", "--plain"])
    assert result.exit_code == 0, result.output
    score = int(result.output.split("Your score: ")[1].split(" ")[0])
    assert 50 < score < 100
    assert "Union Twitter" in result.output  # an account's action names the account
    with open_store(private_data_dir) as store:
        [saved] = store.history()
        audit = store.load(saved.id)
    assert saved.overall == score
    assert ("device.updates", "Laptop") not in audit.answers
    assert audit.answers[("passwords.manager", None)] == "no"


def test_no_save_leaves_nothing_behind(
    write_file: Callable[[str, str], Path], private_data_dir: Path
) -> None:
    path = write_file("best.toml", answers_toml(DEFAULT, AnswerStatus.PASS))
    result = run_nutsec(
        "audit", "--answers", str(path), "--offline", "--no-save", data=private_data_dir
    )
    assert result.returncode == 0, result.stderr
    assert "Nothing was saved" in result.stdout
    assert not (private_data_dir / "audits.sqlite3").exists()


def test_saved_audit_file_is_private(
    write_file: Callable[[str, str], Path], private_data_dir: Path
) -> None:
    path = write_file("best.toml", answers_toml(DEFAULT, AnswerStatus.PASS))
    assert runner.invoke(app, ["audit", "--answers", str(path), "--offline"]).exit_code == 0
    assert stat.S_IMODE(private_data_dir.stat().st_mode) == 0o700
    db = private_data_dir / "audits.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM audits").fetchone() == (1,)


@pytest.mark.parametrize(
    ("change", "culprit"),
    [
        (
            lambda t: t.replace('"device.screen-lock"', '"device.screen-lok"', 1),
            "device.screen-lok",
        ),
        (
            lambda t: t.replace(
                '"device.screen-lock" = "yes"', '"device.screen-lock" = "maybe"', 1
            ),
            "item 'device.screen-lock' does not offer the answer given (choose yes, no, not_sure)",
        ),
        (lambda t: t.replace('kind = "phone"', 'kind = "phone'), "not valid TOML"),
        (lambda t: "chcklist = 'x'\n" + t, "unknown key 'chcklist'"),
    ],
)
def test_a_bad_answers_file_is_exit_2_naming_the_culprit(
    write_file: Callable[[str, str], Path],
    private_data_dir: Path,
    change: Callable[[str], str],
    culprit: str,
) -> None:
    path = write_file("bad.toml", change(answers_toml(DEFAULT, AnswerStatus.PASS)))
    result = run_nutsec("audit", "--answers", str(path), "--offline", data=private_data_dir)
    assert result.returncode == 2
    assert "bad.toml" in result.stderr and culprit in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (private_data_dir / "audits.sqlite3").exists()


def test_checklist_option_wins_over_the_file(
    write_file: Callable[[str, str], Path],
) -> None:
    path = write_file(
        "a.toml", 'checklist = "no-such-list"\n' + answers_toml(DEFAULT, AnswerStatus.PASS)
    )
    result = runner.invoke(
        app, ["audit", "--answers", str(path), "--checklist", "nut-social-media", "--offline"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["audit", "--answers", str(path), "--offline"])
    assert result.exit_code == 2 and "No checklist called 'no-such-list'" in result.output


def test_a_relative_checklist_path_in_the_file_is_read_next_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "workshop"
    folder.mkdir()
    (folder / "tiny.toml").write_text(toml_block(DOCS / "checklist-format.md"), encoding="utf-8")
    answers = folder / "answers.toml"
    answers.write_text('checklist = "tiny.toml"\n[answers]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # somewhere else: the path must not depend on where we are
    result = runner.invoke(app, ["audit", "--answers", str(answers), "--offline", "--no-save"])
    assert result.exit_code == 0, result.output


PASSWORDS = ("Tw1tt3rUnion!2024", "Tw1tt3rUnion!2025", "kettle ocean violin quartz")


def test_passwords_from_a_file_are_checked_warned_about_and_never_stored(
    write_file: Callable[[str, str], Path], private_data_dir: Path
) -> None:
    import hashlib

    text = answers_toml(DEFAULT, AnswerStatus.PASS)
    text = text.replace(
        'username = "sam_rep"', f'username = "sam_rep"\npassword = "{PASSWORDS[0]}"'
    )
    text = text.replace('platform = "email"', f'platform = "email"\npassword = "{PASSWORDS[1]}"')
    text += (
        f'\n[[accounts]]\nname = "Union portal"\nplatform = "union"\npassword = "{PASSWORDS[2]}"\n'
    )
    path = write_file("with-passwords.toml", text)
    # A safe keyring of the test's own, so keyed fingerprints are kept too (and scanned below).
    result = run_nutsec(
        "audit",
        "--answers",
        str(path),
        "--offline",
        data=private_data_dir,
        extra_env=keyring_env(private_data_dir),
    )
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())  # wrapped at 80 columns
    assert "holds passwords" in said and "Delete the file" in said
    with open_store(private_data_dir) as store:
        audit = store.load(store.resolve("latest"))
        assert store.count_fingerprints() == 3, "the fingerprints were not kept"
    assert audit.passwords["Union Twitter"].similar_to == ("Mail",)
    assert audit.passwords["Mail"].breach.status.value == "unknown"
    stored = b"".join(p.read_bytes() for p in private_data_dir.iterdir() if p.is_file())
    shown = result.stdout + result.stderr
    for password in PASSWORDS:
        digest = hashlib.sha1(password.encode()).hexdigest()  # noqa: S324 (what HIBP uses)
        for needle in (password, digest, digest.upper()):
            assert needle.encode() not in stored, "a password or its hash reached the database"
            assert needle not in shown, "a password or its hash was printed"


TINY = toml_block(DOCS / "checklist-format.md")
#: Keys and lines for a whole audit typed into a pipe: one phone, one mail account, no password.
PIPED = "a\nPhone\na\nc\na\nMail\n1\ng\n\nc\nn\ny\nn\nu\n"


@pytest.mark.parametrize(
    ("args", "env"), [(["--plain"], {}), ([], {"NO_COLOR": "1"})], ids=["plain", "NO_COLOR"]
)
def test_a_piped_interactive_audit_has_no_colour_or_boxes(
    write_file: Callable[[str, str], Path], args: list[str], env: dict[str, str]
) -> None:
    path = write_file("tiny.toml", TINY)
    result = runner.invoke(
        app, ["audit", "--checklist", str(path), "--offline", *args], input=PIPED, env=env
    )
    assert result.exit_code == 0, result.output
    assert "Your score:" in result.output
    assert "\x1b[" not in result.output
    assert not set("─━│┃┌┐└┘╭╮╰╯") & set(result.output), "box drawing in plain output"


def test_with_colour_the_steps_are_ruled_off(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("tiny.toml", TINY)
    result = runner.invoke(app, ["audit", "--checklist", str(path), "--offline"], input=PIPED)
    assert result.exit_code == 0, result.output
    assert "─" in result.output


def test_input_ending_early_saves_and_says_how_to_resume(
    write_file: Callable[[str, str], Path], private_data_dir: Path
) -> None:
    path = write_file("tiny.toml", TINY)
    result = runner.invoke(
        app, ["audit", "--checklist", str(path), "--offline", "--plain"], input=PIPED[:18]
    )
    assert result.exit_code == 0, result.output
    assert "nutsec audit --resume 1" in result.output
    with open_store(private_data_dir) as store:
        assert [d.name for d in store.load(1).devices] == ["Phone"]
        assert store.unfinished()[0].id == 1


def test_the_question_count_is_given_once_the_inventory_is_known_with_the_time() -> None:
    from nutsec.audit.outcomes import asked_questions
    from nutsec.audit_data import Account, Device
    from nutsec.cli.audit_prompts import count_line

    typed = "a\nPhone\na\nc\na\nMail\n1\ng\n\nc\nn\nq\n"
    result = runner.invoke(app, ["audit", "--offline", "--plain"], input=typed)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    devices = (Device("Phone", "phone", "android"),)
    accounts = (Account("Mail", "email", "", "gmail"),)
    asked = asked_questions(DEFAULT, devices, accounts, {})
    # More than 20 questions: the essentials come first, and the count is theirs.
    from nutsec.audit.walk import essential_keys

    first = [q for q in asked if q.key in essential_keys(DEFAULT, devices, accounts)]
    assert count_line(len(first), essentials=True) in text
    assert f"Question 1 of {len(first)} - About you" in text
    # Rounded to whole five minutes: about 0.4 to 0.7 minutes a question.
    assert re.search(r"It takes about \d*[05] to \d*[05] minutes\.", count_line(len(asked)))


def test_the_inventory_says_what_each_key_did(write_file: Callable[[str, str], Path]) -> None:
    """Back on the first step, a bad number, a removal, an empty name: never silence."""
    path = write_file("tiny.toml", TINY)
    typed = "b\na\nPhone\na\nr\n5\nr\n1\na\n\nq\n"
    result = runner.invoke(
        app, ["audit", "--checklist", str(path), "--offline", "--plain"], input=typed
    )
    assert result.exit_code == 0, result.output
    for said in (
        "This is the first step, so there is nothing to go back to.",
        "There is no number 5 in the list. Nothing removed.",
        "Removed Phone.",
        "No name typed, so nothing was added.",
    ):
        assert said in result.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--resume", "1", "--revisit", "1"], "Use only one of --resume and --revisit"),
        (["--answers", "x.toml", "--revisit", "1"], "Use only one of --answers and --revisit"),
        (["--revisit", "latest", "--no-save"], "--no-save cannot go with it"),
        (["--revisit", "latest"], "No saved audit yet."),
        (["--revisit", "seven"], "'seven' is not an audit id."),
    ],
)
def test_revisit_misuse_is_one_line_and_exit_2(args: list[str], said: str) -> None:
    result = runner.invoke(app, ["audit", "--offline", *args])
    assert result.exit_code == 2, result.output
    assert said in " ".join(result.output.split())
    assert "Traceback" not in result.output
