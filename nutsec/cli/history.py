"""`nutsec history`: the audits you have saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from nutsec.cli.options import Plain

if TYPE_CHECKING:  # keeps 'nutsec --help' from loading the audit model
    from nutsec.store.interface import AuditSummary


def register(app: typer.Typer) -> None:
    app.command("history")(history)


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
    """A date and time a person reads at a glance, in their own time zone."""
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def history_rows(summaries: Sequence[AuditSummary]) -> list[HistoryRow]:
    """Rows oldest first; change is against the previous finished audit."""
    rows = []
    previous: int | None = None
    for s in summaries:
        finished = s.finished_at is not None and s.overall is not None
        change = ""
        if finished and s.overall is not None:
            if previous is not None:
                delta = s.overall - previous
                change = f"{delta:+d}" if delta else "no change"
            else:
                change = "first"
            previous = s.overall
        rows.append(
            HistoryRow(
                id=s.id,
                date=show_date(s.created_at),
                checklist=f"{s.checklist_id} {s.checklist_version}",
                score=str(s.overall) if finished else "unfinished",
                band=(s.band or "") if finished else "",
                change=change,
                finished=finished,
            )
        )
    return rows


def history(plain: Plain = False) -> None:
    """List your saved audits: date, checklist, score, and the change since the one before.

    Unfinished audits are listed too, with the command that carries on with one. Use an ID
    from this list with 'nutsec audit --resume ID' or 'nutsec report ID'.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from nutsec.cli.console import make_console, plain_wanted
    from nutsec.paths import data_dir
    from nutsec.store.sqlite import open_store, store_exists

    console = make_console(plain)
    folder = data_dir()
    summaries: list[AuditSummary] = []
    if store_exists(folder):
        with open_store(folder, read_only=True) as store:
            summaries = store.history()
    if not summaries:
        console.print("No audits saved yet. Run 'nutsec audit' to start your first one.")
        return
    rows = history_rows(summaries)
    table = Table(box=None if plain_wanted(plain) else box.SIMPLE, title="Your saved audits")
    for heading in ("ID", "Date", "Checklist", "Score", "Band", "Change"):
        table.add_column(heading, justify="right" if heading in ("ID", "Score") else "left")
    for r in rows:
        cells = (str(r.id), r.date, r.checklist, r.score, r.band, r.change)
        table.add_row(*(Text(cell) for cell in cells))
    console.print(table)
    for r in rows:
        if not r.finished:
            console.print(
                f"Audit {r.id} is unfinished — resume it with: nutsec audit --resume {r.id}",
                soft_wrap=True,
                markup=False,
            )
