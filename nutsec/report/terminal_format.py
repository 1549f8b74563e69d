"""The report on screen: rich and readable at 80 columns, or plain text for screen readers.

User-entered text only ever goes into rich `Text` objects, so `[red]` in a name is shown as typed,
never read as markup. Plain output has no colour and no box drawing: headings are words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from nutsec.report.model import Report
from nutsec.report.renderer import ReportRenderer
from nutsec.report.terminal_page import (
    INDENT,
    Page,
    numbered,
    render_page,
    text,
)
from nutsec.report.view import ActionRow, ReportView, report_view

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


class ReportPart(StrEnum):
    """The parts of the report page, for callers that show one part at a time (`nutsec demo`)."""

    SCORE = "score"
    ACTIONS = "actions"
    SECTIONS = "sections"
    INVENTORY = "inventory"
    NOT_VERIFIED = "not_verified"
    CARD = "card"


#: The summary fits a terminal of this many lines, with one left for the prompt after it.
SCREEN_LINES = 24


class TerminalRenderer(ReportRenderer):
    """`plain`: no colour, no boxes. `color`: ANSI colours (only for a real terminal).
    `full`: everything; otherwise a summary that fits one 80x24 screen."""

    def __init__(
        self,
        *,
        plain: bool = False,
        color: bool = False,
        width: int = 80,
        full: bool = True,
        command: str = "nutsec",
    ) -> None:
        self.plain = plain
        self.color = color and not plain
        self.width = width
        self.full = full
        self.command = command  # how the person starts nutsec here, for the commands shown

    def render(self, report: Report) -> str:
        if self.full:
            return self._render(report, lambda page, view: page.show(view))
        # Start here with its whys if that fits one screen, else the three actions alone.
        summary = self._render(report, lambda page, view: page.summary(view, whys=True))
        if summary.count("\n") < SCREEN_LINES:
            return summary
        return self._render(report, lambda page, view: page.summary(view, whys=False))

    def render_parts(self, report: Report, parts: Sequence[ReportPart]) -> str:
        """Only `parts` of the page, in the order given, worded and laid out as in `render`."""

        def show(page: _Page, view: ReportView) -> None:
            for part in parts:
                page.part(part, view)

        return self._render(report, show)

    def _render(self, report: Report, show: Callable[[_Page, ReportView], None]) -> str:
        view = report_view(report)
        return render_page(
            lambda console: show(_Page(console, self.plain, self.command), view),
            color=self.color,
            width=self.width,
        )


class _Page(Page):
    def __init__(self, console: Console, plain: bool, command: str) -> None:
        super().__init__(console, plain)
        self.command = command

    def show(self, r: ReportView) -> None:
        self.header(r)
        self.score(r)
        self.actions(r)
        self.progress(r)
        self.sections(r)
        self.inventory(r)
        self.overridden(r)
        self.card(r)
        self.print()
        self.print(text("No password, hash or username is in this report."))

    def summary(self, r: ReportView, *, whys: bool) -> None:
        """One screen: who and when, the score, Start here, what changed, what to run next."""
        number = f" · audit {r.audit_id}" if r.audit_id is not None else ""
        unfinished = " (not finished)" if not r.finished else ""
        self.print(text(f"Your account-security plan · {r.date}{unfinished}{number}", "bold"))
        if r.prepared_for:
            self.print(text(f"Prepared for: {r.prepared_for}"))
        line = text(f"Your score: {r.score_text}", "bold")
        self.print()
        self.print(line)
        self.print(text(r.band_meaning + (f" {r.capped}" if r.capped else "")))
        if r.part_note:
            self.print(text(r.part_note))
        if r.coverage_short:
            self.print(text(r.coverage_short))
        self.heading("Start here")
        if not r.start_here:
            self.print(text(r.nothing_to_fix))
        for a in r.start_here:
            lines = [self._headline(a)]
            if whys:
                lines.append(text(f"Why: {a.why}"))
            self.print(numbered(a.priority, *lines))
        if r.progress:
            self.print()
            self.print(text(r.progress.summary))
        self.print()
        more = len(r.actions) - len(r.start_here)
        lead = (
            f"{more} more things to do, " if more > 1 else "One more thing to do, " if more else ""
        )
        self.print(text(f"{lead}the steps and the lost-device card:".capitalize()))
        # Commands are never broken across lines: they must copy and paste whole.
        self.print_command(f"  {self.command} report --full")
        self.print_command(
            f"To print: {self.command} report --format html --name 'Your name' -o report.html"
        )

    def _headline(self, a: ActionRow) -> Text:
        line = text(a.headline, "bold")
        if a.effort:
            line.append(f" ({a.effort})")
        return line

    def part(self, part: ReportPart, r: ReportView) -> None:
        shows: dict[ReportPart, Callable[[ReportView], None]] = {
            ReportPart.SCORE: self.score,
            ReportPart.ACTIONS: self.actions,
            ReportPart.SECTIONS: self.sections,
            ReportPart.INVENTORY: self.inventory,
            ReportPart.NOT_VERIFIED: self.not_verified,
            ReportPart.CARD: self.card,
        }
        shows[part](r)

    def header(self, r: ReportView) -> None:
        unfinished = " (not finished)" if not r.finished else ""
        number = f", audit {r.audit_id}" if r.audit_id is not None else ""
        self.print(text("Your account-security audit", "bold"))
        self.print(text(f"{r.date}{unfinished}{number}"))
        self.print(
            text(
                f"Checklist: {r.checklist_title} ({r.checklist_id}, version "
                f"{r.checklist_version}). nutsec {r.tool_version}."
            )
        )

    def score(self, r: ReportView) -> None:
        from rich.text import Text

        lines = Text()
        lines.append(f"Your score: {r.score_text}", style="bold")
        lines.append(f"\n{r.band_meaning}")
        if r.part_note:
            lines.append(f"\n{r.part_note}")
        if r.capped:
            lines.append(f"\n{r.capped}")
        lines.append(
            f"\nYou earned {r.points} your answers could earn (a question is worth"
            " more points the more it matters)."
        )
        if r.coverage:
            lines.append(f"\n{r.coverage}")
        self.print()
        if self.plain:
            self.print(lines)
        else:
            from rich.panel import Panel

            self.print(Panel(lines, expand=False, padding=(0, 2)))

    def actions(self, r: ReportView) -> None:
        self.heading("Start here")
        if not r.actions:
            self.print(text(r.nothing_to_fix))
        for a in r.start_here:
            self.print(numbered(a.priority, self._headline(a), text(f"Why: {a.why}"), text(a.text)))
        if r.groups:
            self.heading("The rest of your plan")
        for g in r.groups:
            self.print()
            self.print(text(g.title, "bold underline" if not self.plain else ""))
            for index, a in enumerate(g.actions, start=1):
                self.print(numbered(index, self._headline(a), text(a.text)))

    def progress(self, r: ReportView) -> None:
        if not r.progress:
            return
        self.heading(f"Since your audit of {r.progress.since}")
        self.print(text(r.progress.score))
        for f in r.progress.fixed:
            self.print(numbered("-", text(f"Fixed since {r.progress.since}: {f}")))
        for n in r.progress.new:
            self.print(numbered("-", text(f"New since {r.progress.since}: {n}")))

    def sections(self, r: ReportView) -> None:
        self.heading("How the score was worked out")
        self.print(
            text(
                "Each answer earns its item's points: all of them for yes, half for partly, none "
                "for no. Skipped, not applicable and not checked answers are left out."
            )
        )
        for s in r.sections:
            line = text(f"{s.title}: ", "bold")
            line.append(s.score)
            self.print(line)
            self.print(text(s.how), INDENT)
        if r.skipped:
            self.print()
            self.print(text("Questions you skipped (not in the score):", "bold"))
            for q in r.skipped:
                subject = f"{q.subject}: " if q.subject else ""
                self.print(numbered("-", text(f"{subject}{q.question}")))

    def inventory(self, r: ReportView) -> None:
        self.heading("Your devices")
        if not r.devices:
            self.print(text("No devices were listed."))
        for d in r.devices:
            self.print(text(f"{d.name} ({d.kind})"))
        self.heading("Your accounts")
        self.print(text("No password, or any part of one, is shown: only what nutsec found."))
        if not r.accounts:
            self.print(text("No accounts were listed."))
        for a in r.accounts:
            self.print(text(f"{a.name} – {a.platform}" if a.platform else a.name, "bold"))
            if not a.checked:
                self.print(text("Password not checked."), INDENT)
                continue
            self.print(text(f"Strength: {a.strength}"), INDENT)
            self.print(text(f"Breaches: {a.breach}"), INDENT)
            if a.reused_with:
                self.print(text(f"Same password as: {', '.join(a.reused_with)}"), INDENT)
            if a.similar_to:
                self.print(text(f"Similar password to: {', '.join(a.similar_to)}"), INDENT)

    def not_verified(self, r: ReportView) -> None:
        if r.not_verified:
            self.heading("Not checked")
            self.print(text("nutsec could not check these, so they are not counted as safe."))
            for n in r.not_verified:
                subject = f"{n.subject}: " if n.subject else ""
                self.print(numbered("-", text(f"{subject}{n.question} {n.reason}.")))

    def overridden(self, r: ReportView) -> None:
        """Self-reports a measurement contradicted: the measurement is what was scored."""
        if r.overridden:
            self.heading("Answers nutsec's checks overrode")
            for n in r.overridden:
                subject = f"{n.subject}: " if n.subject else ""
                self.print(numbered("-", text(f"{subject}{n.question} {n.reason}")))

    def card(self, r: ReportView) -> None:
        from rich.console import Group

        parts: list[RenderableType] = [text(r.card.intro)]
        parts += [text(f"Warning: {w}", "bold") for w in r.card.warnings]
        if r.card.contacts:
            parts.append(text(f"{r.card.contacts_title}:"))
            parts += [numbered("-", text(f"{c}: ________________")) for c in r.card.contacts]
            parts.append(text(f"{r.card.lock_screen} ________________"))
        for step in r.card.steps:
            hints = [numbered("-", text(hint)) for hint in step.hints]
            parts.append(numbered(step.number, text(step.title, "bold"), text(step.detail), *hints))
        if self.plain:
            self.heading(r.card.title)
            for part in parts:
                self.print(part)
        else:
            from rich.panel import Panel

            self.print()
            title = text(r.card.title, "bold")
            self.print(Panel(Group(*parts), title=title, title_align="left", padding=(0, 1)))
