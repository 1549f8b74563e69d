"""An audit being taken: the walk plus the store, saving each event the moment it happens.

Both drivers use this: the interactive one event by event, the scripted one all at once. A crash
after any method returns loses nothing (promise 4): the store commits before returning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from nutsec.audit.answers_file import AnswersFile
from nutsec.audit.outcomes import score
from nutsec.audit.password_step import PasswordChecker
from nutsec.audit.walk import StepKind, Walk
from nutsec.audit_data import Account, Audit, AuditState, Device, PasswordFindings
from nutsec.checklist.model import Checklist
from nutsec.passwords.fingerprints import Fingerprints
from nutsec.scoring import AuditScore
from nutsec.secret import Secret
from nutsec.store.interface import AuditStore, FingerprintStore


class AuditSession:
    """One audit's walk, saved through `store` after every answer, skip, step and change.

    `prints` keeps each checked password's keyed fingerprints with the audit, so a later sitting
    or audit can compare with them; None when the history key is not kept (they would be useless).
    """

    def __init__(
        self,
        store: AuditStore,
        audit_id: int,
        walk: Walk,
        checker: PasswordChecker,
        passwords: dict[str, PasswordFindings] | None = None,
        created_at: datetime | None = None,
        prints: FingerprintStore | None = None,
    ) -> None:
        self.store = store
        self.prints = prints
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
        prints: FingerprintStore | None = None,
    ) -> AuditSession:
        created_at = now or datetime.now(UTC)
        audit_id = store.create(Audit(checklist=checklist, created_at=created_at), checklist_text)
        session = cls(
            store, audit_id, Walk(checklist), checker, created_at=created_at, prints=prints
        )
        store.save_position(audit_id, session.walk.saved_position)
        return session

    @classmethod
    def resume(
        cls,
        store: AuditStore,
        audit_id: int,
        checker: PasswordChecker,
        prints: FingerprintStore | None = None,
    ) -> AuditSession:
        """Carry on an unfinished audit at the step it was saved on; passwords checked before
        the stop are compared with new ones through their kept fingerprints."""
        store.hold(audit_id)  # a second session on this audit is told now, not after answering
        audit = store.load(audit_id)
        walk = Walk.resume(
            audit.checklist,
            audit.devices,
            audit.accounts,
            audit.answers,
            store.position(audit_id),
            audit.passwords,
        )
        kept = prints.fingerprints(audit_id) if prints is not None and audit.passwords else {}
        for name, findings in audit.passwords.items():
            checker.remember(name, findings, kept.get(name))
        return cls(
            store, audit_id, walk, checker, dict(audit.passwords), audit.created_at, prints=prints
        )

    @classmethod
    def reopen(
        cls, store: AuditStore, audit_id: int, checker: PasswordChecker, *, only_unanswered: bool
    ) -> AuditSession:
        """A finished audit's questions again (`--revisit`): each change is saved at once, and
        finishing scores it afresh."""
        store.hold(audit_id)  # one session at a time, as for --resume
        audit = store.load(audit_id)
        walk = Walk.reopen(
            audit.checklist,
            audit.devices,
            audit.accounts,
            audit.answers,
            audit.passwords,
            only_unanswered=only_unanswered,
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

    def past_passwords(self) -> None:
        """On past the password steps in a row from the one on screen (see `Walk.password_run`)."""
        self.walk = self.walk.past_passwords()
        self._save_position()

    def back(self) -> None:
        self.walk = self.walk.back()
        self._save_position()

    def go_to(self, key: str) -> None:
        """Jump to any step by its key (see `Walk.go_to`); saved like any move."""
        self.walk = self.walk.go_to(key)
        self._save_position()

    def score(self) -> AuditScore:
        """The score of what is answered and checked so far (the essentials' score at the
        break): nothing not yet asked is in it."""
        return score(self.audit())

    def unchecked_accounts(self) -> tuple[Account, ...]:
        """Accounts whose password has not been checked (listed at the end)."""
        return tuple(a for a in self.walk.accounts if a.name not in self.passwords)

    def set_devices(self, devices: tuple[Device, ...]) -> None:
        self.walk = self.walk.with_devices(devices)
        self.store.save_inventory(self.audit_id, self.walk.devices, self.walk.accounts)

    def set_accounts(self, accounts: tuple[Account, ...]) -> None:
        self.walk = self.walk.with_accounts(accounts)
        self.store.save_inventory(self.audit_id, self.walk.devices, self.walk.accounts)

    def check_password(self, account: Account, secret: Secret) -> PasswordFindings:
        """Check (and wipe) the password; save this account's findings and any changed reuse."""
        earlier = (
            self.prints.earlier_fingerprints(account.name, self.audit_id)
            if self.prints is not None
            else []
        )
        changed = self.checker.check(account, secret, earlier)
        mine = self.checker.fingerprints(account.name)
        if self.prints is not None and mine is not None:
            # Before the findings, so findings never lack them: a crash in between leaves only
            # fingerprints, which a resume ignores (that password step is shown again).
            self.prints.save_fingerprints(self.audit_id, account.name, mine)
        for name, findings in changed.items():
            if self.passwords.get(name) != findings:
                self.store.save_password_findings(self.audit_id, name, findings)
                self.passwords[name] = findings
        # What the check answers is no longer asked: the walk drops those questions.
        self.walk = self.walk.with_passwords(self.passwords)
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
        self.store.save_position(self.audit_id, self.walk.saved_position)


