"""SIGTERM and SIGHUP at an interactive command stop it the way Ctrl-C does.

Without this, `kill` (SIGTERM) or closing the terminal window (SIGHUP) ended nutsec at once:
no "Stopped" line, exit 143 or 129, the terminal left with echo off after a hidden prompt, and
`audit --no-save` leaving the audit on disk. With it, either signal raises KeyboardInterrupt in
the main thread, so every command's Ctrl-C path runs: answers saved (or, with --no-save,
deleted), the terminal's settings put back, exit 130.

When the terminal itself has gone (SIGHUP after the window closed), standard input and output
are pointed at the null device first, so that saying "Stopped" cannot fail on a dead terminal
and turn a clean stop into a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import threading
from types import FrameType

#: The signals that mean "stop now", by name (Windows has no SIGHUP).
STOP_SIGNALS = ("SIGTERM", "SIGHUP")

_installed = False


def stop_like_ctrl_c() -> None:
    """From now on, SIGTERM and SIGHUP raise KeyboardInterrupt, as Ctrl-C does. Once the command
    is stopping (for any of these, or Ctrl-D, or the terminal closing), later SIGTERMs and
    SIGHUPs are ignored, so the saving (or, with --no-save, the deleting) that follows is not
    cut short: the system's hang-up often comes just after the read that noticed it. Does
    nothing outside the main thread (only it may set signal handlers) or when already done."""
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    try:
        signal.signal(signal.SIGINT, _interrupted)
        for number in _stop_signal_numbers():
            signal.signal(number, _stop)
    except (ValueError, OSError):
        return
    _installed = True


def stopping() -> None:
    """The command is stopping: ignore SIGTERM and SIGHUP from now on (if they were taken)."""
    if not _installed:
        return
    for each in _stop_signal_numbers():
        with contextlib.suppress(ValueError, OSError):
            signal.signal(each, signal.SIG_IGN)


def _stop_signal_numbers() -> list[int]:
    return [number for name in STOP_SIGNALS if (number := getattr(signal, name, None)) is not None]


def _stop(number: int, frame: FrameType | None) -> None:
    stopping()
    if_the_terminal_has_gone()
    raise KeyboardInterrupt


def _interrupted(number: int, frame: FrameType | None) -> None:
    """Ctrl-C: as Python's own handler, but a SIGHUP or SIGTERM while saving is ignored (a
    second Ctrl-C still interrupts)."""
    stopping()
    raise KeyboardInterrupt


def if_the_terminal_has_gone() -> bool:
    """When the terminal has hung up, point standard input, output and error at the null
    device (so what follows can say "Stopped" without failing) and say True. Called by the
    signal handler and wherever a read from the terminal ends: after a hang-up the read may
    end before the SIGHUP handler runs."""
    if not terminal_gone():
        return False
    stopping()
    _use_the_null_device()
    return True


def terminal_gone() -> bool:
    """Whether standard error (or output) is a terminal that has hung up: writing to it, even
    nothing, fails with EIO (Linux and macOS). `os.isatty` cannot tell: it is False then."""
    for fd in (2, 1):
        try:
            os.write(fd, b"")
        except OSError as error:
            if error.errno in (errno.EIO, errno.ENXIO):
                return True
    return False


def _use_the_null_device() -> None:
    """Standard input, output and error become the null device: reads end, writes vanish."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    os.close(null)
