"""Security review, issue 14 (data loss): output never lands in the data folder or on the file
being read; one session per audit; a busy database is not "damaged"; links in the data folder
are refused and their targets never touched; a bad data folder is one clear line everywhere."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from nutsec.audit_data import Audit
from nutsec.errors import StoreError
from nutsec.store.sqlite import STORE_FILE, open_store
from tests.test_security_bad_input import assert_one_line_error, run_nutsec

EXPORT = "name,url,username,password\nMail,https://mail.example.org,sam,Summer2024!\n"


@pytest.fixture
def saved(tmp_path: Path, private_data_dir: Path) -> Path:
    """A data folder with one finished audit (id 1) and one unfinished (id 2)."""
    answers = tmp_path / "answers.toml"
    answers.write_text('[answers]\n[[devices]]\nname = "Phone"\nkind = "phone"\n')
    done = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(private_data_dir / STORE_FILE) as db:
        text = db.execute("SELECT checklist_text FROM audits WHERE id = 1").fetchone()[0]
    db.close()
    with open_store(private_data_dir) as store:
        first = store.load(1)
        assert store.create(Audit(checklist=first.checklist, created_at=first.created_at), text)
    return private_data_dir


def _database_bytes(data: Path) -> bytes:
    return (data / STORE_FILE).read_bytes()


@pytest.mark.parametrize("name", [STORE_FILE, "report.html", "sub/../audits.sqlite3"])
def test_report_output_inside_the_data_folder_is_refused(saved: Path, name: str) -> None:
    before = _database_bytes(saved)
    result = run_nutsec("report", "1", "--format", "html", "-o", str(saved / name), data=saved)
    assert_one_line_error(result, "data folder")
    assert _database_bytes(saved) == before


def test_passwords_audit_output_inside_the_data_folder_is_refused(
    saved: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(EXPORT)
    before = _database_bytes(saved)
    result = run_nutsec(
        "passwords", "audit", str(export), "--offline", "-o", str(saved / STORE_FILE), data=saved
    )
    assert_one_line_error(result, "data folder")
    assert _database_bytes(saved) == before


def test_passwords_audit_output_over_its_own_input_is_refused(saved: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(EXPORT)
    link = tmp_path / "same.csv"
    os.link(export, link)  # another name for the same file
    result = run_nutsec("passwords", "audit", str(export), "--offline", "-o", str(link), data=saved)
    assert result.returncode == 2
    assert export.read_text() == EXPORT


HOLD = """
import sys, time
from pathlib import Path
from nutsec.store.sqlite import open_store
store = open_store(Path(sys.argv[1]))
store.hold(int(sys.argv[2]))
print("held", flush=True)
time.sleep(60)
"""


def _holder(data: Path, audit_id: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data), str(audit_id)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_second_session_on_one_audit_is_told_who_holds_it(saved: Path) -> None:
    first = _holder(saved, 2)
    try:
        result = run_nutsec("audit", "--resume", "2", "--offline", data=saved)
        assert_one_line_error(result, "Audit 2 is open in another nutsec", f"process {first.pid}")
        assert "nutsec report 2" in result.stderr, "the read-only way in is offered"
        with open_store(saved) as store, pytest.raises(StoreError, match="open in another"):
            store.save_answer(2, "public-profile.mentions-union", None, "yes")
        # Looking without changing stays possible.
        report = run_nutsec("report", "2", data=saved)
        assert report.returncode == 0, report.stderr
    finally:
        first.kill()
        first.wait()


def test_a_lock_left_by_a_killed_session_is_taken_over(saved: Path) -> None:
    first = _holder(saved, 2)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert (saved / "audit-2.lock").exists(), "the killed session left its lock file"
    with open_store(saved) as store:
        store.save_answer(2, "public-profile.mentions-union", None, "yes")
        assert store.load(2).answers[("public-profile.mentions-union", None)] == "yes"


def test_a_busy_database_is_its_own_message_and_never_says_move_it(saved: Path) -> None:
    blocker = sqlite3.connect(saved / STORE_FILE, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        result = run_nutsec("history", data=saved, timeout=60)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert_one_line_error(result, "busy")
    assert "move" not in result.stderr.lower() and "damaged" not in result.stderr


@pytest.mark.parametrize("name", [STORE_FILE, f"{STORE_FILE}-journal"])
def test_a_link_in_the_data_folder_is_refused_and_its_target_untouched(
    tmp_path: Path, private_data_dir: Path, name: str
) -> None:
    private_data_dir.mkdir(mode=0o700)
    target = tmp_path / "precious.txt"
    target.write_text("not nutsec's\n")
    target.chmod(0o644)
    (private_data_dir / name).symlink_to(target)
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\n")
    for args in (["audit", "--answers", str(answers), "--offline"], ["history"]):
        result = run_nutsec(*args, data=private_data_dir)
        assert_one_line_error(result, "link")
    assert target.read_text() == "not nutsec's\n"
    assert target.stat().st_mode & 0o777 == 0o644, "the link's target was chmod-ed"


COMMANDS = [
    ["history"],
    ["report", "latest"],
    ["config", "show"],
    ["audit", "--offline", "--answers", "{answers}"],
    ["lost-device", "--print"],
]


@pytest.mark.parametrize("kind", ["file", "dev-null", "link-to-file", "name-too-long"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_a_data_folder_that_cannot_be_a_folder_is_one_clear_line_everywhere(
    tmp_path: Path, kind: str, args: list[str]
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\n")
    plain = tmp_path / "a-file"
    plain.write_text("x\n")
    if kind == "file":
        data = plain
    elif kind == "dev-null":
        data = Path("/dev/null")
    elif kind == "link-to-file":
        data = tmp_path / "link"
        data.symlink_to(plain)
    else:
        data = tmp_path / ("d" * 300)
    command = [part.replace("{answers}", str(answers)) for part in args]
    result = run_nutsec(*command, data=data)
    assert_one_line_error(result, "Cannot use the folder")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "No audits saved yet" not in result.stdout
    assert "not created yet" not in result.stdout


def test_a_negative_format_number_is_refused_not_migrated(saved: Path) -> None:
    with sqlite3.connect(saved / STORE_FILE) as db:
        db.execute("PRAGMA user_version = -1")
    db.close()
    before = _database_bytes(saved)
    result = run_nutsec("history", data=saved)
    assert_one_line_error(result, "format number -1")
    assert _database_bytes(saved) == before


@pytest.mark.parametrize("stored", ["5", '"Mail"', '{"a": 1}', "[1, 2]", "not json"])
def test_a_stored_reused_with_that_is_not_a_list_is_damaged_not_type_error(
    saved: Path, stored: str
) -> None:
    with open_store(saved) as store:
        from tests.test_store_sqlite import FINDINGS

        store.save_inventory(1, (), (store.load(1).accounts or ()))
        store.save_password_findings(1, "Mail", FINDINGS)
    with sqlite3.connect(saved / STORE_FILE) as db:
        db.execute("UPDATE password_findings SET reused_with = ?", (stored,))
    db.close()
    result = run_nutsec("report", "1", data=saved)
    assert_one_line_error(result, "reused_with")
    assert "TypeError" not in result.stderr


def test_read_only_commands_leave_a_0500_folder_as_it_is(saved: Path) -> None:
    saved.chmod(0o500)
    try:
        assert run_nutsec("history", data=saved).returncode == 0
        assert run_nutsec("report", "1", data=saved).returncode == 0
        assert run_nutsec("share", "1", data=saved).returncode == 0
        assert saved.stat().st_mode & 0o777 == 0o500, "a read-only command changed the folder"
    finally:
        saved.chmod(0o700)


AS_NOBODY = """
import contextlib, io, os, sys
from nutsec.cli import app, main
# Python lives under /root, which `nobody` cannot open: load every module the command needs
# first, as root, on a folder of our own; then become `nobody` and run it for real.
os.environ["NUTSEC_DATA_DIR"] = sys.argv[1]
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        app(sys.argv[3:], standalone_mode=False)
    except BaseException:
        pass
