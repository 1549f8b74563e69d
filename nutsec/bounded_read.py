"""Reading a file a person named, with a size limit: `--answers /dev/zero` or a mistaken 4 GB file
must get a one-line error, not hang while memory fills (promise 5)."""

from __future__ import annotations

from pathlib import Path

#: Checklists and answers files are a few kilobytes; nothing real comes near this.
MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024


class FileTooLargeError(Exception):
    """The file holds more than the limit; callers turn this into their own NutsecError."""


def read_bytes_at_most(path: Path, limit: int = MAX_TEXT_FILE_BYTES) -> bytes:
    """The file's bytes, reading no more than `limit` + 1 of them; OSError as `open` raises it."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(path)
    return data


def too_large_text(limit: int = MAX_TEXT_FILE_BYTES) -> str:
    """The words every caller uses after the file's name, so the limit reads the same everywhere."""
    return f"is too large (over {limit // (1024 * 1024)} MB); is it the right file?"
