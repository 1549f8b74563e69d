"""Reading a trainer's file of share codes: one a line, blank lines and # comments allowed."""

from __future__ import annotations

from dataclasses import dataclass

from nutsec.errors import NutsecError
from nutsec.share.code import ShareCode, ShareCodeError, decode

#: What makes two codes the same person's: the audit's share id (version 2), or, for version 1
#: codes (a new one-time id per share), the whole code.
CodeKey = tuple[str, bytes] | tuple[str, ShareCode]


def code_key(code: ShareCode) -> CodeKey:
    return ("audit", code.share_id) if code.per_audit else ("code", code)


@dataclass(frozen=True)
class CodeFile:
    """The distinct audits of one session (an audit shared twice counts once), in file order."""

    codes: tuple[ShareCode, ...]
    #: Lines that repeated an audit already counted (a code pasted twice, or shared twice).
    repeats: int
    checklist_id: str
    checklist_version: str
    #: The line of the first code: where a checklist problem is reported.
    first_line: int
    #: The line each of `codes` is on.
    lines: tuple[int, ...] = ()

    @property
    def keys(self) -> frozenset[CodeKey]:
        return frozenset(code_key(code) for code in self.codes)

    @property
    def old_codes(self) -> int:
        """Version 1 codes: two shares of one audit cannot be told apart."""
        return sum(1 for code in self.codes if not code.per_audit)


def read_codes(text: str, shown: str) -> CodeFile:
    """Every code in `text`; NutsecError naming `shown` and the line for the first bad one."""
    seen: set[CodeKey] = set()
    codes: list[ShareCode] = []
    lines: list[int] = []
    repeats = 0
    first: tuple[int, ShareCode] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            code = decode(line)
        except ShareCodeError as error:
            raise NutsecError(f"{shown}, line {number}: {error.message}") from None
        if first is None:
            first = (number, code)
        elif code.checklist_tag != first[1].checklist_tag:
            raise NutsecError(
                f"{shown}, line {number}: this code is for {_checklist(code)}, but line "
                f"{first[0]} is for {_checklist(first[1])}. A summary needs codes from one "
                "checklist version: ask this person to update nutsec and share again."
            )
        key = code_key(code)
        if key in seen:
            repeats += 1
            continue
        seen.add(key)
        codes.append(code)
        lines.append(number)
    if first is None:
        raise NutsecError(f"{shown} has no share codes in it (one code a line; # starts a note).")
    return CodeFile(
        tuple(codes),
        repeats,
        first[1].checklist_id,
        first[1].checklist_version,
        first[0],
        tuple(lines),
    )


def _checklist(code: ShareCode) -> str:
    if code.checklist_id:
        return f"checklist {code.checklist_id} version {code.checklist_version}"
    return "a checklist this nutsec does not ship"
