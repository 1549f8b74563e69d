"""The default checklist: valid, a sensible length, and as severe as a security expert would be.

Its coverage of the 2012 guidance is checked in tests/test_guidance_coverage.py.
"""

from __future__ import annotations

import json
import re
from functools import cache

import pytest
from typer.testing import CliRunner

from nutsec.checklist.catalog import DEFAULT_CHECKLIST, shipped_dir
from nutsec.checklist.loader import load_checklist
from nutsec.checklist.model import DEVICE_KINDS, AnswerStatus, Checklist, Item, Scope, Severity
from nutsec.cli import app

runner = CliRunner()

#: The account platforms the audit offers (lower case).
PLATFORMS = (
    "email",
    "twitter",
    "facebook",
    "instagram",
    "linkedin",
    "tiktok",
    "whatsapp",
    "union",
    "work",
    "other",
)

#: nutsec's own automatic checks for each account with a password: never checklist ids.
AUTOMATIC_CHECKS = ("password.strength", "password.reused", "password.breached")

CRITICAL = {
    "device.screen-lock",
    "account.breached-password-changed",
    "account.password-unique",
    "account.email-two-factor",
}


@cache
def checklist() -> Checklist:
    return load_checklist(shipped_dir() / "nut-social-media.toml")


def item(item_id: str) -> Item:
    found = checklist().item(item_id)
    assert found is not None, f"no item '{item_id}'"
    return found


def statuses(found: Item) -> dict[str, AnswerStatus]:
    return {option.key: option.status for option in found.answers}


def test_shipped_checklist_loads_with_its_agreed_identity() -> None:
    loaded = checklist()
    assert loaded.id == DEFAULT_CHECKLIST == "nut-social-media"
    assert re.fullmatch(r"\d+\.\d+", loaded.version)
    assert "2012" in loaded.source and "guidance" in loaded.source.lower()


def test_cli_validate_accepts_the_default_checklist_by_name() -> None:
    result = runner.invoke(app, ["checklist", "validate", "nut-social-media"])
    assert result.exit_code == 0, result.output
    assert "valid checklist 'nut-social-media'" in result.output
    assert f"{checklist().item_count} items" in result.output


