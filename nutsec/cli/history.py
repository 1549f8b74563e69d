"""`nutsec history`: the audits you have saved."""

from __future__ import annotations

import typer

from nutsec.cli.options import Plain
from nutsec.errors import NotYetAvailableError


def register(app: typer.Typer) -> None:
    app.command("history")(history)


def history(plain: Plain = False) -> None:
    """List saved audits with their date, checklist and score, and the change since the last."""
    raise NotYetAvailableError("history")
