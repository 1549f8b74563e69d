"""`nutsec breach account EMAIL` and `nutsec breach verify-corpus PATH`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.cli.options import Plain
from nutsec.errors import NutsecError

if TYPE_CHECKING:
    from rich.console import Console

    from nutsec.breach.account_api import AccountBreach, AccountResult

breach_app = typer.Typer(
    help=(
        "Look up the known data breaches an e-mail address is in, with Have I Been Pwned "
        "(needs an API key: see 'nutsec config set-hibp-key'). To check a password instead, "
        "use 'nutsec password check'."
        "\n\n\b\nExample:\n"
        "  nutsec breach account sam@example.org"
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(breach_app, name="breach")


@breach_app.command("account")
def account(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="The e-mail address to look up.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    plain: Plain = False,
) -> None:
    """Which known breaches an e-mail address appears in (needs a Have I Been Pwned API key).

    The address and your API key are sent to Have I Been Pwned: unlike the password check, this
    look-up is not anonymous. Store your key first with 'nutsec config set-hibp-key'.

    If the look-up could not be done (no network, time-out, service error) nutsec says "not
    checked" (JSON: "status": "unknown") and exits 0: that never means "no breaches".

    \b
    Examples:
      nutsec breach account sam@example.org
      nutsec breach account sam@example.org --json
    """
    from nutsec.breach.account_api import (
        ACCOUNT_API_URL_ENV,
        DEFAULT_ACCOUNT_API_URL,
        account_api_url,
        build_account_client,
        validate_email,
    )
    from nutsec.breach.api_key import load_api_key
    from nutsec.cli.console import make_console, plain_wanted
    from nutsec.keyring_safety import system_keyring

    address = validate_email(email)
    base_url = account_api_url(os.environ.get(ACCOUNT_API_URL_ENV) or DEFAULT_ACCOUNT_API_URL)
    key = load_api_key(system_keyring()[0])
    if key is None:
        raise NutsecError(
            "No Have I Been Pwned API key is stored, and this look-up needs one. Get a key at "
            "https://haveibeenpwned.com/API/Key, then store it with: nutsec config set-hibp-key"
        )
    sys.stderr.write(not_anonymous_notice(base_url))
    console = make_console(plain)
    try:
        client = build_account_client(key, base_url)
        try:
            if json_output or plain_wanted(plain):
                result = client.lookup(address)
            else:
                with make_console(plain, stderr=True).status("Looking the address up..."):
                    result = client.lookup(address)
        finally:
            client.close()
    finally:
        key.wipe()
    if json_output:
        typer.echo(json.dumps({"email": address, **result.to_json()}))
        return
    show_account_result(console, address, result)


def not_anonymous_notice(base_url: str) -> str:
    """Said before every look-up: what leaves the computer, and to whom."""
    from urllib.parse import urlsplit

    from nutsec.safe_text import without_controls

    host = without_controls(urlsplit(base_url).hostname or base_url)
    return (
        f"Note: this look-up is not anonymous. The e-mail address and your API key are sent to "
        f"{host} (Have I Been Pwned).\n"
    )


def show_account_result(console: Console, address: str, result: AccountResult) -> None:
    """The breaches, most recent first, in plain English; or none; or why it was not checked."""
    from nutsec.breach.model import BreachStatus
    from nutsec.cli.layout import print_indented

    shown = _safe(address)
    if result.status is BreachStatus.UNKNOWN:
        print_indented(
            console,
            f"Not checked: the look-up for {shown} could not be done "
            f"({_safe(result.reason or 'no reason given')}). This does not mean it is in no "
            "breaches: try again later.",
            indent=0,
        )
        return
    if result.status is BreachStatus.NOT_FOUND:
        print_indented(
            console,
            f"No known breaches for this address ({shown}). That means Have I Been Pwned knows "
            "of none; it cannot promise there are none.",
            indent=0,
        )
        return
    count = len(result.breaches)
    console.print(
        f"{shown} is in {count} known breach{'es' if count != 1 else ''}, most recent first:",
        soft_wrap=True,
    )
    for number, breach in enumerate(result.breaches, start=1):
        console.print()
        first = f"{number}. "
        print_indented(console, _headline(breach), first=first)
        for line in _details(breach):
            print_indented(console, line, indent=len(first))
    console.print()
    print_indented(
        console,
        "What to do: change the password of each of these accounts, and of any account where "
        "you used the same password; then turn on two-step verification where you can.",
        indent=0,
    )


def _headline(breach: AccountBreach) -> str:
    text = _safe(breach.title)
    if breach.domain:
        text += f" ({_safe(breach.domain)})"
    when = _date(breach.breach_date)
    return text + (f", breached {when}" if when else ", date of breach not known")


def _details(breach: AccountBreach) -> list[str]:
    exposed = ", ".join(_safe(item) for item in breach.data_classes) or "not known"
    lines = [f"What was exposed: {exposed}."]
    lines.append(
        "Confirmed as a real breach."
        if breach.verified
        else "Not confirmed: it may not be a real breach of this site."
    )
    if breach.fabricated:
        lines.append("The data is believed to be at least partly made up.")
    if breach.sensitive:
        lines.append("Sensitive: Have I Been Pwned shows it only to the owner of the address.")
    if breach.spam_list:
        lines.append("A list of addresses used for spam, not a break-in at a website.")
    return lines


def _date(text: str) -> str:
    """'2013-10-04' as '4 October 2013'; anything else as given."""
    from datetime import date

    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return _safe(text)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


#: Month names in English whatever the locale (strftime's %B follows the locale).
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _safe(text: str) -> str:
    """The service's text and the address may hold markup or control characters: neither works."""
    from rich.markup import escape

    from nutsec.safe_text import without_controls

    return escape(without_controls(text))


