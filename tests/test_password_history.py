"""The history key and the fingerprints kept with audits (promise 2): reuse found across
sittings and audits, "not compared" (never "unique") when fingerprints cannot be compared, and
`nutsec history --forget` removing them and the key. Real SQLite files, real keyring backends.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring.backends.fail
import keyring.backends.null
import pytest
from keyrings.alt.file import PlaintextKeyring
from typer.testing import CliRunner

from nutsec.audit.outcomes import audit_outcomes
from nutsec.audit.password_step import PasswordChecker
from nutsec.audit.session import AuditSession, FingerprintsIfKept
from nutsec.audit_data import Account, Device
from nutsec.breach.model import OfflineSource
from nutsec.checklist.loader import load_checklist_text
from nutsec.cli import app
from nutsec.history_key import (
    KEYRING_SERVICE,
    KEYRING_USERNAME,
    HistoryKey,
    open_history_key,
)
from nutsec.passwords.fingerprints import ReuseFinder
from nutsec.secret import Secret
from nutsec.store.migrations import MIGRATIONS, SCHEMA_VERSION
from nutsec.store.sqlite import STORE_FILE, SqliteAuditStore, open_store
from tests.conftest import DOCS, toml_block
from tests.memory_keyring import MemoryKeyring

TEXT = toml_block(DOCS / "checklist-format.md")
CHECKLIST = load_checklist_text(TEXT, "example")
TWITTER = Account("Union Twitter", "twitter", "sam_rep")
MAIL = Account("Mail", "email")
runner = CliRunner()


class LockedKeyring(MemoryKeyring):
    """A keyring that is there but refuses every call, as a locked one does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("the collection is locked")


def kept_key(ring: MemoryKeyring | None = None) -> HistoryKey:
    return open_history_key(ring or MemoryKeyring())


def checker(key: HistoryKey, why: str | None = None) -> PasswordChecker:
    kwargs = {} if why is None else {"other_sittings": why}
    return PasswordChecker(OfflineSource(), lambda: ReuseFinder(key.key), **kwargs)


def sitting(store: SqliteAuditStore, key: HistoryKey, audit_id: int | None = None) -> AuditSession:
    """A session as the CLI builds it: fingerprints kept only when the key is kept."""
    prints = FingerprintsIfKept(store, lambda: key.kept)
    if audit_id is not None:
        return AuditSession.resume(store, audit_id, checker(key, "no key was kept"), prints)
    session = AuditSession.start(store, CHECKLIST, TEXT, checker(key), prints=prints)
    session.set_devices((Device("Phone", "phone"),))
    session.set_accounts((TWITTER, MAIL))
    return session


def reuse_status(session: AuditSession) -> dict[str | None, str]:
    return {
        q.subject: o.status.value
        for q, o in audit_outcomes(session.audit())
        if q.item.id == "password.reused"
    }


# The key ---------------------------------------------------------------------------------------


def test_the_history_key_is_made_once_and_kept_in_a_safe_keyring() -> None:
    ring = MemoryKeyring()
    first = open_history_key(ring)
    again = open_history_key(ring)
    assert first.kept and again.kept and first.why_not_kept is None
    assert first.key == again.key and len(first.key) == 32
    assert (KEYRING_SERVICE, KEYRING_USERNAME) in ring.secrets and ring.writes == 1
    assert first.key.hex() not in repr(first) and "***" in repr(first)


