"""The HTTP mechanics both breach services share: one bounded GET, translated into an outcome, and
a retry loop that keeps to a deadline. Each client keeps only its own status codes and parsing."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    import threading

    import requests

T = TypeVar("T")

#: The settings that name the certificates an https connection trusts: requests reads the first
#: two, OpenSSL the third. One that names nothing usable is said plainly, never a traceback.
CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")


class FetchPolicy(Protocol):
    """What `fetch_once` and `retry_loop` need from a client's policy."""

    @property
    def connect_timeout(self) -> float: ...
    @property
    def read_timeout(self) -> float: ...
    @property
    def retries(self) -> int: ...
    @property
    def max_body_bytes(self) -> int: ...
    def delay_before_retry(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry `attempt` (0-based), given the server's Retry-After."""
        ...


@dataclass(frozen=True)
class Retry:
    """An attempt that may succeed if tried again later."""

    reason: str
    retry_after: float | None = None


@dataclass(frozen=True)
class Failed:
    """An attempt that will not succeed by trying again; `reason` is what the user is told."""

    reason: str


@dataclass(frozen=True)
class Fetched:
    """A response the client must judge; the body is read (within limits) only for HTTP 200."""

    status: int
    body: bytes = b""


def fetch_once(
    session: requests.Session,
    url: str,
    headers: Mapping[str, str],
    policy: FetchPolicy,
    deadline: float,
    *,
    chunk_bytes: int,
) -> Fetched | Failed | Retry:
    """One GET, translated: requests' exceptions stop here, 429 and 5xx become `Retry`."""
    import requests

    if session.trust_env and url[:6].lower() == "https:":
        problem = ca_setting_problem()
        if problem is not None:
            return Failed(problem)
    remaining = max(0.05, deadline - time.monotonic())
    try:
        with session.get(
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
            if status == 429 or status >= 500:
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                return Retry("rate limited" if status == 429 else f"server error {status}", wait)
            if status != 200:
                return Fetched(status)
            return _read_body(response, policy.max_body_bytes, deadline, chunk_bytes)
    except requests.exceptions.SSLError:
        return Failed("could not make a secure connection")
    except requests.Timeout:
        return Retry("timed out")
    except requests.RequestException as error:
        return Retry("timed out" if caused_by_timeout(error) else "could not connect")
    except OSError:
        # requests checks a certificate path itself and raises a bare OSError ("Could not find
        # a suitable TLS CA certificate bundle"), not one of its own exceptions.
        return Failed("could not make a secure connection: the certificates set cannot be used")


def ca_setting_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why the certificate setting of this computer cannot be used (one of `CA_VARIABLES`
    naming no readable file or folder), in a few words; None when it can (or none is set)."""
    env = os.environ if environ is None else environ
    for name in CA_VARIABLES:
        value = env.get(name, "")
        if not value:
            continue  # unset (requests treats an empty value as unset too)
        if not os.path.exists(value):
            return f"the certificate file set in {name} was not found"
        if not os.access(value, os.R_OK) or not (os.path.isfile(value) or os.path.isdir(value)):
            return f"the certificate file set in {name} cannot be read"
    return None


def _read_body(
    response: requests.Response, max_bytes: int, deadline: float, chunk_bytes: int
) -> Fetched | Failed:
    """The whole body, unless it grows past `max_bytes` or the deadline passes while it comes."""
    size = 0
    chunks: list[bytes] = []
    for chunk in response.iter_content(chunk_size=chunk_bytes):
        size += len(chunk)
        if size > max_bytes:
            return Failed("unexpected response")
        chunks.append(chunk)
        if time.monotonic() >= deadline:
            return Failed("timed out")
    return Fetched(response.status_code, b"".join(chunks))


def retry_loop(
    attempt: Callable[[], T | Retry],
    policy: FetchPolicy,
    deadline: float,
    give_up: Callable[[str], T],
    stop: threading.Event | None = None,
) -> T:
    """Try, back off, try again, until an answer, a final failure, `stop`, or the deadline; when
    waiting would pass the deadline, give up at once with the real reason, not "timed out"."""
    for number in range(policy.retries + 1):
        if (stop is not None and stop.is_set()) or time.monotonic() >= deadline:
            return give_up("timed out")
        outcome = attempt()
        if not isinstance(outcome, Retry):
            return outcome
        if number == policy.retries:
            return give_up(outcome.reason)
        delay = policy.delay_before_retry(number, outcome.retry_after)
        if time.monotonic() + delay >= deadline:
            return give_up(outcome.reason)
        if stop is None:
            time.sleep(delay)
        elif stop.wait(delay):
            return give_up("timed out")
    raise AssertionError("unreachable: the loop always returns")


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime  # rare: loaded only for a date (7 ms)

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
