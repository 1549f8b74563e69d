"""The group picture: counts only, never one person's answers, and never for a group too small.

Pure: codes and the checklist they were made with in, a GroupSummary out (docs/demo.md shows it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from nutsec.checklist.model import Checklist, Item, ItemStatus
from nutsec.errors import NutsecError
from nutsec.scoring import Band
from nutsec.share.code import BANDS, items_for
from nutsec.workshop.codes import CodeFile
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
    people: int
    repeats: int
    bands: tuple[tuple[Band, int], ...]
    #: The items most in need of work, worst first (at most TALKING_POINTS).
    top: tuple[ItemNeed, ...]
    #: Every item, in checklist order: for --compare and the JSON.
    items: tuple[ItemNeed, ...]

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


def check_min_group(min_group: int) -> int:
    if min_group < MIN_GROUP_FLOOR:
        raise NutsecError(
            f"--min-group cannot be below {MIN_GROUP_FLOOR}: with fewer people, someone's "
            "answers could be worked out from the summary."
        )
    return min_group


def summarise(
    codes: CodeFile, checklist: Checklist, shown: str, min_group: int = DEFAULT_MIN_GROUP
) -> GroupSummary:
    """The group's summary; NutsecError when the group is too small or the checklist differs."""
    check_min_group(min_group)
    where = f"{shown}, line {codes.first_line}"
    if checklist.version != codes.checklist_version:
        raise NutsecError(
            f"{where}: the codes are for {codes.checklist_id} version {codes.checklist_version}, "
            f"but this nutsec has version {checklist.version}. Use the same nutsec version as the "
            "group, or ask them to update and share again."
        )
    items = items_for(checklist)
    if any(len(code.outcomes) != len(items) for code in codes.codes):
        raise NutsecError(
            f"{where}: the codes do not match the questions of {checklist.id} version "
            f"{checklist.version} in this nutsec."
        )
    people = len(codes.codes)
    if people < min_group:
        raise NutsecError(
            f"{shown} has {_people(people)}; a summary needs at least {min_group}, so that no "
            "one's answers can be picked out. Wait for a few more codes, or ask the group to "
            "run 'nutsec share'."
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
    )


def compare(earlier: GroupSummary, later: GroupSummary, shown: str) -> Comparison:
    """The two sessions side by side; NutsecError if they used different checklists."""
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


def _worst_first(need: ItemNeed) -> tuple[Fraction, int, int]:
    """Most people needing work first; then the more severe item, then the heavier one."""
    return (
        -(need.not_done + Fraction(need.partly, 2)),
        need.item.severity.rank,
        -need.item.weight,
    )


def _people(count: int) -> str:
    return "1 code" if count == 1 else f"{count} different codes"


@dataclass(frozen=True)
class GroupPicture:
    """What every format shows: this session's summary and, with --compare, the change since."""

    summary: GroupSummary
    comparison: Comparison | None = None
