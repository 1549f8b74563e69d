"""A scripted audit with several passwords checks them as one batch: the breach look-ups go out
together (not one after the other) while the strength checks run, with the same findings."""

from __future__ import annotations

import threading
import time

from nutsec.audit.password_step import PasswordChecker
from nutsec.audit_data import Account
from nutsec.breach.model import BreachStatus, OfflineSource
from nutsec.breach.sources import build_range_source
from nutsec.secret import Secret
from tests.loopback import RangeServer, Reply

ACCOUNTS = [Account(f"Account {i}", "other", "sam") for i in range(4)]
PASSWORDS = ["Kq7#mZ2!xW", "Kq7#mZ2!xW", "Vb9$nL4@pR", "password1"]


def _pairs() -> list[tuple[Account, Secret]]:
    return [(a, Secret(p)) for a, p in zip(ACCOUNTS, PASSWORDS, strict=True)]


def test_a_batch_finds_the_same_as_one_at_a_time() -> None:
    one_by_one = PasswordChecker(OfflineSource())
    for account, secret in _pairs():
        expected = one_by_one.check(account, secret)
    pairs = _pairs()
    found = PasswordChecker(OfflineSource()).check_all(pairs)
    assert found == expected
    assert found["Account 0"].reused_with == ("Account 1",)
    assert all(secret.wiped for _, secret in pairs)


def test_the_batch_looks_up_breaches_on_another_thread_in_one_call() -> None:
    calls: list[tuple[int, bool]] = []

    class CountingSource(OfflineSource):
        def check_many(self, secrets, progress=None):  # type: ignore[no-untyped-def]
            calls.append((len(secrets), threading.current_thread() is threading.main_thread()))
            return super().check_many(secrets, progress)

    PasswordChecker(CountingSource()).check_all(_pairs())
    assert calls == [(4, False)]


def test_several_passwords_on_a_slow_server_wait_for_one_round_trip_not_three() -> None:
    with RangeServer(default=Reply(delay=0.3)) as server:
        server.add_password("password1", 12)
        source = build_range_source(server.url)
        try:
            started = time.perf_counter()
            found = PasswordChecker(source).check_all(_pairs())
            elapsed = time.perf_counter() - started
        finally:
            source.close()
    assert found["Account 3"].breach.status is BreachStatus.FOUND
    assert found["Account 2"].breach.status is BreachStatus.NOT_FOUND
    # One after the other, 3 distinct prefixes would wait 0.9 s for the server alone.
    assert elapsed < 0.75, f"{elapsed:.2f} s"
