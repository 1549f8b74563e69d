"""Have I Been Pwned's e-mail search (API v3 `breachedaccount`): which breaches an address is in.

Unlike the password range look-up this is not anonymous: the address and the API key go to the
service. A look-up that could not finish is `unknown` with a reason, never "no breaches".
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from nutsec.breach.http_fetch import Failed, Retry, fetch_once, retry_loop
from nutsec.breach.model import BreachStatus
from nutsec.breach.range_api import (
    USER_AGENT,
    build_range_session,
    is_local_plain_http,
    is_loopback_host,
    validate_service_url,
)
from nutsec.errors import NutsecError
from nutsec.safe_text import first_control_character, without_controls
from nutsec.secret import Secret

if TYPE_CHECKING:
    from collections.abc import Mapping

    import requests

DEFAULT_ACCOUNT_API_URL = "https://haveibeenpwned.com/api/v3"
ACCOUNT_API_URL_ENV = "NUTSEC_HIBP_API_URL"


@dataclass(frozen=True)
class AccountPolicy:
    """Time-outs and the one retry; the defaults give up within 30 seconds, like the range API."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    #: The look-up gives up after this long, whatever the server does.
    total_timeout: float = 30.0
    #: Retries after the first attempt, on 429, 5xx, time-outs and connection errors.
    retries: int = 1
    #: Wait before a retry when the service does not say (Retry-After) how long.
    backoff: float = 1.0
    #: Retry-After is honoured up to this many seconds.
    retry_after_cap: float = 10.0
    #: A person in 800 breaches gets about 1.5 MB of JSON; far more is not a real answer.
    max_body_bytes: int = 8_000_000

    def delay_before_retry(self, attempt: int, retry_after: float | None) -> float:
        """A fixed wait, replaced by the server's Retry-After (capped) when it gives one."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        return self.backoff


class ApiKeyRejectedError(NutsecError):
    """HTTP 401: the stored key is wrong or expired; the user can fix that."""


class AddressRejectedError(NutsecError):
    """HTTP 400: the service would not look the address up."""


@dataclass(frozen=True)
class AccountBreach:
    """One breach an address is in, as the service describes it (Description's HTML left out)."""

    name: str
    title: str
    domain: str
    #: YYYY-MM-DD as the service gives it, or "" when it gives none.
    breach_date: str
    added_date: str
    pwn_count: int
    data_classes: tuple[str, ...]
    verified: bool
    sensitive: bool
    fabricated: bool
    spam_list: bool

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "domain": self.domain,
            "breach_date": self.breach_date or None,
            "added_date": self.added_date or None,
            "pwn_count": self.pwn_count,
            "data_classes": list(self.data_classes),
            "verified": self.verified,
            "sensitive": self.sensitive,
            "fabricated": self.fabricated,
            "spam_list": self.spam_list,
        }


@dataclass(frozen=True)
class AccountResult:
    """`found` with its breaches (most recent first), `not_found`, or `unknown` with a reason."""

    status: BreachStatus
    breaches: tuple[AccountBreach, ...] = ()
    reason: str | None = None

    @classmethod
    def found(cls, breaches: list[AccountBreach]) -> AccountResult:
        ordered = sorted(breaches, key=lambda b: (b.breach_date, b.added_date), reverse=True)
        return cls(BreachStatus.FOUND, tuple(ordered), None)

    @classmethod
    def not_found(cls) -> AccountResult:
        return cls(BreachStatus.NOT_FOUND, (), None)

    @classmethod
    def unknown(cls, reason: str) -> AccountResult:
        return cls(BreachStatus.UNKNOWN, (), reason)

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "reason": self.reason,
            "breaches": [breach.to_json() for breach in self.breaches],
        }


def validate_email(text: str) -> str:
    """The address without surrounding blanks, or a NutsecError naming it."""
    address = text.strip()
    local, at, domain = address.rpartition("@")
    labels = domain.split(".")
    usable = (
        bool(at and local)
        and len(address) <= 254
        and len(local) <= 64
        and len(labels) >= 2
        and all(labels)
        and not any(char.isspace() for char in address)
        and first_control_character(address) is None
    )
    if not usable:
        shown = without_controls(address)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise NutsecError(
            f"'{shown}' is not an e-mail address: give one like name@example.org."
            if shown
            else "No e-mail address was given: give one like name@example.org."
        )
    return address


def account_api_url(base_url: str) -> str:
    """A usable base address for the e-mail search, or a NutsecError naming what is wrong.

    The API key goes with every request, so plain http:// is only for this computer itself.
    """
    url = validate_service_url(base_url, DEFAULT_ACCOUNT_API_URL)
    parts = urlsplit(url)
    if parts.scheme != "https" and not is_loopback_host(parts.hostname or ""):
        raise NutsecError(
            f"The e-mail breach service address '{without_controls(url)}' is not usable: your "
            "API key would travel unencrypted. Give an address starting with https:// "
            f"(for example {DEFAULT_ACCOUNT_API_URL})."
        )
    return url


def account_request_url(base_url: str, email: str) -> str:
    """`{base}/breachedaccount/{address, every reserved character encoded}` with full details."""
    return f"{base_url}/breachedaccount/{quote(email, safe='')}?truncateResponse=false"


