"""The prefix-level seam: sources answer "which suffixes are breached in this 5-character range",
and the shared `check_many` hashes, groups by prefix and matches suffixes locally."""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from nutsec.breach.hashing import is_prefix, split_sha1
from nutsec.breach.model import BreachResult, BreachSource, Progress
from nutsec.secret import Secret

#: Called once per prefix, on the calling thread, as soon as that prefix's result is known.
PrefixDone = Callable[[str], None]

#: The reason a look-up that ran out of time gives.
TIMED_OUT = "timed out"

_RANGE_LINE = re.compile(r"([0-9A-Fa-f]{35}):([0-9]{1,15})")


class SuffixCounts(Mapping[str, int]):
    """Breached suffixes of one range, kept as one compact string rather than ~1,000 objects.

    A padded range response has 800-1,000 lines; a dict of them per prefix would cost about
    200 KB, which adds up over a password-manager export checked in one run.
    """

    __slots__ = ("_size", "_text")

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        lines = [f"{suffix.upper()}:{count}" for suffix, count in pairs if count > 0]
        self._text = "\n" + "\n".join(lines) + "\n" if lines else "\n"
        self._size = len(lines)

    @classmethod
    def from_lines(cls, lines: Sequence[bytes]) -> SuffixCounts:
        """From one prefix's checked corpus lines (`HASH:COUNT`, upper case, maybe with "\r"),
        without a Python object per line: the look-ups of an offline corpus make many."""
        text = (b"\n" + b"\n".join(lines) + b"\n").replace(b"\r", b"")
        if not lines or b":0" in text:  # a count of 0 is not a breach: the slow way
            return cls((line[5:40].decode("ascii"), int(line[41:])) for line in lines)
        made = cls(())
        made._text = text.replace(b"\n" + lines[0][:5], b"\n").decode("ascii")
        made._size = len(lines)
        return made

    def __getitem__(self, suffix: str) -> int:
        start = self._text.find(f"\n{suffix.upper()}:") if len(suffix) == 35 else -1
        if start < 0:
            raise KeyError(suffix)
        value_start = start + 37
        return int(self._text[value_start : self._text.index("\n", value_start)])

    def __iter__(self) -> Iterator[str]:
        for line in self._text.split("\n"):
            if line:
                yield line[:35]

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        return f"SuffixCounts({self._size} breached)"


def parse_range_lines(lines: Iterable[str]) -> SuffixCounts | None:
    """`SUFFIX:COUNT` lines (LF or CRLF) → counts, padding (count 0) dropped; None if any line is
    not in that shape, so a garbled answer can never read as "not found"."""
    pairs: list[tuple[str, int]] = []
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            continue
        match = _RANGE_LINE.fullmatch(line)
        if match is None:
            return None
        pairs.append((match.group(1), int(match.group(2))))
    return SuffixCounts(pairs)


@dataclass(frozen=True)
class RangeResult:
    """What looking up one prefix said: its breached suffixes, or why nobody knows."""

    counts: SuffixCounts | None
    reason: str | None = None

    @classmethod
    def known(cls, counts: SuffixCounts) -> RangeResult:
        return cls(counts, None)

    @classmethod
    def unknown(cls, reason: str) -> RangeResult:
        return cls(None, reason)

    @property
    def is_known(self) -> bool:
        return self.counts is not None

    def result_for(self, suffix: str) -> BreachResult:
        """The breach status of the password whose hash ends in `suffix`."""
        if self.counts is None:
            return BreachResult.unknown(self.reason or "not checked")
        count = self.counts.get(suffix, 0)
        return BreachResult.found(count) if count > 0 else BreachResult.not_found()


class RangeSource(BreachSource):
    """A source that answers whole 5-character ranges. Subclasses implement `lookup_many`.

    Known ranges are cached for the source's lifetime (one run), so a prefix is looked up once
    however many passwords share it; so are ranges that timed out (waiting again would only
    stretch the run); other unknown ones are not cached, so a later check may retry.
    A source is used from one thread at a time; `lookup_many` may use threads inside.
    """

    def __init__(self) -> None:
        self._cache: dict[str, RangeResult] = {}

    @abstractmethod
    def lookup_many(
        self, prefixes: Sequence[str], on_done: PrefixDone | None = None
    ) -> dict[str, RangeResult]:
        """One result for every distinct prefix asked about; never raises for a failed look-up."""

    def check_many(
        self, secrets: Sequence[Secret], progress: Progress | None = None
    ) -> list[BreachResult]:
        total = len(secrets)
        # The (prefix, suffix) pairs live only for this call and are dropped before it returns.
        split = [split_sha1(secret) for secret in secrets]
        try:
            waiting: dict[str, int] = {}
            for prefix, _ in split:
                waiting[prefix] = waiting.get(prefix, 0) + 1
            to_fetch = [prefix for prefix in waiting if prefix not in self._cache]
            done = total - sum(waiting[prefix] for prefix in to_fetch)
            if progress:
                progress(done, total)

            def prefix_done(prefix: str) -> None:
                nonlocal done
                done += waiting.get(prefix, 0)
                if progress:
                    progress(done, total)

            fetched = self.lookup_many(to_fetch, prefix_done) if to_fetch else {}
            for prefix, result in fetched.items():
                # A range that timed out is not asked again in this run: the run's time is spent.
                if result.is_known or result.reason == TIMED_OUT:
                    self._cache[prefix] = result
            missing = RangeResult.unknown("unexpected response")
            return [
                (self._cache.get(prefix) or fetched.get(prefix, missing)).result_for(suffix)
                for prefix, suffix in split
            ]
        finally:
            split.clear()


def check_prefixes(prefixes: Sequence[str]) -> list[str]:
    """The distinct prefixes, in order; anything else is a programming error, not user input."""
    distinct = list(dict.fromkeys(prefixes))
    for prefix in distinct:
        if not is_prefix(prefix):
            raise ValueError("a range look-up takes exactly 5 upper-case hex characters")
    return distinct
