"""`nutsec share`: a short code that carries the documented fields and nothing else."""

from __future__ import annotations

import random
import string
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from nutsec.checklist.model import ItemStatus
from nutsec.demo.script import shipped_demo
from nutsec.scoring import Band
from nutsec.share.code import (
    ALPHABET,
    BANDS,
    EPOCH,
    OUTCOME_DIGITS,
    PREFIX,
    STATUS_CODES,
    ShareCode,
    ShareCodeError,
    checklist_tag,
    decode,
    encode,
    encode_v1,
    item_ids_for,
    share_code_of,
    shipped_tags,
)
from tests.conftest import DOCS
from tests.workshop_cli import run_nutsec as _nutsec

CHECKLIST_VERSION = next(iter(shipped_tags().values()))[1]
STATUSES = list(STATUS_CODES)
OUTCOMES = list(OUTCOME_DIGITS)
SAM_ID = bytes([1, 2, 3, 4])
DAY = date(2026, 5, 3)


def _random_code(rng: random.Random, items: int = 47) -> ShareCode:
    return ShareCode(
        checklist_id="nut-social-media",
        checklist_version=CHECKLIST_VERSION,
        band=rng.choice(BANDS),
        share_id=bytes(rng.randrange(256) for _ in range(4)),
        outcomes=tuple(rng.choice(OUTCOMES) for _ in range(items)),
        made_on=EPOCH + timedelta(days=rng.randrange(2**15)),
    )


def _random_v1_code(rng: random.Random, items: int = 47) -> ShareCode:
    return ShareCode(
        checklist_id=rng.choice(["nut-social-media", "my.list_2", "x"]),
        checklist_version=rng.choice(["1.0", "2", "2026.11-b"]),
        band=rng.choice(BANDS),
        share_id=bytes(rng.randrange(256) for _ in range(6)),
        outcomes=tuple(rng.choice(STATUSES) for _ in range(items)),
        format=1,
    )


def _sam_code() -> tuple[ShareCode, list[str]]:
    """Sam's audit (the demo person) as a code, and every name in that audit."""
    run = shipped_demo(datetime.now(UTC))
    names = [d.name for d in run.audit.devices]
    names += [a.name for a in run.audit.accounts] + [a.username for a in run.audit.accounts]
    names += [e.text for e in run.examples] + ["Sam", "Okafor", "Anytown"]
    return share_code_of(run.audit, SAM_ID, DAY), names


def _letters(text: str) -> list[int]:
    """The values of a version 2 code's letters, check letters left out (docs/share-codes.md)."""
    groups = text[len(PREFIX) :].split("-")
    assert all(len(g) == 5 for g in groups)
    return [ALPHABET.index(ch) for g in groups for ch in g[:4]]


def test_a_code_decodes_to_exactly_the_documented_fields_and_nothing_else() -> None:
    code, _ = _sam_code()
    text = encode(code)
    # The layout docs/share-codes.md gives, rebuilt from the decoded fields.
    header = int.from_bytes(code.share_id, "big")
    header = header << 16 | checklist_tag(code.checklist_id, code.checklist_version)
    header = header << 15 | (code.made_on - EPOCH).days  # type: ignore[operator]
    header = header << 3 | BANDS.index(code.band)
    header = header << 8 | len(code.outcomes)
    answers = 0
    for status in code.outcomes:
        answers = answers * 5 + OUTCOME_DIGITS[status]
    payload = answers << 74 | header
    size = (74 + (5 ** len(code.outcomes) - 1).bit_length() + 7) // 8
    check = zlib.crc32(b"NS2" + payload.to_bytes(size, "big")) & 0xFFFF
    total = 0
    for value in _letters(text):
        total = total << 5 | value
    assert total == payload << 16 | check, "the code holds something besides the documented fields"
    for number, group in enumerate(text[4:].split("-")):
        values = [ALPHABET.index(ch) for ch in group]
        weighted = sum((2 * i + 1) * v for i, v in enumerate(values[:4]))
        assert values[4] == (13 + 11 * number + weighted) % 32
    assert decode(text) == code
    assert len(code.outcomes) == len(item_ids_for(shipped_demo(datetime.now(UTC)).audit.checklist))


def test_a_code_is_short_in_groups_of_five_without_look_alike_letters() -> None:
    code, names = _sam_code()
    text = encode(code)
    groups = text[len(PREFIX) :].split("-")
    assert len(text) <= 64 and len(groups) == 10 and all(len(g) == 5 for g in groups)
    assert not set("ILOU") & set(text[4:]) and text == text.upper()
    for name in names:
        assert name.casefold() not in text.casefold()
    # Read out or typed, case, spaces and look-alikes do not matter.
    typed = text.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert decode(typed) == code
    assert decode(text.replace("-", "")) == code


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


