"""Keep secrets out of core dumps and away from other processes of the same user.

A password lives in this process's memory while it is checked. A crash must not write that
memory to a core file, and on Linux no other program running as you (without root) may read it
through ptrace or /proc/<pid>/mem. Both are best effort: where the system offers neither, nothing
changes and nothing fails.
"""

from __future__ import annotations

import sys

#: prctl(2) option numbers from <linux/prctl.h>.
_PR_SET_DUMPABLE = 4
_PR_GET_DUMPABLE = 3


def harden_process() -> None:
    """No core dumps (RLIMIT_CORE 0) and, on Linux, not dumpable; never raises."""
    _no_core_dumps()
    if sys.platform.startswith("linux"):
        _not_dumpable()


def _no_core_dumps() -> None:
    try:
        import resource
    except ImportError:  # Windows: no core dumps to switch off this way
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        return


def _not_dumpable() -> None:
    """prctl(PR_SET_DUMPABLE, 0): also blocks ptrace and /proc/<pid>/mem for same-user programs."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError, TypeError):
        return


def is_dumpable() -> bool | None:
    """prctl(PR_GET_DUMPABLE) on Linux; None where it cannot be asked."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        answer = int(libc.prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0))
    except (OSError, AttributeError, TypeError):
        return None
    return None if answer < 0 else answer != 0
