"""One session per audit: a lock file per audit (`audit-<id>.lock` beside the database) holding
who has the audit open (process id, computer, since when).

The lock itself is the operating system's (`flock`) on that file, so it ends with the process
however the process ends: a lock left by a killed nutsec is simply taken over, with no guessing
from process ids. The file's text is only there to tell the second session who holds it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from nutsec.errors import StoreError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def lock_path(folder: Path, audit_id: int) -> Path:
    return folder / f"audit-{audit_id}.lock"


@dataclass
class AuditLock:
    """A held lock; `release` (or the process ending) lets the next session take it."""

    path: Path
    fd: int | None

    @classmethod
    def take(cls, folder: Path, audit_id: int) -> AuditLock:
        """The lock for `audit_id`, or StoreError saying who holds it."""
        try:
            import fcntl
        except ImportError:  # Windows: no flock; one session per audit is not enforced there
            return cls(lock_path(folder, audit_id), None)
        path = lock_path(folder, audit_id)
        for _ in range(5):  # the file may be removed between opening and locking: try again
            fd = _open(path)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = _holder(fd)
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise _held_elsewhere(audit_id, holder) from None
                raise StoreError(
                    f"Cannot lock audit {audit_id} ({path}): {exc.strerror}."
                ) from None
            if _same_file(fd, path):
                _write_holder(fd)
                return cls(path, fd)
            os.close(fd)  # locked a file another session had just removed
        raise StoreError(f"Cannot lock audit {audit_id}: its lock file keeps changing ({path}).")

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # while still locked: no one can be waiting on this inode
        os.close(self.fd)
        self.fd = None


def held_lock_ids(folder: Path) -> list[int]:
    """The audit ids of the lock files in `folder` (an audit being created may have one before
    its id can be read back)."""
    ids = []
    for path in folder.glob("audit-*.lock"):
        number = path.name[len("audit-") : -len(".lock")]
        if number.isdigit():
            ids.append(int(number))
    return ids


def _open(path: Path) -> int:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError(
                f"{path} is a link to somewhere else, so nutsec will not use it. Move the link "
                "away (the file it points to was not touched), then try again."
            ) from None
        raise StoreError(f"Cannot create the lock file {path}: {exc.strerror}.") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StoreError(f"The lock file {path} is not an ordinary file. Move it away.")
    return fd


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)


def _write_holder(fd: int) -> None:
    text = json.dumps(
        {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, text.encode("utf-8"), 0)


def _holder(fd: int) -> dict[str, object]:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _held_elsewhere(audit_id: int, holder: dict[str, object]) -> StoreError:
    who = "another nutsec"
    pid, host, since = holder.get("pid"), holder.get("host"), holder.get("since")
    if isinstance(pid, int):
        who += f" (process {pid}"
        if isinstance(host, str) and host:
            who += f" on {host[:60]}"
        who += ")"
    when = f", open since {_local_time(since)}" if isinstance(since, str) else ""
    return StoreError(
        f"Audit {audit_id} is open in {who}{when}. Carry on there (or close it) so no answer is "
        f"lost; to look at it meanwhile without changing it: nutsec report {audit_id} --full"
    )


def _local_time(stamp: str) -> str:
    """'14:05 on 30 November 2026' in this computer's time, from the holder's UTC stamp."""
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return "earlier"
    return f"{moment:%H:%M} on {moment.day} {moment:%B %Y}"
