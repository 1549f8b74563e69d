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
from nutsec.checklist.loader import ACCOUNT_KEYS, DEVICE_KEYS, load_checklist
from nutsec.checklist.model import ACCOUNT_PLATFORMS as PLATFORMS
from nutsec.checklist.model import DEVICE_KINDS, AnswerStatus, Checklist, Item, Scope, Severity
from nutsec.cli import app
from nutsec.cli.audit_prompts import PREFERRED, RESERVED, choice_keys

runner = CliRunner()

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
    # Version 2.2 adds theft protection (phones and tablets only) and backups.
    assert 3 <= len(by_scope[Scope.DEVICE]) <= 7
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
    assert email.scope is Scope.ACCOUNT and email.applies_to == ("email",)
    assert email.applies_to_account("Email") and not email.applies_to_account("twitter")
    assert all(email.applies_to_account("email", p) for p in ("", "gmail", "work", "other"))
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
        keys = DEVICE_KEYS if entry.scope is Scope.DEVICE else ACCOUNT_KEYS
        assert set(entry.applies_to) <= set(keys), entry.id


def test_each_item_asks_one_question_and_explains_itself_briefly() -> None:
    for entry in checklist().items():
        assert entry.question.endswith("?") and entry.question.count("?") == 1, entry.id
        sentences = re.findall(r"[.!?](?:\s|$)", entry.why)
        assert 1 <= len(sentences) <= 2, f"{entry.id}: 'why' should be one or two sentences"
        assert len(entry.fix) >= 60, f"{entry.id}: 'fix' should give concrete steps"


