"""A chain of keyrings never passes the API key on to a keyring nutsec did not judge safe."""

from __future__ import annotations

from pathlib import Path

import keyring.backend
import pytest
from keyring.backends.chainer import ChainerBackend
from keyrings.alt.file import PlaintextKeyring

from nutsec.breach.api_key import KeyringError, store_api_key
from nutsec.secret import Secret
from tests.memory_keyring import MemoryKeyring

KEY = "0123456789abcdef0123456789abcdef"


class DecliningKeyring(MemoryKeyring):
    """Looks fine, but declines to store: a chain would then try the next keyring."""

    priority = 5  # type: ignore[assignment]

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError


def test_a_declining_first_keyring_never_hands_the_key_to_a_plaintext_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plaintext = PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "keyring_pass.cfg")  # type: ignore[misc]
    # The OS keyring cannot run here: the chain is given these two instead of the machine's.
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [DecliningKeyring(), plaintext])
    chain = ChainerBackend()
    assert [type(b) for b in chain.backends] == [DecliningKeyring, PlaintextKeyring]
    with pytest.raises(KeyringError) as caught:
        store_api_key(chain, Secret(KEY))
    assert KEY[:8] not in str(caught.value)
    assert not (tmp_path / "keyring_pass.cfg").exists(), "the key reached a plaintext file"
