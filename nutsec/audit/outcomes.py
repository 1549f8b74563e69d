"""From an audit to scored outcomes: which item applies to whom, and with what status."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nutsec.audit_data import Account, Audit, Device, PasswordFindings
from nutsec.breach.model import BreachStatus
from nutsec.checklist.loader import load_checklist_text
from nutsec.checklist.model import Checklist, Item, ItemStatus, Scope
from nutsec.scoring import AuditScore, ItemOutcome, score_audit


@cache
def password_checks() -> Checklist:
    """nutsec's own per-account password checks, as checklist items (data, not code)."""
    text = (resources.files("nutsec.audit") / "password_checks.toml").read_text("utf-8")
    return load_checklist_text(text, "nutsec/audit/password_checks.toml")


@dataclass(frozen=True)
class Question:
    """One item asked of one subject: the unit the walk steps through."""

    item: Item
    subject: str | None  # device or account name; None for person items

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.item.id, self.subject)


def questions_for(
    checklist: Checklist, devices: tuple[Device, ...], accounts: tuple[Account, ...]
) -> Iterator[Question]:
    """Every (item, subject) pair the audit asks, section by section, in checklist order."""
    for section in checklist.sections:
        for item in section.items:
            if item.scope is Scope.PERSON:
                yield Question(item, None)
            elif item.scope is Scope.DEVICE:
                for device in devices:
                    if item.applies_to_device(device.kind):
                        yield Question(item, device.name)
            else:
                for account in accounts:
                    if item.applies_to_account(account.platform_key):
                        yield Question(item, account.name)


def password_answers(findings: PasswordFindings) -> dict[str, str | None]:
    """The answer key each of nutsec's own checks gets; None means unknown (not verified)."""
    strength = findings.strength.rating
    reuse: str | None
    if findings.reused_with:
        reuse = "reused"
    elif findings.similar_to:
        reuse = "similar"
    elif findings.reuse_unknown:
        reuse = None  # not compared with every other password: unknown, never "unique"
    else:
        reuse = "unique"
    breach = {
        BreachStatus.FOUND: "found",
        BreachStatus.NOT_FOUND: "not_found",
        BreachStatus.UNKNOWN: None,
    }[findings.breach.status]
    return {"password.strength": strength, "password.reused": reuse, "password.breached": breach}


def _status(item: Item, answer: str | None) -> ItemStatus:
    if answer is None:
        return ItemStatus.SKIPPED
    option = item.answer(answer)
    return ItemStatus.SKIPPED if option is None else ItemStatus.of(option.status)


def audit_outcomes(audit: Audit) -> list[tuple[Question, ItemOutcome]]:
    """Each asked question with its outcome; nutsec's password checks follow the checklist."""
    result: list[tuple[Question, ItemOutcome]] = []
    for q in questions_for(audit.checklist, audit.devices, audit.accounts):
        status = _status(q.item, audit.answers.get(q.key))
        result.append((q, _outcome(q, status)))
    checks = password_checks()
    for account in audit.accounts:
        findings = audit.passwords.get(account.name)
        if findings is None:
            continue
        answers = password_answers(findings)
        for item in checks.items():
            answer = answers[item.id]
            status = ItemStatus.UNKNOWN if answer is None else _status(item, answer)
            q = Question(item, account.name)
            result.append((q, _outcome(q, status)))
    return result


def _outcome(q: Question, status: ItemStatus) -> ItemOutcome:
    return ItemOutcome(
        section_id=q.item.section_id,
        item_id=q.item.id,
        subject=q.subject,
        status=status,
        severity=q.item.severity,
        weight=q.item.weight,
    )


def score(audit: Audit) -> AuditScore:
    """The audit's score (docs/scoring.md), password checks scored as their own section."""
    sections = [(s.id, s.title) for s in audit.checklist.sections]
    sections += [(s.id, s.title) for s in password_checks().sections]
    return score_audit(sections, [outcome for _, outcome in audit_outcomes(audit)])
