"""The group summary's rules as tables: who counts, what comes first, when it is refused."""

from __future__ import annotations

import pytest

from nutsec.checklist.model import ItemStatus
from nutsec.demo.script import demo_checklist
from nutsec.errors import NutsecError
from nutsec.scoring import Band
from nutsec.share.code import ShareCode, encode, items_for, worst
from nutsec.workshop.codes import read_codes
from nutsec.workshop.summary import TALKING_POINTS, compare, summarise

CHECKLIST = demo_checklist()
ITEMS = items_for(CHECKLIST)


def _code(number: int, fails: dict[int, ItemStatus], band: Band = Band.GOOD) -> str:
    outcomes = [ItemStatus.PASS] * len(ITEMS)
    for index, status in fails.items():
        outcomes[index] = status
    return encode(
        ShareCode(CHECKLIST.id, CHECKLIST.version, band, number.to_bytes(6, "big"), tuple(outcomes))
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([ItemStatus.PASS, ItemStatus.FAIL], ItemStatus.FAIL),
        ([ItemStatus.PASS, ItemStatus.PARTIAL], ItemStatus.PARTIAL),
        ([ItemStatus.PASS, ItemStatus.UNKNOWN], ItemStatus.UNKNOWN),  # unknown is never safe
        ([ItemStatus.NOT_APPLICABLE, ItemStatus.PASS], ItemStatus.PASS),
        ([ItemStatus.SKIPPED, ItemStatus.PASS], ItemStatus.SKIPPED),
        ([], None),
    ],
)
def test_the_worst_outcome_of_an_item_across_subjects(
    statuses: list[ItemStatus], expected: ItemStatus | None
) -> None:
    assert worst(statuses) is expected


def test_the_items_most_people_need_to_work_on_come_first() -> None:
    codes = [
        _code(1, {3: ItemStatus.FAIL, 5: ItemStatus.PARTIAL, 7: ItemStatus.FAIL}),
        _code(2, {3: ItemStatus.FAIL, 5: ItemStatus.PARTIAL}),
        _code(3, {3: ItemStatus.FAIL, 5: ItemStatus.PARTIAL, 9: ItemStatus.UNKNOWN}),
        _code(4, {5: ItemStatus.FAIL}),
        _code(5, {}, band=Band.STRONG),
    ]
    summary = summarise(read_codes("\n".join(codes), "codes.txt"), CHECKLIST, "codes.txt")
    assert summary.people == 5
    assert dict(summary.bands)[Band.GOOD] == 4 and dict(summary.bands)[Band.STRONG] == 1
    # item 3: 3 not done (3); item 5: 1 not done + 3 partly (2.5); item 7: 1 not done (1).
    assert [n.item.id for n in summary.top] == [ITEMS[3].id, ITEMS[5].id, ITEMS[7].id]
    assert summary.top[1].not_done == 1 and summary.top[1].partly == 3
    assert ITEMS[9].id not in {n.item.id for n in summary.top}, "not checked is not 'to do'"
    assert summary.items[9].not_checked == 1
    assert len(summary.top) <= TALKING_POINTS


def test_a_repeated_code_counts_once_and_a_group_too_small_is_refused() -> None:
    codes = [_code(n, {}) for n in range(1, 5)]
    text = "\n".join([*codes, codes[0], "", "# a note"])
    parsed = read_codes(text, "codes.txt")
    assert len(parsed.codes) == 4 and parsed.repeats == 1
    with pytest.raises(NutsecError) as caught:
        summarise(parsed, CHECKLIST, "codes.txt")
    assert "4 different codes" in caught.value.message and "at least 5" in caught.value.message
    assert summarise(parsed, CHECKLIST, "codes.txt", min_group=4).people == 4
    with pytest.raises(NutsecError):
        summarise(parsed, CHECKLIST, "codes.txt", min_group=2)


def test_compare_follows_each_talking_point_across_both_sessions() -> None:
    march = [_code(n, {3: ItemStatus.FAIL}) for n in range(1, 6)]
    may = [_code(n, {3: ItemStatus.FAIL} if n < 12 else {}) for n in range(10, 16)]
    before = summarise(read_codes("\n".join(march), "march.txt"), CHECKLIST, "march.txt")
    after = summarise(read_codes("\n".join(may), "may.txt"), CHECKLIST, "may.txt")
    change = compare(before, after, "march.txt").changes[0]
    assert change.item.id == ITEMS[3].id
    assert (change.earlier.not_done, change.later.not_done) == (5, 2)
