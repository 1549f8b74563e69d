"""Outcomes: which item is asked of whom, and how nutsec's own password checks score."""

from __future__ import annotations

from datetime import UTC, datetime

from nutsec.audit.outcomes import audit_outcomes, password_checks, questions_for, score
from nutsec.audit_data import Account, Audit, Device, PasswordFindings
from nutsec.breach.model import BreachResult
from nutsec.checklist.loader import load_checklist_text
from nutsec.checklist.model import ItemStatus, Severity
from nutsec.passwords.strength import StrengthResult
from nutsec.scoring import Band
from tests.conftest import DOCS, toml_block

CHECKLIST = load_checklist_text(toml_block(DOCS / "checklist-format.md"), "example")
NOW = datetime(2026, 11, 25, tzinfo=UTC)
PHONE, LAPTOP = Device("Phone", "phone"), Device("Laptop", "laptop")
MAIL, TWITTER = Account("Mail", "Email"), Account("Twitter", "twitter")


def strength(rating: str) -> StrengthResult:
    return StrengthResult(1, "minutes", "", (), rating)  # type: ignore[arg-type]


def test_password_checks_are_a_valid_checklist() -> None:
    checks = password_checks()
    assert [i.id for i in checks.items()] == [
        "password.strength",
        "password.reused",
        "password.breached",
    ]
    breached = checks.item("password.breached")
    assert breached is not None and breached.severity is Severity.CRITICAL


def test_items_are_asked_per_device_and_account_respecting_filters() -> None:
    asked = [q.key for q in questions_for(CHECKLIST, (PHONE, LAPTOP), (MAIL, TWITTER))]
    assert asked == [
        ("device.screen-lock", "Phone"),
        ("device.screen-lock", "Laptop"),
        ("account.two-factor", "Mail"),
        ("account.email-recovery", "Mail"),
        ("account.two-factor", "Twitter"),
    ]


def test_unanswered_is_skipped_and_breach_unknown_is_not_verified() -> None:
    audit = Audit(
        checklist=CHECKLIST,
        created_at=NOW,
        devices=(PHONE,),
        accounts=(TWITTER,),
        answers={("device.screen-lock", "Phone"): "yes"},
        passwords={"Twitter": PasswordFindings(strength("weak"), BreachResult.unknown("offline"))},
    )
    statuses = {(o.item_id, o.subject): o.status for _, o in audit_outcomes(audit)}
    assert statuses == {
        ("device.screen-lock", "Phone"): ItemStatus.PASS,
        ("account.two-factor", "Twitter"): ItemStatus.SKIPPED,
        ("password.strength", "Twitter"): ItemStatus.FAIL,
        ("password.reused", "Twitter"): ItemStatus.PASS,
        ("password.breached", "Twitter"): ItemStatus.UNKNOWN,
    }
    result = score(audit)
    assert [s.id for s in result.sections][-1] == "password-checks"
    assert [o.item_id for o in result.not_verified] == ["password.breached"]


def test_breached_password_caps_the_band() -> None:
    findings = PasswordFindings(strength("strong"), BreachResult.found(12), ("Mail",))
    audit = Audit(
        checklist=CHECKLIST,
        created_at=NOW,
        devices=(PHONE,),
        accounts=(TWITTER,),
        answers={("device.screen-lock", "Phone"): "yes", ("account.two-factor", "Twitter"): "yes"},
        passwords={"Twitter": findings},
    )
    result = score(audit)
    assert [o.item_id for o in result.critical_failures] == ["password.reused", "password.breached"]
    assert result.band in (Band.NEEDS_ATTENTION, Band.AT_RISK)
