"""Strength checks in a worker process (issue 20): the same results in the same order as one
check after another, only `StrengthResult` fields come back, and a worker that dies mid-way
leaves the work to this process."""

from __future__ import annotations

import io
import json

import pytest

from nutsec.passwords import strength_worker
from nutsec.passwords.strength import assess_strength
from nutsec.passwords.strength_worker import _frame, assess_many, serve
from nutsec.secret import Secret

PASSWORDS = [f"{w}{n}!" for n in range(20) for w in ("Summer", "purple-teacup", "Qz9#kLm2")]


def _items() -> list[tuple[Secret, tuple[str, ...]]]:
    return [(Secret(p), (f"site{i}", f"sam{i}", "nut")) for i, p in enumerate(PASSWORDS)]


def test_the_worker_gives_the_same_results_in_the_same_order() -> None:
    expected = [assess_strength(s, c) for s, c in _items()]
    told: list[int] = []
    got = assess_many(_items(), lambda done, total: told.append(done))
    assert got == expected
    assert told[-1] == len(PASSWORDS) and told == sorted(told)


def test_the_worker_does_all_the_work_while_this_process_may_not_help() -> None:
    expected = [assess_strength(s, c) for s, c in _items()]
    assert assess_many(_items(), may_help=lambda: False) == expected


def test_a_worker_that_cannot_start_leaves_the_work_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strength_worker.sys, "executable", "/nonexistent/python")
    expected = [assess_strength(s, c) for s, c in _items()]
    assert assess_many(_items(), may_help=lambda: False) == expected


def test_the_worker_answers_with_result_fields_only() -> None:
    source = io.BytesIO(_frame(json.dumps([["site", "sam"]]).encode()) + _frame(b"Hunter2-Quartz!"))
    sink = io.BytesIO()
    serve(source, sink)
    answer = sink.getvalue()[4:].decode()
    assert "Hunter2" not in answer and "Quartz" not in answer
    assert set(json.loads(answer)[0]) == {
        "score",
        "crack_time",
        "warning",
        "suggestions",
        "rating",
        "truncated",
        "fast_crack_time",
        "evaluated_chars",
        "patterns",
    }  # fmt: skip  (pattern kinds are fixed words such as "common-password", never a piece)


def test_a_worker_started_early_is_used_and_left_running_for_its_owner() -> None:
    expected = [assess_strength(s, c) for s, c in _items()]
    with strength_worker.started_early() as worker:
        assert worker is not None
        process = worker._child.process
        assert assess_many(_items(), may_help=lambda: False, worker=worker) == expected
        assert process.poll() is None  # still there: its owner stops it
        assert str(process.pid) in repr(worker) and "Summer" not in repr(worker)
    assert process.wait(10) == 0  # input closed: it ended on its own


def test_a_worker_started_early_and_never_used_ends_on_its_own() -> None:
    with strength_worker.started_early() as worker:
        assert worker is not None
        process = worker._child.process
    assert process.wait(10) == 0


def test_a_worker_started_early_is_killed_when_the_work_fails() -> None:
    with pytest.raises(KeyboardInterrupt), strength_worker.started_early() as worker:
        assert worker is not None
        process = worker._child.process
        raise KeyboardInterrupt
    assert process.wait(10) != 0  # killed, not left to finish


def test_a_worker_that_died_before_its_first_batch_leaves_the_work_here() -> None:
    expected = [assess_strength(s, c) for s, c in _items()]
    with strength_worker.started_early() as worker:
        assert worker is not None
        worker._child.process.kill()
        worker._child.process.wait()
        assert assess_many(_items(), may_help=lambda: False, worker=worker) == expected


def test_no_worker_is_started_on_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strength_worker.os, "cpu_count", lambda: 1)
    with strength_worker.started_early() as worker:
        assert worker is None
    assert assess_many(_items(), may_help=lambda: False) == [
        assess_strength(s, c) for s, c in _items()
    ]


def test_a_worker_that_dies_mid_way_leaves_its_unfinished_batches_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its batches in flight, the one being read included, are checked here: none is lost."""
    expected = [assess_strength(s, c) for s, c in _items()]
    answered = 0
    real = strength_worker._Child.receive

    def dies_after_two(self: strength_worker._Child, count: int) -> list[object]:
        nonlocal answered
        if answered == 2:
            self.process.kill()
            self.process.wait()
            raise OSError("the strength worker has stopped")
        answered += 1
        return real(self, count)  # type: ignore[return-value]

    monkeypatch.setattr(strength_worker._Child, "receive", dies_after_two)
    assert assess_many(_items(), may_help=lambda: False) == expected
