"""Each platform's own lost-device steps: data that covers every platform, checked on load, and
placed by the card builder in PRODUCT.md's order."""

from __future__ import annotations

import pytest

from nutsec.audit_data import PLATFORMS, Account, Device
from nutsec.errors import NutsecError
from nutsec.lostdevice.card import ACCOUNT_ORDER, StepKind, build_lost_device_card
from nutsec.lostdevice.platforms import (
    SHIPPED_PLATFORMS,
    Field,
    load_platform_guide,
    shipped_platform_guide,
)
from tests.conftest import REPO

SHIPPED_TEXT = (REPO / SHIPPED_PLATFORMS).read_text(encoding="utf-8")
GUIDE = shipped_platform_guide()


def test_the_shipped_platform_steps_load_and_cover_every_platform() -> None:
    assert load_platform_guide(SHIPPED_TEXT, SHIPPED_PLATFORMS) == GUIDE
    assert set(GUIDE.platforms) == set(PLATFORMS)
    for key, steps in GUIDE.platforms.items():
        assert set(steps.text) == set(Field), key
        assert all(text.strip() and "://" not in text for text in steps.text.values()), key


def test_email_has_notes_for_gmail_outlook_icloud_and_union_or_work_mail() -> None:
    providers = [note.provider for note in GUIDE.platforms["email"].notes]
    assert providers == ["Gmail", "Outlook or Hotmail", "Apple iCloud Mail", "Union or work e-mail"]


@pytest.mark.parametrize(
    ("account", "providers"),
    [
        (Account("Mail", "email", "sam@gmail.com"), ["Gmail"]),
        (Account("Hotmail", "email"), ["Outlook or Hotmail"]),
        (Account("Mail", "email", "sam@icloud.com"), ["Apple iCloud Mail"]),
        (Account("Branch mail", "email", "sam@example-union.org"), ["Union or work e-mail"]),
        # the provider chosen in the audit decides: a school Outlook account is the IT desk's
        (Account("School Outlook", "email", "", "work"), ["Union or work e-mail"]),
        (Account("Mail", "email", "", "outlook"), ["Outlook or Hotmail"]),
        (Account("Mail", "email", "", "yahoo"), []),  # no note: the general steps only
        # the user name's local part is not a provider: only its domain counts
        (
            Account("Mail", "email", "olive.gmail@example.test"),
            ["Gmail", "Outlook or Hotmail", "Apple iCloud Mail", "Union or work e-mail"],
        ),
    ],
)
def test_an_email_account_gets_the_note_for_its_provider_or_all_of_them(
    account: Account, providers: list[str]
) -> None:
    card = build_lost_device_card((), [account], platforms=GUIDE)
    [secure] = [s for s in card.steps if s.kind is StepKind.SECURE_ACCOUNT]
    labels = [line.label for line in secure.lines]
    assert labels[:3] == ["Sign out everywhere", "Change the password", "Two-step and recovery"]
    assert labels[3:] == providers


ACCOUNTS = [
    Account("Facebook page", "facebook"),
    Account("Branch site", "union"),
    Account("Mail", "email"),
    Account("Union X", "twitter"),
    Account("Staff login", "work"),
    Account("Forum", "something odd"),
]


