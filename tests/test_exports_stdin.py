"""No plaintext file: every supported format can be piped into the installed `nutsec` on standard
input, the audit writes nothing to disk (the data folder, the temporary folder and the working
folder are the same before and after), and a run with no file never says to delete one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.export_samples import HEADERS, SOURCE_OF, Login, bitwarden_json_text, export_text
from tests.kdbx_samples import MASTER, make_kdbx

SCRIPT = Path(sys.executable).with_name("nutsec")
LOGINS = [
    Login("Gmail", "https://mail.google.com/", "sam@example.org", "Gm#4kQ8vZp!x"),
    Login("X", "https://twitter.com/login", "sam_rep", "Tw#7wR2nLq@y"),
]


def _snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file under the folders, with its size and modification time."""
    seen: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            info = path.stat()
            seen[str(path)] = (info.st_size, info.st_mtime_ns)
    return seen


def _pipe(tmp_path: Path, data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The installed nutsec reading `data` on stdin, checked to leave the disk as it found it."""
    data_dir = Path(os.environ["NUTSEC_DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    temp = tmp_path / "tmp"
    work = tmp_path / "work"
    temp.mkdir(exist_ok=True)
    work.mkdir(exist_ok=True)
    env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(temp), "TEMP": str(temp)}
    env.pop("NUTSEC_HIBP_URL", None)
    before = _snapshot(data_dir, temp, work)
    result = subprocess.run(
        [str(SCRIPT), "passwords", "audit", *args], input=data, capture_output=True,
        timeout=60, check=False, env=env, cwd=work,
    )  # fmt: skip
    assert _snapshot(data_dir, temp, work) == before, "the audit wrote to disk"
    return result


@pytest.mark.parametrize("variant", list(HEADERS))
def test_every_csv_layout_can_be_piped_in(variant: str, tmp_path: Path) -> None:
    data = export_text(variant, LOGINS).encode()
    result = _pipe(tmp_path, data, "-", "--offline", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["source"]["key"] == SOURCE_OF[variant]
    assert report["file"] == "standard input"
    assert report["summary"]["entries"] == 2
    assert b"delete" not in result.stderr.lower()


def test_bitwarden_json_can_be_piped_in(tmp_path: Path) -> None:
    data = bitwarden_json_text(LOGINS).encode()
    args = ("--source", "bitwarden-json", "-", "--offline", "--format", "json")
    result = _pipe(tmp_path, data, *args)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["source"]["key"] == "bitwarden-json"
    assert [e["name"] for e in report["entries"]] == ["Gmail", "X"]
    assert report["entries"][0]["folder"] == "Internet"
    # The note is not a login; the trashed login is left out and counted.
    assert report["summary"]["skipped"] == 2
    auto = _pipe(tmp_path, data, "-", "--offline", "--format", "json")
    assert json.loads(auto.stdout)["source"]["key"] == "bitwarden-json"


@pytest.mark.parametrize("version", [3, 4])
def test_a_keepass_database_can_be_piped_in_after_its_password(
    version: int, tmp_path: Path
) -> None:
    database = make_kdbx(tmp_path / "db.kdbx", LOGINS, version=version).read_bytes()
    data = MASTER.encode() + b"\n" + database
    result = _pipe(tmp_path, data, "-", "--password-stdin", "--offline", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["source"]["key"] == "kdbx" and report["summary"]["entries"] == 2


def test_the_terminal_page_for_piped_input_says_nothing_of_deleting(tmp_path: Path) -> None:
    result = _pipe(tmp_path, export_text("keepassxc", LOGINS).encode(), "-", "--offline")
    assert result.returncode == 0, result.stderr
    shown = (result.stdout + result.stderr).decode()
    assert "standard input" in shown
    assert "delete" not in shown.lower()


def test_an_export_file_still_gets_the_reminder_to_delete_it(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(export_text("chrome", LOGINS), "utf-8")
    result = _pipe(tmp_path, b"", str(path), "--offline")
    assert "delete it securely" in " ".join(result.stderr.decode().split())


def test_a_fifo_is_refused_at_once_not_read_forever(tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    # Were nutsec to open the FIFO, it would wait for a writer; this guard unblocks it anyway.
    guard = threading.Timer(20, lambda: open(fifo, "wb").close())
    guard.start()
    try:
        result = _pipe(tmp_path, b"", str(fifo), "--offline")
    finally:
        guard.cancel()
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "not a regular file" in err


def test_empty_standard_input_is_one_line_exit_2(tmp_path: Path) -> None:
    result = _pipe(tmp_path, b"", "-", "--offline")
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and "standard input" in result.stderr.decode()
