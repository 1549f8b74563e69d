"""The lost-device card: PRODUCT.md's order for these devices and accounts; wording as data."""

from __future__ import annotations

import pytest

from nutsec.audit_data import PLATFORMS, Account, Device
from nutsec.errors import NutsecError
from nutsec.lostdevice.card import (
    ACCOUNT_ORDER,
    SHIPPED,
    StepKind,
    build_lost_device_card,
    load_card_content,
    order_accounts,
    shipped_card_content,
)
from tests.conftest import REPO

SHIPPED_TEXT = (REPO / SHIPPED).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("platforms", "expected"),
    [
        # e-mail first: it can reset every other password
        (["twitter", "email"], ["email", "twitter"]),
        # then union and work, then social media
        (["facebook", "work", "union", "email"], ["email", "union", "work", "facebook"]),
        (
            ["whatsapp", "tiktok", "linkedin", "instagram", "facebook", "twitter"],
            ["twitter", "facebook", "instagram", "linkedin", "tiktok", "whatsapp"],
        ),
        # free text is "other", which comes last; case and spaces do not matter
        (["Gmail", " EMAIL ", "other", "Union"], [" EMAIL ", "Union", "Gmail", "other"]),
        # two of a kind keep the order the person gave
        (["twitter", "email", "twitter", "email"], ["email", "email", "twitter", "twitter"]),
        ([], []),
    ],
)
def test_accounts_are_secured_email_first_then_union_and_work_then_social(
    platforms: list[str], expected: list[str]
) -> None:
    accounts = [Account(f"a{i}", platform) for i, platform in enumerate(platforms)]
    assert [a.platform for a in order_accounts(accounts)] == expected
    # the same order on the card
    card = build_lost_device_card((), accounts)
    secured = [s.subject for s in card.steps if s.kind is StepKind.SECURE_ACCOUNT]
    if accounts:
        assert secured == [a.name for a in order_accounts(accounts)]


def test_same_platform_keeps_the_given_order() -> None:
    accounts = [Account("Work mail", "email"), Account("X", "twitter"), Account("Home", "email")]
    assert [a.name for a in order_accounts(accounts)] == ["Work mail", "Home", "X"]


def test_every_platform_has_a_place_in_the_order() -> None:
    assert sorted(ACCOUNT_ORDER) == sorted(PLATFORMS)
    assert ACCOUNT_ORDER[0] == "email" and ACCOUNT_ORDER[-1] == "other"


def test_steps_report_then_lock_then_accounts_then_check_activity() -> None:
    devices = [Device("Work phone", "phone"), Device("Laptop", "laptop")]
    accounts = [
        Account("Twitter", "twitter"),
        Account("Union site", "union"),
        Account("Mail", "email"),
    ]
    card = build_lost_device_card(devices, accounts)
    assert [(s.number, s.kind, s.subject) for s in card.steps] == [
        (1, StepKind.REPORT_LOSS, None),
        (2, StepKind.LOCK_AND_WIPE, "Work phone"),
        (3, StepKind.LOCK_AND_WIPE, "Laptop"),
        (4, StepKind.SECURE_ACCOUNT, "Mail"),
        (5, StepKind.SECURE_ACCOUNT, "Union site"),
        (6, StepKind.SECURE_ACCOUNT, "Twitter"),
        (7, StepKind.CHECK_ACTIVITY, None),
    ]
    assert card.steps[1].title == "Lock and wipe Work phone remotely"
    assert card.steps[3].title == "Secure Mail"
    assert "reset every other password" in card.steps[3].detail
    assert "reset every other password" not in card.steps[5].detail


@pytest.mark.parametrize(
    ("kind", "addresses"),
    [
        (
            "phone",
            [
                "icloud.com/find",
                "google.com/android/find",
                "android.com/lock",
                "smartthingsfind.samsung.com",
            ],
        ),
        ("tablet", ["icloud.com/find", "google.com/android/find"]),
        ("laptop", ["account.microsoft.com/devices", "icloud.com/find"]),
        ("desktop", ["account.microsoft.com/devices", "icloud.com/find"]),
    ],
)
def test_each_device_kind_says_where_remote_lock_and_wipe_live(
    kind: str, addresses: list[str]
) -> None:
    [lock] = [
        s
        for s in build_lost_device_card([Device("It", kind)], ()).steps
        if s.kind is StepKind.LOCK_AND_WIPE
    ]
    assert [hint.rsplit(" at ", 1)[1] for hint in lock.hints] == addresses
    assert all("://" not in hint for hint in lock.hints), "plain text, as printed"


