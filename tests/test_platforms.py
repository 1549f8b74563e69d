"""Runs where reps are: output on terminals that cannot show every character, and files kept
private on each system."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nutsec.cli.console import ascii_stand_in
from nutsec.paths import ensure_private_dir

NUTSEC = str(Path(sys.executable).parent / "nutsec")

ANSWERS = """\
[[devices]]
name = "Work phone"
kind = "phone"

[[accounts]]
name = "Mail"
platform = "email"
password = "Kettle!Harbour42"

[[accounts]]
name = "Union X"
platform = "twitter"
password = "Kettle!Harbour43"
"""

EXPORT = "name,url,username,password\nMail,https://mail.example,sam,Kettle!Harbour42\n" + (
    "Forum,https://forum.example,sam,Kettle!Harbour42\n"
)


def run(
    args: list[str], data: Path, encoding: str, stdin: str = ""
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "PYTHONIOENCODING": encoding}
    env.pop("PYTHONUTF8", None)
    return subprocess.run(
        [NUTSEC, *args], env=env, input=stdin.encode(), capture_output=True, timeout=60, check=False
    )


@pytest.fixture
def saved_audit(tmp_path: Path, private_data_dir: Path) -> Path:
    answers = tmp_path / "answers.toml"
    answers.write_text(ANSWERS, encoding="utf-8")
    done = run(["audit", "--answers", str(answers), "--offline"], private_data_dir, "utf-8")
    assert done.returncode == 0, done.stderr.decode()
    return private_data_dir


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "command",
    [
        ["checklist", "show", "nut-social-media"],
        ["report", "latest"],
        ["report", "latest", "--format", "markdown"],
        ["passwords", "audit", "EXPORT", "--offline"],
        ["lost-device", "--print"],
        ["demo", "--no-pause"],
    ],
    ids=lambda c: " ".join(c) if isinstance(c, list) else c,
)
def test_output_that_a_terminal_cannot_show_never_crashes_the_command(
    command: list[str], encoding: str, saved_audit: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    args = [str(export) if a == "EXPORT" else a for a in command]
    done = run(args, saved_audit, encoding)
    output = done.stdout + done.stderr
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-800:]
    assert b"Traceback" not in output and b"UnicodeEncodeError" not in output
    assert b"Kettle!Harbour4" not in output, "a password reached the output"
    if encoding == "latin-1":
        output.decode("latin-1")  # only characters a Latin-1 terminal can show
    else:
        # click (typer.echo) takes an ASCII setting for a mislabelled UTF-8 terminal and writes
        # UTF-8; everything else is plain ASCII. Either way, it is text the terminal can take.
        output.decode("utf-8")


def test_checklist_show_falls_back_to_plain_ascii(private_data_dir: Path) -> None:
    done = run(["checklist", "show", "nut-social-media"], private_data_dir, "ascii")
    assert done.returncode == 0
    text = done.stdout.decode("ascii")  # every byte is ASCII
    assert "public-profile.union-role - asked once - medium" in text  # "·" stood in for


@pytest.mark.parametrize(
    ("character", "stand_in"),
    [("\u2014", "-"), ("\u2019", "'"), ("\u2026", "..."), ("é", "e"), ("\u2713", "v"), ("😀", "?")],
)
def test_characters_a_terminal_cannot_show_get_a_plain_stand_in(
    character: str, stand_in: str
) -> None:
    assert ascii_stand_in(character) == stand_in


@pytest.mark.skipif(sys.platform == "win32", reason="file modes are a POSIX promise")
def test_data_folder_is_made_private_on_posix(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)  # noqa: S103 (the shared mode to be fixed)
    ensure_private_dir(folder, platform="linux")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_on_windows_the_data_folder_is_not_chmodded(tmp_path: Path) -> None:
    """Windows keeps the folder private by where it is (the user's profile), not by its mode:
    chmod there would only flip the read-only flag."""
    folder = tmp_path / "profile" / "nutsec"
    ensure_private_dir(folder, platform="win32")
    assert folder.is_dir()
    if sys.platform != "win32":
        os.chmod(folder, 0o755)  # noqa: S103 (the shared mode to be fixed)
        ensure_private_dir(folder, platform="win32")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755


@pytest.mark.skipif(sys.platform == "win32", reason="file modes are a POSIX promise")
@pytest.mark.parametrize("fmt", ["html", "markdown", "json", "terminal"])
def test_a_report_written_with_o_is_readable_by_the_user_only(
    fmt: str, saved_audit: Path, tmp_path: Path
) -> None:
    out = tmp_path / f"report.{fmt}"
    old = os.umask(0o022)
    try:
        done = run(["report", "latest", "--format", fmt, "-o", str(out)], saved_audit, "utf-8")
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr.decode()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_clear_screen_clears_a_terminal_and_never_writes_a_code_elsewhere() -> None:
    from io import StringIO

    from rich.console import Console

    from nutsec.cli.console import clear_screen

    def cleared(**options: bool) -> str:
        out = StringIO()
        clear_screen(Console(file=out, **options))
        return out.getvalue()

    assert "\x1b[2J" in cleared(force_terminal=True)
    assert cleared(force_terminal=False) == "\n"
    assert "\x1b" not in cleared(force_terminal=True, legacy_windows=True)


def test_a_device_or_account_added_with_one_press_gets_a_name_that_says_what_it_is() -> None:
    """No typing: 'Android phone', then 'Android phone 2'; an e-mail is named for who runs it
    and is not described twice ('Work e-mail', not 'Work e-mail (work or union e-mail)')."""
    from nutsec.audit_data import Account, Device
    from nutsec.inventory_labels import (
        ACCOUNT_CHOICES,
        default_account_name,
        default_device_name,
        describe_account,
        describe_device,
    )

    assert default_device_name("phone", "android", []) == "Android phone"
    assert default_device_name("phone", "android", ["android PHONE"]) == "Android phone 2"
    assert default_device_name("laptop", "macos", []) == "Mac laptop"
    assert describe_device(Device("Mac laptop", "laptop", "macos")) == "Mac laptop (MacBook)"
    assert default_device_name("tablet", "other", []) == "Tablet"
    assert default_account_name("facebook", ["Facebook", "Facebook 2"]) == "Facebook 3"
    for choice, (_, platform, provider, name) in ACCOUNT_CHOICES.items():
        described = describe_account(Account(name, platform, "", provider))
        assert described.count("(") <= 1 and "e-mail (" not in described, (choice, described)
    assert describe_account(Account("Work e-mail", "email", "", "work")) == "Work e-mail"
    assert describe_account(Account("X", "twitter")) == "X (Twitter)"
    # A name the person chose still says who runs it.
    assert describe_account(Account("Mail", "email", "", "work")) == "Mail (work or union e-mail)"
