"""The Pwned Passwords range API client: k-anonymity (only 5 hex characters leave the machine),
bounded retries, and a hard overall deadline so a dead server gives `unknown`, never a hang."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from nutsec import __version__
from nutsec.breach.range_source import (
    PrefixDone,
    RangeResult,
    RangeSource,
    check_prefixes,
    parse_range_lines,
)
from nutsec.errors import NutsecError

if TYPE_CHECKING:
    import requests

USER_AGENT = f"nutsec/{__version__}"


@dataclass(frozen=True)
class RangePolicy:
    """Time-outs and retries. The defaults keep a whole batch inside PRODUCT.md's 30 seconds."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    #: The whole batch gives up after this long, whatever the server does.
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


def validate_range_url(url: str) -> str:
    """An http(s) base address without a trailing slash, or a NutsecError naming what is wrong."""
    return validate_service_url(url, "https://api.pwnedpasswords.com")


def validate_service_url(url: str, example: str) -> str:
    """`validate_range_url` for any breach service, whose usual address is `example`."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        usable = bool(parts.hostname) and parts.port != 0  # .port raises for a bad port
    except ValueError:  # "http://[::1" and ports like :99999
        usable = False
    if not usable or parts.scheme not in ("http", "https") or parts.query or parts.fragment:
        raise NutsecError(
            f"The breach service address '{url}' is not usable: "
            f"give a web address starting with https:// (for example {example})."
        )
    return text.rstrip("/")


def build_range_session(workers: int) -> requests.Session:
    """One session whose pool holds a connection per worker (requests' default is 10) and which
    never retries by itself: `RangeApiSource` owns retries so it can keep to its deadline."""
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
    return session


@dataclass(frozen=True)
class _Retry:
    """An attempt that may succeed if tried again later."""

    reason: str
    retry_after: float | None = None


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

    def close(self) -> None:
        self.session.close()

    def lookup_many(
        self, prefixes: Sequence[str], on_done: PrefixDone | None = None
    ) -> dict[str, RangeResult]:
        distinct = check_prefixes(prefixes)
        if not distinct:
            return {}
        deadline = time.monotonic() + self.policy.total_timeout
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
        for prefix in distinct:
            results.setdefault(prefix, RangeResult.unknown("timed out"))
        return results

    def _lookup_one(self, prefix: str, deadline: float, stop: threading.Event) -> RangeResult:
        """Try, back off, try again, until an answer, a final failure, or the deadline."""
        policy = self.policy
        url = f"{self.base_url}/range/{prefix}"
        for attempt in range(policy.retries + 1):
            if stop.is_set() or time.monotonic() >= deadline:
                return RangeResult.unknown("timed out")
            outcome = self._attempt(url, deadline)
            if isinstance(outcome, RangeResult):
                return outcome
            if attempt == policy.retries:
                return RangeResult.unknown(outcome.reason)
            delay = policy.backoff * (2**attempt)
            if outcome.retry_after is not None:
                delay = max(delay, min(outcome.retry_after, policy.retry_after_cap))
            if time.monotonic() + delay >= deadline:
                # Waiting would run past the deadline: say now what went wrong.
                return RangeResult.unknown(outcome.reason)
            if stop.wait(delay):
                return RangeResult.unknown("timed out")
        raise AssertionError("unreachable: the loop always returns")

    def _attempt(self, url: str, deadline: float) -> RangeResult | _Retry:
        """One GET, translated: requests' exceptions stop here."""
        import requests

        policy = self.policy
        remaining = max(0.05, deadline - time.monotonic())
        headers = {"User-Agent": USER_AGENT, "Add-Padding": "true"}
        try:
            with self.session.get(
                url,
                headers=headers,
                timeout=(
                    min(policy.connect_timeout, remaining),
                    min(policy.read_timeout, remaining),
                ),
                stream=True,
                allow_redirects=False,
            ) as response:
                status = response.status_code
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                if status == 429:
                    return _Retry("rate limited", wait)
                if status >= 500:
                    return _Retry(f"server error {status}", wait)
                if status != 200:
                    return RangeResult.unknown(f"unexpected response (HTTP {status})")
                return self._read_body(response, deadline)
        except requests.exceptions.SSLError:
            return RangeResult.unknown("could not make a secure connection")
        except requests.Timeout:
            return _Retry("timed out")
        except requests.RequestException as error:
            return _Retry("timed out" if caused_by_timeout(error) else "could not connect")

    def _read_body(self, response: requests.Response, deadline: float) -> RangeResult:
        size = 0
        chunks: list[bytes] = []
        for chunk in response.iter_content(chunk_size=16384):
            size += len(chunk)
            if size > self.policy.max_body_bytes:
                return RangeResult.unknown("unexpected response")
            chunks.append(chunk)
            if time.monotonic() >= deadline:
                return RangeResult.unknown("timed out")
        try:
            text = b"".join(chunks).decode("ascii")
        except UnicodeDecodeError:
            return RangeResult.unknown("unexpected response")
        counts = parse_range_lines(text.split("\n"))
        # With Add-Padding the service never sends an empty range, so empty means something broke.
        if counts is None or not text.strip():
            return RangeResult.unknown("unexpected response")
        return RangeResult.known(counts)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def caused_by_timeout(error: BaseException) -> bool:
    """requests reports a read time-out while streaming the body as a ConnectionError."""
    import socket

    from urllib3.exceptions import NewConnectionError
    from urllib3.exceptions import TimeoutError as Urllib3Timeout

    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NewConnectionError):
            return False  # refused: urllib3 files it under connect time-outs for history's sake
        if isinstance(current, Urllib3Timeout | socket.timeout):
            return True
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)
    return False
