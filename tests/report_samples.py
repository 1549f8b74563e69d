"""The audit of issue 10: 2 devices of different kinds, 3 accounts, mixed answers, one password
that could not be checked. Shared by the printed-report, accessibility and docs tests."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from nutsec.audit.outcomes import questions_for
from nutsec.audit_data import Account, Audit, AuditState, Device, PasswordFindings
from nutsec.breach.model import BreachResult
from nutsec.checklist.catalog import ChecklistCatalog
from nutsec.checklist.model import Checklist, Item, Scope
from nutsec.passwords.strength import StrengthResult

SHIPPED = ChecklistCatalog.standard(Path("/nonexistent")).load("nut-social-media")

DEVICES = (Device("Laptop", "laptop", "windows"), Device("Phone", "phone", "ios"))
ACCOUNTS = (
    Account("Mail", "email", provider="gmail"),
    Account("Twitter", "twitter"),
    Account("Union site", "union"),
)

#: How each system's steps start in the shipped checklist's generic text, and menu paths that
#: only that system has: an action for one system must name none of the others'.
SYSTEM_LABELS = {
    "ios": "iPhone or iPad:",
    "android": "Android:",
    "windows": "Windows:",
    "macos": "Mac:",
}
MENU_PATHS = {
    "ios": ("iPhone or iPad:", "Face ID", "Find My iPhone"),
    "android": ("Android:", "Settings > Google", "Screen timeout"),
    "windows": ("Windows:", "Windows Update", "BitLocker", "Windows Hello"),
    "macos": ("Mac:", "System Settings", "FileVault"),
}

#: Actions for the device items, until the shipped checklist has its own.
ACTIONS = {
    "device.screen-lock": "Turn on a screen lock",
    "device.auto-lock": "Make it lock itself within five minutes",
    "device.updates": "Install the latest security updates",
    "device.remote-lock": "Turn on Find my device",
    "device.encryption": "Encrypt the storage",
}


def split_by_system(fix: str) -> tuple[tuple[str, str], ...]:
    """The shipped generic text's 'iPhone or iPad: ... Android: ...' parts, as variants."""
    labels = "|".join(re.escape(label) for label in SYSTEM_LABELS.values())
    parts = re.split(f"({labels})", fix)
    intro, pieces = parts[0].strip(), parts[1:]
    outro = ""
    by_label = dict(zip(pieces[0::2], pieces[1::2], strict=True))
    variants = []
    for system, label in SYSTEM_LABELS.items():
        if label in by_label:
            text = by_label[label].strip()
            variants.append((system, " ".join(t for t in (intro, text, outro) if t)))
    return tuple(variants)


def with_system_steps(checklist: Checklist) -> Checklist:
    """The shipped checklist, with per-system steps and actions for its device items where it
    has none yet (the checklist's own take precedence once it ships them)."""

    def fill(item: Item) -> Item:
        if item.scope is not Scope.DEVICE:
            return item
        variants = item.fix_variants or split_by_system(item.fix)
        return replace(item, fix_variants=variants, action=item.action or ACTIONS.get(item.id, ""))

    return replace(
        checklist,
        sections=tuple(
            replace(s, items=tuple(fill(i) for i in s.items)) for s in checklist.sections
        ),
    )


CHECKLIST = with_system_steps(SHIPPED)

#: Items checklist 2.2 added (issue 21).
ADDED_IN_2_2 = frozenset(
    {
        "passwords.passkeys",
        "device.theft-protection",
        "device.backups",
        "monitoring.extra-protection",
    }
)

#: Mixed answers: mostly yes, some no, some partly, some skipped, in a fixed pattern.
PATTERN = ("yes", "no", "yes", "partly", "yes", None, "yes", "no", "yes", "not_sure", "yes", "yes")


def mixed_answers(checklist: Checklist) -> dict[tuple[str, str | None], str]:
    answers: dict[tuple[str, str | None], str] = {}
    # Section by section (the order questions_for had before the audit asked by subject), so the
    # pattern lands on the same questions as the samples were written for.
    order = {item.id: n for n, item in enumerate(checklist.items())}
    asked = sorted(questions_for(checklist, DEVICES, ACCOUNTS), key=lambda q: order[q.item.id])
    index = 0
    for q in asked:
        if q.item.id in ADDED_IN_2_2:
            # Questions new in checklist 2.2 are answered "yes" and take no place in the
            # pattern, so every older question keeps the answer the samples were written for.
            answers[q.key] = "yes"
            continue
        wanted = PATTERN[index % len(PATTERN)]
        # A question merged from two (checklist 2.1) takes the first one's place in the pattern
        # and skips the second's, so every other question keeps the answer it had.
        index += max(1, len(q.item.replaces))
        if wanted is None:
            continue  # skipped
        keys = q.item.answer_keys
        answers[q.key] = wanted if wanted in keys else ("no" if wanted != "yes" else keys[0])
    # The person says Twitter's password is used elsewhere; nutsec measures the same.
    answers[("account.password-unique", "Twitter")] = "no"
    answers[("device.remote-lock", "Phone")] = "no"  # the phone's finder is off
    answers[("device.auto-lock", "Laptop")] = "no"
    answers[("device.encryption", "Laptop")] = "no"
    return answers


def strength(rating: str, score: int) -> StrengthResult:
    return StrengthResult(score, "3 hours" if rating == "weak" else "centuries", "", (), rating)  # type: ignore[arg-type]


def sample_audit(checklist: Checklist = CHECKLIST, **changes: object) -> Audit:
    audit = Audit(
        checklist=checklist,
        created_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        id=4,
        state=AuditState.FINISHED,
        finished_at=datetime(2026, 11, 25, 9, 52, tzinfo=UTC),
        devices=DEVICES,
        accounts=ACCOUNTS,
        answers=mixed_answers(checklist),
        passwords={
            "Mail": PasswordFindings(
                strength("weak", 1), BreachResult.not_found(), reused_with=("Twitter",)
            ),
            "Twitter": PasswordFindings(
                strength("weak", 1), BreachResult.found(5021), reused_with=("Mail",)
            ),
            "Union site": PasswordFindings(strength("strong", 4), BreachResult.unknown("offline")),
        },
    )
    return replace(audit, **changes)  # type: ignore[arg-type]
