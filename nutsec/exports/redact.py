"""Keeping every password of an export out of everything nutsec shows from it.

A title, username or address may hold a password, whole or in part, in another letter case or
URL-encoded ("Wi-Fi: pw1234", "https://rep:pw@host/?key=pw"). Addresses lose their user part,
query and fragment; then any run of `MIN_RUN` or more characters of any password of the export
is replaced by "***", without regard to case. Each field is scanned once against a set of the
passwords' pieces, so the cost grows with the export's size, not with its square.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

#: Runs shorter than this are not hidden: they would match ordinary words everywhere.
MIN_RUN = 4
MASK = "***"


def _fold(text: str) -> str:
    """Case-folded character by character, so positions in the result are positions in `text`."""
    out = []
    for ch in text:
        folded = ch.casefold()
        if len(folded) != 1:
            folded = ch.lower() if len(ch.lower()) == 1 else ch
        out.append(folded)
    return "".join(out)


class PasswordMask:
    """Hides pieces of the export's passwords. It holds those pieces: `clear()` it when done."""

    def __init__(self, passwords: Iterable[str] = ()) -> None:
        self._pieces: set[str] = set()
        for password in passwords:
            self.add(password)

    def add(self, password: str) -> None:
        if len(password) < MIN_RUN:
            return
        for form in {password, quote(password, safe=""), quote_plus(password)}:
            folded = _fold(form)
            for start in range(len(folded) - MIN_RUN + 1):
                self._pieces.add(folded[start : start + MIN_RUN])

    def hide(self, text: str) -> str:
        """`text` with every run of `MIN_RUN`+ characters of a password replaced by ***."""
        if len(text) < MIN_RUN or not self._pieces:
            return text
        folded = _fold(text)
        covered = bytearray(len(text))
        pieces = self._pieces
        for start in range(len(text) - MIN_RUN + 1):
            if folded[start : start + MIN_RUN] in pieces:
                covered[start : start + MIN_RUN] = b"\x01" * MIN_RUN
        if not any(covered):
            return text
        out: list[str] = []
        for position, ch in enumerate(text):
            if not covered[position]:
                out.append(ch)
            elif position == 0 or not covered[position - 1]:
                out.append(MASK)
        return "".join(out)

    def clear(self) -> None:
        self._pieces.clear()

    def __repr__(self) -> str:
        return "PasswordMask(***)"


#: Where a second address starts in Bitwarden's comma-joined list: a comma before a scheme.
_NEXT_ADDRESS = re.compile(r",(?=\s*[A-Za-z][A-Za-z0-9+.-]*://)")
_SCHEME = re.compile(r"\s*(?:[A-Za-z][A-Za-z0-9+.-]*://)?")
#: What may follow the "@" that ends a user part: a host name or address, perhaps a port.
_HOST_AFTER = re.compile(r"[A-Za-z0-9.\-\[\]:_]+(?=$|[/?#])")


def clean_address(url: str) -> str:
    """The address(es) without user name, password, query or fragment:
    "https://rep:pw@host/x?key=pw#y" becomes "https://host/x"."""
    return ",".join(_clean_one(part) for part in _NEXT_ADDRESS.split(url))


def _clean_one(part: str) -> str:
    lead = _SCHEME.match(part)
    start = lead.end() if lead else 0
    head, rest = part[:start], part[start:]
    at = rest.find("@")
    if at >= 0 and _is_user_part(rest[:at]):
        authority_end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
        if at < authority_end:
            # As the standard reads it: the user part ends at the authority's last "@".
            cut = rest.rfind("@", 0, authority_end)
        else:
            # The password holds "/", "?" or "#": the user part ends at the last "@" that a
            # host name follows.
            ats = (m.start() for m in re.finditer("@", rest))
            ends = [i for i in ats if _HOST_AFTER.match(rest, i + 1)]
            cut = ends[-1] if ends else at
        rest = rest[cut + 1 :]
    for stop in "?#":
        rest = rest.split(stop, 1)[0]
    return head + rest


def _is_user_part(before_at: str) -> bool:
    """Whether the text before the first "@" is a user part (not a path such as "/@name")."""
    cut = min((i for i in (before_at.find(c) for c in "/?#") if i >= 0), default=-1)
    if cut < 0:
        return True
    # "rep:pa/ss@host" is a user part whose password holds a "/"; "host:8080/@name" is not.
    authority = before_at[:cut]
    if ":" not in authority:
        return False
    return not authority.rpartition(":")[2].isdigit()
