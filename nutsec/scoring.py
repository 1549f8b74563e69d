"""The score: a pure, deterministic function of item outcomes and the checklist's weights.

The formula is documented in docs/scoring.md; tests/test_scoring.py checks its worked example.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from nutsec.checklist.model import ItemStatus, Severity

#: Share of an item's weight earned by each status; statuses not listed are out of the total.
CREDIT: dict[ItemStatus, Fraction] = {
    ItemStatus.PASS: Fraction(1),
    ItemStatus.PARTIAL: Fraction(1, 2),
    ItemStatus.FAIL: Fraction(0),
}


class Band(StrEnum):
    STRONG = "Strong"
    GOOD = "Good"
    NEEDS_ATTENTION = "Needs attention"
    AT_RISK = "At risk"
    NOT_SCORED = "Not scored"


#: Lowest overall score for each band, best first.
BAND_FLOORS: tuple[tuple[int, Band], ...] = (
    (85, Band.STRONG),
    (70, Band.GOOD),
    (50, Band.NEEDS_ATTENTION),
    (0, Band.AT_RISK),
)

#: A failed critical item means the band can be no better than this.
CRITICAL_CAP = Band.NEEDS_ATTENTION


@dataclass(frozen=True)
class ItemOutcome:
    """One asked item (or one of nutsec's own checks) and what came of it."""

    section_id: str
    item_id: str
    subject: str | None
    status: ItemStatus
    severity: Severity
    weight: int


@dataclass(frozen=True)
class SectionScore:
    id: str
    title: str
    score: int | None  # None when nothing in the section counted
    earned: Fraction
    possible: int
    counted: int
    left_out: int

    @property
    def how(self) -> str:
        """How the score was reached, in one plain sentence."""
        left = f"; {self.left_out} left out (skipped, not applicable or not checked)"
        left = left if self.left_out else ""
        if not self.possible:
            return f"Nothing here counted{left}, so this section has no score."
        noun = "answer" if self.counted == 1 else "answers"
        return (
            f"{points(self.earned)} of {self.possible} points from {self.counted} {noun}{left}: "
            f"{points(self.earned)} / {self.possible} = {self.score}%."
        )


@dataclass(frozen=True)
class AuditScore:
    overall: int
    band: Band
    sections: tuple[SectionScore, ...]
    earned: Fraction
    possible: int
    critical_failures: tuple[ItemOutcome, ...]
    not_verified: tuple[ItemOutcome, ...]

    @property
    def capped(self) -> bool:
        """True when a critical failure lowered the band the points alone would give."""
        return bool(self.critical_failures) and band_for(self.overall) in (Band.STRONG, Band.GOOD)


def percent(earned: Fraction, possible: int) -> int:
    """100 * earned / possible, rounded half up, as a whole number."""
    value = Fraction(100) * earned / possible
    return int(value + Fraction(1, 2))


def band_for(overall: int) -> Band:
    for floor, band in BAND_FLOORS:
        if overall >= floor:
            return band
    return Band.AT_RISK


def score_audit(sections: Sequence[tuple[str, str]], outcomes: Sequence[ItemOutcome]) -> AuditScore:
    """Score outcomes section by section, in the order given by `sections` (id, title).

    Outcomes for a section id not listed are scored in a section of their own, after the rest.
    """
    order = list(sections)
    known = {section_id for section_id, _ in order}
    for outcome in outcomes:
        if outcome.section_id not in known:
            order.append((outcome.section_id, outcome.section_id))
            known.add(outcome.section_id)

    section_scores: list[SectionScore] = []
    total_earned = Fraction(0)
    total_possible = 0
    for section_id, title in order:
        mine = [o for o in outcomes if o.section_id == section_id]
        counted = [o for o in mine if o.status in CREDIT]
        earned = sum((CREDIT[o.status] * o.weight for o in counted), Fraction(0))
        possible = sum(o.weight for o in counted)
        section_scores.append(
            SectionScore(
                id=section_id,
                title=title,
                score=percent(earned, possible) if possible else None,
                earned=earned,
                possible=possible,
                counted=len(counted),
                left_out=len(mine) - len(counted),
            )
        )
        total_earned += earned
        total_possible += possible

    critical = tuple(
        o for o in outcomes if o.severity is Severity.CRITICAL and o.status is ItemStatus.FAIL
    )
    if total_possible:
        overall = percent(total_earned, total_possible)
        band = band_for(overall)
        if critical and list(Band).index(band) < list(Band).index(CRITICAL_CAP):
            band = CRITICAL_CAP
    else:
        overall, band = 0, Band.NOT_SCORED
    return AuditScore(
        overall=overall,
        band=band,
        sections=tuple(section_scores),
        earned=total_earned,
        possible=total_possible,
        critical_failures=critical,
        not_verified=tuple(o for o in outcomes if o.status is ItemStatus.UNKNOWN),
    )


def points(value: Fraction) -> int | float:
    """Points for display and JSON: a whole number when whole, else one decimal (halves)."""
    return int(value) if value.denominator == 1 else float(value)
