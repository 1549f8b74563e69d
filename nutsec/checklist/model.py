"""The checklist as data: frozen dataclasses built only by the loader."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from nutsec.checklist.sources import StepSource


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

#: What a device runs. "other" (and an old audit with none) means: show every variant.
DEVICE_SYSTEMS = ("ios", "android", "windows", "macos", "chromeos", "linux", "other")

#: Who runs an e-mail account. "other" (or none) means: show every variant.
EMAIL_PROVIDERS = ("gmail", "outlook", "icloud", "yahoo", "work", "other")

#: The account platforms the audit offers (nutsec.audit_data.PLATFORMS gives their names). A
#: checklist's `platforms`, `applies_to` and per-platform steps use these keys.
ACCOUNT_PLATFORMS = (
    "email",
    "twitter",
    "facebook",
    "instagram",
    "linkedin",
    "tiktok",
    "whatsapp",
    "union",
    "work",
    "other",
)

#: Providers that only run e-mail (not also an account platform of their own).
_PROVIDER_ONLY = tuple(p for p in EMAIL_PROVIDERS if p not in ACCOUNT_PLATFORMS)

#: The checklist file formats this nutsec reads. Format 2 adds applies_to, fix_for, why_for,
#: action and minutes; a file without `format` is read as format 1 (and may use them too).
#: Format 3 requires every `fix_for` step to name its `source` and the date it was `checked`.
FORMATS = (1, 2, 3)

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
    """One question. `platforms` / `device_kinds` / `applies_to` narrow it to some subjects.

    Version 2 of the format adds `applies_to` (device kinds or systems, account platforms or
    e-mail providers), per-system or per-platform variants of `fix` and `why` (falling back to the
    generic text), `action` (the imperative for the action plan) and `minutes` (the effort).
    """

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
    applies_to: tuple[str, ...] = ()
    #: (variant key, text) pairs; a key is a device system or kind, an account platform or provider.
    fix_variants: tuple[tuple[str, str], ...] = ()
    why_variants: tuple[tuple[str, str], ...] = ()
    action: str = ""
    minutes: int | None = None
    #: Ids of earlier items this one asks instead (merged questions); old audits keep theirs.
    replaces: tuple[str, ...] = ()
    #: (variant key, where the step comes from and when it was checked), for the `fix_for`
    #: steps that name one (every one, in a format 3 checklist).
    fix_sources: tuple[tuple[str, StepSource], ...] = ()

    def answer(self, key: str) -> AnswerOption | None:
        for option in self.answers:
            if option.key == key:
                return option
        return None

    @property
    def answer_keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.answers)

    def applies_to_device(self, kind: str, system: str = "other") -> bool:
        """Whether the item is asked for a device. An unknown system ("other") is never excluded
        by a system filter, so an old audit without one still gets every question."""
        if self.device_kinds and kind not in self.device_kinds:
            return False
        if not self.applies_to:
            return True
        systems = [k for k in self.applies_to if k in DEVICE_SYSTEMS]
        kinds = [k for k in self.applies_to if k in DEVICE_KINDS]
        if kinds and kind not in kinds:
            return False
        return not systems or system in systems or system == "other"

    def applies_to_account(self, platform: str, provider: str = "") -> bool:
        """Whether the item is asked for an account (platform key, e-mail provider if known).

        An e-mail account whose provider is not known ("" or "other", e.g. an old audit) is never
        excluded by a provider filter: like a device of unknown system, it gets every question.
        """
        key = platform.strip().lower()
        if self.platforms and key not in self.platforms:
            return False
        if not self.applies_to:
            return True
        if key in self.applies_to or (bool(provider) and provider in self.applies_to):
            return True
        unknown_provider = key == "email" and provider in ("", "other")
        return unknown_provider and any(k in _PROVIDER_ONLY for k in self.applies_to)

    def fix_for(self, *variants: str) -> str:
        """The steps for the first of `variants` the item has text for, else the generic steps.
        Pass the subject's most specific key first (system, then kind; provider, then platform)."""
        return _variant(self.fix_variants, variants) or self.fix

    def fix_source_for(self, *variants: str) -> StepSource | None:
        """Where the steps `fix_for` gives for these variants come from, when they name it."""
        table = dict(self.fix_variants)
        sources = dict(self.fix_sources)
        for key in variants:
            if key and key in table:
                return sources.get(key)
        return None

    def why_for(self, *variants: str) -> str:
        return _variant(self.why_variants, variants) or self.why

    @property
    def action_text(self) -> str:
        """The imperative for the action plan; the question until a checklist gives one."""
        return self.action or self.question

    @property
    def action_in_general(self) -> str:
        """The action about no one subject ('Make each device lock itself'), for summaries."""
        every = {Scope.DEVICE: "each device", Scope.ACCOUNT: "each account"}.get(self.scope, "it")
        return self.action_text.replace("{subject}", every)


def _variant(pairs: tuple[tuple[str, str], ...], wanted: tuple[str, ...]) -> str:
    table = dict(pairs)
    for key in wanted:
        if key and key in table:
            return table[key]
    return ""


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
    format: int = 1

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
            "format": self.format,
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
                            "applies_to": list(item.applies_to),
                            "fix_for": dict(item.fix_variants),
                            "why_for": dict(item.why_variants),
                            "action": item.action,
                            "minutes": item.minutes,
                            "replaces": list(item.replaces),
                            "fix_sources": {
                                key: {"source": s.source, "checked": s.checked.isoformat()}
                                for key, s in item.fix_sources
                            },
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
