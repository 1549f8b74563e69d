"""The audit walk as a pure state machine: which step is on screen, and where each event leads.

No I/O and no terminal: the drivers (interactive and scripted) show steps and feed events back;
the session saves what the events produce. A step's `key` is saved after every answer so that
a resumed audit starts at the same question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from nutsec.audit.outcomes import Question, asked_questions
from nutsec.audit_data import Account, AnswerKey, Device, PasswordFindings
from nutsec.checklist.model import Checklist, Scope

INVENTORY_TITLE = "Your devices and accounts"
PASSWORDS_TITLE = "Your passwords"
PERSON_TITLE = "About you"
DEVICES_KEY = "inventory:devices"
ACCOUNTS_KEY = "inventory:accounts"
DONE_KEY = "done"


class StepKind(StrEnum):
    DEVICES = "devices"
    ACCOUNTS = "accounts"
    # A step kind, not a password: silence the password linters.
    PASSWORD = "password"  # noqa: S105  # nosec B105
    QUESTION = "question"
    DONE = "done"


@dataclass(frozen=True)
class Progress:
    """Where a step sits. A question is question `number` of `count` in the whole audit (the
    same count the welcome and the end give); an inventory or password step is step `number`
    of `count` in its part."""

    title: str  # the part: "Your devices and accounts", "About you", a device or an account
    number: int
    count: int
    section_title: str = ""  # a question's checklist section


@dataclass(frozen=True)
class Step:
    kind: StepKind
    key: str
    progress: Progress | None = None
    question: Question | None = None
    account: str | None = None  # the account whose password this step offers to check
    section_intro: str = ""
    subject: Device | Account | None = None  # whom the step is about (a question's subject)


def question_key(question: Question) -> str:
    """Item ids cannot contain ':', so the subject (any text) can follow the second one."""
    return f"question:{question.item.id}:{question.subject or ''}"


def password_key(account: str) -> str:
    return f"password:{account}"


def build_steps(
    checklist: Checklist,
    devices: tuple[Device, ...],
    accounts: tuple[Account, ...],
    measured: Mapping[str, PasswordFindings] | None = None,
    *,
    revisit: bool = False,
) -> tuple[Step, ...]:
    """Inventory, a password offer per account, then the questions grouped by subject (the
    person, each device, each account), then done. What a checked password answers is not asked.

    A revisit (a finished audit reopened) has only the questions and the end.
    """
    steps: list[Step] = []
    if not revisit:
        inventory = [(StepKind.DEVICES, DEVICES_KEY), (StepKind.ACCOUNTS, ACCOUNTS_KEY)]
        for number, (kind, key) in enumerate(inventory, start=1):
            steps.append(Step(kind, key, Progress(INVENTORY_TITLE, number, len(inventory))))
        for number, account in enumerate(accounts, start=1):
            progress = Progress(PASSWORDS_TITLE, number, len(accounts))
            steps.append(
                Step(StepKind.PASSWORD, password_key(account.name), progress, None, account.name)
            )
    questions = asked_questions(checklist, devices, accounts, measured or {})
    sections = {s.id: s for s in checklist.sections}
    devices_by_name = {d.name: d for d in devices}
    accounts_by_name = {a.name: a for a in accounts}
    previous_section = ""
    for number, question in enumerate(questions, start=1):
        section = sections[question.item.section_id]
        subject: Device | Account | None = None
        if question.item.scope is Scope.DEVICE:
            subject = devices_by_name[question.subject or ""]
        elif question.item.scope is Scope.ACCOUNT:
            subject = accounts_by_name[question.subject or ""]
        title = PERSON_TITLE if subject is None else subject.name
        # A section's intro introduces the person's part of it; a subject's part needs none.
        intro = section.intro if subject is None and section.id != previous_section else ""
        previous_section = section.id if subject is None else ""
        progress = Progress(title, number, len(questions), section.title)
        key = question_key(question)
        steps.append(Step(StepKind.QUESTION, key, progress, question, None, intro, subject))
    steps.append(Step(StepKind.DONE, DONE_KEY))
    return tuple(steps)


@dataclass(frozen=True)
class Walk:
    """One audit's walk. Every event returns a new Walk; nothing here is ever mutated.

    `passwords` are the findings of the passwords checked so far: what they answer is not asked.
    `revisit` walks a finished audit's questions again; with `only_unanswered` too, the walk
    stops only at questions that have no answer (the skipped ones).
    """

    checklist: Checklist
    devices: tuple[Device, ...] = ()
    accounts: tuple[Account, ...] = ()
    answers: Mapping[AnswerKey, str] = field(default_factory=dict)
    index: int = 0
    stopped: bool = False
    passwords: Mapping[str, PasswordFindings] = field(default_factory=dict)
    revisit: bool = False
    only_unanswered: bool = False

    @classmethod
    def resume(
        cls,
        checklist: Checklist,
        devices: tuple[Device, ...],
        accounts: tuple[Account, ...],
        answers: Mapping[AnswerKey, str],
        position: str | None,
        passwords: Mapping[str, PasswordFindings] | None = None,
    ) -> Walk:
        """The walk at `position`; if that step no longer exists, at the first unanswered one."""
        walk = cls(checklist, devices, accounts, dict(answers), passwords=dict(passwords or {}))
        keys = [step.key for step in walk.steps]
        if position in keys:
            return replace(walk, index=keys.index(position))
        if position is None:
            return walk
        return replace(walk, index=walk.first_unanswered())

    @classmethod
    def reopen(
        cls,
        checklist: Checklist,
        devices: tuple[Device, ...],
        accounts: tuple[Account, ...],
        answers: Mapping[AnswerKey, str],
        passwords: Mapping[str, PasswordFindings],
        *,
        only_unanswered: bool,
    ) -> Walk:
        """A finished audit's questions again: every one, or only those left unanswered."""
        walk = cls(
            checklist,
            devices,
            accounts,
            dict(answers),
            passwords=dict(passwords),
            revisit=True,
            only_unanswered=only_unanswered,
        )
        return replace(walk, index=walk._stop_from(0))

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        return build_steps(
            self.checklist, self.devices, self.accounts, self.passwords, revisit=self.revisit
        )

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """The questions asked, in order: their number is the "N questions" everywhere."""
        return tuple(s.question for s in self.steps if s.question is not None)

    @property
    def answered_count(self) -> int:
        return sum(1 for q in self.questions if q.key in self.answers)

    @property
    def unanswered_count(self) -> int:
        return len(self.questions) - self.answered_count

    @property
    def current(self) -> Step:
        return self.steps[self.index]

    @property
    def position(self) -> str:
        return self.current.key

    @property
    def finished(self) -> bool:
        return self.current.kind is StepKind.DONE

    def answer_for(self, question: Question) -> str | None:
        return self.answers.get(question.key)

    def first_unanswered(self) -> int:
        for index, step in enumerate(self.steps):
            if step.question is not None and step.question.key not in self.answers:
                return index
        return len(self.steps) - 1

    # Events -------------------------------------------------------------------------------

    def answer(self, key: str) -> Walk:
        """Record the answer to the question on screen and move to the next step."""
        question = self._question()
        if question.item.answer(key) is None:
            raise ValueError(f"item {question.item.id!r} has no answer {key!r}")
        answers = {**self.answers, question.key: key}
        return replace(self, answers=answers, index=self._stop_from(self.index + 1))

    def skip(self) -> Walk:
        """Leave the step unanswered (a question's earlier answer is forgotten) and move on."""
        if self.finished:
            return self
        if self.current.kind is StepKind.QUESTION:
            question = self._question()
            answers = {k: v for k, v in self.answers.items() if k != question.key}
            return replace(self, answers=answers, index=self._stop_from(self.index + 1))
        return replace(self, index=self.index + 1)

    def next(self) -> Walk:
        """Move on from an inventory or password step (a question moves on by being answered)."""
        if self.finished:
            return self
        if self.current.kind is StepKind.QUESTION:
            raise ValueError("a question moves on with answer() or skip()")
        return replace(self, index=self._stop_from(self.index + 1))

    def back(self) -> Walk:
        return replace(self, index=max(0, self.index - 1))

    def go_to(self, key: str) -> Walk:
        """Jump to the step with this key (a contents list: any question, answered, skipped or
        not yet reached, or a password step). An unknown key raises ValueError."""
        keys = [step.key for step in self.steps]
        if key not in keys:
            raise ValueError(f"no step {key!r} in this audit")
        return replace(self, index=keys.index(key))

    def quit(self) -> Walk:
        return replace(self, stopped=True)

    def with_devices(self, devices: tuple[Device, ...]) -> Walk:
        """New inventory; the walk stays on the step it is on (the inventory step)."""
        return self._rebuilt(devices=devices)

    def with_accounts(self, accounts: tuple[Account, ...]) -> Walk:
        return self._rebuilt(accounts=accounts)

    def with_passwords(self, passwords: Mapping[str, PasswordFindings]) -> Walk:
        """Findings changed: what they now answer leaves the walk; the step on screen stays."""
        return self._rebuilt(passwords=dict(passwords))

    def _rebuilt(self, **changes: object) -> Walk:
        key = self.position
        fresh = replace(self, index=0, **changes)  # type: ignore[arg-type]
        keys = [step.key for step in fresh.steps]
        return replace(fresh, index=keys.index(key) if key in keys else 0)

    def _stop_from(self, index: int) -> int:
        """The first step from `index` the walk stops at (a revisit of the skipped ones passes
        over answered questions)."""
        while self.only_unanswered and index < len(self.steps) - 1:
            question = self.steps[index].question
            if question is None or question.key not in self.answers:
                break
            index += 1
        return min(index, len(self.steps) - 1)

    def _question(self) -> Question:
        question = self.current.question
        if question is None:
            raise ValueError("there is no question on screen")
        return question
