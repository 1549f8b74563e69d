"""A share code: per item the worst outcome, the checklist, the band, a one-time id, a checksum.

Nothing else goes in: no names, no devices or accounts, no free text, no score. The layout is
documented, with its version, in docs/share-codes.md; a change to it is a new prefix (NS2-...).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nutsec.audit.outcomes import audit_outcomes, password_checks, score
from nutsec.audit_data import Audit
from nutsec.checklist.model import Checklist, Item, ItemStatus
from nutsec.errors import NutsecError
from nutsec.scoring import Band

#: The format's version, written at the start of every code.
PREFIX = "NS1-"
#: Bytes of the random one-time id: 48 bits, so a room of 30 never draws the same one twice.
ONE_TIME_ID_BYTES = 6
CHECKSUM_BYTES = 4
#: nutsec's own password checks, after the checklist's items, in this order (format version 1).
PASSWORD_CHECK_IDS = ("password.strength", "password.reused", "password.breached")
#: The order bands are numbered in a code (0 first).
BANDS = (Band.STRONG, Band.GOOD, Band.NEEDS_ATTENTION, Band.AT_RISK, Band.NOT_SCORED)
#: Outcome numbers in a code; 0 is "not asked" (the item applied to none of the person's subjects).
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


class ShareCodeError(NutsecError):
    """Text that is not a share code nutsec can read (typo, cut short, another format)."""


@dataclass(frozen=True)
class ShareCode:
    """Everything a share code holds, and nothing more."""

    checklist_id: str
    checklist_version: str
    band: Band
    one_time_id: bytes
    #: The worst outcome per item, in code order (item_ids_for); None when not asked.
    outcomes: tuple[ItemStatus | None, ...]

    @property
    def one_time_hex(self) -> str:
        return self.one_time_id.hex()


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


def share_code_of(
    audit: Audit, random_bytes: Callable[[int], bytes] = secrets.token_bytes
) -> ShareCode:
    """The share code of a scored audit, with a fresh one-time id that is linked to nothing."""
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
    return ShareCode(
        checklist_id=audit.checklist.id,
        checklist_version=audit.checklist.version,
        band=score(audit).band,
        one_time_id=random_bytes(ONE_TIME_ID_BYTES),
        outcomes=tuple(worst(by_item.get(item_id, ())) for item_id in ids),
    )


# Encoding ---------------------------------------------------------------------------------------


def encode(code: ShareCode) -> str:
    """The code as one line: the prefix, then base64url (no padding) of the bytes and checksum."""
    body = bytearray(code.one_time_id)
    body.append(BANDS.index(code.band))
    for text in (code.checklist_id, code.checklist_version):
        raw = text.encode("ascii")
        body.append(len(raw))
        body += raw
    body.append(len(code.outcomes))
    body += _pack(STATUS_CODES[s] for s in code.outcomes)
    body += _checksum(bytes(body))
    return PREFIX + base64.urlsafe_b64encode(bytes(body)).decode("ascii").rstrip("=")


def decode(text: str) -> ShareCode:
    """A code back to its fields; ShareCodeError (one plain sentence) for anything else."""
    code = text.strip()
    if not code.upper().startswith(PREFIX[:2]):
        raise ShareCodeError("This is not a nutsec share code (they start with 'NS1-').")
    if not code.startswith(PREFIX):
        raise ShareCodeError(
            "This share code was made by another version of nutsec (this one reads 'NS1-' codes)."
        )
    letters = code[len(PREFIX) :]
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
    return ShareCode(texts[0], texts[1], band, one_time_id, tuple(_STATUS_OF[n] for n in numbers))


def _checksum(body: bytes) -> bytes:
    """CRC-32 over the prefix and bytes: catches any one changed letter (a burst under 32 bits)."""
    return zlib.crc32(PREFIX.encode("ascii") + body).to_bytes(CHECKSUM_BYTES, "big")


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
