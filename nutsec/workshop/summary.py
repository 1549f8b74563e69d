"""The group picture: counts only, never one person's answers, and never for a group too small.

Pure: codes and the checklist they were made with in, a GroupSummary out (docs/demo.md shows it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from nutsec.checklist.model import Checklist, Item, ItemStatus, Scope, Severity
from nutsec.errors import NutsecError
from nutsec.scoring import Band
from nutsec.share.code import BANDS, MERGED, PASSWORD_CHECK_IDS, ShareCode, items_for
from nutsec.workshop.codes import CodeFile, CodeKey
from nutsec.workshop.limits import DEFAULT_MIN_GROUP, MIN_GROUP_FLOOR

#: How many items a summary talks about: enough for a session, few enough to act on.
TALKING_POINTS = 5


@dataclass(frozen=True)
class ItemNeed:
    """How many people in the group are where on one item (worst across their own subjects)."""

    item: Item
    not_done: int
    partly: int
    not_checked: int  # not checked, or skipped: no one knows yet
    done: int
    not_asked: int  # not applicable, or nothing to ask it of

    @property
    def needs_work(self) -> int:
        return self.not_done + self.partly

    @property
    def answered(self) -> int:
        return self.not_done + self.partly + self.done

    @property
    def share_needing_work(self) -> Fraction | None:
        """Of those who answered, the share not done ('partly' counts half); None if no one did."""
        if not self.answered:
            return None
        return (self.not_done + Fraction(self.partly, 2)) / self.answered


@dataclass(frozen=True)
class GroupSummary:
    checklist_id: str
    checklist_title: str
    checklist_version: str
    #: Different audits (people), each counted once however often it was shared.
    people: int
    #: Codes set aside because their audit was already counted.
    repeats: int
    bands: tuple[tuple[Band, int], ...]
    #: The items most in need of work, worst first (at most TALKING_POINTS).
    top: tuple[ItemNeed, ...]
    #: Every item, in checklist order: for --compare and the JSON.
    items: tuple[ItemNeed, ...]
    #: The day of the session: --date, else the day most codes were made; None if neither.
    day: date | None = None
    #: Codes of version 1, which cannot tell two shares of one audit apart.
    old_codes: int = 0
    #: Who is counted (never shown): to tell how far two sessions differ.
    keys: frozenset[CodeKey] = frozenset()

    def need_of(self, item_id: str) -> ItemNeed | None:
        return next((n for n in self.items if n.item.id == item_id), None)


@dataclass(frozen=True)
class ItemChange:
    item: Item
    earlier: ItemNeed
    later: ItemNeed


@dataclass(frozen=True)
class Comparison:
    """What changed between two sessions of the same group (same checklist version)."""

    earlier: GroupSummary
    later: GroupSummary
    #: The items either session talked about, in the later session's order of need.
    changes: tuple[ItemChange, ...]
    #: Why the changes are not shown (the groups differ by too few people); "" when shown.
    withheld: str = ""


def check_min_group(min_group: int) -> int:
    if min_group < MIN_GROUP_FLOOR:
        raise NutsecError(
            f"--min-group cannot be below {MIN_GROUP_FLOOR}: with fewer people, someone's "
            "answers could be worked out from the summary."
        )
    return min_group


def summarise(
    codes: CodeFile,
    checklist: Checklist,
    shown: str,
    min_group: int = DEFAULT_MIN_GROUP,
    day: date | None = None,
) -> GroupSummary:
    """The group's summary; NutsecError when the group is too small, the checklist differs or a
    code holds answers the checklist cannot give (named by its line)."""
    check_min_group(min_group)
    where = f"{shown}, line {codes.first_line}"
    if checklist.version != codes.checklist_version:
        raise NutsecError(
            f"{where}: the codes are for {codes.checklist_id} version {codes.checklist_version}, "
            f"but this nutsec has version {checklist.version}. Use the same nutsec version as the "
            "group, or ask them to update and share again."
        )
    items = items_for(checklist)
    lines = codes.lines or (codes.first_line,) * len(codes.codes)
    today = date.today()
    for code, line in zip(codes.codes, lines, strict=True):
        problem = impossible_answer(code, items)
        if not problem and future_code(code, today):
            problem = (
                f"this code is dated {code.made_on}, after today. nutsec did not make this "
                "code, or it was changed, so it is not counted."
            )
        if problem:
            raise NutsecError(f"{shown}, line {line}: {problem}")
    people = len(codes.codes)
    if people < min_group:
        aside = (
            f" ({_codes(codes.repeats)} set aside: an audit already counted)"
            if codes.repeats
            else ""
        )
        raise NutsecError(
            f"{shown} has {_people(people)}{aside}; a summary needs at least {min_group}, so "
            "that no one's answers can be picked out. Wait for a few more people, or ask the "
            "group to run 'nutsec share'."
        )
    needs = tuple(
        _need(item, Counter(code.outcomes[index] for code in codes.codes))
        for index, item in enumerate(items)
    )
    band_counts = Counter(code.band for code in codes.codes)
    return GroupSummary(
        checklist_id=checklist.id,
        checklist_title=checklist.title,
        checklist_version=checklist.version,
        people=people,
        repeats=codes.repeats,
        bands=tuple((band, band_counts[band]) for band in BANDS),
        top=tuple(sorted((n for n in needs if n.needs_work), key=_worst_first)[:TALKING_POINTS]),
        items=needs,
        day=day or _most_common_day(codes.codes),
        old_codes=codes.old_codes,
        keys=codes.keys,
    )


def possible_outcomes(item: Item) -> frozenset[ItemStatus | None]:
    """The worst outcomes an audit can give `item`: its answers' statuses, skipped, and not
    asked for an item of devices or accounts (a person may have none it applies to)."""
    found: set[ItemStatus | None] = {ItemStatus.of(option.status) for option in item.answers}
    if item.id in PASSWORD_CHECK_IDS:
        found |= {None} if item.id == "password.strength" else {None, ItemStatus.UNKNOWN}
        return frozenset(found)
    found.add(ItemStatus.SKIPPED)
    if item.scope is not Scope.PERSON:
        found.add(None)
    return frozenset(found)


def impossible_answer(code: ShareCode, items: tuple[Item, ...]) -> str:
    """Why the code cannot have been made by nutsec for these items; "" when it could."""
    if len(code.outcomes) != len(items):
        return (
            f"this code has {len(code.outcomes)} answers, but the checklist has {len(items)} "
            "questions and checks: it was not made with this checklist version."
        )
    for number, (item, status) in enumerate(zip(items, code.outcomes, strict=True), start=1):
        possible = possible_outcomes(item)
        if code.per_audit:
            possible = frozenset(MERGED.get(s, s) for s in possible)
        if status not in possible:
            from nutsec.share.words import OUTCOME_WORDS

            return (
                f"this code says '{OUTCOME_WORDS[status]}' for question {number} "
                f"({item.action_in_general}), an answer that question cannot have. nutsec did "
                "not make this code, or it was changed, so it is not counted."
            )
    band = _band_problem(code, items)
    if band:
        return (
            f"this code's band ({code.band.value}) cannot go with its answers ({band}). nutsec "
            "did not make this code, or it was changed, so it is not counted."
        )
    return ""


def _band_problem(code: ShareCode, items: tuple[Item, ...]) -> str:
    """What the score's rules (docs/scoring.md) say the band cannot be, from the worst answers."""
    scored = [s for s in code.outcomes if s in _SCORED]
    critical_fail = any(
        status is ItemStatus.FAIL and item.severity is Severity.CRITICAL
        for item, status in zip(items, code.outcomes, strict=True)
    )
    if not scored:
        return "" if code.band is Band.NOT_SCORED else "nothing in it is scored"
    if code.band is Band.NOT_SCORED:
        return "some of them are scored"
    if critical_fail and code.band in (Band.STRONG, Band.GOOD):
        return "a critical item is not done"
    if all(s is ItemStatus.PASS for s in scored) and code.band is not Band.STRONG:
        return "everything scored is done"
    if all(s is ItemStatus.FAIL for s in scored) and code.band is not Band.AT_RISK:
        return "nothing scored is done"
    return ""


