"""Where audits are kept. The walk saves through this after every answer (promise 4)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from nutsec.audit_data import Account, Audit, Device, PasswordFindings
from nutsec.errors import NutsecError
from nutsec.passwords.fingerprints import Fingerprints
from nutsec.safe_text import without_controls

#: SQLite's largest integer: a larger id cannot name a saved audit (and would overflow).
MAX_AUDIT_ID = 2**63 - 1


def parse_audit_id(ref: str) -> int | None:
    """An audit reference as typed (`report ID`, `audit --resume ID`, `lost-device --audit ID`):
    its number, or None for 'latest'; NutsecError (exit 2) for anything else, huge numbers too."""
    text = ref.strip()
    if text.lower() == "latest":
        return None
    shown = without_controls(ref if len(ref) <= 40 else ref[:37] + "...")
    if not (text.isascii() and text.isdigit()):
        raise NutsecError(
            f"'{shown}' is not an audit id. Use a number from 'nutsec history', or 'latest'."
        )
    if len(text) > 19 or int(text) > MAX_AUDIT_ID:
        raise NutsecError(f"No saved audit with id {shown}. See 'nutsec history'.")
    return int(text)


@dataclass(frozen=True)
class AuditSummary:
    """One row of `nutsec history`."""

    id: int
    created_at: datetime
    finished_at: datetime | None
    checklist_id: str
    checklist_version: str
    overall: int | None  # None until finished
    band: str | None


class AuditStore(ABC):
    """Each method commits before it returns: a crash after it loses nothing it was given."""

    @abstractmethod
    def create(self, audit: Audit, checklist_text: str) -> int:
        """Start a new audit; stores the checklist's text so the audit can be re-read later."""

    @abstractmethod
    def save_inventory(
        self, audit_id: int, devices: tuple[Device, ...], accounts: tuple[Account, ...]
    ) -> None: ...

    @abstractmethod
    def save_answer(
        self, audit_id: int, item_id: str, subject: str | None, answer: str
    ) -> None: ...

    @abstractmethod
    def clear_answer(self, audit_id: int, item_id: str, subject: str | None) -> None: ...

    @abstractmethod
    def save_password_findings(
        self, audit_id: int, account: str, findings: PasswordFindings
    ) -> None: ...

    @abstractmethod
    def save_position(self, audit_id: int, position: str) -> None:
        """Where the walk is (an opaque step key), so a resume starts at the same question."""

    @abstractmethod
    def finish(self, audit_id: int, overall: int, band: str) -> None: ...

    @abstractmethod
    def load(self, audit_id: int) -> Audit: ...

    @abstractmethod
    def position(self, audit_id: int) -> str | None: ...

    @abstractmethod
    def resolve(self, ref: str) -> int:
        """An ID or 'latest' to an audit id; NutsecError (exit 2) if there is none."""

    @abstractmethod
    def unfinished(self) -> list[AuditSummary]: ...

    @abstractmethod
    def history(self) -> list[AuditSummary]: ...

    @abstractmethod
    def delete(self, audit_id: int) -> None:
        """For --no-save: forget the audit entirely."""

    def hold(self, audit_id: int) -> None:  # noqa: B027 (optional: stores without sessions)
        """Take the audit for this session, or NutsecError saying who has it open. Every write
        takes it too; a session calls this first so a second one is told before it starts."""


class TickLog(ABC):
    """When each lost-device step was done: committed at once, so Ctrl-C keeps every tick."""

    @abstractmethod
    def tick(self, audit_id: int | None, device: str, step: str) -> datetime:
        """Record the step as done now (audit None: the general runbook); returns when it was
        done, which is the first time if it was already ticked."""

    @abstractmethod
    def ticks(self, audit_id: int | None, device: str) -> dict[str, datetime]:
        """Step key to the time it was done, for one audit's device."""


class FingerprintStore(ABC):
    """Keyed password fingerprints kept with each audit (never a password or a hash of one)."""

    @abstractmethod
    def save_fingerprints(self, audit_id: int, account: str, prints: Fingerprints) -> None:
        """Keep (replace) the fingerprints of the password just checked for `account`."""

    def save_fingerprints_if(
        self, audit_id: int, kept: Mapping[str, Fingerprints], still_valid: Callable[[], bool]
    ) -> bool:
        """Keep all of `kept` only if `still_valid()` (the key they were made with is still the
        history key); False, keeping none, if not. A store with transactions asks and writes in
        one, so `history --forget` comes wholly before or wholly after."""
        if not still_valid():
            return False
        for account, prints in kept.items():
            self.save_fingerprints(audit_id, account, prints)
        return True

    @abstractmethod
    def fingerprints(self, audit_id: int) -> dict[str, Fingerprints]:
        """The audit's fingerprints by account name (a resumed audit compares with them)."""

    @abstractmethod
    def earlier_fingerprints(
        self, account: str, before: int | None
    ) -> list[tuple[int, datetime, Fingerprints]]:
        """The same account's fingerprints in audits older than `before` (None: every audit):
        (audit id, when that audit was made, fingerprints), newest audit first."""

    @abstractmethod
    def count_fingerprints(self) -> int:
        """How many fingerprints are kept, over every audit."""

    @abstractmethod
    def forget_fingerprints(self) -> int:
        """Delete every stored fingerprint, of every audit; returns how many were deleted."""
