"""The lost-device runbook for one device: which device, which steps, and how far the person got.

Pure: the CLI reads keys and the store keeps the ticks; this module decides what comes next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from nutsec.audit_data import Account, Audit, Device
from nutsec.errors import NutsecError
from nutsec.lostdevice.card import CardStep, LostDeviceCard, build_lost_device_card
from nutsec.lostdevice.from_audit import adapt_card
from nutsec.lostdevice.platforms import PlatformGuide


@dataclass(frozen=True)
class Runbook:
    """The card for one lost device, and where its ticks are logged (audit None: general)."""

    card: LostDeviceCard
    audit_id: int | None
    device: Device | None

    @property
    def device_key(self) -> str:
        """The device column of the tick log: '' when no device was named."""
        return self.device.name if self.device else ""


def build_runbook(
    audit_id: int | None,
    device: Device | None,
    accounts: Sequence[Account],
    guide: PlatformGuide,
    audit: Audit | None = None,
) -> Runbook:
    """Every account is secured: any of them could be signed in on the lost device. With the
    audit, its answers change the steps (from_audit.py): no finder, two-step off, and getting
    back into accounts whose codes went to a lost phone."""
    devices = (device,) if device is not None else ()
    card = build_lost_device_card(devices, accounts, platforms=guide)
    card = adapt_card(card, audit, device, accounts)
    return Runbook(card, audit_id, device)


def find_device(devices: Sequence[Device], name: str, where: str) -> Device:
    """The device called `name` (case and outer spaces do not matter); exit 2 naming the others.

    `where` says whose devices they are ("audit 3"), for the message.
    """
    wanted = name.strip().casefold()
    for device in devices:
        if device.name.strip().casefold() == wanted:
            return device
    if not devices:
        raise NutsecError(
            f"{where.capitalize()} lists no devices, so there is no '{name}'. "
            "Run 'nutsec lost-device' without --device for the steps that fit any device."
        )
    known = ", ".join(f"'{d.name}'" for d in devices)
    raise NutsecError(f"No device called '{name}' in {where}. Its devices: {known}.")


@dataclass
class RunbookWalk:
    """Where the person is in the runbook: done steps (with times) are passed over going forward;
    'back' visits any step; the walk ends after the last step."""

    steps: tuple[CardStep, ...]
    done: dict[str, datetime] = field(default_factory=dict)
    index: int = 0
    skipped: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, steps: Sequence[CardStep], done: Mapping[str, datetime]) -> RunbookWalk:
        """Begin at the first step not done yet (past the end when all are done)."""
        walk = cls(tuple(steps), dict(done))
        walk.index = walk._next_open(0)
        return walk

    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def current(self) -> CardStep:
        if self.finished:
            raise IndexError("the runbook is finished: there is no current step")
        return self.steps[self.index]

    def mark_done(self, at: datetime) -> None:
        """The current step is done at `at` (the time the tick log kept), then on to the next."""
        key = self.current.key
        self.done.setdefault(key, at)
        if key in self.skipped:
            self.skipped.remove(key)
        self.index = self._next_open(self.index + 1)

    def skip(self) -> None:
        key = self.current.key
        if key not in self.done and key not in self.skipped:
            self.skipped.append(key)
        self.index = self._next_open(self.index + 1)

    def back(self) -> bool:
        """One step back; False when already at the first step."""
        if self.index == 0:
            return False
        self.index = min(self.index, len(self.steps)) - 1
        return True

    def not_done(self) -> list[CardStep]:
        return [s for s in self.steps if s.key not in self.done]

    def _next_open(self, start: int) -> int:
        for index in range(start, len(self.steps)):
            if self.steps[index].key not in self.done:
                return index
        return len(self.steps)
