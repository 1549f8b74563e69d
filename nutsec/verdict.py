"""One verdict for a password from its strength, breach status and reuse, in plain words.

The audit, `nutsec password check` and the export audit all show this, so a password reads the
same everywhere. A breached or reused password is never "strong"; an unchecked one is never
called safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from nutsec.breach.model import BreachResult, BreachStatus
from nutsec.passwords.strength import Rating, StrengthResult
from nutsec.words import and_list

if TYPE_CHECKING:
    from nutsec.audit_data import PasswordFindings

Level = Literal["strong", "fair", "weak", "breached"]

_ORDER: tuple[Rating, ...] = ("weak", "fair", "strong")

_HEADLINES: dict[Level, str] = {
    "breached": "This password is in known data breaches, so criminals already try it.",
    "weak": "This password would be easy for criminals to guess.",
    "fair": "This password holds up if the website protects it well, but not if it leaks.",
    "strong": "This password would be very hard to guess.",
}
_REUSED_HEADLINE = "This password is used for more than one account, so one leak opens them all."
_SIMILAR_HEADLINE = "This password is a small change from another of yours, which is easy to guess."

_ADVICE_CHANGE_BREACHED = "Change it now, on every account where you use it."
_ADVICE_NEW = "Use three or more random words, or let a password manager make one for you."
_ADVICE_LONGER = "Make it longer: add another random word."
_ADVICE_UNIQUE = "Give every account its own password; a password manager remembers them for you."
_ADVICE_SIMILAR = "Do not just change a number or symbol: choose a new password, not a variation."
_ADVICE_TWO_STEP = "Turn on two-step verification, so a password alone is not enough."
#: Before the person has been asked about two-step sign-in for this account.
_ADVICE_TWO_STEP_UNKNOWN = (
    "If it is not on yet, turn on two-step verification, so a password alone is not enough."
)


@dataclass(frozen=True)
class Verdict:
    """What to tell the person: a level, one plain sentence, and what to do, most urgent first."""

    level: Level
    headline: str
    advice: tuple[str, ...]
    #: Breach status in words, e.g. "Not checked for known breaches (offline)."; never "safe".
    breach_line: str = ""


def judge_password(
    strength: StrengthResult,
    breach: BreachResult | None,
    reused: bool = False,
    similar: bool = False,
    *,
    two_step_on: bool | None = None,
    two_step_to_ask: bool = False,
) -> Verdict:
    """Combine strength, breach and reuse. Breached beats everything; reuse caps the level.
    `two_step_on`: what the person said of this account's second step at sign-in (True: on or
    not offered; False: off or not sure; None: not asked yet). `two_step_to_ask`: the audit
    asks about it later, so the verdict says nothing of it yet (the question will)."""
    advice: list[str] = []
    level: Level
    if breach is not None and breach.status is BreachStatus.FOUND:
        level = "breached"
        headline = _HEADLINES["breached"]
        advice += [_ADVICE_CHANGE_BREACHED, _ADVICE_NEW]
    else:
        rating = strength.rating
        if reused:
            rating = _lowest(rating, "weak")
        elif similar:
            rating = _lowest(rating, "fair")
        level = rating
        if reused:
            headline = _REUSED_HEADLINE
        elif similar and strength.rating != "weak":
            headline = _SIMILAR_HEADLINE
        else:
            headline = _HEADLINES[level]
        if strength.rating == "weak":
            advice.append(_ADVICE_NEW)
        elif strength.rating == "fair":
            advice.append(_ADVICE_LONGER)
    if reused:
        advice.append(_ADVICE_UNIQUE)
    if similar:
        advice.append(_ADVICE_SIMILAR)
    if level != "breached":
        advice.extend(strength.suggestions)
    if two_step_on is None:
        if not two_step_to_ask:
            advice.append(_ADVICE_TWO_STEP_UNKNOWN)
    elif not two_step_on:
        advice.append(_ADVICE_TWO_STEP)
    return Verdict(
        level=level,
        headline=headline,
        advice=tuple(dict.fromkeys(advice)),
        breach_line=describe_breach(breach),
    )


def judge_findings(
    findings: PasswordFindings, *, two_step_on: bool | None = None, two_step_to_ask: bool = False
) -> Verdict:
    """The verdict on an audit's checked password (both front-ends show this one)."""
    return judge_password(
        findings.strength,
        findings.breach,
        reused=bool(findings.reused_with),
        similar=bool(findings.similar_to),
        two_step_on=two_step_on,
        two_step_to_ask=two_step_to_ask,
    )


def reuse_line(
    reused_with: Sequence[str],
    similar_to: Sequence[str],
    *,
    reuse_unknown: bool,
    others: bool,
) -> str:
    """Whether this password is used elsewhere, as both front-ends say it; "" when there is
    nothing to say (it is the only password checked, so "not reused" would mean nothing)."""
    if reused_with:
        return f"The same password as on {and_list(reused_with)}."
    if similar_to:
        return f"Very like the password on {and_list(similar_to)}."
    if reuse_unknown:
        return (
            "Not compared with the passwords checked before you stopped, so whether it is used "
            "elsewhere is not checked."
        )
    if others:
        return "Not the same as, or like, the other passwords you checked."
    return ""


def unchanged_line(unchanged_since: datetime | None) -> str:
    """Said when the password is the one an earlier audit checked; "" otherwise."""
    if unchanged_since is None:
        return ""
    from nutsec.report.view import show_day

    return f"Still the same password as in your audit of {show_day(unchanged_since)}."


def describe_breach(breach: BreachResult | None) -> str:
    """The breach status as a person should read it. Unknown is "not checked", with the reason."""
    if breach is None:
        return "Not checked for known breaches."
    if breach.status is BreachStatus.FOUND:
        times = "once" if breach.count == 1 else f"{breach.count:,} times"
        return f"Found in known data breaches ({times})."
    if breach.status is BreachStatus.NOT_FOUND:
        return "Not found in known data breaches."
    return f"Not checked for known breaches ({breach.reason or 'no reason given'})."


def _lowest(rating: Rating, cap: Rating) -> Rating:
    return _ORDER[min(_ORDER.index(rating), _ORDER.index(cap))]
