"""The group summary's rules as tables: who counts, what comes first, when it is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from nutsec.checklist.model import ItemStatus
from nutsec.demo.script import demo_checklist
from nutsec.errors import NutsecError
from nutsec.scoring import Band
from nutsec.share.code import ShareCode, decode, encode, encode_v1, items_for, worst
from nutsec.workshop.codes import read_codes
from nutsec.workshop.summary import TALKING_POINTS, compare, summarise

CHECKLIST = demo_checklist()
ITEMS = items_for(CHECKLIST)
DAY = date(2026, 5, 3)
#: Items by index (see items_for): two medium ones, a high one, a critical one (sam's checklist).
MEDIUM, MEDIUM_2, HIGH, CRITICAL = 3, 5, 8, 15


def _code(number: int, fails: dict[int, ItemStatus], band: Band | None = None) -> str:
    """A code with these outcomes (the rest done) and a band that can go with them."""
    outcomes = [ItemStatus.PASS] * len(ITEMS)
    for index, status in fails.items():
        outcomes[index] = status
    if band is None:
        critical = any(
            status is ItemStatus.FAIL and ITEMS[i].severity.value == "critical"
            for i, status in fails.items()
        )
        worse = any(status in (ItemStatus.FAIL, ItemStatus.PARTIAL) for status in fails.values())
        band = Band.NEEDS_ATTENTION if critical else Band.GOOD if worse else Band.STRONG
    return encode(
        ShareCode(
            CHECKLIST.id,
            CHECKLIST.version,
            band,
            number.to_bytes(4, "big"),
            tuple(outcomes),
            made_on=DAY,
        )
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


def test_items_are_ordered_by_severity_then_by_share() -> None:
    assert [ITEMS[i].severity.value for i in (MEDIUM, MEDIUM_2, HIGH, CRITICAL)] == [
        "medium",
        "medium",
        "high",
        "critical",
    ]
    codes = [
        _code(1, {MEDIUM: ItemStatus.FAIL, MEDIUM_2: ItemStatus.PARTIAL, HIGH: ItemStatus.FAIL}),
        _code(2, {MEDIUM: ItemStatus.FAIL, MEDIUM_2: ItemStatus.PARTIAL}),
        _code(3, {MEDIUM: ItemStatus.FAIL, MEDIUM_2: ItemStatus.PARTIAL, 9: ItemStatus.UNKNOWN}),
        _code(4, {MEDIUM_2: ItemStatus.FAIL, CRITICAL: ItemStatus.FAIL}),
        _code(5, {}, band=Band.STRONG),
    ]
    summary = summarise(read_codes("\n".join(codes), "codes.txt"), CHECKLIST, "codes.txt")
    assert summary.people == 5 and summary.day == DAY
    bands = dict(summary.bands)
    assert (bands[Band.GOOD], bands[Band.NEEDS_ATTENTION], bands[Band.STRONG]) == (3, 1, 1)
    # The critical item (1 of 5) and the high one (1 of 5) before the medium ones, however many
    # need those; among the medium ones, 3 not done (3) before 1 not done + 3 partly (2.5).
    assert [n.item.id for n in summary.top] == [
        ITEMS[CRITICAL].id,
        ITEMS[HIGH].id,
        ITEMS[MEDIUM].id,
        ITEMS[MEDIUM_2].id,
    ]
    assert summary.top[3].not_done == 1 and summary.top[3].partly == 3
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
    assert "4 different audits" in caught.value.message and "at least 5" in caught.value.message
    assert "1 code set aside" in caught.value.message
    assert summarise(parsed, CHECKLIST, "codes.txt", min_group=4).people == 4
    with pytest.raises(NutsecError):
        summarise(parsed, CHECKLIST, "codes.txt", min_group=2)


def test_compare_follows_each_talking_point_across_both_sessions() -> None:
    march = [_code(n, {MEDIUM: ItemStatus.FAIL}) for n in range(1, 6)]
    may = [_code(n, {MEDIUM: ItemStatus.FAIL} if n < 12 else {}) for n in range(10, 16)]
    before = summarise(read_codes("\n".join(march), "march.txt"), CHECKLIST, "march.txt")
    after = summarise(read_codes("\n".join(may), "may.txt"), CHECKLIST, "may.txt")
    change = compare(before, after, "march.txt").changes[0]
    assert change.item.id == ITEMS[MEDIUM].id
    assert (change.earlier.not_done, change.later.not_done) == (5, 2)


def test_compare_of_groups_differing_by_fewer_than_the_minimum_hides_per_item_changes() -> None:
    """Issue 22: 5 codes against the same 5 plus a latecomer would show the latecomer's answers."""
    five = [_code(n, {MEDIUM: ItemStatus.FAIL}) for n in range(1, 6)]
    latecomer = _code(6, {HIGH: ItemStatus.FAIL}, band=Band.AT_RISK)
    before = summarise(read_codes("\n".join(five), "march.txt"), CHECKLIST, "march.txt")
    after = summarise(read_codes("\n".join([*five, latecomer]), "may.txt"), CHECKLIST, "may.txt")
    comparison = compare(before, after, "march.txt")
    assert comparison.changes == () and "only 1 person" in comparison.withheld
    assert "fewer than 5" in comparison.withheld
    # Five new people are enough: the difference is then a group's, not one person's.
    more = [_code(n, {}) for n in range(20, 25)]
    bigger = summarise(read_codes("\n".join([*five, *more]), "june.txt"), CHECKLIST, "june.txt")
    shown = compare(before, bigger, "march.txt")
    assert shown.changes and not shown.withheld


