"""Progress over time: what got fixed and what is new since the previous audit, item by item.

Pure: two audits in, two lists out. Compared by (item id, subject): an action of the previous
audit whose problem now passes (or no longer applies) is fixed; a problem of this audit that the
previous one did not have is new. Subjects are matched by name, so a renamed device counts as a
new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from nutsec.actions import Action, prioritise_actions
from nutsec.audit.outcomes import audit_outcomes
from nutsec.audit_data import Audit
from nutsec.checklist.model import ItemStatus

if TYPE_CHECKING:
    from nutsec.store.interface import AuditSummary

#: Statuses that count as done when comparing: the problem is gone.
DONE = frozenset({ItemStatus.PASS, ItemStatus.NOT_APPLICABLE})


@dataclass(frozen=True)
class Progress:
    """What changed since `since` (the previous finished audit)."""

    since: datetime
    since_id: int | None
    fixed: tuple[str, ...]  # headlines of the previous audit's actions now done
    new: tuple[str, ...]  # headlines of this audit's actions the previous one did not have
    score_before: int
    score_now: int


def progress_since(previous: Audit, current: Audit, score_before: int, score_now: int) -> Progress:
    """What `current` fixed and added compared with `previous`.

    An item of `current`'s checklist that `replaces` older ones (two questions merged into one)
    stands for them: the previous audit's answers to the old ids are compared with it.
    """
    statuses_now = {(o.item_id, o.subject): o.status for _, o in audit_outcomes(current)}
    now_id = {old: item.id for item in current.checklist.items() for old in item.replaces}
    earlier_problems = {
        (now_id.get(p.item_id, p.item_id), p.subject)
        for a in prioritise_actions(previous)
        for p in a.problems
    }
    fixed = [a.headline for a in prioritise_actions(previous) if _all_done(a, statuses_now, now_id)]
    new = [
        a.headline
        for a in prioritise_actions(current)
        if not any((p.item_id, p.subject) in earlier_problems for p in a.problems)
    ]
    return Progress(
        since=previous.finished_at or previous.created_at,
        since_id=previous.id,
        fixed=tuple(fixed),
        new=tuple(new),
        score_before=score_before,
        score_now=score_now,
    )


def _all_done(
    action: Action, statuses: dict[tuple[str, str | None], ItemStatus], now_id: dict[str, str]
) -> bool:
    return all(
        statuses.get((now_id.get(p.item_id, p.item_id), p.subject)) in DONE for p in action.problems
    )


def previous_finished(summaries: Sequence[AuditSummary], audit_id: int) -> int | None:
    """The id of the last finished, scored audit listed before `audit_id` (history is oldest
    first): an audit with nothing scored is never compared with."""
    before = None
    for s in summaries:
        if s.id == audit_id:
            return before
        if s.finished_at is not None and is_scored(s.overall, s.band):
            before = s.id
    return None


def is_scored(overall: int | None, band: str | None) -> bool:
    """A saved score that is a score: not missing and not "Not scored" (saved as 0)."""
    return overall is not None and band not in (None, "Not scored")
