"""Security review, issue 14: TOML a person gives nutsec is read the same way everywhere: a UTF-8
byte order mark is accepted; nesting 5,000 deep and FIFOs are one line and exit 2, never a
RecursionError or a hang."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.test_security_bad_input import assert_one_line_error, run_nutsec

REPO = Path(__file__).resolve().parents[1]
CHECKLIST = REPO / "checklists" / "nut-social-media.toml"
DEEP_ARRAY = "x = " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_TABLE = "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n"


@pytest.mark.parametrize("deep", [DEEP_ARRAY, DEEP_TABLE], ids=["arrays", "inline-tables"])
@pytest.mark.parametrize(
    "command",
    [
        ["checklist", "validate"],
        ["checklist", "show"],
        ["audit", "--offline", "--no-save", "--answers", "{answers}", "--checklist"],
        ["audit", "--offline", "--no-save", "--answers"],
    ],
    ids=["validate", "show", "audit-checklist", "answers"],
)
def test_toml_nested_5000_deep_is_exit_2_naming_the_file_not_recursion_error(
    command: list[str], deep: str, tmp_path: Path, private_data_dir: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\n")
    deep_file = tmp_path / "deep.toml"
    deep_file.write_text(deep)
    args = [part.replace("{answers}", str(answers)) for part in command]
    result = run_nutsec(*args, str(deep_file), data=private_data_dir)
    assert result.returncode == 2, result.stderr
    assert "RecursionError" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert "deep.toml" in result.stderr + result.stdout
    assert "nested too deeply" in result.stderr + result.stdout


def test_a_checklist_stored_in_the_database_nested_too_deep_is_exit_2(
    tmp_path: Path, private_data_dir: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\n")
    done = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(private_data_dir / "audits.sqlite3") as db:
        db.execute("UPDATE audits SET checklist_text = ?", (DEEP_ARRAY,))
    db.close()
    result = run_nutsec("report", "latest", data=private_data_dir)
    assert_one_line_error(result, "nested too deeply")


def test_a_utf8_byte_order_mark_in_toml_is_accepted(tmp_path: Path, private_data_dir: Path) -> None:
    checklist = tmp_path / "bom-checklist.toml"
    checklist.write_bytes(b"\xef\xbb\xbf" + CHECKLIST.read_bytes())
    assert (
        run_nutsec("checklist", "validate", str(checklist), data=private_data_dir).returncode == 0
    )
    answers = tmp_path / "bom-answers.toml"
    answers.write_bytes(b"\xef\xbb\xbf" + b"[answers]\n")
    result = run_nutsec(
        "audit",
        "--answers",
        str(answers),
        "--checklist",
        str(checklist),
        "--offline",
        data=private_data_dir,
    )
    assert result.returncode == 0, result.stderr
    assert run_nutsec("report", "latest", data=private_data_dir).returncode == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize(
    "command",
    [
        ["checklist", "validate"],
        ["checklist", "show"],
        ["audit", "--offline", "--no-save", "--checklist"],
        ["audit", "--offline", "--no-save", "--answers"],
        ["passwords", "audit", "--offline"],
        ["password", "check", "--stdin", "--hibp-corpus"],
    ],
    ids=["validate", "show", "audit-checklist", "answers", "export", "corpus"],
)
def test_a_fifo_given_as_a_file_is_refused_not_a_hang(
    command: list[str], tmp_path: Path, private_data_dir: Path
) -> None:
    fifo = tmp_path / "input.toml"
    os.mkfifo(fifo)
    result = run_nutsec(*command, str(fifo), data=private_data_dir, text_in="x\n", timeout=20)
    assert result.returncode == 2, result.stderr + result.stdout
    assert "input.toml" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


HUGE_INTEGER = "x = " + "9" * 5000 + "\n"


@pytest.mark.parametrize(
    "number",
    ["9" * 5000, "9" * 20, "-" + "9" * 20, "[1, {a = " + "9" * 5000 + "}]"],
    ids=["5000-digits", "20-digits", "negative-20-digits", "nested-5000-digits"],
)
@pytest.mark.parametrize(
    "command",
    [
        ["checklist", "validate"],
        ["checklist", "show"],
        ["audit", "--offline", "--no-save", "--answers", "{answers}", "--checklist"],
        ["audit", "--offline", "--no-save", "--answers"],
    ],
    ids=["validate", "show", "audit-checklist", "answers"],
)
def test_a_toml_integer_of_5000_digits_is_exit_2_naming_the_file_not_value_error(
    command: list[str], number: str, tmp_path: Path, private_data_dir: Path
) -> None:
    """Issue 22: Python refuses to read an integer of over 4,300 digits (ValueError); one beyond
    64 bits would overflow SQLite later. Both are "not valid TOML", naming the file."""
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\n")
    huge = tmp_path / "huge.toml"
    huge.write_text(f"x = {number}\n")
    args = [part.replace("{answers}", str(answers)) for part in command]
    result = run_nutsec(*args, str(huge), data=private_data_dir)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "ValueError" not in result.stderr
    assert "huge.toml" in result.stderr + result.stdout
    assert "far more digits" in result.stderr + result.stdout


def test_a_checklist_stored_in_the_database_with_a_huge_integer_is_exit_2(
    tmp_path: Path, private_data_dir: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\n")
    done = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(private_data_dir / "audits.sqlite3") as db:
        db.execute("UPDATE audits SET checklist_text = ?", (HUGE_INTEGER,))
    db.close()
    result = run_nutsec("report", "latest", data=private_data_dir)
    assert_one_line_error(result, "far more digits")