@breach_app.command(
    "verify-corpus", short_help="Check a downloaded Pwned Passwords file once, line by line."
)
def verify_corpus(
    corpus: Annotated[
        Path,
        typer.Argument(metavar="PATH", help="The downloaded Pwned Passwords file."),
    ],
    plain: Plain = False,
) -> None:
    """Check every line of a downloaded Pwned Passwords file once, so look-ups in it can be
    trusted.

    A look-up reads only the lines near the hash it looks for, and checks those; a line moved
    far from its place (a damaged copy) would not be seen, and that password would read as
    "not found". This reads the whole file once (it takes some minutes for the full download) and
    remembers the result for the file as it is now (its size and time). Give the same path to
    --hibp-corpus afterwards. A folder of per-prefix files needs no check: each file is read
    whole.

    \b
    Example:
      nutsec breach verify-corpus pwnedpasswords.txt
    """
    from nutsec.breach.corpus import remember, remembered, verify_corpus_file
    from nutsec.cli.console import make_console, plain_wanted
    from nutsec.paths import data_dir, ensure_private_dir

    if corpus.is_dir():
        raise NutsecError(
            f"{corpus} is a folder: its per-prefix files are each checked whole when read, so "
            "there is nothing more to verify."
        )
    folder = data_dir()
    err = make_console(plain, stderr=True)
    if corpus.exists() and remembered(corpus, folder):
        typer.echo(f"{corpus} was checked already and has not changed since: it is in order.")
        return
    if sys.stderr.isatty() and not plain_wanted(plain):
        from rich.progress import BarColumn, Progress, TextColumn

        bar = Progress(TextColumn("Checking every line"), BarColumn(), console=err, transient=True)
        task = bar.add_task("verify", total=None)
        with bar:
            lines = verify_corpus_file(
                corpus, lambda done, total: bar.update(task, completed=done, total=total)
            )
    else:
        lines = verify_corpus_file(corpus)
    remember(corpus, ensure_private_dir(folder))
    typer.echo(
        f"All {lines:,} lines of {corpus} are in order: look-ups in it can be trusted. "
        "nutsec will check again only if the file changes."
    )
