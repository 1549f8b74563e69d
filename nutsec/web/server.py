"""Serving the app on 127.0.0.1 with waitress (one worker thread), and stopping: after the idle
time, when the person presses Finish, or on Ctrl-C.

waitress's own `run()` swallows Ctrl-C and only returns once every browser connection has closed
(a browser keeps one open for minutes), so nutsec drives waitress's event loop itself, one short
poll at a time in the main thread, and stops it for any of the three reasons.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from nutsec.errors import NutsecError
from nutsec.web.config import WebConfig

HOST = "127.0.0.1"
#: How long one poll of the event loop waits: a stop is noticed within this time.
POLL_SECONDS = 0.25
#: After a stop is asked for, how long the last page (e.g. "nutsec has stopped") may take to go.
DRAIN_SECONDS = 2.0


class Stopper:
    """When to stop: the last request's time, and why a stop was asked for."""

    def __init__(self, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_seconds
        self._clock = clock
        self.last = clock()
        self.finished = threading.Event()
        self.reason = ""
        #: Called (from any thread) to wake the event loop at once.
        self.wake: Callable[[], None] = lambda: None

    def touch(self) -> None:
        self.last = self._clock()

    def idle(self) -> bool:
        return self._clock() - self.last >= self.idle_seconds

    def stop(self, reason: str) -> None:
        if not self.reason:
            self.reason = reason
        self.finished.set()
        self.wake()

    def should_stop(self) -> bool:
        if not self.finished.is_set() and self.idle():
            self.stop("idle")
        return self.finished.is_set()


def serve(
    config: WebConfig,
    *,
    port: int,
    on_start: Callable[[str], None],
) -> str:
    """Serve until stopped; returns why: "idle", "finished" (the page's button) or
    "interrupted" (Ctrl-C). `on_start` gets the start address once listening."""
    from waitress.server import create_server

    from nutsec.web.app import create_app
    from nutsec.web.security import Guard
    from nutsec.web.state import WebState

    state = WebState(config)
    stopper = Stopper(config.idle_minutes * 60)
    try:
        # Port 0: the system picks a free one; the guard needs the real number for its Host check.
        server: Any = create_server(
            _Lazy(), host=HOST, port=port, threads=1, ident="nutsec", expose_tracebacks=False
        )
    except OSError as exc:
        raise NutsecError(_bind_problem(port, exc)) from None
    real_port = int(server.effective_port)
    guard = Guard(port=real_port)
    app = create_app(state, guard)
    app.extensions["nutsec_stopper"] = stopper

    @app.before_request
    def _touch() -> None:
        stopper.touch()

    server.application = app
    stopper.wake = server.pull_trigger

    import logging

    # "Task queue depth is 1" when the browser asks for a page and its stylesheet at once.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    previous = _on_ctrl_c(lambda: stopper.stop("interrupted"))
    try:
        on_start(guard.start_url())
        _loop(server, stopper)
    finally:
        _restore_ctrl_c(previous)
        # The store's connection belongs to the worker thread: it closes it, after the request
        # it may be answering (everything is saved already; this leaves the audit's lock).
        _in_worker(server, state.close)
        server.close()  # the worker thread, then every socket
        _close_all(server)
    return stopper.reason or "finished"


class _Job:
    """A task for waitress's worker thread (its task interface: defer, service, cancel)."""

    def __init__(self, job: Callable[[], None]) -> None:
        self.job = job
        self.done = threading.Event()

    def defer(self) -> None:
        pass

    def cancel(self) -> None:
        self.done.set()

    def service(self) -> None:
        try:
            self.job()
        finally:
            self.done.set()


def _in_worker(server: Any, job: Callable[[], None], timeout: float = 40.0) -> None:
    """Run `job` in the worker thread and wait for it (a breach look-up gives up within 30 s)."""
    task = _Job(job)
    server.task_dispatcher.add_task(task)
    task.done.wait(timeout)


def _loop(server: Any, stopper: Stopper) -> None:
    from waitress import wasyncore

    while not stopper.should_stop():
        wasyncore.loop(timeout=POLL_SECONDS, map=server._map, count=1)
    # Let the answer to the last request (the goodbye page) reach the browser.
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline and _busy(server):
        wasyncore.loop(timeout=0.05, map=server._map, count=1)


def _busy(server: Any) -> bool:
    """A request is still being answered, or an answer is still being sent."""
    for channel in list(server._map.values()):
        if getattr(channel, "requests", None) or getattr(channel, "total_outbufs_len", 0):
            return True
    return False


def _close_all(server: Any) -> None:
    from waitress import wasyncore

    wasyncore.close_all(server._map)


def _on_ctrl_c(stop: Callable[[], None]) -> Any:
    """Ctrl-C asks the loop to stop (waitress would swallow a KeyboardInterrupt)."""

    def handler(signum: int, frame: Any) -> None:
        stop()

    try:
        return signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread (never for the CLI): Ctrl-C stays as it was
        return None


def _restore_ctrl_c(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def _bind_problem(port: int, exc: OSError) -> str:
    import errno

    if port and exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
        return (
            f"Port {port} is already in use on this computer. Leave out --port to use a free "
            "one, or choose another number."
        )
    if port and exc.errno in (errno.EACCES, getattr(errno, "WSAEACCES", -1)):
        return f"This computer does not allow nutsec to use port {port}. Choose one above 1024."
    return f"nutsec could not start its page server on {HOST}: {exc.strerror or exc}."


class _Lazy:
    """Placeholder WSGI app until the real one (which needs the bound port) is set."""

    def __call__(self, environ: Any, start_response: Any) -> list[bytes]:
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"starting"]
