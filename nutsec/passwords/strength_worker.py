"""Many strength checks at once: zxcvbn in a worker process fed in batches, beside this one.

zxcvbn is pure Python, so in one process its checks hold the interpreter lock and starve the
threads that wait on the breach look-ups. On a machine with more than one core, a password
manager's export is checked by a child process (`python -m nutsec.passwords.strength_worker`)
while this process drives the look-ups; once they are done (at once when offline), this process
checks batches too. The results and their order are the same as one check after another.

The child takes about a tenth of a second to start (a Python interpreter and zxcvbn's word
lists). `started_early()` starts it before the work is known, for instance while a KeePass file
is being opened, so that it is ready when the checks begin; `assess_many(..., worker=...)` then
uses it. A worker never used simply ends when its input is closed.

How a password crosses to the child (docs/security.md, "Strength worker"): only here, in
`nutsec.passwords`, is it revealed, as UTF-8 bytes written to the child's standard input, an
anonymous pipe between the two processes (never a file, argument, environment variable or
log). The child wraps each one in a `Secret` at once, checks it and wipes it; it sends back
only `StrengthResult` fields (numbers and fixed phrases, never a piece of a password). Its
standard error goes nowhere. Nothing is pickled: `Secret` refuses that, on purpose.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess  # nosec B404  # only to start nutsec's own worker, below
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from typing import IO, Any

from nutsec.passwords.strength import StrengthResult, assess_strength, warm_up
from nutsec.secret import Secret

#: Fewer checks than this are done here: starting the child costs about a tenth of a second.
PARALLEL_FROM = 40
#: Checks per batch sent to the child: small enough to share the work evenly at the end.
BATCH = 8
#: Batches the child has at once: it starts the next while its last results are being read.
IN_FLIGHT = 2

Item = tuple[Secret, Sequence[str]]
#: Told (done, total) as checks finish, from the calling thread only.
Progress = Callable[[int, int], None]


def _worth_a_child() -> bool:
    return (os.cpu_count() or 1) >= 2


@contextmanager
def started_early() -> Iterator[Worker | None]:
    """A worker started now, for `assess_many` to use later (None on one core, or if it could
    not start: the checks are then done in this process). Stopped on leaving: let end if all
    went well, killed on an error or Ctrl-C."""
    child = _Child.start() if _worth_a_child() else None
    ok = False
    try:
        yield None if child is None else Worker(child)
        ok = True
    finally:
        if child is not None:
            child.stop(ok)


class Worker:
    """A started worker process, as `started_early` hands it out."""

    def __init__(self, child: _Child) -> None:
        self._child = child

    def __repr__(self) -> str:
        return f"<strength worker pid {self._child.process.pid}>"


def assess_many(
    items: Sequence[Item],
    progress: Progress | None = None,
    may_help: Callable[[], bool] = lambda: True,
    worker: Worker | None = None,
) -> list[StrengthResult]:
    """`assess_strength` of each (secret, context), in order. `may_help` says whether this
    process may check batches itself yet (not while it drives network look-ups). `worker`, if
    given, is used instead of starting one (and is left running for its owner to stop)."""
    total = len(items)
    if total < PARALLEL_FROM or not _worth_a_child():
        return _one_by_one(items, progress)
    return _Shared(items, progress, may_help).run(None if worker is None else worker._child)


def _one_by_one(items: Sequence[Item], progress: Progress | None) -> list[StrengthResult]:
    results: list[StrengthResult] = []
    for done, (secret, context) in enumerate(items, start=1):
        results.append(assess_strength(secret, context))
        if progress:
            progress(done, len(items))
    return results


class _Shared:
    """The batches, taken in order by the child's driver thread and by the calling thread."""

    def __init__(self, items: Sequence[Item], progress: Progress | None, may_help: Any) -> None:
        self.items = items
        self.progress = progress
        self.may_help = may_help
        self.results: list[StrengthResult | None] = [None] * len(items)
        self.batches = [range(i, min(i + BATCH, len(items))) for i in range(0, len(items), BATCH)]
        self.next = 0
        self.done = 0
        self.changed = threading.Condition()

    def claim(self) -> range | None:
        with self.changed:
            if self.next >= len(self.batches):
                return None
            self.next += 1
            return self.batches[self.next - 1]

    def finish(self, batch: range, results: Sequence[StrengthResult]) -> None:
        with self.changed:
            for i, result in zip(batch, results, strict=True):
                self.results[i] = result
            self.done += len(batch)
            self.changed.notify_all()

    def give_back(self, batch: range) -> None:
        """A batch the child could not finish: this thread checks it."""
        with self.changed:
            self.batches.append(batch)
            self.changed.notify_all()

    def run(self, given: _Child | None = None) -> list[StrengthResult]:
        child = given if given is not None and given.alive else None
        owned = child is None
        if child is None:
            child = _Child.start()
        driver = None
        finished = False
        if child is not None:
            driver = threading.Thread(
                target=self._drive, args=(child,), name="nutsec-strength", daemon=True
            )
            driver.start()
        if not self.may_help():
            warm_up()  # zxcvbn loaded while the look-ups run, not at this process's first batch
        try:
            told = 0
            while True:
                with self.changed:
                    if self.done >= len(self.items):
                        break
                if self.may_help() or child is None or not child.alive:
                    batch = self.claim()
                    if batch is not None:
                        self.finish(batch, [self._here(i) for i in batch])
                    else:
                        self._wait()
                else:
                    self._wait()
                told = self._tell(told)
            self._tell(told)
            finished = True
        finally:
            if child is not None and (owned or not finished):
                child.stop(finished)  # a given worker is stopped here only if something failed
            if driver is not None:
                driver.join(1)
        return [r for r in self.results if r is not None]

    def _wait(self) -> None:
        with self.changed:
            if self.done < len(self.items):
                self.changed.wait(0.02)

    def _tell(self, told: int) -> int:
        with self.changed:
            done = self.done
        if self.progress and done != told:
            self.progress(done, len(self.items))
        return done

    def _here(self, i: int) -> StrengthResult:
        secret, context = self.items[i]
        return assess_strength(secret, context)

    def _drive(self, child: _Child) -> None:
        """Keeps IN_FLIGHT batches with the child, so that it never waits for this thread to
        get the interpreter lock back from the calling thread's own checks."""
        sent: list[range] = []
        try:
            while True:
                while len(sent) < IN_FLIGHT and (batch := self.claim()) is not None:
                    sent.append(batch)  # given back below if sending it fails
                    child.send([self.items[i] for i in batch])
                if not sent:
                    return
                results = child.receive(len(sent[0]))
                self.finish(sent.pop(0), results)  # kept in `sent` until its results are in
        except (OSError, ValueError, KeyError, TypeError, struct.error):
            child.alive = False
            for batch in sent:
                self.give_back(batch)


