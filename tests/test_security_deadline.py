"""Security review, issue 14: one deadline per command, not per password. Against a hanging
server a 4-account scripted audit took 120.8 s; now the whole run waits at most the policy's
total time, and a range that timed out is not asked again in the same run."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from nutsec.audit.answers_file import parse_answers
from nutsec.audit.password_step import PasswordChecker
from nutsec.audit.session import scripted_audit
from nutsec.breach.model import BreachStatus
from nutsec.breach.range_api import RangePolicy
from nutsec.breach.sources import build_range_source
from nutsec.checklist.catalog import ChecklistCatalog
from nutsec.secret import Secret
from tests.loopback import Reply, running_range_server

CHECKLIST = ChecklistCatalog.standard(Path("/nonexistent")).load("nut-social-media")
BUDGET = RangePolicy(connect_timeout=1.0, read_timeout=1.0, total_timeout=1.5, backoff=0.05)
#: Four passwords with four different SHA-1 prefixes.
PASSWORDS = ["Summer2024!", "Winter2024!", "correct horse", "Tr0ub4dor&3"]


def test_a_hanging_server_costs_one_deadline_for_the_whole_scripted_audit() -> None:
    with running_range_server(default=Reply(action="hang")) as server:
        source = build_range_source(server.url, policy=BUDGET)
        checker = PasswordChecker(source)
        answers = parse_answers(
            {
                "accounts": [
                    {"name": f"Account {i}", "password": password}
                    for i, password in enumerate(PASSWORDS)
                ]
            },
            "answers.toml",
        )
        started = time.monotonic()
        try:
            audit = scripted_audit(answers, CHECKLIST, checker, datetime.now(UTC))
        finally:
            source.close()
        took = time.monotonic() - started
    assert all(f.breach.status is BreachStatus.UNKNOWN for f in audit.passwords.values())
    assert took < BUDGET.total_timeout + 2.5, f"{took:.1f} s: one deadline per password"


def test_a_range_that_timed_out_is_not_asked_again_in_the_same_run() -> None:
    with running_range_server(default=Reply(action="hang")) as server:
        source = build_range_source(server.url, policy=BUDGET)
        try:
            first = source.check(Secret("Summer2024!"))
            asked = len(server.requests)
            started = time.monotonic()
            again = source.check(Secret("Summer2024!"))
            took = time.monotonic() - started
        finally:
            source.close()
        assert first.status is BreachStatus.UNKNOWN and first.reason == "timed out"
        assert again == first
        assert len(server.requests) == asked, "the timed-out range was asked again"
        assert took < 0.5
