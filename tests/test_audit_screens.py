"""Every question screen of the shipped checklist fits an 80x24 terminal, its "why it matters"
text included, for every kind of device and account the audit offers."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console

from nutsec.audit.password_step import PasswordChecker
from nutsec.audit.session import AuditSession
from nutsec.audit_data import PLATFORMS, Account, Device
from nutsec.breach.model import OfflineSource
from nutsec.checklist.catalog import ChecklistCatalog
from nutsec.cli.audit_prompts import DEVICE_CHOICES, PROVIDER_CHOICES, InteractiveAudit
from nutsec.cli.keys import KeyInput
from nutsec.secret import Secret
from tests.memory_store import MemoryAuditStore

CATALOG = ChecklistCatalog.standard(Path("/nonexistent"))
DEFAULT = CATALOG.load("nut-social-media")
TEXT = CATALOG.find("nut-social-media").read_text(encoding="utf-8")


class ScriptedKeys(KeyInput):
    """The real key reader's interface, answering from a script (a fake, not a mock)."""

    def __init__(self, console: Console, keys: list[str]) -> None:
        super().__init__(console)
        self.is_terminal = False
        self.keys = keys

    def key(self, prompt: str) -> str:
        self.console.print(prompt, end="")
        return self.keys.pop(0)

    def line(self, prompt: str) -> str:
        self.console.print(prompt)
        return self.keys.pop(0)

    def secret(self, prompt: str) -> Secret | None:
        self.console.print(prompt)
        return None


def test_every_question_screen_of_the_shipped_checklist_fits_80x24() -> None:
    devices = tuple(
        Device(label, kind or "phone", system) for label, kind, system in DEVICE_CHOICES.values()
    )
    accounts = tuple(Account(label, key) for key, label in PLATFORMS.items()) + tuple(
        Account(f"Mail {label}", "email", "", provider)
        for provider, label in PROVIDER_CHOICES.values()
    )
    session = AuditSession.start(
        MemoryAuditStore(), DEFAULT, TEXT, PasswordChecker(OfflineSource())
    )
    session.set_devices(devices)
    session.next()
    session.set_accounts(accounts)
    session.next()
    for _ in accounts:
        session.next()  # no password checked: every question is asked
    questions = len(session.walk.questions)
    out = io.StringIO()
    console = Console(file=out, width=80, height=24, color_system=None, force_terminal=False)
    # The essentials, the break (carry on now), then the other questions.
    first = session.walk.essentials_count
    keys = ["?", "s"] * first + ["c"] + ["?", "s"] * (questions - first)
    assert InteractiveAudit(console, ScriptedKeys(console, keys), session, plain=True).run()
    parts = re.split(
        r"\n(?=Question \d+ of \d+ - |No score yet|Your essentials score)", out.getvalue()
    )
    screens = [p for p in parts if p.startswith("Question ")]
    [pause] = [p for p in parts if p.startswith("No score yet")]  # the break: one screen too
    assert len(pause.rstrip("\n").split("\n")) <= 24
    assert len(screens) == questions
    for screen in screens:
        lines = screen.rstrip("\n").split("\n")
        # The header, the question, its answers, the keys, "?" opened, and the prompt after it.
        assert len(lines) <= 24, screen
        assert all(len(line) <= 80 for line in lines), screen
