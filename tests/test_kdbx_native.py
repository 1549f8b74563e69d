"""KeePass keys derived in native code (issue 20) and hostile KeePass headers refused (issue 22).

AES-KDF is checked against pykeepass's own Python loop; databases of KeePassXC's own making
(KDBX 3.1 and KDBX 4 with AES-KDF) are opened through the installed `nutsec` script; a wrong
password is told by the header check, before anything is decrypted; absurd KDF parameters are
refused at once, and Ctrl-C stops a long derivation at once (exit 130).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from pykeepass.kdbx_parsing.common import aes_kdf as pykeepass_aes_kdf
from pykeepass.kdbx_parsing.common import compute_key_composite

from nutsec.exports import kdbx_key
from nutsec.exports.kdbx_key import WrongKey, aes_kdf, derive_key, read_header
from nutsec.exports.reader import ExportError
from tests.kdbx_samples import MASTER, make_kdbx
from tests.keepassxc_files import KEEPASSXC_CLI, keepassxc_database
from tests.test_exports_kdbx import LOGINS, SCRIPT, assert_no_password_shown, run_nutsec

needs_keepassxc = pytest.mark.skipif(KEEPASSXC_CLI is None, reason="keepassxc-cli not installed")
XC_LOGINS = [(x.name, x.url, x.username, x.password) for x in LOGINS]


@pytest.mark.parametrize("rounds", [0, 1, 2, 1000, 65_536, 65_537, 140_001])
def test_native_aes_kdf_gives_pykeepass_own_key(rounds: int) -> None:
    seed, composite = os.urandom(32), os.urandom(32)
    assert aes_kdf("db", seed, rounds, composite) == pykeepass_aes_kdf(seed, rounds, composite)


def test_aes_kdf_tells_its_progress_and_ends_with_done() -> None:
    told: list[tuple[int, int]] = []
    aes_kdf("db", os.urandom(32), 3_000_000, os.urandom(32), lambda d, t: told.append((d, t)))
    assert told[-1] == (3_000_000, 3_000_000)
    assert [d for d, _ in told] == sorted(d for d, _ in told)


@needs_keepassxc
@pytest.mark.parametrize("kdbx4", [False, True], ids=["kdbx3.1", "kdbx4-aes-kdf"])
def test_a_keepassxc_database_with_aes_kdf_opens(kdbx4: bool, tmp_path: Path) -> None:
    path = keepassxc_database(tmp_path / "xc.kdbx", XC_LOGINS, MASTER, kdbx4=kdbx4)
    data = path.read_bytes()
    assert data[10] == (4 if kdbx4 else 3)
    result = run_nutsec(
        "passwords", "audit", str(path), "--password-stdin", "--offline", "--format", "json",
        stdin=MASTER.encode() + b"\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert '"entries": 3' in out
    assert_no_password_shown(out + result.stderr.decode())


@needs_keepassxc
@pytest.mark.parametrize("kdbx4", [False, True], ids=["kdbx3.1", "kdbx4-aes-kdf"])
def test_a_wrong_password_is_told_by_the_header_check(kdbx4: bool, tmp_path: Path) -> None:
    path = keepassxc_database(tmp_path / "xc.kdbx", XC_LOGINS, MASTER, kdbx4=kdbx4)
    header = read_header("xc.kdbx", path.read_bytes())
    right = compute_key_composite(password=MASTER, keyfile=None)
    derive_key("xc.kdbx", header, right)  # no error: the header check passes
    with pytest.raises(WrongKey):
        derive_key("xc.kdbx", header, compute_key_composite(password="nope", keyfile=None))
    result = run_nutsec(
        "passwords", "audit", str(path), "--password-stdin", "--offline", stdin=b"nope\n"
    )
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and "wrong password" in result.stderr.decode()


def test_argon2_databases_still_open_and_check_their_header(tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, version=4)
    header = read_header("db.kdbx", path.read_bytes())
    told: list[tuple[int, int]] = []
    composite = compute_key_composite(password=MASTER, keyfile=None)
    derive_key("db.kdbx", header, composite, lambda d, t: told.append((d, t)))
    assert told == [(0, 1), (1, 1)]
    with pytest.raises(WrongKey):
        derive_key("db.kdbx", header, hashlib.sha256(b"x").digest())


def _kdbx4_with(tmp_path: Path, key: bytes, value: int) -> Path:
    """A KDBX 4 (Argon2) database whose KDF parameter `key` (I, M or P) is set to `value`."""
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, version=4)
    data = bytearray(path.read_bytes())
    kind = b"\x04" if key == b"P" else b"\x05"
    width = 4 if key == b"P" else 8
    tag = kind + b"\x01\x00\x00\x00" + key + width.to_bytes(4, "little")
    at = data.index(tag) + len(tag)
    data[at : at + width] = value.to_bytes(width, "little")
    path.write_bytes(bytes(data))
    return path


def _kdbx3_with_rounds(tmp_path: Path, rounds: int) -> Path:
    path = make_kdbx(tmp_path / "db3.kdbx", LOGINS, version=3)
    data = bytearray(path.read_bytes())
    tag = b"\x06\x08\x00"  # header field 6 (transform rounds), 8 bytes
    at = data.index(tag, 12) + len(tag)
    data[at : at + 8] = rounds.to_bytes(8, "little")
    path.write_bytes(bytes(data))
    return path


def test_a_kdbx_with_an_unknown_major_version_is_one_line_exit_2(tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, version=4)
    data = bytearray(path.read_bytes())
    data[10:12] = (5).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    result = run_nutsec(
        "passwords", "audit", str(path), "--password-stdin", "--offline",
        stdin=MASTER.encode() + b"\n",
    )  # fmt: skip
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err and "AttributeError" not in err
    assert err.count("\n") == 1 and "format version" in err


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        (b"I", 2**32 - 1, "Argon2 passes"),
        (b"M", 2**40, "Argon2 memory"),
        (b"I", 600, "Argon2 passes over"),  # 600 x 1 GiB would not do, but 600 x 1 MiB does
        (b"P", 2**24, "Argon2 lanes"),
    ],
)
def test_a_kdbx_asking_for_absurd_argon2_work_is_refused_at_once(
    key: bytes, value: int, said: str, tmp_path: Path
) -> None:
    path = _kdbx4_with(tmp_path, key, value)
    if key == b"I" and value == 600:
        data = bytearray(path.read_bytes())
        tag = b"\x05\x01\x00\x00\x00M\x08\x00\x00\x00"
        at = data.index(tag) + len(tag)
        data[at : at + 8] = (1024**3).to_bytes(8, "little")
        path.write_bytes(bytes(data))
    started = time.monotonic()
    result = run_nutsec(
        "passwords", "audit", str(path), "--password-stdin", "--offline",
        stdin=MASTER.encode() + b"\n",
    )  # fmt: skip
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1 and said in err, err
    assert "may be damaged" in err and time.monotonic() - started < 10


def test_a_kdbx_asking_for_absurd_aes_kdf_rounds_is_refused_at_once(tmp_path: Path) -> None:
    path = _kdbx3_with_rounds(tmp_path, 2**64 - 1)
    result = run_nutsec(
        "passwords", "audit", str(path), "--password-stdin", "--offline",
        stdin=MASTER.encode() + b"\n",
    )  # fmt: skip
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1 and "AES-KDF rounds" in err, err


def _interrupted(path: Path) -> tuple[int, float, str]:
    """Start an audit of `path`, press Ctrl-C once the key derivation is under way."""
    env = {**os.environ, "NO_COLOR": "1"}
    child = subprocess.Popen(
        [str(SCRIPT), "passwords", "audit", str(path), "--password-stdin", "--offline"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert child.stdin is not None
    child.stdin.write(MASTER.encode() + b"\n")
    child.stdin.close()
    time.sleep(2.0)  # imports done, deriving
    assert child.poll() is None, "the derivation ended before Ctrl-C"
    pressed = time.monotonic()
    child.send_signal(signal.SIGINT)
    try:
        code = child.wait(timeout=10)
    finally:
        child.kill()
    stopped = time.monotonic() - pressed
    assert child.stderr is not None
    return code, stopped, child.stderr.read().decode()


def test_ctrl_c_stops_an_aes_kdf_derivation_at_once(tmp_path: Path) -> None:
    path = _kdbx3_with_rounds(tmp_path, kdbx_key.MAX_AES_ROUNDS)  # about a minute of work
    code, stopped, err = _interrupted(path)
    assert code == 130 and stopped < 1.5 and "Traceback" not in err


def test_ctrl_c_stops_an_argon2_derivation_at_once(tmp_path: Path) -> None:
    path = _kdbx4_with(tmp_path, b"I", 900)  # 900 passes: allowed, and minutes of work
    data = bytearray(path.read_bytes())
    tag = b"\x05\x01\x00\x00\x00M\x08\x00\x00\x00"
    at = data.index(tag) + len(tag)
    data[at : at + 8] = (32 * 1024**2).to_bytes(8, "little")
    path.write_bytes(bytes(data))
    code, stopped, err = _interrupted(path)
    assert code == 130 and stopped < 1.5 and "Traceback" not in err


def test_a_header_too_short_to_hold_its_checks_is_damaged(tmp_path: Path) -> None:
    path = make_kdbx(tmp_path / "db.kdbx", LOGINS, version=4)
    data = path.read_bytes()
    header = read_header("db.kdbx", data)
    cut = read_header("db.kdbx", data[: len(header.raw) + 10])
    with pytest.raises(ExportError, match="damaged"):
        derive_key("db.kdbx", cut, compute_key_composite(password=MASTER, keyfile=None))
