"""Keeping every secret of an export out of everything nutsec shows from it.

A title, username, address or folder may hold a secret, whole or in part, in another letter
case, Unicode form or URL-encoded ("Wi-Fi: pw1234", "https://rep:pw@host/?key=pw"). The secrets
are every password of the export, a KeePass database's master password, old passwords (KeePass
history, Bitwarden's password history) and protected or hidden custom fields.

Addresses lose their user part, query and fragment. Then text and secrets are compared after
normalising both: NFKC, case folded, with format characters (zero-width spaces, soft hyphens)
and spaces removed, so NFD, full-width letters and spaced-out copies match; a second comparison
also drops punctuation, so pieces split by dashes or dots match too. Any run of `MIN_RUN` or more
characters of a secret is replaced by "***", and a whole field equal to a secret of any length
(a 3-character password used as a username) is "***" too. Each field is scanned once against a
set of the secrets' pieces, so the cost grows with the export's size, not with its square.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import quote, quote_plus

from nutsec.words import and_list

#: Runs shorter than this are not hidden: they would match ordinary words everywhere.
MIN_RUN = 4
MASK = "***"

#: What a hidden piece belongs to, most telling first (the first kind found is the one named).
SecretKind = Literal["master", "own", "password", "old", "hidden"]
KIND_ORDER: tuple[SecretKind, ...] = ("master", "own", "password", "old", "hidden")
#: "another login's password", named on its own line: bandit reads a "password" key's text as a
#: password, and its "nosec" inside a dict is reported for every line of it.
_ANOTHER_LOGINS = "another login's password"
#: The kind in words, for "Title hidden: it holds part of the master password."
KIND_WORDS: dict[SecretKind, str] = {
    "master": "the master password",
    "own": "this login's password",
    "password": _ANOTHER_LOGINS,
    "old": "an old password",
    "hidden": "a hidden field",
}


#: Spaces and every format character (Unicode category Cf: soft hyphen, zero-width spaces and
#: joiners, bidi controls, tags...) as of Unicode 15; tests check Python's own table is covered.
_DROPPED = re.compile(
    "[\\s\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]+"
)
#: What the second comparison drops besides: everything but letters and digits.
_NOT_ALNUM = re.compile(r"[\W_]+")


def normal_form(text: str) -> str:
    """`text` as secrets are compared: NFKC, case folded, no format characters or spaces."""
    if text.isascii():
        return "".join(text.split()).lower()
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _DROPPED.sub("", folded)


def _bare(normal: str) -> str:
    """Letters and digits only: the second comparison, blind to dashes, dots and symbols."""
    return _NOT_ALNUM.sub("", normal)


def _is_bare(ch: str) -> bool:
    return _NOT_ALNUM.match(ch) is None


def _mapped(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`normal_form(text)` and, for each of its characters, the span of `text` it came from.

    A letter and its combining marks (NFD "e" + U+0301) are normalised together, so they
    compose as the whole text would.
    """
    if text.isascii():  # NFKC and case folding leave ASCII as it is, bar capitals
        kept = [i for i, ch in enumerate(text) if not ch.isspace()]
        return "".join(text[i] for i in kept).lower(), [(i, i + 1) for i in kept]
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start, size = 0, len(text)
    while start < size:
        end = start + 1
        while end < size and unicodedata.combining(text[end]):
            end += 1
        for ch in _normal_cluster(text[start:end]):
            out.append(ch)
            spans.append((start, end))
        start = end
    return "".join(out), spans


#: Most fields repeat the same few characters: each cluster is normalised once.
_normal_cluster = lru_cache(maxsize=8192)(normal_form)


@dataclass(frozen=True)
class Hidden:
    """A field as it may be shown, and why part or all of it was hidden."""

    text: str
    kinds: tuple[SecretKind, ...] = ()  # what it held, most telling first; () when nothing
    equal: bool = False  # the whole field is a secret (not just holds one)

    @property
    def whole(self) -> bool:
        """Nothing of the field is left to show."""
        return bool(self.kinds) and self.text == MASK

    def reason(self, plural: bool = False) -> str:
        """ "it holds part of the master password", "they are this login's password", or ""."""
        if not self.kinds:
            return ""
        if self.equal:
            return f"{'they are' if plural else 'it is'} {KIND_WORDS[self.kinds[0]]}"
        what = and_list(
            ["part of " + KIND_WORDS[self.kinds[0]], *(KIND_WORDS[k] for k in self.kinds[1:])]
        )
        return f"{'they hold' if plural else 'it holds'} {what}"


def hidden_notes(fields: Iterable[tuple[str, Hidden]]) -> tuple[str, ...]:
    """One sentence per reason for the hidden fields of a login, fields named in order:
    "Title and username hidden: they hold part of this login's password." """
    groups: dict[tuple[bool, bool, tuple[SecretKind, ...]], list[str]] = {}
    for name, hidden in fields:
        if hidden.kinds:
            groups.setdefault((hidden.whole, hidden.equal, hidden.kinds), []).append(name)
    notes: list[str] = []
    for (whole, equal, kinds), names in groups.items():
        named = and_list(names)
        state = "hidden" if whole else "partly hidden"
        reason = Hidden(MASK, kinds, equal).reason(plural=len(names) > 1)
        notes.append(f"{named[:1].upper()}{named[1:]} {state}: {reason}.")
    return tuple(notes)


