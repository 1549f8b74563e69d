"""The JSON report, schema `nutsec.report/2` (docs/report-format.md).

Version 2 changed what an action is (one per problem, merged duplicates) and so bumped the schema,
keeping every version 1 key with its type: a `/1` reader still works. Keys are only ever added.
"""

from __future__ import annotations

import json
from typing import Any

from nutsec.actions import START_HERE
from nutsec.audit_data import PasswordFindings
from nutsec.report.model import Report
from nutsec.report.progress import Progress
from nutsec.report.renderer import ReportRenderer
from nutsec.scoring import points

SCHEMA = "nutsec.report/2"


class JsonRenderer(ReportRenderer):
    def render(self, report: Report) -> str:
        # ASCII only: a saved name holding C1 or bidi control characters (JSON leaves those
        # unescaped) stays an escape code (\u009b) when the JSON is shown on a screen.
        return json.dumps(report_json(report), indent=2, ensure_ascii=True) + "\n"


def report_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data, in the documented shape."""
    return {
        "schema": SCHEMA,
        "tool_version": report.tool_version,
        "audit_id": report.audit_id,
        "created_at": report.created_at.isoformat(),
        "finished_at": report.finished_at.isoformat() if report.finished_at else None,
        "finished": report.finished,
        "questions_to_come": report.questions_to_come,
        "checklist": {
            "id": report.checklist_id,
            "title": report.checklist_title,
            "version": report.checklist_version,
        },
        "score": {
            "scored": report.scored,
            "overall": report.overall if report.scored else None,
            "band": report.band.value,
            "capped": report.capped,
            "earned": points(report.earned),
            "possible": report.possible,
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "score": s.score,
                    "earned": points(s.earned),
                    "possible": s.possible,
                    "counted": s.counted,
                    "left_out": s.left_out,
                    "how": s.how,
                }
                for s in report.sections
            ],
        },
        "items": [
            {
                "id": i.id,
                "section": i.section_id,
                "scope": i.scope.value,
                "subject": i.subject,
                "status": i.status.value,
                "severity": i.severity.value,
                "weight": i.weight,
                "question": i.question,
                "answer": i.answer,
            }
            for i in report.items
        ],
        "devices": [{"name": d.name, "kind": d.kind} for d in report.devices],
        "accounts": [
            {
                "name": a.account.name,
                "platform": a.account.platform,
                "password": _password(a.password),
            }
            for a in report.accounts
        ],
        "prepared_for": report.prepared_for,
        "actions": [
            {
                "priority": a.priority,
                "item": a.item_id,
                "subject": a.subject,
                "text": a.text,
                "title": a.title,
                "severity": a.severity.value,
                "weight": a.weight,
                "status": a.status.value,
                "action": a.headline,
                "why": a.why,
                "minutes": a.minutes,
                "effort": a.effort,
                "group": a.group.value,
                "start_here": a.priority <= START_HERE,
                "subjects": list(a.subjects),
                "problems": [
                    {"item": p.item_id, "subject": p.subject, "status": p.status.value}
                    for p in a.problems
                ],
            }
            for a in report.actions
        ],
        "progress": _progress(report.progress),
        "not_verified": [
            {"item": n.item_id, "subject": n.subject, "reason": n.reason}
            for n in report.not_verified
        ],
        "skipped": [
            {"item": i.id, "subject": i.subject, "question": i.question} for i in report.skipped
        ],
        "overrides": [
            {
                "item": o.item_id,
                "subject": o.subject,
                "answered": o.answered,
                "measured": o.measured,
                "reason": o.reason,
            }
            for o in report.overrides
        ],
        "lost_device_card": {
            "title": report.lost_device_card.title,
            "intro": report.lost_device_card.intro,
            "steps": [
                {
                    "number": step.number,
                    "kind": step.kind.value,
                    "title": step.title,
                    "detail": step.detail,
                    "subject": step.subject,
                    "hints": list(step.hints),
                }
                for step in report.lost_device_card.steps
            ],
            "contacts": list(report.lost_device_card.contacts),
            "lock_screen": report.lost_device_card.lock_screen,
            "warnings": list(report.lost_device_card.warnings),
        },
    }


def _progress(progress: Progress | None) -> dict[str, Any] | None:
    if progress is None:
        return None
    return {
        "since": progress.since.isoformat(),
        "since_audit_id": progress.since_id,
        "score_before": progress.score_before,
        "score_now": progress.score_now,
        "fixed": list(progress.fixed),
        "new": list(progress.new),
    }


def _password(findings: PasswordFindings | None) -> dict[str, Any] | None:
    if findings is None:
        return None
    return {
        "strength": {
            **findings.strength.to_json(),
            "rating": findings.strength.rating,
            "truncated": findings.strength.truncated,
        },
        "breach": findings.breach.to_json(),
        "reused_with": list(findings.reused_with),
        "similar_to": list(findings.similar_to),
        "reuse": {
            "status": "unknown" if findings.reuse_unknown else "checked",
            "reason": findings.reuse_unknown,
        },
        "unchanged_since": (
            findings.unchanged_since.date().isoformat() if findings.unchanged_since else None
        ),
    }
