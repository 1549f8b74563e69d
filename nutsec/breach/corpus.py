"""Offline breach corpus: the Pwned Passwords downloader's sorted single file (binary search with
seek + read, constant memory whatever its size) or its folder of per-prefix files."""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from nutsec.breach.range_source import (
    PrefixDone,
    RangeResult,
    RangeSource,
    SuffixCounts,
    check_prefixes,
    parse_range_lines,
)
from nutsec.errors import CorpusError

_FULL_LINE = re.compile(rb"([0-9A-Fa-f]{40}):([0-9]{1,15})\r?\n?")
_PREFIX_FILE = re.compile(r"[0-9A-Fa-f]{5}\.txt")
#: The reason a look-up in a folder without this prefix's file is `unknown`.
CORPUS_INCOMPLETE = "corpus incomplete"
#: Lines checked for order on each side of a range that is looked up.
_WINDOW_LINES = 64
#: Evenly spaced spot checks of format and order when a corpus file is opened.
_SPOT_CHECKS = 16
#: No line of the format is longer than this; a longer one means the file is something else.
_MAX_LINE = 64
#: Bytes checked before a range that is looked up (about 48 lines of the format).
_WINDOW_BYTES = _WINDOW_LINES * (_MAX_LINE // 2)
#: Bytes read at each step of the search, and how close it gets before the range is read.
_PROBE_BYTES = 1024
_CLOSE = 512
#: Any number of whole lines, upper case: the check of a region is one regular expression.
_REGION = re.compile(rb"(?:[0-9A-F]{40}+:[0-9]{1,15}+\r?+\n)*+")
#: Places remembered from earlier look-ups (about 0.5 MB at most).
_KNOWN_PLACES = 8_192
_SPACE = 1 << 160


def open_corpus(path: Path) -> RangeSource:
    """The right source for a downloaded corpus file or folder; CorpusError if it is neither."""
    try:
        os.stat(path)
    except FileNotFoundError:
        pass  # CorpusFileSource says so, naming it
    except OSError as error:  # a name too long, a loop of links, no permission
        raise CorpusError(f"The breach corpus {path} cannot be read ({error.strerror}).") from None
    if path.is_dir():
        return CorpusFolderSource(path)
    return CorpusFileSource(path)


class CorpusFileSource(RangeSource):
    """One file of `SHA1:COUNT` lines sorted by hash, as the official downloader writes it.

    A prefix look-up is a binary search over byte offsets (about 30 seeks for 40 GB), then a
    read of that prefix's few hundred lines. The file is never loaded or scanned whole.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        if path.exists() and not path.is_dir() and not path.is_file():
            # A FIFO or a device would block or never end: only a regular file is a corpus.
            raise CorpusError(
                f"The breach corpus {path} is not a regular file. Give the downloaded file or "
                "folder to --hibp-corpus."
            )
        try:
            self._file: BinaryIO = path.open("rb")
        except FileNotFoundError:
            raise CorpusError(
                f"The breach corpus {path} does not exist. Check the path given to --hibp-corpus."
            ) from None
        except OSError as error:
            raise CorpusError(
                f"The breach corpus {path} cannot be read ({error.strerror})."
            ) from None
        self._size = os.fstat(self._file.fileno()).st_size
        #: Hash (as a number) and offset of lines already read, in order: search starts.
        self._known_keys: list[int] = []
        self._known_at: list[int] = []
        try:
            self._validate()
        except CorpusError:
            self._file.close()
            raise

    def close(self) -> None:
        self._file.close()

    def _bad(self, why: str) -> CorpusError:
        return CorpusError(
            f"The breach corpus {self.path} is not a Pwned Passwords SHA-1 file ({why}); "
            "expected lines like 000000005AD76BD555C1D6D771DE417A4B87E4B4:10 sorted by hash."
        )

    def _validate(self) -> None:
        """Format and order at the start, the end and evenly spaced points in between."""
        if self._size == 0:
            raise self._bad("it is empty")
        previous = b""
        for i in range(_SPOT_CHECKS + 1):
            offset = self._size * i // _SPOT_CHECKS
            _, line = self._line_from(offset if i < _SPOT_CHECKS else self._last_line_start())
            if not line.strip():
                continue
            key, _ = self._parse(line)
            if key < previous:
                raise self._bad("it is not sorted by hash")
            previous = key

    def _last_line_start(self) -> int:
        """Offset of the last line, found by reading a little from the end."""
        tail_start = max(0, self._size - 2 * _MAX_LINE)
        self._file.seek(tail_start)
        tail = self._file.read().rstrip(b"\r\n")
        cut = tail.rfind(b"\n")
        return tail_start + cut + 1 if cut >= 0 else tail_start

    def _line_from(self, offset: int) -> tuple[int, bytes]:
        """The first whole line starting at or after `offset`, and where it starts."""
        if offset <= 0:
            self._file.seek(0)
            start = 0
        else:
            self._file.seek(offset - 1)
            skipped = self._file.readline(_MAX_LINE + 2)
            if len(skipped) == _MAX_LINE + 2 and not skipped.endswith(b"\n"):
                raise self._bad(f"a line near byte {offset} is too long")
            start = offset - 1 + len(skipped)
        return start, self._file.readline(_MAX_LINE + 2)

    def _parse(self, line: bytes, start: int | None = None) -> tuple[bytes, int]:
        """The line's hash in upper case and its count, or CorpusError if it is not the format."""
        match = _FULL_LINE.fullmatch(line)
        if match is None:
            why = "it is not HASH:COUNT with a 40-character SHA-1"
            if start is not None:
                raise self._bad_line(start, why)
            raise self._bad("a line is not HASH:COUNT with a 40-character SHA-1")
        return match.group(1).upper(), int(match.group(2))

    def _read_at(self, offset: int, size: int) -> bytes:
        """`size` bytes from `offset` (fewer at the end), without moving through a buffer."""
        if hasattr(os, "pread"):
            return os.pread(self._file.fileno(), size, offset)
        self._file.seek(offset)  # Windows
        return self._file.read(size)

    def _region(self, start: int, end: int, whole: bool = True) -> tuple[int, list[bytes], int]:
        """The whole lines that start in [start, end) and the one running past `end`, checked
        once: the format, no blank line before the file's end, and the order. A search step
        (`whole` False) checks only the lines it decides on: the first two and the last two.

        Returns where the first line starts, the lines (upper case, without their "\n") and
        where the line after the last one starts. A file broken exactly where it is read is
        then a bad corpus, never a breached password reported "not found".
        """
        begin = max(0, start - 1)
        data = self._read_at(begin, end - begin + _MAX_LINE + 2)
        cut = 0
        if start > 0:  # skip the end of a line that started earlier ("\n" just before: none)
            cut = data.find(b"\n", 0, _MAX_LINE + 2) + 1
            if cut == 0 and len(data) >= _MAX_LINE + 2:
                raise self._bad(f"a line near byte {start} is too long")
            if cut == 0:
                return begin + len(data), [], begin + len(data)
        first = begin + cut
        at_end = begin + len(data) >= self._size
        if at_end:
            body = data[cut:]
            core = body.rstrip(b" \t\r\n")
            if len(body) - len(core) > 10:  # a line end and at most 8 bytes of blank lines
                self._diagnose(first, body)
            body = core + b"\n" if core else b""
        else:
            body = data[cut : data.rfind(b"\n") + 1]
        lines = body.split(b"\n")
        lines.pop()  # after the last "\n"
        every = whole or len(lines) <= 4
        edges = lines if every else [*lines[:2], *lines[-2:]]
        if _REGION.fullmatch(body if every else b"\n".join(edges) + b"\n") is None:
            # The downloader writes upper case; a file in lower case is read as upper case.
            body = body.upper()
            lines = body.split(b"\n")
            lines.pop()
            edges = lines if every else [*lines[:2], *lines[-2:]]
            if _REGION.fullmatch(b"\n".join(edges) + b"\n" if edges else b"") is None:
                self._diagnose(first, body)
        if edges != sorted(edges):
            self._diagnose(first, body)
        return first, lines, (self._size if at_end else first + len(body))

    def _diagnose(self, first: int, body: bytes) -> None:
        """The precise error for a region that failed its check (the slow path)."""
        offset = first
        previous = b""
        for line in body.splitlines(keepends=True):
            if not line.strip():
                raise self._bad_line(offset, "it is blank, and blank lines break the search")
            key, _ = self._parse(line, offset)
            if key < previous:
                raise self._bad_line(offset, "it is out of order")
            previous = key
            offset += len(line)
        raise self._bad_line(first, "it is out of order")

    def _bracket(self, prefix: bytes) -> tuple[int, int]:
        """Byte offsets `low` <= `high`, at most `_CLOSE` apart, between which the first line
        whose hash is >= `prefix` starts (`high` may be the file size).

        SHA-1 hashes are spread evenly, so the place is guessed from the hashes already read
        (interpolation, from the closest places earlier look-ups read), with a halving step
        every fourth read, so a strange file costs at most a few times a binary search.
        """
        target = int(prefix, 16) << 140
        known = bisect_left(self._known_keys, target)
        low, key_low = (self._known_at[known - 1], self._known_keys[known - 1]) if known else (0, 0)
        if known < len(self._known_keys):
            high, key_high = self._known_at[known], self._known_keys[known]
        else:
            high, key_high = self._size, _SPACE
        steps = 0
        while high - low > _CLOSE:
            span = high - low
            steps += 1
            if steps % 4 == 0 or key_high <= key_low:  # a halving step now and then
                probe = low + span // 2 - _PROBE_BYTES // 2
            else:
                guess = low + span * max(0, target - key_low) // (key_high - key_low)
                probe = min(max(low, guess - _PROBE_BYTES // 2), high - _PROBE_BYTES)
            first, lines, after = self._region(probe, probe + _PROBE_BYTES, whole=False)
            if not lines or first >= high:
                high = probe  # no line starts between the probe and `high`
                continue
            self._remember(first, int(lines[0][:40], 16))
            if lines[0] >= prefix:
                high, key_high = first, int(lines[0][:40], 16)
            elif lines[-1] < prefix:
                low, key_low = after, int(lines[-1][:40], 16)
            else:
                i = bisect_left(lines, prefix)
                start = first + sum(map(len, lines[:i])) + i
                return start, start
        return low, high

    def _remember(self, offset: int, key: int) -> None:
        """Keep where a line of this key starts, to start later searches closer."""
        if len(self._known_keys) >= _KNOWN_PLACES:
            return
        i = bisect_left(self._known_keys, key)
        if i < len(self._known_keys) and self._known_keys[i] == key:
            return
        self._known_keys.insert(i, key)
        self._known_at.insert(i, offset)

    def _range(self, prefix: bytes) -> SuffixCounts:
        """The prefix's lines, read with the lines around them in one checked region: a line of
        this range misplaced a little earlier or later would otherwise be missed."""
        low, high = self._bracket(prefix)
        before = max(0, low - _WINDOW_BYTES)
        ahead = self._expected_range_bytes() + _WINDOW_LINES * 46
        while True:
            first, lines, after = self._region(before, high + ahead)
            i = bisect_left(lines, prefix)
            j = bisect_left(lines, prefix + b"G", i)  # "G" sorts after every hex digit
            if len(lines) - j >= _WINDOW_LINES or after >= self._size:
                break
            ahead *= 2
        if i == 0 and first > 0:  # the line before `low` sorted before the prefix when read
            raise self._bad_line(first, "it is out of order")
        return SuffixCounts.from_lines(lines[i:j])

    def verify_all(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Every line's format and order, a chunk at a time (see `verify_corpus_file`)."""
        offset, count, previous = 0, 0, b""
        while offset < self._size:
            first, lines, after = self._region(offset, offset + _VERIFY_CHUNK)
            if lines:
                if lines[0] < previous:
                    raise self._bad_line(first, "it is out of order")
                previous = lines[-1]
                count += len(lines)
            if after <= offset:
                break
            offset = after
            if progress:
                progress(min(offset, self._size), self._size)
        return count

    def _expected_range_bytes(self) -> int:
        """About how many bytes one prefix's lines take in this file (they are spread evenly)."""
        return self._size // (1 << 20) + self._size // (1 << 22)

    def _bad_line(self, start: int, why: str) -> CorpusError:
        return CorpusError(
            f"The breach corpus {self.path} is not a Pwned Passwords SHA-1 file: the line at byte "
            f"{start} is wrong ({why}); expected lines like "
            "000000005AD76BD555C1D6D771DE417A4B87E4B4:10 sorted by hash, with no blank lines."
        )

    def lookup_many(
        self, prefixes: Sequence[str], on_done: PrefixDone | None = None
    ) -> dict[str, RangeResult]:
        """CorpusError if the file turns out not to be in the format (a bad corpus is exit 2)."""
        results: dict[str, RangeResult] = {}
        for prefix in check_prefixes(prefixes):
            results[prefix] = RangeResult.known(self._range(prefix.upper().encode("ascii")))
            if on_done:
                on_done(prefix)
        return results


class CorpusFolderSource(RangeSource):
    """A folder of per-prefix files (`00000.txt` … `FFFFF.txt`, lines `SUFFIX:COUNT`).

    A look-up opens the one prefix file. The downloader writes all 1,048,576 of them, so a
    missing one means the download was cut short: that look-up is `unknown` ("corpus
    incomplete"), never "not found".
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        if not path.is_dir():
            raise CorpusError(
                f"The breach corpus folder {path} does not exist. "
                "Check the path given to --hibp-corpus."
            )
        sample = self._first_prefix_file()
        if sample is None:
            raise CorpusError(
                f"The breach corpus folder {path} has no prefix files "
                "(expected files named like 00000.txt … FFFFF.txt)."
            )
        self._read_prefix_file(sample)  # raises CorpusError if not in the format

    def _first_prefix_file(self) -> Path | None:
        """Any one prefix file, found without listing a million names."""
        try:
            with os.scandir(self.path) as entries:
                for entry in entries:
                    if _PREFIX_FILE.fullmatch(entry.name) and entry.is_file():
                        return Path(entry.path)
        except OSError as error:
            raise CorpusError(
                f"The breach corpus folder {self.path} cannot be read ({error.strerror})."
            ) from None
        return None

    def _read_prefix_file(self, file: Path) -> SuffixCounts:
        try:
            with file.open("r", encoding="ascii", newline="") as handle:
                text = handle.read()
            # The downloader never writes an empty prefix file: one is a download cut short,
            # and reading it as "no breached password here" would call unknown clean.
            counts = parse_range_lines(text.split("\n")) if text.strip() else None
        except (UnicodeDecodeError, ValueError):
            counts = None
        except OSError as error:
            raise CorpusError(
                f"The breach corpus file {file} cannot be read ({error.strerror})."
            ) from None
        if counts is None:
            raise CorpusError(
                f"The breach corpus file {file} is not in the format: "
                "expected lines like 0005AD76BD555C1D6D771DE417A4B87E4B4:10."
            )
        return counts

    def lookup_many(
        self, prefixes: Sequence[str], on_done: PrefixDone | None = None
    ) -> dict[str, RangeResult]:
        """CorpusError if a prefix file is not in the format (a bad corpus is exit 2)."""
        results: dict[str, RangeResult] = {}
        for prefix in check_prefixes(prefixes):
            file = self._prefix_file(prefix)
            results[prefix] = (
                RangeResult.known(self._read_prefix_file(file))
                if file
                else RangeResult.unknown(CORPUS_INCOMPLETE)
            )
            if on_done:
                on_done(prefix)
        return results

    def _prefix_file(self, prefix: str) -> Path | None:
        for name in (f"{prefix}.txt", f"{prefix.lower()}.txt"):
            candidate = self.path / name
            if candidate.is_file():
                return candidate
        return None


#: Bytes read at a time by `verify_corpus_file`.
_VERIFY_CHUNK = 4 * 1024 * 1024
#: Where verified corpus files are remembered, in the data folder.
VERIFIED_FILE = "corpus-verified.json"
#: Told (bytes done, bytes in all) while a corpus is verified.
VerifyProgress = Callable[[int, int], None]


def verify_corpus_file(path: Path, progress: VerifyProgress | None = None) -> int:
    """Every line of a single-file corpus checked in one pass: the format and the order of
    all of them, which a look-up (that reads only near the hashes it looks for) cannot see.
    Returns the number of lines; CorpusError naming the first wrong line."""
    source = CorpusFileSource(path)  # the open-time checks, and CorpusError if not a file
    try:
        return source.verify_all(progress)
    finally:
        source.close()


def remembered(path: Path, folder: Path) -> bool:
    """Whether `verify_corpus_file` passed for this file as it is now (same size and time)."""
    key, stamp = _stamp(path)
    return _records(folder).get(key) == stamp


def remember(path: Path, folder: Path) -> None:
    """Note that `path` passed, for its present size and modification time."""
    key, stamp = _stamp(path)
    records = _records(folder)
    records[key] = stamp
    target = folder / VERIFIED_FILE
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(records, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, target)


def _stamp(path: Path) -> tuple[str, dict[str, int]]:
    info = path.stat()
    return str(path.resolve()), {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _records(folder: Path) -> dict[str, Any]:
    try:
        records = json.loads((folder / VERIFIED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}
