"""What every `nutsec` command pays before it starts working (issue 20: the base cost a user
sees), and how it ends: the command line loads no library it does not use, and the process ends
without taking the interpreter apart, with its output, exit code and `atexit` callbacks intact.
The speed itself is measured by benchmarks/bench_user_commands.py, not here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

NUTSEC = str(Path(sys.executable).with_name("nutsec"))


def test_the_command_line_loads_no_library_it_does_not_use_yet() -> None:
    code = (
        "import sys, nutsec.cli\n"
        "print(' '.join(m for m in ('rich', 'requests', 'pydantic', 'pykeepass', 'zxcvbn',"
        " 'jinja2', 'flask', 'keyring', 'email.utils') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def _main(body: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('atexit ran', flush=True))\n"
        f"{body}\n"
        "from nutsec.cli import run\n"
        f"sys.argv = ['nutsec', *{list(args)!r}]\n"
        "run()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_console_script_is_run() -> None:
    """`run` (below) is what the installed `nutsec` calls; `main` raises SystemExit as usual."""
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "nutsec"]
    assert script.value == "nutsec.cli:run"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--version",), 0, "nutsec"),
        (("checklist", "show", "no-such-checklist"), 2, "no-such-checklist"),
        (("no-such-command",), 2, "No such command"),
    ],
)
def test_a_command_ends_with_its_output_exit_code_and_atexit_callbacks(
    args: tuple[str, ...], code: int, says: str
) -> None:
    done = _main("", *args)
    assert done.returncode == code, done.stderr
    assert says in done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("atexit ran")


def test_a_thread_still_running_gets_the_usual_exit() -> None:
    """Python's own exit waits for a thread that is not a daemon: nutsec does not cut it off."""
    body = (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.5), print('thread done', flush=True)))"
        ".start()"
    )
    done = _main(body, "--version")
    assert done.returncode == 0, done.stderr
    assert "thread done" in done.stdout and "atexit ran" in done.stdout


def test_output_to_a_closed_pipe_still_ends_quietly() -> None:
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    done = subprocess.run([NUTSEC, "checklist", "show", "nut-social-media"], stdout=reader.stdin)
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait(10)
    assert done.returncode in (0, 120, 141, 1), done.returncode
