"""What to fix first: one action per failed, partial or unverified item, most important first.

The ordering rule is documented in docs/report-format.md ("actions") and tested by tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from nutsec.audit.outcomes import Question, audit_outcomes
from nutsec.audit_data import Audit
from nutsec.checklist.model import ItemStatus, Severity
from nutsec.scoring import ItemOutcome

#: Within one severity: what failed comes first, then what is half done, then what is unknown.
STATUS_ORDER: dict[ItemStatus, int] = {
    ItemStatus.FAIL: 0,
    ItemStatus.PARTIAL: 1,
    ItemStatus.UNKNOWN: 2,
}

BREACH_CHECK = "password.breached"
REUSE_CHECK = "password.reused"


@dataclass(frozen=True)
class Action:
    """One thing to do, for one item and subject (device or account name; None for the person)."""

    priority: int  # 1 is the most important
    item_id: str
    subject: str | None
    severity: Severity
    weight: int
    status: ItemStatus  # fail, partial or unknown
    title: str  # the item's question, as the person saw it
    text: str  # what to do


def prioritise_actions(audit: Audit) -> list[Action]:
    """The action plan: by severity (unknowns one level lower), status, weight, then walk order."""
    ranked: list[tuple[tuple[int, int, int, int], Question, ItemOutcome]] = []
    for index, (question, outcome) in enumerate(audit_outcomes(audit)):
        order = STATUS_ORDER.get(outcome.status)
        if order is None:
            continue
        # Not known to be wrong: an unknown ranks one level below its severity, so the things
        # that are known to be wrong come first (a critical unknown still beats medium failures).
        level = outcome.severity.rank + (1 if outcome.status is ItemStatus.UNKNOWN else 0)
        key = (level, order, -outcome.weight, index)
        ranked.append((key, question, outcome))
    ranked.sort(key=lambda entry: entry[0])
    return [
        Action(
            priority=number,
            item_id=outcome.item_id,
            subject=outcome.subject,
            severity=outcome.severity,
            weight=outcome.weight,
            status=outcome.status,
            title=question.item.question,
            text=_text(audit, question, outcome),
        )
        for number, (_, question, outcome) in enumerate(ranked, start=1)
    ]


def _text(audit: Audit, question: Question, outcome: ItemOutcome) -> str:
    if outcome.status is not ItemStatus.UNKNOWN:
        return question.item.fix
    if outcome.item_id == BREACH_CHECK and outcome.subject is not None:
        findings = audit.passwords.get(outcome.subject)
        reason = findings.breach.reason if findings else None
        why = f" ({reason})" if reason else ""
        return (
            f"This password could not be checked against known breaches{why}, so it is not "
            "counted as safe. When you are online, check it with 'nutsec password check'."
        )
    if outcome.item_id == REUSE_CHECK:
        return (
            "This password was not compared with the ones you checked at another sitting, so it "
            "is not counted as used only here. Check your passwords again in one sitting; "
            "'nutsec config keyring-status' says why nutsec could not keep what it needed."
        )
    return "This could not be checked, so it is not counted as safe. Check it again later."