def test_no_devices_or_accounts_still_gives_a_general_card() -> None:
    card = build_lost_device_card((), ())
    assert [s.kind for s in card.steps] == [
        StepKind.REPORT_LOSS,
        StepKind.LOCK_AND_WIPE,
        StepKind.SECURE_ACCOUNT,
        StepKind.CHECK_ACTIVITY,
    ]
    assert card.steps[1].title == "Lock and wipe the lost device remotely"
    assert {"icloud.com/find", "google.com/android/find", "account.microsoft.com/devices"} <= {
        hint.rsplit(" at ", 1)[1] for hint in card.steps[1].hints
    }
    assert card.steps[2].title == "Secure your e-mail"


def test_names_with_braces_are_shown_as_typed() -> None:
    card = build_lost_device_card([Device("{account} {0}", "phone")], [Account("{device}", "x")])
    assert card.steps[1].title == "Lock and wipe {account} {0} remotely"
    assert card.steps[2].title == "Secure {device}"


def test_the_shipped_wording_loads() -> None:
    content = shipped_card_content()
    assert content.title == "Lost or stolen device: what to do, in order"
    assert load_card_content(SHIPPED_TEXT, SHIPPED) == content


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        (
            'title = "Lost or stolen device: what to do, in order"',
            "",
            "'title' must be non-empty text",
        ),
        (
            'title = "Secure {account}"',
            'title = "Secure {device}"',
            "'secure_account.title' uses {device}",
        ),
        (
            'title = "Report the loss"',
            'title = "Report {it"',
            "'report_loss.title' has an unmatched",
        ),
        ("[[remote.tablet]]", "[[remote.watch]]", "'remote.tablet' must list at least one service"),
        ("[[remote.tablet]]", "[[remote.watch]]", "'remote.watch' is not a device kind"),
        ('address = "icloud.com/find"', 'address = "https://icloud.com/find"', "without http"),
        ('system = "Windows"', 'system = ""', "needs system, service and address"),
        ("union_work = ", "union_and_work = ", "'secure_account.groups.union_work'"),
        ("[check_activity]", "[check]", "'check_activity' must be a table"),
        ('numbers = ["Union office"', 'numbers = [""', "'contacts.numbers' must be a list"),
        ("[contacts]", "[phone_numbers]", "'contacts' must be a table"),
        (
            'finder_off = "Find my device is off, or may be off, on {device}',
            'finder_off = "Off on {account}',
            "'contacts.finder_off' uses {account}",
        ),
    ],
)
def test_a_broken_card_file_names_the_key_at_fault(old: str, new: str, named: str) -> None:
    assert old in SHIPPED_TEXT
    with pytest.raises(NutsecError) as caught:
        load_card_content(SHIPPED_TEXT.replace(old, new), "my-card.toml")
    assert caught.value.message.startswith("my-card.toml: the lost-device card has")
    assert any(named in line for line in caught.value.details), caught.value.details


def test_a_card_file_that_is_not_toml_is_one_clear_error() -> None:
    with pytest.raises(NutsecError, match=r"^my-card.toml: not valid TOML"):
        load_card_content("title = ", "my-card.toml")


def test_the_card_has_numbers_to_ring_a_lock_screen_line_and_finder_warnings() -> None:
    devices = (Device("Phone", "phone", "ios"), Device("Laptop", "laptop", "windows"))
    card = build_lost_device_card(devices, (), finder_off=("Phone",))
    assert card.contacts[0] == "Union office" and any("101" in c for c in card.contacts)
    assert "If found, please call" in card.lock_screen
    (warning,) = card.warnings
    assert warning.startswith("Find my device is off, or may be off, on Phone")
    # The lock-and-wipe hints name only the device's own system's service.
    hints = {step.subject: step.hints for step in card.steps if step.hints}
    assert hints == {
        "Phone": ("iPhone: Find My at icloud.com/find",),
        "Laptop": (
            "Windows: Find my device (it locates and locks a personal PC but cannot wipe it: "
            "device encryption, a new Microsoft password and Sign out everywhere, which takes up "
            "to 24 hours, protect it) at account.microsoft.com/devices",
        ),
    }
    unknown = build_lost_device_card((Device("Old", "phone"),), ())
    # system not known: every phone service (Find My; Find Hub, Remote Lock and Samsung Find)
    assert len(next(s.hints for s in unknown.steps if s.hints)) == 4
