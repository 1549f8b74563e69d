"""`nutsec password check`: reads without echo, prints the contract JSON, never the password."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from nutsec.cli import app
from tests.test_password_leaks import assert_no_leak

PASSWORD = "Qz7#vXpLmZw9Rk"
runner = CliRunner()


def check(*args: str, stdin: str | bytes) -> tuple[int, str, str]:
    result = runner.invoke(app, ["password", "check", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_json_has_exactly_the_contract_shape() -> None:
    code, out, _ = check("--stdin", "--json", "--offline", stdin="Summer2024!\n")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["strength", "breach"]
    assert list(data["strength"]) == ["score", "crack_time", "warning", "suggestions"]
    assert data["strength"]["score"] == 2
    assert data["breach"] == {"status": "unknown", "count": 0, "reason": "offline"}


def test_stdin_strips_only_the_line_ending() -> None:
    # "  a  " with its spaces is a different password from "a": spaces must be kept.
    _, padded, _ = check("--stdin", "--json", "--offline", stdin="  Summer2024!  \r\n")
    _, bare, _ = check("--stdin", "--json", "--offline", stdin="Summer2024!")
    assert json.loads(padded)["strength"] != json.loads(bare)["strength"]


def test_stdin_reads_only_the_first_line() -> None:
    _, two_lines, _ = check("--stdin", "--json", "--offline", stdin="Summer2024!\nmore words\n")
    _, one_line, _ = check("--stdin", "--json", "--offline", stdin="Summer2024!\n")
    assert two_lines == one_line


@pytest.mark.parametrize("args", [["--json"], [], ["--plain"]], ids=["json", "rich", "plain"])
def test_output_never_contains_the_password(args: list[str]) -> None:
    code, out, err = check("--stdin", "--offline", *args, stdin=PASSWORD + "\n")
    assert code == 0
    assert_no_leak(out + err, PASSWORD)


@pytest.mark.parametrize("stdin", ["\n", "", "\r\n"], ids=["newline", "nothing", "crlf"])
def test_empty_password_is_exit_2_with_one_line(stdin: str) -> None:
    code, out, err = check("--stdin", "--offline", stdin=stdin)
    assert code == 2
    assert err.strip() == (
        "Error: No password was given. Type it at the prompt, or give it as one line of "
        "standard input with --stdin."
    )
    assert out == ""


def test_input_that_is_not_utf8_is_exit_2_without_echoing_it() -> None:
    code, _, err = check("--stdin", "--offline", stdin=b"Qz7\xff\xfeXpLm\n")
    assert code == 2
    assert "not UTF-8" in err and "xff" not in err and "Qz7" not in err


def test_human_output_shows_verdict_crack_times_and_unchecked_breach() -> None:
    code, out, _ = check("--stdin", "--offline", stdin="Tr0ub4dor&3\n")
    assert code == 0
    text = " ".join(out.split())
    assert "Fair:" in text
    assert "if the website protected it well: 4 months" in text
    assert "if it did not: 10 seconds" in text
    assert "Not checked for known breaches (offline)." in text
    assert "safe" not in text.lower()


def test_plain_and_no_color_draw_no_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    _, plain, _ = check("--stdin", "--offline", "--plain", stdin="Tr0ub4dor&3\n")
    monkeypatch.setenv("NO_COLOR", "1")
    _, no_color, _ = check("--stdin", "--offline", stdin="Tr0ub4dor&3\n")
    for out in (plain, no_color):
        assert "Password check" in out
        assert not set("╭╮╰╯│─+|") & set(out.replace("- ", "")), "box drawing in plain output"
        assert "\x1b[" not in out


def test_long_paste_says_only_a_prefix_was_checked() -> None:
    code, out, _ = check("--stdin", "--offline", "--plain", stdin="walrus pocket " * 800 + "\n")
    assert code == 0
    assert "only the first 72 characters were checked" in " ".join(out.split())


def test_hidden_prompt_is_used_without_stdin_and_keeps_stdout_clean_for_json() -> None:
    code, out, err = check("--offline", "--json", stdin=PASSWORD + "\n")
    assert code == 0
    assert "Password to check" in err
    assert json.loads(out)["breach"]["reason"] == "offline"
    assert_no_leak(out + err, PASSWORD)


def test_installed_command_checks_from_stdin_offline() -> None:
    nutsec = shutil.which("nutsec", path=os.path.dirname(sys.executable)) or "nutsec"
    done = subprocess.run(
        [nutsec, "password", "check", "--stdin", "--json", "--offline"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["breach"] == {"status": "unknown", "count": 0, "reason": "offline"}
    assert data["strength"]["score"] == 4
    assert_no_leak(done.stdout + done.stderr, PASSWORD)


def test_installed_command_prompt_does_not_echo_what_is_typed() -> None:
    pexpect = pytest.importorskip("pexpect")
    nutsec = shutil.which("nutsec", path=os.path.dirname(sys.executable)) or "nutsec"
    child = pexpect.spawn(
        nutsec,
        ["password", "check", "--offline", "--plain"],
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
        encoding="utf-8",
        timeout=30,
    )
    child.expect("Password to check")
    child.sendline(PASSWORD)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Password check" in (child.before or "")
    assert_no_leak(child.before or "", PASSWORD)
