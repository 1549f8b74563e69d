"""Password strength (zxcvbn), evaluated with the account's context. INTERFACE STUB: issue 4."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from nutsec.passwords.secret import Secret

Rating = Literal["strong", "fair", "weak"]


@dataclass(frozen=True)
class StrengthResult:
    """What may be kept about a password's strength: never the password or any part of it."""

    score: int  # zxcvbn's 0-4
    crack_time: str  # plain-English time for a realistic offline (slow-hash) attack
    warning: str
    suggestions: tuple[str, ...]
    rating: Rating  # nutsec's verdict on strength alone
    truncated: bool = False  # True when only a bounded prefix was evaluated

    def to_json(self) -> dict[str, object]:
        return {
            "score": self.score,
            "crack_time": self.crack_time,
            "warning": self.warning,
            "suggestions": list(self.suggestions),
        }


def assess_strength(secret: Secret, context: Sequence[str] = ()) -> StrengthResult:
    """Strength of `secret`, with `context` (platform, username, ...) as words to penalise."""
    raise NotImplementedError("password strength arrives with issue 4")
