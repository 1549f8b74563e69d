"""Security review, issue 14: a keyring is judged by what it is (its class hierarchy), not by what
it is called; and a keyring's own error text is never echoed."""

from __future__ import annotations

from pathlib import Path

import keyring.backend
import pytest
from keyring.backends import SecretService, fail, null
from keyring.backends.chainer import ChainerBackend
from keyrings.alt.file import PlaintextKeyring

from nutsec.breach.api_key import KeyringError, load_api_key, store_api_key
from nutsec.keyring_safety import KeyringSafety, judge_keyring
from nutsec.secret import Secret
from tests.memory_keyring import MemoryKeyring

KEY = "0123456789abcdef0123456789abcdef"


class VaultKeyring(PlaintextKeyring):
    """A plaintext file keyring under a reassuring name, outside keyrings.alt."""

    priority = 5  # type: ignore[assignment]


VaultKeyring.__module__ = "acme_vault.backend"


class LooksLikeSecretService(MemoryKeyring):
    """Borrows Secret Service's name without being it."""


LooksLikeSecretService.__module__ = "keyring.backends.SecretService"
LooksLikeSecretService.__qualname__ = "Keyring"


class QuietFail(fail.Keyring):
    priority = 3  # type: ignore[assignment]


class QuietNull(null.Keyring):
    priority = 3  # type: ignore[assignment]


@pytest.mark.parametrize("kind", [VaultKeyring, QuietFail, QuietNull])
def test_a_subclass_of_an_unsafe_keyring_is_unsafe_under_any_name(
    kind: type, tmp_path: Path
) -> None:
    backend = kind()
    if isinstance(backend, PlaintextKeyring):
        backend.file_path = str(tmp_path / "vault.cfg")  # type: ignore[misc]
    judgement = judge_keyring(backend)
    assert judgement.safety is KeyringSafety.INSECURE
    assert not judgement.may_store
    with pytest.raises(KeyringError):
        store_api_key(backend, Secret(KEY))
    assert not (tmp_path / "vault.cfg").exists(), "the key reached a plaintext file"


def test_a_keyring_borrowing_a_secure_name_is_not_judged_secure() -> None:
    judgement = judge_keyring(LooksLikeSecretService())
    assert judgement.safety is not KeyringSafety.SECURE
    assert "not judged this keyring safe" in judgement.reason


def test_the_real_secret_service_class_is_judged_secure() -> None:
    backend = SecretService.Keyring.__new__(SecretService.Keyring)  # no D-Bus needed to judge
    assert judge_keyring(backend).safety is KeyringSafety.SECURE


def test_a_subclass_of_a_secure_keyring_is_not_judged_secure() -> None:
    class Tweaked(SecretService.Keyring):
        pass

    backend = Tweaked.__new__(Tweaked)
    assert judge_keyring(backend).safety is not KeyringSafety.SECURE


def test_a_chain_with_a_plaintext_keyring_anywhere_in_it_is_unsafe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plaintext = PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "keyring_pass.cfg")  # type: ignore[misc]
    first = MemoryKeyring()
    first.priority = 5  # type: ignore[misc]
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [first, plaintext])
    chain = ChainerBackend()
    judgement = judge_keyring(chain)
    assert judgement.safety is KeyringSafety.INSECURE
    assert "in the chain" in judgement.reason


class TalkativeKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError(f"backend dump: {KEY} is locked")


def test_a_keyring_s_own_error_text_is_not_echoed() -> None:
    with pytest.raises(KeyringError) as caught:
        load_api_key(TalkativeKeyring())
    assert KEY[:8] not in str(caught.value)
    assert "backend dump" not in str(caught.value)
    assert "RuntimeError" in str(caught.value)
