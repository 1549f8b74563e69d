"""From an audit to scored outcomes: which item applies to whom, and with what status.

A measurement (a password nutsec checked) answers the items it can, and wins over a
self-report that disagrees: `overrides` says which, and why.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nutsec.audit_data import PLATFORMS, Account, Audit, Device, PasswordFindings
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
    checklist: Checklist,
    devices: tuple[Device, ...],
    accounts: tuple[Account, ...],
    measured: Mapping[str, PasswordFindings] | None = None,
) -> Iterator[Question]:
    """Every (item, subject) pair the audit holds, grouped by subject: the person's questions
    first, then one device at a time, then one account at a time, each in checklist order.

    With `measured` (each checked account's findings), what those findings already answer is
    left out: those are the questions actually asked.
    """
    items = list(checklist.items())
    for item in items:
        if item.scope is Scope.PERSON and (
            measured is None or measured_person_answer(item, accounts, measured) is None
        ):
            yield Question(item, None)
    for device in devices:
        for item in items:
            if item.scope is Scope.DEVICE and item.applies_to_device(device.kind, device.system):
                yield Question(item, device.name)
    for account in accounts:
        findings = measured.get(account.name) if measured is not None else None
        for item in items:
            if item.scope is not Scope.ACCOUNT:
                continue
            if not item.applies_to_account(account.platform_key, _provider_key(account)):
                continue
            if findings is not None and measured_answer(item, findings) is not None:
                continue
            yield Question(item, account.name)


def _provider_key(account: Account) -> str:
    """The provider as an `applies_to` filter may name it. "work" is a provider *and* a
    platform: a work e-mail account must not pass a filter meant for work accounts (it would
    be asked the social-media two-step question as well as the e-mail one)."""
    return "" if account.provider in PLATFORMS else account.provider


def asked_questions(
    checklist: Checklist,
    devices: tuple[Device, ...],
    accounts: tuple[Account, ...],
    measured: Mapping[str, PasswordFindings],
) -> tuple[Question, ...]:
    """The questions put to the person: the one count the welcome, the walk and the end share."""
    return tuple(questions_for(checklist, devices, accounts, measured))


def answered_count(audit: Audit) -> tuple[int, int]:
    """(answered, asked) over the questions put to the person: the numbers the end of the audit
    and every report give, so "You answered X of Y" is the same everywhere."""
    asked = asked_questions(audit.checklist, audit.devices, audit.accounts, audit.passwords)
    return sum(1 for q in asked if q.key in audit.answers), len(asked)


#: Checklist items a password check answers: item id -> (nutsec's check, its answer -> the item's).
#: A check with no answer (a breach look-up that could not finish) answers nothing: it is asked.
MEASURED_BY: dict[str, tuple[str, dict[str, str]]] = {
    "account.password-unique": (
        "password.reused",
        {"unique": "yes", "similar": "similar", "reused": "no"},
    ),
    "account.breached-password-changed": (
        "password.breached",
        {"not_found": "not_breached", "found": "no"},
    ),
}

#: Person items the strength of *every* account's password answers (each account checked).
STRENGTH_ANSWERS: dict[str, dict[str, str]] = {
    "passwords.long-passphrases": {"strong": "yes", "fair": "partly", "weak": "no"},
}


def measured_answer(item: Item, findings: PasswordFindings) -> str | None:
    """The answer a password check gives an account item, or None when it gives none."""
    entry = MEASURED_BY.get(item.id)
    if entry is None or item.scope is not Scope.ACCOUNT:
        return None
    check, table = entry
    given = password_answers(findings)[check]
    key = table.get(given) if given is not None else None
    return key if key is not None and item.answer(key) is not None else None


def measured_person_answer(
    item: Item, accounts: tuple[Account, ...], measured: Mapping[str, PasswordFindings]
) -> str | None:
    """A person item answered by the strength of all their passwords; only when every account's
    password was checked (one unchecked password could be the weak one)."""
    table = STRENGTH_ANSWERS.get(item.id)
    if table is None or not accounts or any(a.name not in measured for a in accounts):
        return None
    ratings = {measured[a.name].strength.rating for a in accounts}
    worst = "weak" if "weak" in ratings else "fair" if "fair" in ratings else "strong"
    key = table.get(worst)
    return key if key is not None and item.answer(key) is not None else None


@dataclass(frozen=True)
class Override:
    """A self-reported answer that a measurement contradicted: the measurement is scored."""

    item_id: str
    subject: str | None
    answered: str  # the answer key the person gave
    measured: str  # the answer key the measurement gives
    reason: str
    answered_label: str = ""  # the answers as the person saw them
    measured_label: str = ""


def answer_in_effect(audit: Audit, question: Question) -> str | None:
    """The answer that is scored: a measurement where there is one, else the person's."""
    return _measured_for(audit, question) or audit.answers.get(question.key)


def _measured_for(audit: Audit, question: Question) -> str | None:
    item = question.item
    if item.scope is Scope.PERSON:
        return measured_person_answer(item, audit.accounts, audit.passwords)
    if item.scope is Scope.ACCOUNT and question.subject is not None:
        findings = audit.passwords.get(question.subject)
        return measured_answer(item, findings) if findings is not None else None
    return None


def overrides(audit: Audit) -> list[Override]:
    """Every self-report a measurement overrode in the score, with the reason in plain words."""
    result: list[Override] = []
    for question in questions_for(audit.checklist, audit.devices, audit.accounts):
        measured = _measured_for(audit, question)
        answered = audit.answers.get(question.key)
        if measured is None or answered is None:
            continue
        given, found = question.item.answer(answered), question.item.answer(measured)
        if given is not None and found is not None and given.status is found.status:
            continue  # the same in the score ("changed after the breach" / "never in one")
        reason = _reason(audit, question)
        labels = [question.item.answer(key) for key in (answered, measured)]
        shown = [
            option.label if option else key
            for option, key in zip(labels, (answered, measured), strict=True)
        ]
        result.append(
            Override(
                question.item.id, question.subject, answered, measured, reason, shown[0], shown[1]
            )
        )
    return result


def _reason(audit: Audit, question: Question) -> str:
    if question.item.scope is Scope.PERSON:
        ratings = {audit.passwords[a.name].strength.rating for a in audit.accounts}
        if "weak" in ratings:
            return "nutsec found a password that is easy to guess among those it checked."
        if "fair" in ratings:
            return "nutsec found a password that is only fairly strong among those it checked."
        return "nutsec found every password it checked strong."
    findings = audit.passwords[question.subject or ""]
    check, _ = MEASURED_BY[question.item.id]
    if check == "password.reused":
        if findings.reused_with:
            return f"nutsec found the same password on: {', '.join(findings.reused_with)}."
        if findings.similar_to:
            return f"nutsec found a very like password on: {', '.join(findings.similar_to)}."
        return "nutsec found no other checked account with this password."
    if findings.breach.status is BreachStatus.FOUND:
        return "nutsec found this password in known data breaches."
    return "nutsec did not find this password in known data breaches."


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
        status = _status(q.item, answer_in_effect(audit, q))
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
