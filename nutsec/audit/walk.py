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

from nutsec.audit.outcomes import Question, questions_for
from nutsec.audit_data import Account, AnswerKey, Device
from nutsec.checklist.model import Checklist

INVENTORY_TITLE = "Your devices and accounts"
PASSWORDS_TITLE = "Your passwords"
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
    """Where a step sits: section i of n, step j of m within that section."""

    section_title: str
    section_number: int
    section_count: int
    number: int
    count: int


@dataclass(frozen=True)
class Step:
    kind: StepKind
    key: str
    progress: Progress | None = None
    question: Question | None = None
    account: str | None = None  # the account whose password this step offers to check
    section_intro: str = ""


def question_key(question: Question) -> str:
    """Item ids cannot contain ':', so the subject (any text) can follow the second one."""
    return f"question:{question.item.id}:{question.subject or ''}"


def password_key(account: str) -> str:
    return f"password:{account}"


def build_steps(
    checklist: Checklist, devices: tuple[Device, ...], accounts: tuple[Account, ...]
) -> tuple[Step, ...]:
    """Inventory, then a password offer per account, then the checklist's questions, then done."""
    groups: list[tuple[str, str, list[tuple[StepKind, str, Question | None, str | None]]]] = [
        (
            INVENTORY_TITLE,
            "",
            [
                (StepKind.DEVICES, DEVICES_KEY, None, None),
                (StepKind.ACCOUNTS, ACCOUNTS_KEY, None, None),
            ],
        )
    ]
    if accounts:
        groups.append(
            (
                PASSWORDS_TITLE,
                "",
                [(StepKind.PASSWORD, password_key(a.name), None, a.name) for a in accounts],
            )
        )
    questions = list(questions_for(checklist, devices, accounts))
    for section in checklist.sections:
        in_section = [q for q in questions if q.item.section_id == section.id]
        if in_section:
            groups.append(
                (
                    section.title,
                    section.intro,
                    [(StepKind.QUESTION, question_key(q), q, None) for q in in_section],
                )
            )
    steps: list[Step] = []
    for number, (title, intro, entries) in enumerate(groups, start=1):
        for index, (kind, key, question, account) in enumerate(entries, start=1):
            progress = Progress(title, number, len(groups), index, len(entries))
            steps.append(Step(kind, key, progress, question, account, intro))
    steps.append(Step(StepKind.DONE, DONE_KEY))
    return tuple(steps)


@dataclass(frozen=True)
class Walk:
    """One audit's walk. Every event returns a new Walk; nothing here is ever mutated."""

    checklist: Checklist
    devices: tuple[Device, ...] = ()
    accounts: tuple[Account, ...] = ()
    answers: Mapping[AnswerKey, str] = field(default_factory=dict)
    index: int = 0
    stopped: bool = False

    @classmethod
    def resume(
        cls,
        checklist: Checklist,
        devices: tuple[Device, ...],
        accounts: tuple[Account, ...],
        answers: Mapping[AnswerKey, str],
        position: str | None,
    ) -> Walk:
        """The walk at `position`; if that step no longer exists, at the first unanswered one."""
        walk = cls(checklist, devices, accounts, dict(answers))
        keys = [step.key for step in walk.steps]
        if position in keys:
            return replace(walk, index=keys.index(position))
        if position is None:
            return walk
        for index, step in enumerate(walk.steps):
            if step.question is not None and step.question.key not in walk.answers:
                return replace(walk, index=index)
        return replace(walk, index=len(walk.steps) - 1)

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        return build_steps(self.checklist, self.devices, self.accounts)

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

    # Events -------------------------------------------------------------------------------

    def answer(self, key: str) -> Walk:
        """Record the answer to the question on screen and move to the next step."""
        question = self._question()
        if question.item.answer(key) is None:
            raise ValueError(f"item {question.item.id!r} has no answer {key!r}")
        answers = {**self.answers, question.key: key}
        return replace(self, answers=answers, index=self.index + 1)

    def skip(self) -> Walk:
        """Leave the step unanswered (a question's earlier answer is forgotten) and move on."""
        if self.finished:
            return self
        if self.current.kind is StepKind.QUESTION:
            question = self._question()
            answers = {k: v for k, v in self.answers.items() if k != question.key}
            return replace(self, answers=answers, index=self.index + 1)
        return replace(self, index=self.index + 1)

    def next(self) -> Walk:
        """Move on from an inventory or password step (a question moves on by being answered)."""
        if self.finished:
            return self
        if self.current.kind is StepKind.QUESTION:
            raise ValueError("a question moves on with answer() or skip()")
        return replace(self, index=self.index + 1)

    def back(self) -> Walk:
        return replace(self, index=max(0, self.index - 1))

    def quit(self) -> Walk:
        return replace(self, stopped=True)

    def with_devices(self, devices: tuple[Device, ...]) -> Walk:
        """New inventory; the walk stays on the step it is on (the inventory step)."""
        return self._reinventory(devices, self.accounts)

    def with_accounts(self, accounts: tuple[Account, ...]) -> Walk:
        return self._reinventory(self.devices, accounts)

    def _reinventory(self, devices: tuple[Device, ...], accounts: tuple[Account, ...]) -> Walk:
        key = self.position
        fresh = Walk(self.checklist, devices, accounts, self.answers, 0, self.stopped)
        keys = [step.key for step in fresh.steps]
        return replace(fresh, index=keys.index(key) if key in keys else 0)

    def _question(self) -> Question:
        question = self.current.question
        if question is None:
            raise ValueError("there is no question on screen")
        return question
