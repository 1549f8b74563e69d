"""Plain output (--plain, NO_COLOR) is clean text: no trailing blanks, wrapped lines indented.

Screen readers announce trailing blanks and copied text keeps them; rich pads wrapped lines and
tables with spaces unless nutsec trims them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nutsec.checklist.catalog import ChecklistCatalog
from nutsec.checklist.model import AnswerStatus
from tests.test_audit_cli import answers_toml

NUTSEC = str(Path(sys.executable).parent / "nutsec")
DEFAULT = ChecklistCatalog.standard(Path("/nonexistent")).load("nut-social-media")


def run(*args: str, stdin: str = "", data: Path) -> str:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1", "COLUMNS": "80"}
    result = subprocess.run(
        [NUTSEC, *args], input=stdin, capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def worst_audit(tmp_path: Path, private_data_dir: Path) -> str:
    """A scripted audit whose summary has three long actions to wrap."""
    path = tmp_path / "worst.toml"
    path.write_text(answers_toml(DEFAULT, AnswerStatus.FAIL), encoding="utf-8")
    return run("audit", "--answers", str(path), "--offline", data=private_data_dir)


@pytest.mark.parametrize(
    "args",
    [
        ("checklist", "show", "nut-social-media"),
        ("checklist", "list"),
        ("history",),
        ("password", "check", "--stdin", "--offline"),
    ],
    ids=" ".join,
)
def test_plain_output_has_no_trailing_blanks(
    args: tuple[str, ...], worst_audit: str, private_data_dir: Path
) -> None:
    out = run(*args, stdin="Summer2024!\n", data=private_data_dir)
    assert out.strip()
    assert [line for line in out.splitlines() if line != line.rstrip()] == []


def test_the_summary_gives_each_action_one_line_within_80_columns(worst_audit: str) -> None:
    lines = worst_audit.splitlines()
    assert [line for line in lines if line != line.rstrip()] == []
    assert all(len(line) <= 80 for line in lines)
    start = lines.index("Start with these:")
    end = next(n for n, line in enumerate(lines) if line.startswith("Saved as audit"))
    actions = lines[start + 1 : end]
    # One line each, so the whole end fits one 80x24 screen.
    assert [line[:5] for line in actions] == ["  1. ", "  2. ", "  3. "], actions
