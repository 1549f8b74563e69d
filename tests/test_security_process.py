"""Security review, issue 14: a command that handles secrets cannot leave them in a core dump,
and on Linux no other program of the same user may read its memory (not dumpable)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

NUTSEC = str(Path(sys.executable).parent / "nutsec")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")


def _core_limit(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max core file size"):
            return " ".join(line.split()[4:6])
    raise AssertionError("no core limit in /proc/<pid>/limits")


SECRET_COMMANDS = [["password", "check", "--stdin", "--offline"], ["passwords", "audit", "-"]]


@linux_only
@pytest.mark.parametrize("args", SECRET_COMMANDS)
def test_a_command_holding_a_password_allows_no_core_dump(args: list[str], tmp_path: Path) -> None:
    """The installed command, seen from outside while it waits for the password."""
    env = {**os.environ, "NUTSEC_DATA_DIR": str(tmp_path / "data"), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [NUTSEC, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 20
        limit = ""
        while time.monotonic() < deadline and limit != "0 0":
            limit = _core_limit(process.pid)
            time.sleep(0.05)
        assert limit == "0 0", "core dumps are still allowed while the password is in memory"
    finally:
        process.kill()
        process.wait()


@linux_only
@pytest.mark.parametrize("args", SECRET_COMMANDS)
def test_a_command_holding_a_password_is_not_dumpable(args: list[str], tmp_path: Path) -> None:
    """The real command line, asked from inside as it ends: tests run as root here, where the
    outward sign (/proc/<pid> owned by root) cannot be told apart, and `nobody` cannot run this
    Python (it lives under /root)."""
    code = (
        "import atexit, sys\n"
        "from nutsec.process_guard import is_dumpable\n"
        "atexit.register(lambda: print('dumpable', is_dumpable(), file=sys.stderr))\n"
        "from nutsec.cli import main\n"
        f"sys.argv = ['nutsec', *{args!r}]\n"
        "main()\n"
    )
    env = {**os.environ, "NUTSEC_DATA_DIR": str(tmp_path / "data"), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        input="Correct-Horse-Battery-1\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "dumpable False" in done.stderr


@linux_only
def test_hardening_is_visible_from_inside_the_process() -> None:
    code = (
        "import resource; from nutsec.process_guard import harden_process, is_dumpable; "
        "harden_process(); print(resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "(0, 0) False"


def test_hardening_twice_never_raises() -> None:
    # Lowering a limit that is already 0 and switching dumpable off again are both no-ops.
    code = "from nutsec.process_guard import harden_process as h; h(); h(); print('ok')"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "ok"
