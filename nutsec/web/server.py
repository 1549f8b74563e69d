"""Serving the app on 127.0.0.1 with waitress (one worker thread), and stopping: after the idle
time, when the person presses Finish, or on Ctrl-C."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from nutsec.web.config import WebConfig

HOST = "127.0.0.1"


class Stopper:
    """When to stop: the last request's time, and a flag the Finish button sets."""

    def __init__(self, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_seconds
        self._clock = clock
        self.last = clock()
        self.finished = threading.Event()
        self.reason = ""

    def touch(self) -> None:
        self.last = self._clock()

    def idle(self) -> bool:
        return self._clock() - self.last >= self.idle_seconds


def serve(
    config: WebConfig,
    *,
    port: int,
    on_start: Callable[[str], None],
) -> str:
    """Serve until stopped; returns why it stopped ("idle" or "finished"). Ctrl-C raises
    KeyboardInterrupt to the caller. `on_start` gets the start address once listening."""
    from waitress.server import create_server

    from nutsec.web.app import create_app
    from nutsec.web.security import Guard
    from nutsec.web.state import WebState

    state = WebState(config)
    stopper = Stopper(config.idle_minutes * 60)
    # Port 0: the system picks a free one; the guard needs the real number for its Host check.
    server: Any = create_server(
        _Lazy(), host=HOST, port=port, threads=1, ident="nutsec", expose_tracebacks=False
    )
    real_port = int(server.effective_port)
    guard = Guard(port=real_port)
    app = create_app(state, guard)
    app.extensions["nutsec_stopper"] = stopper

    @app.before_request
    def _touch() -> None:
        stopper.touch()

    server.application = app
    server.task_dispatcher.set_thread_count(1)

    def watch() -> None:
        while not stopper.finished.wait(1.0):
            if stopper.idle():
                stopper.reason = "idle"
                break
        if not stopper.reason:
            stopper.reason = "finished"
        server.close()

    threading.Thread(target=watch, name="nutsec-idle", daemon=True).start()
    on_start(guard.start_url())
    try:
        server.run()
    except OSError:
        # close() from the watcher ends the loop with a closed socket: that is the stop.
        if not stopper.reason:
            raise
    finally:
        state.close()
    return stopper.reason or "finished"


class _Lazy:
    """Placeholder WSGI app until the real one (which needs the bound port) is set."""

    def __call__(self, environ: Any, start_response: Any) -> list[bytes]:
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"starting"]
