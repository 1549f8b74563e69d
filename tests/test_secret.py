"""A Secret cannot be printed, formatted, pickled, JSON-encoded or compared."""

from __future__ import annotations

import copy
import json
import logging
import pickle

import pytest

from nutsec.secret import Secret

PASSWORD = "correct horse battery staple"


def test_repr_str_and_format_hide_the_value() -> None:
    secret = Secret(PASSWORD)
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", "%s" % secret):  # noqa: UP031
        assert shown == "Secret(***)"
        assert "horse" not in shown


def test_cannot_be_pickled_copied_or_serialised() -> None:
    secret = Secret(PASSWORD)
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(TypeError):
        copy.deepcopy(secret)
    with pytest.raises(TypeError):
        json.dumps({"p": secret})


def test_cannot_be_compared_or_hashed() -> None:
    with pytest.raises(TypeError):
        _ = Secret(PASSWORD) == Secret(PASSWORD)
    with pytest.raises(TypeError):
        hash(Secret(PASSWORD))


def test_logging_shows_only_the_mask(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("t").info("got %s / %r", Secret(PASSWORD), Secret(PASSWORD))
    assert "horse" not in caplog.text


def test_reveal_and_wipe() -> None:
    secret = Secret(PASSWORD)
    assert secret.reveal() == PASSWORD and len(secret) == len(PASSWORD)
    secret.wipe()
    assert secret.wiped and not secret
    with pytest.raises(ValueError) as caught:
        secret.reveal()
    assert "horse" not in str(caught.value)


def test_refused_value_leaves_nothing_half_built() -> None:
    with pytest.raises(TypeError):
        Secret(b"bytes are refused")  # type: ignore[arg-type]
