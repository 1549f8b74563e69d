"""`nutsec breach account` against a real HTTP server on 127.0.0.1: the exact request, each of the
service's answers; a look-up that could not be done is "not checked", never "no breaches"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec import __version__
from nutsec.breach.account_api import (
    AccountApiClient,
    AccountPolicy,
    ApiKeyRejectedError,
    build_account_client,
)
from nutsec.breach.api_key import KEYRING_SERVICE, KEYRING_USERNAME
from nutsec.breach.model import BreachStatus
from nutsec.cli import app
from nutsec.errors import NutsecError
from nutsec.secret import Secret
from tests.loopback import RangeServer, Reply
from tests.memory_keyring import MemoryKeyring

runner = CliRunner()
NUTSEC = str(Path(sys.executable).parent / "nutsec")
KEY = "5f1c0a9e3b7d42c8a6e01f9b2d4c7e83"  # made up, in the shape of an HIBP key
ADDRESS = "user+tag@example.org"

FAST = AccountPolicy(
    connect_timeout=1.0,
    read_timeout=0.5,
    total_timeout=2.0,
    retries=1,
    backoff=0.01,
    retry_after_cap=0.3,
)


def breach(name: str, date: str, classes: list[str], **flags: bool) -> dict[str, object]:
    return {
        "Name": name,
        "Title": f"{name} Ltd",
        "Domain": f"{name.lower()}.example",
        "BreachDate": date,
        "AddedDate": f"{date}T00:00:00Z",
        "PwnCount": 1000,
        "Description": "<a href='x'>html</a>",
        "DataClasses": classes,
        "IsVerified": flags.get("verified", True),
        "IsSensitive": flags.get("sensitive", False),
        "IsFabricated": False,
        "IsSpamList": flags.get("spam", False),
    }


THREE = json.dumps(
    [
        breach("Oldsite", "2012-06-05", ["Email addresses", "Passwords"]),
        breach("Newsite", "2023-01-30", ["Email addresses", "Phone numbers"], verified=False),
        breach("Midsite", "2019-11-02", ["Email addresses"], sensitive=True),
    ]
)


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with RangeServer() as running:
        yield running


@pytest.fixture
def client_for() -> Iterator[object]:
    opened: list[AccountApiClient] = []

    def build(server: RangeServer, policy: AccountPolicy = FAST) -> AccountApiClient:
        client = build_account_client(Secret(KEY), server.url, policy=policy)
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.close()


@pytest.fixture
def cli_server(
    server: RangeServer, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> RangeServer:
    """The CLI pointed at the loopback server, with a key in an in-memory keyring."""
    memory_keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, KEY)
    monkeypatch.setenv("NUTSEC_HIBP_API_URL", server.url + "/api/v3")
    return server


def assert_key_not_in(text: str) -> None:
    leaked = any(KEY[i : i + 8] in text for i in range(len(KEY) - 7))
    assert not leaked, "a piece of the API key appears in the output"


def test_the_request_is_exactly_what_the_api_expects(server: RangeServer, client_for) -> None:
    server.default = Reply(status=404, body="")
    result = client_for(server).lookup(ADDRESS)
    assert result.status is BreachStatus.NOT_FOUND
    [seen] = server.requests
    assert seen.method == "GET"
    assert seen.path == "/breachedaccount/user%2Btag%40example.org?truncateResponse=false"
    assert seen.headers["hibp-api-key"] == KEY
    assert seen.headers["User-Agent"] == f"nutsec/{__version__}"
    assert "Cookie" not in seen.headers
    assert seen.body == b""


def test_breaches_are_listed_most_recent_first(server: RangeServer, client_for) -> None:
    server.default = Reply(body=THREE, headers={"Content-Type": "application/json"})
    result = client_for(server).lookup(ADDRESS)
    assert result.status is BreachStatus.FOUND
    assert [b.name for b in result.breaches] == ["Newsite", "Midsite", "Oldsite"]
    newest = result.breaches[0]
    assert newest.title == "Newsite Ltd"
    assert newest.data_classes == ("Email addresses", "Phone numbers")
    assert newest.verified is False
    assert result.breaches[1].sensitive is True


def test_404_means_no_known_breaches(server: RangeServer, client_for) -> None:
    server.default = Reply(status=404, body="")
    assert client_for(server).lookup(ADDRESS).status is BreachStatus.NOT_FOUND


def test_a_rejected_key_is_an_error_to_fix_that_never_quotes_the_key(
    server: RangeServer, client_for
) -> None:
    server.default = Reply(status=401, body="Access denied due to invalid hibp-api-key.")
    with pytest.raises(ApiKeyRejectedError) as caught:
        client_for(server).lookup(ADDRESS)
    assert "nutsec config set-hibp-key" in caught.value.message
    assert_key_not_in(str(caught.value) + repr(caught.value))


def test_rate_limit_is_retried_once_after_retry_after(server: RangeServer, client_for) -> None:
    server.script.extend([Reply(status=429, body="", headers={"Retry-After": "0"})] * 2)
    server.default = Reply(body=THREE)
    first = client_for(server).lookup(ADDRESS)
    assert first.status is BreachStatus.UNKNOWN and first.reason == "rate limited"
    assert len(server.requests) == 2, "a rate limit is retried once, not more"
    second = client_for(server).lookup(ADDRESS)
    assert second.status is BreachStatus.FOUND


def test_rate_limit_then_success_finds_the_breaches(server: RangeServer, client_for) -> None:
    server.script.append(Reply(status=429, body="", headers={"Retry-After": "1"}))
    server.default = Reply(body=THREE)
    result = client_for(server).lookup(ADDRESS)
    assert result.status is BreachStatus.FOUND and len(result.breaches) == 3
    waited = server.requests[1].at - server.requests[0].at
    assert FAST.retry_after_cap - 0.02 <= waited < 1.0, "Retry-After was not honoured, capped"


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(status=500, body="oops"), "server error 500"),
        (Reply(status=503, body=""), "server error 503"),
        (Reply(status=403, body="no user agent"), "the service refused the request (HTTP 403)"),
        (Reply(status=301, body="", headers={"Location": "http://1.2.3.4/"}), None),
        (Reply(body="<html>a captive portal</html>"), "unexpected response"),
        (Reply(body='{"Name": "not a list"}'), "unexpected response"),
        (Reply(body='[{"Title": "no name"}]'), "unexpected response"),
        (Reply(action="reset"), "could not connect"),
    ],
    ids=["500", "503", "403", "redirect", "html", "object", "no-name", "reset"],
)
def test_a_failed_look_up_is_unknown_never_no_breaches(
    server: RangeServer, client_for, reply: Reply, reason: str | None
) -> None:
    server.default = reply
    result = client_for(server).lookup(ADDRESS)
    assert result.status is BreachStatus.UNKNOWN
    assert result.reason == (reason or f"unexpected response (HTTP {reply.status})")
    assert result.breaches == ()


def test_a_hanging_server_gives_up_within_the_time_limit(server: RangeServer, client_for) -> None:
    server.default = Reply(action="hang")
    started = time.monotonic()
    result = client_for(server).lookup(ADDRESS)
    elapsed = time.monotonic() - started
    assert result.status is BreachStatus.UNKNOWN and result.reason == "timed out"
    assert elapsed < FAST.total_timeout + 0.5


def test_a_malformed_address_is_refused_before_anything_is_sent(
    server: RangeServer, client_for
) -> None:
    for bad in ("nope", "a@b", "a b@example.org", "@example.org", "a@example..org", "a\x1b@x.org"):
        with pytest.raises(NutsecError):
            client_for(server).lookup(bad)
    assert server.requests == []


# The command, in-process, with an in-memory keyring and the service address from the env var.


def test_cli_lists_breaches_in_plain_english(cli_server: RangeServer) -> None:
    cli_server.default = Reply(body=THREE)
    result = runner.invoke(app, ["breach", "account", ADDRESS], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"{ADDRESS} is in 3 known breaches, most recent first:" in out
    assert out.index("Newsite Ltd") < out.index("Midsite Ltd") < out.index("Oldsite Ltd")
    assert "1. Newsite Ltd (newsite.example), breached 30 January 2023" in out
    assert "What was exposed: Email addresses, Phone numbers." in out
    assert "Not confirmed: it may not be a real breach of this site." in out
    assert "Sensitive: Have I Been Pwned shows it only to the owner of the address." in out
    assert "not anonymous" in result.stderr and "127.0.0.1" in result.stderr
    assert cli_server.requests[0].path.startswith("/api/v3/breachedaccount/user%2Btag%40")
    assert_key_not_in(result.output)


def test_cli_json_is_for_scripts(cli_server: RangeServer) -> None:
    cli_server.default = Reply(body=THREE)
    result = runner.invoke(app, ["breach", "account", ADDRESS, "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["email"] == ADDRESS and data["status"] == "found" and data["reason"] is None
    assert [b["name"] for b in data["breaches"]] == ["Newsite", "Midsite", "Oldsite"]
    assert data["breaches"][0]["breach_date"] == "2023-01-30"
    assert "Description" not in json.dumps(data)


def test_cli_404_says_no_known_breaches(cli_server: RangeServer) -> None:
    cli_server.default = Reply(status=404, body="")
    result = runner.invoke(app, ["breach", "account", ADDRESS])
    assert result.exit_code == 0
    assert "No known breaches for this address" in result.stdout
    as_json = json.loads(runner.invoke(app, ["breach", "account", ADDRESS, "--json"]).stdout)
    assert as_json["status"] == "not_found" and as_json["breaches"] == []


def test_cli_could_not_check_is_exit_0_and_never_no_breaches(cli_server: RangeServer) -> None:
    cli_server.default = Reply(status=500, body="", headers={"Retry-After": "0"})
    result = runner.invoke(app, ["breach", "account", ADDRESS])
    assert result.exit_code == 0
    said = " ".join(result.stdout.split())  # wrapped at 80 columns
    assert said.startswith("Not checked") and "server error 500" in said
    assert "No known breaches" not in result.stdout
    as_json = json.loads(runner.invoke(app, ["breach", "account", ADDRESS, "--json"]).stdout)
    assert as_json["status"] == "unknown" and as_json["reason"] == "server error 500"


def test_cli_rejected_key_is_exit_2_with_what_to_do(cli_server: RangeServer) -> None:
    cli_server.default = Reply(status=401, body="Access denied due to invalid hibp-api-key.")
    result = runner.invoke(app, ["breach", "account", ADDRESS])
    assert result.exit_code == 2
    assert "did not accept your API key" in result.stderr
    assert "nutsec config set-hibp-key" in result.stderr
    assert_key_not_in(result.output)


def test_cli_without_a_stored_key_is_exit_2_and_says_how_to_set_it(
    server: RangeServer, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUTSEC_HIBP_API_URL", server.url)
    result = runner.invoke(app, ["breach", "account", ADDRESS])
    assert result.exit_code == 2
    assert "No Have I Been Pwned API key is stored" in result.stderr
    assert "nutsec config set-hibp-key" in result.stderr
    assert server.requests == []


def test_cli_a_damaged_stored_key_is_never_sent(
    server: RangeServer, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, KEY + "\r\nX-Evil: 1")
    monkeypatch.setenv("NUTSEC_HIBP_API_URL", server.url)
    result = runner.invoke(app, ["breach", "account", ADDRESS])
    assert result.exit_code == 2
    assert "not in the shape of a Have I Been Pwned key" in result.stderr
    assert server.requests == []
    assert_key_not_in(result.output)


def test_cli_malformed_address_is_exit_2_naming_it(cli_server: RangeServer) -> None:
    result = runner.invoke(app, ["breach", "account", "sam.example.org"])
    assert result.exit_code == 2
    assert "'sam.example.org' is not an e-mail address" in result.stderr
    assert cli_server.requests == []


def test_installed_command_without_a_keyring_is_exit_2_in_one_line() -> None:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env["NUTSEC_HIBP_API_URL"] = "http://127.0.0.1:9"  # never reached: no key
    done = subprocess.run(
        [NUTSEC, "breach", "account", ADDRESS],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "nutsec config set-hibp-key" in done.stderr
