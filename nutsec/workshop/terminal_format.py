"""The summary as plain text: no colour or boxes, so it reads the same on a projector.

The first screen (80x24) is the whole picture: the day, who took part, the bands and the items
to work on, one line each. Why each matters and what to do follow after it.
"""

from __future__ import annotations

import textwrap

from nutsec.workshop.renderer import SummaryRenderer
from nutsec.workshop.summary import GroupPicture
from nutsec.workshop.view import PictureView, picture_view

#: Lines of the first screen, leaving the last row of a 24-line terminal for the pager.
SCREEN_LINES = 23


class TerminalSummary(SummaryRenderer):
    def __init__(self, width: int = 80) -> None:
        self.width = max(width, 40)

    def render(self, picture: GroupPicture) -> str:
        v = picture_view(picture)
        out = self.screen(v)
        out.append("")
        self._details(out, v)
        return "\n".join(out).rstrip("\n") + "\n"

    def screen(self, v: PictureView) -> list[str]:
        """The first screen: at most SCREEN_LINES lines of at most `width` characters."""
        out: list[str] = []
        self._heading(out, f"Workshop summary: {v.day[0].lower()}{v.day[1:]}")
        self._wrap(out, " ".join(t for t in (v.people, v.repeats) if t))
        self._wrap(out, f"Checklist: {v.checklist}.")
        self._wrap(out, "Anonymous: no names, devices or accounts; only counts of people.")
        out.append("")
        if v.compared:
            self._wrap(
                out,
                "People in each band, last time > now: "
                + ", ".join(f"{band} {before} > {now}" for band, before, now in v.earlier_bands)
                + ".",
            )
        else:
            self._wrap(
                out,
                "People in each band: " + ", ".join(f"{b} {n}" for b, n in v.bands) + ".",
            )
        out.append("")
        out.append("What the group should work on first (most serious first):")
        if not v.points:
            self._wrap(out, v.no_points, indent=2)
        for p in v.points:
            counts = p.counts.split(",")[0].rstrip(".")
            tail = f" ({p.severity}): {counts}"
            room = self.width - 5 - len(tail)
            title = p.title if len(p.title) <= room else p.title[: max(room - 3, 8)] + "..."
            out.append(f"  {p.number}. {title}{tail}"[: self.width])
        out.append("")
        self._wrap(out, "Why each matters, what to do and the full counts follow below.")
        return out[:SCREEN_LINES]

    def _details(self, out: list[str], v: PictureView) -> None:
        self._heading(out, "Details")
        self._wrap(out, v.privacy)
        if v.old_codes:
            self._wrap(out, v.old_codes)
        out.append("")
        self._heading(out, "Where the group stands (people in each band)")
        if v.compared:
            out.append(f"  {'':<16} {'last time':>9}  {'now':>5}")
            out += [f"  {band:<16} {before:>9}  {now:>5}" for band, before, now in v.earlier_bands]
            self._wrap(out, v.earlier_people, indent=2)
        else:
            out += [f"  {band:<16} {count:>3}" for band, count in v.bands]
        out.append("")
        self._heading(out, "What the group should work on first")
        if not v.points:
            self._wrap(out, v.no_points)
        for p in v.points:
            self._wrap(out, f"{p.number}. {p.title} ({p.severity})", indent=0, hang=3)
            self._wrap(out, p.counts, indent=3)
            self._wrap(out, f"Why it matters: {p.why}", indent=3)
            self._wrap(out, f"What to do: {p.fix}", indent=3)
            out.append("")
        if v.compared or v.withheld:
            self._heading(out, "What changed since last time")
            self._wrap(out, v.withheld)
            for c in v.changes if v.compared else ():
                self._wrap(out, f"- {c.title}", hang=2)
                self._wrap(out, f"last time {c.earlier}; now {c.later}: {c.direction}.", indent=2)
            out.append("")

    def _heading(self, out: list[str], title: str) -> None:
        self._wrap(out, title)
        out.append("=" * min(len(title), self.width))

    def _wrap(self, out: list[str], text: str, indent: int = 0, hang: int | None = None) -> None:
        if not text:
            return
        out += textwrap.wrap(
            text,
            self.width,
            initial_indent=" " * indent,
            subsequent_indent=" " * (indent if hang is None else hang),
            break_on_hyphens=False,
        )
