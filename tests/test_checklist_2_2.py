"""Version 2.2 of the shipped checklist (format 3): the advice as it stands in December 2026.
(Version 2.3 only rates four items medium instead of high: tests/test_essentials_first.py;
version 2.4 only rewords: tests/test_checklist_2_4.py.)

Every `fix_for` step names its source and the date it was checked, and `checklist validate`
rejects a step without them; the new items (passkeys, theft protection, backups, extra
protection) are asked of the right people and devices and score their answers as they should;
the corrected menu paths say what the vendors' pages say; every account whose platform takes
passkeys (by the Passkeys Directory snapshot) says so in the audit's two-step steps.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from nutsec.advice import fix_text
from nutsec.audit_data import Account
from nutsec.checklist.catalog import shipped_dir
from nutsec.checklist.loader import check_checklist, load_checklist
from nutsec.checklist.model import AnswerStatus, Checklist, Item, Scope
from nutsec.checklist.sources import months_before, parse_checked, source_problem
from nutsec.checklist.steps import checklist_steps, lost_device_steps
from nutsec.passkeys.directory import shipped_passkey_directory
from nutsec.twofactor.accounts import PLATFORM_DOMAINS, PROVIDER_DOMAINS

NUTSEC = str(Path(sys.executable).parent / "nutsec")
CHECKED = dt.date(2026, 12, 2)
WriteFile = Callable[[str, str], Path]


@cache
def checklist() -> Checklist:
    return load_checklist(shipped_dir() / "nut-social-media.toml")


def item(item_id: str) -> Item:
    found = checklist().item(item_id)
    assert found is not None, item_id
    return found


def status(item_id: str, answer: str) -> AnswerStatus:
    option = item(item_id).answer(answer)
    assert option is not None, (item_id, answer)
    return option.status


# --- sources and dates --------------------------------------------------------------------------


def test_the_checklist_is_version_2_4_in_format_3() -> None:
    assert (checklist().version, checklist().format) == ("2.4", 3)


def test_every_fix_for_step_names_an_https_source_and_the_date_it_was_checked() -> None:
    for entry in checklist().items():
        sources = dict(entry.fix_sources)
        assert set(sources) == {key for key, _ in entry.fix_variants}, entry.id
        for key, found in sources.items():
            assert source_problem(found.source) is None, (entry.id, key)
            assert found.checked == CHECKED, (entry.id, key)


def test_every_lost_device_step_names_its_source_and_date() -> None:
    steps, problems = lost_device_steps()
    assert problems == []
    names = {step.step for step in steps}
    assert {"report_loss", "lock_and_wipe", "secure_account", "check_activity", "contacts"} <= names
    assert {"email", "twitter", "whatsapp", "other", "email note Gmail"} <= names
    assert all(step.source.checked == CHECKED for step in steps)


def test_a_lost_device_step_without_a_date_is_named() -> None:
    card = {"report_loss": {"title": "T", "source": "https://example.org/help"}}
    _, problems = lost_device_steps(card, {})
    texts = [str(p) for p in problems]
    assert any("report_loss: missing 'checked'" in t for t in texts), texts
    assert any("lock_and_wipe: is not a table" in t for t in texts), texts


def test_the_steps_listing_follows_the_checklist() -> None:
    steps = list(checklist_steps(checklist()))
    assert len(steps) == sum(len(i.fix_variants) for i in checklist().items())
    assert steps[0].step == "device.screen-lock, ios"


@pytest.mark.parametrize(
    "value",
    [
        "support.google.com/x",
        "http://support.google.com/x",
        "https://support google.com",
        "https://localhost/",
        "",
        3,
    ],
)
def test_a_badly_written_source_is_a_problem(value: object) -> None:
    assert source_problem(value) is not None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2026-12-02", None),
        (dt.date(2026, 1, 5), None),
        ("2026-02-30", "not a real date"),
        ("02/12/2026", "YYYY-MM-DD"),
        ("2030-01-01", "in the future"),
        ("1999-01-01", "too long ago"),
        (20261202, "YYYY-MM-DD"),
    ],
)
def test_checked_must_be_a_real_past_date(value: object, problem: str | None) -> None:
    day, found = parse_checked(value, today=dt.date(2026, 12, 2))
    if problem is None:
        assert found is None and day is not None
    else:
        assert found is not None and problem in found and day is None


def test_months_before_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_before(dt.date(2026, 12, 2), 6) == dt.date(2026, 6, 2)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)
    assert months_before(dt.date(2026, 1, 15), 0) == dt.date(2026, 1, 15)


def _three(text: str, source: str, checked: str) -> str:
    return (
        f'fix_for.ios.text = "{text}"\nfix_for.ios.source = "{source}"\n'
        f'fix_for.ios.checked = "{checked}"\n'
    )


def _file(file_format: int, steps: str) -> str:
    return f"""id = "t"
