"""The README shows the real `nutsec --help` (sqlite-utils style): docs that cannot drift.

NUTSEC_UPDATE_DOCS=1 rewrites the README's usage block from the installed command.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

NUTSEC = str(Path(sys.executable).parent / "nutsec")
README = REPO / "README.md"
START = "```\n$ nutsec --help\n"


def help_output(*command: str) -> str:
    """What a person sees in an 80-column terminal."""
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    result = subprocess.run(
        [NUTSEC, *command, "--help"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_readme_usage_block_is_the_real_help() -> None:
    text = README.read_text(encoding="utf-8")
    head, found, rest = text.partition(START)
    assert found, "README.md has no '$ nutsec --help' block"
    documented, _, tail = rest.partition("```\n")
    real = help_output()
    if os.environ.get("NUTSEC_UPDATE_DOCS") == "1":
        README.write_text(f"{head}{START}{real}```\n{tail}", encoding="utf-8")
        documented = real
    assert documented == real, (
        "README.md's usage block is out of date: run NUTSEC_UPDATE_DOCS=1 pytest tests/test_docs.py"
    )


@pytest.mark.parametrize(
    "command", [(), ("checklist",), ("password",), ("passwords",), ("config",), ("breach",)]
)
def test_command_lists_fit_80_columns_without_cutting_a_description(
    command: tuple[str, ...],
) -> None:
    text = help_output(*command)
    listed = text.partition("\nCommands:\n")[2]
    assert listed, f"no command list in 'nutsec {' '.join(command)} --help'"
    for line in listed.splitlines():
        assert not line.rstrip().endswith("..."), f"description cut short: {line!r}"
        assert len(line) <= 80, f"wider than 80 columns: {line!r}"


def test_every_command_the_readme_names_answers_help() -> None:
    """The README never names a command that does not exist."""
    named = set(re.findall(r"`nutsec ([a-z][a-z-]*(?: [a-z][a-z-]*)?)", README.read_text("utf-8")))
    assert {"audit", "history", "password check", "checklist list"} <= named
    for command in sorted(named):
        assert help_output(*command.split()).startswith("Usage: nutsec "), command
