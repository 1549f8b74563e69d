"""The range API client against a real HTTP server on 127.0.0.1: k-anonymity, honest failure
(every error is `unknown` with a reason, never `not_found`) and a bounded time for every answer."""

from __future__ import annotations

import email.utils
import hashlib
import socket
import time
from collections.abc import Iterator

import pytest

from nutsec import __version__
from nutsec.breach.model import BreachResult, BreachStatus, OfflineSource
from nutsec.breach.range_api import RangeApiSource, RangePolicy
from nutsec.breach.sources import DEFAULT_RANGE_URL, build_breach_source, build_range_source
from nutsec.errors import NutsecError
from nutsec.secret import Secret
from tests.loopback import RangeServer, Reply

#: Small time-outs so failure tests finish quickly; the shapes of the bounds are what matter.
FAST = RangePolicy(
    connect_timeout=1.0,
    read_timeout=1.0,
    total_timeout=5.0,
    retries=2,
    backoff=0.01,
    retry_after_cap=0.2,
    workers=4,
)
# Two made-up passwords whose SHA-1 hashes share the prefix B701F.
SAME_PREFIX = ("shared-prefix-450", "shared-prefix-1055")


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with RangeServer() as running:
        yield running


@pytest.fixture
def source_for() -> Iterator[object]:
    opened: list[RangeApiSource] = []

    def build(server: RangeServer, policy: RangePolicy = FAST) -> RangeApiSource:
        source = build_range_source(server.url, policy=policy)
        opened.append(source)
        return source

    yield build
    for source in opened:
        source.close()


def sha1(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


def check(source: RangeApiSource, password: str) -> BreachResult:
    return source.check(Secret(password))


def test_breached_password_is_found_with_its_count(server: RangeServer, source_for) -> None:
    server.add_password("Summer2024!", 1234)
    assert check(source_for(server), "Summer2024!") == BreachResult.found(1234)


def test_password_absent_from_its_range_is_not_found(server: RangeServer, source_for) -> None:
    server.add_password("Summer2024!", 1234)
    assert check(source_for(server), "a made-up passphrase nobody uses") == (
        BreachResult.not_found()
    )


def test_padding_lines_are_never_reported_as_breached(server: RangeServer, source_for) -> None:
    server.add_password("padded-only", 0)
    assert check(source_for(server), "padded-only") == BreachResult.not_found()


def test_request_carries_only_five_hex_characters_and_the_required_headers(
    server: RangeServer, source_for
) -> None:
    password = "Tr0ub4dor&3"
    digest = sha1(password)
    check(source_for(server), password)

    (seen,) = server.requests
    assert seen.method == "GET"
    assert seen.path == f"/range/{digest[:5]}"
    assert seen.headers["Add-Padding"] == "true"
    assert seen.headers["User-Agent"] == f"nutsec/{__version__}"
    raw = seen.raw.decode("latin-1")
    leaked = [
        name
        for name, fragment in (
            ("suffix", digest[5:]),
            ("suffix (lower case)", digest[5:].lower()),
            ("the suffix's first 8 characters", digest[5:13]),
            ("the password", password),
        )
        if fragment in raw
    ]
    assert leaked == [], "the request carried more than the 5-character prefix"
    assert seen.body == b"", "a range request has no body"
    assert "Transfer-Encoding" not in seen.headers


def test_cookies_from_the_service_are_never_sent_back(server: RangeServer, source_for) -> None:
    server.script.append(Reply(headers={"Set-Cookie": "track=me; Path=/"}))
    source = source_for(server)
    source.check_many([Secret("first"), Secret("second")])
    source.check(Secret("third"))
    assert len(server.requests) == 3
    assert all("Cookie" not in seen.headers for seen in server.requests)


def test_server_error_is_never_not_found(server: RangeServer, source_for) -> None:
    server.default = Reply(status=500, body="")
    result = check(source_for(server), "Summer2024!")
    assert result == BreachResult.unknown("server error 500")
    assert len(server.requests) == FAST.retries + 1, "retried before giving up"


def test_server_recovering_after_503_gives_the_real_answer(server: RangeServer, source_for) -> None:
    server.add_password("Summer2024!", 7)
    server.script.extend([Reply(status=503, body="busy"), Reply()])
    assert check(source_for(server), "Summer2024!") == BreachResult.found(7)
    assert len(server.requests) == 2


def test_rate_limit_waits_as_long_as_retry_after_says(server: RangeServer, source_for) -> None:
    server.add_password("Summer2024!", 7)
    server.script.append(Reply(status=429, body="", headers={"Retry-After": "1"}))
    policy = RangePolicy(**{**FAST.__dict__, "retry_after_cap": 5.0})
    assert check(source_for(server, policy), "Summer2024!") == BreachResult.found(7)
    first, second = server.requests
    assert second.at - first.at >= 0.9, "retried before the server's Retry-After"


def test_retry_after_as_an_http_date_is_honoured(server: RangeServer, source_for) -> None:
    server.add_password("Summer2024!", 7)
    later = email.utils.formatdate(time.time() + 2, usegmt=True)
    server.script.append(Reply(status=503, body="", headers={"Retry-After": later}))
    policy = RangePolicy(**{**FAST.__dict__, "retry_after_cap": 5.0})
    assert check(source_for(server, policy), "Summer2024!") == BreachResult.found(7)
    first, second = server.requests
    assert second.at - first.at >= 0.9, "retried before the server's Retry-After date"


def test_huge_retry_after_is_capped_and_the_lookup_gives_up_in_time(
    server: RangeServer, source_for
) -> None:
    server.default = Reply(status=429, body="", headers={"Retry-After": "21600"})
    started = time.monotonic()
    result = check(source_for(server), "Summer2024!")
    assert result == BreachResult.unknown("rate limited")
    assert time.monotonic() - started < FAST.total_timeout
    assert len(server.requests) == FAST.retries + 1, "kept retrying at the capped interval"


def test_retry_after_beyond_the_deadline_gives_up_at_once(server: RangeServer, source_for) -> None:
    server.default = Reply(status=503, body="", headers={"Retry-After": "3600"})
    policy = RangePolicy(**{**FAST.__dict__, "retry_after_cap": 60.0, "total_timeout": 3.0})
    started = time.monotonic()
    assert check(source_for(server, policy), "x") == BreachResult.unknown("server error 503")
    assert time.monotonic() - started < policy.total_timeout


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>Service temporarily unavailable</body></html>",
        "",
        "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\nnot a range line\r\n",
        "0018A45C4D1DEF81644B54AB7F969B88D65",
        "0018A45C4D1DEF81644B54AB7F969B88D65:-3",
    ],
    ids=["html", "empty", "one-bad-line", "no-count", "negative-count"],
)
def test_garbage_body_is_unexpected_response_never_not_found(
    server: RangeServer, source_for, body: str
) -> None:
    server.default = Reply(body=body)
    assert check(source_for(server), "Summer2024!") == BreachResult.unknown("unexpected response")


