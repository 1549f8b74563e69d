"""A real `nutsec web` for tests: the installed console script in its own process, on a free port,
with the start address read from its first line, and a requests session that has spent the token."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

NUTSEC = shutil.which("nutsec") or str(Path(sys.executable).with_name("nutsec"))


@dataclass
class WebServer:
    process: subprocess.Popen[str]
    start_url: str
    base: str
    port: int
    output: list[str] = field(default_factory=list)

    def session(self) -> requests.Session:
        """A browser-like client that has opened the start address (so it holds the cookie)."""
        client = requests.Session()
        reply = client.get(self.start_url, allow_redirects=False, timeout=10)
        assert reply.status_code == 303, reply.status_code
        return client

    def csrf(self, client: requests.Session, path: str = "/") -> str:
        """The form token, read from a page as a browser would."""
        import re

        page = client.get(self.base + path, timeout=10).text
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found, "no form token on the page"
        return found.group(1)

    def stop(self) -> str:
        """Ctrl-C the server; its whole output (stdout and stderr together)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            rest, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            rest, _ = self.process.communicate()
        self.output.append(rest or "")
        return "".join(self.output)


@contextmanager
def running_web(
    data_dir: Path, *args: str, env: Mapping[str, str] | None = None
) -> Iterator[WebServer]:
    """`nutsec web --no-browser --port 0 ARGS` until the block ends (then Ctrl-C)."""
    environ: dict[str, Any] = {**os.environ, "NUTSEC_DATA_DIR": str(data_dir), **(env or {})}
    process = subprocess.Popen(
        [NUTSEC, "web", "--no-browser", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=environ,
    )
    assert process.stdout is not None
    first = ""
    deadline = time.monotonic() + 30
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("http://127.0.0.1:"):
            first = line.strip()
            break
    if not first:
        process.kill()
        raise AssertionError("nutsec web printed no start address: " + "".join(lines))
    base = first.split("/?", 1)[0]
    port = int(base.rsplit(":", 1)[1])
    server = WebServer(process, first, base, port, lines)
    try:
        yield server
    finally:
        server.stop()
