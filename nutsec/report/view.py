"""The report as ready-to-show phrases, shared by the terminal, HTML and Markdown formats.

Every format says the same thing in the same words; only the layout differs. No renderer sees a
username (the model does not hand it on), and "not checked" is never worded as safe (promise 3).
Names and platforms come from a saved audit (perhaps one an older nutsec wrote): their control
characters are shown as codes (U+001B) here, so no format can make a terminal obey them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import assert_never

from nutsec.actions import START_HERE, Action, ActionGroup, Audience
from nutsec.audit.outcomes import Override
from nutsec.audit_data import PLATFORMS, Account, PasswordFindings
from nutsec.breach.model import BreachResult, BreachStatus
from nutsec.checklist.model import ItemStatus
from nutsec.lostdevice.card import LostDeviceCard
from nutsec.passwords.strength import StrengthResult
from nutsec.report.model import Report
from nutsec.report.progress import Progress
from nutsec.safe_text import without_controls
from nutsec.scoring import Band, points

STATUS_LABEL: dict[ItemStatus, str] = {
    ItemStatus.FAIL: "not done",
    ItemStatus.PARTIAL: "partly done",
    ItemStatus.UNKNOWN: "not checked",
    ItemStatus.PASS: "done",
    ItemStatus.NOT_APPLICABLE: "does not apply",
    ItemStatus.SKIPPED: "skipped",
}

BAND_MEANING: dict[Band, str] = {
    Band.STRONG: "You are well protected. Keep it that way.",
    Band.GOOD: "A good base, with a few things to tighten.",
    Band.NEEDS_ATTENTION: "Some important things need fixing soon.",
    Band.AT_RISK: "Several important things need fixing now.",
    Band.NOT_SCORED: "Nothing was answered that could be scored.",
}


@dataclass(frozen=True)
class SectionRow:
    title: str
    score: str  # "50%" or "no score"
    points: str  # "5 of 10"
    how: str


@dataclass(frozen=True)
class ActionRow:
    priority: int
    severity: str
    status: str
    subject: str | None
    title: str  # the question it answers
    text: str  # the steps, for this subject only
    headline: str  # what to do: "Turn on a screen lock on your Laptop"
    why: str  # one line
    effort: str  # "about 5 minutes", or ""


@dataclass(frozen=True)
class ActionGroupView:
    """The rest of the plan after Start here: one device, one account, or habits."""

    title: str
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class SkippedRow:
    subject: str | None
    question: str


@dataclass(frozen=True)
class ProgressView:
    """What changed since the previous audit, as sentences ("Fixed since 2 June: ...")."""

    since: str  # "2 June 2026"
    score: str  # "Your score went from 48 to 63 (+15)."
    fixed: tuple[str, ...]
    new: tuple[str, ...]

    @property
    def summary(self) -> str:
        """One line: 'Since 2 June 2026: score 48 → 63 (+15), 2 fixed, 1 new.'"""
        return f"Since {self.since}: {self.score[0].lower()}{self.score[1:]} " + (
            f"{len(self.fixed)} fixed, {len(self.new)} new."
        )


@dataclass(frozen=True)
class DeviceRow:
    name: str
    kind: str


@dataclass(frozen=True)
class AccountRow:
    name: str
    platform: str
    checked: bool  # False: the password was not checked, and the rows below are empty
    strength: str
    breach: str
    reused_with: tuple[str, ...]
    similar_to: tuple[str, ...]


@dataclass(frozen=True)
class UncheckedRow:
    subject: str | None
    question: str
    reason: str


@dataclass(frozen=True)
class ReportView:
    overall: int | None  # None when nothing is scored: no number is shown anywhere
    band: str
    band_meaning: str
    capped: str | None  # why the band is lower than the points alone would give
    coverage: str | None  # how many questions were skipped or checks not done, when any
    coverage_short: str | None  # the same in one short line
    nothing_to_fix: str  # shown when the action plan is empty
    points: str
    date: str
    finished: bool
    audit_id: int | None
    checklist_title: str
    checklist_id: str
    checklist_version: str
    tool_version: str
    sections: tuple[SectionRow, ...]
    actions: tuple[ActionRow, ...]  # every action, most important first
    start_here: tuple[ActionRow, ...]  # the first three
    groups: tuple[ActionGroupView, ...]  # the rest: by device, by account, then habits
    skipped: tuple[SkippedRow, ...]
    prepared_for: str | None
    progress: ProgressView | None
    devices: tuple[DeviceRow, ...]
    accounts: tuple[AccountRow, ...]
    not_verified: tuple[UncheckedRow, ...]
    card: LostDeviceCard
    overridden: tuple[UncheckedRow, ...] = ()  # reason: the answer given and what was measured
    score_text: str = ""  # "62 out of 100 (Needs attention)", or "not scored yet (...)"
    #: While questions are still to come: that this is the essentials' score, and how many.
    part_note: str | None = None

    @property
    def scored(self) -> bool:
        return self.overall is not None


def report_view(report: Report) -> ReportView:
    """The phrases every format shows, worked out once."""
    questions = {(i.id, i.subject): i.question for i in report.items}
    rows = tuple(_action_row(a) for a in report.actions)
    uncompared = sum(
        1 for i in report.items if i.id == "password.reused" and i.status is ItemStatus.UNKNOWN
    )
    return ReportView(
        overall=report.overall if report.scored else None,
        score_text=score_phrase(report.overall if report.scored else None, report.band),
        part_note=part_note(report),
        band=report.band.value,
        band_meaning=BAND_MEANING[report.band],
        capped=(
            "A critical item failed, so the band cannot be better than this."
            if report.capped
            else None
        ),
        coverage=coverage_phrase(
            [i.status for i in report.items],
            reuse_unknown=uncompared,
            answered=report.answered,
            to_come=report.questions_to_come,
        ),
        coverage_short=short_coverage(
            [i.status for i in report.items],
            reuse_unknown=uncompared,
            to_come=report.questions_to_come,
        ),
        nothing_to_fix=nothing_to_fix_phrase([i.status for i in report.items]),
        points=f"{points(report.earned)} of {report.possible} points",
        date=show_date(report.finished_at or report.created_at),
        finished=report.finished,
        audit_id=report.audit_id,
        checklist_title=report.checklist_title,
        checklist_id=report.checklist_id,
        checklist_version=report.checklist_version,
        tool_version=report.tool_version,
        sections=tuple(
            SectionRow(
                title=s.title,
                score=f"{s.score}%" if s.score is not None else "no score",
                points=f"{points(s.earned)} of {s.possible}",
                how=s.how,
            )
            for s in report.sections
        ),
        actions=rows,
        start_here=rows[:START_HERE],
        groups=_groups(report, rows),
        # Only what was put to the person and skipped: questions still to come are not skipped.
        skipped=tuple(SkippedRow(_inert(i.subject), i.question) for i in report.skipped),
        prepared_for=_inert(report.prepared_for),
        progress=_progress(report.progress),
        devices=tuple(
            DeviceRow(without_controls(d.name), d.kind.capitalize()) for d in report.devices
        ),
        accounts=tuple(_account_row(a.account, a.password) for a in report.accounts),
        not_verified=tuple(
            UncheckedRow(
                subject=_inert(n.subject),
                question=questions.get((n.item_id, n.subject), n.item_id),
                reason=f"Not checked ({n.reason})" if n.reason else "Not checked",
            )
            for n in report.not_verified
        ),
        card=_inert_card(report.lost_device_card),
        overridden=tuple(_overridden(o, questions) for o in report.overrides),
    )


def _overridden(override: Override, questions: dict[tuple[str, str | None], str]) -> UncheckedRow:
    """'You answered "Yes", but nutsec found the same password on: X. Scored: "No".'"""
    return UncheckedRow(
        _inert(override.subject),
        questions.get((override.item_id, override.subject), override.item_id),
        f'You answered "{override.answered_label}", but {without_controls(override.reason)} '
        f'Scored: "{override.measured_label}".',
    )


def _action_row(a: Action) -> ActionRow:
    return ActionRow(
        priority=a.priority,
        severity=a.severity.value,
        status=STATUS_LABEL[a.status],
        subject=_inert(a.subject),
        title=a.title,
        text=without_controls(a.text),
        headline=without_controls(a.headline),
        why=a.why,
        effort=a.effort,
    )


def _groups(report: Report, rows: tuple[ActionRow, ...]) -> tuple[ActionGroupView, ...]:
    """The actions after Start here, grouped: each device and each account in the order given,
    then the person's habits; each group keeps the plan's order."""
    rest = [(a, row) for a, row in zip(report.actions, rows, strict=True)][START_HERE:]
    order: list[tuple[ActionGroup, str | None]] = [
        (ActionGroup.DEVICE, d.name) for d in report.devices
    ]
    order += [(ActionGroup.ACCOUNT, a.account.name) for a in report.accounts]
    buckets: dict[tuple[ActionGroup, str | None], list[ActionRow]] = {k: [] for k in order}
    several: list[ActionRow] = []
    habits: list[ActionRow] = []
    for action, row in rest:
        if action.group is ActionGroup.HABIT:
            habits.append(row)
        elif len(action.subjects) > 1 or (action.group, action.subject) not in buckets:
            several.append(row)
        else:
            buckets[(action.group, action.subject)].append(row)
    groups = []
    for (group, name), members in buckets.items():
        if members:
            kind = "device" if group is ActionGroup.DEVICE else "account"
            groups.append(
                ActionGroupView(f"Your {kind}: {without_controls(name or '')}", tuple(members))
            )
    if several:
        groups.append(ActionGroupView("Several accounts", tuple(several)))
    if habits:
        groups.append(ActionGroupView("Your habits", tuple(habits)))
    return tuple(groups)


def _progress(progress: Progress | None) -> ProgressView | None:
    if progress is None:
        return None
    since = show_day(progress.since)
    delta = progress.score_now - progress.score_before
    change = f" ({delta:+d})" if delta else ""
    score = (
        f"Your score went from {progress.score_before} to {progress.score_now}{change}."
        if delta
        else f"Your score is the same as on {since}: {progress.score_now}."
    )
    return ProgressView(
        since=since,
        score=score,
        fixed=tuple(without_controls(f) for f in progress.fixed),
        new=tuple(without_controls(n) for n in progress.new),
    )


def _inert(text: str | None) -> str | None:
    return None if text is None else without_controls(text)


def _inert_card(card: LostDeviceCard) -> LostDeviceCard:
    """The card with the device and account names in it made inert (its own text is data)."""
    w = without_controls
    return replace(
        card,
        steps=tuple(
            replace(
                step,
                title=w(step.title),
                detail=w(step.detail),
                subject=_inert(step.subject),
                hints=tuple(map(w, step.hints)),
                lines=tuple(
                    replace(line, label=w(line.label), text=w(line.text)) for line in step.lines
                ),
            )
            for step in card.steps
        ),
    )


def coverage_phrase(
    statuses: Sequence[ItemStatus],
    *,
    reuse_unknown: int = 0,
    answered: tuple[int, int] | None = None,
    to_come: int = 0,
) -> str | None:
    """How much of the audit the score stands on, when questions were skipped or checks could
    not be done; else None. `reuse_unknown` of the unknown statuses are reuse checks that
    could not compare passwords of different sittings; the rest are breach checks. `to_come`
    questions of an unfinished audit are not reached yet: the part note says so, so they are
    neither asked nor skipped here.

    A score of 100 from two answers out of sixty is true to the formula but would mislead
    if it were shown alone; so would a score that is silent about breach checks not done.
    """
    skipped = sum(1 for status in statuses if status is ItemStatus.SKIPPED)
    unknown = sum(1 for status in statuses if status is ItemStatus.UNKNOWN) - reuse_unknown
    said: list[str] = []
    asked = len(statuses)
    if answered is not None:  # the questions put to the person, as the audit's end counted them
        asked, skipped = answered[1], answered[1] - answered[0]
    asked, skipped = asked - to_come, skipped - to_come
    if skipped > 0:
        noun = "question" if asked == 1 else "questions"
        said.append(
            f"You answered {asked - skipped} of {asked} {noun}. "
            + ("The other one is not" if skipped == 1 else f"The other {skipped} are not")
            + " in the score: it only says how you did on the ones you answered."
        )
    if unknown:
        said.append(
            "1 password could not be checked for known breaches. It is marked 'not checked': "
            "left out of the score, and not counted as safe."
            if unknown == 1
            else f"{unknown} passwords could not be checked for known breaches. They are marked "
            "'not checked': left out of the score, and not counted as safe."
        )
    if reuse_unknown:
        said.append(
            "1 password could not be compared with those checked at another sitting, so "
            "its reuse is marked 'not checked' and not counted as safe."
            if reuse_unknown == 1
            else f"{reuse_unknown} passwords could not be compared with those checked at "
            "another sitting, so their reuse is marked 'not checked' and not counted as safe."
        )
    return " ".join(said) or None


def short_coverage(
    statuses: Sequence[ItemStatus], *, reuse_unknown: int = 0, to_come: int = 0
) -> str | None:
    """The coverage in a line or two: 'You answered 62 of 66 questions; the other 4 are not in
    the score.' and '1 password could not be checked, so it is not counted as safe.'
    (`reuse_unknown` and `to_come`: as for `coverage_phrase`)."""
    asked = len(statuses) - to_come
    skipped = sum(1 for status in statuses if status is ItemStatus.SKIPPED) - to_come
    unknown = sum(1 for status in statuses if status is ItemStatus.UNKNOWN) - reuse_unknown
    said = []
    if skipped > 0:
        the = "the other one" if skipped == 1 else f"the other {skipped}"
        said.append(
            f"You answered {asked - skipped} of {asked} questions; "
            f"{the} {'is' if skipped == 1 else 'are'} not in the score."
        )
    if unknown:
        said.append(
            "1 password could not be checked, so it is not counted as safe."
            if unknown == 1
            else f"{unknown} passwords could not be checked, so they are not counted as safe."
        )
    if reuse_unknown:
        said.append(
            "1 password could not be compared with those of another sitting: not counted as safe."
            if reuse_unknown == 1
            else f"{reuse_unknown} passwords could not be compared with those of another "
            "sitting: not counted as safe."
        )
    return "\n".join(said) or None


def nothing_to_fix_phrase(statuses: Sequence[ItemStatus]) -> str:
    """What an empty action plan means: well done, or only as far as the answers go."""
    if any(status is ItemStatus.SKIPPED for status in statuses):
        return "Nothing to fix in what you answered."
    return "Nothing to fix: well done."


def part_note(report: Report) -> str | None:
    """An unfinished audit's score is of what is answered so far: said plainly, with the count."""
    more = report.questions_to_come
    if report.finished or not more:
        return None
    noun = "question is" if more == 1 else "questions are"
    if report.audience is Audience.BROWSER:
        resume = " Carry on with it in nutsec: My audit."
    elif report.audit_id:
        resume = f" Carry on with it: 'nutsec audit --resume {report.audit_id}'."
    else:
        resume = ""
    return (
        f"This is the score of the questions answered so far (the essentials first): {more} "
        f"more {noun} still to come, and not in the score.{resume}"
    )


