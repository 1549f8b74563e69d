"""`nutsec password check` end to end with every breach source: loopback API, corpus, offline."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.loopback import RangeServer, Reply

NUTSEC = str(Path(sys.executable).with_name("nutsec"))
BREACHED = "made-up breached phrase 17"
FRESH = "kettle ocean violin marmalade"


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest().upper()


def run(
    args: list[str], password: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NUTSEC, "password", "check", "--stdin", *args],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with RangeServer() as running:
        running.add_password(BREACHED, 4242)
        yield running


def test_breached_password_is_found_through_the_range_api(server: RangeServer) -> None:
    result = run(["--json", "--hibp-url", server.url], BREACHED)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["breach"] == {"status": "found", "count": 4242, "reason": None}
    [request] = server.requests
    assert request.path == f"/range/{sha1(BREACHED)[:5]}"
    assert sha1(BREACHED)[5:] not in request.raw.decode("latin-1")


def test_hibp_url_can_come_from_the_environment(server: RangeServer) -> None:
    result = run(["--json"], FRESH, env={"NUTSEC_HIBP_URL": server.url})
    assert json.loads(result.stdout)["breach"]["status"] == "not_found"
    assert len(server.requests) == 1


def test_server_failure_is_shown_as_not_checked_never_safe(server: RangeServer) -> None:
    server.default = Reply(status=503)
    result = run(["--plain", "--hibp-url", server.url], BREACHED)
    assert result.returncode == 0
    assert "Not checked" in result.stdout
    assert BREACHED not in result.stdout + result.stderr


def test_offline_sends_nothing(server: RangeServer) -> None:
    result = run(["--json", "--offline", "--hibp-url", server.url], BREACHED)
    assert json.loads(result.stdout)["breach"] == {
        "status": "unknown",
        "count": 0,
        "reason": "offline",
    }
    assert server.requests == []


def test_corpus_file_finds_a_breached_password(tmp_path: Path) -> None:
    lines = sorted([f"{sha1(BREACHED)}:31", f"{sha1('other')}:2"])
    corpus = tmp_path / "pwned.txt"
    corpus.write_text("\r\n".join(lines) + "\r\n", encoding="ascii")
    found = run(["--json", "--hibp-corpus", str(corpus)], BREACHED)
    assert json.loads(found.stdout)["breach"]["count"] == 31
    absent = run(["--json", "--hibp-corpus", str(corpus)], FRESH)
    assert json.loads(absent.stdout)["breach"]["status"] == "not_found"


def test_missing_corpus_is_exit_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "pwned.txt"
    result = run(["--hibp-corpus", str(missing)], FRESH)
    assert result.returncode == 2
    assert str(missing) in result.stderr and "Traceback" not in result.stderr


def test_malformed_corpus_is_exit_2_naming_it(tmp_path: Path) -> None:
    corpus = tmp_path / "notes.txt"
    corpus.write_text("this is a shopping list\nmilk\n", encoding="utf-8")
    result = run(["--hibp-corpus", str(corpus)], FRESH)
    assert result.returncode == 2 and str(corpus) in result.stderr


def test_malformed_hibp_url_is_exit_2() -> None:
    result = run(["--hibp-url", "ftp://example.invalid"], FRESH)
    assert result.returncode == 2 and "Traceback" not in result.stderr
