"""`nutsec report`: a saved audit as terminal text, HTML, Markdown or JSON."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from nutsec.cli.options import OutputFile, Plain
from nutsec.errors import NotYetAvailableError


class ReportFormatChoice(StrEnum):
    terminal = "terminal"
    html = "html"
    markdown = "markdown"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    audit_id: Annotated[
        str, typer.Argument(metavar="[ID|latest]", help="Which saved audit (see 'nutsec history').")
    ] = "latest",
    format: Annotated[
        ReportFormatChoice, typer.Option("--format", help="How to show the report.")
    ] = ReportFormatChoice.terminal,
    output: OutputFile = None,
    plain: Plain = False,
) -> None:
    """Show a saved audit: score, what to fix first, and the lost-device card."""
    raise NotYetAvailableError("report")
