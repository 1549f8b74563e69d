"""The installed `nutsec` run as a rep or trainer would, for the share and workshop tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NUTSEC = str(Path(sys.executable).parent / "nutsec")


def run_nutsec(
    *args: str, data: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`nutsec ARGS` with its own data folder, at the terminal's default width and colours."""
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data)}
    for name in ("COLUMNS", "NO_COLOR"):
        env.pop(name, None)
    return subprocess.run(
        [NUTSEC, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )
