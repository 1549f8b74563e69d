"""`nutsec checklist list | show | validate | stale`."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.checklist.names import DEFAULT_CHECKLIST
from nutsec.cli.console import make_console
from nutsec.cli.options import Plain, TextOrJson
from nutsec.errors import NutsecError
from nutsec.paths import data_dir
from nutsec.safe_text import without_controls

if TYPE_CHECKING:
    from nutsec.checklist.catalog import ChecklistCatalog
    from nutsec.checklist.model import Checklist

checklist_app = typer.Typer(
    help="See and check the checklists (lists of questions) the audit can use.",
    no_args_is_help=True,
)

NameOrPath = Annotated[
    str,
    typer.Argument(
        metavar="NAME|PATH",
        help="A checklist's name (see 'nutsec checklist list') or the path to a .toml file.",
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(checklist_app, name="checklist")


def _catalog() -> ChecklistCatalog:
    from nutsec.checklist.catalog import ChecklistCatalog

    return ChecklistCatalog.standard(data_dir())


@checklist_app.command("list")
def list_checklists(plain: Plain = False) -> None:
    """List the checklists you can use: name, title, version, number of items and file.

    An item is asked once, or once for each device or account it fits, so the audit tells you
    its number of questions once you have listed your devices and accounts.

    Use a name from this list with 'nutsec audit --checklist NAME'. Your own checklists go in
    the folder shown at the end.
    """
    from rich.markup import escape

    from nutsec.cli.layout import print_indented

    console = make_console(plain)
    entries = _catalog().entries()
    if not entries:
        console.print("No checklists found.")
    for entry in entries:
        # A file name can hold an escape sequence too: show it, do not let the terminal obey it.
        name = without_controls(entry.name if entry.shipped else f"{entry.name} (yours)")
        shown = without_controls(str(entry.path))
        if entry.checklist is None:
            problems = (
                "1 problem" if entry.problem_count == 1 else f"{entry.problem_count} problems"
            )
            console.print(f"[bold]{escape(name)}[/]  cannot be used: it has {problems}.")
            print_indented(console, f"To see them: nutsec checklist validate {escape(shown)}")
        else:
            c = entry.checklist
            items = "1 item" if c.item_count == 1 else f"{c.item_count} items"
            console.print(f"[bold]{escape(name)}[/]  (version {escape(c.version)}, {items})")
            print_indented(console, escape(c.title))
        console.print(f"  {escape(shown)}", soft_wrap=True)
    console.print()
    from nutsec.checklist.catalog import user_dir

    console.print(f"Your own checklists go in: {escape(str(user_dir(data_dir())))}", soft_wrap=True)


@checklist_app.command("show")
def show(
    name: NameOrPath,
    format: Annotated[
        TextOrJson, typer.Option("--format", help="text for reading, json for scripts.")
    ] = TextOrJson.text,
    plain: Plain = False,
) -> None:
    """Show every question of a checklist, with why it matters and what to do.

    \b
    Examples:
      nutsec checklist show nut-social-media
      nutsec checklist show my-checklist.toml --format json
    """
    checklist = _catalog().load(name)
    if format is TextOrJson.json:
        typer.echo(json.dumps(checklist.to_json(), indent=2, ensure_ascii=False))
        return
    _print_checklist(checklist, plain)


def _print_checklist(checklist: Checklist, plain: bool) -> None:
    from rich.markup import escape

    from nutsec.cli.layout import print_indented

    console = make_console(plain)
    console.print(f"[bold]{escape(checklist.title)}[/]  (version {escape(checklist.version)})")
    if checklist.description:
        console.print(escape(checklist.description))
    for number, section in enumerate(checklist.sections, start=1):
        console.print()
        console.rule(f"{number}. {escape(section.title)}", align="left", characters="-")
        if section.intro:
            console.print(escape(section.intro))
        for item in section.items:
            console.print()
            asked = {
                "person": "asked once",
                "device": "asked for each device",
                "account": "asked for each account",
            }[item.scope.value]
            console.print(f"[bold]{escape(item.question)}[/]")
            minutes = f" · about {item.minutes} min" if item.minutes else ""
            fields = [
                f"[dim]{escape(item.id)} · {asked} · {item.severity.value}"
                f" · weight {item.weight}{minutes}[/]",
            ]
            if item.applies_to:
                fields.append(f"Only for: {escape(_names(item.applies_to))}")
            if item.action:
                fields.append(f"Action: {escape(item.action)}")
            fields += _variant_fields("Why it matters", item.why, item.why_variants)
            fields += _variant_fields("What to do", item.fix, item.fix_variants)
            if item.current:
                fields.append(f"Since the guidance was written: {escape(item.current)}")
            if item.references:
                fields.append(f"Today's advice from: {escape('; '.join(item.references))}")
            if item.source:
                fields.append(f"From the guidance: {escape(item.source)}")
            answers = ", ".join(f"{o.label} ({o.status.value})" for o in item.answers)
            fields.append(f"Answers: {escape(answers)}")
            for field in fields:
                print_indented(console, field)


@cache
def _subject_names() -> dict[str, str]:
    """How a variant key is named on screen: device systems and kinds, e-mail providers,
    platforms."""
    from nutsec.audit_data import PLATFORMS

    return {
        "ios": "iPhone or iPad",
        "android": "Android",
        "windows": "Windows",
        "macos": "Mac",
        "chromeos": "Chromebook",
        "linux": "Linux",
        "phone": "phones",
        "tablet": "tablets",
        "laptop": "laptops",
        "desktop": "desktop computers",
        "gmail": "Gmail",
        "outlook": "Outlook or Hotmail",
        "icloud": "iCloud Mail",
        "yahoo": "Yahoo Mail",
        **{key: name for key, name in PLATFORMS.items() if key != "other"},
        "other": "anything else",
    }


def _names(keys: tuple[str, ...]) -> str:
    """`applies_to` in words: "laptops, desktop computers (Windows, Mac, Linux)"."""
    from nutsec.checklist.model import DEVICE_KINDS

    names = _subject_names()
    kinds = [names[k] for k in keys if k in DEVICE_KINDS]
    rest = [names.get(k, k) for k in keys if k not in DEVICE_KINDS]
    if kinds and rest:
        return f"{', '.join(kinds)} ({', '.join(rest)})"
    return ", ".join(kinds or rest)


def _variant_fields(heading: str, generic: str, variants: tuple[tuple[str, str], ...]) -> list[str]:
    """The generic text, then one line per system or platform that has its own."""
    from rich.markup import escape

    fields = [f"{heading}: {escape(generic)}"]
    if variants:
        fields[0] = f"{heading} (in general): {escape(generic)}"
    fields += [
        f"{heading}, {escape(_subject_names().get(key, key))}: {escape(text)}"
        for key, text in variants
    ]
    return fields


@checklist_app.command("validate")
def validate(name: NameOrPath) -> None:
    """Check a checklist file and list every problem in it, with its line number.

    Exit code 0 means the checklist can be used; 2 means it has problems.

    \b
    Example:
      nutsec checklist validate my-checklist.toml
    """
    from nutsec.checklist.loader import load_checklist

    path = _catalog().find(name)
    checklist = load_checklist(path)
    sections = len(checklist.sections)
    typer.echo(
        f"OK: {without_controls(str(path))} is a valid checklist '{checklist.id}' "
        f"version {checklist.version}: "
        f"{sections} section{'s' if sections != 1 else ''}, {checklist.item_count} items."
    )


#: A trainer re-checks the advice before a workshop: by default, what is more than six months old.
STALE_MONTHS = 6


@checklist_app.command("stale")
def stale_steps(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME|PATH",
            help="A checklist's name or the path to a .toml file.",
        ),
    ] = DEFAULT_CHECKLIST,
    months: Annotated[
        int,
        typer.Option(
            "--months",
            min=0,
            max=600,
            metavar="N",
            help="List the steps last checked more than N months ago.",
        ),
    ] = STALE_MONTHS,
    format: Annotated[
        TextOrJson, typer.Option("--format", help="text for reading, json for scripts.")
    ] = TextOrJson.text,
) -> None:
    """List the steps of advice not checked for N months.

    So you can check them again before a workshop.

    Every step of a checklist, and of the lost-device card and its platform steps, names the
    page it follows and the date it was last checked against that page. Menus change often:
    before a workshop, open each page listed here and compare it with the step.

    \b
    Examples:
      nutsec checklist stale
      nutsec checklist stale --months 3
      nutsec checklist stale my-checklist.toml --format json
    """
    import datetime as dt

    from nutsec.checklist.sources import months_before, stale
    from nutsec.checklist.steps import checklist_steps, lost_device_steps

    checklist = _catalog().load(name)
    lost, problems = lost_device_steps()
    if problems:
        raise NutsecError(
            "The lost-device steps shipped with nutsec do not all name a source and date.",
            details=tuple(str(p) for p in problems),
        )
    steps = [*checklist_steps(checklist), *lost]
    unsourced = sum(len(i.fix_variants) - len(i.fix_sources) for i in checklist.items())
    today = dt.date.today()
    cutoff = months_before(today, months)
    old = stale(steps, cutoff)
    if format is TextOrJson.json:
        shown = {
            "checklist": {"id": checklist.id, "version": checklist.version},
            "months": months,
            "checked_before": cutoff.isoformat(),
            "steps_with_source": len(steps),
            "steps_without_source": unsourced,
            "stale": [
                {
                    "where": s.where,
                    "step": s.step,
                    "source": s.source.source,
                    "checked": s.source.checked.isoformat(),
                }
                for s in old
            ],
        }
        typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    span = "1 month" if months == 1 else f"{months} months"
    when = f"before {cutoff.day} {cutoff:%B %Y}"
    if not old:
        typer.echo(f"All {len(steps)} steps were checked in the last {span} (none {when}).")
    else:
        typer.echo(
            f"{len(old)} of {len(steps)} steps were last checked more than {span} ago ({when}). "
            "Open each page, compare it with the step, then correct the step and its date:"
        )
        for s in old:
            typer.echo(
                f"  {s.source.checked.isoformat()}  {without_controls(s.where)}: "
                f"{without_controls(s.step)}"
            )
            typer.echo(f"      {without_controls(s.source.source)}")
    if unsourced:
        typer.echo(
            f"{unsourced} step{'s' if unsourced != 1 else ''} of {without_controls(checklist.id)} "
            "name no source or date at all (a format 1 or 2 checklist): check them too."
        )
