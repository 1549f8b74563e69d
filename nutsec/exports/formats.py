"""Which password manager wrote a CSV export, told by its header, and which columns to read.

The header signatures are data (formats.toml) so a new export layout is a file edit, not code;
the loader checks that file and names every problem in it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nutsec.errors import NutsecError

SHIPPED = "nutsec/exports/formats.toml"

#: What nutsec reads from an entry; `name` is optional (the site's host stands in for it).
REQUIRED_COLUMNS = ("url", "username", "password")
OPTIONAL_COLUMNS = ("name", "folder", "totp", "archived")
#: Columns read when the header has them, which need not be in the signature (a Bitwarden
#: organisation export has no folder column; KeePassXC before 2.6 has no TOTP column).
#: `archived` says "true" for a login in the archive (1Password): left out like the bin.
IF_PRESENT_COLUMNS = ("folder", "totp", "archived")


@dataclass(frozen=True)
class KindFilter:
    """A column saying what an entry is, and the values that mean "a login with a password"."""

    column: str
    logins: frozenset[str]


@dataclass(frozen=True)
class SourceFormat:
    """One password manager's CSV export: how to recognise it and where its fields are."""

    key: str  # as given to --source, e.g. "bitwarden"
    title: str  # as shown to people, e.g. "Bitwarden"
    signature: tuple[str, ...]
    columns: Mapping[str, str]  # what we read ("url", ...) -> the header's column name
    kind: KindFilter | None = None

    def matches(self, header: Sequence[str]) -> bool:
        present = {_fold(cell) for cell in header}
        return all(_fold(column) in present for column in self.signature)


def detect_format(header: Sequence[str], formats: Sequence[SourceFormat]) -> SourceFormat | None:
    """The format whose signature the header has; the most specific one if several match."""
    matching = [f for f in formats if f.matches(header)]
    if not matching:
        return None
    return max(matching, key=lambda f: len(f.signature))


def column_index(header: Sequence[str]) -> dict[str, int]:
    """Folded column name -> position (the first, if a name repeats)."""
    index: dict[str, int] = {}
    for position, cell in enumerate(header):
        index.setdefault(_fold(cell), position)
    return index


def _fold(name: str) -> str:
    return name.strip().casefold()


@cache
def shipped_formats() -> tuple[SourceFormat, ...]:
    """The formats nutsec knows, in the order the file lists them."""
    text = (resources.files("nutsec.exports") / "formats.toml").read_text("utf-8")
    return load_formats(text, SHIPPED)


def load_formats(text: str, origin: str) -> tuple[SourceFormat, ...]:
    """Parse and check the formats file; every problem is named, with its key, in one error."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NutsecError(f"{origin}: not valid TOML ({exc}).") from None
    problems: list[str] = []
    sources = raw.get("sources")
    if not isinstance(sources, dict) or not sources:
        raise NutsecError(f"{origin}: needs a [sources.NAME] table for each password manager.")
    formats = [
        parsed
        for key, table in sources.items()
        if (parsed := _source(key, table, problems)) is not None
    ]
    if problems:
        raise NutsecError(
            f"{origin}: {len(problems)} problem(s) in the export formats.",
            details=tuple(problems),
        )
    return tuple(formats)


def _source(key: str, table: Any, problems: list[str]) -> SourceFormat | None:
    where = f"sources.{key}"
    if not isinstance(table, dict):
        problems.append(f"'{where}' must be a table")
        return None
    before = len(problems)
    unknown = set(table) - {"title", "signature", "columns", "kind"}
    if unknown:
        problems.append(f"'{where}' has unknown keys: {', '.join(sorted(unknown))}")
    title = table.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"'{where}.title' must be non-empty text")
    signature = _names(table.get("signature"), f"{where}.signature", problems)
    folded = {_fold(name) for name in signature}
    columns = table.get("columns")
    mapped: dict[str, str] = {}
    if not isinstance(columns, dict):
        problems.append(f"'{where}.columns' must be a table")
    else:
        for field in set(columns) - {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}:
            problems.append(f"'{where}.columns.{field}' is not something nutsec reads")
        for field in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            if field not in columns:
                if field in REQUIRED_COLUMNS:
                    problems.append(f"'{where}.columns.{field}' is missing")
                continue
            value = columns[field]
            if field in IF_PRESENT_COLUMNS and isinstance(value, str) and value.strip():
                mapped[field] = value
                continue
            if not isinstance(value, str) or _fold(value) not in folded:
                problems.append(f"'{where}.columns.{field}' must be one of the signature's columns")
                continue
            mapped[field] = value
    kind = _kind(table.get("kind"), f"{where}.kind", folded, problems)
    if len(problems) > before:
        return None
    return SourceFormat(
        key=key,
        title=str(title).strip(),
        signature=tuple(signature),
        columns=mapped,
        kind=kind,
    )


def _names(value: Any, where: str, problems: list[str]) -> list[str]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        problems.append(f"'{where}' must be a non-empty list of column names")
        return []
    if len({_fold(v) for v in value}) != len(value):
        problems.append(f"'{where}' names a column twice")
    return [v.strip() for v in value]


def _kind(value: Any, where: str, folded: set[str], problems: list[str]) -> KindFilter | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"column", "logins"}:
        problems.append(f"'{where}' must have exactly 'column' and 'logins'")
        return None
    column = value["column"]
    if not isinstance(column, str) or _fold(column) not in folded:
        problems.append(f"'{where}.column' must be one of the signature's columns")
        return None
    logins = _names(value["logins"], f"{where}.logins", problems)
    return KindFilter(column=column, logins=frozenset(_fold(v) for v in logins))
