"""The JSON report: the contract's shape (nutsec.report/2, every /1 field kept), no secret."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from nutsec.audit_data import Account, Audit, AuditState, Device, PasswordFindings
from nutsec.breach.model import BreachResult
from nutsec.checklist.loader import load_checklist_text
from nutsec.passwords.strength import StrengthResult
from nutsec.report.json_format import JsonRenderer
from nutsec.report.model import build_report
from tests.conftest import DOCS, toml_block

CHECKLIST = load_checklist_text(toml_block(DOCS / "checklist-format.md"), "example")
T0 = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
T1 = datetime(2026, 11, 25, 9, 52, tzinfo=UTC)
PHONE, LAPTOP = Device("Work phone", "phone"), Device("Laptop", "laptop")
MAIL = Account("Mail", "email", "sam@example.org")
TWITTER = Account("Twitter", "twitter", "sam_rep")
TWITTER_FINDINGS = PasswordFindings(
    strength=StrengthResult(1, "3 hours", "This is similar to a common password.", (), "weak"),
    breach=BreachResult.found(5021),
    reused_with=("Mail",),
)
MAIL_FINDINGS = PasswordFindings(
    strength=StrengthResult(4, "centuries", "", (), "strong"),
    breach=BreachResult.unknown("offline"),
    reused_with=("Twitter",),
)


def audit() -> Audit:
    return Audit(
        checklist=CHECKLIST,
        created_at=T0,
        id=3,
        state=AuditState.FINISHED,
        finished_at=T1,
        devices=(PHONE, LAPTOP),
        accounts=(MAIL, TWITTER),
        answers={
            ("device.screen-lock", "Work phone"): "yes",
            ("device.screen-lock", "Laptop"): "no",
            ("account.two-factor", "Mail"): "partly",
            # Twitter's two-factor is skipped; Mail's recovery does not apply
            ("account.email-recovery", "Mail"): "not_applicable",
        },
        passwords={"Mail": MAIL_FINDINGS, "Twitter": TWITTER_FINDINGS},
    )


def rendered() -> dict[str, object]:
    data = json.loads(JsonRenderer().render(build_report(audit(), tool_version="9.9.9")))
    assert isinstance(data, dict)
    return data


def test_the_report_has_every_key_the_contract_names() -> None:
    data = rendered()
    assert data["schema"] == "nutsec.report/2" and data["tool_version"] == "9.9.9"
    assert data["created_at"] == "2026-11-25T09:30:00+00:00"
    assert data["checklist"] == {"id": "tiny-example", "title": CHECKLIST.title, "version": "1.0"}
    score = data["score"]
    assert isinstance(score, dict) and {"overall", "band", "sections"} <= score.keys()
    for section in score["sections"]:
        assert {"id", "title", "score", "earned", "possible"} <= section.keys()
    for key, fields in {
        "items": {"id", "scope", "subject", "status", "severity"},
        "devices": {"name", "kind"},
        "accounts": {"name", "platform", "password"},
        "actions": {"priority", "item", "subject", "text"},
    }.items():
        rows = data[key]
        assert isinstance(rows, list) and rows, key
        for row in rows:
            assert fields <= row.keys(), (key, row)


def test_scores_sections_and_how_they_were_reached() -> None:
    score = rendered()["score"]
    assert isinstance(score, dict)
    sections = {s["id"]: s for s in score["sections"]}
    # devices: phone yes (5), laptop no (0) -> 5 / 10
    assert sections["devices"] | {"how": ""} == {
        "id": "devices",
        "title": "Your devices",
        "score": 50,
        "earned": 5,
        "possible": 10,
        "counted": 2,
        "left_out": 0,
        "how": "",
    }
    assert sections["devices"]["how"] == "5 of 10 points from 2 answers: 5 / 10 = 50%."
    # accounts: Mail two-factor partly (2 of 4); Twitter skipped; Mail recovery not applicable
    assert (sections["accounts"]["earned"], sections["accounts"]["possible"]) == (2, 4)
    assert sections["accounts"]["left_out"] == 2
    assert "2 left out (skipped, not applicable or not checked)" in sections["accounts"]["how"]
    # password checks: Mail strong (3/3), reused (0/4), breach unknown (left out);
    # Twitter weak (0/3), reused (0/4), found (0/5)
    assert (sections["password-checks"]["earned"], sections["password-checks"]["possible"]) == (
        3,
        19,
    )
    assert score["overall"] == round(100 * (5 + 2 + 3) / (10 + 4 + 19))
    assert score["band"] == "At risk"


def test_items_have_statuses_and_subjects_including_password_checks() -> None:
    items = rendered()["items"]
    assert isinstance(items, list)
    got = {(i["id"], i["subject"]): i["status"] for i in items}
    assert got == {
        ("device.screen-lock", "Work phone"): "pass",
        ("device.screen-lock", "Laptop"): "fail",
        ("account.two-factor", "Mail"): "partial",
        ("account.two-factor", "Twitter"): "skipped",
        ("account.email-recovery", "Mail"): "not_applicable",
        ("password.strength", "Mail"): "pass",
        ("password.reused", "Mail"): "fail",
        ("password.breached", "Mail"): "unknown",
        ("password.strength", "Twitter"): "fail",
        ("password.reused", "Twitter"): "fail",
        ("password.breached", "Twitter"): "fail",
    }
    breached = next(i for i in items if i["id"] == "password.breached" and i["subject"])
    assert breached["severity"] == "critical" and breached["scope"] == "account"


def test_accounts_carry_findings_but_no_secret_and_no_username() -> None:
    data = rendered()
    accounts = data["accounts"]
    assert isinstance(accounts, list)
    twitter = next(a for a in accounts if a["name"] == "Twitter")
    assert twitter["platform"] == "twitter"
    assert twitter["password"]["strength"] | {"suggestions": []} == {
        "score": 1,
        "crack_time": "3 hours",
        "warning": "This is similar to a common password.",
        "suggestions": [],
        "rating": "weak",
        "truncated": False,
    }
    assert twitter["password"]["breach"] == {"status": "found", "count": 5021, "reason": None}
    assert twitter["password"]["reused_with"] == ["Mail"]
    assert twitter["password"]["similar_to"] == []
    text = json.dumps(data)
    assert "sam_rep" not in text and "sam@example.org" not in text, "usernames stay out"


def test_an_account_without_a_checked_password_has_null() -> None:
    plain = Audit(checklist=CHECKLIST, created_at=T0, accounts=(MAIL,))
    data = json.loads(JsonRenderer().render(build_report(plain)))
    assert data["accounts"] == [{"name": "Mail", "platform": "email", "password": None}]
    assert data["finished"] is False and data["finished_at"] is None
    assert (
        data["score"]["band"] == "Not scored"
        and data["score"]["overall"] is None
        and data["score"]["scored"] is False
    )


def test_actions_are_ordered_and_unknown_is_listed_as_not_verified() -> None:
    data = rendered()
    actions = data["actions"]
    assert isinstance(actions, list)
    assert [(a["priority"], a["item"], a["subject"]) for a in actions] == [
        # critical fail, weight 5, about 10 minutes; Twitter's reuse and weakness are part of
        # it (one new password fixes all three)
        (1, "password.breached", "Twitter"),
        (2, "device.screen-lock", "Laptop"),  # critical fail, weight 5, no estimate: after it
        (3, "password.reused", "Mail"),  # critical fail, weight 4
        (4, "account.two-factor", "Mail"),  # high partial
        (5, "password.breached", "Mail"),  # critical but not verified: ranks as high, last
    ]
    assert {p["item"] for p in actions[0]["problems"]} == {
        "password.breached",
        "password.reused",
        "password.strength",
    }
    assert actions[1]["text"].startswith("Open Settings, find 'Screen lock'")
    assert data["not_verified"] == [
        {"item": "password.breached", "subject": "Mail", "reason": "offline"}
    ]


def test_the_documented_example_has_exactly_the_keys_rendered() -> None:
    """docs/report-format.md's example cannot drift from the renderer."""
    text = (DOCS / "report-format.md").read_text(encoding="utf-8")
    example = json.loads(text.split("```json\n")[1].split("```", 1)[0])
    # With an earlier audit and a name, so the optional objects have their keys too.
    report = build_report(audit(), tool_version="9.9.9", prepared_for="Sam", previous=audit())
    data = json.loads(JsonRenderer().render(report))

    def shape(value: object) -> object:
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        if isinstance(value, list):
            shapes = [shape(v) for v in value if isinstance(v, dict)]
            return shapes[:1]
        return None

    documented, actual = shape(example), shape(data)
    assert isinstance(documented, dict) and isinstance(actual, dict)
    assert documented == actual
