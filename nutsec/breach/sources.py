"""Build the breach source the user asked for. INTERFACE STUB: issue 5 fills in the real ones."""

from __future__ import annotations

from pathlib import Path

from nutsec.breach.model import BreachSource, OfflineSource

DEFAULT_RANGE_URL = "https://api.pwnedpasswords.com"


def build_breach_source(
    *, offline: bool, hibp_url: str | None = None, hibp_corpus: Path | None = None
) -> BreachSource:
    """--offline, --hibp-corpus PATH, or the range API at --hibp-url / NUTSEC_HIBP_URL."""
    if offline:
        return OfflineSource("offline")
    return OfflineSource("not implemented")