def score_phrase(overall: int | None, band: Band) -> str:
    """'62 out of 100 (Needs attention)'; an audit with nothing scored has no number at all."""
    if overall is None or band is Band.NOT_SCORED:
        return "not scored yet (nothing answered counts in a score)"
    return f"{overall} out of 100 ({band.value})"


def show_date(moment: datetime) -> str:
    """'25 November 2026, 09:52 GMT': the local date and time with its zone, unambiguous on
    paper in any country. The one format of every report format and `nutsec history`."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    zone = local.tzname() or ""
    if zone and zone[0] in "+-":  # a zone with no name: say it as an offset from UTC
        zone = f"UTC{zone}"
    return f"{local.day} {local:%B %Y, %H:%M}" + (f" {zone}" if zone else "")


def show_day(moment: datetime) -> str:
    """'2 June 2026' (local): when an earlier audit was done."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return f"{local.day} {local:%B %Y}"


def platform_label(account: Account) -> str:
    key = account.platform.strip().lower()
    return PLATFORMS[key] if key in PLATFORMS and key != "other" else account.platform


def strength_phrase(strength: StrengthResult) -> str:
    """'Weak: could be guessed in 3 hours'."""
    phrase = f"{strength.rating.capitalize()}: could be guessed in {strength.crack_time}"
    if strength.truncated:
        phrase += f" (only its first {strength.evaluated_chars} characters were assessed)"
    return phrase