@pytest.mark.parametrize(
    ("devices", "accounts", "expected"),
    [
        (
            [Device("Work phone", "phone")],
            ACCOUNTS,
            [
                (StepKind.REPORT_LOSS, None),
                (StepKind.LOCK_AND_WIPE, "Work phone"),
                (StepKind.SECURE_ACCOUNT, "Mail"),  # e-mail first
                (StepKind.SECURE_ACCOUNT, "Branch site"),  # then union and work
                (StepKind.SECURE_ACCOUNT, "Staff login"),
                (StepKind.SECURE_ACCOUNT, "Union X"),  # then social media
                (StepKind.SECURE_ACCOUNT, "Facebook page"),
                (StepKind.SECURE_ACCOUNT, "Forum"),  # anything else last
                (StepKind.CHECK_ACTIVITY, None),
            ],
        ),
        (
            [],
            [],
            [
                (StepKind.REPORT_LOSS, None),
                (StepKind.LOCK_AND_WIPE, None),
                (StepKind.SECURE_ACCOUNT, None),
                (StepKind.CHECK_ACTIVITY, None),
            ],
        ),
    ],
)
def test_runbook_order_report_lock_email_union_work_social_then_check(
    devices: list[Device], accounts: list[Account], expected: list[tuple[StepKind, str | None]]
) -> None:
    card = build_lost_device_card(devices, accounts, platforms=GUIDE)
    assert [(s.kind, s.subject) for s in card.steps] == expected
    assert [s.number for s in card.steps] == list(range(1, len(expected) + 1))
    assert len({s.key for s in card.steps}) == len(card.steps), "tick-log keys are unique"


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_platform_brings_its_own_steps_to_the_account(platform: str) -> None:
    card = build_lost_device_card((), [Account("It", platform)], platforms=GUIDE)
    steps = GUIDE.platforms[platform].text
    [secure] = [s for s in card.steps if s.kind is StepKind.SECURE_ACCOUNT]
    assert [line.text for line in secure.lines][:3] == [
        steps[Field.SESSIONS],
        steps[Field.PASSWORD],
        steps[Field.TWO_STEP],
    ]
    check = card.steps[-1]
    assert [(line.label, line.text) for line in check.lines] == [
        ("It, recent activity", steps[Field.ACTIVITY]),
        ("It, report misuse", steps[Field.REPORT]),
    ]


def test_accounts_on_one_platform_share_the_check_lines_in_securing_order() -> None:
    accounts = [Account("X one", "twitter"), Account("Mail", "email"), Account("X two", "twitter")]
    check = build_lost_device_card((), accounts, platforms=GUIDE).steps[-1]
    assert [line.label for line in check.lines] == [
        "Mail, recent activity",
        "Mail, report misuse",
        "X one, X two, recent activity",
        "X one, X two, report misuse",
    ]


def test_the_general_runbook_says_where_to_report_on_every_platform() -> None:
    check = build_lost_device_card((), (), platforms=GUIDE).steps[-1]
    reported = [line.label for line in check.lines if line.label.endswith("report misuse")]
    assert reported == [f"{PLATFORMS[key]}, report misuse" for key in ACCOUNT_ORDER]


def test_without_a_guide_the_card_is_the_reports_card() -> None:
    card = build_lost_device_card([Device("P", "phone")], [Account("M", "email")])
    assert all(step.lines == () for step in card.steps)


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("[whatsapp]", "[whatsapp_business]", "'whatsapp' must be a table"),
        ("[whatsapp]", "[whatsapp_business]", "'whatsapp_business' is not a platform"),
        (
            'report = "facebook.com/hacked',
            'report = "https://facebook.com/hacked',
            "'facebook.report': write addresses without http",
        ),
        ('sessions = "Me > Settings', 'session = "Me > Settings', "'linkedin.sessions' must be"),
        ('sessions = "Me > Settings', 'session = "Me > Settings', "'linkedin.session' is not one"),
        ('provider = "Gmail"', 'provider = ""', "'email.notes entry 1: provider' must be"),
        ('match = ["gmail"', 'match = [1, "gmail"', "'email.notes entry 1: match' must be"),
        ('report = "Report misuse"', 'report = "Report\\u001b[2J"', "control character U+001B"),
        ("[labels]", "[label]", "'labels' must be a table"),
    ],
)
def test_a_broken_platform_file_names_every_key_at_fault(old: str, new: str, named: str) -> None:
    assert old in SHIPPED_TEXT
    with pytest.raises(NutsecError) as caught:
        load_platform_guide(SHIPPED_TEXT.replace(old, new, 1), "my-platforms.toml")
    assert caught.value.message.startswith("my-platforms.toml: the platform steps have")
    assert any(named in line for line in caught.value.details), caught.value.details


def test_every_problem_is_named_at_once() -> None:
    text = SHIPPED_TEXT.replace("[tiktok]", "[tik_tok]").replace('report = "Report misuse"', "")
    with pytest.raises(NutsecError) as caught:
        load_platform_guide(text, "p.toml")
    assert len(caught.value.details) == 3, caught.value.details


def test_a_platform_file_that_is_not_toml_is_one_clear_error() -> None:
    with pytest.raises(NutsecError, match=r"^p.toml: not valid TOML"):
        load_platform_guide("[email", "p.toml")
