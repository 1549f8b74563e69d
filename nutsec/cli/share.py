"""`nutsec share`: a short anonymous code of an audit, for a workshop's group summary."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.cli.options import Plain, SavedAudit
from nutsec.errors import NutsecError

if TYPE_CHECKING:
    from rich.console import Console


def register(app: typer.Typer) -> None:
    app.command("share")(share)


def share(
    audit_id: SavedAudit = "latest",
    decode: Annotated[
        str | None,
        typer.Option(
            "--decode",
            metavar="CODE",
            help="Say in words what a share code holds, instead of making one.",
        ),
    ] = None,
    plain: Plain = False,
) -> None:
    """Make a short anonymous code of your audit to give to a workshop trainer.

    The code holds only the checklist and its version, your band (not your score), for each
    question the worst answer across your devices and accounts, a random number kept with the
    audit (so the trainer counts it once, however often it is shared), the day and checks. No
    names, no devices or accounts, no passwords, nothing you typed. nutsec first shows in words
    exactly what is in it. Share only your newest audit, and give the trainer one code.

    \b
    Examples:
      nutsec share                  a code for your newest audit
      nutsec share 3                a code for audit 3 (see 'nutsec history')
      nutsec share --decode NS2-... what a code holds, in words
    """
    from nutsec.cli.console import make_console
    from nutsec.share.code import decode as decode_code
    from nutsec.share.code import encode, share_code_of
    from nutsec.share.words import describe, items_of_code, shipped_checklist

    if decode is not None:
        code = decode_code(decode)
        items = items_of_code(code, shipped_checklist(code.checklist_id))
        console = make_console(plain)
        _print_lines(console, describe(code, items, width=console.width))
        return
    from nutsec.paths import data_dir
    from nutsec.store.sqlite import open_store, store_exists

    folder = data_dir()
    if not store_exists(folder):
        raise NutsecError("No saved audit yet. Run 'nutsec audit' first, then 'nutsec share'.")
    with open_store(folder, read_only=True) as store:
        finished = True if audit_id.strip().lower() == "latest" else None
        chosen = store.resolve(audit_id, finished=finished)
        audit = store.load(chosen)
        share_id = store.share_id(chosen)
        newest = store.resolve("latest", finished=True)
    code = share_code_of(audit, share_id, date.today())
    # The words go to stderr and the code alone to stdout, so `nutsec share > code.txt` works.
    err = make_console(plain, stderr=True)
    _print_lines(err, describe(code, items_of_code(code, audit.checklist), width=err.width))
    err.print()
    if chosen != newest:
        _print_lines(err, [older_audit_warning(chosen, newest)])
        err.print()
    err.print("Your share code (give it to the trainer once; it names no one):")
    typer.echo(encode(code))


def older_audit_warning(chosen: int, newest: int) -> str:
    return (
        f"Note: audit {chosen} is not the newest audit on this computer (audit {newest} is). "
        "Share only your own newest audit: an older one may show things you have fixed since, "
        "and sharing two of your audits would count you twice."
    )


def _print_lines(console: Console, lines: list[str]) -> None:
    """The description, wrapped to the screen; list lines wrap under their own text."""
    from rich.markup import escape

    from nutsec.cli.layout import print_indented

    for line in lines:
        text = line.lstrip(" ")
        indent = len(line) - len(text)
        if text.startswith("- "):
            print_indented(console, escape(text[2:]), first=" " * indent + "- ")
        elif indent:  # "  not done        Turn on ...": the outcome column leads every line
            print_indented(console, escape(text[16:]), first=" " * indent + text[:16])
        else:
            print_indented(console, escape(text), indent=0)
