"""Strength: context counts, the score alone does not decide, long input is bounded, threads."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from nutsec.passwords.strength import (
    MAX_EVALUATED_CHARS,
    StrengthResult,
    account_context,
    assess_strength,
    context_words,
    rate,
)
from nutsec.secret import Secret


def strength(password: str, context: tuple[str, ...] = ()) -> StrengthResult:
    return assess_strength(Secret(password), context)


def test_guidance_example_for_twitter_scores_0_to_1_and_is_weak() -> None:
    result = strength("+w1TT3r", ("twitter",))
    assert result.score in (0, 1)
    assert result.rating == "weak"


def test_account_context_lowers_the_score() -> None:
    with_context = strength("SamRivers2024", ("Twitter", "sam_rivers", "Sam Rivers"))
    without = strength("SamRivers2024")
    assert with_context.score < without.score


def test_context_words_include_the_parts_of_usernames_and_names() -> None:
    assert context_words(["Sam_Rep", "Sam Rivers", "  ", "nut"]) == [
        "sam_rep",
        "sam",
        "rep",
        "sam rivers",
        "rivers",
        "nut",
    ]


@pytest.mark.parametrize(
    "passphrase", ["lantern velvet orchard", "violin harbour pebble", "copper-meadow-biscuit"]
)
def test_three_random_words_score_at_least_3(passphrase: str) -> None:
    assert strength(passphrase).score >= 3


@pytest.mark.parametrize("password", ["Tr0ub4dor&3", "PurpleTeacupMountain"])
def test_score_4_that_falls_to_a_fast_hash_attack_is_not_strong(password: str) -> None:
    result = strength(password)
    assert result.score == 4, "zxcvbn's score alone would call this strong"
    assert result.rating != "strong"
    assert result.fast_crack_time.endswith("seconds")


def test_a_long_random_passphrase_is_strong() -> None:
    result = strength("correct horse battery staple")
    assert (result.score, result.rating) == (4, "strong")
    assert result.crack_time == "centuries"


@pytest.mark.parametrize(
    ("score", "guesses", "rating"),
    [
        (0, "10", "weak"),
        (2, "99999999", "weak"),
        (3, "1e9", "fair"),
        (4, "1e11", "fair"),
        (4, "8.63e14", "fair"),
        (4, "8.64e14", "strong"),
    ],
)
def test_rating_rule_as_documented(score: int, guesses: str, rating: str) -> None:
    from decimal import Decimal

    assert rate(score, Decimal(guesses)) == rating


def test_crack_time_is_for_the_slow_hash_attack() -> None:
    result = strength("Tr0ub4dor&3")
    assert result.crack_time == "4 months"
    assert result.fast_crack_time == "10 seconds"


def test_ten_thousand_characters_are_evaluated_on_a_bounded_prefix() -> None:
    result = strength("correct horse battery staple " * 345)
    assert result.truncated is True
    assert result.evaluated_chars == MAX_EVALUATED_CHARS
    assert result.score == 4


def test_leet_heavy_paste_is_cut_shorter_to_bound_the_work() -> None:
    # Every leet symbol present makes zxcvbn try 736 substitution tables: the prefix shrinks.
    result = strength("4@8(3691!|70$5+%2{[<" * 500)
    assert result.truncated is True
    assert 12 <= result.evaluated_chars < 30


def test_password_of_the_maximum_length_is_not_truncated() -> None:
    result = strength("a" * MAX_EVALUATED_CHARS)
    assert result.truncated is False
    assert result.evaluated_chars == MAX_EVALUATED_CHARS


def test_empty_password_is_weak_and_says_none_was_given() -> None:
    result = strength("")
    assert (result.score, result.rating) == (0, "weak")
    assert result.warning == "No password was given."


def test_to_json_has_exactly_the_contract_fields() -> None:
    data = strength("Summer2024!").to_json()
    assert list(data) == ["score", "crack_time", "warning", "suggestions"]
    assert isinstance(data["suggestions"], list)


def test_feedback_is_plain_english() -> None:
    result = strength("Summer2024!")
    assert result.warning == "This is similar to a commonly used password."
    assert "Add another word or two. Uncommon words are better." in result.suggestions


def test_wiped_secret_cannot_be_assessed() -> None:
    secret = Secret("something")
    secret.wipe()
    with pytest.raises(ValueError, match="wiped"):
        assess_strength(secret)


def test_plain_string_is_refused() -> None:
    with pytest.raises(TypeError, match="takes a Secret"):
        assess_strength("Summer2024!")  # type: ignore[arg-type]


def test_context_as_a_single_string_is_refused() -> None:
    with pytest.raises(TypeError, match="sequence of words"):
        assess_strength(Secret("x"), "twitter")


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads every few microseconds, so an unguarded global would be caught mixing."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_concurrent_checks_never_mix_contexts() -> None:
    password = "Marguerite-Okonkwo-Fairweather"
    person = ("marguerite", "okonkwo", "fairweather")
    expected = {True: strength(password, person), False: strength(password)}
    assert expected[True] != expected[False], "context must matter for this test"
    wrong: list[bool] = []

    def check(with_context: bool) -> None:
        for _ in range(25):
            result = strength(password, person if with_context else ())
            if result != expected[with_context]:
                wrong.append(with_context)

    threads = [threading.Thread(target=check, args=(i % 2 == 0,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_account_context_holds_what_is_known_plus_the_union() -> None:
    assert account_context("Twitter", "sam_rep", None, "") == ("Twitter", "sam_rep", "nut", "union")
    assert strength("NUTunion2024", account_context()).score < strength("NUTunion2024").score


@pytest.mark.parametrize(
    ("password", "plain"),
    [
        ("Summer2024!", "Capital letters do not make it much harder."),
        ("p@ssw0rd", "Swapping letters for look-alikes, like '@' for 'a', does not help much."),
        ("password", "This is one of the 10 most common passwords."),
    ],
)
def test_feedback_is_in_plain_words(password: str, plain: str) -> None:
    result = strength(password)
    said = [result.warning, *result.suggestions]
    assert plain in said, "plain feedback missing"
    assert not any("Capitalization" in s or "top-10" in s or "don't" in s for s in said)
