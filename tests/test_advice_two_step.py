"""The guided audit's two-step item, for an account on a known site, gives that site's methods
and its own how-to page from the 2FA Directory; everything else keeps the checklist's words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nutsec.advice import fix_text, variant_keys
from nutsec.audit_data import Account, Device
from nutsec.checklist.catalog import shipped_dir
from nutsec.checklist.loader import load_checklist
from nutsec.checklist.model import Item


def _item(item_id: str) -> Item:
    checklist = load_checklist(shipped_dir() / "nut-social-media.toml")
    return next(i for s in checklist.sections for i in s.items if i.id == item_id)


@pytest.mark.parametrize(
    ("platform", "provider", "link"),
    [
        ("twitter", "", "https://help.x.com/en/managing-your-account/two-factor-authentication"),
        ("facebook", "", "https://www.facebook.com/help/148233965247823"),
        ("email", "gmail", "https://safety.google/authentication/"),
        ("email", "outlook", "https://support.microsoft.com/en-us/help/12408/"),
    ],
)
def test_a_known_sites_two_step_steps_come_from_the_directory(
    platform: str, provider: str, link: str
) -> None:
    item_id = "account.email-two-factor" if platform == "email" else "account.two-factor"
    account = Account("Mine", platform, "sam", provider)
    text = fix_text(_item(item_id), account)
    assert link in text and "offers two-step sign-in by" in text


def test_an_unknown_site_keeps_the_checklists_steps() -> None:
    item = _item("account.two-factor")
    branch = Account("Branch site", "union", "sam")
    assert fix_text(item, branch) == item.fix_for(*variant_keys(branch))
    email = _item("account.email-two-factor")
    work = Account("Work mail", "email", "sam", "work")
    assert fix_text(email, work) == email.fix_for(*variant_keys(work))


def test_a_checklist_variant_for_the_site_comes_first_then_the_directory() -> None:
    item = replace(_item("account.two-factor"), fix_variants=(("twitter", "Settings > Security."),))
    text = fix_text(item, Account("X", "twitter", "sam"))
    assert text.startswith("Settings > Security. X (Twitter) offers two-step sign-in")


def test_other_items_and_devices_are_unchanged() -> None:
    item = _item("account.two-factor")
    assert fix_text(item, Device("Phone", "phone", "ios")) == item.fix_for("ios", "phone")
    other = _item("account.password-unique")
    assert fix_text(other, Account("X", "twitter", "sam")) == other.fix_for("twitter")


def test_what_was_said_of_two_step_sign_in_has_three_states() -> None:
    from nutsec.advice import said_two_step_on
    from nutsec.checklist.catalog import shipped_dir
    from nutsec.checklist.loader import load_checklist
    from nutsec.checklist.model import AnswerStatus

    checklist = load_checklist(shipped_dir() / "nut-social-media.toml")
    item = checklist.item("account.two-factor")
    assert item is not None
    by_status = {o.status: o.key for o in item.answers}
    said = {
        status: said_two_step_on(checklist, {("account.two-factor", "X"): key}, "X")
        for status, key in by_status.items()
    }
    assert said[AnswerStatus.PASS] is True
    assert said[AnswerStatus.NOT_APPLICABLE] is True  # the service offers none: nothing to turn on
    assert said[AnswerStatus.FAIL] is False
    assert said_two_step_on(checklist, {}, "X") is None  # not asked yet
