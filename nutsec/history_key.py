"""The history key: the random HMAC key that makes password fingerprints comparable across
sittings and audits. It lives only in the OS keyring, and only when that keyring is judged safe
(`nutsec.keyring_safety`); otherwise only in memory for one run. Never on disk by nutsec, never
shown. The keyring backend is passed in, so tests use their own.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nutsec.errors import NutsecError
from nutsec.keyring_safety import judge_keyring, storing_backend

if TYPE_CHECKING:
    from nutsec.store.sqlite import SqliteAuditStore

KEYRING_SERVICE = "nutsec"
KEYRING_USERNAME = "history-key"
KEY_BYTES = 32
NOT_SAFE = "your system keyring is not safe"


@dataclass(frozen=True, repr=False)
class HistoryKey:
    """The key, and whether it is kept in the keyring: `why_not_kept` says why not, plainly
    (`in_short` in a few words, for a note on screen)."""

    key: bytes
    kept: bool
    why_not_kept: str | None = None
    in_short: str | None = None

    def __repr__(self) -> str:
        return f"HistoryKey(***, kept={self.kept})"


class KeyOnDemand:
    """Opens the history key the first time it is asked for, then always gives the same one:
    an audit in which no password is checked never touches the keyring."""

    def __init__(self, opener: Callable[[], HistoryKey]) -> None:
        self._opener = opener
        self._key: HistoryKey | None = None

    def __call__(self) -> HistoryKey:
        if self._key is None:
            self._key = self._opener()
        return self._key

    def opened(self) -> HistoryKey | None:
        """The key if it was opened already; None (and nothing opened) if not."""
        return self._key

    def __repr__(self) -> str:
        return f"KeyOnDemand(opened={self._key is not None})"


def unfit_keyring(backend: Any, problem: str | None = None) -> str | None:
    """In a few words, why the history key cannot be kept in `backend`; None when it may be.
    Judged by the keyring's class alone: nothing is read or written."""
    if judge_keyring(backend, problem).may_store:
        return None
    return NOT_SAFE


def open_history_key(backend: Any, problem: str | None = None) -> HistoryKey:
    """The key kept in `backend` (made and stored on first use); a key for this run only when
    the keyring is not safe or cannot be used. Never raises for a keyring's failure."""
    judgement = judge_keyring(backend, problem)
    if not judgement.may_store:
        return _memory_only(f"{NOT_SAFE} ({judgement.reason})", NOT_SAFE)
    target = storing_backend(backend)
    try:
        stored = target.get_password(KEYRING_SERVICE, KEYRING_USERNAME)
    except Exception:
        return _memory_only("your system keyring could not be read (is it locked?)")
    key = _decode(stored)
    del stored
    if key is not None:
        return HistoryKey(key, kept=True)
    # None stored (first use), or something that is not a key of ours: a new one replaces it.
    # Fingerprints made with an earlier key then no longer match, which is reported as
    # "not compared", never as "unique".
    key = secrets.token_bytes(KEY_BYTES)
    try:
        target.set_password(KEYRING_SERVICE, KEYRING_USERNAME, _encode(key))
    except Exception:
        return _memory_only("your system keyring could not store nutsec's key (is it locked?)")
    return HistoryKey(key, kept=True)


def history_key_stored(backend: Any, problem: str | None = None) -> bool:
    """Whether a history key is in the keyring (read, never shown); False when no keyring works.
    A keyring that cannot be read (locked) may hold one: True, so removing it is tried."""
    from keyring.errors import NoKeyringError

    if problem is not None:
        return False
    try:
        return storing_backend(backend).get_password(KEYRING_SERVICE, KEYRING_USERNAME) is not None
    except NoKeyringError:
        return False
    except Exception:
        return True


def forget_history_key(backend: Any, problem: str | None = None) -> bool:
    """Remove the key from the keyring; False when none was stored there (or no keyring works)."""
    from keyring.errors import NoKeyringError, PasswordDeleteError

    if problem is not None:
        return False
    target = storing_backend(backend)
    try:
        if target.get_password(KEYRING_SERVICE, KEYRING_USERNAME) is None:
            return False
        target.delete_password(KEYRING_SERVICE, KEYRING_USERNAME)
    except (NoKeyringError, PasswordDeleteError):
        return False
    except Exception:
        raise NutsecError(
            f"The system keyring ({judge_keyring(backend).name}) could not remove nutsec's "
            "history key; is it locked? Unlock it and run this again."
        ) from None
    return True


def still_the_key(key: HistoryKey, backend: Any, problem: str | None = None) -> bool:
    """Whether `key` is still the one in the keyring (read, never shown): False once
    `history --forget` removed it (or another key replaced it), so what was made with it must
    not be kept. Compared in constant time."""
    import hmac

    if not key.kept or problem is not None:
        return False
    try:
        stored = _decode(storing_backend(backend).get_password(KEYRING_SERVICE, KEYRING_USERNAME))
    except Exception:
        return False
    return stored is not None and hmac.compare_digest(stored, key.key)


def forget_history(
    store: SqliteAuditStore | None, backend: Any, problem: str | None
) -> tuple[int, bool]:
    """`history --forget`: the key out of the keyring, then every fingerprint out of the store,
    while holding every audit's lock (`SqliteAuditStore.forget_fingerprints_of_every_audit`),
    so no open session can store fingerprints made with the forgotten key afterwards. The key
    goes first: a keyring that refuses (locked) stops it with nothing deleted. Returns how many
    fingerprints were deleted and whether the key was removed."""
    if store is None:  # no saved audits file: nothing to delete, no session to race
        return 0, forget_history_key(backend, problem)
    removed, deleted = store.forget_fingerprints_of_every_audit(
        lambda: forget_history_key(backend, problem)
    )
    return deleted, removed


def run_only_key() -> HistoryKey:
    """A key for this run alone, for a run that keeps nothing (the keyring is not touched)."""
    return HistoryKey(secrets.token_bytes(KEY_BYTES), kept=False)


def _memory_only(why: str, in_short: str | None = None) -> HistoryKey:
    return HistoryKey(
        secrets.token_bytes(KEY_BYTES), kept=False, why_not_kept=why, in_short=in_short or why
    )


def _encode(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def _decode(text: object) -> bytes | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == KEY_BYTES else None
