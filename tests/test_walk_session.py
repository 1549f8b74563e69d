"""The session saves each event the moment it happens, and a resume carries on where it stopped."""

from __future__ import annotations

from nutsec.audit.password_step import PasswordChecker
from nutsec.audit.session import AuditSession
from nutsec.audit_data import Account, Device
from nutsec.breach.model import OfflineSource
from nutsec.checklist.loader import load_checklist_text
from tests.conftest import DOCS, toml_block
from tests.memory_store import MemoryAuditStore

TEXT = toml_block(DOCS / "checklist-format.md")
CHECKLIST = load_checklist_text(TEXT, "example")


def checker() -> PasswordChecker:
    return PasswordChecker(OfflineSource())


def started(store: MemoryAuditStore) -> AuditSession:
    session = AuditSession.start(store, CHECKLIST, TEXT, checker())
    session.set_devices((Device("Phone", "phone"),))
    session.next()
    session.set_accounts((Account("Mail", "email"),))
    session.next()
    return session


def test_every_answer_is_saved_before_the_next_question_is_shown() -> None:
    store = MemoryAuditStore()
    session = started(store)
    session.next()  # no password for Mail
    session.answer("yes")
    assert store.events[-2:] == [
        ("answer", "device.screen-lock", "Phone", "yes"),
        ("position", "question:account.two-factor:Mail"),
    ]
    session.back()
    session.skip()
    assert store.events[-3:] == [
        ("position", "question:device.screen-lock:Phone"),
        ("clear", "device.screen-lock", "Phone"),
        ("position", "question:account.two-factor:Mail"),
    ]


def test_inventory_is_saved_as_it_changes() -> None:
    store = MemoryAuditStore()
    started(store)
    assert ("inventory", "Phone") in store.events
    assert ("inventory", "Phone", "Mail") in store.events
    audit = store.load(1)
    assert [d.name for d in audit.devices] == ["Phone"]
    assert [a.name for a in audit.accounts] == ["Mail"]


def test_resume_continues_at_the_saved_question_with_answers_kept() -> None:
    store = MemoryAuditStore()
    session = started(store)
    session.next()
    session.answer("no")
    resumed = AuditSession.resume(store, 1, checker())
    assert resumed.walk.saved_position == "question:account.two-factor:Mail"
    assert resumed.walk.answers == {("device.screen-lock", "Phone"): "no"}
    assert resumed.walk.position == "password-again:Mail"  # not checked: offered again
    resumed.next()  # not now
    assert resumed.walk.position == "question:account.two-factor:Mail"
    resumed.answer("partly")
    resumed.answer("yes")
    audit, result = resumed.finish()
    assert store.scores[1] == (result.overall, result.band.value)
    assert audit.answers == {
        ("device.screen-lock", "Phone"): "no",
        ("account.two-factor", "Mail"): "partly",
        ("account.email-recovery", "Mail"): "yes",
    }
