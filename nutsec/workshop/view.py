"""The summary in sentences, shared by every format so they all say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from nutsec import __version__
from nutsec.share.words import day_text
from nutsec.workshop.summary import GroupPicture, ItemChange, ItemNeed

PRIVACY_NOTE = (
    "Made from anonymous share codes: no names, no devices or accounts, no scores. Each audit "
    "counts once, however often it was shared, and only counts of people are shown."
)


@dataclass(frozen=True)
class PointView:
    number: int
    id: str
    title: str
    severity: str
    counts: str
    why: str
    fix: str


@dataclass(frozen=True)
class ChangeView:
    title: str
    earlier: str
    later: str
    direction: str


@dataclass(frozen=True)
class PictureView:
    tool_version: str
    checklist: str
    day: str
    people: str
    repeats: str
    bands: tuple[tuple[str, int], ...]
    points: tuple[PointView, ...]
    no_points: str
    compared: bool
    earlier_people: str
    earlier_bands: tuple[tuple[str, int, int], ...]  # band, earlier count, later count
    changes: tuple[ChangeView, ...]
    #: Why the changes since last time are not shown; "" when they are.
    withheld: str = ""
    #: About version 1 codes, which cannot tell two shares of one audit apart; "" if none.
    old_codes: str = ""
    privacy: str = PRIVACY_NOTE


def picture_view(picture: GroupPicture) -> PictureView:
    s = picture.summary
    c = picture.comparison
    earlier_bands: tuple[tuple[str, int, int], ...] = ()
    if c is not None and not c.withheld:
        before = dict(c.earlier.bands)
        earlier_bands = tuple((band.value, before[band], count) for band, count in s.bands)
    return PictureView(
        tool_version=__version__,
        checklist=f"{s.checklist_title} ({s.checklist_id}, version {s.checklist_version})",
        day=f"Session of {day_text(s.day)}" if s.day else "Session date not given",
        people=f"{_people(s.people)} took part.",
        repeats=(
            f"{_set_aside(s.repeats)} set aside: its audit was already counted (pasted again, "
            "or shared twice)."
            if s.repeats
            else ""
        ),
        old_codes=(
            f"{_codes(s.old_codes)} from an older nutsec (NS1-), which cannot show whether one "
            "audit was shared twice."
            if s.old_codes
            else ""
        ),
        bands=tuple((band.value, count) for band, count in s.bands),
        points=tuple(_point(number, need) for number, need in enumerate(s.top, start=1)),
        no_points="Everyone who answered has done every item. Well done, all of you.",
        compared=c is not None and not c.withheld,
        earlier_people=f"{_people(c.earlier.people)} took part last time." if c else "",
        earlier_bands=earlier_bands,
        changes=tuple(_change(change) for change in c.changes) if c else (),
        withheld=c.withheld if c else "",
    )


def counts_text(need: ItemNeed) -> str:
    """'6 of 10 not done, 2 partly done, 1 not checked yet' (of everyone it was asked of)."""
    asked = need.answered + need.not_checked
    parts = [f"{need.not_done} of {asked} not done"]
    if need.partly:
        parts.append(f"{need.partly} partly done")
    if need.not_checked:
        parts.append(f"{need.not_checked} not checked yet")
    if need.not_asked:
        parts.append(f"{need.not_asked} not asked (did not apply)")
    return ", ".join(parts)


def _point(number: int, need: ItemNeed) -> PointView:
    item = need.item
    return PointView(
        number=number,
        id=item.id,
        title=item.action_in_general,
        severity=item.severity.value,
        counts=counts_text(need) + ".",
        why=item.why,
        fix=item.fix,
    )


def _change(change: ItemChange) -> ChangeView:
    before, after = change.earlier.share_needing_work, change.later.share_needing_work
    if before is None or after is None or before == after:
        direction = "no change"
    else:
        direction = "better" if after < before else "worse"
    return ChangeView(
        title=change.item.action_in_general,
        earlier=_still_to_do(change.earlier),
        later=_still_to_do(change.later),
        direction=direction,
    )


def _still_to_do(need: ItemNeed) -> str:
    share = need.share_needing_work
    if share is None:
        return "no answers"
    return f"{_percent(share)}% still to do ({need.needs_work} of {need.answered})"


def _percent(value: Fraction) -> int:
    return int(value * 100 + Fraction(1, 2))


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _set_aside(count: int) -> str:
    return "1 code was" if count == 1 else f"{count} codes were"


def _codes(count: int) -> str:
    return "1 code is" if count == 1 else f"{count} codes are"
