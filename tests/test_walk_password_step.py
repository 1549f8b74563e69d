"""The password step: reuse is recomputed for every account checked so far; passwords are wiped."""

from __future__ import annotations

from nutsec.audit.password_step import PasswordChecker, strength_context
from nutsec.audit_data import Account
from nutsec.breach.model import BreachStatus, OfflineSource
from nutsec.secret import Secret

MAIL, TWITTER, FB = (
    Account("Mail", "email"),
    Account("Twitter", "twitter", "sam"),
    Account("FB", "facebook"),
)


def test_strength_context_names_the_account_and_the_union() -> None:
    assert strength_context(TWITTER) == ("twitter", "Twitter", "sam", "nut", "union")
    assert strength_context(MAIL) == ("email", "Mail", "nut", "union")


def test_reuse_is_recomputed_for_earlier_accounts_and_secrets_are_wiped() -> None:
    checker = PasswordChecker(OfflineSource())
    first = Secret("kettle ocean violin 77")
    found = checker.check(MAIL, first)
    assert first.wiped
    assert found["Mail"].reused_with == ()
    assert found["Mail"].breach.status is BreachStatus.UNKNOWN
    found = checker.check(TWITTER, Secret("kettle ocean violin 77"))
    assert found["Mail"].reused_with == ("Twitter",)
    assert found["Twitter"].reused_with == ("Mail",)
    found = checker.check(FB, Secret("kettle ocean violin 78"))
    assert found["FB"].similar_to == ("Mail", "Twitter")


def test_checking_an_account_again_replaces_its_password() -> None:
    checker = PasswordChecker(OfflineSource())
    checker.check(MAIL, Secret("kettle ocean violin 77"))
    checker.check(TWITTER, Secret("kettle ocean violin 77"))
    found = checker.check(TWITTER, Secret("a completely different phrase!"))
    assert found["Mail"].reused_with == ()
    assert found["Twitter"].reused_with == ()
    assert set(found) == {"Mail", "Twitter"}
