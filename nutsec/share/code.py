"""A share code: per item the worst outcome, the checklist, the band, the audit's random share id,
the day it was made and its checks.

Nothing else goes in: no names, no devices or accounts, no free text, no score. The layout is
documented, with its version, in docs/share-codes.md; a change to it is a new prefix (NS3-...).
Codes of version 1 (NS1-, base64url) are still read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from nutsec.audit.outcomes import audit_outcomes, password_checks, score
from nutsec.audit_data import Audit
from nutsec.checklist.model import Checklist, Item, ItemStatus
from nutsec.errors import NutsecError
from nutsec.scoring import Band

#: The format's version, written at the start of every code.
PREFIX = "NS2-"
#: The first format (base64url, a one-time id per run): still read, never written.
PREFIX_V1 = "NS1-"
#: Bytes of the audit's random share id: the same for every code of one audit.
SHARE_ID_BYTES = 4
#: Version 1's one-time id (a new one per `nutsec share`).
ONE_TIME_ID_BYTES = 6
CHECKSUM_BYTES = 4
#: nutsec's own password checks, after the checklist's items, in this order.
PASSWORD_CHECK_IDS = ("password.strength", "password.reused", "password.breached")
#: The order bands are numbered in a code (0 first).
BANDS = (Band.STRONG, Band.GOOD, Band.NEEDS_ATTENTION, Band.AT_RISK, Band.NOT_SCORED)
#: Version 1's outcome numbers; 0 is "not asked" (the item applied to none of the subjects).
STATUS_CODES: dict[ItemStatus | None, int] = {
    None: 0,
    ItemStatus.PASS: 1,
    ItemStatus.PARTIAL: 2,
    ItemStatus.FAIL: 3,
    ItemStatus.NOT_APPLICABLE: 4,
    ItemStatus.SKIPPED: 5,
    ItemStatus.UNKNOWN: 6,
}
_STATUS_OF = {number: status for status, number in STATUS_CODES.items()}
#: Version 2 keeps only what a summary counts: "not applicable" is "not asked" and "skipped" is
#: "not checked" (less to tell people apart by, and a shorter code).
OUTCOME_DIGITS: dict[ItemStatus | None, int] = {
    None: 0,
    ItemStatus.PASS: 1,
    ItemStatus.PARTIAL: 2,
    ItemStatus.FAIL: 3,
    ItemStatus.UNKNOWN: 4,
}
_OUTCOME_OF = {digit: status for status, digit in OUTCOME_DIGITS.items()}
MERGED: dict[ItemStatus | None, ItemStatus | None] = {
    ItemStatus.NOT_APPLICABLE: None,
    ItemStatus.SKIPPED: ItemStatus.UNKNOWN,
}
#: Which outcome counts as worse, worst first: what a group most needs to hear about.
WORST_FIRST: tuple[ItemStatus | None, ...] = (
    ItemStatus.FAIL,
    ItemStatus.PARTIAL,
    ItemStatus.UNKNOWN,
    ItemStatus.SKIPPED,
    ItemStatus.PASS,
    ItemStatus.NOT_APPLICABLE,
    None,
)
#: Checklist ids and versions are short identifiers; anything else is not a code we wrote.
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_MAX_ITEMS = 255

#: Crockford's base32: digits and capitals without I, L, O and U (no look-alikes).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {letter: number for number, letter in enumerate(ALPHABET)}
_VALUE.update({"I": 1, "L": 1, "O": 0})  # read as the letters they look like
#: Letters per group: four carry the code, the fifth checks them (and the group's place).
GROUP = 5
#: Day 0 of the "made on" field.
EPOCH = date(2024, 1, 1)
_DAY_BITS = 15
_HEADER_BITS = 8 * SHARE_ID_BYTES + 16 + _DAY_BITS + 3 + 8
_CHECK_BITS = 16


class ShareCodeError(NutsecError):
    """Text that is not a share code nutsec can read (typo, cut short, another format)."""


@dataclass(frozen=True)
class ShareCode:
    """Everything a share code holds, and nothing more."""

    #: "" (with `tag`) when a version 2 code is for a checklist this nutsec does not ship.
    checklist_id: str
    checklist_version: str
    band: Band
    #: Version 2: the audit's random share id (every code of that audit has it). Version 1: a
    #: one-time id, new for each `nutsec share`.
    share_id: bytes
    #: The worst outcome per item, in code order (item_ids_for); None when not asked.
    outcomes: tuple[ItemStatus | None, ...]
    #: The day the code was made (version 2); None in version 1 codes.
    made_on: date | None = None
    format: int = 2
    #: The checklist's 16-bit tag, kept when its id and version are not known.
    tag: int | None = None

    @property
    def id_hex(self) -> str:
        return self.share_id.hex()

    @property
    def checklist_tag(self) -> int:
        if self.tag is not None:
            return self.tag
        return checklist_tag(self.checklist_id, self.checklist_version)

    @property
    def per_audit(self) -> bool:
        """Whether two codes of the same audit can be told apart from two people (version 2)."""
        return self.format >= 2


def checklist_tag(checklist_id: str, version: str) -> int:
    """The 16 bits that stand for a checklist and its version in a code."""
    digest = hashlib.sha256(f"{checklist_id}\n{version}".encode()).digest()
    return int.from_bytes(digest[:2], "big")


def item_ids_for(checklist: Checklist) -> tuple[str, ...]:
    """The items a code for `checklist` covers, in the order their outcomes are written."""
    return tuple(item.id for item in checklist.items()) + PASSWORD_CHECK_IDS


def items_for(checklist: Checklist) -> tuple[Item, ...]:
    """The items themselves (the checklist's, then nutsec's own password checks), in code order."""
    checks = {item.id: item for item in password_checks().items()}
    return tuple(checklist.items()) + tuple(checks[i] for i in PASSWORD_CHECK_IDS)


def worst(statuses: Iterable[ItemStatus]) -> ItemStatus | None:
    """The worst of an item's outcomes across its subjects; None when it was not asked at all."""
    found = set(statuses)
    return next((s for s in WORST_FIRST if s in found), None)


