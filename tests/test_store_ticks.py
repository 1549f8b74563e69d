"""The lost-device tick log in the real SQLite store: committed at once, first time kept, and a
version-2 file (before the tick log) is migrated with its audits intact."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nutsec.audit_data import Audit, Device
from nutsec.checklist.loader import load_checklist_text
from nutsec.errors import NutsecError
from nutsec.store.migrations import MIGRATIONS, SCHEMA_VERSION
from nutsec.store.sqlite import STORE_FILE, open_store
from tests.conftest import DOCS, toml_block

TEXT = toml_block(DOCS / "checklist-format.md")
CHECKLIST = load_checklist_text(TEXT, "example")
T0 = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


class Ticking:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def test_a_tick_is_on_disk_as_soon_as_it_returns_and_keeps_its_first_time(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path / "data", clock=Ticking())
    audit_id = store.create(Audit(CHECKLIST, T0, devices=(Device("Phone", "phone"),)), TEXT)
    first = store.tick(audit_id, "Phone", "report_loss")
    # another connection sees it at once: nothing waits for a close
    other = open_store(tmp_path / "data")
    assert other.ticks(audit_id, "Phone") == {"report_loss": first}
    assert store.tick(audit_id, "Phone", "report_loss") == first, "ticking again keeps the time"
    second = store.tick(audit_id, "Phone", "secure_account:Mail")
    assert second > first
    assert other.ticks(audit_id, "Phone") == {"report_loss": first, "secure_account:Mail": second}
    assert other.ticks(audit_id, "Laptop") == {}, "each device has its own ticks"
    store.close()
    other.close()


def test_the_general_runbook_logs_ticks_without_an_audit(tmp_path: Path) -> None:
    with open_store(tmp_path / "data", clock=Ticking()) as store:
        done = store.tick(None, "", "report_loss")
        assert store.tick(None, "", "report_loss") == done
        assert store.ticks(None, "") == {"report_loss": done}
        audit_id = store.create(Audit(CHECKLIST, T0), TEXT)
        assert store.ticks(audit_id, "") == {}, "the general ticks are not an audit's"


def test_ticks_go_with_their_audit_and_an_unknown_audit_is_refused(tmp_path: Path) -> None:
    with open_store(tmp_path / "data", clock=Ticking()) as store:
        audit_id = store.create(Audit(CHECKLIST, T0), TEXT)
        store.tick(audit_id, "", "report_loss")
        store.delete(audit_id)
        assert store.ticks(audit_id, "") == {}
        with pytest.raises(NutsecError, match="No saved audit with id 99"):
            store.tick(99, "", "report_loss")


def test_a_version_2_database_gains_the_tick_log_and_keeps_its_audits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / STORE_FILE)
    for script in MIGRATIONS[:2]:
        db.executescript(script)
    db.execute(
        "INSERT INTO audits (id, created_at, finished_at, state, checklist_id, checklist_version,"
        " checklist_text, position, overall, band, updated_at)"
        " VALUES (7, ?, NULL, 'in_progress', 'tiny-example', '1.0', ?, NULL, NULL, NULL, ?)",
        (T0.isoformat(), TEXT, T0.isoformat()),
    )
    db.execute("INSERT INTO devices VALUES (7, 0, 'Work phone', 'phone')")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()

    with open_store(data, clock=Ticking()) as store:
        assert store.load(7).devices == (Device("Work phone", "phone"),)
        done = store.tick(7, "Work phone", "report_loss")
        assert store.ticks(7, "Work phone") == {"report_loss": done}
    check = sqlite3.connect(data / STORE_FILE)
    assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert SCHEMA_VERSION >= 3
    check.close()
