"""The combined verdict: breached beats everything, reuse is never strong, unknown is not safe."""

from __future__ import annotations

import pytest

from nutsec.breach.model import BreachResult
from nutsec.passwords.strength import Rating, StrengthResult, assess_strength
from nutsec.secret import Secret
from nutsec.verdict import describe_breach, judge_password


def strength_rated(rating: Rating) -> StrengthResult:
    score = {"weak": 1, "fair": 3, "strong": 4}[rating]
    return StrengthResult(score, "centuries", "", ("Add another word or two.",), rating)


@pytest.mark.parametrize("rating", ["weak", "fair", "strong"])
def test_breached_password_is_breached_whatever_its_strength(rating: Rating) -> None:
    verdict = judge_password(strength_rated(rating), BreachResult.found(12))
    assert verdict.level == "breached"
    assert verdict.advice[0] == "Change it now, on every account where you use it."
    assert verdict.breach_line == "Found in known data breaches (12 times)."


def test_reused_strong_password_is_never_strong() -> None:
    verdict = judge_password(strength_rated("strong"), BreachResult.not_found(), reused=True)
    assert verdict.level == "weak"
    assert "more than one account" in verdict.headline


def test_similar_strong_password_is_at_most_fair() -> None:
    verdict = judge_password(strength_rated("strong"), BreachResult.not_found(), similar=True)
    assert verdict.level == "fair"


@pytest.mark.parametrize("rating", ["weak", "fair", "strong"])
def test_without_breach_or_reuse_the_level_is_the_strength_rating(rating: Rating) -> None:
    assert judge_password(strength_rated(rating), BreachResult.not_found()).level == rating


@pytest.mark.parametrize(
    ("breach", "line"),
    [
        (BreachResult.unknown("offline"), "Not checked for known breaches (offline)."),
        (BreachResult.unknown("timed out"), "Not checked for known breaches (timed out)."),
        (None, "Not checked for known breaches."),
        (BreachResult.not_found(), "Not found in known data breaches."),
        (BreachResult.found(1), "Found in known data breaches (once)."),
        (BreachResult.found(12345), "Found in known data breaches (12,345 times)."),
    ],
)
def test_breach_line_never_calls_unknown_safe(breach: BreachResult | None, line: str) -> None:
    assert describe_breach(breach) == line
    assert "safe" not in line.lower()


def test_weak_password_advice_includes_zxcvbn_suggestions_once() -> None:
    verdict = judge_password(strength_rated("weak"), None)
    assert verdict.advice.count("Add another word or two.") == 1
    assert verdict.advice[-1].startswith("If it is not on yet, turn on two-step verification")


@pytest.mark.parametrize(
    ("said", "advice"),
    [
        (True, None),  # on, or the service offers none: nothing to say
        (False, "Turn on two-step verification, so a password alone is not enough."),
        (None, "If it is not on yet, turn on two-step verification, so a password alone is"),
    ],
)
def test_the_two_step_advice_follows_what_the_person_said(
    said: bool | None, advice: str | None
) -> None:
    strength = assess_strength(Secret("kettle ocean violin marmalade"), ())
    lines = judge_password(strength, None, two_step_on=said).advice
    two_step = [line for line in lines if "two-step" in line]
    assert two_step == ([] if advice is None else [two_step[0]])
    if advice is not None:
        assert two_step[0].startswith(advice)
