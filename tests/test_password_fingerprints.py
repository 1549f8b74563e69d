"""Reuse and near-reuse are found from keyed fingerprints, with the normalisation documented."""

from __future__ import annotations

import pytest

from nutsec.passwords.fingerprints import ReuseFinder
from nutsec.secret import Secret


def finder_with(passwords: dict[str, str], key: bytes | None = None) -> ReuseFinder:
    finder = ReuseFinder(key)
    for name, password in passwords.items():
        finder.add(name, Secret(password))
    return finder


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Summer2024!", "summer2025"),
        ("Summer2024!", "$ummer2024"),
        ("summer2025", "$ummer2024"),
        ("Summer2024!", "Summer2025!"),
        ("Summer2024", "2024Summer"),
        ("P@ssw0rd1", "password"),
        ("Tw1tter!", "twitter99"),
        ("he110world", "HelloWorld"),
        ("Purple-Teacup 7", "purpleteacup"),
        ("Ünïcode2020", "ünïcode2021"),
    ],
)
def test_same_base_is_similar(first: str, second: str) -> None:
    finder = finder_with({"a": first, "b": second})
    assert finder.similar_to("a") == ["b"], "these should share a base"
    assert finder.similar_to("b") == ["a"]
    assert finder.reused_with("a") == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Summer2024!", "Winter2024!"),
        ("Summer2024!", "Summer2024summer"),
        ("abc123", "abc456"),  # base too short to mean anything
        ("123456", "654321"),  # no letters at all
        ("correct horse", "correct horse battery"),
        ("Spring!", "Sprung!"),
        ("hell0", "hello"),  # known limit: a look-alike at the end is taken as a number
    ],
)
def test_different_bases_are_not_similar(first: str, second: str) -> None:
    finder = finder_with({"a": first, "b": second})
    assert finder.similar_to("a") == []
    assert finder.reused_with("a") == []


def test_exact_reuse_is_reused_not_similar() -> None:
    finder = finder_with(
        {"Twitter": "Summer2024!", "Email": "Summer2024!", "Union": "Summer2025!", "Bank": "x9!"}
    )
    assert finder.reused_with("Twitter") == ["Email"]
    assert finder.similar_to("Twitter") == ["Union"]
    assert finder.reused_with("Union") == []
    assert finder.similar_to("Union") == ["Twitter", "Email"]
    assert finder.reused_with("Bank") == [] and finder.similar_to("Bank") == []


def test_exact_match_is_case_sensitive() -> None:
    finder = finder_with({"a": "Summer2024!", "b": "summer2024!"})
    assert finder.reused_with("a") == []
    assert finder.similar_to("a") == ["b"]


def test_empty_passwords_are_not_reuse_of_each_other() -> None:
    finder = finder_with({"a": "", "b": ""})
    assert finder.reused_with("a") == [] and finder.similar_to("a") == []


def test_finders_with_different_random_keys_hold_different_fingerprints() -> None:
    one, two = finder_with({"a": "Summer2024!"}), finder_with({"a": "Summer2024!"})
    assert one._exact["a"] != two._exact["a"]


def test_same_key_gives_the_same_fingerprints() -> None:
    key = bytes(range(32))
    one, two = finder_with({"a": "Summer2024!"}, key), finder_with({"a": "Summer2024!"}, key)
    assert one._exact["a"] == two._exact["a"] and one._base["a"] == two._base["a"]


def test_finder_holds_no_plaintext() -> None:
    finder = finder_with({"a": "Summer2024!", "b": "Winter2024!"})
    held = repr(vars(finder)).lower()
    for fragment in ("summer", "winter", "2024"):
        assert fragment not in held, "a fragment of a password is held"


def test_duplicate_name_and_unknown_name_are_errors() -> None:
    finder = finder_with({"a": "one"})
    with pytest.raises(ValueError, match="already added"):
        finder.add("a", Secret("two"))
    with pytest.raises(KeyError):
        finder.reused_with("nobody")


def test_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        ReuseFinder(b"short")


def test_clear_zeroes_the_key_and_forgets() -> None:
    finder = finder_with({"a": "Summer2024!"})
    key = finder._key
    finder.clear()
    assert key == bytearray(len(key)) and finder.names() == []
    with pytest.raises(ValueError, match="cleared"):
        finder.add("b", Secret("x"))
