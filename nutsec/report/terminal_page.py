"""What every on-screen page (the report, the export audit) shares: one console set-up, plain
headings, hanging-indent lists, and no trailing blanks. User text only ever goes into `Text`.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

#: Width of the number column in numbered lists ("12. ").
INDENT = 4


def render_page(draw: Callable[[Console], None], *, color: bool, width: int) -> str:
    """Run `draw` on a console that never reads markup; its text, with no trailing blanks."""
    from rich.console import Console

    out = StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
        safe_box=True,
        soft_wrap=False,
    )
    draw(console)
    # Rich pads wrapped lines and grid cells to the full width; trailing spaces only get in the
    # way of screen readers, copying and diffs.
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())


class Page:
    """A console plus the plain/rich choice: headings are words when plain, rules otherwise."""

    def __init__(self, console: Console, plain: bool) -> None:
        self.console = console
        self.plain = plain

    def print(self, renderable: RenderableType = "", indent: int = 0) -> None:
        from rich.padding import Padding

        if indent:
            renderable = Padding(renderable, (0, 0, 0, indent), expand=False)
        self.console.print(renderable)

    def print_command(self, line: str) -> None:
        """A line holding a command: never wrapped or cut, so it copies and pastes whole."""
        from rich.text import Text

        self.console.print(Text(line), no_wrap=True, overflow="ignore", crop=False)

    def heading(self, title: str) -> None:
        self.print()
        if self.plain:
            self.print(text(title))
        else:
            self.console.rule(text(title, "bold"), align="left", style="dim")


def text(value: str, style: str = "") -> Text:
    """User or report text, never read as markup."""
    from rich.text import Text

    return Text(value, style=style)


def numbered(mark: int | str, *lines: RenderableType) -> RenderableType:
    """'1. ' (or '- ') then the lines, wrapped lines hanging under the first: a grid, no box."""
    from rich.console import Group
    from rich.table import Table

    grid = Table.grid()
    grid.add_column(width=INDENT, no_wrap=True)
    grid.add_column()
    label = f"{mark}." if isinstance(mark, int) else mark
    grid.add_row(text(label), Group(*lines))
    return grid