def test_unexpected_status_is_unknown_with_the_status(server: RangeServer, source_for) -> None:
    server.default = Reply(status=404, body="no such thing")
    assert check(source_for(server), "x") == BreachResult.unknown("unexpected response (HTTP 404)")


def test_connection_reset_is_unknown_never_not_found(server: RangeServer, source_for) -> None:
    server.default = Reply(action="reset")
    assert check(source_for(server), "Summer2024!") == BreachResult.unknown("could not connect")
    assert len(server.requests) == FAST.retries + 1


def test_connection_reset_then_answer_gives_the_real_answer(
    server: RangeServer, source_for
) -> None:
    server.add_password("Summer2024!", 3)
    server.script.append(Reply(action="reset"))
    assert check(source_for(server), "Summer2024!") == BreachResult.found(3)


def test_nothing_listening_is_could_not_connect() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = build_range_source(f"http://127.0.0.1:{port}", policy=FAST)
    try:
        assert source.check(Secret("x")) == BreachResult.unknown("could not connect")
    finally:
        source.close()


def test_unresponsive_server_gives_timed_out_within_the_time_outs(
    server: RangeServer, source_for
) -> None:
    server.default = Reply(action="hang")
    policy = RangePolicy(**{**FAST.__dict__, "read_timeout": 0.5, "retries": 1})
    started = time.monotonic()
    assert check(source_for(server, policy), "x") == BreachResult.unknown("timed out")
    # Two attempts of 0.5 s each; loose bound, well under the total deadline.
    assert time.monotonic() - started < 3.0
    assert len(server.requests) == 2, "an unanswered request is retried"


def test_whole_lookup_gives_up_at_the_total_deadline(server: RangeServer, source_for) -> None:
    server.default = Reply(action="hang")
    policy = RangePolicy(**{**FAST.__dict__, "read_timeout": 30.0, "total_timeout": 1.0})
    started = time.monotonic()
    results = source_for(server, policy).check_many([Secret("x"), Secret("y"), Secret("z")])
    assert results == [BreachResult.unknown("timed out")] * 3
    assert time.monotonic() - started < 3.0


