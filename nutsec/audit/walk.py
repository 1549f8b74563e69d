"""The audit walk as a pure state machine: which step is on screen, and where each event leads.

No I/O and no terminal: the drivers (interactive and scripted) show steps and feed events back;
the session saves what the events produce. A step's `key` is saved after every answer so that
a resumed audit starts at the same question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from nutsec.audit.outcomes import MEASURED_BY, Question, asked_questions
from nutsec.audit_data import Account, AnswerKey, Device, PasswordFindings
from nutsec.checklist.model import Checklist, Scope

INVENTORY_TITLE = "Your devices and accounts"
PASSWORDS_TITLE = "Your passwords"
PERSON_TITLE = "About you"
DEVICES_KEY = "inventory:devices"
ACCOUNTS_KEY = "inventory:accounts"
DONE_KEY = "done"
BREAK_KEY = "essentials-done"
MORE_TITLE = "More questions"

#: The first sitting asks at most this many questions besides those a password check answers
#: (the essentials: critical and high items, docs/walkthrough.md "Essentials first").
ESSENTIALS_LIMIT = 20
#: Minutes a question takes, on average, as measured with new users (docs/walkthrough.md).
MINUTES_PER_QUESTION = 0.6


class StepKind(StrEnum):
    DEVICES = "devices"
    ACCOUNTS = "accounts"
    # A step kind, not a password: silence the password linters.
    PASSWORD = "password"  # noqa: S105  # nosec B105
    QUESTION = "question"
    BREAK = "break"  # the essentials are done: their score, then carry on now or another day
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


AGAIN_PREFIX = "password-again:"


def again_key(account: str) -> str:
    """A password offered again on resume (it was not checked at an earlier sitting)."""
    return f"{AGAIN_PREFIX}{account}"


#: Account items a password check answers: asked (with a key to check now) only while unchecked.
CHECK_ANSWERS = frozenset(MEASURED_BY)


def essential_keys(
    checklist: Checklist, devices: tuple[Device, ...], accounts: tuple[Account, ...]
) -> frozenset[AnswerKey]:
    """The questions of the first sitting: every critical and high item that applies, the
    critical ones first, then by weight, up to ESSENTIALS_LIMIT; the items a password check
    answers come on top of the limit (a check answers them without a question).

    Chosen from every question the inventory gives, checked or not, so checking a password later
    never moves a question from one part to the other. An audit of at most ESSENTIALS_LIMIT
    questions is all essentials: it has one part."""
    from nutsec.checklist.model import Severity

    everything = asked_questions(checklist, devices, accounts, {})
    if len(everything) <= ESSENTIALS_LIMIT:
        return frozenset(q.key for q in everything)  # it fits one sitting: one part
    wanted = [q for q in everything if q.item.severity in (Severity.CRITICAL, Severity.HIGH)]
    checkable = [q for q in wanted if q.item.id in CHECK_ANSWERS]
    others = [q for q in wanted if q.item.id not in CHECK_ANSWERS]
    order = {q.key: n for n, q in enumerate(everything)}
    others.sort(
        key=lambda q: (
            q.item.severity.rank,
            q.item.scope is Scope.PERSON,  # what protects a device or account first
            -q.item.weight,
            q.item.minutes if q.item.minutes is not None else 999,
            order[q.key],
        )
    )
    return frozenset(q.key for q in [*checkable, *others[:ESSENTIALS_LIMIT]])


def progress_phrase(
    questions: Sequence[Question],
    answers: Mapping[AnswerKey, str],
    essentials: frozenset[AnswerKey] | None,
) -> str:
    """How far an audit is, in the words of its part (every front-end's "My audit"): while the
    questions that matter most are not all answered, those are counted, and the rest are said to
    wait; then all of them."""
    first = [q for q in questions if essentials is not None and q.key in essentials]
    answered = sum(1 for q in questions if q.key in answers)
    if first and len(first) < len(questions) and any(q.key not in answers for q in first):
        done = sum(1 for q in first if q.key in answers)
        later = len(questions) - len(first)
        return (
            f"{done} of the {len(first)} questions that matter most answered so far; the other "
            f"{later} can wait for another day."
        )
    noun = "question" if len(questions) == 1 else "questions"
    return f"{answered} of {len(questions)} {noun} answered so far."


def minutes_for(questions: int) -> int:
    """About how long `questions` questions take, in whole five minutes (at least 5)."""
    return max(5, 5 * round(questions * MINUTES_PER_QUESTION / 5))


#: How long the first sitting takes in each front-end, for a phone, a laptop and three accounts,
#: all three passwords checked (docs/walkthrough.md, "How long the first sitting takes").
#: The browser, timed with a new user (issue 18): reading at 200 words a minute, 10 seconds a
#: press and 30 seconds a password, 15 minutes when text already on the page before is not read
#: again, nearer 20 reading every word of every page and some "Why it matters" panels. The
#: terminal, where each name is typed and each password has its own screen, timed the same way
#: from its 80x24 transcript (every word printed, 45 keys and lines, 3 passwords): about 21.
FIRST_SITTING_MINUTES = {"browser": (15, 20), "terminal": (20, 25)}


def first_sitting_minutes(front_end: str = "terminal") -> str:
    """What a front-end's welcome says the first sitting takes ("15 to 20"): listing the
    devices and accounts and checking their passwords, then at most ESSENTIALS_LIMIT
    questions."""
    low, high = FIRST_SITTING_MINUTES[front_end]
    return str(low) if low == high else f"{low} to {high}"


def build_steps(
    checklist: Checklist,
    devices: tuple[Device, ...],
    accounts: tuple[Account, ...],
    measured: Mapping[str, PasswordFindings] | None = None,
    *,
    revisit: bool = False,
    essentials: frozenset[AnswerKey] | None = None,
    again: tuple[str, ...] = (),
    again_before: str | None = None,
) -> tuple[Step, ...]:
    """Inventory, a password offer per account, then the questions grouped by subject (the
    person, each device, each account), then done. What a checked password answers is not asked.

    With `essentials`, those questions come first, then a break (their score; carry on now or
    another day), then the rest. A revisit (a finished audit reopened) has only the questions and
    the end.
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
    first = [q for q in questions if essentials is None or q.key in essentials]
    rest = [q for q in questions if essentials is not None and q.key not in essentials]
    if not first:  # nothing essential left to ask: the rest is the only part
        first, rest = rest, []
    steps += _question_steps(checklist, first, devices, accounts)
    if rest:
        steps.append(Step(StepKind.BREAK, BREAK_KEY))
        steps += _question_steps(checklist, rest, devices, accounts)
    steps.append(Step(StepKind.DONE, DONE_KEY))
    if again:
        # Offered again on resume, once each, just before the step the audit stopped at.
        keys = [step.key for step in steps]
        at = keys.index(again_before) if again_before in keys else len(steps) - 1
        extra = [
            Step(
                StepKind.PASSWORD,
                again_key(name),
                Progress(PASSWORDS_TITLE, number, len(again)),
                None,
                name,
            )
            for number, name in enumerate(again, start=1)
        ]
        steps[at:at] = extra
    return tuple(steps)


def _question_steps(
    checklist: Checklist,
    questions: list[Question],
    devices: tuple[Device, ...],
    accounts: tuple[Account, ...],
) -> list[Step]:
    """One part's question steps, numbered 1 to its length."""
    steps = []
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
    return steps


@dataclass(frozen=True)
class ContentsRow:
    """One line of a revisit's contents: question `number`, whom it is about, its answer."""

    number: int
    key: str  # the step key, for `go_to`
    subject: str | None
    question: str
    answer: str | None  # the answer's label as the person saw it; None when unanswered


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
    #: Accounts whose password was not checked at an earlier sitting: offered again, once, on
    #: resume, before the step the audit stopped at (`again_before`).
    again: tuple[str, ...] = ()
    again_before: str | None = None

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
            walk = replace(walk, index=keys.index(position))
        elif position is None:
            return walk
        else:
            walk = replace(walk, index=walk.first_unanswered())
        return walk.offering_again()

    def offering_again(self) -> Walk:
        """On resume: every account whose password is not checked yet, and whose password step is
        behind, is offered again (once) before the step on screen."""
        if self.revisit or self.current.kind in (StepKind.DEVICES, StepKind.ACCOUNTS):
            return self
        behind = {s.account for s in self.steps[: self.index] if s.kind is StepKind.PASSWORD}
        names = tuple(
            a.name for a in self.accounts if a.name in behind and a.name not in self.passwords
        )
        if not names:
            return self
        walk = replace(self, again=names, again_before=self.position, index=0)
        return replace(walk, index=[s.key for s in walk.steps].index(again_key(names[0])))

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
            self.checklist,
            self.devices,
            self.accounts,
            self.passwords,
            revisit=self.revisit,
            essentials=self.essentials,
            again=self.again,
            again_before=self.again_before,
        )

    @cached_property
    def essentials(self) -> frozenset[AnswerKey] | None:
        """The first sitting's questions (see `essential_keys`); None on a revisit (one part)."""
        if self.revisit:
            return None
        return essential_keys(self.checklist, self.devices, self.accounts)

    @property
    def break_index(self) -> int | None:
        """Where the essentials end (the break step), or None when there is only one part."""
        return next((n for n, s in enumerate(self.steps) if s.kind is StepKind.BREAK), None)

    @property
    def essentials_done(self) -> bool:
        """The first sitting's questions are behind: their score can be given."""
        at = self.break_index
        return self.finished if at is None else self.index >= at

    @property
    def essentials_count(self) -> int:
        """How many questions the first part asks (all of them when there is one part)."""
        at = self.break_index
        part = self.steps if at is None else self.steps[:at]
        return sum(1 for s in part if s.question is not None)

    @property
    def remaining_count(self) -> int:
        """Questions still to come after the essentials (or after this step once past them):
        the N of "N more questions"."""
        at = self.break_index
        if at is None:
            return 0
        start = max(at, self.index)
        return sum(
            1
            for s in self.steps[start:]
            if s.question is not None and s.question.key not in self.answers
        )

    @property
    def remaining_minutes(self) -> int:
        """About how long the remaining questions take, in whole five minutes."""
        return minutes_for(self.remaining_count)

    @property
    def to_come(self) -> frozenset[AnswerKey]:
        """Questions not yet reached (and not answered): not asked yet, so never "skipped"."""
        return frozenset(
            s.question.key
            for s in self.steps[self.index :]
            if s.question is not None and s.question.key not in self.answers
        )

    @property
    def saved_position(self) -> str:
        """The key a resume starts from: a password offered again saves the step it came before
        (a resume offers every unchecked password again anyway)."""
        if self.current.key.startswith(AGAIN_PREFIX) and self.again_before is not None:
            return self.again_before
        return self.position

    @property
    def password_run(self) -> tuple[Step, ...]:
        """The password steps in a row from the one on screen (none unless it is one): the
        browser offers them on one page."""
        run = []
        for step in self.steps[self.index :]:
            if step.kind is not StepKind.PASSWORD:
                break
            run.append(step)
        return tuple(run)

    def past_passwords(self) -> Walk:
        """On past every password step in a row from the one on screen, as Continue would go
        past each in turn."""
        walk = self
        for _ in self.password_run:
            walk = walk.next()
        return walk

    def contents(self) -> tuple[ContentsRow, ...]:
        """Every question of the walk with its answer, numbered: pick one and `go_to` its key."""
        rows = []
        for number, step in enumerate((s for s in self.steps if s.question), start=1):
            question = step.question
            assert question is not None  # nosec B101  # narrowing for mypy
            key = self.answers.get(question.key)
            option = question.item.answer(key) if key is not None else None
            label = option.label if option is not None else key
            rows.append(
                ContentsRow(number, step.key, question.subject, question.item.question, label)
            )
        return tuple(rows)

    def questions_checkable(self) -> dict[AnswerKey, str]:
        """Questions a password check would answer: question key -> the account to check."""
        return {
            q.key: q.subject
            for q in self.questions
            if q.subject is not None and q.item.id in CHECK_ANSWERS
        }

    def two_step_on(self, account: str) -> bool | None:
        """What the person said of this account's second step at sign-in (`said_two_step_on`:
        True, False, or None before they are asked), for a password's verdict."""
        from nutsec.advice import said_two_step_on

        return said_two_step_on(self.checklist, self.answers, account)

    def two_step_to_ask(self, account: str) -> bool:
        """This audit will still ask whether the account's sign-in needs a second step (the
        question is not reached yet): a password's verdict leaves that advice to the question."""
        from nutsec.advice import TWO_STEP_ITEMS

        to_come = self.to_come
        return any((item, account) in to_come for item in TWO_STEP_ITEMS)

    def check_note(self, question: Question) -> str | None:
        """Why the password check already made could not answer this question (so a front-end
        says so, instead of offering the same check as if none had been made); None when the
        account's password is not checked yet, or the question is not one a check answers."""
        from nutsec.breach.model import BreachStatus

        if question.subject is None or question.item.id not in CHECK_ANSWERS:
            return None
        findings = self.passwords.get(question.subject)
        if findings is None:
            return None
        if question.item.id == "account.breached-password-changed":
            if findings.breach.status is BreachStatus.UNKNOWN:
                why = f" ({findings.breach.reason})" if findings.breach.reason else ""
                return (
                    f"nutsec checked this password, but could not look it up in known "
                    f"breaches{why}. Answer what you know, or check it again later."
                )
        elif findings.reuse_unknown:
            return (
                "nutsec checked this password, but could not compare it with the passwords "
                "checked at another sitting. Answer what you know, or type those passwords "
                "again so that all of them are compared."
            )
        return None

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
        """The same walk with new parts; it stays on the step on screen or, when a check just
        answered that question, on the first later step still there."""
        later = [step.key for step in self.steps[self.index :]]
        fresh = replace(self, index=0, **changes)  # type: ignore[arg-type]
        keys = [step.key for step in fresh.steps]
        here = next((keys.index(key) for key in later if key in keys), 0)
        return replace(fresh, index=here)

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
