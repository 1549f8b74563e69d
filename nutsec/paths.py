"""Where nutsec keeps its files: NUTSEC_DATA_DIR, or the platform's per-user data folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from nutsec.errors import NutsecError

DATA_DIR_ENV = "NUTSEC_DATA_DIR"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder (not created): NUTSEC_DATA_DIR if set, else the user data dir."""
    env = os.environ if environ is None else environ
    configured = env.get(DATA_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("nutsec", appauthor=False))


def ensure_private_dir(path: Path, platform: str = sys.platform) -> Path:
    """Create `path` if needed and make it readable by the user only (0700).

    On Windows, file modes do not decide who can read a file (chmod there only sets the
    read-only flag): the folder is private because it is inside the user's own profile
    (platformdirs: %LOCALAPPDATA%), whose access list lets in only that user, the system and
    administrators, and a new folder inherits that list.
    """
    if path.exists() and not path.is_dir():
        raise NutsecError(f"Cannot use the folder {path}: it is a file, not a folder.")
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        if platform != "win32":
            os.chmod(path, 0o700)
    except OSError as exc:
        raise NutsecError(f"Cannot use the folder {path}: {exc.strerror}.") from None
    return path