@pytest.mark.parametrize(
    ("item_id", "phrase", "reference"),
    [
        ("account.email-two-factor", "New since the union's 2012 guidance", "NCSC"),
        ("account.two-factor", "New since the union's 2012 guidance", "NCSC"),
        ("passwords.manager", "New since the union's 2012 guidance", "NCSC"),
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


# --- format 2: actions, effort, and steps for the person's own device or account -----------------

MOBILE = ("ios", "android")
COMPUTERS = ("windows", "macos", "chromeos", "linux")
EMAIL_PROVIDERS_NAMED = ("gmail", "outlook", "icloud", "yahoo", "work")
PLATFORMS_NAMED = ("twitter", "facebook", "instagram", "linkedin", "tiktok", "whatsapp")

#: Words that name one system: its own steps may use them, another system's steps must not.
SYSTEM_WORDS = {
    "ios": ("iPhone", "iPad", "iOS", "Face ID"),
    "android": ("Android", "Samsung", "Google Play"),
    "windows": ("Windows", "BitLocker", "Microsoft", "PC"),
    "macos": ("Mac", "macOS", "FileVault"),
    "chromeos": ("Chromebook", "ChromeOS"),
    "linux": ("Linux", "GNOME", "Ubuntu", "LUKS"),
}


def names_system(text: str, system: str) -> list[str]:
    return [w for w in SYSTEM_WORDS[system] if re.search(rf"\b{re.escape(w)}\b", text)]


def test_the_shipped_checklist_is_format_3_at_version_2_4() -> None:
    assert checklist().format == 3 and checklist().version == "2.4"


def test_every_item_has_an_action_line_and_an_effort_in_minutes() -> None:
    for entry in checklist().items():
        assert entry.action, entry.id
        assert entry.action[0].isupper() and not entry.action.endswith((".", "?")), entry.id
        assert entry.minutes is not None and 1 <= entry.minutes <= 60, entry.id


def test_the_action_plan_speaks_of_two_step_sign_in_and_a_screen_lock() -> None:
    assert item("device.screen-lock").action == "Turn on a screen lock"
    assert item("account.email-two-factor").action == "Turn on two-step verification"
    assert item("account.two-factor").action == "Turn on two-step verification"


def systems_asked(entry: Item) -> list[str]:
    """The systems a device item can be asked about, from the kinds it applies to."""
    kinds = [k for k in DEVICE_KINDS if entry.applies_to_device(k, "other")]
    systems = (MOBILE if {"phone", "tablet"} & set(kinds) else ()) + (
        COMPUTERS if {"laptop", "desktop"} & set(kinds) else ()
    )
    return [s for s in systems if any(entry.applies_to_device(k, s) for k in kinds)]


def device_items() -> list[Item]:
    return [i for i in checklist().items() if i.scope is Scope.DEVICE]


@pytest.mark.parametrize("item_id", [i.id for i in device_items()])
def test_every_device_item_has_steps_for_each_system_it_is_asked_of(item_id: str) -> None:
    entry = item(item_id)
    wanted = systems_asked(entry)
    assert wanted, item_id
    missing = [s for s in wanted if s not in dict(entry.fix_variants)]
    assert missing == [], f"{item_id} has no steps for {missing}"


@pytest.mark.parametrize("item_id", [i.id for i in device_items()])
def test_no_systems_steps_name_another_system(item_id: str) -> None:
    entry = item(item_id)
    for system, text in entry.fix_variants + entry.why_variants:
        for other in SYSTEM_WORDS:
            if other != system:
                assert names_system(text, other) == [], f"{item_id} {system} names {other}"


@pytest.mark.parametrize("item_id", [i.id for i in device_items()])
def test_a_device_items_general_steps_stay_general(item_id: str) -> None:
    entry = item(item_id)
    for system in SYSTEM_WORDS:
        assert names_system(entry.fix, system) == [], f"{item_id}: the generic fix names {system}"
    assert len(entry.fix) <= 260, f"{item_id}: the generic fix should be short"


def test_a_phone_and_a_laptop_get_different_steps_for_the_screen_lock() -> None:
    lock = item("device.screen-lock")
    assert lock.fix_for("ios", "phone") != lock.fix_for("windows", "laptop")
    assert "Face ID" in lock.fix_for("ios", "phone")
    assert "Sign-in options" in lock.fix_for("windows", "laptop")
    # an old audit's device (no system) gets the general steps
    assert lock.fix_for("phone") == lock.fix


def test_encryption_is_asked_only_of_computers_that_do_not_encrypt_on_their_own() -> None:
    encryption = item("device.encryption")
    assert encryption.applies_to_device("laptop", "windows")
    assert encryption.applies_to_device("desktop", "macos")
    assert encryption.applies_to_device("laptop")  # system not known: asked
    assert not encryption.applies_to_device("phone", "android")
    assert not encryption.applies_to_device("tablet", "ios")
    assert not encryption.applies_to_device("laptop", "chromeos")  # always encrypted


def test_find_my_device_is_asked_of_phones_tablets_and_laptops() -> None:
    finder = item("device.remote-lock")
    assert all(finder.applies_to_device(k) for k in ("phone", "tablet", "laptop"))
    assert not finder.applies_to_device("desktop")


def account_keys_asked(entry: Item) -> list[str]:
    """The named platforms and e-mail providers an account item can be asked about."""
    keys = [p for p in PLATFORMS_NAMED if entry.applies_to_account(p)]
    if entry.applies_to_account("email"):
        keys += [p for p in EMAIL_PROVIDERS_NAMED if entry.applies_to_account("email", p)]
    if entry.applies_to_account("union"):
        keys.append("union")
    if entry.applies_to_account("work") and "work" not in keys:
        keys.append("work")
    return keys


@pytest.mark.parametrize("item_id", [i.id for i in checklist().items() if i.scope is Scope.ACCOUNT])
def test_every_account_item_has_steps_for_each_named_platform_and_provider(item_id: str) -> None:
    entry = item(item_id)
    missing = [k for k in account_keys_asked(entry) if k not in dict(entry.fix_variants)]
    assert missing == [], f"{item_id} has no steps for {missing}"


def test_gmail_and_outlook_accounts_get_their_own_two_step_steps() -> None:
    two_step = item("account.email-two-factor")
    gmail, outlook = two_step.fix_for("gmail", "email"), two_step.fix_for("outlook", "email")
    assert "myaccount.google.com" in gmail and "microsoft" not in gmail.lower()
    assert "account.microsoft.com" in outlook and "google" not in outlook.lower()
    assert two_step.fix_for("", "email") == two_step.fix


# --- answer keys mean one thing ----------------------------------------------------------------


def letters() -> list[tuple[str, str, str]]:
    """(item id, key letter, answer key) for every answer of every item, as the audit shows it."""
    found = []
    for entry in checklist().items():
        keys = choice_keys([(o.key, o.label) for o in entry.answers])
        found += [(entry.id, letter, answer) for letter, answer in keys.items()]
    return found


def test_every_letter_means_the_same_answer_in_every_item() -> None:
    meaning: dict[str, set[str]] = {}
    letter_of: dict[str, set[str]] = {}
    for _item_id, letter, answer in letters():
        meaning.setdefault(letter, set()).add(answer)
        letter_of.setdefault(answer, set()).add(letter)
    assert {k: v for k, v in meaning.items() if len(v) > 1} == {}
    assert {k: v for k, v in letter_of.items() if len(v) > 1} == {}


def test_the_usual_answers_keep_their_usual_letters() -> None:
    for item_id, letter, answer in letters():
        if answer in PREFERRED:
            assert letter == PREFERRED[answer], f"{item_id}: '{answer}' is on '{letter}'"
    assert PREFERRED["not_sure"] == "u"


def test_every_letter_is_the_first_letter_of_its_label_or_the_usual_one() -> None:
    """So the person can see why a key is what it is; and never 'c', which Enter also means."""
    for entry in checklist().items():
        keys = choice_keys([(o.key, o.label) for o in entry.answers])
        for letter, answer in keys.items():
            label = entry.answer(answer).label  # type: ignore[union-attr]
            assert letter == PREFERRED.get(answer) or label.lower().startswith(letter), (
                f"{entry.id}: '{letter}' for '{label}'"
            )
            assert letter not in RESERVED and letter != "c", entry.id


def test_yes_no_and_not_sure_are_labelled_as_what_they_mean() -> None:
    for entry in checklist().items():
        for option in entry.answers:
            start = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}.get(option.key)
            if start:
                assert option.label.startswith(start), f"{entry.id}: {option.label}"


def test_the_updates_item_keeps_u_for_not_sure() -> None:
    keys = choice_keys([(o.key, o.label) for o in item("device.updates").answers])
    assert keys["u"] == "not_sure" and keys["n"] == "no" and keys["o"] == "too_old"
