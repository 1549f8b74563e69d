"""Security review, promise 1: a password that cannot be read, or sits on a malformed line, is
never echoed back in an error or a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DOCS, toml_block
from tests.export_samples import Login, write_export
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
    keys = b"c\ny\na\nMail\n1\ng\n\nc\ny\n" + password[:6] + b"\xff" + password[6:] + b"\nq\n"
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


# Review 2: `nutsec passwords audit`. Only the password column is secret to the reader, but a
# password can also be written into an address or a title; neither may carry it to the output.

IN_ADDRESS = "Vb4!kTr9wQz2"
IN_TITLE = "Lm8$pRt3yHx6"
IN_PATH = "Gh5/sNq8dJw1"  # a "/" (not percent-encoded) hides it from the address's host part


@pytest.mark.parametrize("fmt", ["terminal", "json", "html"])
def test_a_password_written_into_an_address_or_title_of_an_export_is_never_shown(
    fmt: str, tmp_path: Path, private_data_dir: Path
) -> None:
    export = write_export(
        tmp_path / "export.csv",
        "keepassxc",
        [
            Login("Files", f"ftp://sam:{IN_ADDRESS}@files.example.org/in", "sam", IN_ADDRESS),
            Login(f"Wi-Fi at home: {IN_TITLE}", "", "router", IN_TITLE),
            Login("Backup", f"https://sam:{IN_PATH}@backup.example.org/", "sam", IN_PATH),
        ],
    )
    out = tmp_path / f"result.{fmt}"
    result = run_nutsec(
        "passwords",
        "audit",
        str(export),
        "--offline",
        "--format",
        fmt,
        "-o",
        str(out),
        data=private_data_dir,
    )
    assert result.returncode == 0, result.stderr
    shown = out.read_text(encoding="utf-8") + result.stdout + result.stderr
    assert "files.example.org" in shown and "Wi-Fi at home" in shown
    for password in (IN_ADDRESS, IN_TITLE, IN_PATH):
        assert_no_leak(shown, password)
    assert "ftp://files.example.org/in" in shown, "the credentials part of an address was kept"
