"""The summary as plain text: no colour or boxes, so it reads the same on a projector."""

from __future__ import annotations

import textwrap

from nutsec.workshop.renderer import SummaryRenderer
from nutsec.workshop.summary import GroupPicture
from nutsec.workshop.view import picture_view


class TerminalSummary(SummaryRenderer):
    def __init__(self, width: int = 80) -> None:
        self.width = max(width, 40)

    def render(self, picture: GroupPicture) -> str:
        v = picture_view(picture)
        out: list[str] = []
        self._heading(out, "Workshop summary")
        self._wrap(out, v.people + (" " + v.repeats if v.repeats else ""))
        self._wrap(out, f"Checklist: {v.checklist}.")
        self._wrap(out, v.privacy)
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
        if v.compared:
            self._heading(out, "What changed since last time")
            for c in v.changes:
                self._wrap(out, f"- {c.title}", hang=2)
                self._wrap(out, f"last time {c.earlier}; now {c.later}: {c.direction}.", indent=2)
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"

    def _heading(self, out: list[str], title: str) -> None:
        out += [title, "=" * min(len(title), self.width)]

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