def share_code_of(audit: Audit, share_id: bytes, made_on: date) -> ShareCode:
    """The share code of a scored audit, with the audit's own random share id."""
    if len(share_id) != SHARE_ID_BYTES:
        raise ValueError("a share id is 4 random bytes")
    by_item: dict[str, list[ItemStatus]] = {}
    for _question, outcome in audit_outcomes(audit):
        by_item.setdefault(outcome.item_id, []).append(outcome.status)
    ids = item_ids_for(audit.checklist)
    if len(ids) > _MAX_ITEMS:
        raise NutsecError(
            f"Checklist '{audit.checklist.id}' has {len(ids)} items with nutsec's checks; a share "
            f"code holds at most {_MAX_ITEMS}."
        )
    for label, value in (("id", audit.checklist.id), ("version", audit.checklist.version)):
        if not _IDENTIFIER.fullmatch(value):
            raise NutsecError(
                f"Checklist {label} {value!r} cannot go in a share code: use letters, digits, "
                "'.', '-' and '_' only (at most 64)."
            )
    outcomes = (worst(by_item.get(item_id, ())) for item_id in ids)
    return ShareCode(
        checklist_id=audit.checklist.id,
        checklist_version=audit.checklist.version,
        band=score(audit).band,
        share_id=share_id,
        outcomes=tuple(MERGED.get(s, s) for s in outcomes),
        made_on=made_on,
    )


# Version 2: Crockford base32 in groups of five ---------------------------------------------------


def _payload_bits(count: int) -> int:
    answers: int = 5**count - 1
    return _HEADER_BITS + answers.bit_length()


