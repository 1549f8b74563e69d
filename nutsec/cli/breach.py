"""`nutsec breach account EMAIL`."""

from __future__ import annotations

from typing import Annotated

import typer

from nutsec.errors import NotYetAvailableError

breach_app = typer.Typer(help="Look up breaches for an e-mail address.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(breach_app, name="breach")


@breach_app.command("account")
def account(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="The e-mail address to look up.")],
) -> None:
    """Which known breaches an e-mail address appears in (needs a Have I Been Pwned API key)."""
    raise NotYetAvailableError("breach account")