def test_old_codes_still_decode() -> None:
    """NS1 codes, made by nutsec before version 2, are still read (and their 7 outcomes)."""
    rng = random.Random(12)
    for _ in range(200):
        code = _random_v1_code(rng, items=rng.randrange(1, 80))
        text = encode_v1(code)
        assert text.startswith("NS1-")
        assert decode(text) == code and not decode(text).per_audit
    # One written by the nutsec before version 2 (its code.py, run by hand).
    old = decode("NS1-AQIDBAUGARBudXQtc29jaWFsLW1lZGlhAzIuMTItCXFoS4tCXFoS4tCXFoS4kkkkSrMsyg")
    assert (old.checklist_id, old.checklist_version, old.format) == ("nut-social-media", "2.1", 1)
    assert old.share_id == bytes(range(1, 7)) and old.band is Band.GOOD
    seven = (ItemStatus.PASS, ItemStatus.FAIL, ItemStatus.PARTIAL, None)
    seven += (ItemStatus.NOT_APPLICABLE, ItemStatus.SKIPPED, ItemStatus.UNKNOWN)
    assert old.outcomes == seven * 6 + (ItemStatus.PASS,) * 8


def test_a_code_with_one_mistyped_group_is_refused_naming_the_group() -> None:
    code, _ = _sam_code()
    text = encode(code)
    body = text[len(PREFIX) :]
    for index, letter in enumerate(body):
        if letter == "-":
            continue
        group = body[:index].count("-") + 1
        for other in ALPHABET:
            if other == letter:
                continue
            with pytest.raises(ShareCodeError) as caught:
                decode(PREFIX + body[:index] + other + body[index + 1 :])
            assert caught.value.message.startswith(f"Group {group} ("), caught.value.message


def test_two_groups_swapped_or_one_left_out_are_refused() -> None:
    code, _ = _sam_code()
    groups = encode(code)[len(PREFIX) :].split("-")
    swapped = [groups[1], groups[0], *groups[2:]]
    for damaged in (swapped, groups[:-1], [*groups, groups[-1]]):
        with pytest.raises(ShareCodeError):
            decode(PREFIX + "-".join(damaged))


def test_every_single_changed_character_of_an_old_code_is_rejected() -> None:
    code = _random_v1_code(random.Random(3))
    text = encode_v1(code)
    alphabet = string.ascii_letters + string.digits + "-_"
    for index in range(4, len(text)):
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
        ("NS3-AAAA", "another version of nutsec"),
        ("NS2-", "cut short"),
        ("NS2-ABCD", "Group 1 (ABCD) has 4 letters"),
        ("NS2-ABCDU", "Group 1 (ABCDU) has 'U'"),
        ("NS1-", "characters a code never has"),
        ("NS1-abc$", "characters a code never has"),
        ("NS1-AAAAAAAA", "damaged"),
    ],
)
def test_text_that_is_not_a_code_gets_one_plain_sentence(text: str, words: str) -> None:
    with pytest.raises(ShareCodeError) as caught:
        decode(text)
    assert words in caught.value.message


def test_two_shares_of_the_same_audit_are_the_same_code() -> None:
    run = shipped_demo(datetime.now(UTC))
    first, second = share_code_of(run.audit, SAM_ID, DAY), share_code_of(run.audit, SAM_ID, DAY)
    assert encode(first) == encode(second)
    other = share_code_of(run.audit, bytes(4), DAY)  # someone else, with the same answers
    assert other.outcomes == first.outcomes and encode(other) != encode(first)


def test_the_format_is_documented_with_its_version() -> None:
    doc = (DOCS / "share-codes.md").read_text(encoding="utf-8")
    assert "NS2-" in doc and "version 2" in doc.lower() and "NS1-" in doc
    for field in ("share id", "band", "checklist", "checksum", "CRC-32", "Crockford", "day"):
        assert field in doc, field
    for status, number in OUTCOME_DIGITS.items():
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
    assert decoded.id_hex in done.stderr
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
    done = _nutsec("share", "--decode", "NS2-nonsense", data=tmp_path / "data")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "Group 1" in done.stderr


def test_share_without_a_saved_audit_is_exit_2(tmp_path: Path) -> None:
    done = _nutsec("share", data=tmp_path / "data")
    assert done.returncode == 2
    assert "nutsec audit" in done.stderr and "Traceback" not in done.stderr
