"""`nutsec password check`: one password's strength and breach status, never shown."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.cli.options import HibpCorpus, HibpUrl, Offline, Plain
from nutsec.errors import NutsecError

if TYPE_CHECKING:
    from rich.console import Console

    from nutsec.breach.model import BreachResult
    from nutsec.passwords.strength import StrengthResult
    from nutsec.verdict import Verdict

password_app = typer.Typer(
    help="Check one password, privately: it is never shown, saved or sent.", no_args_is_help=True
)

#: No password is this long; a longer first line is not a password (zxcvbn reads only 72 anyway).
MAX_PASSWORD_BYTES = 65_536

PROMPT = "Password to check (typing is hidden; it is not shown or kept)"

_LEVEL_STYLE = {"strong": "green", "fair": "yellow", "weak": "red", "breached": "bold red"}
_LEVEL_WORD = {"strong": "Strong", "fair": "Fair", "weak": "Weak", "breached": "Breached"}


def register(app: typer.Typer) -> None:
    app.add_typer(password_app, name="password")


@password_app.command("check")
def check(
    stdin: Annotated[
        bool,
        typer.Option("--stdin", help="Read the password from the first line of standard input."),
    ] = False,
    offline: Offline = False,
    hibp_url: HibpUrl = None,
    hibp_corpus: HibpCorpus = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    plain: Plain = False,
) -> None:
    """Check how strong a password is and whether it is in known data breaches.

    Type the password at the hidden prompt (or give it on standard input with --stdin). It is
    never shown, saved or sent: for the breach check only the first 5 characters of its SHA-1
    hash leave this computer.

    \b
    Examples:
      nutsec password check             type it at a hidden prompt
      nutsec password check --offline   strength only, no network
    """
    from nutsec.breach.sources import build_breach_source
    from nutsec.cli.console import make_console, plain_wanted
    from nutsec.cli.secret_input import read_hidden_secret, read_secret_line
    from nutsec.passwords.strength import account_context, assess_strength
    from nutsec.verdict import judge_password

    secret = (
        read_secret_line("password", MAX_PASSWORD_BYTES)
        if stdin
        else read_hidden_secret(PROMPT, "password")
    )
    try:
        if not secret:
            raise NutsecError(
                "No password was given. Type it at the prompt, or give it as one line of "
                "standard input with --stdin."
            )
        strength = assess_strength(secret, account_context())  # no account: nut, union
        console = make_console(plain)
        source = build_breach_source(offline=offline, hibp_url=hibp_url, hibp_corpus=hibp_corpus)
        try:
            if json_output or plain_wanted(plain):
                breach = source.check(secret)
            else:
                with console.status("Checking known data breaches..."):
                    breach = source.check(secret)
        finally:
            source.close()
    finally:
        secret.wipe()

    if json_output:
        typer.echo(json.dumps({"strength": strength.to_json(), "breach": breach.to_json()}))
        return
    verdict = judge_password(strength, breach)
    show_verdict(console, verdict, strength, breach, plain=plain_wanted(plain))


def show_verdict(
    console: Console,
    verdict: Verdict,
    strength: StrengthResult,
    breach: BreachResult,
    *,
    plain: bool,
) -> None:
    """The verdict panel (or plain lines): level, headline, crack times, breach line, advice.

    `nutsec demo` shows its made-up examples with this too, so they look as a live check does.
    """
    from rich.panel import Panel
    from rich.text import Text

    from nutsec.cli.layout import wrap_indented

    body = Text()
    body.append(f"{_LEVEL_WORD[verdict.level]}: ", style=_LEVEL_STYLE[verdict.level])
    body.append(verdict.headline + "\n\n")
    body.append("If a website's list of passwords were stolen, guessing this one would take:\n")
    body.append(f"  if the website protected it well: {strength.crack_time}\n")
    if strength.fast_crack_time:
        body.append(f"  if it did not: {strength.fast_crack_time}\n")
    body.append(f"{verdict.breach_line}\n")
    if strength.warning:
        body.append(f"Warning: {strength.warning}\n")
    if strength.truncated:
        body.append(
            f"Note: only the first {strength.evaluated_chars} characters were checked; "
            "the rest can only make it stronger.\n"
        )
    if verdict.advice:
        body.append("\nWhat to do:\n")
        # Inside the panel, its border and padding take 4 columns.
        width = console.width if plain else console.width - 4
        for line in verdict.advice:
            body.append_text(wrap_indented(console, Text(line), width=width, first="  - "))
            body.append("\n")
    body.rstrip()
    if plain:
        console.print("Password check")
        console.print(body)
    else:
        console.print(Panel(body, title="Password check", expand=False))
