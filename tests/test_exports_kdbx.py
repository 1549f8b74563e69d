"""KeePass databases read directly: real KDBX 3.1 and 4 files (with and without a key file) made
in the test, the recycle bin, history and Backup group left out, and a wrong password or a
damaged file as one line, exit 2, through the installed `nutsec` script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nutsec.errors import NutsecError
from nutsec.exports.reader import SKIPPED_BIN, SKIPPED_EXCLUDED, KdbxKey, read_export
from nutsec.secret import Secret
from tests.export_samples import Login
from tests.kdbx_samples import BACKUP, MASTER, OLD_PASSWORD, TRASHED, make_kdbx

LOGINS = [
    Login("Gmail", "https://mail.google.com/mail/u/0", "sam@example.org", "Gm#4kQ8vZp!x"),
    Login("Facebook", "https://www.facebook.com/login", "sam.rep", "Fb#7wR2nLq@y"),
    Login("Union forum", "https://forum.union.example", "sam", "Uf#9tY3mKs$z"),
]
ALL_PASSWORDS = [login.password for login in LOGINS] + [
    OLD_PASSWORD, TRASHED.password, BACKUP.password, MASTER,
]  # fmt: skip
SCRIPT = Path(sys.executable).with_name("nutsec")


def _key(keyfile: Path | None = None, password: str | None = MASTER) -> KdbxKey:
    return KdbxKey(Secret(password) if password is not None else None, keyfile)


def run_nutsec(
    *args: str, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("NUTSEC_HIBP_URL", None)
    return subprocess.run(
        [str(SCRIPT), *args], input=stdin, capture_output=True, timeout=60, check=False,
        env=env, cwd=cwd,
    )  # fmt: skip


def assert_no_password_shown(text: str) -> None:
    for number, password in enumerate(ALL_PASSWORDS):
        pieces = {password[i : i + 4] for i in range(len(password) - 3)}
        assert not [p for p in pieces if p in text], f"a piece of password #{number} is shown"


@pytest.mark.parametrize("version", [3, 4])
def test_kdbx_3_and_4_are_read_directly(version: int, tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, version=version, totp_for="Facebook")
    export = read_export(path, unlock=lambda: _key())
    assert export.source.key == "kdbx"
    assert [e.name for e in export.entries] == ["Gmail", "Facebook", "Union forum"]
    assert [e.secret.reveal() for e in export.entries] == [x.password for x in LOGINS]
    assert [e.folder for e in export.entries] == ["Internet"] * 3
    assert [e.totp for e in export.entries] == [False, True, False]
    export.wipe()


@pytest.mark.parametrize("version", [3, 4])
def test_kdbx_with_a_key_file_is_read(version: int, tmp_path: Path) -> None:
    keyfile = tmp_path / "db.keyx"
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, version=version, keyfile=keyfile)
    export = read_export(path, unlock=lambda: _key(keyfile))
    assert len(export.entries) == 3
    with pytest.raises(NutsecError, match="wrong password"):
        read_export(path, unlock=lambda: _key(None))


def test_recycle_bin_history_and_backup_group_are_left_out_and_counted(tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS)
    export = read_export(path, unlock=lambda: _key())
    names = [e.name for e in export.entries]
    assert TRASHED.name not in names and BACKUP.name not in names
    assert len(names) == len(LOGINS)  # the history copy of the first login is not an entry
    assert export.skipped[SKIPPED_BIN] == 2


def test_exclude_folder_leaves_out_a_group_and_counts_it(tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, folder="Old stuff")
    export = read_export(path, unlock=lambda: _key(), exclude_folders=["old STUFF"])
    assert export.entries == ()
    assert export.skipped[SKIPPED_EXCLUDED] == 3


@pytest.mark.parametrize("version", [3, 4])
def test_a_wrong_master_password_is_one_line_exit_2(version: int, tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, version=version)
    result = run_nutsec(
        "passwords", "audit", str(path), "--password-stdin", "--offline",
        stdin=b"not the password\n",
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == b""
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "wrong password" in err and "db.kdbx" in err
    assert "not the password" not in err


@pytest.mark.parametrize("cut", ["header", "body"])
def test_a_damaged_database_is_one_line_exit_2(cut: str, tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS)
    data = bytearray(path.read_bytes())
    if cut == "header":
        del data[40:]
    else:
        data[-200] ^= 0xFF  # one flipped bit pattern in the encrypted payload
    path.write_bytes(bytes(data))
    result = run_nutsec(
        "passwords", "audit", str(path), "--password-stdin", "--offline",
        stdin=MASTER.encode() + b"\n",
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == b""
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "damaged" in err
    assert "Traceback" not in err


def test_the_audit_of_a_database_shows_no_password_and_says_nothing_of_deleting(
    tmp_path: Path,
) -> None:
    keyfile = tmp_path / "db.keyx"
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, keyfile=keyfile, totp_for="Gmail")
    result = run_nutsec(
        "passwords", "audit", str(path), "--keyfile", str(keyfile), "--password-stdin",
        "--offline", "--format", "json", stdin=MASTER.encode() + b"\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"]["key"] == "kdbx"
    assert data["summary"]["entries"] == 3 and data["summary"]["skipped"] == 2
    by_name = {e["name"]: e for e in data["entries"]}
    assert by_name["Gmail"]["two_step"]["set_up"] is True
    assert by_name["Facebook"]["two_step"]["offered"] is True
    assert "delete" not in result.stderr.decode().lower()
    assert_no_password_shown(result.stdout.decode() + result.stderr.decode())


def test_password_stdin_is_refused_for_a_csv_export(tmp_path: Path) -> None:
    from tests.export_samples import write_export

    export = write_export(tmp_path / "e.csv", "chrome", LOGINS)
    result = run_nutsec(
        "passwords", "audit", str(export), "--password-stdin", "--offline", stdin=b"pw\n"
    )
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and "KeePass" in result.stderr.decode()


def test_with_no_terminal_to_ask_on_the_master_password_is_one_line_exit_2(
    tmp_path: Path,
) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS)
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [str(SCRIPT), "passwords", "audit", str(path), "--offline"], stdin=subprocess.DEVNULL,
        capture_output=True, timeout=60, check=False, env=env, start_new_session=True,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode().strip().endswith("--password-stdin.")


def test_the_master_password_is_asked_at_a_hidden_prompt(tmp_path: Path) -> None:
    import pexpect

    path = make_kdbx(tmp_path / "db.kdbx", LOGINS)
    env = {k: v for k, v in os.environ.items() if k not in ("NUTSEC_HIBP_URL",)}
    child = pexpect.spawn(
        str(SCRIPT), ["passwords", "audit", str(path), "--offline", "--plain"],
        dimensions=(24, 80), encoding="utf-8", env=env, timeout=30,
    )  # fmt: skip
    child.expect("Master password of db.kdbx:")
    child.sendline(MASTER)
    shown: str = child.read()
    child.close()
    assert child.exitstatus == 0, shown
    assert "3 logins checked." in shown and "a KeePass database." in shown
    assert_no_password_shown(shown)
    assert "delete it securely" not in " ".join(shown.split())


def test_a_fifo_given_as_the_key_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS)
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    result = run_nutsec(
        "passwords", "audit", str(path), "--keyfile", str(fifo), "--password-stdin", "--offline",
        stdin=MASTER.encode() + b"\n",
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == b""
    assert "not a regular file" in result.stderr.decode()


def test_fields_read_in_one_pass_are_what_pykeepass_itself_reads(tmp_path: Path) -> None:
    """nutsec reads an entry's fields in one pass over its XML (issue 20: 9 queries an entry
    were a tenth of the time to open a file); the values are pykeepass's own."""
    from pykeepass import PyKeePass

    from nutsec.exports.kdbx import _TOTP_FIELDS, _fields

    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, totp_for="Facebook")
    database = PyKeePass(str(path), password=MASTER)
    assert len(database.entries) > len(LOGINS)  # with the trashed, history and Backup ones
    for entry in database.entries:
        fields = _fields(entry)
        theirs = (entry.title, entry.username, entry.url, entry.password, entry.otp)
        ours = tuple(fields.get(k) for k in ("Title", "UserName", "URL", "Password", "otp"))
        custom = all(fields.get(f) == entry.get_custom_property(f) for f in _TOTP_FIELDS)
        same = ours == theirs and custom
        assert same, f"the fields of {entry.title!r} differ"  # never the values themselves
