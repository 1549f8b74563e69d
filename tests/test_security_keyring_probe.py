"""Issue 22: opening the keyring runs no program. keyring's macOS backend, loaded on Linux, looked
for Apple's libraries with `ctypes.util.find_library`, which runs ldconfig, gcc and ld (leaving
their temp files) while a password may be in memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_security_bad_input import NUTSEC

#: Programs `ctypes.util.find_library` runs on Linux, as fakes that note being run.
COMPILERS = ("gcc", "cc", "ld", "ldconfig", "objdump", "x86_64-linux-gnu-gcc")

SPAWNS = """
import sys
spawned = []
sys.addaudithook(
    lambda event, args: spawned.append(event)
    if event in ("subprocess.Popen", "os.posix_spawn", "os.exec", "os.fork", "os.system")
    else None
)
from nutsec.keyring_safety import system_keyring
backend, problem = system_keyring()
print(type(backend).__module__, spawned)
"""


@pytest.fixture
def fake_compilers(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose PATH starts with the fakes, and the file they write to."""
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "ran.txt"
    for name in COMPILERS:
        fake = folder / name
        fake.write_text(f'#!/bin/sh\necho {name} >> "{record}"\nexit 1\n')
        fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    return env, record


@pytest.mark.skipif(sys.platform == "darwin", reason="on macOS the macOS backend is the right one")
@pytest.mark.parametrize(
    "command",
    [["config", "keyring-status"], ["history", "--forget", "--yes"]],
    ids=["keyring-status", "history-forget"],
)
def test_opening_the_keyring_runs_no_compiler(
    command: list[str], fake_compilers: tuple[dict[str, str], Path], private_data_dir: Path
) -> None:
    env, record = fake_compilers
    env["NUTSEC_DATA_DIR"] = str(private_data_dir)
    result = subprocess.run(
        [NUTSEC, *command, "--plain"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not record.exists(), f"ran: {record.read_text().split()}"


@pytest.mark.skipif(sys.platform == "darwin", reason="on macOS the macOS backend is the right one")
def test_opening_the_keyring_starts_no_process_at_all(
    fake_compilers: tuple[dict[str, str], Path],
) -> None:
    """ldconfig is run by its full path, so PATH cannot catch it: Python's audit events can."""
    env, _ = fake_compilers
    result = subprocess.run(
        [sys.executable, "-c", SPAWNS],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert result.stdout.split(" ", 1)[1].strip() == "[]", result.stdout