class PasswordMask:
    """Hides pieces of the export's secrets. It holds those pieces: `clear()` it when done."""

    def __init__(self, passwords: Iterable[str] = ()) -> None:
        self._pieces: dict[str, int] = {}  # piece of a normal form -> its kind's rank
        self._bare_pieces: dict[str, int] = {}  # the same, punctuation dropped
        self._whole: dict[str, int] = {}  # a secret's whole normal form -> its kind's rank
        for password in passwords:
            self.add(password)

    def add(self, secret: str, kind: SecretKind = "password") -> None:
        rank = KIND_ORDER.index(kind)
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            normal = normal_form(form)
            if normal:
                _keep(self._whole, normal, rank)
            for piece in _pieces(normal):
                _keep(self._pieces, piece, rank)
            for piece in _pieces(_bare(normal)):
                _keep(self._bare_pieces, piece, rank)

    def hide(self, text: str) -> str:
        """`text` with every run of `MIN_RUN`+ characters of a secret replaced by ***."""
        return self.explain(text).text

    def explain(self, text: str, own: str = "") -> Hidden:
        """`text` as it may be shown, and what it held; `own` is the login's own password."""
        if not text or not self._whole:
            return Hidden(text)
        normal = normal_form(text)
        own_normal = normal_form(own) if own else ""
        if normal in self._whole:
            rank = self._whole[normal]
            if own_normal and normal == own_normal and rank > KIND_ORDER.index("own"):
                rank = KIND_ORDER.index("own")
            return Hidden(MASK, (KIND_ORDER[rank],), equal=True)
        # Most fields hold nothing: one set intersection each says so, without any mapping.
        hits = self._pieces.keys() & set(_pieces(normal))
        bare_hits = self._bare_pieces.keys() & set(_pieces(_bare(normal)))
        if not hits and not bare_hits:
            return Hidden(text)
        ranks = {self._pieces[p] for p in hits} | {self._bare_pieces[p] for p in bare_hits}
        normal, spans = _mapped(text)
        covered = bytearray(len(text))
        found: set[int] = set()
        own_pieces = set(_pieces(own_normal)) | set(_pieces(_bare(own_normal)))
        self._cover(normal, spans, self._pieces, own_pieces, covered, found)
        bare_at = [i for i, ch in enumerate(normal) if _is_bare(ch)]
        bare_spans = [spans[i] for i in bare_at]
        bare = "".join(normal[i] for i in bare_at)
        self._cover(bare, bare_spans, self._bare_pieces, own_pieces, covered, found)
        if not found:
            # The text as a whole holds a piece, but not character by character (a rare
            # composition across characters): hide all of it rather than guess.
            return Hidden(MASK, tuple(KIND_ORDER[rank] for rank in sorted(ranks)))
        _fill_gaps(text, covered)
        out: list[str] = []
        for position, ch in enumerate(text):
            if not covered[position]:
                out.append(ch)
            elif position == 0 or not covered[position - 1]:
                out.append(MASK)
        shown = "".join(out)
        return Hidden(shown, tuple(KIND_ORDER[rank] for rank in sorted(found)))

    @staticmethod
    def _cover(
        normal: str,
        spans: list[tuple[int, int]],
        pieces: dict[str, int],
        own: set[str],
        covered: bytearray,
        found: set[int],
    ) -> None:
        if not pieces:
            return
        own_rank = KIND_ORDER.index("own")
        for start in range(len(normal) - MIN_RUN + 1):
            piece = normal[start : start + MIN_RUN]
            rank = pieces.get(piece)
            if rank is None:
                continue
            found.add(min(rank, own_rank) if piece in own else rank)
            first, last = spans[start][0], spans[start + MIN_RUN - 1][1]
            covered[first:last] = b"\x01" * (last - first)

    def clear(self) -> None:
        self._pieces.clear()
        self._bare_pieces.clear()
        self._whole.clear()

    def __repr__(self) -> str:
        return "PasswordMask(***)"


def _pieces(normal: str) -> list[str]:
    return [normal[i : i + MIN_RUN] for i in range(len(normal) - MIN_RUN + 1)]


def _keep(table: dict[str, int], key: str, rank: int) -> None:
    if rank < table.get(key, len(KIND_ORDER)):
        table[key] = rank


def _fill_gaps(text: str, covered: bytearray) -> None:
    """Hide what lies between two hidden runs when it is only spaces, format characters or
    punctuation, so "Z e b r a" or "Zeb-raQ-uan" becomes one "***", not pieces around gaps."""
    last = -1
    for position in range(len(text)):
        if not covered[position]:
            continue
        if 0 <= last < position - 1 and all(
            not text[i].isalnum() for i in range(last + 1, position)
        ):
            covered[last + 1 : position] = b"\x01" * (position - last - 1)
        last = position


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
