"""The Have I Been Pwned API key: its shape, and keeping it in the OS keyring (never on disk by
nutsec, never shown). The keyring backend is passed in, so tests use an in-memory one."""

from __future__ import annotations

import re
from typing import Any

from nutsec.errors import NutsecError
from nutsec.keyring_safety import INSECURE_ADVICE, judge_keyring, storing_backend
from nutsec.secret import Secret

KEYRING_SERVICE = "nutsec"
KEYRING_USERNAME = "hibp-api-key"

#: HIBP API keys are 32 hexadecimal characters (a GUID without its dashes).
_KEY_SHAPE = re.compile(r"[0-9a-fA-F]{32}")

SET_KEY_HINT = "Store it with: nutsec config set-hibp-key"


class KeyringError(NutsecError):
    """The system keyring refused or failed; the message never holds the key."""


def parse_api_key(key: Secret) -> Secret:
    """The key without surrounding blanks, if it has the shape of an HIBP key; else NutsecError.

    The error never quotes what was typed: a mistyped key is still most of a key.
    """
    text = key.reveal().strip()
    try:
        if not text:
            raise NutsecError("No API key was given, so nothing was stored.")
        if _KEY_SHAPE.fullmatch(text) is None:
            raise NutsecError(
                "That does not look like a Have I Been Pwned API key, so nothing was stored: "
                "a key is 32 characters, each a digit or a letter from a to f, as shown on "
                "https://haveibeenpwned.com/API/Key."
            )
        return Secret(text)
    finally:
        del text


def store_api_key(backend: Any, key: Secret) -> None:
    """Keep the key in `backend`; refuse a keyring that fails, keeps nothing or writes text."""
    target = storing_backend(backend)
    refuse_insecure_keyring(target)
    try:
        target.set_password(KEYRING_SERVICE, KEYRING_USERNAME, key.reveal())
    except Exception:
        # The backend's own message is not shown: we cannot promise it leaves the key out.
        raise KeyringError(
            f"The system keyring ({judge_keyring(backend).name}) could not store the key; "
            "is it locked? Unlock it and try again."
        ) from None


def refuse_insecure_keyring(backend: Any, problem: str | None = None) -> None:
    """NutsecError saying why and what to do, if `backend` is not a safe place for a secret."""
    judgement = judge_keyring(backend, problem)
    if not judgement.may_store:
        raise KeyringError(
            f"The key was not stored, because {judgement.reason} ({judgement.backend}). "
            + INSECURE_ADVICE
        )


def load_api_key(backend: Any) -> Secret | None:
    """The stored key, or None when none is stored (or there is no keyring to hold one)."""
    from keyring.errors import NoKeyringError

    try:
        text = backend.get_password(KEYRING_SERVICE, KEYRING_USERNAME)
    except NoKeyringError:
        return None
    except Exception as error:
        raise KeyringError(
            f"The system keyring ({judge_keyring(backend).name}) could not be read "
            f"({_describe(error)}); is it locked? Unlock it and try again."
        ) from None
    if not text:
        return None
    try:
        if not isinstance(text, str) or _KEY_SHAPE.fullmatch(text.strip()) is None:
            # Put there by hand or by another program; sent as a header it could break the request.
            raise KeyringError(
                "The API key stored in the system keyring is not in the shape of a Have I Been "
                f"Pwned key. Store it again. {SET_KEY_HINT}"
            )
        return Secret(text.strip())
    finally:
        del text


def api_key_stored(backend: Any) -> bool:
    """Whether a key is stored; the key itself is wiped at once."""
    key = load_api_key(backend)
    if key is None:
        return False
    key.wipe()
    return True


def delete_api_key(backend: Any) -> bool:
    """Remove the stored key; False when there was none to remove."""
    from keyring.errors import NoKeyringError, PasswordDeleteError

    try:
        if backend.get_password(KEYRING_SERVICE, KEYRING_USERNAME) is None:
            return False
        backend.delete_password(KEYRING_SERVICE, KEYRING_USERNAME)
    except (NoKeyringError, PasswordDeleteError):
        return False
    except Exception as error:
        raise KeyringError(
            f"The system keyring ({judge_keyring(backend).name}) could not remove the key "
            f"({_describe(error)}); is it locked? Unlock it and try again."
        ) from None
    return True


def _describe(error: BaseException) -> str:
    """A keyring error as its kind only: the keyring's own words are not echoed, since a
    backend's message may hold anything (even the secret it was handling)."""
    return f"it reported {type(error).__name__}"
