"""Reuse and near-reuse from keyed fingerprints. INTERFACE STUB: issue 4."""

from __future__ import annotations

from nutsec.passwords.secret import Secret


class ReuseFinder:
    """Finds reuse among named passwords while holding only HMAC fingerprints of them."""

    def __init__(self, key: bytes | None = None) -> None:
        raise NotImplementedError("reuse finding arrives with issue 4")

    def add(self, name: str, secret: Secret) -> None:
        """Fingerprint `secret` under the unique `name`; the secret itself is not kept."""
        raise NotImplementedError

    def reused_with(self, name: str) -> list[str]:
        """Other names whose password is exactly the same."""
        raise NotImplementedError

    def similar_to(self, name: str) -> list[str]:
        """Other names whose password shares a base (e.g. Summer2024! / summer2025)."""
        raise NotImplementedError
