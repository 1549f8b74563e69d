"""No result object, and no exception raised on bad input, shows any part of a password."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nutsec.breach.model import BreachResult
from nutsec.passwords.fingerprints import ReuseFinder
from nutsec.passwords.strength import assess_strength
from nutsec.secret import Secret
from nutsec.verdict import judge_password

#: Distinctive, so any 3-character piece of it showing up is a leak, not a coincidence.
PASSWORD = "Qz7#vXpLmZw9Rk"
PASSWORDS = [PASSWORD, "+w1TT3r", "Summer2024!", "Qz7#" * 2500]


def leaked_pieces(text: str, password: str) -> list[str]:
    """Every 3-character piece of `password` found in `text` (compared case-sensitively)."""
    pieces = {password[i : i + 3] for i in range(len(password) - 2)}
    return sorted(piece for piece in pieces if piece in text)


def assert_no_leak(text: str, password: str) -> None:
    pieces = leaked_pieces(text, password)
    assert not pieces, f"{len(pieces)} pieces of the password were shown"


@pytest.mark.parametrize("password", PASSWORDS, ids=range(len(PASSWORDS)))
def test_result_objects_repr_and_str_hold_no_part_of_the_password(password: str) -> None:
    secret = Secret(password)
    strength = assess_strength(secret, ("twitter", "sam"))
    finder = ReuseFinder()
    finder.add("Twitter", secret)
    finder.add("Email", Secret(password))
    verdict = judge_password(strength, BreachResult.found(3), reused=True)
    for thing in (secret, strength, finder, verdict, strength.to_json()):
        assert_no_leak(repr(thing), password)
        assert_no_leak(str(thing), password)
        assert_no_leak(f"{thing}", password)


def bad_inputs(password: str) -> list[tuple[str, Callable[[], object]]]:
    """(what, callable) pairs that must raise on bad input."""
    wiped = Secret(password)
    wiped.wipe()
    finder = ReuseFinder()
    finder.add("a", Secret(password))
    return [
        ("plain string to assess_strength", lambda: assess_strength(password)),  # type: ignore[arg-type]
        ("wiped secret", lambda: assess_strength(wiped)),
        ("context as one string", lambda: assess_strength(Secret(password), password)),
        ("non-text context", lambda: assess_strength(Secret(password), [password, 3])),  # type: ignore[list-item]
        ("plain string to add", lambda: ReuseFinder().add("a", password)),  # type: ignore[arg-type]
        ("name added twice", lambda: finder.add("a", Secret(password))),
        ("wiped secret to add", lambda: ReuseFinder().add("a", wiped)),
        ("comparing secrets", lambda: Secret(password) == Secret(password)),
    ]


@pytest.mark.parametrize("index", range(8))
def test_exceptions_on_bad_input_hold_no_part_of_the_password(index: int) -> None:
    what, call = bad_inputs(PASSWORD)[index]
    with pytest.raises(Exception) as caught:  # any exception: each is checked below
        call()
    error = caught.value
    for text in (str(error), repr(error), repr(error.args)):
        pieces = leaked_pieces(text, PASSWORD)
        assert not pieces, f"{what}: the exception showed {len(pieces)} pieces of the password"
