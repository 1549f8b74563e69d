"""Security review, promise 1: a password that cannot be read, or sits on a malformed line, is
never echoed back in an error or a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DOCS, toml_block
from tests.test_password_leaks import assert_no_leak
from tests.test_security_bad_input import NUTSEC, assert_one_line_error, run_nutsec

PASSWORD = "Qz7#vXpLmZw9Rk"


@pytest.mark.parametrize("stdin_mode", ["default", "strict"])
def test_a_non_utf8_password_typed_in_the_audit_is_dropped_unseen(
    stdin_mode: str, tmp_path: Path, private_data_dir: Path
) -> None:
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(toml_block(DOCS / "checklist-format.md"), encoding="utf-8")
    password = PASSWORD.encode("ascii")
    keys = b"c\na\nMail\n1\n\nc\ny\n" + password[:6] + b"\xff" + password[6:] + b"\nq\n"
    env = {**os.environ, "NUTSEC_DATA_DIR": str(private_data_dir), "NO_COLOR": "1"}
    if stdin_mode == "strict":
        env["PYTHONIOENCODING"] = "utf-8:strict"
    result = subprocess.run(
        [NUTSEC, "audit", "--checklist", str(tiny), "--offline"],
        input=keys,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    out = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode == 0, "the audit should carry on"
    assert "Traceback" not in out
    assert "could not be read as text, so nothing was checked" in out
    assert_no_leak(out, PASSWORD)


@pytest.mark.parametrize(
    "line",
    [
        f'password = "{PASSWORD}\n',  # unterminated
        f'password = "{PASSWORD}" trailing\n',
        f"password = {PASSWORD}\n",  # no quotes
        f'password = "{PASSWORD[:7]}\\q{PASSWORD[7:]}"\n',  # bad escape
        f'password = "{PASSWORD[:7]}\x01{PASSWORD[7:]}"\n',  # control character
        f'password = """{PASSWORD}\n',  # unterminated multi-line
        f'password = {{ a = "{PASSWORD}", a = "{PASSWORD}" }}\n',  # duplicate inline key
        f'password = "{PASSWORD}"\npassword = "{PASSWORD}"\n',  # given twice
    ],
    ids=["open", "trailing", "bare", "escape", "control", "multiline", "inline", "twice"],
)
def test_a_malformed_password_line_names_the_file_and_line_but_not_the_value(
    line: str, tmp_path: Path, private_data_dir: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(f'[[accounts]]\nname = "Mail"\nplatform = "email"\n{line}', "utf-8")
    result = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
    assert_one_line_error(result, "answers.toml", "line ")
    assert_no_leak(result.stdout + result.stderr, PASSWORD)
