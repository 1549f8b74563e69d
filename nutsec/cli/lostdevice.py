"""`nutsec lost-device`: what to do, in order, when a device is lost or stolen."""

from __future__ import annotations

from typing import Annotated

import typer

from nutsec.errors import NotYetAvailableError


def register(app: typer.Typer) -> None:
    app.command("lost-device")(lost_device)


def lost_device(
    audit_id: Annotated[
        str | None, typer.Option("--audit", metavar="ID", help="Use this saved audit's devices.")
    ] = None,
    device: Annotated[
        str | None, typer.Option("--device", metavar="NAME", help="The device that has gone.")
    ] = None,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the whole plan without asking anything.")
    ] = False,
) -> None:
    """Lost or stolen phone, tablet or laptop? Secure your accounts step by step."""
    raise NotYetAvailableError("lost-device")
