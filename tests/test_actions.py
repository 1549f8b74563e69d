"""The action plan: critical failures first, then severity, fail before partial, then weight."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nutsec.actions import prioritise_actions
from nutsec.audit_data import Account, Audit, Device, PasswordFindings
from nutsec.breach.model import BreachResult
from nutsec.checklist.loader import load_checklist_text
from nutsec.checklist.model import ItemStatus, Severity
from nutsec.passwords.strength import StrengthResult

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def item(item_id: str, severity: str, weight: int, scope: str = "person") -> str:
    return f"""
[[sections.items]]
id = "{item_id}"
scope = "{scope}"
question = "Question {item_id}?"
why = "Why {item_id}."
fix = "Fix {item_id}."
severity = "{severity}"
weight = {weight}
answers = {{ yes = "pass", partly = "partial", no = "fail", na = "not_applicable" }}
"""


# Checklist order: a, b, c, d, e, f, g (then the per-account items).
CHECKLIST = load_checklist_text(
    'id = "t"\ntitle = "T"\nversion = "1"\n'
    '[[sections]]\nid = "one"\ntitle = "One"\n'
    + item("a", "low", 5)
    + item("b", "high", 2)
    + item("c", "critical", 1)
    + item("d", "high", 4)
    + item("e", "medium", 3)
    + '[[sections]]\nid = "two"\ntitle = "Two"\n'
    + item("f", "critical", 5)
    + item("g", "high", 4)
    + item("dev", "medium", 2, "device"),
    "test",
)


def plan(answers: dict[str, str], **extra: object) -> list[tuple[str, str | None]]:
    audit = Audit(
        checklist=CHECKLIST,
        created_at=NOW,
        answers={(k, None): v for k, v in answers.items()},
        **extra,  # type: ignore[arg-type]
    )
    actions = prioritise_actions(audit)
    assert [a.priority for a in actions] == list(range(1, len(actions) + 1))
    return [(a.item_id, a.subject) for a in actions]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # everything passes or does not apply: nothing to do
        ({"a": "yes", "b": "yes", "c": "na", "d": "yes"}, []),
        # skipped items are not actions (they are not known to be wrong)
        ({}, []),
        # a critical failure of weight 1 beats a high failure of weight 4
        ({"c": "no", "d": "no"}, ["c", "d"]),
        # severity before weight: high (2) before medium (3) before low (5)
        ({"a": "no", "b": "no", "e": "no"}, ["b", "e", "a"]),
        # within one severity, fail before partial even when the partial weighs more
        ({"d": "partly", "b": "no"}, ["b", "d"]),
        # same severity and status: heavier first
        ({"b": "no", "d": "no"}, ["d", "b"]),
        # same severity, status and weight: checklist order
        ({"g": "no", "d": "no"}, ["d", "g"]),
        # a critical partial still comes before a high failure
        ({"f": "partly", "b": "no"}, ["f", "b"]),
        # critical failures first, heavier first among them
        ({"a": "no", "c": "no", "f": "no", "b": "partly"}, ["f", "c", "b", "a"]),
    ],
)
def test_actions_are_ordered_by_the_documented_rule(
    answers: dict[str, str], expected: list[str]
) -> None:
    assert plan(answers) == [(i, None) for i in expected]


def strength(rating: str) -> StrengthResult:
    return StrengthResult(1, "minutes", "", (), rating)  # type: ignore[arg-type]


def test_per_device_items_come_in_inventory_order_within_their_level() -> None:
    devices = (Device("Phone", "phone"), Device("Laptop", "laptop"))
    audit = Audit(
        checklist=CHECKLIST,
        created_at=NOW,
        devices=devices,
        answers={("dev", "Phone"): "no", ("dev", "Laptop"): "no", ("e", None): "no"},
    )
    assert [(a.item_id, a.subject) for a in prioritise_actions(audit)] == [
        ("e", None),
        ("dev", "Phone"),
        ("dev", "Laptop"),
    ]


def test_a_breached_password_is_a_critical_first_action() -> None:
    accounts = (Account("Mail", "email"), Account("Twitter", "twitter"))
    passwords = {
        "Mail": PasswordFindings(strength("fair"), BreachResult.not_found()),
        "Twitter": PasswordFindings(strength("weak"), BreachResult.found(9), ("Mail",)),
    }
    got = plan({"c": "no", "b": "no"}, accounts=accounts, passwords=passwords)
    assert got == [
        ("password.breached", "Twitter"),  # critical, weight 5
        ("password.reused", "Twitter"),  # critical, weight 4
        ("c", None),  # critical, weight 1
        ("password.strength", "Twitter"),  # high fail, weight 3
        ("b", None),  # high fail, weight 2
        ("password.strength", "Mail"),  # high partial
    ]


def test_an_unchecked_breach_ranks_one_level_below_its_severity() -> None:
    accounts = (Account("Twitter", "twitter"),)
    passwords = {"Twitter": PasswordFindings(strength("strong"), BreachResult.unknown("offline"))}
    audit = Audit(
        checklist=CHECKLIST,
        created_at=NOW,
        accounts=accounts,
        passwords=passwords,
        answers={("c", None): "no", ("f", None): "partly", ("d", None): "no"},
    )
    actions = prioritise_actions(audit)
    assert [(a.item_id, a.status) for a in actions] == [
        ("c", ItemStatus.FAIL),
        ("f", ItemStatus.PARTIAL),
        ("d", ItemStatus.FAIL),
        ("password.breached", ItemStatus.UNKNOWN),
    ]
    unknown = actions[3]
    assert unknown.severity is Severity.CRITICAL and unknown.subject == "Twitter"
    assert "(offline)" in unknown.text and "not counted as safe" in unknown.text


def test_an_action_says_what_to_do_in_the_items_own_words() -> None:
    audit = Audit(checklist=CHECKLIST, created_at=NOW, answers={("d", None): "partly"})
    (action,) = prioritise_actions(audit)
    assert (action.title, action.text) == ("Question d?", "Fix d.")
    assert (action.severity, action.weight, action.status) == (Severity.HIGH, 4, ItemStatus.PARTIAL)
