"""A real Pwned-Passwords-like range server on 127.0.0.1, scripted per test: replies, delays,
status codes, Retry-After, connection resets and hangs. Used by tests and benchmarks."""

from __future__ import annotations

import contextlib
import hashlib
import random
import re
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

_RANGE_PATH = re.compile(r"/range/([0-9A-F]{5})")


@dataclass(frozen=True)
class Reply:
    """What the server does with one request. `body=None` serves the range it holds."""

    status: int = 200
    body: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    #: "trickle" sends the body one line every `delay` seconds instead of waiting first.
    action: Literal["reply", "reset", "hang", "trickle"] = "reply"


@dataclass(frozen=True)
class SeenRequest:
    """One request exactly as it arrived."""

    method: str
    path: str
    headers: dict[str, str]
    raw: bytes
    body: bytes
    at: float


class RangeServer:
    """Serves `/range/PREFIX` from the hashes it was given, padded like the real service.

    `script` replies are used in order, one per request; once it is empty, `default` is used.
    """

    def __init__(self, *, padding: int = 20, default: Reply | None = None) -> None:
        self.ranges: dict[str, list[str]] = {}
        self.padding = padding
        self.script: deque[Reply] = deque()
        self.default = default or Reply()
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add_password(self, password: str, count: int) -> None:
        """Make `password` breached `count` times (count 0 adds a padding-like line)."""
        digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper()
        self.ranges.setdefault(digest[:5], []).append(f"{digest[5:]}:{count}")

    def range_body(self, prefix: str) -> str:
        lines = list(self.ranges.get(prefix, []))
        rng = random.Random(prefix)
        lines += [f"{rng.getrandbits(140):035X}:0" for _ in range(self.padding)]
        rng.shuffle(lines)
        return "\r\n".join(lines)

    def next_reply(self) -> Reply:
        with self._lock:
            return self.script.popleft() if self.script else self.default

    def record(self, seen: SeenRequest) -> None:
        with self._lock:
            self.requests.append(seen)

    def wait_stop(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def start(self) -> RangeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RangeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 drops the SYNs of a client opening 16 connections at once; each
    # dropped one is retried a second later, which no real range server makes anyone wait.
    request_queue_size = 128


@contextmanager
def running_range_server(**kwargs: object) -> Iterator[RangeServer]:
    server = RangeServer(**kwargs)  # type: ignore[arg-type]
    with server:
        yield server


def _make_handler(server: RangeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes; without this, Nagle's algorithm and
            # delayed ACKs add ~40 ms to every keep-alive request and skew the benchmarks.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            raw = self.raw_requestline + self.headers.as_bytes() + body
            server.record(
                SeenRequest(
                    "GET", self.path, dict(self.headers.items()), raw, body, at=time.monotonic()
                )
            )
            reply = server.next_reply()
            if reply.delay and reply.action != "trickle":
                server.wait_stop(reply.delay)
            if reply.action == "hang":
                server.wait_stop(60)
                self.close_connection = True
                return
            if reply.action == "reset":
                # SO_LINGER 0 makes close() send a TCP RST: the client sees "connection reset".
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True
                return
            status, text = reply.status, reply.body
            if text is None:
                match = _RANGE_PATH.fullmatch(self.path)
                status, text = (status, server.range_body(match.group(1))) if match else (404, "")
            payload = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if reply.action != "trickle":
                self.wfile.write(payload)
                return
            for line in payload.splitlines(keepends=True):
                self.wfile.write(line)
                server.wait_stop(reply.delay)

        def finish(self) -> None:
            with contextlib.suppress(OSError, ValueError):  # reset on purpose
                super().finish()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
