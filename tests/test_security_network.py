"""Security review, promises 1 and 3 on the wire: a redirect is never followed (it could carry the
prefix, or a cookie, to another host) and is `unknown`, never `not_found`."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from nutsec.breach.account_api import (
    AccountPolicy,
    AccountResult,
    account_api_url,
    build_account_client,
)
from nutsec.breach.api_key import KEYRING_SERVICE, KEYRING_USERNAME
from nutsec.breach.model import BreachStatus
from nutsec.breach.range_api import RangePolicy
from nutsec.breach.sources import build_range_source
from nutsec.cli import app
from nutsec.secret import Secret
from tests.loopback import RangeServer, Reply, running_range_server
from tests.memory_keyring import MemoryKeyring

FAST = RangePolicy(total_timeout=5.0, retries=1, backoff=0.01)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_to_another_host_is_not_followed_and_is_unknown(status: int) -> None:
    with running_range_server() as elsewhere, running_range_server() as service:
        elsewhere.add_password("Summer2024!", 0)
        location = f"{elsewhere.url}/range/ABCDE"
        service.default = Reply(status=status, body="", headers={"Location": location})
        source = build_range_source(service.url, policy=FAST)
        try:
            result = source.check(Secret("Summer2024!"))
        finally:
            source.close()
        assert result.status is BreachStatus.UNKNOWN
        assert result.reason == f"unexpected response (HTTP {status})"
        assert len(service.requests) == 1, "a redirect is not a reason to ask again"
        assert elsewhere.requests == [], "the redirect was followed to another host"


# Review 2: `nutsec breach account` (the e-mail search, which carries the API key).

ACCOUNT_KEY = "5f1c0a9e3b7d42c8a6e01f9b2d4c7e83"  # made up, in the shape of an HIBP key
ACCOUNT_FAST = AccountPolicy(
    connect_timeout=1.0, read_timeout=0.5, total_timeout=2.0, retries=1, backoff=0.01
)


def _lookup(server: RangeServer, policy: AccountPolicy = ACCOUNT_FAST) -> AccountResult:
    client = build_account_client(Secret(ACCOUNT_KEY), server.url, policy=policy)
    try:
        return client.lookup("sam@example.org")
    finally:
        client.close()


def test_a_trickling_account_service_is_given_up_within_the_time_limit() -> None:
    # Each byte comes well within the read time-out, so only the overall deadline can stop it.
    body = "[\n" + "\n" * 40 + "]"
    with running_range_server(default=Reply(body=body, delay=0.3, action="trickle")) as server:
        started = time.monotonic()
        result = _lookup(server)
        elapsed = time.monotonic() - started
    assert result.status is BreachStatus.UNKNOWN and result.reason == "timed out"
    assert elapsed < ACCOUNT_FAST.total_timeout + 0.5, f"gave up after {elapsed:.1f} s"


def test_an_account_answer_nested_too_deep_is_unknown_not_a_traceback() -> None:
    with running_range_server(default=Reply(body="[" * 200_000)) as server:
        result = _lookup(server)
    assert result.status is BreachStatus.UNKNOWN
    assert result.reason == "unexpected response"


@pytest.mark.parametrize(
    "url", ["http://haveibeenpwned.com/api/v3", "http://192.0.2.7/api/v3", "http://[2001:db8::1]"]
)
def test_the_api_key_is_never_sent_unencrypted_to_another_computer(
    url: str, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, ACCOUNT_KEY)
    monkeypatch.setenv("NUTSEC_HIBP_API_URL", url)
    result = CliRunner().invoke(app, ["breach", "account", "sam@example.org"])
    assert result.exit_code == 2
    assert "would travel unencrypted" in result.stderr
    assert "https://" in result.stderr
    leaked = any(ACCOUNT_KEY[i : i + 8] in result.output for i in range(len(ACCOUNT_KEY) - 7))
    assert not leaked, "a piece of the API key appears in the output"
    shown = CliRunner().invoke(app, ["config", "show", "--json"])
    assert "would travel unencrypted" in json.loads(shown.stdout)["account_service"]["problem"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_plain_http_is_still_allowed_to_this_computer_itself(host: str) -> None:
    assert account_api_url(f"http://{host}:8080/api/v3") == f"http://{host}:8080/api/v3"
