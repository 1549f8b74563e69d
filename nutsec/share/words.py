"""A share code said in words: what `nutsec share` shows before the code, and `--decode` after."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from nutsec.checklist.catalog import shipped_dir
from nutsec.checklist.loader import load_checklist
from nutsec.checklist.model import Checklist, Item, ItemStatus
from nutsec.errors import NutsecError
from nutsec.share.code import WORST_FIRST, ShareCode, items_for

#: How each outcome reads, for people.
OUTCOME_WORDS: dict[ItemStatus | None, str] = {
    ItemStatus.FAIL: "not done",
    ItemStatus.PARTIAL: "partly done",
    ItemStatus.UNKNOWN: "not checked",
    ItemStatus.SKIPPED: "skipped",
    ItemStatus.PASS: "done",
    ItemStatus.NOT_APPLICABLE: "not applicable",
    None: "not asked",
}


def shipped_checklist(checklist_id: str, folder: Path | None = None) -> Checklist | None:
    """The checklist nutsec ships under this id, or None (a code may come from a user's own)."""
    if not checklist_id:
        return None
    # Straight to the file: a name from a code is never taken as a path (it has no '/' either).
    path = (folder or shipped_dir()) / f"{checklist_id}.toml"
    if not path.is_file():
        return None
    try:
        checklist = load_checklist(path)
    except NutsecError:
        return None
    return checklist if checklist.id == checklist_id else None


def items_of_code(code: ShareCode, checklist: Checklist | None) -> tuple[Item, ...] | None:
    """The items the code's outcomes belong to, when `checklist` is the one it was made with."""
    if (
        checklist is None
        or checklist.id != code.checklist_id
        or checklist.version != code.checklist_version
    ):
        return None
    items = items_for(checklist)
    return items if len(items) == len(code.outcomes) else None


def describe(code: ShareCode, items: tuple[Item, ...] | None, width: int = 80) -> list[str]:
    """Every field of the code, in plain words, one line each (nothing in a code is left out)."""
    counts = Counter(code.outcomes)
    tally = ", ".join(
        f"{counts[status]} {OUTCOME_WORDS[status]}" for status in WORST_FIRST if counts[status]
    )
    if code.checklist_id:
        checklist = f"- the checklist: {code.checklist_id}, version {code.checklist_version}"
    else:
        checklist = f"- the checklist: one this nutsec does not ship (tag {code.checklist_tag:04x})"
    if code.per_audit:
        held = (
            f"- a random number kept with this audit, the same each time it is shared (so it "
            f"counts once), made from nothing about you: {code.id_hex}"
        )
        made = [f"- the day the code was made: {_day(code)}"]
        checks = "- a check letter in each group and a checksum, to catch a letter copied wrongly"
    else:
        held = f"- a random one-time number, linked to nothing: {code.id_hex}"
        made = []
        checks = "- a checksum, to catch a letter copied wrongly"
    summary = [
        "This share code holds only:",
        checklist,
        f"- the band: {code.band.value} (not the score itself)",
        held,
        *made,
        f"- for each of {len(code.outcomes)} questions and checks, the worst answer across "
        f"all devices and accounts (listed above): {tally}",
        checks,
        "No names, no devices or accounts, no passwords and nothing typed in are in it.",
    ]
    # The list first and the summary last, so on a small screen the summary (and the code
    # printed after it) stay in view; each item by its short action line, one line each.
    lines = ["The worst answer per question:"]
    room = max(width - 20, 20)
    for number, status in enumerate(code.outcomes, start=1):
        if items is None:
            about = f"question {number}"
        else:
            about = _shorten(items[number - 1].action_in_general, room)
        lines.append(f"  {OUTCOME_WORDS[status]:<15} {about}")
    lines += ["", *summary]
    return lines


def _shorten(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 3].rstrip() + "..."


def _day(code: ShareCode) -> str:
    return day_text(code.made_on) if code.made_on else "not given"


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def day_text(day: date) -> str:
    """'3 May 2026', in English whatever the locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
