"""`nutsec passwords audit`: a password-manager export checked entry by entry."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nutsec.cli.options import HibpCorpus, HibpUrl, Offline, OutputFile, Plain
from nutsec.errors import NutsecError
from nutsec.exports.renderers import AuditFormat

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from rich.console import Console

    from nutsec.exports.checks import AuditProgress
    from nutsec.exports.entries import Unlock

passwords_app = typer.Typer(help="Check many passwords at once.", no_args_is_help=True)


class SourceChoice(StrEnum):
    auto = "auto"
    bitwarden = "bitwarden"
    bitwarden_json = "bitwarden-json"
    keepassxc = "keepassxc"
    chrome = "chrome"
    firefox = "firefox"
    onepassword = "1password"
    kdbx = "kdbx"


_STAGE_LABEL = {"strength": "Checking strength", "breach": "Checking known breaches"}


def register(app: typer.Typer) -> None:
    app.add_typer(passwords_app, name="passwords")


@passwords_app.command("audit")
def audit_export(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE|-",
            help="The export or KeePass database (.kdbx); - reads standard input.",
        ),
    ],
    source: Annotated[
        SourceChoice,
        typer.Option(
            "--source",
            metavar="NAME",
            help="Which password manager wrote it: auto (nutsec tells, the default), "
            "bitwarden, bitwarden-json, keepassxc, chrome, firefox, 1password or kdbx.",
        ),
    ] = SourceChoice.auto,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read a KeePass database's master password from the first line of standard "
            "input instead of asking for it.",
        ),
    ] = False,
    keyfile: Annotated[
        Path | None,
        typer.Option("--keyfile", metavar="PATH", help="The KeePass database's key file."),
    ] = None,
    exclude_folder: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude-folder",
            metavar="NAME",
            help="Leave out the logins in this folder or group (repeat for more). The bin, "
            "trash and Backup folders are always left out.",
        ),
    ] = None,
    offline: Offline = False,
    hibp_url: HibpUrl = None,
    hibp_corpus: HibpCorpus = None,
    format: Annotated[
        AuditFormat, typer.Option("--format", help="How to show the results.")
    ] = AuditFormat.TERMINAL,
    output: OutputFile = None,
    plain: Plain = False,
) -> None:
    """Find weak, reused, similar and breached passwords in your password manager, without
    showing any, and which sites offer two-step sign-in.

    Best: no plaintext file at all. Give nutsec your KeePass database (.kdbx) itself, or pipe
    the export straight in with "-". A CSV or JSON export file works too, but it holds every
    password in plain text: delete it securely afterwards. No password, or any part of one, is
    shown or saved; for the breach check only the first 5 characters of each password's SHA-1
    hash leave this computer. See docs/exports.md for each password manager.

    \b
    Examples:
      nutsec passwords audit Passwords.kdbx     (asks for the master password)
      nutsec passwords audit Passwords.kdbx --keyfile my.keyx
      keepassxc-cli export Passwords.kdbx | nutsec passwords audit -
      bw export --format json --raw | nutsec passwords audit -
      nutsec passwords audit export.csv --exclude-folder Archive
      nutsec passwords audit export.csv --offline   (without the network)
      nutsec passwords audit export.csv --format html -o passwords.html
    """
    import shutil
    import sys

    from nutsec.breach.range_api import RangePolicy
    from nutsec.breach.sources import build_breach_source
    from nutsec.cli.console import make_console, plain_wanted, stdout_is_terminal
    from nutsec.exports.checks import audit_export as check_export
    from nutsec.exports.reader import is_stdin, read_export
    from nutsec.exports.renderers import renderer_for
    from nutsec.passwords.strength_worker import started_early
    from nutsec.paths import check_output_path
    from nutsec.report.output import write_report_file

    # Every file read (the export, key file, corpus; standard input when redirected from a file).
    inputs = (file, keyfile, hibp_corpus, "-" if password_stdin else None)
    if output is not None:
        check_output_path(output, inputs=inputs)  # at once, not after the whole audit
    if source not in (SourceChoice.auto, SourceChoice.kdbx) and (password_stdin or keyfile):
        raise NutsecError(
            "--password-stdin and --keyfile are for KeePass databases (--source kdbx)."
        )
    spinner = _KeySpinner(
        make_console(plain, stderr=True)
        if sys.stderr.isatty() and not plain_wanted(plain)
        else None
    )
    unlock = _unlocker(file, password_stdin, keyfile, spinner)
    # The strength worker starts now, so that it is ready by the time the file is read (it
    # would otherwise start only then, about a tenth of a second later).
    with started_early() as worker:
        try:
            export = read_export(
                file,
                None if source is SourceChoice.auto else source.value,
                stdin=sys.stdin.buffer if is_stdin(file) else None,
                unlock=unlock,
                exclude_folders=tuple(exclude_folder or ()),
                # A mistyped password at the prompt is asked again; a piped one is not (exit 2
                # at once).
                key_tries=1 if password_stdin else MASTER_PASSWORD_TRIES,
            )
        finally:
            spinner.stop()
        try:
            if export.source.key != "kdbx" and (password_stdin or keyfile):
                raise NutsecError(
                    f"--password-stdin and --keyfile are for KeePass databases; {export.label} is "
                    f"a {export.source.title} export."
                )
            breach = build_breach_source(
                offline=offline,
                hibp_url=hibp_url,
                hibp_corpus=hibp_corpus,
                policy=RangePolicy(workers=EXPORT_WORKERS),
            )
            try:
                show_progress = (
                    format is not AuditFormat.JSON
                    and sys.stderr.isatty()
                    and not plain_wanted(plain)
                )
                bar, observe = (
                    _progress(make_console(plain, stderr=True)) if show_progress else (None, None)
                )
                if bar is None:
                    audit = check_export(export, breach, worker=worker)
                else:
                    with bar:
                        audit = check_export(export, breach, observe, worker=worker)
            finally:
                breach.close()
        finally:
            export.wipe()

    on_screen = output is None and stdout_is_terminal()
    renderer = renderer_for(
        format,
        plain=plain_wanted(plain),
        color=on_screen,
        width=min(shutil.get_terminal_size().columns, 100) if on_screen else 80,
    )
    text = renderer.render(audit)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_report_file(output, text, inputs=inputs)
        typer.echo(f"Results written to {output}", err=True)
    if audit.plaintext_file:
        from nutsec.exports.view import DELETE_REMINDER

        _remind(make_console(plain, stderr=True), file, DELETE_REMINDER)


class _KeySpinner:
    """Words and a spinner on stderr while a database's key is derived (its progress callback);
    nothing when stderr is not a terminal."""

    def __init__(self, console: Console | None) -> None:
        self._console = console
        self._status: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._console is None:
            return
        if done >= total:
            self.stop()
        elif self._status is None:
            self._status = self._console.status(
                "Opening the database. KeePass makes this slow on purpose; it takes a moment."
            )
            self._status.start()

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


def _unlocker(
    file: Path, password_stdin: bool, keyfile: Path | None, spinner: _KeySpinner
) -> Unlock:
    """How a KeePass database's key is got: read now from standard input's first line (before
    a database piped in after it), or asked for at a hidden prompt once a database is found."""
    from nutsec.cli.secret_input import read_hidden_secret, read_secret_line
    from nutsec.exports.entries import KdbxKey

    if password_stdin:
        line = read_secret_line("master password", MAX_MASTER_PASSWORD_BYTES)
        key = KdbxKey(line if line or keyfile is None else None, keyfile, spinner)
        return lambda: key

    name = file.name if str(file) != "-" else "the database"
    asked = 0

    def ask() -> KdbxKey:
        nonlocal asked
        if not _can_prompt():
            raise NutsecError(
                "There is no terminal to ask for the master password on. Give it on the first "
                "line of standard input with --password-stdin."
            )
        asked += 1
        if asked > 1:
            what = "password and key file do" if keyfile else "password does"
            typer.echo(
                f"That {what} not open {name}. Try again (try {asked} of "
                f"{MASTER_PASSWORD_TRIES}), or press Ctrl-C to stop.",
                err=True,
            )
        secret = read_hidden_secret(f"Master password of {name}", "password")
        return KdbxKey(secret if secret or keyfile is None else None, keyfile, spinner)

    return ask


def _can_prompt() -> bool:
    """Whether a hidden prompt can be shown: getpass reads the controlling terminal."""
    import sys

    if sys.stdin.isatty():
        return True
    try:
        with open("/dev/tty", "rb"):
            return True
    except OSError:
        return False


#: Concurrent range requests for an export: hundreds of distinct prefixes, and the network is
#: the long pole (200 logins 100 ms away: 16 at a time wait 1.3 s, 32 at a time 0.7 s).
EXPORT_WORKERS = 32

#: How many times a mistyped master password is asked for at the prompt before nutsec stops.
MASTER_PASSWORD_TRIES = 3

#: A master password is a line of text; this bounds what a mistaken pipe can make us read.
MAX_MASTER_PASSWORD_BYTES = 4096


def _progress(console: Console) -> tuple[AbstractContextManager[object], AuditProgress]:
    """A transient progress bar per stage, fed by the core's progress observer."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )
    # Both stages run at once; their bars keep one order, strength first, from the start.
    tasks: dict[str, TaskID] = {
        stage: bar.add_task(label, total=None) for stage, label in _STAGE_LABEL.items()
    }

    def observe(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(_STAGE_LABEL.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, observe


def _remind(console: Console, file: Path, reminder: str) -> None:
    """The last word of every run, on stderr so it never mixes into JSON or a saved page."""
    from rich.text import Text

    from nutsec.cli.layout import print_indented
    from nutsec.safe_text import without_controls

    # Wrapped here, at word breaks and with no padding blanks: a terminal would split words.
    console.print()
    print_indented(
        console, Text(f"{without_controls(str(file))}: {reminder}", style="bold"), indent=0
    )
