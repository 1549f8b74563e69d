"""The SQLite store, on real files: every answer survives, damage is reported and never repaired."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nutsec.audit_data import Account, Audit, AuditState, Device, PasswordFindings
from nutsec.breach.model import BreachResult
from nutsec.checklist.loader import load_checklist_text
from nutsec.errors import NutsecError, StoreError
from nutsec.passwords.strength import StrengthResult
from nutsec.store.migrations import MIGRATIONS, SCHEMA_VERSION, V1
from nutsec.store.sqlite import STORE_FILE, SqliteAuditStore, open_store
from tests.conftest import DOCS, toml_block

TEXT = toml_block(DOCS / "checklist-format.md")
CHECKLIST = load_checklist_text(TEXT, "example")
T0 = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
PHONE, LAPTOP = Device("Work phone", "phone"), Device("Laptop", "laptop")
MAIL, TWITTER = Account("Mail", "email", "sam@example.org"), Account("Twitter", "twitter")
FINDINGS = PasswordFindings(
    strength=StrengthResult(1, "3 hours", "This is a common password.", ("Add words",), "weak"),
    breach=BreachResult.found(5021),
    reused_with=("Mail",),
    similar_to=("Union site",),
)


class Ticking:
    """A clock that moves one minute per call, so 'latest' and 'updated' are deterministic."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def new_audit() -> Audit:
    return Audit(checklist=CHECKLIST, created_at=T0)


