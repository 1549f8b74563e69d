"""`nutsec report`: a saved audit as a one-screen summary, the full plan, HTML, Markdown or JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.cli.options import OutputFile, Plain, SavedAudit
from nutsec.errors import NutsecError
from nutsec.report.formats import ReportFormat

if TYPE_CHECKING:
    from nutsec.store.interface import AuditSummary

#: Formats people ask for that nutsec does not write, and what to do instead.
NOT_WRITTEN = {
    "pdf": "nutsec does not write PDF. Write the HTML report (--format html -o report.html), "
    "open it in a browser and print it, or choose 'Save as PDF' in the print window.",
    "md": "Use --format markdown for Markdown.",
    "text": "Use --format terminal for text.",
}


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def parse_format(value: str) -> ReportFormat:
    """A format name in any case ('HTML', 'html'); a teaching error for one nutsec lacks."""
    name = value.strip().lower()
    try:
        return ReportFormat(name)
    except ValueError:
        choices = ", ".join(f.value for f in ReportFormat)
        hint = NOT_WRITTEN.get(name, f"Choose one of: {choices}.")
        raise NutsecError(f"There is no report format '{value}'. {hint}") from None


def report(
    audit_id: SavedAudit = "latest",
    format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="terminal|html|markdown|json",
            help="How to show the report (any case). For paper or PDF, use html and print it "
            "from a browser.",
        ),
    ] = ReportFormat.TERMINAL.value,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="On screen: the whole plan, every step and the lost-device card."
        ),
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="With --full: print straight out, without a pager."),
    ] = False,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="TEXT",
            help="Fill the 'Prepared for' line. Left out, the printed report has a blank line "
            "to write a name on.",
        ),
    ] = None,
    output: OutputFile = None,
    plain: Plain = False,
) -> None:
    """Show a saved audit: your score, the three things to do first, and what changed.

    On screen you get a one-screen summary; --full shows the whole plan (by device, by account
    and habits), how the score was worked out and the lost-device card. The HTML report is one
    file to open in a browser and print on A4 paper. No password is ever in a report.

    
    Examples:
      nutsec report                                    the newest audit: a summary
      nutsec report --full                             everything, one page at a time
      nutsec report --format html --name "Sam Rep" -o report.html
                                                       a report to print (or save as PDF)
      nutsec report 3 --format markdown -o audit-3.md  audit 3 as Markdown
      nutsec report latest --format json               everything, for other programs
    """
    import shutil

    from nutsec.cli.console import nutsec_command, plain_wanted, stdout_is_terminal
    from nutsec.paths import data_dir
    from nutsec.report.formats import renderer_for
    from nutsec.report.model import build_report
    from nutsec.report.output import write_report_file
    from nutsec.report.progress import previous_finished
    from nutsec.store.sqlite import open_store, store_exists

    chosen = parse_format(format)
    on_screen = output is None and stdout_is_terminal()
    if on_screen and chosen is ReportFormat.HTML:
        raise NutsecError(
            "HTML is for a browser, not this window. Add -o report.html to write it to a file, "
            "then open that file."
        )
    paged = full and on_screen and not no_pager and chosen is ReportFormat.TERMINAL
    renderer = renderer_for(
        chosen,
        plain=plain_wanted(plain),
        color=on_screen and not paged,  # a pager may show colour codes as text
        width=min(shutil.get_terminal_size().columns, 100) if on_screen else 80,
        full=full or output is not None,
        command=nutsec_command(),
    )
    folder = data_dir()
    if not store_exists(folder):
        raise NutsecError("No saved audit yet. Run 'nutsec audit' first.")
    with open_store(folder, read_only=True) as store:
        # 'latest' is the newest audit with a score (finished, or its essentials done); an
        # unfinished one can be named by its id.
        history = store.history()
        if audit_id.strip().lower() == "latest":
            found = _latest_scored(history)
            chosen_id = found if found is not None else store.resolve(audit_id, finished=True)
        else:
            chosen_id = store.resolve(audit_id, finished=None)
        audit = store.load(chosen_id)
        position = store.position(chosen_id)
        earlier = previous_finished(history, chosen_id)
        previous = store.load(earlier) if earlier is not None else None
    text = renderer.render(
        build_report(audit, prepared_for=name, previous=previous, position=position)
    )
    if output is not None:
        write_report_file(output, text)
        typer.echo(f"Report written to {output.resolve()}", err=True)
        if chosen is ReportFormat.HTML:
            typer.echo(
                "Open it in your web browser (double-click it in your files), then print it"
                " from there.",
                err=True,
            )
    elif paged:
        _page(text)
    else:
        typer.echo(text, nl=False)


def _latest_scored(history: list[AuditSummary]) -> int | None:
    """The newest audit that is finished or has its essentials' score kept."""
    for summary in reversed(history):
        if summary.finished_at is not None or summary.overall is not None:
            return summary.id
    return None


def _page(text: str) -> None:
    """Show long text one screen at a time, through rich's pager (less, or $PAGER), with a
    prompt that says which keys to press; text that fits the screen is printed straight out."""
    import os
    import shutil

    from rich.console import Console
    from rich.text import Text

    if text.count("\n") < shutil.get_terminal_size().lines - 1:
        typer.echo(text, nl=False)
        return
    # less shows only ':' unless told otherwise; a LESS the person set is left alone.
    os.environ.setdefault("LESS", "-R -PsPress Space for more, b to go back, q to quit")

    console = Console(highlight=False, markup=False, emoji=False)
    with console.pager():
        console.print(Text(text), end="", soft_wrap=True)
