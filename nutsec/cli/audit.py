"""`nutsec audit`: the guided check-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nutsec.cli.options import HibpCorpus, HibpUrl, Offline, Plain
from nutsec.errors import NotYetAvailableError


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)


def audit(
    checklist: Annotated[
        str | None,
        typer.Option(
            "--checklist",
            metavar="NAME|PATH",
            help="Which checklist to use [default: nut-social-media].",
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers", metavar="FILE", help="Answer from a TOML file instead of questions."
        ),
    ] = None,
    resume: Annotated[
        str | None,
        typer.Option("--resume", metavar="ID|latest", help="Carry on with an unfinished audit."),
    ] = None,
    offline: Offline = False,
    hibp_url: HibpUrl = None,
    hibp_corpus: HibpCorpus = None,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="Do not keep this audit once it is finished.")
    ] = False,
    plain: Plain = False,
) -> None:
    """Walk through your account security one question at a time, then see your score."""
    raise NotYetAvailableError("audit")
