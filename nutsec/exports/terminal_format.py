"""The export audit on screen: the summary, then what to change first, readable at 80 columns.

Text from the export only ever goes into rich `Text` objects (never markup), after its control
characters were turned into codes by the view. Plain output has no colour and no box drawing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nutsec.exports.checks import ExportAudit
from nutsec.exports.renderer import AuditRenderer
from nutsec.exports.view import AuditView, EntryView, audit_view
from nutsec.report.terminal_page import Page, numbered, render_page, text

if TYPE_CHECKING:
    from rich.console import RenderableType

LEVEL_STYLE = {"strong": "green", "fair": "yellow", "weak": "red", "breached": "bold red"}


class TerminalAuditRenderer(AuditRenderer):
    """`plain`: no colour, no boxes. `color`: ANSI colours (only for a real terminal)."""

    def __init__(self, *, plain: bool = False, color: bool = False, width: int = 80) -> None:
        self.plain = plain
        self.color = color and not plain
        self.width = width

    def render(self, audit: ExportAudit) -> str:
        view = audit_view(audit)
        return render_page(
            lambda console: _Page(console, self.plain).show(view),
            color=self.color,
            width=self.width,
        )


class _Page(Page):
    def show(self, v: AuditView) -> None:
        self.print(text(v.title, "bold"))
        self.print(text(f"{v.file_name}, {v.source_phrase}. nutsec {v.tool_version}."))
        self.print()
        for number, line in enumerate(v.counts):
            self.print(text(line, "bold") if number == 0 else numbered("", text(line)))
        for note in v.notes:
            self.print(text(note))
        if v.to_fix:
            self.heading("Change these first")
            for number, entry in enumerate(v.to_fix, start=1):
                self.print(numbered(number, *self.entry(entry)))
        if v.fine:
            self.heading(v.fine_heading)
            for entry in v.fine:
                self.print(numbered("-", *self.entry(entry)))
        self.print()
        if v.two_step_source:
            self.print(text(v.two_step_source, "dim"))
        if v.passkey_source:
            self.print(text(v.passkey_source, "dim"))
        self.print(text(v.no_secrets))

    def entry(self, e: EntryView) -> list[RenderableType]:
        title = text("")
        title.append(f"{e.level_word}: ", style=LEVEL_STYLE.get(e.level, ""))
        title.append(e.name, style="bold")
        if e.username:
            title.append(f" – {e.username}")
        where = f"{e.site}, {e.position}" if e.site else e.position
        lines: list[RenderableType] = [title, text(where, "dim")]
        lines += [text(problem) for problem in e.problems]
        if e.two_step:
            lines.append(text(e.two_step))
        if e.two_step_link:
            lines.append(text(f"How: {e.two_step_link}", "dim"))
        if e.passkey:
            lines.append(text(e.passkey))
        if e.passkey_link:
            lines.append(text(f"How: {e.passkey_link}", "dim"))
        if e.advice:
            lines.append(text("What to do: " + " ".join(e.advice)))
        return lines
