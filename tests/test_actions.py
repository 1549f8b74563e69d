"""The action plan: critical failures first, then severity, fail before partial, weight, effort;
one action per problem, duplicates merged, worded as a thing to do for its own subject."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from nutsec.actions import (
    ActionGroup,
    Audience,
    effort_phrase,
    first_sentence,
    prioritise_actions,
)
from nutsec.audit_data import Account, Audit, Device, PasswordFindings
from nutsec.breach.model import BreachResult
from nutsec.checklist.loader import load_checklist_text
from nutsec.checklist.model import Checklist, ItemStatus, Severity
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
        # critical, weight 5: breached, and also reused and weak: one new password fixes all three
        ("password.breached", "Twitter"),
        ("c", None),  # critical, weight 1
        ("b", None),  # high fail, weight 2
        ("password.strength", "Mail"),  # high partial
    ]
    audit = Audit(
        checklist=CHECKLIST,
        created_at=NOW,
        accounts=accounts,
        passwords=passwords,
        answers={("c", None): "no"},
    )
    first = prioritise_actions(audit)[0]
    assert first.headline == (
        "Change Twitter's password: it is in known breaches 9 times, also used on Mail and easy "
        "to guess"
    )
    assert {p.item_id for p in first.problems} == {
        "password.breached",
        "password.reused",
        "password.strength",
    }


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


# The plan as actions (issue 10) ------------------------------------------------------------------


def with_item(checklist: Checklist, item_id: str, **changes: object) -> Checklist:
    """The checklist with one item changed (the loader's v2 fields, set directly)."""
    return replace(
        checklist,
        sections=tuple(
            replace(
                s,
                items=tuple(
                    replace(i, **changes) if i.id == item_id else i  # type: ignore[arg-type]
                    for i in s.items
                ),
            )
            for s in checklist.sections
        ),
    )


@pytest.mark.parametrize(
    ("minutes", "answers", "expected"),
    [
        # same severity, status and weight: the quicker first, whatever the checklist order
        ({"d": 30, "g": 5}, {"d": "no", "g": "no"}, ["g", "d"]),
        # an estimate beats none; none keeps checklist order among themselves
        ({"g": 60}, {"d": "no", "g": "no"}, ["g", "d"]),
        # effort never beats weight: the heavier, slower one still comes first
        ({"d": 120, "b": 1}, {"d": "no", "b": "no"}, ["d", "b"]),
        # nor status: a quick partial comes after a slow failure
        ({"g": 1, "d": 90}, {"g": "partly", "d": "no"}, ["d", "g"]),
    ],
)
def test_among_equally_important_actions_the_quick_ones_come_first(
    minutes: dict[str, int], answers: dict[str, str], expected: list[str]
) -> None:
    checklist = CHECKLIST
    for item_id, value in minutes.items():
        checklist = with_item(checklist, item_id, minutes=value)
    audit = Audit(
        checklist=checklist, created_at=NOW, answers={(k, None): v for k, v in answers.items()}
    )
    assert [a.item_id for a in prioritise_actions(audit)] == expected


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (None, ""),
        (0, ""),
        (1, "about 1 minute"),
        (5, "about 5 minutes"),
        (60, "about 1 hour"),
        (90, "about 1.5 hours"),
        (120, "about 2 hours"),
    ],
)
def test_effort_is_said_in_plain_words(minutes: int | None, said: str) -> None:
    assert effort_phrase(minutes) == said


def test_an_action_is_the_items_imperative_with_its_subject() -> None:
    checklist = with_item(CHECKLIST, "dev", action="Turn on a screen lock", minutes=5)
    checklist = with_item(checklist, "d", action="Keep your passwords to yourself")
    audit = Audit(
        checklist=checklist,
        created_at=NOW,
        devices=(Device("Laptop", "laptop"),),
        answers={("dev", "Laptop"): "no", ("d", None): "no", ("b", None): "no"},
    )
    got = {a.item_id: a for a in prioritise_actions(audit)}
    assert got["dev"].headline == "Turn on a screen lock on your Laptop"
    assert got["dev"].effort == "about 5 minutes" and got["dev"].group is ActionGroup.DEVICE
    assert got["d"].headline == "Keep your passwords to yourself"
    assert got["d"].group is ActionGroup.HABIT
    # No action in the checklist yet: the subject and the question, as before.
    assert got["b"].headline == "Question b?" and got["b"].why == "Why b."


def test_steps_are_only_for_the_subjects_own_system_or_all_when_unknown() -> None:
    variants = (("ios", "Settings > Face ID & Passcode."), ("windows", "Settings > Accounts."))
    checklist = with_item(CHECKLIST, "dev", fix_variants=variants, fix="Every system's steps.")
    devices = (
        Device("Phone", "phone", "ios"),
        Device("Laptop", "laptop", "windows"),
        Device("Old one", "tablet"),  # system not known
    )
    audit = Audit(
        checklist=checklist,
        created_at=NOW,
        devices=devices,
        answers={("dev", d.name): "no" for d in devices},
    )
    steps = {a.subject: a.text for a in prioritise_actions(audit)}
    assert steps == {
        "Phone": "Settings > Face ID & Passcode.",
        "Laptop": "Settings > Accounts.",
        "Old one": "Every system's steps.",
    }


