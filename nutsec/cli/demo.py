"""`nutsec demo`: the trainer's walk-through with a fictional representative."""

from __future__ import annotations

from typing import Annotated

import typer

from nutsec.errors import NotYetAvailableError


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    no_pause: Annotated[
        bool, typer.Option("--no-pause", help="Run straight through without waiting for Enter.")
    ] = False,
) -> None:
    """A safe demonstration for workshops with a made-up person. Nothing is saved."""
    raise NotYetAvailableError("demo")
