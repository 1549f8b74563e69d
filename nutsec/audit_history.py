"""The saved audits as a history: one row per audit with the change since the finished one
before it, and what the newest finished audit fixed and added. Shared by `nutsec history` and
the history page of `nutsec web`, so both say the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nutsec.store.interface import AuditStore, AuditSummary


@dataclass(frozen=True)
class HistoryRow:
    """One line of the history table, as text."""

    id: int
    date: str
    checklist: str
    score: str
    band: str
    change: str
    finished: bool


def show_date(moment: datetime) -> str:
    """The local date and time with its zone, as every report shows it."""
    from nutsec.report.view import show_date as report_date

    return report_date(moment)


def history_rows(summaries: Sequence[AuditSummary]) -> list[HistoryRow]:
    """Rows oldest first; change is against the previous finished audit that has a score (one
    with nothing scored is never compared, and shows no number)."""
    from nutsec.report.progress import is_scored

    rows = []
    previous: int | None = None
    for s in summaries:
        finished = s.finished_at is not None
        scored = is_scored(s.overall, s.band)
        change = ""
        if finished and scored and s.overall is not None:
            if previous is not None:
                delta = s.overall - previous
                change = f"{delta:+d}" if delta else "no change"
            else:
                change = "first"
            previous = s.overall
        if not finished:
            # The essentials' score, kept at the break; no score before it.
            score = f"{s.overall} so far" if scored else "unfinished"
            band = f"{s.band} (essentials)" if scored else ""
        else:
            score = str(s.overall) if scored else "no score"
            band = (s.band or "") if scored else "Not scored"
        rows.append(
            HistoryRow(
                id=s.id,
                date=show_date(s.created_at),
                checklist=f"{s.checklist_id} {s.checklist_version}",
                score=score,
                band=band,
                change=change,
                finished=finished,
            )
        )
    return rows


def progress_lines(store: AuditStore, summaries: Sequence[AuditSummary]) -> list[str]:
    """What the newest finished audit fixed and added since the finished one before it."""
    from nutsec.report.model import build_report
    from nutsec.report.progress import is_scored, previous_finished
    from nutsec.report.view import report_view

    finished = [s for s in summaries if s.finished_at is not None and is_scored(s.overall, s.band)]
    if len(finished) < 2:
        return []
    newest = finished[-1].id
    earlier = previous_finished(summaries, newest)
    if earlier is None:
        return []
    audit, previous = store.load(newest), store.load(earlier)
    progress = report_view(build_report(audit, previous=previous)).progress
    if progress is None:
        return []
    score = progress.score[0].lower() + progress.score[1:]
    lines = ["", f"Since audit {earlier} of {progress.since}, in audit {newest} {score}"]
    lines += [f"- Fixed since {progress.since}: {f}" for f in progress.fixed]
    lines += [f"- New since {progress.since}: {n}" for n in progress.new]
    if not progress.fixed and not progress.new:
        lines.append("Nothing was fixed and nothing is new.")
    return lines
