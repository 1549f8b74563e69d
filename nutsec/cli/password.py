"""`nutsec password check`: one password's strength and breach status, never shown."""

from __future__ import annotations

from typing import Annotated

import typer

from nutsec.cli.options import HibpCorpus, HibpUrl, Offline, Plain
from nutsec.errors import NotYetAvailableError

password_app = typer.Typer(help="Check a single password.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(password_app, name="password")


@password_app.command("check")
def check(
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the password from the first line of input.")
    ] = False,
    offline: Offline = False,
    hibp_url: HibpUrl = None,
    hibp_corpus: HibpCorpus = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    plain: Plain = False,
) -> None:
    """How strong a password is and whether it is in known breaches. It is never shown or kept."""
    raise NotYetAvailableError("password check")
