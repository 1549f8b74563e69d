"""`nutsec config show | set-hibp-key | keyring-status`."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nutsec.cli.options import Plain

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from rich.console import Console

    from nutsec.keyring_safety import KeyringJudgement

config_app = typer.Typer(
    help=(
        "See and change nutsec's settings: where your audits are kept, which breach services "
        "it uses, and the Have I Been Pwned API key for 'nutsec breach account'."
        "\n\n\b\nExamples:\n"
        "  nutsec config show             where nutsec keeps its files\n"
        "  nutsec config keyring-status   is the system keyring safe for the key?\n"
        "  nutsec config set-hibp-key     store the key (typing is hidden)"
    ),
    no_args_is_help=True,
)

#: An HIBP key is 32 characters; a first line far longer than this is not a key.
MAX_KEY_BYTES = 1024

KEY_PROMPT = "Have I Been Pwned API key (typing is hidden)"

JsonOutput = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")


@config_app.command("show")
def show(json_output: JsonOutput = False, plain: Plain = False) -> None:
    """Show where nutsec keeps its files and which services it uses.

    Also says whether the system keyring is safe and whether an API key is stored (never the
    key itself). Nothing is changed.

    \b
    Examples:
      nutsec config show          on screen
      nutsec config show --json   for other programs
    """
    from nutsec.keyring_safety import system_keyring

    backend, problem = system_keyring()
    settings = collect_settings(os.environ, backend, keyring_problem=problem)
    if json_output:
        typer.echo(json.dumps(settings, indent=2))
        return
    _show_settings(_console(plain), settings)


@config_app.command("set-hibp-key")
def set_hibp_key(
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the key from the first line of standard input.")
    ] = False,
    delete: Annotated[
        bool, typer.Option("--delete", help="Remove the stored key from the system keyring.")
    ] = False,
) -> None:
    """Keep your Have I Been Pwned API key in the system keyring.

    'nutsec breach account' needs this key; you get one from haveibeenpwned.com/API/Key (a
    paid subscription). Type the key at the hidden prompt (or give it on standard input with
    --stdin). It is kept only in your system's keyring, never in a file, and never shown.
    nutsec refuses to store it in a keyring that is not safe (see 'nutsec config
    keyring-status').

    \b
    Examples:
      nutsec config set-hibp-key            type the key at a hidden prompt
      nutsec config set-hibp-key --delete   remove it again
    """
    from nutsec.breach.api_key import (
        delete_api_key,
        parse_api_key,
        refuse_insecure_keyring,
        store_api_key,
    )
    from nutsec.cli.secret_input import read_hidden_secret, read_secret_line
    from nutsec.keyring_safety import system_keyring

    backend, problem = system_keyring()
    if delete:
        if delete_api_key(backend):
            typer.echo("Your Have I Been Pwned API key was removed from the system keyring.")
        else:
            typer.echo("No Have I Been Pwned API key was stored, so there was nothing to remove.")
        return
    refuse_insecure_keyring(backend, problem)  # before the key is typed, not after
    typed = (
        read_secret_line("API key", MAX_KEY_BYTES)
        if stdin
        else read_hidden_secret(KEY_PROMPT, "API key")
    )
    try:
        key = parse_api_key(typed)
    finally:
        typed.wipe()
    try:
        store_api_key(backend, key)
    finally:
        key.wipe()
    typer.echo(
        "Your Have I Been Pwned API key is stored in the system keyring. "
        "Look an address up with: nutsec breach account EMAIL"
    )


#: What the keyring is for, said first (issue 18): the person's question is "why does it matter".
KEYRING_USES = (
    "What nutsec uses the keyring for: keeping the key that lets it compare passwords you "
    "check at different sittings, so it can tell you when one is used twice; and your Have I "
    "Been Pwned API key, if you set one."
)
KEYRING_WITHOUT = (
    "This keyring is not safe, so nutsec keeps nothing in it. Your passwords are not at risk. "
    "What you can do: check all your passwords in one sitting (when you carry on an audit, "
    "nutsec offers to take the earlier ones again), or set up a safe keyring as below."
)


@config_app.command("keyring-status")
def keyring_status(json_output: JsonOutput = False, plain: Plain = False) -> None:
    """Say what nutsec uses the system keyring for, and whether it keeps secrets safely.

    nutsec keeps two things in the keyring: the key that lets it compare passwords checked at
    different sittings (to spot one used twice), and your Have I Been Pwned API key if you
    set one. It uses only a keyring that is safe: one that encrypts or guards what it holds
    (GNOME Keyring, KDE Wallet, macOS Keychain, Windows Credential Locker), not a plain-text
    file. If it is not safe, this says what to do.

    \b
    Examples:
      nutsec config keyring-status
      nutsec config keyring-status --json
    """
    from nutsec.keyring_safety import judge_keyring, system_keyring

    backend, problem = system_keyring()
    judgement = judge_keyring(backend, problem)
    if json_output:
        typer.echo(json.dumps(judgement.to_json()))
        return
    console = _console(plain)
    from nutsec.cli.layout import print_indented

    print_indented(console, KEYRING_USES, indent=0)
    if not judgement.may_store:
        print_indented(console, KEYRING_WITHOUT, indent=0)
    console.print()
    console.print(
        f"System keyring: {_safe(judgement.name)} ({_safe(judgement.backend)})", soft_wrap=True
    )

    print_indented(console, f"{_safety_words(judgement)}: {_safe(judgement.reason)}.", indent=0)
    if not judgement.may_store:
        from nutsec.keyring_safety import INSECURE_ADVICE

        console.print()
        print_indented(
            console,
            "nutsec will not store your Have I Been Pwned API key here. " + _safe(INSECURE_ADVICE),
            indent=0,
        )


def collect_settings(
    environ: Mapping[str, str], backend: Any, *, keyring_problem: str | None = None
) -> dict[str, Any]:
    """Every setting in effect, and where it came from, as plain data (the key: only yes/no)."""
    from nutsec.breach.account_api import (
        ACCOUNT_API_URL_ENV,
        DEFAULT_ACCOUNT_API_URL,
        account_api_url,
    )
    from nutsec.breach.api_key import api_key_stored
    from nutsec.breach.range_api import validate_service_url
    from nutsec.breach.sources import DEFAULT_RANGE_URL, HIBP_URL_ENV
    from nutsec.errors import NutsecError
    from nutsec.keyring_safety import judge_keyring
    from nutsec.paths import DATA_DIR_ENV, data_dir
    from nutsec.store.sqlite import STORE_FILE

    folder = data_dir(environ)
    audits = folder / STORE_FILE

    def service(
        env: str, default: str, validate: Callable[[str], object] | None = None
    ) -> dict[str, Any]:
        given = environ.get(env)
        url = given or default
        problem = None
        try:
            if validate is None:
                validate_service_url(url, default)
            else:
                validate(url)
        except NutsecError as error:
            problem = error.message
        return {"url": url, "source": env if given else "default", "problem": problem}

    key_stored: bool | None
    key_problem = None
    try:
        key_stored = api_key_stored(backend)
    except NutsecError as error:
        key_stored, key_problem = None, error.message
    return {
        "data_dir": {
            "path": str(folder),
            "source": DATA_DIR_ENV if environ.get(DATA_DIR_ENV, "").strip() else "default",
            "exists": folder.is_dir(),
            "private": _private(folder),
        },
        "audits_file": {
            "path": str(audits),
            "exists": audits.is_file(),
            "private": _private(audits),
        },
        "range_service": service(HIBP_URL_ENV, DEFAULT_RANGE_URL),
        "account_service": service(ACCOUNT_API_URL_ENV, DEFAULT_ACCOUNT_API_URL, account_api_url),
        "no_color": bool(environ.get("NO_COLOR")),
        "keyring": judge_keyring(backend, keyring_problem).to_json(),
        "hibp_api_key_stored": key_stored,
        "hibp_api_key_problem": key_problem,
    }


def _private(path: Path) -> bool | None:
    """Only the owner may read it (no group or other bits); None if absent or not POSIX."""
    if os.name != "posix":
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return not mode & (stat.S_IRWXG | stat.S_IRWXO)


def _show_settings(console: Console, settings: dict[str, Any]) -> None:
    from nutsec.cli.layout import print_indented

    folder = settings["data_dir"]
    audits = settings["audits_file"]

    def line(label: str, text: str) -> None:
        print_indented(console, f"{label}: {text}", first="", hang=2)

    console.print("nutsec settings")
    console.print()
    line(
        "Data folder",
        f"{_safe(folder['path'])} ({_source(folder['source'])}); "
        + _file_state(folder["exists"], folder["private"], "folder"),
    )
    line(
        "Saved audits",
        f"{_safe(audits['path'])}; " + _file_state(audits["exists"], audits["private"], "file"),
    )
    for label, key in (
        ("Password breach service", "range_service"),
        ("E-mail breach service", "account_service"),
    ):
        entry = settings[key]
        text = f"{_safe(entry['url'])} ({_source(entry['source'])})"
        if entry["problem"]:
            text += f"; not usable: {_safe(entry['problem'])}"
        line(label, text)
    line(
        "Colour",
        "off (NO_COLOR is set)" if settings["no_color"] else "on (NO_COLOR is not set)",
    )
    ring = settings["keyring"]
    line(
        "System keyring",
        f"{_safe(ring['name'])} ({_safe(ring['backend'])}); "
        + _SAFETY_WORDS[ring["safety"]].lower(),
    )
    stored = settings["hibp_api_key_stored"]
    if stored is None:
        key_text = f"cannot tell: {_safe(settings['hibp_api_key_problem'] or '')}"
    else:
        key_text = "stored in the system keyring" if stored else "not stored"
    line("Have I Been Pwned API key", key_text)


_SAFETY_WORDS = {
    "secure": "Safe",
    "insecure": "Not safe",
    "unrecognised": "Not judged safe",
}


def _safety_words(judgement: KeyringJudgement) -> str:
    return _SAFETY_WORDS[judgement.safety.value]


def _source(source: str) -> str:
    return "the default" if source == "default" else f"from {source}"


def _file_state(exists: bool, private: bool | None, noun: str) -> str:
    if not exists:
        return "not created yet"
    if private is None:
        return "exists"
    if private:
        return "exists, only you can open it"
    return f"exists, but others can open it: nutsec makes the {noun} private when it next saves"


def _console(plain: bool) -> Console:
    from nutsec.cli.console import make_console

    return make_console(plain)


def _safe(text: str) -> str:
    """Rich markup escaped and control characters shown, not obeyed (paths and URLs are input)."""
    from rich.markup import escape

    from nutsec.safe_text import without_controls

    return escape(without_controls(text))
