"""`nutsec workshop summary`: a trainer's picture of the room from share codes; names no one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.cli.options import OutputFile
from nutsec.errors import NutsecError
from nutsec.workshop.formats import SummaryFormat
from nutsec.workshop.limits import DEFAULT_MIN_GROUP, MIN_GROUP_FLOOR

if TYPE_CHECKING:
    from datetime import date

    from nutsec.workshop.summary import GroupSummary

workshop_app = typer.Typer(
    help="For trainers: what a group should work on, from everyone's share codes.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(workshop_app, name="workshop")


@workshop_app.command("summary")
def summary(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE|-",
            help="A text file of share codes, one a line (blank lines and # notes are fine); "
            "- reads them from standard input.",
        ),
    ],
    min_group: Annotated[
        int,
        typer.Option(
            "--min-group",
            metavar="N",
            help=f"The fewest people a summary is made for (never below {MIN_GROUP_FLOOR}), "
            "so no one can be picked out.",
        ),
    ] = DEFAULT_MIN_GROUP,
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            metavar="EARLIER",
            help="The codes file of an earlier session of the same group: show what changed.",
        ),
    ] = None,
    format: Annotated[
        SummaryFormat, typer.Option("--format", help="How to show the summary.")
    ] = SummaryFormat.TERMINAL,
    day: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="The day of the session [default: the day most codes were made].",
        ),
    ] = None,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="On screen: print straight out, without a pager."),
    ] = False,
    output: OutputFile = None,
) -> None:
    """A group picture from share codes: how many took part, the spread of bands and what the
    group should work on first, with why it matters and what to do as talking points.

    Each person runs 'nutsec share' after their audit and sends you the code. Paste the codes
    into a text file, one a line. Each audit counts once, however often it was shared. nutsec
    refuses to summarise fewer than 5 people, so that no one's answers can be worked out; it
    never shows names or anyone's own answers. On screen the first page is the whole picture;
    the details follow, one screen at a time.

    \b
    Examples:
      nutsec workshop summary codes.txt
                      the group on screen
      nutsec workshop summary codes.txt --format html -o summary.html
                      a page to print on A4
      nutsec workshop summary may.txt --compare march.txt
                      what changed since the group last met
      nutsec workshop summary codes.txt --date 2026-05-03
                      the day of the session, when the codes were made later
      cat table-*.txt | nutsec workshop summary -
                      codes from standard input
    """
    import shutil

    from nutsec.cli.console import stdout_is_terminal
    from nutsec.paths import check_output_path
    from nutsec.report.output import write_report_file
    from nutsec.workshop.formats import renderer_for
    from nutsec.workshop.summary import GroupPicture, check_min_group
    from nutsec.workshop.summary import compare as compare_sessions

    check_min_group(min_group)
    if output is not None:
        check_output_path(output, inputs=(file, compare))  # never over the codes being read
    session_day = _parse_day(day)
    later = _summary_of(file, min_group, session_day)
    picture = GroupPicture(later)
    if compare is not None:
        earlier = _summary_of(str(compare), min_group, None)
        picture = GroupPicture(later, compare_sessions(earlier, later, str(compare), min_group))
    on_screen = output is None and stdout_is_terminal()
    width = min(shutil.get_terminal_size().columns, 100) if on_screen else 80
    text = renderer_for(format, width=width).render(picture)
    if output is None and on_screen and not no_pager and format is SummaryFormat.TERMINAL:
        _page(text)
    elif output is None:
        typer.echo(text, nl=False)
    else:
        write_report_file(output, text, inputs=(file, compare))
        typer.echo(f"Summary written to {output}", err=True)


def _parse_day(text: str | None) -> date | None:
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise NutsecError(
            f"--date {text!r} is not a date nutsec can read: write it as YYYY-MM-DD, for "
            "example 2026-05-03."
        ) from None


def _summary_of(name: str, min_group: int, day: date | None) -> GroupSummary:
    from nutsec.share.words import shipped_checklist
    from nutsec.workshop.codes import read_codes
    from nutsec.workshop.summary import summarise

    shown = "standard input" if name == "-" else name
    codes = read_codes(_read_text(name, shown), shown)
    checklist = shipped_checklist(codes.checklist_id)
    if checklist is None:
        from nutsec.share.code import shipped_tags

        ships = "; ".join(f"{cid} version {version}" for cid, version in shipped_tags().values())
        raise NutsecError(
            f"{shown}, line {codes.first_line}: the codes are for a checklist (or a version of "
            f"one) that this nutsec does not ship; it has {ships or 'none'}. A summary can only "
            "be made for a checklist that comes with nutsec: use the same nutsec version as the "
            "group, or ask them to update and share again."
        )
    return summarise(codes, checklist, shown, min_group, day)


def _read_text(name: str, shown: str) -> str:
    import sys

    from nutsec.bounded_read import (
        MAX_TEXT_FILE_BYTES,
        FileTooLargeError,
        read_bytes_at_most,
        too_large_text,
    )

    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_TEXT_FILE_BYTES + 1)
            if len(data) > MAX_TEXT_FILE_BYTES:
                raise FileTooLargeError(shown)
        else:
            data = read_bytes_at_most(Path(name))
    except FileTooLargeError:
        raise NutsecError(f"{shown} {too_large_text()}") from None
    except OSError as exc:
        raise NutsecError(f"Cannot read {shown}: {exc.strerror or exc}.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NutsecError(f"{shown} is not a text file of share codes.") from None


def _page(text: str) -> None:
    """One screen at a time through rich's pager (less, or $PAGER), as 'report --full' does."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, markup=False, emoji=False)
    with console.pager():
        console.print(Text(text), end="", soft_wrap=True)