class AccountApiClient:
    """Looks one address up at a time, within `policy.total_timeout`, retrying once."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        api_key: Secret,
        policy: AccountPolicy | None = None,
    ) -> None:
        self.session = session
        self.base_url = account_api_url(base_url)
        self.api_key = api_key
        self.policy = policy or AccountPolicy()
        if is_local_plain_http(self.base_url):
            # The key travels in clear to this computer: no proxy, ~/.netrc or CA variable.
            session.trust_env = False

    def close(self) -> None:
        self.session.close()

    def lookup(self, email: str) -> AccountResult:
        """The breaches `email` is in. Raises only for what the user must fix (key, address)."""
        url = account_request_url(self.base_url, validate_email(email))
        deadline = time.monotonic() + self.policy.total_timeout
        return retry_loop(
            lambda: self._attempt_within(url, deadline),
            self.policy,
            deadline,
            AccountResult.unknown,
        )

    def _attempt_within(self, url: str, deadline: float) -> AccountResult | Retry:
        """`_attempt` on a daemon thread, given up at the deadline: time-outs are per read, so a
        server that trickles a byte at a time would otherwise keep one attempt going for ever."""
        answers: queue.SimpleQueue[AccountResult | Retry | BaseException] = queue.SimpleQueue()

        def attempt() -> None:
            try:
                answers.put(self._attempt(url, deadline))
            except BaseException as error:  # handed to the caller's thread (key rejected, bugs)
                answers.put(error)

        threading.Thread(target=attempt, name="nutsec-account", daemon=True).start()
        try:
            outcome = answers.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return AccountResult.unknown("timed out")
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _attempt(self, url: str, deadline: float) -> AccountResult | Retry:
        """One GET, judged by the service's own status codes."""
        headers = {"User-Agent": USER_AGENT, "hibp-api-key": self.api_key.reveal()}
        try:
            outcome = fetch_once(
                self.session, url, headers, self.policy, deadline, chunk_bytes=65536
            )
        finally:
            del headers
        if isinstance(outcome, Retry):
            return outcome
        if isinstance(outcome, Failed):
            return AccountResult.unknown(outcome.reason)
        if outcome.status == 200:
            return _parse_breaches_body(outcome.body)
        if outcome.status == 404:
            return AccountResult.not_found()
        if outcome.status == 401:
            raise ApiKeyRejectedError(
                "Have I Been Pwned did not accept your API key (it may be mistyped or expired). "
                "Check it on https://haveibeenpwned.com/API/Key, then store it again with: "
                "nutsec config set-hibp-key"
            )
        if outcome.status == 400:
            raise AddressRejectedError(
                "Have I Been Pwned would not look this address up: it says it is not in a form "
                "it accepts. Check the address for typing mistakes."
            )
        if outcome.status == 403:
            return AccountResult.unknown("the service refused the request (HTTP 403)")
        return AccountResult.unknown(f"unexpected response (HTTP {outcome.status})")


def _parse_breaches_body(body: bytes) -> AccountResult:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError: "[[[[..." nested deeper than the parser goes is not an answer either.
        return AccountResult.unknown("unexpected response")
    breaches = parse_breaches(data)
    if breaches is None:
        return AccountResult.unknown("unexpected response")
    return AccountResult.found(breaches) if breaches else AccountResult.not_found()


def parse_breaches(data: object) -> list[AccountBreach] | None:
    """The service's JSON list of breach models, or None if it is not one."""
    if not isinstance(data, list):
        return None
    breaches = []
    for entry in data:
        if not isinstance(entry, dict):
            return None
        breach = _parse_breach(entry)
        if breach is None:
            return None
        breaches.append(breach)
    return breaches


def _parse_breach(entry: Mapping[str, Any]) -> AccountBreach | None:
    name = entry.get("Name")
    if not isinstance(name, str) or not name:
        return None
    classes = entry.get("DataClasses", [])
    if not isinstance(classes, list) or not all(isinstance(item, str) for item in classes):
        return None
    count = entry.get("PwnCount", 0)
    return AccountBreach(
        name=name,
        title=_text(entry.get("Title")) or name,
        domain=_text(entry.get("Domain")),
        breach_date=_text(entry.get("BreachDate")),
        added_date=_text(entry.get("AddedDate")),
        pwn_count=count if isinstance(count, int) and not isinstance(count, bool) else 0,
        data_classes=tuple(classes),
        verified=entry.get("IsVerified") is True,
        sensitive=entry.get("IsSensitive") is True,
        fabricated=entry.get("IsFabricated") is True,
        spam_list=entry.get("IsSpamList") is True,
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def build_account_client(
    api_key: Secret,
    base_url: str,
    *,
    session: requests.Session | None = None,
    policy: AccountPolicy | None = None,
) -> AccountApiClient:
    """An e-mail search client with one session that refuses cookies and never redirects."""
    base_url = account_api_url(base_url)  # before a session is opened for nothing
    session = session or build_range_session(1, trust_env=not is_local_plain_http(base_url))
    return AccountApiClient(session, base_url, api_key, policy)
