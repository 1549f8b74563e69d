"""Where nutsec keeps its files: NUTSEC_DATA_DIR, or the platform's per-user data folder; and the
checks that keep a mistaken setting or an output path from harming what is kept there."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from nutsec.errors import NutsecError

DATA_DIR_ENV = "NUTSEC_DATA_DIR"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder (not created): NUTSEC_DATA_DIR if set, else the user data dir.

    NutsecError (exit 2) at once if it cannot be a folder: a file, /dev/null, a name too long,
    a folder of another user. Every command then says so the same way, rather than reading
    "no audits saved yet" from a folder it cannot open.
    """
    env = os.environ if environ is None else environ
    configured = env.get(DATA_DIR_ENV, "").strip()
    if configured:
        folder = Path(configured).expanduser()
    else:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("nutsec", appauthor=False))
    check_data_dir(folder)
    return folder


def check_data_dir(path: Path) -> None:
    """NutsecError if `path` exists but is not a folder this user can open; fine if absent."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise folder_error(path, exc) from None
    if not stat.S_ISDIR(mode):
        raise NutsecError(f"Cannot use the folder {_short(path)}: it is a file, not a folder.")
    if not os.access(path, os.R_OK | os.X_OK):
        raise folder_error(path, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))


def folder_error(path: Path, exc: OSError) -> NutsecError:
    """The one-line message for a data folder that cannot be used, in a person's words."""
    shown = _short(path)
    if isinstance(exc, PermissionError):
        return NutsecError(
            f"Cannot use the folder {shown}: you do not have permission to open it. It may "
            "belong to another user (for example after 'sudo nutsec ...'); set NUTSEC_DATA_DIR "
            "to a folder of your own, or ask for it to be given back to you."
        )
    if exc.errno == errno.ENAMETOOLONG:
        return NutsecError(
            f"Cannot use the folder {shown}: its name is too long for this system. "
            "Set NUTSEC_DATA_DIR to a shorter path."
        )
    if exc.errno in (errno.ENOTDIR, errno.ELOOP):
        return NutsecError(
            f"Cannot use the folder {shown}: part of its path is a file or a loop of links, "
            "not a folder."
        )
    return NutsecError(f"Cannot use the folder {shown}: {exc.strerror or 'it cannot be opened'}.")


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 120 else text[:60] + "…" + text[-50:]


def ensure_private_dir(path: Path, platform: str = sys.platform) -> Path:
    """Create `path` if needed and make it readable by the user only (0700).

    On Windows, file modes do not decide who can read a file (chmod there only sets the
    read-only flag): the folder is private because it is inside the user's own profile
    (platformdirs: %LOCALAPPDATA%), whose access list lets in only that user, the system and
    administrators, and a new folder inherits that list.
    """
    check_data_dir(path)
    try:
        _make_parents(path.parent)
        path.mkdir(exist_ok=True, mode=0o700)
        if platform != "win32":
            os.chmod(path, 0o700)
    except OSError as exc:
        raise folder_error(path, exc) from None
    return path


#: The folders made above a new data folder (~/.local/share, for example): others may open
#: them, never write in them, whatever the umask (`mkdir(parents=True)` gives 0777 with umask 000).
PARENT_MODE = 0o755


def _make_parents(folder: Path) -> None:
    """Create `folder` and the folders above it that are missing, each at most `PARENT_MODE`."""
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        try:
            each.mkdir(mode=PARENT_MODE)
        except FileExistsError:
            continue  # made meanwhile by another nutsec: fine
        # mkdir's mode is masked by the umask, which may allow more than this; never less.
        os.chmod(each, stat.S_IMODE(os.stat(each).st_mode) & PARENT_MODE)


def refuse_symlink(path: Path) -> None:
    """NutsecError if `path` is a symbolic link: nutsec's own files are never followed
    elsewhere (a link could point at another file, which would then be written or chmod-ed)."""
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise folder_error(path.parent, exc) from None
    if is_link:
        raise NutsecError(
            f"{_short(path)} is a link to somewhere else, so nutsec will not use it. Move the "
            "link away (the file it points to was not touched), then try again."
        )


def check_output_path(
    output: Path,
    *,
    inputs: Iterable[Path | str | None] = (),
    environ: Mapping[str, str] | None = None,
) -> None:
    """NutsecError if writing `output` could destroy what nutsec keeps or reads: any path in
    the data folder (the saved audits), or any file this command reads (`inputs`; "-" is
    standard input, which may be a file redirected in), by any name: another path to it, a
    hard link or a symbolic link is the same file (same device and inode)."""
    try:
        os.stat(output)
    except FileNotFoundError:
        pass
    except OSError as exc:  # a name too long, a loop of links, a folder that cannot be opened
        raise NutsecError(
            f"Cannot write {_short(output)}: {exc.strerror or 'it cannot be opened'}."
        ) from None
    target = _resolved(output)
    try:
        folder = _resolved(data_dir(environ))
    except NutsecError:
        folder = None
    if folder is not None and (target == folder or folder in target.parents):
        raise NutsecError(
            f"Will not write to {output}: it is inside nutsec's data folder ({folder}), where "
            "your saved audits are kept. Choose a file somewhere else, for example in your "
            "Documents folder."
        )
    written = _identity(output)
    for given in inputs:
        if given is None:
            continue
        if str(given) == "-":
            shown = "standard input"
            same = written is not None and written == _stdin_identity()
        else:
            shown = str(given)
            same = target == _resolved(Path(given)) or (
                written is not None and written == _identity(Path(given))
            )
        if same:
            raise NutsecError(
                f"Will not write to {output}: it is the file being read ({shown}). "
                "Choose another name for the output."
            )


def _identity(path: Path) -> tuple[int, int] | None:
    """The file `path` names, links followed, as (device, inode); None if there is none."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return (found.st_dev, found.st_ino)


def _stdin_identity() -> tuple[int, int] | None:
    """The file redirected into standard input (`< codes.txt`), if it is one."""
    try:
        found = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    if not stat.S_ISREG(found.st_mode):
        return None  # a terminal or a pipe: nothing on disk to destroy
    return (found.st_dev, found.st_ino)


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path.expanduser().absolute()
