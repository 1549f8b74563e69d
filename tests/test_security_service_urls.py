"""Security review, issue 14: a service address is judged by the parser the HTTP stack uses, and
the plain-http exception for this computer never goes through a proxy, ~/.netrc or CA variables."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.breach.account_api import AccountPolicy, build_account_client
from nutsec.breach.api_key import KEYRING_SERVICE, KEYRING_USERNAME
from nutsec.breach.range_api import RangePolicy, validate_service_url
from nutsec.breach.sources import build_range_source
from nutsec.cli import app
from nutsec.errors import NutsecError
from nutsec.secret import Secret
from tests.loopback import running_range_server
from tests.memory_keyring import MemoryKeyring

KEY = "5f1c0a9e3b7d42c8a6e01f9b2d4c7e83"  # made up, in the shape of an HIBP key
FAST = AccountPolicy(connect_timeout=1.0, read_timeout=1.0, total_timeout=3.0, retries=0)


def test_the_api_key_never_reaches_a_host_hidden_behind_a_backslash(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_range_server() as otherhost:
        port = otherhost.url.rsplit(":", 1)[1]
        # urlsplit reads the host as 127.0.0.1:1; urllib3 would connect to localhost:<port>.
        monkeypatch.setenv("NUTSEC_HIBP_API_URL", f"http://localhost:{port}\\@127.0.0.1:1")
        memory_keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, KEY)
        result = CliRunner().invoke(app, ["breach", "account", "sam@example.org"])
        assert result.exit_code == 2
        assert "is not usable" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert otherhost.requests == [], "the request went to the host behind the backslash"
        assert KEY not in result.output


@pytest.mark.parametrize(
    "url",
    [
        "http://user:pass@127.0.0.1:8080",
        "https://evil.example@api.pwnedpasswords.com",
        "http://127.0.0.1:8080\\x",
        "https://api.pwnedpasswords.com/?x=1",
        "https://api.pwnedpasswords.com/#x",
        "https://api.pwned passwords.com",
        "https://api.pwned\tpasswords.com",
        "https://ápi.pwnedpasswords.com",
        "http://127.0.0.1:99999",
        "ftp://127.0.0.1",
        "http://[::1",
    ],
)
def test_odd_service_addresses_are_refused_outright(url: str) -> None:
    with pytest.raises(NutsecError, match="is not usable"):
        validate_service_url(url, "https://api.pwnedpasswords.com")


def _proxy_env(monkeypatch: pytest.MonkeyPatch, proxy_url: str, tmp_path: Path) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login rep password netrc-secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))


def test_the_key_to_this_computer_never_goes_through_a_proxy_or_netrc(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with running_range_server() as proxy, running_range_server() as service:
        _proxy_env(monkeypatch, proxy.url, tmp_path)
        client = build_account_client(Secret(KEY), service.url, policy=FAST)
        try:
            client.lookup("sam@example.org")
        finally:
            client.close()
        assert proxy.requests == [], "the key went through the proxy in clear"
        assert len(service.requests) == 1
        headers = {name.lower() for name in service.requests[0].headers}
        assert "authorization" not in headers, "~/.netrc was read for this computer"


def test_a_range_request_to_this_computer_never_goes_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with running_range_server() as proxy, running_range_server() as service:
        _proxy_env(monkeypatch, proxy.url, tmp_path)
        source = build_range_source(service.url, policy=RangePolicy(total_timeout=3, retries=0))
        try:
            source.check(Secret("Summer2024!"))
        finally:
            source.close()
        assert proxy.requests == []
        assert len(service.requests) == 1


def test_the_real_https_service_may_still_use_a_proxy() -> None:
    client = build_account_client(Secret(KEY), "https://haveibeenpwned.com/api/v3")
    source = build_range_source("https://api.pwnedpasswords.com")
    try:
        assert client.session.trust_env, "school networks need their proxy for the service"
        assert source.session.trust_env
    finally:
        client.close()
        source.close()
