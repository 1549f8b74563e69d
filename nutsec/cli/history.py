"""`nutsec history`: the audits you have saved."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.audit_history import history_rows, show_date  # noqa: F401 (show_date: tests)
from nutsec.cli.console import suggested
from nutsec.cli.options import Plain
from nutsec.errors import NutsecError

if TYPE_CHECKING:  # keeps 'nutsec --help' from loading the audit model
    from rich.console import Console

    from nutsec.store.interface import AuditSummary


def register(app: typer.Typer) -> None:
    app.command("history")(history)


def history(
    forget: Annotated[
        bool,
        typer.Option(
            "--forget",
            help="Delete every stored password fingerprint and nutsec's history key from the "
            "system keyring. Your audits and scores stay.",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="With --forget: do not ask first (for scripts).")
    ] = False,
    plain: Plain = False,
) -> None:
    """List your saved audits: date, checklist, score, and the change since the one before.

    Unfinished audits are listed too, with the command that carries on with one. Use an ID
    from this list with 'nutsec audit --resume ID' or 'nutsec report ID'.

    To spot a password used again across audits, nutsec keeps scrambled fingerprints of the
    passwords it checks (never the passwords), made with a key kept in your system keyring.
    --forget deletes them all, and the key: passwords checked before can then no longer be
    compared with new ones.

    \b
    Examples:
      nutsec history                  your audits and scores
      nutsec history --forget         forget every password fingerprint (asks first)
      nutsec history --forget --yes   the same, without asking
    """
    if yes and not forget:
        raise NutsecError("--yes only goes with --forget: nothing was changed.")
    if forget:
        forget_history(yes=yes, plain=plain)
        return
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
    table = Table(
        box=None if plain_wanted(plain) else box.SIMPLE,
        title="Your saved audits",
        pad_edge=False,
    )
    for heading in ("ID", "Date", "Checklist", "Score", "Band", "Change"):
        table.add_column(
            heading,
            justify="right" if heading in ("ID", "Score") else "left",
            # The date, score and change stay whole; the checklist's name wraps first.
            no_wrap=heading in ("ID", "Date", "Score", "Change"),
            overflow="fold",  # never cut with "…": the checklist's whole name is shown
            min_width=len("no change") if heading == "Change" else None,
        )
    for r in rows:
        cells = (str(r.id), r.date, r.checklist, r.score, r.band, r.change)
        table.add_row(*(Text(cell) for cell in cells))
    console.print(table)
    for r in rows:
        if not r.finished:
            console.print(
                f"Audit {r.id} is unfinished — resume it with: "
                f"{suggested('audit', '--resume', str(r.id))}",
                soft_wrap=True,
                markup=False,
            )
    from nutsec.report.terminal_page import numbered

    for line in progress_lines(folder, summaries):
        # "- Fixed since ...": a list item, its wrapped lines hanging under its first.
        console.print(numbered("-", Text(line[2:])) if line.startswith("- ") else Text(line))


def progress_lines(folder: Path, summaries: Sequence[AuditSummary]) -> list[str]:
    """What the newest finished audit fixed and added since the finished one before it."""
    from nutsec.audit_history import progress_lines as lines_since
    from nutsec.store.sqlite import open_store

    with open_store(folder, read_only=True) as store:
        return lines_since(store, summaries)


def forget_history(*, yes: bool, plain: bool) -> None:
    """Delete every stored fingerprint and the history key, after asking on a terminal."""
    import sys
    from contextlib import nullcontext

    from nutsec.cli.console import make_console
    from nutsec.history_key import forget_history, history_key_stored
    from nutsec.keyring_safety import system_keyring
    from nutsec.paths import data_dir
    from nutsec.store.sqlite import open_store, store_exists

    console = make_console(plain)
    folder = data_dir()
    backend, problem = system_keyring()
    # No saved audits file: nothing is created just to be emptied.
    with open_store(folder) if store_exists(folder) else nullcontext() as store:
        count = store.count_fingerprints() if store is not None else 0
        key_stored = history_key_stored(backend, problem)
        if not count and not key_stored:
            console.print(
                "There was nothing to forget: no password fingerprints are stored, and nutsec's "
                "history key is not in the system keyring."
            )
            return
        what = _forget_phrase(count, key_stored)
        if not yes:
            if not sys.stdin.isatty():
                raise NutsecError(
                    f"'nutsec history --forget' asks before it deletes {what}. "
                    "Add --yes to delete them without a question. Nothing was deleted."
                )
            if not _confirm(console, f"Delete {what}? Your audits and scores stay."):
                console.print("Nothing was deleted.")
                return
        # Holding every audit; the key first (a locked keyring stops it, nothing deleted).
        deleted, key_removed = forget_history(store, backend, problem)
    console.print(f"Deleted {_forget_phrase(deleted, key_removed)}.")
    console.print(
        "Your audits, answers and scores are kept. Passwords you checked before can no longer "
        "be compared with new ones."
    )


def _forget_phrase(count: int, key: bool) -> str:
    noun = "password fingerprint" if count == 1 else "password fingerprints"
    prints = f"{count} stored {noun}" if count else ""
    ring = "nutsec's history key from the system keyring" if key else ""
    return " and ".join(part for part in (prints, ring) if part) or "nothing"


def _confirm(console: Console, question: str) -> bool:
    from nutsec.cli.audit_prompts import ask_yes_no
    from nutsec.cli.keys import KeyInput, StopInput

    try:
        return ask_yes_no(console, KeyInput(console), question)
    except StopInput:  # Ctrl-D: the person did not say yes
        return False
