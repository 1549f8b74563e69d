"""Scoring is a pure function: tables in, numbers out, matching docs/scoring.md."""

from __future__ import annotations

from fractions import Fraction

import pytest

from nutsec.checklist.model import ItemStatus as S
from nutsec.checklist.model import Severity
from nutsec.scoring import Band, ItemOutcome, band_for, percent, score_audit

SECTIONS = [("devices", "Devices"), ("accounts", "Accounts")]


def o(
    section: str,
    item: str,
    subject: str | None,
    status: S,
    weight: int,
    severity: Severity = Severity.MEDIUM,
) -> ItemOutcome:
    return ItemOutcome(section, item, subject, status, severity, weight)


def test_worked_example_in_docs_matches() -> None:
    crit = Severity.CRITICAL
    outcomes = [
        o("devices", "device.screen-lock", "Work phone", S.PASS, 5, crit),
        o("devices", "device.screen-lock", "Laptop", S.FAIL, 5, crit),
        o("devices", "device.updates", "Work phone", S.PASS, 3),
        o("devices", "device.updates", "Laptop", S.PASS, 3),
        o("accounts", "account.two-factor", "Twitter", S.PASS, 4, Severity.HIGH),
        o("accounts", "account.two-factor", "E-mail", S.PASS, 4, Severity.HIGH),
        o("accounts", "account.recovery", "E-mail", S.PARTIAL, 2),
        o("accounts", "account.recovery", "Twitter", S.NOT_APPLICABLE, 2),
        o("accounts", "password.breached", "Twitter", S.UNKNOWN, 5, crit),
    ]
    result = score_audit(SECTIONS, outcomes)
    devices, accounts = result.sections
    assert (devices.earned, devices.possible, devices.score) == (11, 16, 69)
    assert (accounts.earned, accounts.possible, accounts.score) == (9, 10, 90)
    assert (result.earned, result.possible, result.overall) == (20, 26, 77)
    assert band_for(77) is Band.GOOD
    assert result.band is Band.NEEDS_ATTENTION and result.capped
    assert [x.item_id for x in result.not_verified] == ["password.breached"]
    assert [x.subject for x in result.critical_failures] == ["Laptop"]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([S.PASS, S.PASS], 100),
        ([S.FAIL, S.FAIL], 0),
        ([S.PASS, S.FAIL], 50),
        ([S.PARTIAL, S.PARTIAL], 50),
        ([S.PASS, S.PARTIAL], 75),
        ([S.PASS, S.SKIPPED], 100),
        ([S.FAIL, S.NOT_APPLICABLE], 0),
        ([S.PASS, S.UNKNOWN], 100),
    ],
)
def test_status_credit_table(statuses: list[S], expected: int) -> None:
    outcomes = [o("devices", f"i{n}", None, s, 2) for n, s in enumerate(statuses)]
    assert score_audit(SECTIONS, outcomes).overall == expected


def test_weights_matter_more_than_counts() -> None:
    outcomes = [o("devices", "big", None, S.PASS, 9), o("devices", "small", None, S.FAIL, 1)]
    assert score_audit(SECTIONS, outcomes).overall == 90


def test_all_skipped_is_not_scored_not_perfect() -> None:
    outcomes = [o("devices", "a", None, S.SKIPPED, 3), o("accounts", "b", None, S.SKIPPED, 3)]
    result = score_audit(SECTIONS, outcomes)
    assert (result.overall, result.band) == (0, Band.NOT_SCORED)
    assert all(s.score is None for s in result.sections)


def test_all_not_applicable_is_not_scored() -> None:
    result = score_audit(SECTIONS, [o("devices", "a", None, S.NOT_APPLICABLE, 3)])
    assert result.band is Band.NOT_SCORED and result.sections[0].score is None


def test_unknown_alone_is_never_safe() -> None:
    result = score_audit(SECTIONS, [o("accounts", "password.breached", "X", S.UNKNOWN, 5)])
    assert result.band is Band.NOT_SCORED and result.overall == 0
    assert len(result.not_verified) == 1


def test_critical_failure_caps_band_at_needs_attention() -> None:
    outcomes = [o("devices", "big", None, S.PASS, 99)]
    outcomes.append(o("devices", "lock", "Phone", S.FAIL, 1, Severity.CRITICAL))
    result = score_audit(SECTIONS, outcomes)
    assert result.overall == 99 and result.band is Band.NEEDS_ATTENTION


def test_critical_failure_does_not_raise_a_lower_band() -> None:
    outcomes = [o("devices", "lock", "Phone", S.FAIL, 5, Severity.CRITICAL)]
    assert score_audit(SECTIONS, outcomes).band is Band.AT_RISK


def test_critical_partial_does_not_cap() -> None:
    outcomes = [
        o("devices", "lock", "Phone", S.PARTIAL, 1, Severity.CRITICAL),
        o("devices", "x", None, S.PASS, 20),
    ]
    assert score_audit(SECTIONS, outcomes).band is Band.STRONG


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, Band.STRONG),
        (85, Band.STRONG),
        (84, Band.GOOD),
        (70, Band.GOOD),
        (69, Band.NEEDS_ATTENTION),
        (50, Band.NEEDS_ATTENTION),
        (49, Band.AT_RISK),
        (0, Band.AT_RISK),
    ],
)
def test_band_boundaries(score: int, band: Band) -> None:
    assert band_for(score) is band


def test_rounding_is_half_up() -> None:
    assert percent(Fraction(1), 8) == 13  # 12.5
    assert percent(Fraction(1), 200) == 1  # 0.5
    assert percent(Fraction(2), 3) == 67


def test_outcomes_of_unlisted_section_get_their_own_section() -> None:
    result = score_audit(SECTIONS, [o("password-checks", "password.strength", "X", S.FAIL, 3)])
    assert [s.id for s in result.sections] == ["devices", "accounts", "password-checks"]
    assert result.sections[2].possible == 3


def test_same_input_same_output() -> None:
    outcomes = [o("devices", f"i{n}", None, s, n + 1) for n, s in enumerate(S)]
    assert score_audit(SECTIONS, outcomes) == score_audit(SECTIONS, outcomes)
