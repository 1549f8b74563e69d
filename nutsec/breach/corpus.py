"""Offline breach corpus: the Pwned Passwords downloader's sorted single file (binary search with
seek + read, constant memory whatever its size) or its folder of per-prefix files."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

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

    def _first_at_or_after(self, prefix: bytes) -> int:
        """Byte offset of the first line whose hash is >= `prefix` (or the file size).

        Every probe checks what the search relies on there: the line is in the format, is not a
        blank line before the end, and is in order with the line after it. A file broken exactly
        where it is read is then a bad corpus, never a breached password reported "not found".
        """
        low, high = 0, self._size
        while low < high:
            middle = (low + high) // 2
            start, line = self._line_from(middle)
            key = self._checked_key(start, line)
            if key is None or key[:5] >= prefix:
                high = middle
            else:
                low = middle + 1
        start, _ = self._line_from(low)
        return start

    def _checked_key(self, start: int, line: bytes) -> bytes | None:
        """The hash of the line at `start` (None: the end of the file), after checking the line
        and that the next one does not sort before it."""
        if not line.strip():
            self._require_end(start)
            return None
        key, _ = self._parse(line, start)
        following_start = start + len(line)
        following = self._file.readline(_MAX_LINE + 2)
        if following.strip():
            following_key, _ = self._parse(following, following_start)
            if following_key < key:
                raise self._bad_line(following_start, "it is out of order")
        elif following:
            self._require_end(following_start)
        return key

    def _require_end(self, start: int) -> None:
        """A blank line is only allowed as the file's last bytes (a trailing newline)."""
        self._file.seek(start)
        rest = self._file.read(8)
        if rest.strip() or self._size - start > 8:
            raise self._bad_line(start, "it is blank, and blank lines break the search")

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
            results[prefix] = RangeResult.known(self._range(prefix.encode("ascii")))
            if on_done:
                on_done(prefix)
        return results

    def _range(self, prefix: bytes) -> SuffixCounts:
        """The prefix's lines, with the lines around them checked for order: a line of this
        range misplaced a little earlier or later would otherwise be missed by the search."""
        start = self._first_at_or_after(prefix)
        self._check_window_before(start, prefix)
        self._file.seek(start)
        pairs: list[tuple[str, int]] = []
        previous = b""
        offset = start
        after = 0
        while after < _WINDOW_LINES:
            line = self._file.readline(_MAX_LINE + 2)
            if not line:
                break
            if not line.strip():
                self._require_end(offset)
                break
            key, count = self._parse(line, offset)
            if key < previous or (after and key[:5] == prefix):
                raise self._bad_line(offset, "it is out of order")
            previous = key
            offset += len(line)
            if key[:5] == prefix:
                pairs.append((key[5:].decode("ascii"), count))
            else:
                after += 1
        return SuffixCounts(pairs)

    def _check_window_before(self, start: int, prefix: bytes) -> None:
        """The lines just before the range must be in order and sort before it."""
        if start <= 0:
            return
        back = max(0, start - _WINDOW_LINES * (_MAX_LINE // 2))
        self._file.seek(back)
        window = self._file.read(start - back)
        offset = back
        if back > 0:  # the first piece is the end of a line that started earlier
            cut = window.find(b"\n") + 1
            window, offset = window[cut:], back + cut
        previous = b""
        for line in window.splitlines(keepends=True):
            if not line.strip():
                raise self._bad_line(offset, "it is blank, and blank lines break the search")
            key, _ = self._parse(line, offset)
            if key < previous or key[:5] >= prefix:
                raise self._bad_line(offset, "it is out of order")
            previous = key
            offset += len(line)


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
