"""The summary as JSON (schema nutsec.workshop/1): counts for other programs, nothing else."""

from __future__ import annotations

import json
from typing import Any

from nutsec import __version__
from nutsec.workshop.renderer import SummaryRenderer
from nutsec.workshop.summary import GroupPicture, GroupSummary, ItemNeed

SCHEMA = "nutsec.workshop/1"


class JsonSummary(SummaryRenderer):
    def render(self, picture: GroupPicture) -> str:
        s = picture.summary
        data: dict[str, Any] = {"schema": SCHEMA, "tool_version": __version__}
        data.update(_summary(s))
        data["top"] = [
            dict(_counts(n), why=n.item.why, fix=n.item.fix, action=n.item.action_in_general)
            for n in s.top
        ]
        data["compare"] = None
        if picture.comparison is not None and picture.comparison.withheld:
            data["compare"] = {"withheld": picture.comparison.withheld}
        elif picture.comparison is not None:
            c = picture.comparison
            data["compare"] = {
                "earlier": _summary(c.earlier),
                "changes": [
                    {"id": ch.item.id, "earlier": _counts(ch.earlier), "later": _counts(ch.later)}
                    for ch in c.changes
                ],
            }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _summary(s: GroupSummary) -> dict[str, Any]:
    return {
        "checklist": {
            "id": s.checklist_id,
            "title": s.checklist_title,
            "version": s.checklist_version,
        },
        "date": s.day.isoformat() if s.day else None,
        "people": s.people,
        "repeated_codes": s.repeats,
        "old_codes": s.old_codes,
        "bands": [{"band": band.value, "people": count} for band, count in s.bands],
        "items": [_counts(n) for n in s.items],
    }


def _counts(n: ItemNeed) -> dict[str, Any]:
    return {
        "id": n.item.id,
        "question": n.item.question,
        "severity": n.item.severity.value,
        "not_done": n.not_done,
        "partly": n.partly,
        "not_checked": n.not_checked,
        "done": n.done,
        "not_asked": n.not_asked,
    }
