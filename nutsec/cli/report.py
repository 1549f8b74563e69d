"""`nutsec report`: a saved audit as terminal text, HTML, Markdown or JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from nutsec.cli.options import OutputFile, Plain
from nutsec.errors import NutsecError
from nutsec.report.formats import ReportFormat


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    audit_id: Annotated[
        str,
        typer.Argument(
            metavar="ID|latest",
            help="Which saved audit: an ID from 'nutsec history', or latest (the newest "
            "finished one).",
        ),
    ] = "latest",
    format: Annotated[
        ReportFormat, typer.Option("--format", help="How to show the report.")
    ] = ReportFormat.TERMINAL,
    output: OutputFile = None,
    plain: Plain = False,
) -> None:
    """Show a saved audit: score, what to fix first, and the lost-device card.

    The terminal report is shown on screen; the HTML report is one file you can open in a
    browser and print on A4 paper. No password is ever in a report.

    
    Examples:
      nutsec report                                    the newest audit, on screen
      nutsec report latest --format html -o report.html   a report to print
      nutsec report 3 --format markdown -o audit-3.md  audit 3 as Markdown
      nutsec report latest --format json               everything, for other programs
    """
    import shutil

    from nutsec.cli.console import plain_wanted, stdout_is_terminal
    from nutsec.paths import data_dir
    from nutsec.report.formats import renderer_for
    from nutsec.report.model import build_report
    from nutsec.report.output import write_report_file
    from nutsec.store.sqlite import open_store, store_exists

    on_screen = output is None and stdout_is_terminal()
    renderer = renderer_for(
        format,
        plain=plain_wanted(plain),
        color=on_screen,
        width=min(shutil.get_terminal_size().columns, 100) if on_screen else 80,
    )
    folder = data_dir()
    if not store_exists(folder):
        raise NutsecError("No saved audit yet. Run 'nutsec audit' first.")
    with open_store(folder, read_only=True) as store:
        # 'latest' is the newest finished audit; an unfinished one can be named by its id.
        finished = True if audit_id.strip().lower() == "latest" else None
        audit = store.load(store.resolve(audit_id, finished=finished))
    text = renderer.render(build_report(audit))
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_report_file(output, text)
        typer.echo(f"Report written to {output}", err=True)