@pytest.mark.parametrize(
    "reply", [Reply(delay=3.0), Reply(action="trickle", delay=0.2)], ids=["late", "trickle"]
)
def test_slow_answer_is_cut_off_at_the_deadline(
    server: RangeServer, source_for, reply: Reply
) -> None:
    server.padding = 40
    server.default = reply
    policy = RangePolicy(**{**FAST.__dict__, "read_timeout": 30.0, "total_timeout": 1.0})
    started = time.monotonic()
    assert check(source_for(server, policy), "x").status is BreachStatus.UNKNOWN
    assert time.monotonic() - started < 2.5


def test_many_passwords_make_one_request_per_distinct_prefix(
    server: RangeServer, source_for
) -> None:
    passwords = [*SAME_PREFIX, "Summer2024!", "Summer2024!", "Winter2024!", SAME_PREFIX[0]]
    assert sha1(SAME_PREFIX[0])[:5] == sha1(SAME_PREFIX[1])[:5]
    server.add_password(SAME_PREFIX[1], 5)
    server.add_password("Winter2024!", 9)
    results = source_for(server).check_many([Secret(p) for p in passwords])

    assert results == [
        BreachResult.not_found(),
        BreachResult.found(5),
        BreachResult.not_found(),
        BreachResult.not_found(),
        BreachResult.found(9),
        BreachResult.not_found(),
    ]
    paths = sorted(seen.path for seen in server.requests)
    assert paths == sorted({f"/range/{sha1(p)[:5]}" for p in passwords})
    assert len(paths) == 3


def test_a_prefix_is_fetched_once_per_run(server: RangeServer, source_for) -> None:
    server.add_password("Summer2024!", 2)
    source = source_for(server)
    assert check(source, "Summer2024!") == BreachResult.found(2)
    assert check(source, "Summer2024!") == BreachResult.found(2)
    assert len(server.requests) == 1


def test_failed_prefix_is_not_cached_so_a_later_check_retries(
    server: RangeServer, source_for
) -> None:
    server.add_password("Summer2024!", 2)
    server.script.extend([Reply(status=500, body="")] * (FAST.retries + 1))
    source = source_for(server)
    assert check(source, "Summer2024!") == BreachResult.unknown("server error 500")
    assert check(source, "Summer2024!") == BreachResult.found(2)


def test_progress_counts_passwords_up_to_the_total(server: RangeServer, source_for) -> None:
    seen: list[tuple[int, int]] = []
    passwords = ["a", "b", "c", "c"]
    source_for(server).check_many([Secret(p) for p in passwords], lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 4)
    assert seen[-1] == (4, 4)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_connection_pool_holds_a_connection_per_worker(server: RangeServer, source_for) -> None:
    policy = RangePolicy(**{**FAST.__dict__, "workers": 12})
    adapter = source_for(server, policy).session.get_adapter("https://api.pwnedpasswords.com")
    assert adapter.poolmanager.connection_pool_kw["maxsize"] == 12  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org", "api.pwnedpasswords.com", "https://", "https://h/range?x=1", "  "],
)
def test_malformed_hibp_url_is_a_usage_error(url: str) -> None:
    with pytest.raises(NutsecError) as raised:
        build_breach_source(offline=False, hibp_url=url)
    assert raised.value.exit_code == 2
    assert "https://" in str(raised.value)


def test_offline_wins_and_sends_nothing(server: RangeServer, tmp_path) -> None:
    source = build_breach_source(offline=True, hibp_url=server.url, hibp_corpus=tmp_path / "no")
    assert isinstance(source, OfflineSource)
    assert source.check(Secret("x")) == BreachResult.unknown("offline")
    assert server.requests == []


def test_hibp_url_environment_variable_is_used(
    server: RangeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.add_password("Summer2024!", 4)
    monkeypatch.setenv("NUTSEC_HIBP_URL", server.url + "/")
    source = build_breach_source(offline=False)
    try:
        assert source.check(Secret("Summer2024!")) == BreachResult.found(4)
    finally:
        source.close()
    assert len(server.requests) == 1


def test_hibp_url_option_beats_the_environment(
    server: RangeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUTSEC_HIBP_URL", "https://elsewhere.invalid")
    source = build_breach_source(offline=False, hibp_url=server.url)
    try:
        assert isinstance(source, RangeApiSource)
        assert source.base_url == server.url
    finally:
        source.close()


def test_default_service_is_pwned_passwords() -> None:
    source = build_breach_source(offline=False)
    try:
        assert isinstance(source, RangeApiSource)
        assert source.base_url == DEFAULT_RANGE_URL
        assert source.session.verify is True
    finally:
        source.close()  # nothing was looked up: no network was used
