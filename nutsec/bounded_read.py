"""Reading a file a person named, with a size limit: `--answers /dev/zero` or a mistaken 4 GB file
must get a one-line error, not hang while memory fills (promise 5). Only regular files are read:
a FIFO would wait for ever for a writer, and a device may never end."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: Checklists and answers files are a few kilobytes; nothing real comes near this.
MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024

#: What callers show (as `OSError.strerror`) for a pipe, a device or a socket.
NOT_A_REGULAR_FILE = "it is a pipe or a device, not a saved file"


class FileTooLargeError(Exception):
    """The file holds more than the limit; callers turn this into their own NutsecError."""


class NotRegularFileError(OSError):
    """A FIFO, device or socket: an OSError, so every caller's existing handling names it."""


def open_regular_file(path: Path) -> int:
    """A descriptor open for reading on `path`, which must be a regular file; never blocks on a
    FIFO (opened non-blocking, then refused). IsADirectoryError for a folder."""
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # 0 on Windows, which has no FIFOs to fear
    flags = os.O_RDONLY | nonblocking | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(errno.EINVAL, NOT_A_REGULAR_FILE, str(path))
        if nonblocking:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes_at_most(path: Path, limit: int = MAX_TEXT_FILE_BYTES) -> bytes:
    """The file's bytes, reading no more than `limit` + 1 of them; OSError as `open` raises it
    (NotRegularFileError, an OSError, for anything but a regular file)."""
    with open(open_regular_file(path), "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(path)
    return data


def too_large_text(limit: int = MAX_TEXT_FILE_BYTES) -> str:
    """The words every caller uses after the file's name, so the limit reads the same everywhere."""
    return f"is too large (over {limit // (1024 * 1024)} MB); is it the right file?"
