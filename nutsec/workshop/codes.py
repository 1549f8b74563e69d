"""Reading a trainer's file of share codes: one a line, blank lines and # comments allowed."""

from __future__ import annotations

from dataclasses import dataclass

from nutsec.errors import NutsecError
from nutsec.share.code import ShareCode, ShareCodeError, decode


@dataclass(frozen=True)
class CodeFile:
    """The distinct codes of one session (a code pasted twice counts once), in file order."""

    codes: tuple[ShareCode, ...]
    #: Lines that repeated an earlier code, and were counted once.
    repeats: int
    checklist_id: str
    checklist_version: str
    #: The line of the first code: where a checklist problem is reported.
    first_line: int


def read_codes(text: str, shown: str) -> CodeFile:
    """Every code in `text`; NutsecError naming `shown` and the line for the first bad one."""
    seen: set[ShareCode] = set()
    codes: list[ShareCode] = []
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
        elif (code.checklist_id, code.checklist_version) != (
            first[1].checklist_id,
            first[1].checklist_version,
        ):
            raise NutsecError(
                f"{shown}, line {number}: this code is for checklist {code.checklist_id} version "
                f"{code.checklist_version}, but line {first[0]} is for {first[1].checklist_id} "
                f"version {first[1].checklist_version}. A summary needs codes from one checklist "
                "version: ask this person to update nutsec and share again."
            )
        if code in seen:
            repeats += 1
            continue
        seen.add(code)
        codes.append(code)
    if first is None:
        raise NutsecError(f"{shown} has no share codes in it (one code a line; # starts a note).")
    return CodeFile(
        tuple(codes), repeats, first[1].checklist_id, first[1].checklist_version, first[0]
    )
