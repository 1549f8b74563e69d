"""The export audit on screen: the summary, then what to change first, readable at 80 columns.

Text from the export only ever goes into rich `Text` objects (never markup), after its control
characters were turned into codes by the view. Plain output has no colour and no box drawing.
"""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

from nutsec.exports.checks import ExportAudit
from nutsec.exports.renderers import AuditRenderer
from nutsec.exports.view import AuditView, EntryView, audit_view

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

LEVEL_STYLE = {"strong": "green", "fair": "yellow", "weak": "red", "breached": "bold red"}
INDENT = 4


class TerminalAuditRenderer(AuditRenderer):
    """`plain`: no colour, no boxes. `color`: ANSI colours (only for a real terminal)."""

    def __init__(self, *, plain: bool = False, color: bool = False, width: int = 80) -> None:
        self.plain = plain
        self.color = color and not plain
        self.width = width

    def render(self, audit: ExportAudit) -> str:
        from rich.console import Console

        out = StringIO()
        console = Console(
            file=out,
            width=self.width,
            force_terminal=self.color,
            color_system="standard" if self.color else None,
            no_color=not self.color,
            highlight=False,
            emoji=False,
            markup=False,
            safe_box=True,
            soft_wrap=False,
        )
        _Page(console, self.plain).show(audit_view(audit))
        # Rich pads wrapped lines and grid cells to the full width: no trailing blanks.
        return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())


class _Page:
    def __init__(self, console: Console, plain: bool) -> None:
        self.console = console
        self.plain = plain

    def print(self, renderable: RenderableType = "") -> None:
        self.console.print(renderable)

    def heading(self, title: str) -> None:
        self.print()
        if self.plain:
            self.print(_text(title))
        else:
            self.console.rule(_text(title, "bold"), align="left", style="dim")

    def show(self, v: AuditView) -> None:
        self.print(_text(v.title, "bold"))
        self.print(_text(f"{v.file_name}, a {v.source_title} export. nutsec {v.tool_version}."))
        self.print()
        for number, line in enumerate(v.counts):
            self.print(_text(line, "bold") if number == 0 else _numbered("", _text(line)))
        for note in v.notes:
            self.print(_text(note))
        if v.to_fix:
            self.heading("Change these first")
            for number, entry in enumerate(v.to_fix, start=1):
                self.print(_numbered(number, *self.entry(entry)))
        if v.fine:
            self.heading("These look fine")
            for entry in v.fine:
                self.print(_numbered("-", *self.entry(entry)))
        self.print()
        self.print(_text(v.no_secrets))

    def entry(self, e: EntryView) -> list[RenderableType]:
        title = _text("")
        title.append(f"{e.level_word}: ", style=LEVEL_STYLE.get(e.level, ""))
        title.append(e.name, style="bold")
        if e.username:
            title.append(f" – {e.username}")
        where = f"{e.site}, line {e.line}" if e.site else f"line {e.line}"
        lines: list[RenderableType] = [title, _text(where, "dim")]
        lines += [_text(problem) for problem in e.problems]
        lines += [_text(f"What to do: {advice}") for advice in e.advice]
        return lines


def _text(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(text, style=style)


def _numbered(mark: int | str, *lines: RenderableType) -> RenderableType:
    """'1. ' (or '- ') then the lines, wrapped lines hanging under the first: a grid, no box."""
    from rich.console import Group
    from rich.table import Table

    grid = Table.grid()
    grid.add_column(width=INDENT, no_wrap=True)
    grid.add_column()
    label = f"{mark}." if isinstance(mark, int) else mark
    grid.add_row(_text(label), Group(*lines))
    return grid
