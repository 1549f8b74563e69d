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

from nutsec.audit_data import PLATFORMS, Account, PasswordFindings
from nutsec.breach.model import BreachResult, BreachStatus
from nutsec.checklist.model import ItemStatus
from nutsec.lostdevice.card import LostDeviceCard
from nutsec.passwords.strength import StrengthResult
from nutsec.report.model import Report
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
    title: str
    text: str


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
    overall: int
    band: str
    band_meaning: str
    capped: str | None  # why the band is lower than the points alone would give
    coverage: str | None  # how many questions were skipped or checks not done, when any
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
    actions: tuple[ActionRow, ...]
    devices: tuple[DeviceRow, ...]
    accounts: tuple[AccountRow, ...]
    not_verified: tuple[UncheckedRow, ...]
    card: LostDeviceCard


def report_view(report: Report) -> ReportView:
    """The phrases every format shows, worked out once."""
    questions = {(i.id, i.subject): i.question for i in report.items}
    return ReportView(
        overall=report.overall,
        band=report.band.value,
        band_meaning=BAND_MEANING[report.band],
        capped=(
            "A critical item failed, so the band cannot be better than this."
            if report.capped
            else None
        ),
        coverage=coverage_phrase(
            [i.status for i in report.items],
            reuse_unknown=sum(
                1
                for i in report.items
                if i.id == "password.reused" and i.status is ItemStatus.UNKNOWN
            ),
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
        actions=tuple(
            ActionRow(
                priority=a.priority,
                severity=a.severity.value,
                status=STATUS_LABEL[a.status],
                subject=_inert(a.subject),
                title=a.title,
                text=a.text,
            )
            for a in report.actions
        ),
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


def coverage_phrase(statuses: Sequence[ItemStatus], *, reuse_unknown: int = 0) -> str | None:
    """How much of the audit the score stands on, when questions were skipped or checks could
    not be done; else None. `reuse_unknown` of the unknown statuses are reuse checks that
    could not compare passwords of different sittings; the rest are breach checks.

    A score of 100 from two answers out of sixty is true to the formula but would mislead
    if it were shown alone; so would a score that is silent about breach checks not done.
    """
    skipped = sum(1 for status in statuses if status is ItemStatus.SKIPPED)
    unknown = sum(1 for status in statuses if status is ItemStatus.UNKNOWN) - reuse_unknown
    said: list[str] = []
    if skipped:
        asked = len(statuses)
        noun = "question" if asked == 1 else "questions"
        said.append(
            f"You answered {asked - skipped} of {asked} {noun}. The {skipped} skipped are not in "
            "the score: it only says how you did on the ones you answered."
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


def nothing_to_fix_phrase(statuses: Sequence[ItemStatus]) -> str:
    """What an empty action plan means: well done, or only as far as the answers go."""
    if any(status is ItemStatus.SKIPPED for status in statuses):
        return "Nothing to fix in what you answered."
    return "Nothing to fix: well done."


def show_date(moment: datetime) -> str:
    """'25 November 2026, 09:52 UTC': unambiguous on paper in any country."""
    offset = moment.utcoffset()
    zone = "" if offset is None else " UTC" if not offset else f" UTC{moment:%z}"
    return f"{moment.day} {moment:%B %Y, %H:%M}{zone}"


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
