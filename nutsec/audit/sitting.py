"""One sitting of an audit, for any front-end: which audit (new, resumed or revisited), the history
key, the reuse checker, and what stopping and finishing do to the store.

The terminal (`nutsec.cli.audit`) and the browser (`nutsec.web`) both build a `Sitting`, then only
draw its steps and feed the person's input back through `sitting.session`; every decision about
the key, the fingerprints, rescoring and deleting a `--no-save` audit is made here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from nutsec.audit.outcomes import Question
from nutsec.audit.password_step import NOTHING_KEPT, PasswordChecker
from nutsec.audit.session import AuditSession, FingerprintsIfKept
from nutsec.audit_data import Account, Audit
from nutsec.breach.model import BreachSource
from nutsec.checklist.model import Checklist
from nutsec.history_key import HistoryKey, KeyOnDemand
from nutsec.scoring import AuditScore
from nutsec.store.sqlite import SqliteAuditStore
from nutsec.words import and_list


class SittingKind(StrEnum):
    NEW = "new"
    RESUMED = "resumed"
    REVISIT = "revisit"


def open_key(*, keep: bool) -> HistoryKey:
    """The key kept in the OS keyring when it is safe (so reuse is found across sittings and
    audits); with `keep` False (nothing is saved), a key for this run that touches no keyring."""
    from nutsec.history_key import open_history_key, run_only_key
    from nutsec.keyring_safety import system_keyring

    if not keep:
        return run_only_key()
    backend, problem = system_keyring()
    return open_history_key(backend, problem)


def key_is_kept(key: HistoryKey) -> bool:
    """Whether `key` is still the history key in the OS keyring (`history --forget` may have
    removed it since it was opened): what was made with it may be kept only then."""
    from nutsec.history_key import still_the_key
    from nutsec.keyring_safety import system_keyring

    return still_the_key(key, *system_keyring())


def reuse_checker(source: BreachSource, key: Callable[[], HistoryKey]) -> PasswordChecker:
    """A checker whose fingerprints are made with the history key (opened when first needed)."""
    from nutsec.passwords.fingerprints import ReuseFinder

    def why() -> str:
        cause = key().why_not_kept
        return (
            NOTHING_KEPT
            if cause is None
            else f"nutsec kept no key between sittings, because {cause}"
        )

    return PasswordChecker(source, lambda: ReuseFinder(key().key), other_sittings=why)


def keyring_reason(key: KeyOnDemand, *, keep: bool) -> str | None:
    """Why passwords checked now cannot be compared with those of another sitting, in a few words;
    None when they can (or nothing is kept anyway). From the key if it was opened, else from
    judging the keyring, which reads and writes nothing."""
    from nutsec.history_key import unfit_keyring
    from nutsec.keyring_safety import system_keyring

    opened = key.opened()
    if opened is not None:
        return opened.in_short
    if not keep:
        return None
    return unfit_keyring(*system_keyring())


def keyring_note(*, details: str | None) -> str:
    """Said once, at the password step, when the history key cannot be kept. `details` is how this
    front-end points at the longer explanation (a command to type, which says why in technical
    words); None leaves it out (the browser: its reader has no terminal to type the command in)."""
    note = (
        "Note: if you carry on another day, nutsec will ask you to type these passwords again, "
        "to compare them with the ones you check then: on this computer it cannot safely "
        "remember anything about them between sittings. Nothing is wrong with your computer."
    )
    return note if details is None else f"{note} Why, and what you can do about it: {details}."


#: What each question a password check can answer is about, as the line after a check says it.
CHECKED_TOPICS = {
    "account.password-unique": "whether it is used anywhere else",
    "account.breached-password-changed": "whether it is in a known breach",
    "passwords.long-passphrases": "whether your passwords are hard to guess",
}


def checked_line(
    before: Sequence[Question], after: Sequence[Question], *, checks: int = 1
) -> str | None:
    """Said once, after a password check, for the questions it answered (both front-ends):
    the walk's questions `before` and `after` the check, and which they were in plain words.
    None when it answered none."""
    left = {q.key for q in after}
    answered = [q.item.id for q in before if q.key not in left]
    if not answered:
        return None
    if checks > 1:  # no count: it would read as part of the questions still to answer
        return (
            "These checks answered nutsec's questions about these passwords, so it will not ask "
            "them."
        )
    topics = [CHECKED_TOPICS[i] for i in dict.fromkeys(answered) if i in CHECKED_TOPICS]
    which = f" ({and_list(topics)})" if topics else ""
    if len(answered) == 1:
        return f"This check answered 1 question for you{which}, so nutsec will not ask it."
    count = len(answered)
    return f"This check answered {count} questions for you{which}, so nutsec will not ask them."


@dataclass
class Sitting:
    """An audit being taken now: its session (walk + store), the key and checker behind it.

    `keep` False is `--no-save`: the key touches no keyring and the audit is deleted when the
    sitting ends. A revisit is a finished audit reopened: stopping it rescores it."""

    store: SqliteAuditStore
    session: AuditSession
    key: KeyOnDemand
    kind: SittingKind
    keep: bool = True
    #: A revisit's score when it was reopened: its end says the new score and the change.
    score_before: AuditScore | None = None

    # Constructors ---------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        store: SqliteAuditStore,
        source: BreachSource,
        checklist: Checklist,
        checklist_text: str,
        *,
        keep: bool = True,
    ) -> Sitting:
        key, checker, prints = cls._parts(store, source, keep)
        session = AuditSession.start(store, checklist, checklist_text, checker, prints=prints)
        return cls(store, session, key, SittingKind.NEW, keep)

    @classmethod
    def resume(
        cls, store: SqliteAuditStore, source: BreachSource, audit_id: int, *, keep: bool = True
    ) -> Sitting:
        """Carry on an unfinished audit (holding its lock: a second sitting is refused)."""
        key, checker, prints = cls._parts(store, source, keep)
        session = AuditSession.resume(store, audit_id, checker, prints)
        return cls(store, session, key, SittingKind.RESUMED, keep)

    @classmethod
    def revisit(
        cls,
        store: SqliteAuditStore,
        source: BreachSource,
        audit_id: int,
        *,
        only_unanswered: bool,
    ) -> Sitting:
        """A finished audit's questions again; each change saved at once, scored afresh."""
        key = KeyOnDemand(lambda: open_key(keep=True))
        checker = reuse_checker(source, key)
        session = AuditSession.reopen(store, audit_id, checker, only_unanswered=only_unanswered)
        return cls(store, session, key, SittingKind.REVISIT, True, session.score())

    def score_change(self, after: AuditScore) -> str | None:
        """After a revisit: 'up 5 from 67', 'down 3 from 70', 'no change from 67'; None when
        either score is not a score (nothing is ever compared with "not scored")."""
        before = self.score_before
        if before is None or not before.possible or not after.possible:
            return None
        delta = after.overall - before.overall
        if delta == 0:
            return f"no change from {before.overall}"
        return f"{'up' if delta > 0 else 'down'} {abs(delta)} from {before.overall}"

    @staticmethod
    def _parts(
        store: SqliteAuditStore, source: BreachSource, keep: bool
    ) -> tuple[KeyOnDemand, PasswordChecker, FingerprintsIfKept]:
        # Opened when first needed (a password step, or a resume with passwords checked before).
        key = KeyOnDemand(lambda: open_key(keep=keep))
        checker = reuse_checker(source, key)
        prints = FingerprintsIfKept(store, lambda: key().kept)
        return key, checker, prints

    # What the front-ends ask ----------------------------------------------------------------

    @property
    def audit_id(self) -> int:
        return self.session.audit_id

    def keyring_reason(self) -> str | None:
        """See `keyring_reason`: why reuse cannot be compared across sittings, or None."""
        return keyring_reason(self.key, keep=self.keep)

    def audit(self) -> Audit:
        return self.session.audit()

    # The break after the essentials ---------------------------------------------------------

    def essentials_result(self) -> tuple[Audit, AuditScore]:
        """At the break (`walk.current.kind is StepKind.BREAK`): the audit and the essentials'
        score, which is kept with the unfinished audit (history and `report ID` show it)."""
        audit = self.session.audit()
        result = self.session.score()
        self._keep_score(result)
        return audit, result

    def carry_on(self) -> None:
        """From the break: on to the rest of the questions now."""
        self.session.next()

    def another_day(self) -> None:
        """From the break: stop here; `--resume` (or the browser's carry on) starts at the
        first of the remaining questions."""
        self.session.next()
        self.stop()

    # Passwords across a break ---------------------------------------------------------------

    def not_compared(self) -> tuple[Account, ...]:
        """Accounts checked at an earlier sitting whose passwords cannot be compared with those
        checked now (no key kept between sittings). Typing them again, with
        `session.check_password`, compares every password in this sitting (none is kept)."""
        names = set(self.session.checker.apart())
        return tuple(a for a in self.session.walk.accounts if a.name in names)

    def compare_line(self) -> str | None:
        """One plain line when a password just checked could not be compared with the earlier
        sitting's ones; None when every checked password was compared."""
        apart = self.not_compared()
        if not apart or len(self.session.passwords) < 2:
            return None
        if len(apart) == 1:
            return (
                f"This password could not be compared with {apart[0].name}'s, checked before you "
                "stopped. Type that one again now, and nutsec compares them (it keeps neither)."
            )
        names = and_list([a.name for a in apart])
        return (
            f"This password could not be compared with those of {names}, checked before you "
            "stopped. Type those again now, and nutsec compares them all (it keeps none of them)."
        )

    # Ending ----------------------------------------------------------------------------------

    def stop(self) -> None:
        """The person stopped (a choice or an interruption): everything answered is saved
        already; a revisit's score follows its answers, and a `--no-save` audit goes."""
        if not self.keep:
            self.store.delete(self.audit_id)
        elif self.kind is SittingKind.REVISIT:
            rescore(self.store, self.session)
        elif self.session.walk.essentials_done and not self.session.walk.finished:
            self._keep_score(self.session.score())  # the essentials' score, and any answer since

    def _keep_score(self, result: AuditScore) -> None:
        if self.keep:
            scored = result.possible > 0
            self.store.save_score(
                self.audit_id,
                result.overall if scored else None,
                result.band.value if scored else None,
            )

    def finish(self) -> tuple[Audit, AuditScore]:
        """Score and mark finished (then deleted, for `--no-save`)."""
        audit, result = self.session.finish()
        if not self.keep:
            self.store.delete(self.audit_id)
        return audit, result


def rescore(store: SqliteAuditStore, session: AuditSession) -> None:
    """A revisit stopped half-way is still a finished audit: its saved score follows the answers."""
    from nutsec.audit.outcomes import score

    result = score(session.audit())
    store.finish(session.audit_id, result.overall, result.band.value)


def essentials_lines(audit: Audit, result: AuditScore, asked: int, more: int) -> list[str]:
    """The essentials' score, said plainly as theirs, and how many questions are still to come."""
    from nutsec.report.view import score_phrase

    noun = "question" if more == 1 else "questions"
    answered = sum(1 for _ in audit.answers)
    if result.possible:
        head = f"Your essentials score: {score_phrase(result.overall, result.band)}"
    else:
        head = "No score yet: nothing you answered counts in a score so far."
    done = min(answered, asked)
    covers = (
        f"It covers the {asked} questions that matter most"
        if done >= asked
        else f"It covers the {done} of the {asked} questions that matter most that you answered"
    )
    them = "it" if more == 1 else "them"
    return [
        head,
        f"{covers}, and the passwords nutsec checked. The other {more} {noun} are not in it "
        f"until you answer {them}.",
    ]
