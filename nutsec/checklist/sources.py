"""Where each step of advice comes from and when it was last checked.

Every fix step of a checklist (`fix_for.KEY`) and every step of the lost-device card and runbook
names its `source` (the vendor's own help page where one exists) and the date it was `checked`.
Menu paths and setting names change every year or so: `nutsec checklist stale` lists the steps
whose check is older than a number of months, so a trainer can re-check them before a workshop.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: A source is one web address, written in full: the vendor's help page, or a guide.
SOURCE_MAX = 300
_SOURCE = re.compile(r"^https://[a-z0-9-]+(\.[a-z0-9-]+)+(/[^\s\"'<>]*)?$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Nothing was checked before nutsec's advice was first written.
EARLIEST = dt.date(2020, 1, 1)
#: A day's grace, for a clock in a time zone behind the one the date was written in.
GRACE = dt.timedelta(days=1)


@dataclass(frozen=True)
class StepSource:
    """The page a step of advice follows and the date someone last checked the step against it."""

    source: str
    checked: dt.date


def source_problem(value: Any) -> str | None:
    """What is wrong with a `source` value, or None when it is a usable web address."""
    if not isinstance(value, str) or not value.strip():
        return "'source' must be the web address of the page the step follows"
    text = value.strip()
    if len(text) > SOURCE_MAX or not _SOURCE.match(text):
        return (
            "'source' must be one full web address starting https://, "
            'e.g. "https://support.google.com/accounts/answer/185839"'
        )
    return None


def parse_checked(value: Any, today: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    """A `checked` value as a date, or the problem with it. TOML may write it as text
    ("2026-12-02") or as a date (2026-12-02)."""
    wanted = "'checked' must be the date the step was last checked, as \"YYYY-MM-DD\""
    if isinstance(value, dt.datetime):
        return None, wanted
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and _DATE.match(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            return None, f"'checked' is not a real date: {value.strip()}"
    else:
        return None, wanted
    limit = (today or dt.date.today()) + GRACE
    if day > limit:
        return None, f"'checked' is in the future: {day.isoformat()}"
    if day < EARLIEST:
        return None, f"'checked' is too long ago to be right: {day.isoformat()}"
    return day, None


def step_source(table: dict[str, Any]) -> tuple[StepSource | None, list[str]]:
    """The source and date of a step written as a TOML table beside its text, and the problems
    (missing or badly written fields)."""
    problems: list[str] = []
    if "source" not in table:
        problems.append("missing 'source' (the web address of the page the step follows)")
    elif (problem := source_problem(table["source"])) is not None:
        problems.append(problem)
    day: dt.date | None = None
    if "checked" not in table:
        problems.append("missing 'checked' (the date the step was last checked, YYYY-MM-DD)")
    else:
        day, problem = parse_checked(table["checked"])
        if problem is not None:
            problems.append(problem)
    if problems or day is None:
        return None, problems
    return StepSource(str(table["source"]).strip(), day), []


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the last day of that month when it is shorter)."""
    month_index = today.year * 12 + (today.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in range(today.day, 27, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, min(today.day, 28))


@dataclass(frozen=True)
class SourcedStep:
    """One step of advice with its source, for the stale-steps listing and the coverage table."""

    where: str  # "checklist nut-social-media" or "lost-device card"
    step: str  # "device.screen-lock, android" or "lock_and_wipe"
    source: StepSource


def stale(steps: Iterator[SourcedStep] | list[SourcedStep], cutoff: dt.date) -> list[SourcedStep]:
    """The steps last checked before `cutoff`, oldest first."""
    return sorted(
        (s for s in steps if s.source.checked < cutoff), key=lambda s: (s.source.checked, s.step)
    )
