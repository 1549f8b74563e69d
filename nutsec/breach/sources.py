"""Build the breach source the user asked for: the one place that decides offline, corpus or API,
and the one place that builds the HTTP session (so tests can build their own and pass it in)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from nutsec.breach.model import BreachSource, OfflineSource

if TYPE_CHECKING:
    import requests

    from nutsec.breach.range_api import RangeApiSource, RangePolicy

DEFAULT_RANGE_URL = "https://api.pwnedpasswords.com"
HIBP_URL_ENV = "NUTSEC_HIBP_URL"


def build_breach_source(
    *,
    offline: bool,
    hibp_url: str | None = None,
    hibp_corpus: Path | None = None,
    policy: RangePolicy | None = None,
) -> BreachSource:
    """--offline, --hibp-corpus PATH, or the range API at --hibp-url / NUTSEC_HIBP_URL.

    Raises CorpusError for a missing or malformed corpus and NutsecError for a malformed URL,
    before anything is looked up, so the user hears about it at once (exit 2).
    """
    if offline:
        return OfflineSource("offline")
    if hibp_corpus is not None:
        from nutsec.breach.corpus import open_corpus

        return open_corpus(hibp_corpus)
    if hibp_url is not None:
        # Given but empty is a mistake to report, not a reason to use the public service.
        return build_range_source(hibp_url, policy=policy)
    return build_range_source(os.environ.get(HIBP_URL_ENV) or DEFAULT_RANGE_URL, policy=policy)


def build_range_source(
    base_url: str,
    *,
    session: requests.Session | None = None,
    policy: RangePolicy | None = None,
) -> RangeApiSource:
    """A range API client; builds a pooled session sized for its workers unless one is given."""
    from nutsec.breach.range_api import (
        RangeApiSource,
        RangePolicy,
        build_range_session,
        is_local_plain_http,
        validate_range_url,
    )

    base_url = validate_range_url(base_url)  # before a session is opened for nothing
    policy = policy or RangePolicy()
    session = session or build_range_session(
        policy.workers, trust_env=not is_local_plain_http(base_url)
    )
    return RangeApiSource(session, base_url, policy)
