"""The action plan: one action per problem, worded as a thing to do, most important first.

A problem is an item (for one device, account or the person) that failed, is half done or could
not be checked. Problems that mean the same thing are merged into one action: an account's
self-reported and measured password reuse (or breach), and every password that could not be
checked. The ordering rule is documented in docs/report-format.md ("How actions are ordered") and
tested by tables in tests/test_actions.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from nutsec.advice import Subject, fix_text, why_text
from nutsec.audit.outcomes import Question, audit_outcomes
from nutsec.audit_data import Audit, Device
from nutsec.checklist.model import ItemStatus, Scope, Severity
from nutsec.scoring import ItemOutcome
from nutsec.words import and_list

#: Within one severity: what failed comes first, then what is half done, then what is unknown.
STATUS_ORDER: dict[ItemStatus, int] = {
    ItemStatus.FAIL: 0,
    ItemStatus.PARTIAL: 1,
    ItemStatus.UNKNOWN: 2,
}

BREACH_CHECK = "password.breached"
REUSE_CHECK = "password.reused"


class Audience(StrEnum):
    """Who reads the plan: the places it sends people to are named as they will find them, a
    command in the terminal and a page in the browser. What it says to do is the same."""

    TERMINAL = "terminal"
    BROWSER = "browser"


#: Where to check a password again, in each front-end's words.
CHECK_AGAIN = {
    Audience.TERMINAL: "with 'nutsec password check'",
    Audience.BROWSER: "on nutsec's Check a password page",
}


def uncompared(audience: Audience) -> str:
    """What to do about a password not compared with those of another sitting (no history key
    kept)."""
    text = (
        "nutsec could not compare this password with the ones you checked at another sitting, "
        "so it does not know yet whether it is used elsewhere. To get it checked, type those "
        "passwords again in one sitting: nutsec offers this when you carry on an audit, or start "
        "a new audit and check every password in it."
    )
    if audience is Audience.TERMINAL:
        text += (
            " 'nutsec config keyring-status' says why nutsec could not keep what it needed to "
            "compare them across sittings."
        )
    return text


#: Why a password found in known breaches matters.
BREACHED_WHY = "A password in a breach list is among the first that criminals try, on every site."
#: What to do about a password found in known breaches (nutsec's own finding, never "if").
BREACHED_FIX = (
    "Change this password today, and anywhere else you have used it. Choose one you have never "
    "used before (three random words, or one from a password manager). Then turn on two-step "
    "verification."
)

#: Items that say the same thing about one account, the person's answer and nutsec's own check:
#: problems sharing a concern and a subject are one action.
CONCERNS: dict[str, str] = {
    "account.password-unique": "reuse",
    "password.reused": "reuse",
    "account.breached-password-changed": "breach",
    BREACH_CHECK: "breach",
}
STRENGTH_CHECK = "password.strength"
#: One new password fixes all of these for an account: what nutsec found about its password
#: (in breaches, used elsewhere, easy to guess) is one action, "Change X's password: it is ...".
PASSWORD_CONCERNS = frozenset({"breach", "reuse", "strength"})

#: Which items are about a device's finder ("find my device"); the lost-device card warns when
#: one is off.
FINDER_ITEMS = frozenset({"device.remote-lock"})

#: How many actions "Start here" holds.
START_HERE = 3


class ActionGroup(StrEnum):
    """Where an action is listed after "Start here"."""

    DEVICE = "device"
    ACCOUNT = "account"
    HABIT = "habit"  # the person's own items


@dataclass(frozen=True)
class Problem:
    """One item for one subject that is not done (or not known to be done)."""

    item_id: str
    subject: str | None
    status: ItemStatus


@dataclass(frozen=True)
class Action:
    """One thing to do. `item_id` and `subject` are its first (most important) problem's; a merged
    action lists all of them in `problems`."""

    priority: int  # 1 is the most important
    item_id: str
    subject: str | None
    severity: Severity
    weight: int
    status: ItemStatus  # fail, partial or unknown: the first problem's
    title: str  # the item's question, as the person saw it
    text: str  # the steps, for this subject's kind only (all kinds when it is not known)
    headline: str  # what to do, with its subject: "Turn on a screen lock on your Laptop"
    why: str  # one line on why it matters
    minutes: int | None  # the checklist's effort estimate; None when it gives none
    group: ActionGroup
    problems: tuple[Problem, ...]
    #: A password's findings, most serious first, when the headline lists several ("in known
    #: breaches 1,200 times", "very like X's"): what `headline_within` leaves out first.
    findings: tuple[str, ...] = ()

    def headline_within(self, width: int) -> str:
        """The headline in at most `width` characters, for one line: the least serious findings
        left out first ("... in known breaches 1,200 times and more"), then cut with "…"."""
        if len(self.headline) <= width:
            return self.headline
        if not self.findings:
            return self.headline[: max(width - 1, 0)].rstrip() + "…"
        lead = self.headline[: len(self.headline) - len(and_list(list(self.findings)))]
        for keep in range(len(self.findings) - 1, 0, -1):
            shorter = f"{lead}{', '.join(self.findings[:keep])} and more"
            if len(shorter) <= width:
                return shorter
        first = f"{lead}{self.findings[0]}…"  # the most serious finding whole, then "…"
        if len(first) <= width:
            return first
        return self.headline[: max(width - 1, 0)].rstrip() + "…"

    @property
    def subjects(self) -> tuple[str, ...]:
        """Every device or account the action is about, in order, once each."""
        return tuple(dict.fromkeys(p.subject for p in self.problems if p.subject is not None))

    @property
    def effort(self) -> str:
        """'about 5 minutes', or '' when the checklist gives no estimate."""
        return effort_phrase(self.minutes)


def effort_phrase(minutes: int | None) -> str:
    """A rough effort in words: 'about 5 minutes', 'about 1 hour'."""
    if minutes is None or minutes <= 0:
        return ""
    if minutes < 60:
        return "about 1 minute" if minutes == 1 else f"about {minutes} minutes"
    hours = round(minutes / 60 * 2) / 2  # to the half hour
    if hours == 1:
        return "about 1 hour"
    return f"about {hours:g} hours"


RankKey = tuple[int, int, int, int, int, int]


@dataclass(frozen=True)
class _Ranked:
    key: RankKey
    question: Question
    outcome: ItemOutcome


def prioritise_actions(audit: Audit, audience: Audience = Audience.TERMINAL) -> list[Action]:
    """The action plan: by severity (unknowns one level lower), status, weight, effort (quick
    first), then walk order; problems with one meaning merged into the first of them. `audience`
    says how to name the places it sends people to."""
    ranked: list[_Ranked] = []
    for index, (question, outcome) in enumerate(audit_outcomes(audit)):
        order = STATUS_ORDER.get(outcome.status)
        if order is None:
            continue
        # Not known to be wrong: an unknown ranks one level below its severity, so the things
        # that are known to be wrong come first (a critical unknown still beats medium failures).
        level = outcome.severity.rank + (1 if outcome.status is ItemStatus.UNKNOWN else 0)
        minutes = question.item.minutes
        # Among equally important actions the quick ones come first; no estimate sorts last.
        effort = (0, minutes) if minutes is not None else (1, 0)
        key = (level, order, -outcome.weight, *effort, index)
        ranked.append(_Ranked(key, question, outcome))
    ranked.sort(key=lambda r: r.key)

    # What the checks found about each password, worked out once for every outcome about it.
    found = {name: _found(audit, name) for name in audit.passwords}
    merged: dict[tuple[str, str | None], list[_Ranked]] = {}
    for r in ranked:
        merged.setdefault(_merge_key(found, r.outcome), []).append(r)
    actions = _breach_before_reuse(
        [_action(audit, members, audience, found) for members in merged.values()]
    )
    return [
        _numbered(action, number)
        for number, action in enumerate(actions, start=1)  # dict keeps first-seen (rank) order
    ]


def _merge_key(found: dict[str, list[str]], outcome: ItemOutcome) -> tuple[str, str | None]:
    if outcome.item_id == BREACH_CHECK and outcome.status is ItemStatus.UNKNOWN:
        return ("unchecked-passwords", None)  # one action listing every account
    concern = _concern(outcome)
    if concern in PASSWORD_CONCERNS and len(found.get(outcome.subject or "", [])) > 1:
        return ("password", outcome.subject)  # one new password fixes every finding
    if concern is not None:
        # An uncompared reuse and the person's own answer about it are one problem, too.
        return (f"concern:{concern}", outcome.subject)
    return (f"item:{outcome.item_id}", outcome.subject)


def _concern(outcome: ItemOutcome) -> str | None:
    return "strength" if outcome.item_id == STRENGTH_CHECK else CONCERNS.get(outcome.item_id)


def _found(audit: Audit, subject: str) -> list[str]:
    """What nutsec's own checks found wrong with an account's password, most serious first, as
    phrases after "it is": ["in known breaches 1,200 times", "very like X's", "easy to
    guess"]."""
    findings = audit.passwords.get(subject)
    if findings is None:
        return []
    found = []
    if findings.breach.count > 0:
        found.append(_in_breaches(findings.breach.count))
    if findings.reused_with:
        found.append(f"also used on {and_list(list(findings.reused_with))}")
    elif findings.similar_to:
        found.append(f"very like {and_list([_possessive(n) for n in findings.similar_to])}")
    rating = findings.strength.rating
    if rating == "weak":
        found.append("easy to guess")
    elif rating == "fair":
        found.append("not strong enough")
    return found


def _in_breaches(count: int) -> str:
    # The range service counts how often a password was seen in breach data, not in how many
    # breaches: "1,200 times", as the password's verdict says.
    return "in known breaches once" if count == 1 else f"in known breaches {count:,} times"


def _breach_before_reuse(actions: list[Action]) -> list[Action]:
    """For one account, changing a breached password comes before making it unique: the new
    password does both."""
    result = list(actions)
    for action in actions:
        if (
            CONCERNS.get(action.item_id) != "breach"
            or action.subject is None
            or action.status is ItemStatus.UNKNOWN  # "check these when online": not a finding
        ):
            continue
        here = result.index(action)
        reuse = next(
            (
                n
                for n, a in enumerate(result[:here])
                if a.subject == action.subject and CONCERNS.get(a.item_id) == "reuse"
            ),
            None,
        )
        if reuse is not None:
            result.insert(reuse, result.pop(here))
    return result


def _numbered(action: Action, number: int) -> Action:
    return replace(action, priority=number)


def _action(
    audit: Audit, members: list[_Ranked], audience: Audience, found_by: dict[str, list[str]]
) -> Action:
    first = members[0]
    found = found_by.get(first.outcome.subject or "", [])  # every member: the same subject
    if len(found) > 1:
        # One action for a password's findings: led by the breach, if it is in one.
        first = next((m for m in members if _concern(m.outcome) == "breach"), first)
    item, outcome = first.question.item, first.outcome
    problems = tuple(
        Problem(m.outcome.item_id, m.outcome.subject, m.outcome.status) for m in members
    )
    subject = _subject(audit, outcome.subject)
    findings = audit.passwords.get(outcome.subject) if outcome.subject else None
    concern = CONCERNS.get(outcome.item_id)
    findings_said: tuple[str, ...] = ()
    if outcome.item_id == BREACH_CHECK and outcome.status is ItemStatus.UNKNOWN:
        headline, text, why = _unchecked(audit, [m.outcome.subject for m in members], audience)
    elif len(found) > 1 and _concern(outcome) in PASSWORD_CONCERNS:
        # Several findings about one password (at least one of them a breach or a reuse, as a
        # strength gives one at most): one action saying each, never "make sure".
        findings_said = tuple(found)
        headline = f"Change {_possessive(outcome.subject or '')} password: it is {and_list(found)}"
        if findings is not None and findings.breach.count > 0:
            text, why = BREACHED_FIX, BREACHED_WHY
        else:
            text = fix_text(item, subject)
            why = first_sentence(why_text(item, subject))
    elif concern == "breach" and findings is not None and findings.breach.count > 0:
        # What nutsec found, said as found: never "make sure" or "if".
        breaches = _in_breaches(findings.breach.count)
        headline = f"Change {_possessive(outcome.subject or '')} password: it is {breaches}"
        text, why = BREACHED_FIX, BREACHED_WHY
    elif concern == "reuse" and findings is not None and findings.reused_with:
        others = ", ".join(findings.reused_with)
        headline = f"Give {outcome.subject} a password of its own: the same one is on {others}"
        text = fix_text(item, subject)
        why = first_sentence(why_text(item, subject))
    elif concern == "reuse" and findings is not None and findings.similar_to:
        others = ", ".join(_possessive(n) for n in findings.similar_to)
        headline = f"Give {outcome.subject} a password of its own: it is very like {others}"
        text = fix_text(item, subject)
        why = first_sentence(why_text(item, subject))
    elif concern == "reuse" and all(m.outcome.status is ItemStatus.UNKNOWN for m in members):
        # Not compared is not a fault: the action is how to get it compared.
        headline = f"Get {_possessive(outcome.subject or '')} password compared with your others"
        text = uncompared(audience)
        why = first_sentence(why_text(item, subject))
    elif outcome.status is ItemStatus.UNKNOWN:
        headline = _headline(item.action_text, item.action, subject)
        text = (
            uncompared(audience)
            if outcome.item_id == REUSE_CHECK
            else "This could not be checked, so it is not counted as safe. Check it again later."
        )
        why = first_sentence(why_text(item, subject))
    else:
        headline = _headline(item.action_text, item.action, subject)
        text = fix_text(item, subject)
        why = first_sentence(why_text(item, subject))
    return Action(
        priority=0,
        item_id=outcome.item_id,
        subject=outcome.subject,
        severity=outcome.severity,
        weight=outcome.weight,
        status=outcome.status,
        title=item.question,
        text=text,
        headline=headline,
        why=why,
        minutes=item.minutes,
        group=_group(item.scope),
        problems=problems,
        findings=findings_said,
    )


def _possessive(name: str) -> str:
    """ "Work e-mail's", "Chris' " is "Chris's" too: plain and never wrong for a name."""
    return f"{name}'s"


def _group(scope: Scope) -> ActionGroup:
    return {
        Scope.DEVICE: ActionGroup.DEVICE,
        Scope.ACCOUNT: ActionGroup.ACCOUNT,
        Scope.PERSON: ActionGroup.HABIT,
    }[scope]


def _subject(audit: Audit, name: str | None) -> Subject:
    if name is None:
        return None
    return audit.device(name) or audit.account(name)


def _your(device: str) -> str:
    """'your Laptop', but 'My laptop' and 'Sam's phone' as they are."""
    first = device.split(" ", 1)[0].casefold()
    if first in {"my", "your", "the"} or first.endswith(("'s", "’s")):
        return device
    return f"your {device}"


def _headline(action_text: str, action: str, subject: Subject) -> str:
    """'Turn on a screen lock on your Laptop' (or where the action puts `{subject}`: 'Give Mail a
    password used nowhere else'); with no action, the subject and the question."""
    if subject is None:
        return action_text
    if not action:
        return f"{subject.name}: {action_text}"
    if "{subject}" in action:  # the checklist placed the subject itself: "Make {subject} lock"
        named = _your(subject.name) if isinstance(subject, Device) else subject.name
        return action.replace("{subject}", named)
    if isinstance(subject, Device):
        return f"{action} on {_your(subject.name)}"
    return f"{action} for {subject.name}"


def _unchecked(audit: Audit, names: list[str | None], audience: Audience) -> tuple[str, str, str]:
    """One action for every password that could not be checked against known breaches."""
    accounts = [n for n in dict.fromkeys(names) if n is not None]
    reasons = []
    for name in accounts:
        findings = audit.passwords.get(name)
        if findings and findings.breach.reason:
            reasons.append(findings.breach.reason)
    why_not = f" ({', '.join(dict.fromkeys(reasons))})" if reasons else ""
    listed = ", ".join(accounts)
    if len(accounts) == 1:
        headline = f"Check the password for {listed} when you are online"
        text = (
            f"It could not be checked against known breaches{why_not}, so it is not counted as "
            f"safe. When you are online, check it again {CHECK_AGAIN[audience]}."
        )
    else:
        headline = f"Check these {len(accounts)} passwords when you are online: {listed}"
        text = (
            f"They could not be checked against known breaches{why_not}, so they are not "
            f"counted as safe. When you are online, check each again {CHECK_AGAIN[audience]}."
        )
    why = "A password in a breach list is among the first that criminals try."
    return headline, text, why


#: About one printed line: the why of an action is cut to whole sentences within this.
WHY_LENGTH = 130


def first_sentence(text: str, limit: int = WHY_LENGTH) -> str:
    """The opening sentences of a paragraph that fit in `limit` characters (always at least the
    first): the one-line why of an action. A short first sentence ("A lock only helps if it is
    on.") says little alone, so the next one joins it when there is room."""
    words = " ".join(text.split())
    sentences = re.split(r"(?<=[.?!])\s+(?=[A-Z])", words)
    said = sentences[0]
    for sentence in sentences[1:]:
        if len(said) + 1 + len(sentence) > limit:
            break
        said = f"{said} {sentence}"
    return said


def finder_off(audit: Audit) -> tuple[str, ...]:
    """The devices whose finder ("find my device") is answered off or only partly on."""
    names = []
    for _, outcome in audit_outcomes(audit):
        if outcome.item_id in FINDER_ITEMS and outcome.status in (
            ItemStatus.FAIL,
            ItemStatus.PARTIAL,
        ):
            names.append(outcome.subject)
    return tuple(n for n in dict.fromkeys(names) if n is not None)
