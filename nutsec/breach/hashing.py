"""The one place a password becomes a SHA-1 hash: split at once into the 5-character prefix that
may leave the machine and the suffix that is only ever compared locally."""

from __future__ import annotations

import hashlib
import re

from nutsec.secret import Secret

PREFIX_LENGTH = 5
SUFFIX_LENGTH = 35

_PREFIX = re.compile(r"[0-9A-F]{5}")


def split_sha1(secret: Secret) -> tuple[str, str]:
    """(prefix, suffix) of the secret's upper-case hex SHA-1; the whole hash is never kept."""
    digest = hashlib.sha1(secret.reveal_bytes(), usedforsecurity=False).hexdigest().upper()
    return digest[:PREFIX_LENGTH], digest[PREFIX_LENGTH:]


def is_prefix(text: str) -> bool:
    """Exactly 5 upper-case hex characters: the only shape a range request may carry."""
    return _PREFIX.fullmatch(text) is not None