def future_code(code: ShareCode, today: date) -> bool:
    """A code dated after tomorrow (time zones apart) was not made by nutsec."""
    return code.made_on is not None and (code.made_on - today).days > 1


_SCORED = frozenset({ItemStatus.PASS, ItemStatus.PARTIAL, ItemStatus.FAIL})


def _most_common_day(codes: tuple[ShareCode, ...]) -> date | None:
    days = Counter(code.made_on for code in codes if code.made_on is not None)
    if not days:
        return None
    top = max(days.values())
    return max(day for day, count in days.items() if count == top)


def compare(
    earlier: GroupSummary, later: GroupSummary, shown: str, min_group: int = DEFAULT_MIN_GROUP
) -> Comparison:
    """The two sessions side by side; NutsecError if they used different checklists.

    When the sessions differ by fewer than `min_group` people (the same codes plus a latecomer),
    the difference would be those few people's own answers: the changes are withheld.
    """
    if (earlier.checklist_id, earlier.checklist_version) != (
        later.checklist_id,
        later.checklist_version,
    ):
        raise NutsecError(
            f"{shown}: the earlier session used {earlier.checklist_id} version "
            f"{earlier.checklist_version} and this one {later.checklist_id} version "
            f"{later.checklist_version}; only sessions on the same version can be compared."
        )
    wanted = [n.item.id for n in later.top]
    wanted += [n.item.id for n in earlier.top if n.item.id not in wanted]
    changes = []
    for item_id in wanted:
        before, after = earlier.need_of(item_id), later.need_of(item_id)
        if before is not None and after is not None:
            changes.append(ItemChange(after.item, before, after))
    differ = len(earlier.keys ^ later.keys)
    if 0 < differ < min_group:
        who = "1 person" if differ == 1 else f"{differ} people"
        withheld = (
            f"The two sessions differ by only {who} (fewer than {min_group}), so what changed "
            "is not shown: it would be that person's own answers."
            if differ == 1
            else f"The two sessions differ by only {who} (fewer than {min_group}), so what "
            "changed is not shown: it would be those people's own answers."
        )
        return Comparison(earlier, later, (), withheld)
    return Comparison(earlier, later, tuple(changes))


def _need(item: Item, counts: Counter[ItemStatus | None]) -> ItemNeed:
    return ItemNeed(
        item=item,
        not_done=counts[ItemStatus.FAIL],
        partly=counts[ItemStatus.PARTIAL],
        not_checked=counts[ItemStatus.UNKNOWN] + counts[ItemStatus.SKIPPED],
        done=counts[ItemStatus.PASS],
        not_asked=counts[ItemStatus.NOT_APPLICABLE] + counts[None],
    )


def _worst_first(need: ItemNeed) -> tuple[int, Fraction, int]:
    """The most severe item first; then the larger share of people needing work on it, then
    the heavier item."""
    share = need.share_needing_work or Fraction(0)
    return (need.item.severity.rank, -share, -need.item.weight)


def _people(count: int) -> str:
    return "1 audit" if count == 1 else f"{count} different audits"


def _codes(count: int) -> str:
    return "1 code" if count == 1 else f"{count} codes"


@dataclass(frozen=True)
class GroupPicture:
    """What every format shows: this session's summary and, with --compare, the change since."""

    summary: GroupSummary
    comparison: Comparison | None = None
