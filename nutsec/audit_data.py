"""An audit as data: who answered what, for which device or account. No secrets, ever."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from nutsec.breach.model import BreachResult
from nutsec.checklist.model import (
    ACCOUNT_PLATFORMS,
    DEVICE_KINDS,
    DEVICE_SYSTEMS,
    EMAIL_PROVIDERS,
    Checklist,
)
from nutsec.passwords.strength import StrengthResult

#: Account platforms offered by the audit (keys from the checklist model, which must not import
#: this module), with the names shown; anything else is allowed and treated as "other".
PLATFORMS: dict[str, str] = dict(
    zip(
        ACCOUNT_PLATFORMS,
        (
            "E-mail",
            "X (Twitter)",
            "Facebook",
            "Instagram",
            "LinkedIn",
            "TikTok",
            "WhatsApp",
            "Union website or portal",
            "Work or school account",
            "Something else",
        ),
        strict=True,
    )
)

__all__ = ["ACCOUNT_PLATFORMS", "DEVICE_KINDS", "DEVICE_SYSTEMS", "EMAIL_PROVIDERS", "PLATFORMS"]


class AuditState(StrEnum):
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


@dataclass(frozen=True)
class Device:
    name: str
    kind: str  # one of DEVICE_KINDS
    system: str = "other"  # one of DEVICE_SYSTEMS; "other" (old audits) shows every variant


@dataclass(frozen=True)
class Account:
    name: str
    platform: str  # free text; PLATFORMS keys are the common ones
    username: str = ""
    provider: str = ""  # e-mail accounts: one of EMAIL_PROVIDERS, or "" when not known

    @property
    def platform_key(self) -> str:
        """The PLATFORMS key checklist filters match; free text not in the list counts as other."""
        key = self.platform.strip().lower()
        return key if key in PLATFORMS else "other"


@dataclass(frozen=True)
class PasswordFindings:
    """What nutsec learnt about one account's password. Holds no part of the password."""

    strength: StrengthResult
    breach: BreachResult
    reused_with: tuple[str, ...] = ()
    similar_to: tuple[str, ...] = ()


#: An answer is keyed by item id and subject (device or account name; None for person items).
AnswerKey = tuple[str, str | None]


@dataclass(frozen=True)
class Audit:
    """One audit, finished or not. `answers` maps (item id, subject) to the chosen answer key."""

    checklist: Checklist
    created_at: datetime
    id: int | None = None
    state: AuditState = AuditState.IN_PROGRESS
    finished_at: datetime | None = None
    devices: tuple[Device, ...] = ()
    accounts: tuple[Account, ...] = ()
    answers: Mapping[AnswerKey, str] = field(default_factory=dict)
    passwords: Mapping[str, PasswordFindings] = field(default_factory=dict)

    def device(self, name: str) -> Device | None:
        return next((d for d in self.devices if d.name == name), None)

    def account(self, name: str) -> Account | None:
        return next((a for a in self.accounts if a.name == name), None)
