"""An audit being taken: the walk plus the store, saving each event the moment it happens.

Both drivers use this: the interactive one event by event, the scripted one all at once. A crash
after any method returns loses nothing (promise 4): the store commits before returning.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from nutsec.audit.answers_file import AnswersFile
from nutsec.audit.outcomes import score
from nutsec.audit.password_step import PasswordChecker
from nutsec.audit.walk import StepKind, Walk
from nutsec.audit_data import Account, Audit, AuditState, Device, PasswordFindings
from nutsec.checklist.model import Checklist
from nutsec.scoring import AuditScore
from nutsec.secret import Secret
from nutsec.store.interface import AuditStore


class AuditSession:
    """One audit's walk, saved through `store` after every answer, skip, step and change."""

    def __init__(
        self,
        store: AuditStore,
        audit_id: int,
        walk: Walk,
        checker: PasswordChecker,
        passwords: dict[str, PasswordFindings] | None = None,
        created_at: datetime | None = None,
    ) -> None:
        self.store = store
        self.audit_id = audit_id
        self.walk = walk
        self.checker = checker
        self.passwords: dict[str, PasswordFindings] = dict(passwords or {})
        self.created_at = created_at or datetime.now(UTC)

    @classmethod
    def start(
        cls,
        store: AuditStore,
        checklist: Checklist,
        checklist_text: str,
        checker: PasswordChecker,
        now: datetime | None = None,
    ) -> AuditSession:
        created_at = now or datetime.now(UTC)
        audit_id = store.create(Audit(checklist=checklist, created_at=created_at), checklist_text)
        session = cls(store, audit_id, Walk(checklist), checker, created_at=created_at)
        store.save_position(audit_id, session.walk.position)
        return session

    @classmethod
    def resume(cls, store: AuditStore, audit_id: int, checker: PasswordChecker) -> AuditSession:
        """Carry on an unfinished audit at the step it was saved on."""
        store.hold(audit_id)  # a second session on this audit is told now, not after answering
        audit = store.load(audit_id)
        walk = Walk.resume(
            audit.checklist, audit.devices, audit.accounts, audit.answers, store.position(audit_id)
        )
        return cls(store, audit_id, walk, checker, dict(audit.passwords), audit.created_at)

    # Events, each saved before it returns ---------------------------------------------------

    def answer(self, key: str) -> None:
        question = self.walk.current.question
        self.walk = self.walk.answer(key)  # refuses (raises) when there is no question
        if question is None:  # pragma: no cover - unreachable after answer() accepted
            raise RuntimeError("answered a step that has no question")
        self.store.save_answer(self.audit_id, question.item.id, question.subject, key)
        self._save_position()

    def skip(self) -> None:
        question = self.walk.current.question
        self.walk = self.walk.skip()
        if question is not None:
            self.store.clear_answer(self.audit_id, question.item.id, question.subject)
        self._save_position()

    def next(self) -> None:
        self.walk = self.walk.next()
        self._save_position()

    def back(self) -> None:
        self.walk = self.walk.back()
        self._save_position()

    def set_devices(self, devices: tuple[Device, ...]) -> None:
        self.walk = self.walk.with_devices(devices)
        self.store.save_inventory(self.audit_id, self.walk.devices, self.walk.accounts)

    def set_accounts(self, accounts: tuple[Account, ...]) -> None:
        self.walk = self.walk.with_accounts(accounts)
        self.store.save_inventory(self.audit_id, self.walk.devices, self.walk.accounts)

    def check_password(self, account: Account, secret: Secret) -> PasswordFindings:
        """Check (and wipe) the password; save this account's findings and any changed reuse."""
        changed = self.checker.check(account, secret)
        for name, findings in changed.items():
            if self.passwords.get(name) != findings:
                self.store.save_password_findings(self.audit_id, name, findings)
                self.passwords[name] = findings
        return self.passwords[account.name]

    def audit(self) -> Audit:
        """The audit as it stands, built from the walk (what the store holds too)."""
        names = {a.name for a in self.walk.accounts}
        return Audit(
            checklist=self.walk.checklist,
            created_at=self.created_at,
            id=self.audit_id,
            devices=self.walk.devices,
            accounts=self.walk.accounts,
            answers=dict(self.walk.answers),
            passwords={k: v for k, v in self.passwords.items() if k in names},
        )

    def finish(self) -> tuple[Audit, AuditScore]:
        """Score the audit and mark it finished in the store."""
        if self.walk.current.kind is not StepKind.DONE:
            raise ValueError("the walk is not at its end")
        audit = self.audit()
        result = score(audit)
        self.store.finish(self.audit_id, result.overall, result.band.value)
        finished = replace(audit, state=AuditState.FINISHED, finished_at=datetime.now(UTC))
        return finished, result

    def _save_position(self) -> None:
        self.store.save_position(self.audit_id, self.walk.position)


def scripted_audit(
    answers: AnswersFile, checklist: Checklist, checker: PasswordChecker, now: datetime
) -> Audit:
    """The whole audit an answers file describes, its passwords checked and then wiped."""
    devices, accounts = answers.inventory()
    findings: dict[str, PasswordFindings] = {}
    try:
        pairs = [(e.account, e.password) for e in answers.accounts if e.password is not None]
        if pairs:  # one batch: the breach look-ups overlap each other and the strength checks
            findings = checker.check_all(pairs)
    finally:
        answers.wipe_passwords()
    return Audit(
        checklist=checklist,
        created_at=now,
        devices=devices,
        accounts=accounts,
        answers=answers.all_answers(),
        passwords=findings,
    )


def save_finished_audit(store: AuditStore, audit: Audit, checklist_text: str) -> Audit:
    """Keep a finished scripted audit: everything it holds, then its score; returns it, with id."""
    # One transaction for everything the file gave (not one per answer): a thousand accounts
    # would otherwise wait for a thousand disk flushes, and a crash keeps all or nothing.
    audit_id = store.create(audit, checklist_text)
    store.save_position(audit_id, "done")
    result = score(audit)
    store.finish(audit_id, result.overall, result.band.value)
    return replace(audit, id=audit_id, state=AuditState.FINISHED, finished_at=datetime.now(UTC))
