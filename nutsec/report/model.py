"""One report model for every format: what a saved audit says, with no secret in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from nutsec import __version__
from nutsec.actions import Action, Audience, finder_off, prioritise_actions
from nutsec.audit.outcomes import (
    Override,
    Question,
    answer_in_effect,
    answered_count,
    audit_outcomes,
    overrides,
    password_answers,
    password_checks,
    score,
)
from nutsec.audit_data import Account, Audit, AuditState, Device, PasswordFindings
from nutsec.checklist.model import ItemStatus, Scope, Severity
from nutsec.lostdevice.card import LostDeviceCard, build_lost_device_card
from nutsec.lostdevice.from_audit import note_two_step
from nutsec.report.progress import Progress, progress_since
from nutsec.scoring import Band, SectionScore


@dataclass(frozen=True)
class ItemReport:
    """One asked item (or one of nutsec's password checks) for one subject, and its outcome."""

    id: str
    section_id: str
    scope: Scope
    subject: str | None
    status: ItemStatus
    severity: Severity
    weight: int
    question: str
    answer: str | None  # the answer's label as the person saw it; None when none was given


@dataclass(frozen=True)
class AccountReport:
    account: Account
    password: PasswordFindings | None  # None when the password was not checked


@dataclass(frozen=True)
class NotVerified:
    """An item nutsec could not check: never counted as safe (promise 3)."""

    item_id: str
    subject: str | None
    reason: str | None


@dataclass(frozen=True)
class Report:
    audit_id: int | None
    tool_version: str
    created_at: datetime
    finished_at: datetime | None
    finished: bool
    checklist_id: str
    checklist_title: str
    checklist_version: str
    overall: int
    band: Band
    capped: bool  # a critical failure lowered the band
    earned: Fraction
    possible: int
    sections: tuple[SectionScore, ...]
    items: tuple[ItemReport, ...]
    devices: tuple[Device, ...]
    accounts: tuple[AccountReport, ...]
    actions: tuple[Action, ...]
    not_verified: tuple[NotVerified, ...]
    lost_device_card: LostDeviceCard  # what to do, in order, if a device goes
    prepared_for: str | None = None  # the name for the "Prepared for" line; None leaves a blank
    progress: Progress | None = None  # what changed since the previous finished audit
    #: Self-reports a measurement contradicted (the measurement is scored), and why.
    overrides: tuple[Override, ...] = ()
    #: (answered, asked) over the questions put to the person, as the audit's end gave them.
    answered: tuple[int, int] | None = None
    #: Questions of an unfinished audit not reached yet: not asked, so not "skipped" and not
    #: scored (the score is the essentials' while any are left).
    to_come: frozenset[tuple[str, str | None]] = frozenset()
    #: Where it is shown: the places it names are commands (terminal) or pages (browser).
    audience: Audience = Audience.TERMINAL

    @property
    def scored(self) -> bool:
        """False when nothing answered counts: there is then no score anywhere, not even 0."""
        return self.possible > 0 and self.band is not Band.NOT_SCORED

    @property
    def questions_to_come(self) -> int:
        return len(self.to_come)

    @property
    def skipped(self) -> tuple[ItemReport, ...]:
        """Every question left unanswered: named in every format, so it can be revisited."""
        return tuple(
            i
            for i in self.items
            if i.status is ItemStatus.SKIPPED and (i.id, i.subject) not in self.to_come
        )


def build_report(
    audit: Audit,
    tool_version: str = __version__,
    *,
    prepared_for: str | None = None,
    previous: Audit | None = None,
    position: str | None = None,
    audience: Audience = Audience.TERMINAL,
) -> Report:
    """The report of an audit, scored afresh from its answers by the documented formula.

    `previous` is the finished audit before it, if any: the report then says what changed
    (never from or to an audit with no score). `position` is where an unfinished audit stopped
    (`store.position(id)`): the questions after it are "still to come", not skipped.
    `audience` is the front-end it is shown in: the places it names (a command, or a page).
    """
    scored = score(audit)
    before = score(previous) if previous is not None else None
    progress = (
        progress_since(previous, audit, before.overall, scored.overall)
        if previous is not None
        and before is not None
        and before.possible > 0
        and scored.possible > 0
        else None
    )
    to_come: frozenset[tuple[str, str | None]] = frozenset()
    if audit.state is not AuditState.FINISHED and position is not None:
        from nutsec.audit.walk import Walk

        to_come = Walk.resume(
            audit.checklist,
            audit.devices,
            audit.accounts,
            audit.answers,
            position,
            audit.passwords,
        ).to_come
    items = []
    for question, outcome in audit_outcomes(audit):
        answer_key = _answer_key(audit, question)
        option = question.item.answer(answer_key) if answer_key is not None else None
        items.append(
            ItemReport(
                id=outcome.item_id,
                section_id=outcome.section_id,
                scope=question.item.scope,
                subject=outcome.subject,
                status=outcome.status,
                severity=outcome.severity,
                weight=outcome.weight,
                question=question.item.question,
                answer=option.label if option else None,
            )
        )
    not_verified = []
    for outcome in scored.not_verified:
        findings = audit.passwords.get(outcome.subject) if outcome.subject else None
        reason = None
        if findings is not None:
            reused = outcome.item_id == "password.reused"
            reason = findings.reuse_unknown if reused else findings.breach.reason
        not_verified.append(NotVerified(outcome.item_id, outcome.subject, reason))
    return Report(
        audit_id=audit.id,
        tool_version=tool_version,
        created_at=audit.created_at,
        finished_at=audit.finished_at,
        finished=audit.state is AuditState.FINISHED,
        checklist_id=audit.checklist.id,
        checklist_title=audit.checklist.title,
        checklist_version=audit.checklist.version,
        overall=scored.overall,
        band=scored.band,
        capped=scored.capped,
        earned=scored.earned,
        possible=scored.possible,
        sections=scored.sections,
        items=tuple(items),
        devices=audit.devices,
        accounts=tuple(AccountReport(a, audit.passwords.get(a.name)) for a in audit.accounts),
        actions=tuple(prioritise_actions(audit, audience)),
        not_verified=tuple(not_verified),
        lost_device_card=note_two_step(
            build_lost_device_card(audit.devices, audit.accounts, finder_off=finder_off(audit)),
            audit,
        ),
        prepared_for=prepared_for.strip() or None if prepared_for is not None else None,
        progress=progress,
        overrides=tuple(overrides(audit)),
        answered=answered_count(audit),
        to_come=to_come,
        audience=audience,
    )


def _answer_key(audit: Audit, question: Question) -> str | None:
    """The person's answer, or for nutsec's own password checks the one nutsec gave."""
    if question.item is password_checks().item(question.item.id) and question.subject:
        findings = audit.passwords.get(question.subject)
        return password_answers(findings)[question.item.id] if findings else None
    return answer_in_effect(audit, question)
