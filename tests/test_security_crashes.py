"""Security review, issue 14 (crashes and hangs): odd input is exit 2 with one line, or works."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_security_bad_input import assert_one_line_error, run_nutsec

HUGE = "9223372036854775808"  # one past SQLite's largest integer


@pytest.fixture
def saved_audit(tmp_path: Path, private_data_dir: Path) -> Path:
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\n")
    done = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
    assert done.returncode == 0, done.stderr
    return private_data_dir


@pytest.mark.parametrize(
    "args",
    [
        ["report", HUGE],
        ["report", "9" * 400],
        ["audit", "--resume", HUGE],
        ["lost-device", "--audit", HUGE, "--print"],
    ],
)
def test_an_audit_id_too_large_for_sqlite_is_exit_2_not_overflow_error(
    args: list[str], saved_audit: Path
) -> None:
    result = run_nutsec(*args, data=saved_audit)
    assert_one_line_error(result, "No saved audit with id")
    assert "OverflowError" not in result.stderr


LONG = "x" * 300


@pytest.mark.parametrize(
    "args",
    [
        ["password", "check", "--stdin", "--hibp-corpus", LONG],
        ["checklist", "validate", f"{LONG}.toml"],
        ["checklist", "show", f"{LONG}.toml"],
        ["audit", "--checklist", f"{LONG}.toml", "--offline", "--no-save"],
        ["audit", "--answers", f"{LONG}.toml", "--offline", "--no-save"],
        ["passwords", "audit", f"{LONG}.csv", "--offline"],
        ["report", "latest", "-o", f"{LONG}.html"],
    ],
    ids=["corpus", "validate", "show", "audit-checklist", "answers", "export", "report-o"],
)
def test_a_file_name_too_long_is_exit_2_not_os_error(args: list[str], saved_audit: Path) -> None:
    result = run_nutsec(*args, data=saved_audit, text_in="pw\n")
    assert_one_line_error(result)
    assert "OSError" not in result.stderr
