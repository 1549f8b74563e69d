"""An in-memory AuditStore for unit tests of the session (end-to-end tests use the real SQLite)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from nutsec.audit_data import Account, Audit, AuditState, Device, PasswordFindings
from nutsec.errors import StoreError
from nutsec.store.interface import AuditStore, AuditSummary


class MemoryAuditStore(AuditStore):
    """Keeps audits in a dict; `events` records every call so tests can see what was saved when."""

    def __init__(self) -> None:
        self.audits: dict[int, Audit] = {}
        self.positions: dict[int, str] = {}
        self.scores: dict[int, tuple[int, str]] = {}
        self.events: list[tuple[str, ...]] = []

    def create(self, audit: Audit, checklist_text: str) -> int:
        audit_id = len(self.audits) + 1
        self.audits[audit_id] = replace(audit, id=audit_id)
        self.events.append(("create", str(audit_id)))
        return audit_id

    def save_inventory(
        self, audit_id: int, devices: tuple[Device, ...], accounts: tuple[Account, ...]
    ) -> None:
        self._put(audit_id, devices=devices, accounts=accounts)
        self.events.append(("inventory", *(d.name for d in devices), *(a.name for a in accounts)))

    def save_answer(self, audit_id: int, item_id: str, subject: str | None, answer: str) -> None:
        answers = {**self.audits[audit_id].answers, (item_id, subject): answer}
        self._put(audit_id, answers=answers)
        self.events.append(("answer", item_id, subject or "", answer))

    def clear_answer(self, audit_id: int, item_id: str, subject: str | None) -> None:
        answers = dict(self.audits[audit_id].answers)
        answers.pop((item_id, subject), None)
        self._put(audit_id, answers=answers)
        self.events.append(("clear", item_id, subject or ""))

    def save_password_findings(
        self, audit_id: int, account: str, findings: PasswordFindings
    ) -> None:
        self._put(audit_id, passwords={**self.audits[audit_id].passwords, account: findings})
        self.events.append(("password", account))

    def save_position(self, audit_id: int, position: str) -> None:
        self.positions[audit_id] = position
        self.events.append(("position", position))

    def finish(self, audit_id: int, overall: int, band: str) -> None:
        self.scores[audit_id] = (overall, band)
        self._put(audit_id, state=AuditState.FINISHED, finished_at=datetime.now(UTC))
        self.events.append(("finish", str(overall), band))

    def load(self, audit_id: int) -> Audit:
        return self.audits[audit_id]

    def position(self, audit_id: int) -> str | None:
        return self.positions.get(audit_id)

    def resolve(self, ref: str) -> int:
        if not self.audits:
            raise StoreError("There are no saved audits yet.")
        return max(self.audits) if ref == "latest" else int(ref)

    def unfinished(self) -> list[AuditSummary]:
        return [s for s in self.history() if s.finished_at is None]

    def history(self) -> list[AuditSummary]:
        return [
            AuditSummary(
                i,
                a.created_at,
                a.finished_at,
                a.checklist.id,
                a.checklist.version,
                *self.scores.get(i, (None, None)),
            )
            for i, a in self.audits.items()
        ]

    def delete(self, audit_id: int) -> None:
        del self.audits[audit_id]

    def _put(self, audit_id: int, **changes: object) -> None:
        self.audits[audit_id] = replace(self.audits[audit_id], **changes)  # type: ignore[arg-type]