class _Child:
    """The worker process and the two pipes to it."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.alive = True
        self.stopped = False

    @classmethod
    def start(cls) -> _Child | None:
        try:
            process = subprocess.Popen(  # nosec B603  # a fixed argv: this Python, this module
                [sys.executable, "-m", "nutsec.passwords.strength_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                close_fds=True,
            )
        except OSError:
            return None
        return cls(process)

    def send(self, batch: Sequence[Item]) -> None:
        assert self.process.stdin is not None  # nosec B101
        contexts = json.dumps([list(context) for _, context in batch]).encode("utf-8")
        parts = [_frame(contexts)]
        for secret, _ in batch:
            password = secret.reveal_bytes()
            parts.append(_frame(password))
            del password
        message = b"".join(parts)
        try:
            self.process.stdin.write(message)
            self.process.stdin.flush()
        finally:
            del message, parts

    def receive(self, count: int) -> list[StrengthResult]:
        """The results of the oldest batch sent, of `count` checks."""
        assert self.process.stdout is not None  # nosec B101
        answer = json.loads(_read_frame(self.process.stdout))
        if not isinstance(answer, list) or len(answer) != count:
            raise ValueError("the strength worker answered out of turn")
        return [_result(fields) for fields in answer]

    def assess(self, batch: Sequence[Item]) -> list[StrengthResult]:
        """One batch there and back."""
        self.send(batch)
        return self.receive(len(batch))

    def stop(self, finished: bool) -> None:
        """Finished: the child ends on its own once its input is closed (not waited for, as
        its interpreter takes a moment to shut down). Otherwise (an error, Ctrl-C): killed.
        Stopping it again does nothing."""
        if self.stopped:
            return
        self.stopped = True
        self.alive = False
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            finished = False
        if not finished:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _frame(data: bytes) -> bytes:
    return struct.pack("<I", len(data)) + data


def _read_frame(stream: IO[bytes]) -> bytes:
    head = stream.read(4)
    if len(head) != 4:
        raise OSError("the strength worker has stopped")
    (size,) = struct.unpack("<I", head)
    data = stream.read(size)
    if len(data) != size:
        raise OSError("the strength worker has stopped")
    return data


def _result(fields: dict[str, Any]) -> StrengthResult:
    fields["suggestions"] = tuple(fields["suggestions"])
    fields["patterns"] = tuple(fields.get("patterns", ()))
    return StrengthResult(**fields)


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """The child's loop: a batch in (contexts, then each password), its results out. zxcvbn is
    loaded before the first batch is read, while the parent is still reading its file."""
    warm_up()
    while True:
        try:
            contexts = json.loads(_read_frame(source))
        except OSError:
            return  # the parent closed the pipe: all done
        results = []
        for context in contexts:
            raw = _read_frame(source)
            secret = Secret(raw.decode("utf-8"))
            del raw
            try:
                results.append(asdict(assess_strength(secret, tuple(context))))
            finally:
                secret.wipe()
        sink.write(_frame(json.dumps(results).encode("utf-8")))
        sink.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