def store_in(tmp_path: Path) -> SqliteAuditStore:
    return open_store(tmp_path / "data", clock=Ticking())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_saved_step_is_there_after_reopening(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    audit_id = store.create(new_audit(), TEXT)
    store.save_inventory(audit_id, (PHONE, LAPTOP), (MAIL, TWITTER))
    store.save_answer(audit_id, "device.screen-lock", "Work phone", "yes")
    store.save_answer(audit_id, "device.screen-lock", "Laptop", "no")
    store.save_answer(audit_id, "account.two-factor", "Mail", "partly")
    store.save_password_findings(audit_id, "Twitter", FINDINGS)
    store.save_position(audit_id, "item:account.two-factor:Twitter")
    store.close()  # what a killed process leaves behind: only committed steps

    again = store_in(tmp_path)
    audit = again.load(audit_id)
    assert audit.id == audit_id and audit.state is AuditState.IN_PROGRESS
    assert audit.checklist == CHECKLIST and audit.created_at == T0
    assert audit.devices == (PHONE, LAPTOP) and audit.accounts == (MAIL, TWITTER)
    assert audit.answers == {
        ("device.screen-lock", "Work phone"): "yes",
        ("device.screen-lock", "Laptop"): "no",
        ("account.two-factor", "Mail"): "partly",
    }
    assert audit.passwords == {"Twitter": FINDINGS}
    assert again.position(audit_id) == "item:account.two-factor:Twitter"


def test_person_answers_replace_each_other_and_can_be_cleared(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    audit_id = store.create(new_audit(), TEXT)
    store.save_answer(audit_id, "public.profile", None, "yes")
    store.save_answer(audit_id, "public.profile", None, "no")  # a NULL key would keep both
    assert store.load(audit_id).answers == {("public.profile", None): "no"}
    store.save_answer(audit_id, "public.profile", "", "yes")
    store.clear_answer(audit_id, "public.profile", None)
    assert store.load(audit_id).answers == {}


def test_findings_are_replaced_when_reuse_is_recomputed(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    audit_id = store.create(new_audit(), TEXT)
    store.save_password_findings(audit_id, "Twitter", FINDINGS)
    unknown = PasswordFindings(FINDINGS.strength, BreachResult.unknown("offline"))
    store.save_password_findings(audit_id, "Twitter", unknown)
    assert store.load(audit_id).passwords == {"Twitter": unknown}


def test_create_keeps_everything_the_audit_already_holds(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    full = Audit(
        checklist=CHECKLIST,
        created_at=T0,
        devices=(PHONE,),
        accounts=(TWITTER,),
        answers={("device.screen-lock", "Work phone"): "yes", ("person.item", None): "no"},
        passwords={"Twitter": FINDINGS},
    )
    audit_id = store.create(full, TEXT)
    loaded = store.load(audit_id)
    assert (loaded.devices, loaded.accounts) == (full.devices, full.accounts)
    assert loaded.answers == full.answers and loaded.passwords == full.passwords


def test_inventory_order_is_kept_and_duplicate_names_are_refused(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    audit_id = store.create(new_audit(), TEXT)
    store.save_inventory(audit_id, (LAPTOP, PHONE), (TWITTER, MAIL))
    store.save_inventory(audit_id, (PHONE, LAPTOP), (MAIL,))
    audit = store.load(audit_id)
    assert audit.devices == (PHONE, LAPTOP) and audit.accounts == (MAIL,)
    with pytest.raises(NutsecError, match="Two devices are both called 'Laptop'"):
        store.save_inventory(audit_id, (LAPTOP, LAPTOP), ())
    assert store.load(audit_id).devices == (PHONE, LAPTOP), "a refused save changes nothing"


def test_finish_history_and_unfinished(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    first = store.create(new_audit(), TEXT)
    store.finish(first, 64, "Needs attention")
    second = store.create(new_audit(), TEXT)
    third = store.create(new_audit(), TEXT)
    store.save_answer(second, "device.screen-lock", "Work phone", "yes")  # worked on last

    rows = store.history()
    assert [r.id for r in rows] == [first, second, third]
    assert (rows[0].overall, rows[0].band, rows[0].finished_at is not None) == (
        64,
        "Needs attention",
        True,
    )
    assert (rows[1].overall, rows[1].band, rows[1].finished_at) == (None, None, None)
    assert rows[0].checklist_id == "tiny-example" and rows[0].checklist_version == "1.0"
    assert [r.id for r in store.unfinished()] == [second, third]
    assert store.load(first).state is AuditState.FINISHED


def test_resolve_latest_and_ids(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    done = store.create(new_audit(), TEXT)
    store.finish(done, 80, "Good")
    open_one = store.create(new_audit(), TEXT)
    assert store.resolve("latest") == open_one
    assert store.resolve("LATEST", finished=True) == done
    assert store.resolve("latest", finished=False) == open_one
    assert store.resolve(f" {done} ") == done
    with pytest.raises(NutsecError, match=r"Audit \d+ is not finished yet"):
        store.resolve(str(open_one), finished=True)
    with pytest.raises(NutsecError, match=r"Audit \d+ is already finished"):
        store.resolve(str(done), finished=False)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("7", "No saved audit with id 7. See 'nutsec history'."),
        ("seven", "'seven' is not an audit id. Use a number from 'nutsec history', or 'latest'."),
        ("-1", "'-1' is not an audit id."),
        ("latest", "No saved audit yet. Run 'nutsec audit' first."),
    ],
)
def test_resolve_explains_what_is_missing(tmp_path: Path, ref: str, message: str) -> None:
    store = store_in(tmp_path)
    with pytest.raises(NutsecError) as caught:
        store.resolve(ref, finished=True)
    assert str(caught.value).startswith(message) and caught.value.exit_code == 2


def test_latest_finished_when_only_unfinished_points_to_resume(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    started = store.create(new_audit(), TEXT)
    with pytest.raises(NutsecError, match=f"nutsec audit --resume {started}"):
        store.resolve("latest", finished=True)
    store.finish(started, 50, "Needs attention")
    with pytest.raises(NutsecError, match="no unfinished audit to resume"):
        store.resolve("latest", finished=False)


def test_unknown_audit_id_is_refused_by_every_writer(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    for attempt in (
        lambda: store.save_answer(99, "x", None, "yes"),
        lambda: store.save_inventory(99, (), ()),
        lambda: store.save_password_findings(99, "Mail", FINDINGS),
        lambda: store.save_position(99, "start"),
        lambda: store.finish(99, 1, "At risk"),
        lambda: store.load(99),
        lambda: store.position(99),
    ):
        with pytest.raises(NutsecError, match="No saved audit with id 99"):
            attempt()


def test_delete_forgets_the_audit_and_its_rows(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    audit_id = store.create(new_audit(), TEXT)
    store.save_inventory(audit_id, (PHONE,), (TWITTER,))
    store.save_answer(audit_id, "device.screen-lock", "Work phone", "yes")
    store.save_password_findings(audit_id, "Twitter", FINDINGS)
    store.delete(audit_id)
    assert store.history() == []
    db = sqlite3.connect(store.path)
    for table in ("devices", "accounts", "answers", "password_findings"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table  # noqa: S608
    db.close()
    assert b"This is a common password." not in store.path.read_bytes(), "secure_delete is on"


def test_data_dir_is_0700_and_every_file_0600(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = open_store(data)
    audit_id = store.create(new_audit(), TEXT)
    store.save_answer(audit_id, "device.screen-lock", "Work phone", "yes")
    assert mode(data) == 0o700
    files = sorted(p.name for p in data.iterdir())
    # The lock file says this session holds audit 1; it goes when the store is closed.
    assert files == [f"audit-{audit_id}.lock", STORE_FILE], "no journal side files are left"
    assert mode(data / STORE_FILE) == 0o600
    assert mode(data / f"audit-{audit_id}.lock") == 0o600
    store.close()
    assert sorted(p.name for p in data.iterdir()) == [STORE_FILE]


def test_the_rollback_journal_is_private_too(tmp_path: Path) -> None:
    """SQLite gives its journal the database's mode; check it mid-transaction."""
    store = store_in(tmp_path)
    store.create(new_audit(), TEXT)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE audits SET position = 'x'")
    journal = store.path.with_name(STORE_FILE + "-journal")
    try:
        assert journal.exists() and mode(journal) == 0o600
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_an_existing_file_with_loose_permissions_is_made_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    (data / STORE_FILE).chmod(0o644)
    open_store(data).close()
    assert mode(data / STORE_FILE) == 0o600


DAMAGED = {
    "garbage": bytes(range(256)) * 40,
    "text": b"name,password\nTwitter,hunter2\n",
    "zip": b"PK\x03\x04" + b"\x00" * 600,
}


@pytest.mark.parametrize("kind", sorted(DAMAGED))
def test_a_file_that_is_not_sqlite_is_reported_and_left_untouched(
    tmp_path: Path, kind: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / STORE_FILE
    path.write_bytes(DAMAGED[kind])
    with pytest.raises(StoreError) as caught:
        open_store(data)
    message = str(caught.value)
    assert str(path) in message and "left untouched" in message
    assert "hunter2" not in message
    assert path.read_bytes() == DAMAGED[kind]


def test_a_truncated_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    for _ in range(30):
        audit_id = store.create(new_audit(), TEXT * 3)
        store.save_inventory(audit_id, (PHONE, LAPTOP), (MAIL, TWITTER))
    store.close()
    whole = store.path.read_bytes()
    cut = whole[: len(whole) // 2 + 100]
    store.path.write_bytes(cut)
    with pytest.raises(StoreError, match="left untouched") as caught:
        store_in(tmp_path).history()
    assert str(store.path) in str(caught.value)
    assert store.path.read_bytes() == cut


def test_a_sqlite_file_from_another_program_is_not_adopted(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / STORE_FILE
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (body TEXT)")
    other.commit()
    other.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a nutsec database"):
        open_store(data)
    assert path.read_bytes() == before


def test_a_newer_database_asks_to_upgrade_nutsec(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    path = data / STORE_FILE
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="Upgrade nutsec") as caught:
        open_store(data)
    assert str(path) in str(caught.value) and "left untouched" in str(caught.value)
    assert path.read_bytes() == before


def test_a_version_1_database_is_migrated_with_its_data(tmp_path: Path) -> None:
    """A file written by the first release, built by hand with the version-1 schema."""
    assert MIGRATIONS[0] == V1 and SCHEMA_VERSION > 1
    data = tmp_path / "data"
    data.mkdir()
    path = data / STORE_FILE
    db = sqlite3.connect(path)
    db.executescript(V1)
    db.execute(
        "INSERT INTO audits (id, created_at, finished_at, state, checklist_id, checklist_version,"
        " checklist_text, position, overall, band)"
        " VALUES (4, ?, ?, 'finished', 'tiny-example', '1.0', ?, NULL, 72, 'Good')",
        (T0.isoformat(), (T0 + timedelta(hours=1)).isoformat(), TEXT),
    )
    db.execute("INSERT INTO devices VALUES (4, 0, 'Work phone', 'phone')")
    db.execute("INSERT INTO accounts VALUES (4, 0, 'Twitter', 'twitter', '')")
    db.execute("INSERT INTO answers VALUES (4, 'device.screen-lock', 'Work phone', 'yes')")
    db.execute("INSERT INTO answers VALUES (4, 'person.item', '', 'no')")
    db.execute(
        "INSERT INTO password_findings VALUES (4, 'Twitter', 1, '3 hours',"
        " 'This is a common password.', '[\"Add words\"]', 'weak', 0, 'found', 5021, NULL,"
        " '[\"Mail\"]', '[\"Union site\"]')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()

    store = open_store(data)
    audit = store.load(4)
    assert audit.state is AuditState.FINISHED and audit.devices == (PHONE,)
    assert audit.answers == {
        ("device.screen-lock", "Work phone"): "yes",
        ("person.item", None): "no",
    }
    assert audit.passwords == {"Twitter": FINDINGS}
    assert [(r.id, r.overall, r.band) for r in store.history()] == [(4, 72, "Good")]
    store.save_answer(4, "person.item", None, "yes")  # the new columns are written
    store.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    updated = check.execute("SELECT updated_at FROM audits WHERE id = 4").fetchone()[0]
    assert updated is not None
    check.close()
    with open_store(data, read_only=True) as again:
        assert len(again.share_id(4)) == 4, "migration 6 gives an old audit its share id"


def test_each_audit_has_its_own_random_share_id_kept_with_it(tmp_path: Path) -> None:
    """Migration 6: the id every share code of an audit carries (docs/share-codes.md)."""
    with open_store(tmp_path / "data") as store:
        ids = [store.create(Audit(CHECKLIST, T0), TEXT) for _ in range(20)]
        shares = [store.share_id(i) for i in ids]
        assert all(len(x) == 4 for x in shares) and len(set(shares)) == 20
        assert store.share_id(ids[0]) == shares[0], "the same each time it is read"
        with pytest.raises(NutsecError, match="No saved audit"):
            store.share_id(999)


def test_a_new_database_starts_at_the_current_version(tmp_path: Path) -> None:
    open_store(tmp_path / "data").close()
    db = sqlite3.connect(tmp_path / "data" / STORE_FILE)
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    db.close()


def test_a_store_the_data_dir_cannot_hold_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(NutsecError, match="Cannot use the folder"):
        open_store(blocker)
