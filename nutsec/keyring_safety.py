"""Whether the OS keyring that the `keyring` library would use keeps secrets safely.

nutsec stores an API key there, so "there is a keyring" is not enough: keyring falls back to a
backend that fails, keeps nothing, or (with keyrings.alt) writes secrets to a plain file.
The judgement is by the backend's class, never by calling it, so it cannot hang or raise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class KeyringSafety(StrEnum):
    #: A keyring nutsec knows encrypts secrets and guards them with your login.
    SECURE = "secure"
    #: A keyring that fails, keeps nothing, or keeps secrets where others could read them.
    INSECURE = "insecure"
    #: A keyring nutsec does not know; the keyring library rates it as suitable.
    UNRECOGNISED = "unrecognised"


@dataclass(frozen=True)
class KeyringJudgement:
    """What the keyring is, in words a person understands, and whether nutsec may store in it."""

    backend: str
    name: str
    safety: KeyringSafety
    reason: str

    @property
    def may_store(self) -> bool:
        return self.safety is not KeyringSafety.INSECURE

    def to_json(self) -> dict[str, object]:
        return {
            "backend": self.backend,
            "name": self.name,
            "safety": self.safety.value,
            "secure": self.safety is KeyringSafety.SECURE,
            "reason": self.reason,
        }


#: The operating systems' own keyrings: encrypted, unlocked by your login.
_SECURE = {
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Locker",
    "keyring.backends.SecretService.Keyring": "Secret Service (GNOME Keyring, KeePassXC)",
    "keyring.backends.libsecret.Keyring": "Secret Service (through libsecret)",
    "keyring.backends.kwallet.DBusKeyring": "KDE Wallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KDE Wallet 4",
}
_SECURE_REASON = "it is your system's own keyring: secrets are encrypted and unlocked by your login"

_INSECURE = {
    "keyring.backends.fail.Keyring": (
        "no keyring found",
        "no usable system keyring was found on this computer",
    ),
    "keyring.backends.null.Keyring": (
        "the null keyring",
        "the keyring is switched off (the null keyring keeps nothing)",
    ),
    "keyrings.alt.file.PlaintextKeyring": (
        "a plain-text file (keyrings.alt)",
        "the keyring in use writes secrets to a plain-text file, which anything able to read "
        "your files can read",
    ),
}

#: What to do when the keyring is not safe, in the words every command uses.
INSECURE_ADVICE = (
    "Use your system's own keyring: on Linux install and unlock GNOME Keyring, KDE Wallet or "
    "KeePassXC (with its Secret Service option on); macOS Keychain and Windows Credential Locker "
    "work as they are. If you chose another keyring on purpose, see "
    "https://pypi.org/project/keyring for how to change it (PYTHON_KEYRING_BACKEND)."
)


def judge_keyring(backend: Any, problem: str | None = None) -> KeyringJudgement:
    """Judge a `keyring` backend object (what `keyring.get_keyring()` returns); `problem` is
    why the chosen keyring could not start (see `system_keyring`), which makes it unsafe."""
    kind = type(backend)
    dotted = f"{kind.__module__}.{kind.__qualname__}"
    if problem is not None:
        return KeyringJudgement(dotted, "none that works", KeyringSafety.INSECURE, problem)
    if dotted == "keyring.backends.chainer.ChainerBackend":
        return _judge_chain(backend, dotted)
    if dotted in _SECURE:
        return KeyringJudgement(dotted, _SECURE[dotted], KeyringSafety.SECURE, _SECURE_REASON)
    if dotted in _INSECURE:
        name, reason = _INSECURE[dotted]
        return KeyringJudgement(dotted, name, KeyringSafety.INSECURE, reason)
    if kind.__module__.split(".")[:2] == ["keyrings", "alt"]:
        return KeyringJudgement(
            dotted,
            f"{kind.__qualname__} (keyrings.alt)",
            KeyringSafety.INSECURE,
            "the keyring in use comes from keyrings.alt, whose own authors discourage it for "
            "general use",
        )
    try:
        priority = float(kind.priority)
    except Exception as error:  # a backend says it is unusable by raising from priority
        return KeyringJudgement(
            dotted,
            kind.__qualname__,
            KeyringSafety.INSECURE,
            f"the keyring in use cannot work here ({error})",
        )
    if priority < 1:
        return KeyringJudgement(
            dotted,
            kind.__qualname__,
            KeyringSafety.INSECURE,
            "the keyring library itself does not recommend the keyring in use (priority below 1)",
        )
    return KeyringJudgement(
        dotted,
        kind.__qualname__,
        KeyringSafety.UNRECOGNISED,
        "nutsec does not know the keyring in use, but the keyring library rates it as suitable",
    )


def _judge_chain(chain: Any, dotted: str) -> KeyringJudgement:
    """A chain stores in its first keyring, so that one is what counts."""
    try:
        backends = list(chain.backends)
    except Exception:
        backends = []
    if not backends:
        name, reason = _INSECURE["keyring.backends.fail.Keyring"]
        return KeyringJudgement(dotted, name, KeyringSafety.INSECURE, reason)
    first = judge_keyring(backends[0])
    return KeyringJudgement(first.backend, first.name, first.safety, first.reason)


def storing_backend(backend: Any) -> Any:
    """The keyring that is judged and written to: a chain's first keyring, never the chain.

    A chain would fall through to its next keyring when the first one declines, and that one
    may keep the key in a text file: nutsec writes only where it has judged it safe to.
    """
    if f"{type(backend).__module__}.{type(backend).__qualname__}" == (
        "keyring.backends.chainer.ChainerBackend"
    ):
        try:
            backends = list(backend.backends)
        except Exception:
            backends = []
        if backends:
            return backends[0]
    return backend


def system_keyring() -> tuple[Any, str | None]:
    """The backend `keyring` would use, and None; or, when the one it was told to use
    (PYTHON_KEYRING_BACKEND, its config file) cannot start, its fail backend and why."""
    import keyring

    try:
        return keyring.get_keyring(), None
    except Exception as error:
        from keyring.backends import fail

        from nutsec.safe_text import without_controls

        why = without_controls(" ".join(str(error).split())[:200]) or type(error).__name__
        unusable = fail.Keyring()  # type: ignore[no-untyped-call]
        return unusable, f"the keyring chosen for this computer cannot start ({why})"
