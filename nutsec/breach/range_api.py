"""The Pwned Passwords range API client: k-anonymity (only 5 hex characters leave the machine),
bounded retries, and a hard overall deadline so a dead server gives `unknown`, never a hang."""

from __future__ import annotations

import ipaddress
import queue
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from nutsec import __version__
from nutsec.breach.http_fetch import (
    Failed,
    Retry,
    caused_by_timeout,
    fetch_once,
    retry_after_seconds,
    retry_loop,
)
from nutsec.breach.range_source import (
    PrefixDone,
    RangeResult,
    RangeSource,
    check_prefixes,
    parse_range_lines,
)
from nutsec.errors import NutsecError
from nutsec.safe_text import without_controls

if TYPE_CHECKING:
    import requests

USER_AGENT = f"nutsec/{__version__}"

#: Re-exported: other modules import these from here.
__all__ = [
    "USER_AGENT",
    "RangeApiSource",
    "RangePolicy",
    "build_range_session",
    "caused_by_timeout",
    "is_local_plain_http",
    "is_loopback_host",
    "retry_after_seconds",
    "validate_range_url",
    "validate_service_url",
]


@dataclass(frozen=True)
class RangePolicy:
    """Time-outs and retries. The defaults keep a whole batch inside PRODUCT.md's 30 seconds."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    #: Everything one command looks up gives up after this much waiting in all, whatever the
    #: server does (one budget per source, spent only while a look-up is waiting).
    total_timeout: float = 30.0
    #: Retries after the first attempt, on connection errors, time-outs, 429 and 5xx.
    retries: int = 3
    #: Back-off before retry n (0-based) is backoff * 2**n seconds.
    backoff: float = 0.5
    #: A server's Retry-After is honoured up to this many seconds (urllib3 would wait 6 hours).
    retry_after_cap: float = 10.0
    #: A real padded range is ~40 KB; anything far larger is not a range answer.
    max_body_bytes: int = 2_000_000
    #: Concurrent requests, and the size of the connection pool.
    workers: int = 16

    def delay_before_retry(self, attempt: int, retry_after: float | None) -> float:
        """Exponential back-off; a server's (capped) Retry-After can only make the wait longer."""
        delay: float = self.backoff * (2**attempt)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.retry_after_cap))
        return delay


def validate_range_url(url: str) -> str:
    """An http(s) base address without a trailing slash, or a NutsecError naming what is wrong."""
    return validate_service_url(url, "https://api.pwnedpasswords.com")


#: What a service address may hold: letters, digits and the few marks a host, port and path
#: need. No user info ("@"), no backslash, no query or fragment, no blanks or controls: parsers
#: disagree about those, and a disagreement can send the API key to another host.
_SERVICE_URL_CHARACTERS = re.compile(r"[A-Za-z0-9._~:/%\[\]-]+")


def validate_service_url(url: str, example: str) -> str:
    """`validate_range_url` for any breach service, whose usual address is `example`.

    The address is judged by the parser the HTTP stack itself uses (urllib3's), and must read
    the same to the standard library's: the host checked is the host connected to.
    """
    text = url.strip()
    if _service_parts(text) is None:
        raise NutsecError(
            f"The breach service address '{without_controls(url)}' is not usable: "
            f"give a plain web address starting with https:// (for example {example}), "
            "with no user name, '@', '\\', '?' or '#' in it."
        )
    return text.rstrip("/")