def group_count(count: int) -> int:
    """How many groups a version 2 code with `count` outcomes has."""
    return -(-(_payload_bits(count) + _CHECK_BITS) // (4 * 5))


def _check16(payload: int, count: int) -> int:
    raw = payload.to_bytes(-(-_payload_bits(count) // 8), "big")
    return zlib.crc32(b"NS2" + raw) & 0xFFFF


def _group_check(index: int, values: Iterable[int]) -> int:
    """The fifth letter of a group: any one wrong letter, or a group in the wrong place, shows."""
    return (13 + 11 * index + sum((2 * i + 1) * v for i, v in enumerate(values))) % 32


def encode(code: ShareCode) -> str:
    """The code as one line: NS2- then groups of five letters, joined by '-'."""
    if not code.per_audit:
        return encode_v1(code)
    count = len(code.outcomes)
    if len(code.share_id) != SHARE_ID_BYTES or count > _MAX_ITEMS:
        raise ValueError("not a version 2 share code")
    day = 0 if code.made_on is None else (code.made_on - EPOCH).days
    if not 0 <= day < 2**_DAY_BITS:
        raise ValueError("the day is outside what a share code can hold")
    header = int.from_bytes(code.share_id, "big")
    header = (header << 16) | code.checklist_tag
    header = (header << _DAY_BITS) | day
    header = (header << 3) | BANDS.index(code.band)
    header = (header << 8) | count
    answers = 0
    for status in code.outcomes:
        answers = answers * 5 + OUTCOME_DIGITS[MERGED.get(status, status)]
    payload = (answers << _HEADER_BITS) | header
    total = (payload << _CHECK_BITS) | _check16(payload, count)
    groups = group_count(count)
    letters = [(total >> (5 * i)) & 31 for i in reversed(range(4 * groups))]
    out = []
    for g in range(groups):
        values = letters[4 * g : 4 * g + 4]
        values.append(_group_check(g, values))
        out.append("".join(ALPHABET[v] for v in values))
    return PREFIX + "-".join(out)


def decode(text: str) -> ShareCode:
    """A code back to its fields; ShareCodeError (one plain sentence) for anything else."""
    code = text.strip()
    head = code[:3].upper()
    if head == PREFIX_V1[:3]:
        return decode_v1(code)
    if not head.startswith("NS"):
        raise ShareCodeError("This is not a nutsec share code (they start with 'NS2-').")
    if head != PREFIX[:3]:
        raise ShareCodeError(
            "This share code was made by another version of nutsec (this one reads 'NS2-' and "
            "'NS1-' codes)."
        )
    rest = code[3:].strip(" \t-")
    parts = [p for p in re.split(r"[\s-]+", rest) if p]
    if len(parts) == 1 and len(parts[0]) > GROUP:  # typed without the dashes
        parts = [parts[0][i : i + GROUP] for i in range(0, len(parts[0]), GROUP)]
    if not parts:
        raise ShareCodeError("This share code is cut short: nothing follows 'NS2-'.")
    letters: list[int] = []
    for number, part in enumerate(parts, start=1):
        values = [_VALUE.get(ch) for ch in part.upper()]
        if len(part) != GROUP:
            raise ShareCodeError(
                f"Group {number} ({part}) has {len(part)} letters, but every group has "
                f"{GROUP}; copy that group again."
            )
        if any(v is None for v in values):
            bad = next(ch for ch, v in zip(part, values, strict=True) if v is None)
            raise ShareCodeError(
                f"Group {number} ({part}) has '{bad}', which a code never has; copy that "
                "group again."
            )
        known = [v for v in values if v is not None]
        if _group_check(number - 1, known[:4]) != known[4]:
            raise ShareCodeError(
                f"Group {number} ({part}) does not check out: a letter in it is wrong. "
                "Copy that group again."
            )
        letters += known[:4]
    total = 0
    for value in letters:
        total = (total << 5) | value
    payload, check = total >> _CHECK_BITS, total & 0xFFFF
    header = payload & ((1 << _HEADER_BITS) - 1)
    count = header & 0xFF
    if len(parts) != group_count(count) or _check16(payload, count) != check:
        raise ShareCodeError(
            "This share code is damaged (a group is missing, extra or out of place); copy it again."
        )
    band_number = (header >> 8) & 7
    day = (header >> 11) & (2**_DAY_BITS - 1)
    tag = (header >> (11 + _DAY_BITS)) & 0xFFFF
    share_id = (header >> (27 + _DAY_BITS)).to_bytes(SHARE_ID_BYTES, "big")
    answers = payload >> _HEADER_BITS
    if band_number >= len(BANDS) or answers >= 5**count:
        raise ShareCodeError("This share code is damaged (its contents do not add up).")
    digits = []
    for _ in range(count):
        answers, digit = divmod(answers, 5)
        digits.append(digit)
    known_checklist = shipped_tags().get(tag)
    checklist_id, version = known_checklist or ("", "")
    return ShareCode(
        checklist_id=checklist_id,
        checklist_version=version,
        band=BANDS[band_number],
        share_id=share_id,
        outcomes=tuple(_OUTCOME_OF[d] for d in reversed(digits)),
        made_on=EPOCH + timedelta(days=day),
        tag=None if known_checklist else tag,
    )


@cache
def shipped_tags() -> dict[int, tuple[str, str]]:
    """The tag of each checklist nutsec ships, to its id and version."""
    from nutsec.checklist.catalog import shipped_dir
    from nutsec.checklist.loader import load_checklist

    tags: dict[int, tuple[str, str]] = {}
    for path in sorted(shipped_dir().glob("*.toml")):
        try:
            checklist = load_checklist(path)
        except NutsecError:
            continue
        tags[checklist_tag(checklist.id, checklist.version)] = (checklist.id, checklist.version)
    return tags


# Version 1: base64url, read for codes made before version 2 --------------------------------------


def encode_v1(code: ShareCode) -> str:
    """A version 1 code (nutsec no longer makes these; the tests make old codes with it)."""
    body = bytearray(code.share_id)
    body.append(BANDS.index(code.band))
    for text in (code.checklist_id, code.checklist_version):
        raw = text.encode("ascii")
        body.append(len(raw))
        body += raw
    body.append(len(code.outcomes))
    body += _pack(STATUS_CODES[s] for s in code.outcomes)
    body += _checksum(bytes(body))
    return PREFIX_V1 + base64.urlsafe_b64encode(bytes(body)).decode("ascii").rstrip("=")


def decode_v1(code: str) -> ShareCode:
    if not code.startswith(PREFIX_V1):
        raise ShareCodeError("This share code is damaged (it should start with 'NS1-').")
    letters = code[len(PREFIX_V1) :]
    if not letters or not re.fullmatch(r"[A-Za-z0-9_-]+", letters):
        raise ShareCodeError("This share code has characters a code never has; copy it again.")
    try:
        data = base64.urlsafe_b64decode(letters + "=" * (-len(letters) % 4))
    except (binascii.Error, ValueError):
        data = b""
    # Base64 has spare bits in its last letter: a changed letter that only touches them would
    # decode to the same bytes, so only the one spelling we write is accepted.
    if not data or base64.urlsafe_b64encode(data).decode("ascii").rstrip("=") != letters:
        raise ShareCodeError("This share code is damaged (a letter is wrong or missing).")
    body, check = data[:-CHECKSUM_BYTES], data[-CHECKSUM_BYTES:]
    if len(data) <= CHECKSUM_BYTES or _checksum(body) != check:
        raise ShareCodeError("This share code is damaged (its checksum does not match).")
    try:
        return _fields(body)
    except (IndexError, ValueError, KeyError):
        raise ShareCodeError("This share code is damaged (its contents do not add up).") from None


def _fields(body: bytes) -> ShareCode:
    at = ONE_TIME_ID_BYTES
    one_time_id = body[:at]
    if len(one_time_id) != ONE_TIME_ID_BYTES:
        raise ValueError
    band = BANDS[body[at]]
    at += 1
    texts = []
    for _ in range(2):
        length = body[at]
        raw = body[at + 1 : at + 1 + length]
        text = raw.decode("ascii")
        if len(raw) != length or not _IDENTIFIER.fullmatch(text):
            raise ValueError
        texts.append(text)
        at += 1 + length
    count = body[at]
    packed = body[at + 1 :]
    if len(packed) != (3 * count + 7) // 8:
        raise ValueError
    numbers = _unpack(packed, count)
    return ShareCode(
        texts[0],
        texts[1],
        band,
        one_time_id,
        tuple(_STATUS_OF[n] for n in numbers),
        format=1,
    )


def _checksum(body: bytes) -> bytes:
    """CRC-32 over the prefix and bytes: catches any one changed letter (a burst under 32 bits)."""
    return zlib.crc32(PREFIX_V1.encode("ascii") + body).to_bytes(CHECKSUM_BYTES, "big")


def _pack(numbers: Iterable[int]) -> bytes:
    """Three bits per outcome, first item in the highest bits, zero bits to fill the last byte."""
    bits = "".join(f"{n:03b}" for n in numbers)
    bits += "0" * (-len(bits) % 8)
    return bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))


def _unpack(packed: bytes, count: int) -> list[int]:
    bits = "".join(f"{byte:08b}" for byte in packed)
    if "1" in bits[3 * count :]:
        raise ValueError  # filler bits must be zero: one spelling per code
    return [int(bits[3 * i : 3 * i + 3], 2) for i in range(count)]
