"""The summary as Markdown: every checklist text escaped, like the report's Markdown."""

from __future__ import annotations

from nutsec.report.markdown_format import markdown_text
from nutsec.workshop.renderer import SummaryRenderer
from nutsec.workshop.summary import GroupPicture
from nutsec.workshop.view import picture_view


class MarkdownSummary(SummaryRenderer):
    def render(self, picture: GroupPicture) -> str:
        v = picture_view(picture)
        t = markdown_text
        out = ["# Workshop summary", "", f"{t(v.day)}.", ""]
        out += [t(v.people + (" " + v.repeats if v.repeats else ""))]
        out += ["", f"Checklist: {t(v.checklist)}.", "", f"*{t(v.privacy)}*", ""]
        if v.old_codes:
            out += [t(v.old_codes), ""]
        out += ["## Where the group stands", ""]
        if v.compared:
            out += ["| band | last time | now |", "| --- | ---: | ---: |"]
            out += [f"| {t(b)} | {before} | {now} |" for b, before, now in v.earlier_bands]
            out += ["", t(v.earlier_people)]
        else:
            out += ["| band | people |", "| --- | ---: |"]
            out += [f"| {t(b)} | {count} |" for b, count in v.bands]
        out += ["", "## What the group should work on first", ""]
        if not v.points:
            out += [t(v.no_points), ""]
        for p in v.points:
            out += [f"{p.number}. **{t(p.title)}** ({t(p.severity)})  "]
            out += [f"   {t(p.counts)}  ", f"   *Why it matters:* {t(p.why)}  "]
            out += [f"   *What to do:* {t(p.fix)}", ""]
        if v.withheld:
            out += ["## What changed since last time", "", t(v.withheld), ""]
        if v.compared:
            out += ["## What changed since last time", ""]
            out += [
                f"- **{t(c.title)}**: last time {t(c.earlier)}; now {t(c.later)}: {t(c.direction)}."
                for c in v.changes
            ]
            out += [""]
        out += [f"Made with nutsec {t(v.tool_version)}.", ""]
        return "\n".join(out)
