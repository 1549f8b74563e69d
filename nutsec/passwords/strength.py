"""Password strength (zxcvbn), evaluated with the account's context, bounded in time and memory.

zxcvbn's result dict holds the password and pieces of it, so only plain numbers and fixed English
phrases are copied out of it; the dict is cleared at once. See docs/security.md.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from nutsec.passwords.weakness import pattern_kinds
from nutsec.secret import Secret

Rating = Literal["strong", "fair", "weak"]

#: Never evaluate more than this many characters (zxcvbn's own default limit, bcrypt's too).
MAX_EVALUATED_CHARS = 72
#: Work allowed per check, in zxcvbn "units": (leet substitution tables + 1) x characters².
#: Calibrated so the worst case (every leet symbol present) stays near 0.15 s on 2 slow cores.
WORK_BUDGET = 100_000
#: Below this many characters the prefix is never cut further, whatever the work estimate.
MIN_EVALUATED_CHARS = 12

#: Guesses per second of the two offline attacks nutsec reasons about (zxcvbn's scenarios).
SLOW_HASH_RATE = Decimal(10_000)  # salted bcrypt/scrypt/argon2 on one attacker's rig
FAST_HASH_RATE = Decimal(10_000_000_000)  # unsalted MD5/SHA-1/NTLM on one GPU rig
#: A "strong" password survives at least this long against the fast-hash attack.
STRONG_FAST_HASH_SECONDS = Decimal(86_400)

_SLOW = "offline_slow_hashing_1e4_per_second"
_FAST = "offline_fast_hashing_1e10_per_second"

#: zxcvbn's feedback in the plain British English the rest of nutsec speaks; others pass through.
_PLAIN_FEEDBACK = {
    "Capitalization doesn't help very much.": "Capital letters do not make it much harder.",
    "All-uppercase is almost as easy to guess as all-lowercase.": (
        "All capitals is almost as easy to guess as all small letters."
    ),
    "Reversed words aren't much harder to guess.": (
        "Words spelt backwards are not much harder to guess."
    ),
    "Predictable substitutions like '@' instead of 'a' don't help very much.": (
        "Swapping letters for look-alikes, like '@' for 'a', does not help much."
    ),
    "Use a few words, avoid common phrases.": "Use a few words, but not a common phrase.",
    "No need for symbols, digits, or uppercase letters.": (
        "You do not need symbols, numbers or capital letters."
    ),
    "Avoid sequences.": "Avoid sequences like 'abc' or '1234'.",
    "This is a top-10 common password.": "This is one of the 10 most common passwords.",
    "This is a top-100 common password.": "This is one of the 100 most common passwords.",
}


def _plain(feedback: str) -> str:
    return _PLAIN_FEEDBACK.get(feedback, feedback)


# zxcvbn keeps `user_inputs` in a module-global dictionary (matching.RANKED_DICTIONARIES), so two
# threads checking at once could each be scored against the other's context. The lock guards that
# third-party global; it holds nothing of ours.
_ZXCVBN_LOCK = threading.Lock()

_CONTEXT_SPLIT = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class StrengthResult:
    """What may be kept about a password's strength: never the password or any part of it."""

    score: int  # zxcvbn's 0-4
    crack_time: str  # plain-English time for a realistic offline (slow-hash) attack
    warning: str
    suggestions: tuple[str, ...]
    rating: Rating  # nutsec's verdict on strength alone
    truncated: bool = False  # True when only a bounded prefix was evaluated
    #: Time for a fast-hash attack (a site that stored passwords carelessly), plain English.
    fast_crack_time: str = ""
    #: How many characters were evaluated (equal to the length unless truncated).
    evaluated_chars: int = 0
    #: The kinds of pieces zxcvbn found ("name", "year"; see weakness.py), never the pieces.
    patterns: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "score": self.score,
            "crack_time": self.crack_time,
            "warning": self.warning,
            "suggestions": list(self.suggestions),
        }


EMPTY_RESULT = StrengthResult(
    score=0,
    crack_time="instantly",
    warning="No password was given.",
    suggestions=("Use three or more random words, or let a password manager make one.",),
    rating="weak",
    fast_crack_time="instantly",
)


def warm_up() -> None:
    """Load zxcvbn and its word lists now (about 25 ms), so that the first check does not wait
    for them: the strength worker does this while the person's file is still being read."""
    _evaluate("correct horse", [], truncated=False)  # a fixed phrase: no one's password


