"""The `nutsec` command: parse arguments, build objects, call the core, render. Nothing more."""

from __future__ import annotations

import sys
from typing import Any

import typer
import typer.core

from nutsec import __version__
from nutsec.errors import EXIT_INTERRUPTED, NutsecError


class NutsecGroup(typer.core.TyperGroup):
    """Turns our errors into one red line and exit 2, and Ctrl-C into exit 130, everywhere."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NutsecError as error:
            from nutsec.cli.console import show_error

            show_error(error)
            raise typer.Exit(error.exit_code) from None
        except (KeyboardInterrupt, typer.Abort):
            sys.stderr.write("\nStopped. Anything you had already answered is saved.\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None


app = typer.Typer(
    name="nutsec",
    cls=NutsecGroup,
    help=(
        "A guided account-security check-up for union representatives.\n\n"
        "Start with 'nutsec audit'. It asks one plain question at a time, checks your "
        "passwords without keeping them, and ends with a score and a list of what to fix first."
    ),
    no_args_is_help=True,
    add_completion=False,
    # Tracebacks with local variables could show a password: never.
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nutsec {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """A guided account-security check-up for union representatives."""


def _register() -> None:
    from nutsec.cli import (
        audit,
        breach,
        checklist,
        config,
        demo,
        history,
        lostdevice,
        password,
        passwords,
        report,
    )

    audit.register(app)
    report.register(app)
    history.register(app)
    password.register(app)
    passwords.register(app)
    lostdevice.register(app)
    demo.register(app)
    checklist.register(app)
    config.register(app)
    breach.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("\nStopped. Anything you had already answered is saved.\n")
        sys.exit(EXIT_INTERRUPTED)
