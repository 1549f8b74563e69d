"""What a breach look-up can say. `unknown` is its own value with a reason, never `not_found`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from nutsec.secret import Secret


class BreachStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class BreachResult:
    status: BreachStatus
    count: int = 0
    reason: str | None = None

    @classmethod
    def found(cls, count: int) -> BreachResult:
        return cls(BreachStatus.FOUND, count, None)

    @classmethod
    def not_found(cls) -> BreachResult:
        return cls(BreachStatus.NOT_FOUND, 0, None)

    @classmethod
    def unknown(cls, reason: str) -> BreachResult:
        return cls(BreachStatus.UNKNOWN, 0, reason)

    def to_json(self) -> dict[str, object]:
        return {"status": self.status.value, "count": self.count, "reason": self.reason}


#: Called with (done, total) as a batch look-up progresses.
Progress = Callable[[int, int], None]


class BreachSource(ABC):
    """Somewhere to look passwords up. Implementations never raise for a failed look-up."""

    @abstractmethod
    def check_many(
        self, secrets: Sequence[Secret], progress: Progress | None = None
    ) -> list[BreachResult]:
        """One result per secret, in order."""

    def check(self, secret: Secret) -> BreachResult:
        return self.check_many([secret])[0]

    def close(self) -> None:  # noqa: B027 (most sources hold nothing to release)
        """Release connections or files."""


class OfflineSource(BreachSource):
    """`--offline`: nothing is looked up, so nothing is known."""

    def __init__(self, reason: str = "offline") -> None:
        self.reason = reason

    def check_many(
        self, secrets: Sequence[Secret], progress: Progress | None = None
    ) -> list[BreachResult]:
        if progress:
            progress(len(secrets), len(secrets))
        return [BreachResult.unknown(self.reason) for _ in secrets]
