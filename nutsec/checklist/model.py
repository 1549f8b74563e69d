"""The checklist as data: frozen dataclasses built only by the loader."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Scope(StrEnum):
    """How often an item is asked: once, once per device, or once per account."""

    PERSON = "person"
    DEVICE = "device"
    ACCOUNT = "account"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for critical (most urgent) to 3 for low."""
        return list(Severity).index(self)


class AnswerStatus(StrEnum):
    """What an answer means for the score."""

    # A status name, not a password: silence the password linters.
    PASS = "pass"  # noqa: S105  # nosec B105
    PARTIAL = "partial"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"


DEVICE_KINDS = ("phone", "tablet", "laptop", "desktop")

DEFAULT_LABELS = {
    "yes": "Yes",
    "no": "No",
    "partly": "Partly",
    "not_sure": "Not sure",
    "not_applicable": "Does not apply to me",
}


def default_label(key: str) -> str:
    return DEFAULT_LABELS.get(key, key.replace("_", " ").replace("-", " ").capitalize())


@dataclass(frozen=True)
class AnswerOption:
    key: str
    label: str
    status: AnswerStatus


@dataclass(frozen=True)
class Item:
    """One question. `platforms` / `device_kinds` narrow an account or device item, if set."""

    id: str
    scope: Scope
    question: str
    why: str
    fix: str
    source: str
    severity: Severity
    weight: int
    answers: tuple[AnswerOption, ...]
    section_id: str
    current: str = ""
    references: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    device_kinds: tuple[str, ...] = ()

    def answer(self, key: str) -> AnswerOption | None:
        for option in self.answers:
            if option.key == key:
                return option
        return None

    @property
    def answer_keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.answers)

    def applies_to_device(self, kind: str) -> bool:
        return not self.device_kinds or kind in self.device_kinds

    def applies_to_account(self, platform: str) -> bool:
        return not self.platforms or platform.strip().lower() in self.platforms


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    intro: str = ""


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    version: str
    sections: tuple[Section, ...]
    description: str = ""
    source: str = ""
    path: Path | None = field(default=None, compare=False)

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items

    def item(self, item_id: str) -> Item | None:
        for item in self.items():
            if item.id == item_id:
                return item
        return None

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    def to_json(self) -> dict[str, object]:
        """The shape PRODUCT.md fixes for `nutsec checklist show --format json`."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "sections": [
                {
                    "id": section.id,
                    "title": section.title,
                    "items": [
                        {
                            "id": item.id,
                            "scope": item.scope.value,
                            "question": item.question,
                            "why": item.why,
                            "fix": item.fix,
                            "source": item.source,
                            "severity": item.severity.value,
                            "weight": item.weight,
                            "answers": {o.key: o.status.value for o in item.answers},
                            "labels": {o.key: o.label for o in item.answers},
                            "current": item.current,
                            "references": list(item.references),
                            "platforms": list(item.platforms),
                            "device_kinds": list(item.device_kinds),
                        }
                        for item in section.items
                    ],
                }
                for section in self.sections
            ],
        }


class ItemStatus(StrEnum):
    """An item's outcome in an audit: an answer's status, or why there is none."""

    # A status name, not a password: silence the password linters.
    PASS = "pass"  # noqa: S105  # nosec B105
    PARTIAL = "partial"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    SKIPPED = "skipped"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, status: AnswerStatus) -> ItemStatus:
        return cls(status.value)