def test_codes_whose_answers_are_impossible_for_the_checklist_are_rejected_by_line() -> None:
    """Issue 22 (forging): 'partly done' for a yes-or-no question, 'not asked' for a question
    everyone is asked: no audit gives these, so the code was not made by nutsec."""
    yes_or_no = next(i for i, item in enumerate(ITEMS) if item.id == "device.screen-lock")
    everyone = next(
        i
        for i, item in enumerate(ITEMS)
        if item.scope.value == "person" and "not_applicable" not in {a.status for a in item.answers}
    )
    for bad in ({yes_or_no: ItemStatus.PARTIAL}, {everyone: None}):
        codes = [_code(n, {}) for n in range(1, 5)] + [_code(9, bad)]  # type: ignore[dict-item]
        text = "# notes\n\n" + "\n".join(codes)
        with pytest.raises(NutsecError) as caught:
            summarise(read_codes(text, "codes.txt"), CHECKLIST, "codes.txt")
        assert caught.value.message.startswith("codes.txt, line 7: this code says")
        assert f"question {min(bad) + 1}" in caught.value.message


def test_a_bad_code_on_line_5_is_reported_as_line_5() -> None:
    """Issue 22: a code that does not fit the checklist was reported at the first code's line."""
    good = [_code(n, {}) for n in range(1, 5)]
    short = encode(
        ShareCode(CHECKLIST.id, CHECKLIST.version, Band.GOOD, bytes(4), (ItemStatus.PASS,) * 5)
    )
    with pytest.raises(NutsecError) as caught:
        summarise(read_codes("\n".join([*good, short]), "codes.txt"), CHECKLIST, "codes.txt")
    assert caught.value.message.startswith("codes.txt, line 5:")


def test_four_audits_one_shared_twice_are_refused_by_the_minimum() -> None:
    codes = [_code(n, {}) for n in range(1, 5)]
    shared_again = codes[2]
    parsed = read_codes("\n".join([*codes, shared_again]), "codes.txt")
    assert len(parsed.codes) == 4 and parsed.repeats == 1
    with pytest.raises(NutsecError):
        summarise(parsed, CHECKLIST, "codes.txt")
    # An audit shared twice on different days (or after its answers changed): still one audit.
    later = decode(codes[2])
    again = encode(replace(later, made_on=date(2026, 5, 4), band=Band.AT_RISK))
    assert read_codes("\n".join([*codes, again]), "codes.txt").repeats == 1


def test_old_codes_are_counted_and_said_to_be_old() -> None:
    old = [
        encode_v1(replace(decode(_code(n, {})), share_id=bytes(5) + bytes([n]), format=1))
        for n in range(1, 6)
    ]
    summary = summarise(read_codes("\n".join(old), "codes.txt"), CHECKLIST, "codes.txt")
    assert summary.people == 5 and summary.old_codes == 5 and summary.day is None


@pytest.mark.parametrize(
    ("fails", "band", "why"),
    [
        ({}, Band.AT_RISK, "everything scored is done"),
        ({CRITICAL: ItemStatus.FAIL}, Band.STRONG, "a critical item is not done"),
        ({MEDIUM: ItemStatus.FAIL}, Band.NOT_SCORED, "some of them are scored"),
    ],
)
def test_a_band_that_cannot_go_with_the_answers_is_rejected_by_line(
    fails: dict[int, ItemStatus], band: Band, why: str
) -> None:
    """Issue 22 (forging): the score's rules bound the band; a code outside them is refused."""
    codes = [_code(n, {}) for n in range(1, 5)] + [_code(9, fails, band=band)]
    with pytest.raises(NutsecError) as caught:
        summarise(read_codes("\n".join(codes), "codes.txt"), CHECKLIST, "codes.txt")
    assert caught.value.message.startswith("codes.txt, line 5: this code's band")
    assert why in caught.value.message


def test_a_code_dated_after_today_is_rejected_by_line() -> None:
    late = decode(_code(9, {}))
    future = encode(replace(late, made_on=date.today() + timedelta(days=30)))
    codes = [_code(n, {}) for n in range(1, 5)] + [future]
    with pytest.raises(NutsecError) as caught:
        summarise(read_codes("\n".join(codes), "codes.txt"), CHECKLIST, "codes.txt")
    assert caught.value.message.startswith("codes.txt, line 5: this code is dated")