REUSE_CHECKLIST = load_checklist_text(
    'id = "t"\ntitle = "T"\nversion = "1"\n'
    '[[sections]]\nid = "acc"\ntitle = "Accounts"\n'
    + item("account.password-unique", "critical", 5, "account")
    + item("account.two-factor", "high", 4, "account"),
    "test",
)


def test_self_reported_and_measured_reuse_of_one_account_are_one_action() -> None:
    accounts = (Account("Mail", "email"), Account("Twitter", "twitter"))
    passwords = {
        "Mail": PasswordFindings(strength("strong"), BreachResult.not_found(), ("Twitter",)),
        "Twitter": PasswordFindings(strength("strong"), BreachResult.not_found(), ("Mail",)),
    }
    audit = Audit(
        checklist=REUSE_CHECKLIST,
        created_at=NOW,
        accounts=accounts,
        passwords=passwords,
        answers={("account.password-unique", "Twitter"): "no"},
    )
    actions = prioritise_actions(audit)
    pairs = [(a.item_id, a.subject) for a in actions]
    # The measurement answers Mail's reuse question too (measured, not asked: issue 9), so each
    # account has one action holding its self-report and nutsec's check.
    assert pairs == [("account.password-unique", "Mail"), ("account.password-unique", "Twitter")]
    twitter = actions[1]
    assert [(p.item_id, p.subject) for p in twitter.problems] == [
        ("account.password-unique", "Twitter"),
        ("password.reused", "Twitter"),
    ]
    assert len(set(pairs)) == len(pairs)


def test_passwords_that_could_not_be_checked_are_one_action_listing_the_accounts() -> None:
    accounts = (Account("Mail", "email"), Account("Twitter", "twitter"), Account("Union", "union"))
    passwords = {
        a.name: PasswordFindings(strength("strong"), BreachResult.unknown("offline"))
        for a in accounts
    }
    audit = Audit(checklist=REUSE_CHECKLIST, created_at=NOW, accounts=accounts, passwords=passwords)
    (action,) = prioritise_actions(audit)
    assert action.headline == "Check these 3 passwords when you are online: Mail, Twitter, Union"
    assert (action.item_id, action.subject) == ("password.breached", "Mail")
    assert action.subjects == ("Mail", "Twitter", "Union")
    assert "(offline)" in action.text and "not counted as safe" in action.text
    assert {p.status for p in action.problems} == {ItemStatus.UNKNOWN}


@pytest.mark.parametrize(
    ("why", "line"),
    [
        # a short first sentence is joined by the next when both fit one line
        (
            "A lock only helps if it is on. Without one anyone can read it.",
            "A lock only helps if it is on. Without one anyone can read it.",
        ),
        # a long first sentence stands alone
        ("x" * 120 + ". Second sentence here.", "x" * 120 + "."),
        # a first sentence longer than a line is still said whole
        ("y" * 200 + ". More.", "y" * 200 + "."),
        # abbreviations do not end a sentence
        ("Use one, e.g. a manager. Then relax.", "Use one, e.g. a manager. Then relax."),
    ],
)
def test_the_why_of_an_action_is_whole_sentences_within_one_line(why: str, line: str) -> None:
    assert first_sentence(why) == line


def test_self_reported_and_measured_breach_of_one_account_are_one_action() -> None:
    checklist = load_checklist_text(
        'id = "t"\ntitle = "T"\nversion = "1"\n'
        '[[sections]]\nid = "acc"\ntitle = "Accounts"\n'
        + item("account.breached-password-changed", "critical", 5, "account"),
        "test",
    )
    accounts = (Account("Mail", "email"), Account("Bank", "other"))
    found = PasswordFindings(strength("strong"), BreachResult.found(12))
    audit = Audit(
        checklist=checklist,
        created_at=NOW,
        accounts=accounts,
        passwords={"Mail": found, "Bank": found},
        answers={("account.breached-password-changed", "Mail"): "no"},
    )
    actions = prioritise_actions(audit)
    # Mail: the person's "not changed" and the measured breach are one action; for Bank the
    # measurement answers the checklist's question as well (measured, not asked: issue 9).
    got = {a.subject: sorted(p.item_id for p in a.problems) for a in actions}
    assert got == {
        "Mail": ["account.breached-password-changed", "password.breached"],
        "Bank": ["account.breached-password-changed", "password.breached"],
    }
    assert len(actions) == 2