@pytest.mark.parametrize(
    ("backend", "why"),
    [
        (keyring.backends.fail.Keyring(), "no usable system keyring was found"),
        (keyring.backends.null.Keyring(), "the keyring is switched off"),
        (PlaintextKeyring(), "plain-text file"),
        (LockedKeyring(), "could not be read (is it locked?)"),
    ],
    ids=["none", "null", "plain-text", "locked"],
)
def test_an_unsafe_or_unusable_keyring_keeps_the_key_in_memory_only(
    backend: Any, why: str, tmp_path: Path
) -> None:
    if isinstance(backend, PlaintextKeyring):
        backend.file_path = str(tmp_path / "keyring_pass.cfg")  # never the real one
    key = open_history_key(backend)
    assert not key.kept and len(key.key) == 32
    assert key.why_not_kept is not None and why in key.why_not_kept
    assert key.why_not_kept.startswith("your system keyring")
    assert not (tmp_path / "keyring_pass.cfg").exists(), "the key was written to a plain file"
    assert getattr(backend, "writes", 0) == 0


def test_a_keyring_that_cannot_start_keeps_the_key_in_memory_only() -> None:
    key = open_history_key(MemoryKeyring(), "the keyring chosen for this computer cannot start")
    assert not key.kept and key.why_not_kept is not None and "cannot start" in key.why_not_kept


def test_something_that_is_not_our_key_is_replaced_not_used() -> None:
    ring = MemoryKeyring()
    ring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, "hunter2")
    key = open_history_key(ring)
    assert key.kept and len(key.key) == 32
    assert ring.secrets[(KEYRING_SERVICE, KEYRING_USERNAME)] != "hunter2"


# Across sittings --------------------------------------------------------------------------------


def test_a_resumed_audit_compares_new_passwords_with_those_checked_before_the_stop(
    tmp_path: Path,
) -> None:
    key = kept_key()
    with open_store(tmp_path) as store:
        first = sitting(store, key)
        first.check_password(TWITTER, Secret("Summer2024!"))
        first.check_password(MAIL, Secret("Summer2024!"))  # the same, in the same sitting
    with open_store(tmp_path) as store:  # a new run: nothing in memory but the keyring's key
        second = sitting(store, key, first.audit_id)
        second.check_password(MAIL, Secret("Summer2025!"))  # changed after the stop
        found = second.passwords
        assert found["Mail"].similar_to == ("Union Twitter",) and not found["Mail"].reused_with
        assert found["Union Twitter"].similar_to == ("Mail",)
        assert found["Mail"].reuse_unknown is None
        assert reuse_status(second) == {"Union Twitter": "fail", "Mail": "fail"}
        # ... and what is saved says the same (the earlier account's findings were updated).
        saved = store.load(first.audit_id).passwords
        assert saved["Union Twitter"].similar_to == ("Mail",)


def test_without_a_kept_key_a_password_of_another_sitting_is_unknown_never_unique(
    tmp_path: Path,
) -> None:
    with open_store(tmp_path) as store:
        first = sitting(store, open_history_key(keyring.backends.fail.Keyring()))
        first.check_password(TWITTER, Secret("Summer2024!"))
        assert reuse_status(first)["Union Twitter"] == "pass", "alone, it is unique so far"
        assert store.fingerprints(first.audit_id) == {}, "useless fingerprints were kept"
    with open_store(tmp_path) as store:
        second = sitting(store, open_history_key(keyring.backends.fail.Keyring()), 1)
        second.check_password(MAIL, Secret("kettle ocean violin quartz"))
        assert reuse_status(second) == {"Union Twitter": "unknown", "Mail": "unknown"}
        mail = second.passwords["Mail"]
        assert mail.reuse_unknown == (
            "not compared with Union Twitter, checked at another sitting: no key was kept"
        )
        saved = store.load(1).passwords
        assert saved["Union Twitter"].reuse_unknown is not None
        assert saved["Mail"].reuse_unknown is not None


def test_reuse_found_in_the_same_sitting_still_fails_when_another_sitting_is_unknown(
    tmp_path: Path,
) -> None:
    with open_store(tmp_path) as store:
        first = sitting(store, open_history_key(keyring.backends.fail.Keyring()))
        first.set_accounts((TWITTER, MAIL, Account("Portal", "union")))
        first.check_password(TWITTER, Secret("Summer2024!"))
    with open_store(tmp_path) as store:
        second = sitting(store, open_history_key(keyring.backends.fail.Keyring()), 1)
        second.check_password(MAIL, Secret("Winter cabin 77"))
        second.check_password(Account("Portal", "union"), Secret("Winter cabin 77"))
        assert reuse_status(second) == {
            "Union Twitter": "unknown",
            "Mail": "fail",
            "Portal": "fail",
        }