def _service_parts(text: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) if both URL parsers agree on them and nothing odd is in the text."""
    from urllib3.exceptions import LocationParseError
    from urllib3.util import parse_url

    if _SERVICE_URL_CHARACTERS.fullmatch(text) is None:
        return None
    try:
        ours = urlsplit(text)
        theirs = parse_url(text)
        port = ours.port  # raises for a port that is not a number or out of range
    except (ValueError, LocationParseError):  # "http://[::1" and ports like :99999
        return None
    host = (ours.hostname or "").lower()
    if (
        ours.scheme not in ("http", "https")
        or not host
        or port == 0
        or ours.username is not None
        or theirs.auth is not None
        or theirs.scheme != ours.scheme
        or (theirs.host or "").strip("[]").lower() != host
        or theirs.port != port
    ):
        return None
    return ours.scheme, host, port


def is_local_plain_http(url: str) -> bool:
    """Whether `url` is plain http:// to this computer itself (the one place http is allowed).

    Such a request never goes through a proxy and never reads ~/.netrc or CA variables: a proxy
    would see everything in clear, and none is needed to reach this computer.
    """
    parts = _service_parts(url.strip())
    return parts is not None and parts[0] == "http" and is_loopback_host(parts[1])


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_range_session(workers: int, *, trust_env: bool = True) -> requests.Session:
    """One session whose pool holds a connection per worker (requests' default is 10) and which
    never retries by itself: `RangeApiSource` owns retries so it can keep to its deadline.

    `trust_env=False` ignores proxy, ~/.netrc and CA-bundle variables (for this computer)."""
    from http.cookiejar import DefaultCookiePolicy

    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    # No cookies: a cookie would let the service link one person's prefixes together.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max(1, workers), max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.verify = True
    session.trust_env = trust_env
    return session


class RangeApiSource(RangeSource):
    """Looks prefixes up at `{base_url}/range/{PREFIX}`, several at once, all within a deadline."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        policy: RangePolicy | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.base_url = validate_range_url(base_url)
        self.policy = policy or RangePolicy()
        if is_local_plain_http(self.base_url):
            session.trust_env = False  # no proxy may see a request to this computer in clear
        #: Seconds of waiting left for this source's whole life (one command): a hanging server
        #: costs `total_timeout` once, not once per password (issue 14: 4 accounts, 120 s).
        self._budget_left = self.policy.total_timeout

    def close(self) -> None:
        self.session.close()

    def lookup_many(
        self, prefixes: Sequence[str], on_done: PrefixDone | None = None
    ) -> dict[str, RangeResult]:
        distinct = check_prefixes(prefixes)
        if not distinct:
            return {}
        started = time.monotonic()
        if self._budget_left <= 0:
            return {prefix: RangeResult.unknown("timed out") for prefix in distinct}
        deadline = started + self._budget_left
        stop = threading.Event()
        work: queue.SimpleQueue[str] = queue.SimpleQueue()
        for prefix in distinct:
            work.put(prefix)
        answers: queue.SimpleQueue[tuple[str, RangeResult | BaseException]] = queue.SimpleQueue()

        def worker() -> None:
            while not stop.is_set():
                try:
                    prefix = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    answers.put((prefix, self._lookup_one(prefix, deadline, stop)))
                except Exception as bug:  # handed to the caller's thread to crash loudly
                    answers.put((prefix, bug))

        # Daemon threads, not an executor: a server that trickles bytes must not keep the
        # process alive after we have given up on it (executors are joined at exit).
        for _ in range(max(1, min(self.policy.workers, len(distinct)))):
            threading.Thread(target=worker, name="nutsec-range", daemon=True).start()
        results: dict[str, RangeResult] = {}
        try:
            while len(results) < len(distinct):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    prefix, answer = answers.get(timeout=remaining)
                except queue.Empty:
                    break  # whatever has not answered by now is "timed out" below
                if isinstance(answer, BaseException):
                    raise answer
                results[prefix] = answer
                if on_done:
                    on_done(prefix)
        finally:
            stop.set()
            self._budget_left -= time.monotonic() - started
        for prefix in distinct:
            results.setdefault(prefix, RangeResult.unknown("timed out"))
        return results

    def _lookup_one(self, prefix: str, deadline: float, stop: threading.Event) -> RangeResult:
        """Try, back off, try again, until an answer, a final failure, or the deadline."""
        url = f"{self.base_url}/range/{prefix}"
        return retry_loop(
            lambda: self._attempt(url, deadline), self.policy, deadline, RangeResult.unknown, stop
        )

    def _attempt(self, url: str, deadline: float) -> RangeResult | Retry:
        """One GET; only HTTP 200 with a well-formed range is an answer."""
        headers = {"User-Agent": USER_AGENT, "Add-Padding": "true"}
        outcome = fetch_once(self.session, url, headers, self.policy, deadline, chunk_bytes=16384)
        if isinstance(outcome, Retry):
            return outcome
        if isinstance(outcome, Failed):
            return RangeResult.unknown(outcome.reason)
        if outcome.status != 200:
            return RangeResult.unknown(f"unexpected response (HTTP {outcome.status})")
        return _parse_range_body(outcome.body)


def _parse_range_body(body: bytes) -> RangeResult:
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        return RangeResult.unknown("unexpected response")
    counts = parse_range_lines(text.split("\n"))
    # With Add-Padding the service never sends an empty range, so empty means something broke.
    if counts is None or not text.strip():
        return RangeResult.unknown("unexpected response")
    return RangeResult.known(counts)
