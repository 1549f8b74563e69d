"""Issue 19, vault audit: a mistyped master password at the prompt is asked again (three tries in
all), and with --password-stdin it is exit 2 at once. The installed `nutsec` on a real terminal
(pexpect) opens a real KDBX file made in the test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from nutsec.errors import NutsecError
from nutsec.exports.reader import KdbxKey, WrongKeyError, read_export
from nutsec.secret import Secret
from tests.export_samples import Login
from tests.kdbx_samples import MASTER, make_kdbx
from tests.test_exports_kdbx import assert_no_password_shown, run_nutsec

SCRIPT = Path(sys.executable).with_name("nutsec")
LOGINS = [
    Login("Gmail", "https://mail.google.com/mail/u/0", "sam@example.org", "Gm#4kQ8vZp!x"),
    Login("Facebook", "https://www.facebook.com/login", "sam.rep", "Fb#7wR2nLq@y"),
    Login("Union forum", "https://forum.union.example", "sam", "Uf#9tY3mKs$z"),
]
WRONG = ("Wrong-Guess-0001", "Wrong-Guess-0002", "Wrong-Guess-0003")


def _spawn(path: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k != "NUTSEC_HIBP_URL"}
    return pexpect.spawn(
        str(SCRIPT), ["passwords", "audit", str(path), "--offline", "--plain"],
        dimensions=(24, 100), encoding="utf-8", env=env, timeout=60,
    )  # fmt: skip


def test_a_mistyped_master_password_at_the_prompt_is_asked_again(tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS)
    child = _spawn(path)
    child.expect("Master password of db.kdbx:")
    child.sendline(WRONG[0])
    child.expect(r"That password does not open db\.kdbx\. Try again \(try 2 of 3\)")
    child.expect("Master password of db.kdbx:")
    child.sendline(MASTER)
    shown: str = child.read()
    child.close()
    assert child.exitstatus == 0, shown
    assert "3 logins checked." in shown
    assert WRONG[0] not in shown
    assert_no_password_shown(shown)


def test_three_wrong_master_passwords_at_the_prompt_end_in_one_line_exit_2(
    tmp_path: Path,
) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS)
    child = _spawn(path)
    for attempt, guess in enumerate(WRONG, start=1):
        if attempt > 1:
            child.expect(rf"Try again \(try {attempt} of 3\)")
        child.expect("Master password of db.kdbx:")
        child.sendline(guess)
    rest: str = child.read()
    child.close()
    assert child.exitstatus == 2, rest
    lines = [line for line in rest.splitlines() if line.strip()]
    assert len(lines) == 1 and "wrong password" in lines[0] and "try 3 of 3" in lines[0]
    assert not any(guess in rest for guess in WRONG)


def test_a_wrong_master_password_on_standard_input_is_exit_2_at_once(tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS)
    result = run_nutsec(
        "passwords", "audit", str(path), "--password-stdin", "--offline",
        stdin=b"Wrong-Guess-0001\nWrong-Guess-0002\n" + MASTER.encode() + b"\n",
    )  # fmt: skip
    err = result.stderr.decode()
    assert result.returncode == 2 and result.stdout == b"", err
    assert err.count("\n") == 1 and "wrong password" in err
    assert "Try again" not in err and "try 3" not in err and "Wrong-Guess" not in err


def test_the_reader_asks_for_the_key_again_only_as_many_times_as_it_is_told(
    tmp_path: Path,
) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS)
    keys = iter([WRONG[0], WRONG[1], MASTER])
    asked: list[int] = []

    def unlock() -> KdbxKey:
        asked.append(1)
        return KdbxKey(Secret(next(keys)))

    export = read_export(path, unlock=unlock, key_tries=3)
    assert len(asked) == 3 and len(export.entries) == 3
    export.wipe()
    asked.clear()
    with pytest.raises(WrongKeyError) as raised:
        read_export(path, unlock=lambda: (asked.append(1), KdbxKey(Secret(WRONG[0])))[1])
    assert len(asked) == 1 and isinstance(raised.value, NutsecError)
    assert WRONG[0] not in str(raised.value)
