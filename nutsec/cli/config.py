"""`nutsec config show | set-hibp-key | keyring-status`."""

from __future__ import annotations

import typer

from nutsec.errors import NotYetAvailableError

config_app = typer.Typer(help="See and change nutsec's settings.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")


@config_app.command("show")
def show() -> None:
    """Show where nutsec keeps its files and which services it uses."""
    raise NotYetAvailableError("config show")


@config_app.command("set-hibp-key")
def set_hibp_key() -> None:
    """Store your Have I Been Pwned API key in the system keyring (for e-mail look-ups)."""
    raise NotYetAvailableError("config set-hibp-key")


@config_app.command("keyring-status")
def keyring_status() -> None:
    """Say whether the system keyring nutsec would use keeps secrets safely."""
    raise NotYetAvailableError("config keyring-status")