def breach_phrase(breach: BreachResult) -> str:
    """Found, not found, or "not checked (reason)": never "safe"."""
    match breach.status:
        case BreachStatus.FOUND:
            times = "once" if breach.count == 1 else f"{breach.count:,} times"
            return f"Found in known data breaches ({times})"
        case BreachStatus.NOT_FOUND:
            return "Not found in known data breaches"
        case BreachStatus.UNKNOWN:
            return f"Not checked ({breach.reason})" if breach.reason else "Not checked"
        case _:
            assert_never(breach.status)


def _account_row(account: Account, findings: PasswordFindings | None) -> AccountRow:
    name, platform = without_controls(account.name), without_controls(platform_label(account))
    if platform.casefold() == name.casefold():
        platform = ""  # "X (Twitter) – X (Twitter)" says nothing twice
    elif platform.casefold().startswith(name.casefold() + " ("):
        name, platform = platform, ""  # "X" on X (Twitter) is "X (Twitter)", not "X (X (Twitter))"
    if findings is None:
        return AccountRow(name, platform, False, "", "", (), ())
    return AccountRow(
        name=name,
        platform=platform,
        checked=True,
        strength=strength_phrase(findings.strength),
        breach=breach_phrase(findings.breach),
        reused_with=tuple(map(without_controls, findings.reused_with)),
        similar_to=tuple(map(without_controls, findings.similar_to)),
    )
