"""`nutsec share`: a short code that carries the documented fields and nothing else."""

from __future__ import annotations

import base64
import random
import string
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nutsec.checklist.model import ItemStatus
from nutsec.demo.script import shipped_demo
from nutsec.scoring import Band
from nutsec.share.code import (
    BANDS,
    PREFIX,
    STATUS_CODES,
    ShareCode,
    ShareCodeError,
    decode,
    encode,
    item_ids_for,
    share_code_of,
)
from tests.conftest import DOCS
from tests.workshop_cli import run_nutsec as _nutsec

STATUSES = list(STATUS_CODES)


def _random_code(rng: random.Random, items: int = 47) -> ShareCode:
    return ShareCode(
        checklist_id=rng.choice(["nut-social-media", "my.list_2", "x"]),
        checklist_version=rng.choice(["1.0", "2", "2026.11-b"]),
        band=rng.choice(BANDS),
        one_time_id=bytes(rng.randrange(256) for _ in range(6)),
        outcomes=tuple(rng.choice(STATUSES) for _ in range(items)),
    )


def _sam_code() -> tuple[ShareCode, list[str]]:
    """Sam's audit (the demo person) as a code, and every name in that audit."""
    run = shipped_demo(datetime.now(UTC))
    names = [d.name for d in run.audit.devices]
    names += [a.name for a in run.audit.accounts] + [a.username for a in run.audit.accounts]
    names += [e.text for e in run.examples] + ["Sam", "Okafor", "Anytown"]
    return share_code_of(run.audit, random_bytes=lambda n: bytes(range(1, n + 1))), names


def test_a_code_decodes_to_exactly_the_documented_fields_and_nothing_else() -> None:
    code, _ = _sam_code()
    text = encode(code)
    data = base64.urlsafe_b64decode(text[len(PREFIX) :] + "==")
    # The layout docs/share-codes.md gives, byte by byte, rebuilt from the decoded fields.
    cid, version = code.checklist_id.encode(), code.checklist_version.encode()
    bits = "".join(f"{STATUS_CODES[s]:03b}" for s in code.outcomes)
    bits += "0" * (-len(bits) % 8)
    layout = (
        code.one_time_id
        + bytes([BANDS.index(code.band), len(cid)])
        + cid
        + bytes([len(version)])
        + version
        + bytes([len(code.outcomes)])
        + int(bits, 2).to_bytes(len(bits) // 8, "big")
    )
    layout += zlib.crc32(PREFIX.encode() + layout).to_bytes(4, "big")
    assert data == layout, "the code holds something besides the documented fields"
    assert decode(text) == code
    assert len(code.outcomes) == len(item_ids_for(shipped_demo(datetime.now(UTC)).audit.checklist))


def test_a_code_names_no_one_and_fits_on_a_line() -> None:
    code, names = _sam_code()
    text = encode(code)
    assert len(text) <= 80
    for name in names:
        assert name.casefold() not in text.casefold()
        assert name.encode().hex() not in base64.urlsafe_b64decode(text[4:] + "==").hex()


def test_the_worst_outcome_across_subjects_is_kept() -> None:
    code, _ = _sam_code()
    ids = item_ids_for(shipped_demo(datetime.now(UTC)).audit.checklist)
    outcome = dict(zip(ids, code.outcomes, strict=True))
    # Sam's phone answered remote-lock "not sure" (fail), the laptop too: fail. Screen lock: the
    # phone yes, so pass only if the laptop passes too (it does in sam.toml).
    assert outcome["device.remote-lock"] is ItemStatus.FAIL
    assert outcome["password.reused"] is ItemStatus.FAIL  # Facebook/Union portal: near reuse fails
    assert outcome["password.breached"] is ItemStatus.UNKNOWN  # the demo looks nothing up


def test_any_code_round_trips() -> None:
    rng = random.Random(11)
    for _ in range(300):
        code = _random_code(rng, items=rng.randrange(1, 80))
        assert decode(encode(code)) == code


def test_every_single_changed_character_is_rejected() -> None:
    code, _ = _sam_code()
    text = encode(code)
    alphabet = string.ascii_letters + string.digits + "-_"
    for index in range(len(text)):
        for other in alphabet:
            if other == text[index]:
                continue
            changed = text[:index] + other + text[index + 1 :]
            with pytest.raises(ShareCodeError):
                decode(changed)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("hello", "not a nutsec share code"),
        ("NS2-AAAA", "another version of nutsec"),
        ("NS1-", "characters a code never has"),
        ("NS1-abc$", "characters a code never has"),
        ("NS1-AAAAAAAA", "damaged"),
    ],
)
def test_text_that_is_not_a_code_gets_one_plain_sentence(text: str, words: str) -> None:
    with pytest.raises(ShareCodeError) as caught:
        decode(text)
    assert words in caught.value.message


def test_two_shares_of_the_same_audit_differ_only_in_the_one_time_id() -> None:
    run = shipped_demo(datetime.now(UTC))
    first, second = share_code_of(run.audit), share_code_of(run.audit)
    assert first.one_time_id != second.one_time_id
    assert first.outcomes == second.outcomes and first.band == second.band


def test_the_format_is_documented_with_its_version() -> None:
    doc = (DOCS / "share-codes.md").read_text(encoding="utf-8")
    assert "NS1-" in doc and "version 1" in doc.lower()
    for field in ("one-time", "band", "checklist", "checksum", "CRC-32", "base64url"):
        assert field in doc, field
    for status, number in STATUS_CODES.items():
        assert f"| {number} |" in doc, status
    for band in Band:
        assert band.value in doc


# The command ------------------------------------------------------------------------------------


def test_share_says_what_the_code_holds_before_printing_it(
    tmp_path: Path, private_data_dir: Path
) -> None:
    sam = Path(__file__).resolve().parents[1] / "nutsec" / "demo" / "sam.toml"
    audit = _nutsec("audit", "--answers", str(sam), "--offline", data=private_data_dir)
    assert audit.returncode == 0, audit.stderr
    done = _nutsec("share", "--plain", data=private_data_dir)
    assert done.returncode == 0, done.stderr
    code = done.stdout.strip()
    assert code.startswith(PREFIX) and "\n" not in code
    assert "This share code holds only:" in done.stderr
    assert done.stderr.index("holds only") < done.stderr.index("Your share code")
    decoded = decode(code)
    assert f"version {decoded.checklist_version}" in done.stderr
    assert decoded.one_time_hex in done.stderr
    words = " ".join(
        item.question for item in shipped_demo(datetime.now(UTC)).audit.checklist.items()
    )
    for name in _sam_code()[1]:
        if name not in words:  # "Facebook" is in a question ("Sign in with Facebook")
            assert name not in done.stdout + done.stderr
    again = _nutsec("share", "--decode", code, "--plain", data=private_data_dir)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == done.stderr.split("\n\nYour share code")[0].strip()
    # Each item is one line, by its action, about no one ("each account"), never a template;
    # the summary and the code come last, so at 80x24 they are what stays on screen.
    assert "{" not in done.stderr
    assert "Give each account a password used nowhere else" in done.stderr
    screen = (done.stderr + done.stdout).rstrip("\n").split("\n")[-23:]
    assert "This share code holds only:" in screen and code in screen


def test_decode_of_a_bad_code_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = _nutsec("share", "--decode", "NS1-nonsense", data=tmp_path / "data")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "damaged" in done.stderr


def test_share_without_a_saved_audit_is_exit_2(tmp_path: Path) -> None:
    done = _nutsec("share", data=tmp_path / "data")
    assert done.returncode == 2
    assert "nutsec audit" in done.stderr and "Traceback" not in done.stderr
