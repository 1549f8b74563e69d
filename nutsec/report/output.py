"""Writing an output file (`-o FILE` of every command): whole or not at all, readable by the user
only (promises 4 and 5), and never over the saved audits or a file the command reads."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from nutsec.errors import NutsecError
from nutsec.paths import check_output_path


def write_report_file(path: Path, text: str, *, inputs: Iterable[Path | str | None] = ()) -> None:
    """Write `text` to `path` via a private temp file in the same folder and one rename.

    Refused (NutsecError) inside the data folder, or over any of `inputs` (the files the
    command read, "-" for standard input) by any name or link. Commands that work long before
    writing call `check_output_path` with the same inputs first, so they stop at once.
    """
    check_output_path(path, inputs=inputs)
    if path.exists() and not path.is_file():
        # A rename would replace a device, pipe or folder (as root, even /dev/stdout) with a file.
        raise NutsecError(
            f"Cannot write {path}: it is not an ordinary file. "
            "Leave out -o to show the report on the screen."
        )
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise NutsecError(f"Cannot write {path}: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise NutsecError(f"Cannot write {path}: {exc.strerror}.") from None
