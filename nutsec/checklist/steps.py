"""Every step of advice nutsec ships with its source and date: a checklist's `fix_for` steps,
the lost-device card's steps and remote services, and each platform's lost-device steps.

The checklist loader checks its own steps; the lost-device files are read here as plain TOML (their
wording is loaded and checked by nutsec/lostdevice), so one listing covers all of them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from nutsec.checklist.model import Checklist
from nutsec.checklist.sources import SourcedStep, step_source

LOST_DEVICE_CARD = "lost-device card"
LOST_DEVICE_PLATFORMS = "lost-device platform steps"

#: The tables of card.toml that are steps (the card's wording around them is not advice).
CARD_STEPS = ("report_loss", "lock_and_wipe", "secure_account", "check_activity", "contacts")
#: The platform tables of platforms.toml that are not steps.
NOT_PLATFORMS = frozenset({"labels"})


@dataclass(frozen=True)
class StepProblem:
    where: str
    step: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.step}: {self.message}"


def checklist_steps(checklist: Checklist) -> Iterator[SourcedStep]:
    """The checklist's `fix_for` steps that name their source, in the checklist's order."""
    where = f"checklist {checklist.id}"
    for item in checklist.items():
        for key, source in item.fix_sources:
            yield SourcedStep(where, f"{item.id}, {key}", source)


def _read(name: str) -> dict[str, Any]:
    text = (resources.files("nutsec.lostdevice") / name).read_text("utf-8")
    return tomllib.loads(text)


def _tables(card: dict[str, Any], platforms: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(file, step name, its table) for every step of the lost-device data."""
    for key in CARD_STEPS:
        yield LOST_DEVICE_CARD, key, card.get(key)
    remote = card.get("remote")
    for kind, entries in remote.items() if isinstance(remote, dict) else ():
        for index, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            system = entry.get("system", index) if isinstance(entry, dict) else index
            yield LOST_DEVICE_CARD, f"remote.{kind} {system} ({index})", entry
    for key, table in platforms.items():
        if key in NOT_PLATFORMS:
            continue
        yield LOST_DEVICE_PLATFORMS, key, table
        notes = table.get("notes", []) if isinstance(table, dict) else []
        for index, note in enumerate(notes if isinstance(notes, list) else [], start=1):
            provider = note.get("provider", index) if isinstance(note, dict) else index
            yield LOST_DEVICE_PLATFORMS, f"{key} note {provider}", note


def lost_device_steps(
    card: dict[str, Any] | None = None, platforms: dict[str, Any] | None = None
) -> tuple[list[SourcedStep], list[StepProblem]]:
    """The lost-device steps with their sources, and every step whose source or date is missing
    or badly written. Without arguments, the files shipped with nutsec."""
    card = _read("card.toml") if card is None else card
    platforms = _read("platforms.toml") if platforms is None else platforms
    steps: list[SourcedStep] = []
    problems: list[StepProblem] = []
    for where, name, table in _tables(card, platforms):
        if not isinstance(table, dict):
            problems.append(StepProblem(where, name, "is not a table"))
            continue
        found, messages = step_source(table)
        problems += [StepProblem(where, name, message) for message in messages]
        if found is not None:
            steps.append(SourcedStep(where, name, found))
    return steps, problems