def test_an_action_can_place_its_subject_itself() -> None:
    """'Give {subject} a password ...' reads 'Give Mail a password ...'; a device is 'your X'."""
    checklist = load_checklist_text(
        'id = "t"\ntitle = "T"\nversion = "1"\n'
        '[[sections]]\nid = "s"\ntitle = "S"\n'
        '[[sections.items]]\nid = "d.lock"\nscope = "device"\nquestion = "Q?"\nwhy = "W."\n'
        'fix = "F."\nseverity = "high"\nweight = 2\naction = "Make {subject} lock itself"\n'
        'answers = { yes = "pass", no = "fail" }\n'
        '[[sections.items]]\nid = "a.own"\nscope = "account"\nquestion = "Q?"\nwhy = "W."\n'
        'fix = "F."\nseverity = "high"\nweight = 2\naction = "Give {subject} its own password"\n'
        'answers = { yes = "pass", no = "fail" }\n',
        "test",
    )
    audit = Audit(
        checklist=checklist,
        created_at=NOW,
        devices=(Device("Laptop", "laptop"),),
        accounts=(Account("Mail", "email"),),
        answers={("d.lock", "Laptop"): "no", ("a.own", "Mail"): "no"},
    )
    headlines = sorted(a.headline for a in prioritise_actions(audit))
    assert headlines == ["Give Mail its own password", "Make your Laptop lock itself"]


@pytest.mark.parametrize(
    ("device", "headline"),
    [
        ("Laptop", "Turn it on on your Laptop"),
        ("My laptop", "Turn it on on My laptop"),
        ("Sam's phone", "Turn it on on Sam's phone"),
    ],
)
def test_a_device_already_named_as_someones_is_not_called_your(device: str, headline: str) -> None:
    checklist = load_checklist_text(
        'id = "t"\ntitle = "T"\nversion = "1"\n'
        '[[sections]]\nid = "s"\ntitle = "S"\n'
        '[[sections.items]]\nid = "d.x"\nscope = "device"\nquestion = "Q?"\nwhy = "W."\n'
        'fix = "F."\nseverity = "high"\nweight = 2\naction = "Turn it on"\n'
        'answers = { yes = "pass", no = "fail" }\n',
        "test",
    )
    audit = Audit(
        checklist=checklist,
        created_at=NOW,
        devices=(Device(device, "laptop"),),
        answers={("d.x", device): "no"},
    )
    assert [a.headline for a in prioritise_actions(audit)] == [headline]


@pytest.mark.parametrize(
    ("audience", "named", "not_named"),
    [
        (Audience.TERMINAL, "'nutsec password check'", "Check a password page"),
        (Audience.BROWSER, "nutsec's Check a password page", "'nutsec"),
    ],
)
def test_the_plan_names_the_places_as_each_front_end_shows_them(
    audience: Audience, named: str, not_named: str
) -> None:
    """The same actions in both front-ends; a command in the terminal, a page in the browser."""
    accounts = (Account("Mail", "email"), Account("Twitter", "twitter"))
    passwords = {
        "Mail": PasswordFindings(strength("strong"), BreachResult.unknown("offline")),
        "Twitter": PasswordFindings(
            strength("strong"), BreachResult.not_found(), reuse_unknown="not compared"
        ),
    }
    audit = Audit(checklist=REUSE_CHECKLIST, created_at=NOW, accounts=accounts, passwords=passwords)
    actions = prioritise_actions(audit, audience)
    assert [(a.item_id, a.subject) for a in actions] == [
        (a.item_id, a.subject) for a in prioritise_actions(audit)
    ]
    unchecked = next(a for a in actions if a.item_id == "password.breached")
    assert named in unchecked.text and not_named not in unchecked.text
    uncompared = next(a for a in actions if a.subject == "Twitter")
    assert "type those passwords again in one sitting" in uncompared.text
    assert ("keyring-status" in uncompared.text) is (audience is Audience.TERMINAL)


def test_a_long_password_headline_gives_up_its_least_serious_findings_first() -> None:
    accounts = (Account("Work e-mail", "email"), Account("Union Twitter", "twitter"))
    passwords = {
        "Work e-mail": PasswordFindings(
            strength("weak"), BreachResult.found(1200), similar_to=("Union Twitter",)
        ),
        "Union Twitter": PasswordFindings(strength("strong"), BreachResult.not_found()),
    }
    audit = Audit(checklist=REUSE_CHECKLIST, created_at=NOW, accounts=accounts, passwords=passwords)
    first = prioritise_actions(audit)[0]
    full = "Change Work e-mail's password: it is in known breaches 1,200 times, very like Union Twitter's and easy to guess"  # noqa: E501
    assert first.headline == full
    assert first.headline_within(len(full)) == full
    assert first.headline_within(75) == (
        "Change Work e-mail's password: it is in known breaches 1,200 times and more"
    )
    # Too narrow for "and more": the most serious finding whole, then "…" (not cut mid-word).
    one = "Change Work e-mail's password: it is in known breaches 1,200 times…"
    assert first.headline_within(len(one)) == one
    assert first.headline_within(40) == "Change Work e-mail's password: it is in…"
    assert len(first.headline_within(40)) == 40


def test_a_long_headline_with_no_findings_is_cut_to_the_width() -> None:
    first = prioritise_actions(
        Audit(checklist=CHECKLIST, created_at=NOW, answers={("c", None): "no"})
    )[0]
    assert first.findings == ()
    assert first.headline_within(8) == first.headline[:7] + "…"
    assert first.headline_within(200) == first.headline