os.environ["NUTSEC_DATA_DIR"] = sys.argv[2]
os.setgid(65534)
os.setuid(65534)
sys.argv = ["nutsec", *sys.argv[3:]]
main()
"""


def _as_nobody(warm: Path, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", AS_NOBODY, str(warm), str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def open_base() -> Iterator[Path]:
    """A folder `nobody` can reach (pytest's own is 0700 under root's name)."""
    base = Path(tempfile.mkdtemp(prefix="nutsec-nobody-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="switches to `nobody`"
)


@needs_root
@pytest.mark.parametrize("args", [["history"], ["report", "1"], ["config", "show"]])
def test_a_data_folder_of_another_user_is_one_clear_line_not_permission_error(
    saved: Path, open_base: Path, args: list[str]
) -> None:
    """Tests run as root here, where permissions are not enforced: the command is run as
    `nobody` on a folder that belongs to root (0700), as after `sudo nutsec ...`."""
    data = Path(shutil.copytree(saved, open_base / "data"))
    data.chmod(0o700)
    result = _as_nobody(saved, data, *args)
    assert_one_line_error(result, "permission")
    assert "PermissionError" not in result.stderr


@needs_root
def test_a_read_only_database_can_be_read_by_report_and_history(
    saved: Path, open_base: Path
) -> None:
    """As `nobody`, root's 0755 folder and 0644 database are readable but not writable."""
    data = Path(shutil.copytree(saved, open_base / "data"))
    data.chmod(0o755)
    (data / STORE_FILE).chmod(0o644)
    for args in (["history"], ["report", "1"]):
        result = _as_nobody(saved, data, *args)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert (data / STORE_FILE).stat().st_mode & 0o777 == 0o644