class FingerprintsIfKept(FingerprintStore):
    """Keeps and gives fingerprints only when the history key is kept (`kept()`, asked only
    when a fingerprint is saved or looked up): under a key lost with the run they would be
    useless, so they are not stored."""

    def __init__(self, store: FingerprintStore, kept: Callable[[], bool]) -> None:
        self._store = store
        self._kept = kept

    def save_fingerprints(self, audit_id: int, account: str, prints: Fingerprints) -> None:
        if self._kept():
            self._store.save_fingerprints(audit_id, account, prints)

    def fingerprints(self, audit_id: int) -> dict[str, Fingerprints]:
        return self._store.fingerprints(audit_id) if self._kept() else {}

    def earlier_fingerprints(
        self, account: str, before: int | None
    ) -> list[tuple[int, datetime, Fingerprints]]:
        return self._store.earlier_fingerprints(account, before) if self._kept() else []

    def count_fingerprints(self) -> int:
        return self._store.count_fingerprints()

    def forget_fingerprints(self) -> int:
        return self._store.forget_fingerprints()


def scripted_audit(
    answers: AnswersFile,
    checklist: Checklist,
    checker: PasswordChecker,
    now: datetime,
    prints: FingerprintStore | None = None,
) -> Audit:
    """The whole audit an answers file describes, its passwords checked and then wiped.

    With `prints`, each password is compared with the same account's in earlier audits."""
    devices, accounts = answers.inventory()
    findings: dict[str, PasswordFindings] = {}
    try:
        pairs = [(e.account, e.password) for e in answers.accounts if e.password is not None]
        earlier = {
            account.name: prints.earlier_fingerprints(account.name, None)
            for account, _ in pairs
            if prints is not None
        }
        if pairs:  # one batch: the breach look-ups overlap each other and the strength checks
            findings = checker.check_all(pairs, earlier)
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


def save_finished_audit(
    store: AuditStore,
    audit: Audit,
    checklist_text: str,
    prints: FingerprintStore | None = None,
    fingerprints: Mapping[str, Fingerprints] | None = None,
    still_the_key: Callable[[], bool] | None = None,
) -> Audit:
    """Keep a finished scripted audit: everything it holds, then its score; returns it, with id.

    `fingerprints` (kept through `prints`) let later audits say whether a password changed.
    With `still_the_key`, they are kept only if it says the key they were made with is still
    the history key: a scripted audit holds no lock while it checks, so `history --forget` may
    have run meanwhile, and its fingerprints must then go with the key."""
    # One transaction for everything the file gave (not one per answer): a thousand accounts
    # would otherwise wait for a thousand disk flushes, and a crash keeps all or nothing.
    audit_id = store.create(audit, checklist_text)
    if prints is not None and fingerprints:
        prints.save_fingerprints_if(audit_id, fingerprints, still_the_key or (lambda: True))
    store.save_position(audit_id, "done")
    result = score(audit)
    store.finish(audit_id, result.overall, result.band.value)
    return replace(audit, id=audit_id, state=AuditState.FINISHED, finished_at=datetime.now(UTC))