def assess_strength(secret: Secret, context: Sequence[str] = ()) -> StrengthResult:
    """Strength of `secret`, with `context` (platform, username, ...) as words to penalise."""
    if not isinstance(secret, Secret):
        raise TypeError(f"assess_strength takes a Secret, not {type(secret).__name__}")
    words = context_words(context)
    password = secret.reveal()
    try:
        if not password:
            return EMPTY_RESULT
        evaluated = _bounded_length(password)
        return _evaluate(password[:evaluated], words, truncated=evaluated < len(password))
    finally:
        del password


def account_context(
    platform: str | None = None,
    username: str | None = None,
    person: str | None = None,
    school: str | None = None,
) -> tuple[str, ...]:
    """The words zxcvbn should penalise for one account: what it knows plus "nut" and "union"."""
    given = (platform, username, person, school)
    return (*(word for word in given if word), "nut", "union")


def context_words(context: Sequence[str]) -> list[str]:
    """The context, lower-cased, plus its parts (`sam_rep` -> `sam`, `rep`), so each is caught."""
    if isinstance(context, str):
        raise TypeError("context must be a sequence of words, not a single string")
    words: list[str] = []
    for item in context:
        if not isinstance(item, str):
            raise TypeError(f"context words must be text, not {type(item).__name__}")
        word = item.strip().lower()[:MAX_EVALUATED_CHARS]
        if not word:
            continue
        words.append(word)
        parts = [part for part in _CONTEXT_SPLIT.split(word) if len(part) >= 3]
        if len(parts) > 1 or (parts and parts[0] != word):
            words.extend(parts)
    return list(dict.fromkeys(words))


def _bounded_length(password: str) -> int:
    """How many leading characters zxcvbn can look at within the work budget.

    zxcvbn's cost grows with the square of the length times the number of leet-substitution
    tables the characters allow (736 when every leet symbol is present), so the bound adapts:
    the longest prefix whose estimated work fits the budget (work only grows with length).
    """
    low, high = MIN_EVALUATED_CHARS, min(len(password), MAX_EVALUATED_CHARS)
    if high <= low or _work(password[:high]) <= WORK_BUDGET:
        return high
    while low < high:
        middle = (low + high + 1) // 2
        if _work(password[:middle]) <= WORK_BUDGET:
            low = middle
        else:
            high = middle - 1
    return low


def _work(prefix: str) -> int:
    from zxcvbn import matching

    subtable = matching.relevant_l33t_subtable(prefix, matching.L33T_TABLE)
    tables = len(matching.enumerate_l33t_subs(subtable)) if subtable else 0
    return (tables + 1) * len(prefix) ** 2


def _evaluate(password: str, words: list[str], *, truncated: bool) -> StrengthResult:
    from zxcvbn import zxcvbn

    with _ZXCVBN_LOCK:
        raw: dict[str, Any] = zxcvbn(password, user_inputs=words)
    try:
        score = int(raw["score"])
        guesses = Decimal(raw["guesses"])
        display = raw["crack_times_display"]
        crack_time = str(display[_SLOW])
        fast_crack_time = str(display[_FAST])
        feedback = raw["feedback"]
        warning = _plain(str(feedback.get("warning") or ""))
        suggestions = tuple(_plain(str(s)) for s in feedback.get("suggestions") or ())
        patterns = pattern_kinds(raw.get("sequence", ()))
    finally:
        # The dict holds the password and its tokens: drop every reference we can.
        for match in raw.get("sequence", ()):
            match.clear()
        raw.clear()
    return StrengthResult(
        score=score,
        crack_time=crack_time,
        warning=warning,
        suggestions=suggestions,
        rating=rate(score, guesses),
        truncated=truncated,
        fast_crack_time=fast_crack_time,
        evaluated_chars=len(password),
        patterns=patterns,
    )


def rate(score: int, guesses: Decimal) -> Rating:
    """nutsec's strength verdict: zxcvbn's score, checked against a fast-hash attack too.

    Weak: score 0-2 (a careful site's hashes still fall within hours). Strong: score 4 and more
    than a day against a fast-hash attack. Fair: the rest. The rule is in docs/security.md.
    """
    if score <= 2:
        return "weak"
    if score >= 4 and guesses / FAST_HASH_RATE >= STRONG_FAST_HASH_SECONDS:
        return "strong"
    return "fair"