def test_fingerprints_made_with_a_forgotten_key_are_not_compared(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    with open_store(tmp_path) as store:
        sitting(store, kept_key(ring)).check_password(TWITTER, Secret("Summer2024!"))
    ring.secrets.clear()  # the key was removed; a new one is made
    with open_store(tmp_path) as store:
        second = sitting(store, kept_key(ring), 1)
        second.check_password(MAIL, Secret("Summer2025!"))
        assert reuse_status(second) == {"Union Twitter": "unknown", "Mail": "unknown"}


# Across audits ---------------------------------------------------------------------------------


def test_a_new_audit_says_since_when_the_same_password_is_unchanged(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    start = datetime(2026, 1, 5, tzinfo=UTC)
    moments = iter(start + timedelta(days=30 * n) for n in range(10))
    ids = []
    for password in ("Old one 2023", "Summer2024!", "Summer2024!", "Summer2024!"):
        with open_store(tmp_path) as store:
            key = kept_key(ring)
            session = AuditSession.start(
                store, CHECKLIST, TEXT, checker(key), now=next(moments), prints=store
            )
            session.set_accounts((TWITTER,))
            ids.append(session.audit_id)
            findings = session.check_password(TWITTER, Secret(password))
    assert findings.unchanged_since == start + timedelta(days=30), "the first audit with it"
    with open_store(tmp_path) as store:
        audits = [store.load(i).passwords["Union Twitter"].unchanged_since for i in ids]
    assert audits == [None, None, start + timedelta(days=30), start + timedelta(days=30)]


def test_another_accounts_password_is_not_called_unchanged(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    with open_store(tmp_path) as store:
        sitting(store, kept_key(ring)).check_password(TWITTER, Secret("Summer2024!"))
        later = sitting(store, kept_key(ring))
        assert later.check_password(MAIL, Secret("Summer2024!")).unchanged_since is None


# The schema ------------------------------------------------------------------------------------


def test_a_version_4_database_gains_the_fingerprint_table_and_keeps_its_findings(
    tmp_path: Path,
) -> None:
    path = tmp_path / STORE_FILE
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:4]:
        db.executescript(script)
    db.execute(
        "INSERT INTO audits (id, created_at, state, checklist_id, checklist_version,"
        " checklist_text, updated_at) VALUES (3, '2026-01-05T10:00:00+00:00', 'in_progress',"
        " 'tiny-example', '1.0', ?, '2026-01-05T10:00:00+00:00')",
        (TEXT,),
    )
    db.execute(
        "INSERT INTO password_findings VALUES (3, 'Mail', 4, 'centuries', '', '[]', 'strong', 0,"
        " 'unknown', 0, 'offline', '[]', '[]')"
    )
    db.execute("PRAGMA user_version = 4")
    db.commit()
    db.close()
    with open_store(tmp_path) as store:
        mail = store.load(3).passwords["Mail"]
        assert mail.reuse_unknown is None and mail.unchanged_since is None
        assert store.fingerprints(3) == {}
        # A password checked before this nutsec has nothing to compare with: unknown.
        resumed = AuditSession.resume(store, 3, checker(kept_key()), store)
        resumed.set_accounts((MAIL, TWITTER))
        resumed.check_password(TWITTER, Secret("Summer2025!"))
        assert reuse_status(resumed) == {"Mail": "unknown", "Union Twitter": "unknown"}
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    check.close()


# nutsec history --forget -----------------------------------------------------------------------


def _with_fingerprints(ring: MemoryKeyring, data: Path) -> None:
    with open_store(data) as store:
        session = sitting(store, kept_key(ring))
        session.check_password(TWITTER, Secret("Summer2024!"))
        session.check_password(MAIL, Secret("kettle ocean violin quartz"))
        assert store.count_fingerprints() == 2


def test_forget_deletes_every_fingerprint_and_the_key(
    memory_keyring: MemoryKeyring, private_data_dir: Path
) -> None:
    _with_fingerprints(memory_keyring, private_data_dir)
    result = runner.invoke(app, ["history", "--forget", "--yes"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert (
        "Deleted 2 stored password fingerprints and nutsec's history key from the system keyring."
        in result.output
    )
    assert (KEYRING_SERVICE, KEYRING_USERNAME) not in memory_keyring.secrets
    with open_store(private_data_dir) as store:
        assert store.count_fingerprints() == 0
        assert set(store.load(1).passwords) == {"Union Twitter", "Mail"}, "findings are kept"
    stored = (private_data_dir / STORE_FILE).read_bytes()
    again = runner.invoke(app, ["history", "--forget", "--yes"], env={"COLUMNS": "200"})
    assert again.exit_code == 0 and "There was nothing to forget" in again.output
    assert stored == (private_data_dir / STORE_FILE).read_bytes()


def test_forget_asks_first_and_off_a_terminal_needs_yes(
    memory_keyring: MemoryKeyring, private_data_dir: Path
) -> None:
    _with_fingerprints(memory_keyring, private_data_dir)
    result = runner.invoke(app, ["history", "--forget"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "Add --yes" in result.output and "Nothing was deleted." in result.output
    assert (KEYRING_SERVICE, KEYRING_USERNAME) in memory_keyring.secrets
    with open_store(private_data_dir) as store:
        assert store.count_fingerprints() == 2
    wrong = runner.invoke(app, ["history", "--yes"])
    assert wrong.exit_code == 2 and "--yes only goes with --forget" in wrong.output


def test_forget_with_no_store_creates_none(
    memory_keyring: MemoryKeyring, private_data_dir: Path
) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, "x")
    result = runner.invoke(app, ["history", "--forget", "--yes"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Deleted nutsec's history key from the system keyring." in result.output
    assert not (private_data_dir / STORE_FILE).exists()


def test_forget_with_a_locked_keyring_says_so_and_deletes_nothing(
    use_keyring: Any, private_data_dir: Path
) -> None:
    ring = MemoryKeyring()
    _with_fingerprints(ring, private_data_dir)
    use_keyring(LockedKeyring())
    result = runner.invoke(app, ["history", "--forget", "--yes"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "could not remove nutsec's history key; is it locked?" in result.output
    assert "Traceback" not in result.output
    with open_store(private_data_dir) as store:
        assert store.count_fingerprints() == 2


def test_fingerprints_never_show_their_bytes() -> None:
    finder = ReuseFinder(kept_key().key)
    finder.add("Mail", Secret("Summer2024!"))
    prints = finder.fingerprints("Mail")
    assert prints.exact is not None and prints.base is not None
    for text in (repr(prints), str(prints)):
        assert prints.exact.hex() not in text and repr(prints.exact) not in text
        assert prints.base.hex() not in text and "***" in text


def test_the_same_password_after_a_resume_is_found_reused(tmp_path: Path) -> None:
    key = kept_key()
    with open_store(tmp_path) as store:
        sitting(store, key).check_password(TWITTER, Secret("Summer2024!"))
    with open_store(tmp_path) as store:
        second = sitting(store, key, 1)
        mail = second.check_password(MAIL, Secret("Summer2024!"))
        assert mail.reused_with == ("Union Twitter",) and mail.similar_to == ()
        assert second.passwords["Union Twitter"].reused_with == ("Mail",)
        assert reuse_status(second) == {"Union Twitter": "fail", "Mail": "fail"}
