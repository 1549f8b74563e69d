"""Each platform's own steps for a lost device: where to sign out, change the password, check
two-step verification, see recent activity and report misuse.

The wording lives in platforms.toml (one table per PLATFORMS key) so a trainer can correct a menu
path without touching Python; this module loads and checks it, naming every problem at once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from nutsec.audit_data import PLATFORMS, Account
from nutsec.errors import NutsecError
from nutsec.safe_text import describe_character, first_control_character

SHIPPED_PLATFORMS = "nutsec/lostdevice/platforms.toml"
#: Where a platform's steps (or a note) come from and when they were checked, beside their text.
SOURCE_KEYS = ("source", "checked")


class Field(StrEnum):
    """The lines every platform has, in the order they are shown."""

    SESSIONS = "sessions"
    PASSWORD = "password"  # noqa: S105  # nosec B105  # a field name, not a password
    TWO_STEP = "two_step"
    ACTIVITY = "activity"
    REPORT = "report"


#: What securing an account shows; the rest belongs to checking activity afterwards.
SECURE_FIELDS = (Field.SESSIONS, Field.PASSWORD, Field.TWO_STEP)
CHECK_FIELDS = (Field.ACTIVITY, Field.REPORT)


@dataclass(frozen=True)
class ProviderNote:
    """A line for one provider of a platform (Gmail for e-mail), picked by words in the account."""

    provider: str
    text: str
    match: tuple[str, ...] = ()

    def fits(self, account: Account) -> bool:
        """Whether the account's name, or the domain of its user name, names this provider."""
        _, at, domain = account.username.rpartition("@")
        where = f"{account.name} {domain if at else ''}".casefold()
        return any(word.casefold() in where for word in self.match)


@dataclass(frozen=True)
class PlatformSteps:
    key: str
    text: Mapping[Field, str]
    notes: tuple[ProviderNote, ...] = ()

    def notes_for(self, account: Account | None) -> tuple[ProviderNote, ...]:
        """The notes that fit the account. A provider the person chose in the audit decides
        (a school Outlook account is 'work': the IT desk's note, not Microsoft's); otherwise
        words in its name; all of them when nothing is known."""
        if account is not None and account.provider not in ("", "other"):
            return tuple(n for n in self.notes if account.provider in n.match)
        fitting = tuple(n for n in self.notes if account is not None and n.fits(account))
        return fitting or self.notes


@dataclass(frozen=True)
class PlatformGuide:
    labels: Mapping[Field, str]
    platforms: Mapping[str, PlatformSteps]

    def steps_for(self, platform_key: str) -> PlatformSteps:
        return self.platforms.get(platform_key) or self.platforms["other"]


@cache
def shipped_platform_guide() -> PlatformGuide:
    """The platform steps shipped with nutsec."""
    text = (resources.files("nutsec.lostdevice") / "platforms.toml").read_text("utf-8")
    return load_platform_guide(text, SHIPPED_PLATFORMS)


def load_platform_guide(text: str, origin: str) -> PlatformGuide:
    """Parse and check the platform steps; every problem is named, with its key, in one error."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NutsecError(f"{origin}: not valid TOML ({exc}).") from None
    problems: list[str] = []

    def text_at(table: dict[str, Any], key: str, where: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"'{where}' must be non-empty text")
            return ""
        control = first_control_character(value)
        if control is not None:
            problems.append(
                f"'{where}' contains the control character {describe_character(control)}"
            )
        if "://" in value:
            problems.append(f"'{where}': write addresses without http:// or https://")
        return value.strip()

    labels_raw = raw.get("labels")
    if not isinstance(labels_raw, dict):
        problems.append("'labels' must be a table")
        labels_raw = {}
    labels = {field: text_at(labels_raw, field.value, f"labels.{field.value}") for field in Field}
    for key in sorted(set(labels_raw) - {f.value for f in Field}):
        problems.append(f"'labels.{key}' is not a line of a platform's steps")

    platforms: dict[str, PlatformSteps] = {}
    for key in PLATFORMS:
        table = raw.get(key)
        if not isinstance(table, dict):
            problems.append(f"'{key}' must be a table: every platform needs its steps")
            continue
        steps = {field: text_at(table, field.value, f"{key}.{field.value}") for field in Field}
        notes = _notes(table.get("notes", []), key, text_at, problems)
        # `source` and `checked` say where the steps come from (checked by nutsec.checklist.sources)
        for extra in sorted(set(table) - {f.value for f in Field} - {"notes", *SOURCE_KEYS}):
            problems.append(f"'{key}.{extra}' is not one of {', '.join(f.value for f in Field)}")
        platforms[key] = PlatformSteps(key, steps, notes)
    for key in sorted(set(raw) - set(PLATFORMS) - {"labels"}):
        problems.append(f"'{key}' is not a platform ({', '.join(PLATFORMS)})")
    if problems:
        raise NutsecError(
            f"{origin}: the platform steps have {len(problems)} problem(s).",
            details=tuple(problems),
        )
    return PlatformGuide(labels, platforms)


TextAt = Callable[[dict[str, Any], str, str], str]


def _notes(raw: Any, key: str, text_at: TextAt, problems: list[str]) -> tuple[ProviderNote, ...]:
    if not isinstance(raw, list):
        problems.append(f"'{key}.notes' must be a list of [[{key}.notes]] tables")
        return ()
    notes = []
    for index, entry in enumerate(raw, start=1):
        where = f"{key}.notes entry {index}"
        if not isinstance(entry, dict):
            problems.append(f"'{where}' must be a table")
            continue
        provider = text_at(entry, "provider", f"{where}: provider")
        text = text_at(entry, "text", f"{where}: text")
        match = entry.get("match", [])
        if not isinstance(match, list) or not all(isinstance(m, str) and m.strip() for m in match):
            problems.append(f"'{where}: match' must be a list of words")
            match = []
        for extra in sorted(set(entry) - {"provider", "text", "match", *SOURCE_KEYS}):
            problems.append(f"'{where}' has an unknown key '{extra}'")
        notes.append(ProviderNote(provider, text, tuple(str(m).strip() for m in match)))
    return tuple(notes)