def test_cli_show_plain_reads_every_section_and_question_in_order() -> None:
    result = runner.invoke(app, ["checklist", "show", "nut-social-media", "--plain"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    position = 0
    for section in checklist().sections:
        position = flat.index(section.title, position)
        for entry in section.items:
            position = flat.index(" ".join(entry.question.split()), position)
    assert "\x1b[" not in result.output  # plain means no colour codes


def test_cli_show_json_gives_every_item_with_its_answers() -> None:
    result = runner.invoke(app, ["checklist", "show", "nut-social-media", "--format", "json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    items = [i for section in shown["sections"] for i in section["items"]]
    assert shown["id"] == "nut-social-media" and len(items) == checklist().item_count
    assert all(i["answers"] and i["scope"] in ("person", "device", "account") for i in items)


def test_walk_is_a_reasonable_length_and_mostly_asked_once() -> None:
    items = list(checklist().items())
    by_scope = {scope: [i for i in items if i.scope is scope] for scope in Scope}
    assert 30 <= len(items) <= 45
    assert len(by_scope[Scope.PERSON]) > len(items) / 2
    assert 3 <= len(by_scope[Scope.DEVICE]) <= 6
    assert 3 <= len(by_scope[Scope.ACCOUNT]) <= 7


@pytest.mark.parametrize("item_id", sorted(CRITICAL))
def test_the_four_account_takeover_risks_are_critical(item_id: str) -> None:
    assert item(item_id).severity is Severity.CRITICAL


def test_only_the_four_account_takeover_risks_are_critical() -> None:
    critical = {i.id for i in checklist().items() if i.severity is Severity.CRITICAL}
    assert critical == CRITICAL


def test_no_screen_lock_is_critical_on_every_kind_of_device() -> None:
    lock = item("device.screen-lock")
    assert lock.scope is Scope.DEVICE
    assert all(lock.applies_to_device(kind) for kind in DEVICE_KINDS)
    assert statuses(lock)["no"] is AnswerStatus.FAIL


def test_breached_password_still_in_use_is_a_critical_failure_on_every_account() -> None:
    breached = item("account.breached-password-changed")
    assert breached.scope is Scope.ACCOUNT
    assert all(breached.applies_to_account(platform) for platform in PLATFORMS)
    assert "changed" in breached.question and "breach" in breached.question
    assert statuses(breached)["no"] is AnswerStatus.FAIL
    assert statuses(breached)["not_sure"] is AnswerStatus.FAIL


def test_reused_password_on_a_union_account_is_critical() -> None:
    unique = item("account.password-unique")
    assert unique.scope is Scope.ACCOUNT and unique.applies_to_account("union")
    assert statuses(unique)["no"] is AnswerStatus.FAIL
    # near-reuse (Summer2024! / Summer2025!) is reuse in all but name
    assert statuses(unique)["similar"] is AnswerStatus.FAIL


def test_no_two_step_verification_on_email_is_critical_and_asked_only_of_email() -> None:
    email = item("account.email-two-factor")
    assert email.scope is Scope.ACCOUNT and email.platforms == ("email",)
    assert email.applies_to_account("Email") and not email.applies_to_account("twitter")
    assert statuses(email) == {
        "yes": AnswerStatus.PASS,
        "no": AnswerStatus.FAIL,
        "not_sure": AnswerStatus.FAIL,
    }


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_account_is_asked_about_two_step_verification_exactly_once(platform: str) -> None:
    asked = [
        i.id
        for i in checklist().items()
        if i.scope is Scope.ACCOUNT and "two-factor" in i.id and i.applies_to_account(platform)
    ]
    assert len(asked) == 1, asked


def test_not_sure_is_never_safe() -> None:
    for entry in checklist().items():
        if "not_sure" in statuses(entry):
            assert statuses(entry)["not_sure"] is AnswerStatus.FAIL, entry.id


def test_every_item_can_be_failed_and_passed() -> None:
    for entry in checklist().items():
        found = set(statuses(entry).values())
        assert {AnswerStatus.PASS, AnswerStatus.FAIL} <= found, entry.id


def test_ids_say_their_scope_and_avoid_nutsecs_own_password_checks() -> None:
    for entry in checklist().items():
        prefix = entry.id.split(".", 1)[0]
        assert entry.id not in AUTOMATIC_CHECKS and prefix != "password", entry.id
        assert (prefix == "device") == (entry.scope is Scope.DEVICE), entry.id
        assert (prefix == "account") == (entry.scope is Scope.ACCOUNT), entry.id
        assert prefix == entry.section_id or entry.scope is not Scope.PERSON, entry.id


def test_platform_and_device_filters_use_the_audits_own_keys() -> None:
    for entry in checklist().items():
        assert set(entry.platforms) <= set(PLATFORMS), entry.id
        assert set(entry.device_kinds) <= set(DEVICE_KINDS), entry.id


def test_each_item_asks_one_question_and_explains_itself_briefly() -> None:
    for entry in checklist().items():
        assert entry.question.endswith("?") and entry.question.count("?") == 1, entry.id
        sentences = re.findall(r"[.!?](?:\s|$)", entry.why)
        assert 1 <= len(sentences) <= 2, f"{entry.id}: 'why' should be one or two sentences"
        assert len(entry.fix) >= 60, f"{entry.id}: 'fix' should give concrete steps"


@pytest.mark.parametrize(
    ("item_id", "phrase", "reference"),
    [
        ("account.email-two-factor", "not in the 2012 guidance", "NCSC"),
        ("account.two-factor", "not in the 2012 guidance", "NCSC"),
        ("passwords.manager", "Not in the 2012 guidance", "NCSC"),
        ("passwords.long-passphrases", "three random words", "NCSC"),
        ("passwords.change-when-compromised", "not on a timetable", "NIST SP 800-63B"),
        ("passwords.change-when-compromised", "not on a timetable", "NCSC"),
    ],
)
def test_where_advice_has_moved_on_the_item_says_so_with_its_source(
    item_id: str, phrase: str, reference: str
) -> None:
    entry = item(item_id)
    assert phrase in entry.current
    assert any(reference in ref for ref in entry.references)


def test_every_item_with_todays_advice_is_flagged_as_such() -> None:
    modern = {i.id for i in checklist().items() if i.current}
    assert {
        "account.email-two-factor",
        "account.two-factor",
        "account.password-unique",
        "passwords.manager",
        "passwords.long-passphrases",
        "passwords.change-when-compromised",
        "device.remote-lock",
    } <= modern
