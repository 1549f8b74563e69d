"""Whether the OS keyring that the `keyring` library would use keeps secrets safely.

nutsec stores an API key there, so "there is a keyring" is not enough: keyring falls back to a
backend that fails, keeps nothing, or (with keyrings.alt) writes secrets to a plain file.
The judgement is by the backend's class hierarchy, never by calling it, so it cannot hang or
raise.
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
    #: A keyring nutsec has not judged safe (it does not know it); the keyring library rates it
    #: as suitable, so the key may be stored there.
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
    why the chosen keyring could not start (see `system_keyring`), which makes it unsafe.

    By what the backend *is*: a subclass of an unsafe keyring is unsafe whatever it is called,
    and only the real classes of the systems' own keyrings are judged secure (a class that
    merely borrows one of their names, or subclasses one and may change how it stores, is not).
    """
    kind = type(backend)
    dotted = _dotted(kind)
    if problem is not None:
        return KeyringJudgement(dotted, "none that works", KeyringSafety.INSECURE, problem)
    if _is_chain(backend):
        return _judge_chain(backend, dotted)
    unsafe = _unsafe_ancestor(kind)
    if unsafe is not None:
        return unsafe
    secure_name = _secure_name(kind)
    if secure_name is not None:
        return KeyringJudgement(dotted, secure_name, KeyringSafety.SECURE, _SECURE_REASON)
    try:
        priority = float(kind.priority)
    except Exception as error:  # a backend says it is unusable by raising from priority
        # Only the kind of error: a keyring's own words may hold anything.
        return KeyringJudgement(
            dotted,
            kind.__qualname__,
            KeyringSafety.INSECURE,
            f"the keyring in use cannot work here (it reported {type(error).__name__})",
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
        "nutsec has not judged this keyring safe: it is not one of the systems' own keyrings "
        "it knows, though the keyring library rates it as suitable",
    )


def _dotted(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _real_class(dotted: str) -> type | None:
    """The class itself, imported from where it lives; None where it cannot be imported."""
    import importlib

    module_name, _, name = dotted.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), name)
    except Exception:  # not installed, or not importable on this system
        return None
    return found if isinstance(found, type) else None


def _unsafe_ancestor(kind: type) -> KeyringJudgement | None:
    """INSECURE if `kind` is, or derives from, a keyring that fails, keeps nothing or writes
    text; any class from keyrings.alt counts too. Judged by the real classes, and by name as
    well, so a look-alike is caught even where the real module cannot be imported."""
    dotted = _dotted(kind)
    for unsafe_dotted, (name, reason) in _INSECURE.items():
        real = _real_class(unsafe_dotted)
        named = any(_dotted(ancestor) == unsafe_dotted for ancestor in kind.__mro__)
        if named or (real is not None and issubclass(kind, real)):
            return KeyringJudgement(dotted, name, KeyringSafety.INSECURE, reason)
    for ancestor in kind.__mro__:
        if ancestor.__module__.split(".")[:2] == ["keyrings", "alt"]:
            return KeyringJudgement(
                dotted,
                f"{kind.__qualname__} (keyrings.alt)",
                KeyringSafety.INSECURE,
                "the keyring in use comes from keyrings.alt, whose own authors discourage it "
                "for general use",
            )
    return None


def _secure_name(kind: type) -> str | None:
    """The person's name for a system keyring, if `kind` is exactly that keyring's real class."""
    for secure_dotted, name in _SECURE.items():
        if _dotted(kind) == secure_dotted and kind is _real_class(secure_dotted):
            return name
    return None


def _is_chain(backend: Any) -> bool:
    chain = _real_class("keyring.backends.chainer.ChainerBackend")
    return chain is not None and isinstance(backend, chain)


def _judge_chain(chain: Any, dotted: str) -> KeyringJudgement:
    """A chain stores in its first keyring, but reads fall through to the others: it is unsafe
    if any keyring in it is, and otherwise judged as its first keyring."""
    try:
        backends = list(chain.backends)
    except Exception:
        backends = []
    if not backends:
        name, reason = _INSECURE["keyring.backends.fail.Keyring"]
        return KeyringJudgement(dotted, name, KeyringSafety.INSECURE, reason)
    judgements = [judge_keyring(backend) for backend in backends]
    for judgement in judgements[1:]:
        if judgement.safety is KeyringSafety.INSECURE:
            return KeyringJudgement(
                judgement.backend,
                judgement.name,
                KeyringSafety.INSECURE,
                f"a keyring in the chain in use is not safe: {judgement.reason}",
            )
    first = judgements[0]
    return KeyringJudgement(first.backend, first.name, first.safety, first.reason)


def storing_backend(backend: Any) -> Any:
    """The keyring that is judged and written to: a chain's first keyring, never the chain.

    A chain would fall through to its next keyring when the first one declines, and that one
    may keep the key in a text file: nutsec writes only where it has judged it safe to.
    """
    if _is_chain(backend):
        try:
            backends = list(backend.backends)
        except Exception:
            backends = []
        if backends:
            return backends[0]
    return backend


#: Backend modules that only work on one system, and that system (`sys.platform`). Elsewhere
#: they are kept from loading: the macOS one looks for Apple's libraries with
#: `ctypes.util.find_library`, which on Linux runs ldconfig, gcc and ld (leaving their temp files
#: while a password may be in memory) only to find nothing.
_ONE_SYSTEM_MODULES = {"keyring.backends.macOS.api": "darwin"}


def system_keyring() -> tuple[Any, str | None]:
    """The backend `keyring` would use, and None; or, when the one it was told to use
    (PYTHON_KEYRING_BACKEND, its config file) cannot start, its fail backend and why.

    No program is run to choose it (see `_ONE_SYSTEM_MODULES`)."""
    import sys

    for module, system in _ONE_SYSTEM_MODULES.items():
        if sys.platform != system:
            # None in sys.modules makes `import` fail at once; keyring's macOS backend expects
            # that off macOS (it then reports itself unusable, as it would have anyway).
            sys.modules.setdefault(module, None)  # type: ignore[arg-type]
    import keyring

    try:
        return keyring.get_keyring(), None
    except Exception as error:
        from keyring.backends import fail

        # Only the kind of error: a keyring's own words may hold anything, even a secret.
        unusable = fail.Keyring()  # type: ignore[no-untyped-call]
        return unusable, (
            "the keyring chosen for this computer cannot start "
            f"(it reported {type(error).__name__})"
        )
