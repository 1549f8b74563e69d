"""Reuse and near-reuse from keyed fingerprints, so no password is kept to compare with another.

Each password gives two HMAC-SHA256 fingerprints under a random key: one of the exact password,
one of its normalised "base" (see `_base_of` and docs/security.md). The key lives in memory for
one run, or in the OS keyring (the history key), so that fingerprints kept with an audit can be
compared with those of a later sitting or a later audit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from nutsec.secret import Secret

KEY_BYTES = 32
MIN_KEY_BYTES = 16
#: A base shorter than this (after normalising) is too common to call two passwords "similar".
MIN_BASE_CHARS = 4

# One character for each letter its look-alikes stand for. "1", "|", "!" and "l" are folded
# together because "1" is used for both "i" and "l".
_LEET = str.maketrans(
    {
        "4": "a",
        "@": "a",
        "8": "b",
        "(": "c",
        "{": "c",
        "[": "c",
        "<": "c",
        "3": "e",
        "6": "g",
        "9": "g",
        "1": "i",
        "!": "i",
        "|": "i",
        "l": "i",
        "0": "o",
        "$": "s",
        "5": "s",
        "7": "t",
        "+": "t",
        "%": "x",
        "2": "z",
    }
)
#: Symbols that, just before the first letter, are most likely a letter in disguise ($ummer).
_LEADING_LOOKALIKES = frozenset("$@+|")
#: Separators dropped inside the base, so "Purple-Teacup" and "purple teacup" match.
_SEPARATORS = str.maketrans("", "", " \t-_.")

#: How many bytes of the key's own check value name the key (see `ReuseFinder.key_id`).
KEY_ID_BYTES = 8


@dataclass(frozen=True)
class Fingerprints:
    """One password's two keyed fingerprints and which key made them; no part of the password.

    Without the key they say only whether two passwords are the same (or alike); the key_id is
    a keyed check value, so it says nothing about the key either.
    """

    key_id: str
    exact: bytes | None
    base: bytes | None

    def __repr__(self) -> str:
        return f"Fingerprints(key_id={self.key_id!r}, ***)"

    def same_password(self, other: Fingerprints) -> bool:
        """Whether both come from the very same password under the same key."""
        if self.key_id != other.key_id or self.exact is None or other.exact is None:
            return False
        return hmac.compare_digest(self.exact, other.exact)


class ReuseFinder:
    """Finds reuse among named passwords while holding only HMAC fingerprints of them."""

    def __init__(self, key: bytes | None = None) -> None:
        if key is None:
            key = secrets.token_bytes(KEY_BYTES)
        if not isinstance(key, bytes | bytearray):
            raise TypeError("the fingerprint key must be bytes")
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the fingerprint key must be at least {MIN_KEY_BYTES} bytes")
        self._key = bytearray(key)
        self._key_id = self._mac(b"key-id\x00", "").hex()[: 2 * KEY_ID_BYTES]
        self._exact: dict[str, bytes | None] = {}
        self._base: dict[str, bytes | None] = {}
        # fingerprint -> names, so a look-up does not compare against every entry of an export
        self._names_by_exact: dict[bytes, list[str]] = {}
        self._names_by_base: dict[bytes, list[str]] = {}

    def add(self, name: str, secret: Secret) -> None:
        """Fingerprint `secret` under the unique `name`; the secret itself is not kept."""
        if not isinstance(secret, Secret):
            raise TypeError(f"ReuseFinder.add takes a Secret, not {type(secret).__name__}")
        if name in self._exact:
            raise ValueError(f"a password named {name!r} was already added")
        if not self._key:
            raise ValueError("this reuse finder has been cleared")
        password = secret.reveal()
        try:
            # An empty password is "no password", not a password shared by every empty entry.
            exact = self._mac(b"exact\x00", password) if password else None
            base = _base_of(password)
            base_print = self._mac(b"base\x00", base) if base else None
            del base
        finally:
            del password
        self._put(name, exact, base_print)

    def add_fingerprints(self, name: str, prints: Fingerprints) -> None:
        """Take back fingerprints kept from an earlier sitting; they must be from this key."""
        if name in self._exact:
            raise ValueError(f"a password named {name!r} was already added")
        if not self._key:
            raise ValueError("this reuse finder has been cleared")
        if prints.key_id != self._key_id:
            raise ValueError("these fingerprints were made with another key")
        self._put(name, prints.exact, prints.base)

    def fingerprints(self, name: str) -> Fingerprints:
        """The fingerprints of the password added as `name`, to keep with the audit."""
        if name not in self._exact:
            raise KeyError(name)
        return Fingerprints(self._key_id, self._exact[name], self._base[name])

    @property
    def key_id(self) -> str:
        """A keyed check value naming this key: fingerprints with another key_id cannot match."""
        return self._key_id

    def _put(self, name: str, exact: bytes | None, base_print: bytes | None) -> None:
        self._exact[name] = exact
        self._base[name] = base_print
        if exact is not None:
            self._names_by_exact.setdefault(exact, []).append(name)
        if base_print is not None:
            self._names_by_base.setdefault(base_print, []).append(name)

    def reused_with(self, name: str) -> list[str]:
        """Other names whose password is exactly the same."""
        return _others_sharing(self._exact, self._names_by_exact, name)

    def similar_to(self, name: str) -> list[str]:
        """Other names whose password shares a base (e.g. Summer2024! / summer2025)."""
        exact = set(self.reused_with(name))
        shared = _others_sharing(self._base, self._names_by_base, name)
        return [other for other in shared if other not in exact]

    def names(self) -> list[str]:
        """Every name added, in the order added."""
        return list(self._exact)

    def clear(self) -> None:
        """Zero the key and forget every fingerprint (they are useless without the key anyway)."""
        for i in range(len(self._key)):
            self._key[i] = 0
        self._key = bytearray()
        self._exact.clear()
        self._base.clear()
        self._names_by_exact.clear()
        self._names_by_base.clear()

    def __repr__(self) -> str:
        return f"ReuseFinder({len(self._exact)} fingerprinted)"

    def _mac(self, domain: bytes, text: str) -> bytes:
        return hmac.new(self._key, domain + text.encode("utf-8"), hashlib.sha256).digest()


def _others_sharing(
    fingerprints: dict[str, bytes | None], names_by_print: dict[bytes, list[str]], name: str
) -> list[str]:
    if name not in fingerprints:
        raise KeyError(name)
    mine = fingerprints[name]
    if mine is None:
        return []
    return [other for other in names_by_print[mine] if other != name]


def _base_of(password: str) -> str | None:
    """The password's base: what is left when the usual variations are taken off.

    Case folded; the numbers and symbols at the end and at the start stripped (keeping a
    look-alike symbol just before the first letter, as in `$ummer`); look-alikes undone;
    spaces, dots, dashes and underscores dropped. None when too little is left to mean anything.
    """
    text = unicodedata.normalize("NFKC", password).casefold()
    end = len(text)
    while end and not text[end - 1].isalpha():
        end -= 1
    start = 0
    while start < end and not text[start].isalpha():
        start += 1
    if 0 < start < end and text[start - 1] in _LEADING_LOOKALIKES:
        start -= 1
    base = text[start:end].translate(_LEET).translate(_SEPARATORS)
    return base if len(base) >= MIN_BASE_CHARS else None
