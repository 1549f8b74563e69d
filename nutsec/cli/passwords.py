"""`nutsec passwords audit`: a password-manager export checked entry by entry."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from nutsec.cli.options import HibpCorpus, HibpUrl, Offline, OutputFile, Plain
from nutsec.errors import NotYetAvailableError

passwords_app = typer.Typer(help="Check many passwords at once.", no_args_is_help=True)


class SourceChoice(StrEnum):
    auto = "auto"
    bitwarden = "bitwarden"
    keepassxc = "keepassxc"
    chrome = "chrome"
    firefox = "firefox"
    onepassword = "1password"


class ExportFormatChoice(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    app.add_typer(passwords_app, name="passwords")


@passwords_app.command("audit")
def audit_export(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The CSV your password manager exported.")
    ],
    source: Annotated[
        SourceChoice, typer.Option("--source", help="Which password manager wrote the file.")
    ] = SourceChoice.auto,
    offline: Offline = False,
    hibp_url: HibpUrl = None,
    hibp_corpus: HibpCorpus = None,
    format: Annotated[
        ExportFormatChoice, typer.Option("--format", help="How to show the results.")
    ] = ExportFormatChoice.terminal,
    output: OutputFile = None,
    plain: Plain = False,
) -> None:
    """Find weak, reused, similar and breached passwords in an export, without showing any."""
    raise NotYetAvailableError("passwords audit")