title = "T"
version = "1"
format = {file_format}

[[sections]]
id = "s"
title = "S"

[[sections.items]]
id = "device.lock"
scope = "device"
question = "Q?"
why = "W."
fix = "F."
severity = "high"
weight = 1
answers = {{ yes = "pass", no = "fail" }}
{steps}"""


def test_format_3_rejects_a_step_written_as_plain_text_and_names_its_line(
    write_file: WriteFile,
) -> None:
    text = _file(3, 'fix_for.ios = "Settings > Passcode."\n')
    result, problems = check_checklist(write_file("c.toml", text))
    assert result is None and len(problems) == 1
    assert "must name its source and the date it was checked" in str(problems[0])
    assert problems[0].line == text.splitlines().index('fix_for.ios = "Settings > Passcode."') + 1


def test_format_2_still_reads_plain_steps_and_takes_sources_where_given(
    write_file: WriteFile,
) -> None:
    plain = load_checklist(write_file("a.toml", _file(2, 'fix_for.ios = "Settings."\n')))
    assert plain.sections[0].items[0].fix_sources == ()
    sourced = load_checklist(
        write_file("b.toml", _file(2, _three("Settings.", "https://a.example/b", "2026-01-02")))
    )
    [lock] = sourced.sections[0].items
    assert lock.fix_for("ios") == "Settings."
    found = lock.fix_source_for("ios")
    assert found is not None and found.checked == dt.date(2026, 1, 2)
    assert lock.fix_source_for("android") is None


@pytest.mark.parametrize(
    ("steps", "wanted"),
    [
        (
            'fix_for.ios.text = "S."\nfix_for.ios.checked = "2026-01-02"\n',
            "missing 'source'",
        ),
        (
            'fix_for.ios.text = "S."\nfix_for.ios.source = "https://a.example/"\n',
            "missing 'checked'",
        ),
        (_three("S.", "www.apple.com", "2026-01-02"), "full web address"),
        (_three("S.", "https://a.example/", "2 Dec 2026"), "YYYY-MM-DD"),
        (_three("S.", "https://a.example/", "2026-13-01"), "not a real date"),
        (_three("", "https://a.example/", "2026-01-02"), "must be text, and not empty"),
        (_three("S.", "https://a.example/", "2026-01-02") + 'fix_for.ios.note = "x"\n', "'note'"),
    ],
)
def test_validate_names_a_missing_or_badly_written_field(
    write_file: WriteFile, steps: str, wanted: str
) -> None:
    path = write_file("c.toml", _file(3, steps))
    shown = subprocess.run(
        [NUTSEC, "checklist", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert shown.returncode == 2, shown.stdout
    assert wanted in shown.stderr and "device.lock" in shown.stderr, shown.stderr
    assert "fix_for.ios" in shown.stderr


def test_the_shipped_checklist_validates() -> None:
    shown = subprocess.run(
        [NUTSEC, "checklist", "validate", "nut-social-media"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "version 2.4" in shown.stdout


# --- the stale-steps listing ------------------------------------------------------------------


def test_stale_lists_only_the_steps_checked_before_the_cutoff(
    write_file: WriteFile, tmp_path: Path
) -> None:
    today = dt.date.today()
    old = _three("Old steps.", "https://old.example/page", "2021-03-04")
    fresh = _three("New steps.", "https://new.example/page", today.isoformat()).replace(
        "fix_for.ios", "fix_for.android"
    )
    path = write_file("mine.toml", _file(3, old + fresh))
    env = {"NUTSEC_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    shown = subprocess.run(
        [NUTSEC, "checklist", "stale", str(path), "--months", "0"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    assert "2021-03-04  checklist t: device.lock, ios" in shown.stdout
    assert "https://old.example/page" in shown.stdout
    assert "new.example" not in shown.stdout
    as_json = subprocess.run(
        [NUTSEC, "checklist", "stale", str(path), "--months", "12", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    data = json.loads(as_json.stdout)
    assert data["checklist"] == {"id": "t", "version": "1"} and data["months"] == 12
    mine = [s for s in data["stale"] if s["where"] == "checklist t"]
    assert mine == [
        {
            "where": "checklist t",
            "step": "device.lock, ios",
            "source": "https://old.example/page",
            "checked": "2021-03-04",
        }
    ]
    # the shipped lost-device steps are listed with the checklist's
    assert data["steps_with_source"] == 2 + len(lost_device_steps()[0])


def test_stale_counts_the_steps_of_an_older_format_that_name_no_source(
    write_file: WriteFile,
) -> None:
    path = write_file("old.toml", _file(2, 'fix_for.ios = "Settings."\n'))
    shown = subprocess.run(
        [NUTSEC, "checklist", "stale", str(path)], capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0, shown.stderr
    assert "1 step of t name no source or date at all" in shown.stdout


def test_stale_on_the_shipped_checklist_finds_nothing_older_than_its_checks() -> None:
    shown = subprocess.run(
        [NUTSEC, "checklist", "stale", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    data = json.loads(shown.stdout)
    months = (dt.date.today().year - 2026) * 12 + dt.date.today().month - 12
    if months < 6:
        assert data["stale"] == []
    assert data["steps_without_source"] == 0


# --- the new items: who is asked, and what the answers mean -------------------------------------


def test_passkeys_is_asked_once_and_not_offered_does_not_count_against() -> None:
    passkeys = item("passwords.passkeys")
    assert passkeys.scope is Scope.PERSON
    assert status("passwords.passkeys", "yes") is AnswerStatus.PASS
    assert status("passwords.passkeys", "partly") is AnswerStatus.PARTIAL
    assert status("passwords.passkeys", "no") is AnswerStatus.FAIL
    assert status("passwords.passkeys", "not_sure") is AnswerStatus.FAIL
    assert status("passwords.passkeys", "not_offered") is AnswerStatus.NOT_APPLICABLE
    assert "April 2026" in passkeys.current and "NCSC" in passkeys.current


@pytest.mark.parametrize(
    ("kind", "system", "asked"),
    [
        ("phone", "ios", True),
        ("phone", "android", True),
        ("tablet", "ios", True),
        ("tablet", "android", True),
        ("phone", "other", True),  # a system not known: asked, as for every device item
        ("laptop", "windows", False),
        ("laptop", "macos", False),
        ("laptop", "chromeos", False),
        ("desktop", "linux", False),
    ],
)
def test_theft_protection_is_asked_of_phones_and_tablets_only(
    kind: str, system: str, asked: bool
) -> None:
    assert item("device.theft-protection").applies_to_device(kind, system) is asked


def test_theft_protection_gives_each_phone_system_its_own_steps() -> None:
    theft = item("device.theft-protection")
    ios, android = theft.fix_for("ios"), theft.fix_for("android")
    assert "Stolen Device Protection" in ios and "SIM PIN" in ios and "Previews" in ios
    for words in ("Theft Detection Lock", "Offline Device Lock", "Identity Check"):
        assert words in android
    assert "android.com/lock" in android and "only its number" in android
    assert "SIM lock" in android and "lock screen" in android
    assert status("device.theft-protection", "partly") is AnswerStatus.PARTIAL
    assert status("device.theft-protection", "not_sure") is AnswerStatus.FAIL


@pytest.mark.parametrize("kind", ["phone", "tablet", "laptop", "desktop"])
def test_backups_are_asked_of_every_device(kind: str) -> None:
    backups = item("device.backups")
    assert backups.applies_to_device(kind, "other")
    assert {key for key, _ in backups.fix_variants} == {
        "ios",
        "android",
        "windows",
        "macos",
        "chromeos",
        "linux",
    }
    assert "February 2025" in backups.fix_for("ios")  # ADP is not offered in the UK
    assert status("device.backups", "yes") is AnswerStatus.PASS
    assert status("device.backups", "partly") is AnswerStatus.PARTIAL


def test_extra_protection_does_not_count_against_reps_who_are_not_targets() -> None:
    extra = item("monitoring.extra-protection")
    assert extra.scope is Scope.PERSON
    assert status("monitoring.extra-protection", "not_applicable") is AnswerStatus.NOT_APPLICABLE
    assert status("monitoring.extra-protection", "no") is AnswerStatus.FAIL
    for words in ("Advanced Protection", "Lockdown Mode", "Advanced Data Protection", "UK"):
        assert words in extra.fix, words


def test_the_reworded_remarks_question_keeps_its_id_and_yes_is_the_good_answer() -> None:
    """Since 2.4 it asks "Do you avoid ...": a Yes is still the good answer, said forwards."""
    remarks = item("defamation.no-damaging-remarks")
    assert remarks.question.startswith("Do you avoid posting or sharing personal attacks")
    assert "free of" not in remarks.question
    assert status("defamation.no-damaging-remarks", "yes") is AnswerStatus.PASS
    assert status("defamation.no-damaging-remarks", "no") is AnswerStatus.FAIL
    assert remarks.answer("yes").label == "Yes, always"  # type: ignore[union-attr]
    assert remarks.answer("no").label == "No, not always"  # type: ignore[union-attr]


# --- the corrected steps say what the vendors' pages say ---------------------------------------


@pytest.mark.parametrize(
    ("item_id", "key", "words"),
    [
        ("device.screen-lock", "android", ["Security & privacy > Device unlock > Screen lock"]),
        ("device.screen-lock", "android", ["Lock screen (and AOD) > Screen lock type"]),
        ("device.screen-lock", "chromeos", ["Privacy and security > Lock screen and sign-in"]),
        ("device.screen-lock", "chromeos", ["'Lock when sleeping or lid is closed'"]),
        ("device.auto-lock", "chromeos", ["System preferences > Power"]),
        ("device.updates", "android", ["Security & privacy > System & updates"]),
        ("device.remote-lock", "android", ["Find Hub", "Samsung Find", "google.com/android/find"]),
        ("device.remote-lock", "windows", ["cannot be wiped"]),
        ("device.encryption", "windows", ["Windows Home without Device encryption"]),
        ("account.recovery-details", "gmail", ["Recovery contacts"]),
        ("account.recent-activity", "linkedin", ["'End these sessions'"]),
        ("account.recent-activity", "tiktok", ["Security & permissions"]),
        ("account.two-factor", "tiktok", ["Security & permissions"]),
        ("account.password-unique", "instagram", ["Settings and privacy > Accounts Centre"]),
    ],
)
def test_the_corrected_menu_paths(item_id: str, key: str, words: list[str]) -> None:
    text = item(item_id).fix_for(key)
    for word in words:
        assert word in text, (item_id, key, word)


def test_the_old_names_are_gone() -> None:
    android = item("device.remote-lock").fix_for("android")
    assert "Find My Device" not in android.replace("called Find My Device until 2025", "")
    assert "Review tags" not in item("public-profile.public-posts-and-photos").fix.replace(
        "on Facebook, Settings & privacy > Settings > Profile and tagging, turn on 'Review tags", ""
    )
    assert "Manually approve tags" in item("public-profile.public-posts-and-photos").fix
    privacy = item("public-profile.privacy-settings").fix
    assert "Audience, media and tagging > Protect your posts" in privacy
    assert "Limit who can see past posts" in item("privacy.lasting-record").fix


def test_report_fraud_and_159_are_named() -> None:
    plan = item("lost-device.response-plan").fix
    assert "Report Fraud" in plan and "0300 123 2040" in plan and "159" in plan
    assert "Police Scotland" in plan
    assert "Action Fraud" not in json.dumps(checklist().to_json())


def test_the_two_step_notes_put_passkeys_first() -> None:
    for item_id in ("account.email-two-factor", "account.two-factor"):
        entry = item(item_id)
        assert "passkeys first" in entry.current and "April 2026" in entry.current
        assert entry.fix.startswith("If the account offers a passkey")


# --- passkeys in the audit, per platform --------------------------------------------------------


def _takes_passkeys(domain: str) -> bool:
    return shipped_passkey_directory().site_for_host(domain) is not None


@pytest.mark.parametrize(
    ("platform", "provider"),
    [(p, "") for p in PLATFORM_DOMAINS] + [("email", p) for p in PROVIDER_DOMAINS],
)
def test_an_account_whose_platform_takes_passkeys_says_so_in_the_audit(
    platform: str, provider: str
) -> None:
    domain = PROVIDER_DOMAINS[provider] if provider else PLATFORM_DOMAINS[platform]
    item_id = "account.email-two-factor" if platform == "email" else "account.two-factor"
    steps = fix_text(item(item_id), Account("Mine", platform, "sam", provider))
    if _takes_passkeys(domain):
        assert "passkey" in steps.lower(), (platform, provider)
    else:
        assert "passkey" not in steps.lower(), (platform, provider)


def test_instagram_is_the_one_platform_of_the_audit_the_snapshot_lists_without_passkeys() -> None:
    missing = [p for p, d in PLATFORM_DOMAINS.items() if not _takes_passkeys(d)]
    assert missing == ["instagram"]
