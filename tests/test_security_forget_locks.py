"""Issue 22: `history --forget` takes the audit locks. An open session keeps the history key in
memory: if --forget went ahead, that session could store fingerprints made with the forgotten
key after --forget said it was done. Now --forget refuses while any audit is open elsewhere,
deleting nothing; once it is closed, --forget deletes everything."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nutsec.store.sqlite import STORE_FILE
from tests.test_security_bad_input import assert_one_line_error, run_nutsec

HOLD = """
import sys, time
from pathlib import Path
from nutsec.store.sqlite import open_store
store = open_store(Path(sys.argv[1]))
store.hold(int(sys.argv[2]))
print("held", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def with_fingerprints(tmp_path: Path, private_data_dir: Path) -> Path:
    """Two saved audits, each with a stored fingerprint (as if made with a kept key)."""
    answers = tmp_path / "answers.toml"
    answers.write_text('[answers]\n[[devices]]\nname = "Phone"\nkind = "phone"\n')
    for _ in range(2):
        done = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(private_data_dir / STORE_FILE) as db:
        for audit_id in (1, 2):
            db.execute(
                "INSERT INTO password_fingerprints VALUES (?, 'Mail', 'k1', ?, ?, '2026-12-01')",
                (audit_id, b"\x01" * 32, b"\x02" * 32),
            )
    db.close()
    return private_data_dir


def _fingerprints(data: Path) -> int:
    with sqlite3.connect(data / STORE_FILE) as db:
        count = int(db.execute("SELECT count(*) FROM password_fingerprints").fetchone()[0])
    db.close()
    return count


def _forget(data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1"}
    # The null keyring: nothing on this machine's keyring is touched (no key stored there).
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return subprocess.run(
        [str(Path(sys.executable).parent / "nutsec"), "history", "--forget", "--yes", "--plain"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("audit_id", [1, 2])
def test_history_forget_takes_the_audit_locks_and_refuses_while_a_session_is_open(
    audit_id: int, with_fingerprints: Path
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(with_fingerprints), str(audit_id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        refused = _forget(with_fingerprints)
        assert_one_line_error(refused, f"Audit {audit_id} is open", "Nothing was deleted")
        assert _fingerprints(with_fingerprints) == 2
    finally:
        holder.communicate("\n", timeout=30)
    done = _forget(with_fingerprints)  # the session closed: now it goes ahead
    assert done.returncode == 0, done.stderr
    assert "Deleted 2 stored password fingerprints" in done.stdout
    assert _fingerprints(with_fingerprints) == 0
    assert not list(with_fingerprints.glob("audit-*.lock")), "forget left lock files behind"


def test_a_session_cannot_open_an_audit_while_forget_holds_it(with_fingerprints: Path) -> None:
    """The locks are held from before the key goes until the fingerprints are gone: a session
    opening an audit meanwhile is told it is open elsewhere (here: forget's key removal is
    made to wait while a session tries)."""
    from nutsec.errors import StoreError
    from nutsec.store.sqlite import open_store

    seen: list[str] = []

    def remove_key() -> bool:
        with open_store(with_fingerprints) as other, pytest.raises(StoreError) as caught:
            other.hold(1)
        seen.append(caught.value.message)
        return True

    with open_store(with_fingerprints) as store:
        removed, deleted = store.forget_fingerprints_of_every_audit(remove_key)
    assert (removed, deleted) == (True, 2)
    assert seen and "Audit 1 is open" in seen[0]


SCRIPTED = """
[[accounts]]
name = "Mail"
platform = "email"
password = "Plum-Orbit-Tide-8812"
"""


def _scripted_audit_with_forget_meanwhile(tmp_path: Path, *, forget: bool) -> int:
    """A scripted audit whose breach look-up is held for a few seconds by a loopback range
    server; meanwhile (`forget`), `history --forget --yes` runs in another process. Returns how
    many fingerprints the store kept."""
    from tests.loopback import Reply, running_range_server
    from tests.memory_keyring import keyring_env

    tmp_path.mkdir()
    data = tmp_path / "data"
    answers = tmp_path / "answers.toml"
    answers.write_text(SCRIPTED, encoding="utf-8")
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1", **keyring_env(data)}
    nutsec = str(Path(sys.executable).parent / "nutsec")
    with running_range_server(default=Reply(delay=4)) as server:
        audit = subprocess.Popen(
            [nutsec, "audit", "--answers", str(answers), "--hibp-url", server.url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            for _ in range(300):  # the key is open once the look-up has begun
                if server.requests or audit.poll() is not None:
                    break
                time.sleep(0.05)
            assert server.requests, "the audit made no range request"
            if forget:
                done = subprocess.run(
                    [nutsec, "history", "--forget", "--yes", "--plain"],
                    capture_output=True,
                    text=True,
                    env=env,
                    timeout=60,
                    check=False,
                )
                assert done.returncode == 0, done.stderr
                assert audit.poll() is None, "the look-up ended before --forget ran"
            out, err = audit.communicate(timeout=90)
        finally:
            if audit.poll() is None:
                audit.kill()
    assert audit.returncode == 0, err
    assert "Saved as audit 1" in out
    return _fingerprints(data)


def test_history_forget_while_a_scripted_audit_checks_leaves_none_of_its_fingerprints(
    tmp_path: Path,
) -> None:
    """A scripted audit holds no lock while it checks: if --forget removes the key meanwhile,
    the fingerprints made with that key are not kept when the audit is saved (the key is
    checked in the same write transaction that would keep them)."""
    assert _scripted_audit_with_forget_meanwhile(tmp_path / "kept", forget=False) == 1
    assert _scripted_audit_with_forget_meanwhile(tmp_path / "forgot", forget=True) == 0
