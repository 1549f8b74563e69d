"""The `nutsec` command: parse arguments, build objects, call the core, render. Nothing more."""

from __future__ import annotations

import errno
import sys
from typing import Any

import typer
import typer.core

from nutsec import __version__
from nutsec.errors import EXIT_INTERRUPTED, EXIT_USAGE, NutsecError

#: What Ctrl-C prints where a command has nothing of its own to say (the audit says what it saved).
STOPPED = "\nStopped.\n"


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
            sys.stderr.write(STOPPED)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except OSError as error:
            # A path the person named that the system will not use (a name too long, a loop of
            # links, no permission): their input, so one line and exit 2. Other OSErrors are bugs.
            if error.filename is None or error.errno not in _PATH_ERRORS:
                raise
            from nutsec.cli.console import show_error

            show_error(NutsecError(_path_problem(error)))
            raise typer.Exit(EXIT_USAGE) from None


#: errno values that mean "this path cannot be used", whatever the command.
_PATH_ERRORS = frozenset(
    {errno.ENAMETOOLONG, errno.ELOOP, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EISDIR}
)


def _path_problem(error: OSError) -> str:
    name = str(error.filename)
    shown = name if len(name) <= 120 else name[:60] + "…" + name[-50:]
    from nutsec.safe_text import without_controls

    return f"Cannot use {without_controls(shown)}: {error.strerror or 'it cannot be opened'}."


app = typer.Typer(
    name="nutsec",
    cls=NutsecGroup,
    help=(
        "A guided account-security audit for union representatives.\n\n"
        "Start with 'nutsec audit'. It asks one plain question at a time, checks your "
        "passwords without keeping them, and ends with a score and a list of what to fix first."
        "\n\n\b\nExamples:\n"
        "  nutsec audit            start your audit, or carry on with it\n"
        "  nutsec history          your saved audits and how your score changed\n"
        "  nutsec password check   check one password, privately\n\n"
        "Each command explains itself: for example 'nutsec audit --help'."
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


#: Commands that may hold a password or the API key in memory: no core dumps, not dumpable.
HANDLE_SECRETS = frozenset({"audit", "password", "passwords", "config", "breach", "history"})


@app.callback()
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """A guided account-security audit for union representatives."""
    if ctx.invoked_subcommand in HANDLE_SECRETS:
        from nutsec.process_guard import harden_process

        harden_process()


#: The help line of `nutsec password` (a name of its own: bandit reads a "password" key's text
#: as a password, and its "nosec" on one line of a dict is reported for every line).
_CHECK_ONE_HELP = "Check one password, privately."

#: One line per command for the list in 'nutsec --help', short enough for 80 columns (kept here,
#: in one place, so the list reads as one voice; each command's own help says more).
SHORT_HELP = {
    "web": "Your audit in your own web browser: the easiest way to start.",
    "audit": "Check your account security, one question at a time.",
    "report": "Show a saved audit: score and what to fix first.",
    "history": "List your saved audits and how your score changed.",
    "lost-device": "Lost a phone or laptop? What to secure, in order.",
    "demo": "A safe walk-through with a made-up person, for trainers.",
    "password": _CHECK_ONE_HELP,
    "passwords": "Check every password in a password-manager export.",
    "checklist": "See and check the lists of questions the audit uses.",
    "config": "See and change nutsec's settings.",
    "breach": "Look up known data breaches for an e-mail address.",
    "share": "Make an anonymous code of your audit for a workshop.",
    "workshop": "For trainers: a group summary from share codes.",
    "password check": "Check a password's strength and known breaches.",
    "passwords audit": "Find weak, reused and breached passwords in an export.",
    "checklist list": "List the checklists you can use.",
    "checklist show": "Show every question of a checklist.",
    "checklist validate": "Check a checklist file for problems.",
    "config show": "Show where nutsec keeps its files.",
    "config set-hibp-key": "Keep your Have I Been Pwned key in the system keyring.",
    "config keyring-status": "Say whether the system keyring keeps secrets safely.",
    "breach account": "Which known breaches an e-mail address is in.",
    "workshop summary": "What a group should work on, from share codes.",
}


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
        share,
        web,
        workshop,
    )

    web.register(app)
    audit.register(app)
    report.register(app)
    history.register(app)
    password.register(app)
    passwords.register(app)
    lostdevice.register(app)
    demo.register(app)
    share.register(app)
    workshop.register(app)
    checklist.register(app)
    config.register(app)
    breach.register(app)
    for command in app.registered_commands:
        command.short_help = SHORT_HELP[command.name or ""]
    for group in app.registered_groups:
        group.short_help = SHORT_HELP[group.name or ""]
        for sub in group.typer_instance.registered_commands if group.typer_instance else ():
            sub.short_help = SHORT_HELP.get(f"{group.name} {sub.name}", sub.short_help)


_register()


def main() -> None:
    """Run the command in `sys.argv`; ends with SystemExit, like any click program."""
    from nutsec.cli.console import prepare_output_streams

    prepare_output_streams()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write(STOPPED)
        sys.exit(EXIT_INTERRUPTED)


def run() -> None:
    """Console-script entry point (`nutsec`): `main`, then the quick end below."""
    try:
        main()
    except SystemExit as done:
        _end(done.code)
    _end(0)


def _end(code: str | int | None) -> None:
    """End the process once the command is done, without taking the interpreter apart first.

    Freeing every module's objects one by one takes about 45 ms after a vault audit (zxcvbn's
    word lists most of all), a tenth of the whole command; the system frees them at once. What
    must happen still does: output is flushed and every `atexit` callback runs. If a thread of
    the command is still running, or the exit carries a message, the usual exit is used."""
    import atexit
    import os
    import threading

    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if isinstance(code, str) or any(t.is_alive() and not t.daemon for t in others):
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)  # a closed or broken stream: Python's own exit reports it as usual
    atexit._run_exitfuncs()
    os._exit(code or 0)
