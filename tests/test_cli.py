"""The command line: every command has help, errors are one line with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nutsec import __version__
from nutsec.cli import app
from tests.conftest import DOCS, toml_block

runner = CliRunner()

COMMANDS = [
    ["audit"],
    ["report"],
    ["history"],
    ["password", "check"],
    ["passwords", "audit"],
    ["lost-device"],
    ["demo"],
    ["checklist", "list"],
    ["checklist", "show"],
    ["checklist", "validate"],
    ["config", "show"],
    ["config", "set-hibp-key"],
    ["config", "keyring-status"],
    ["breach", "account"],
]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"nutsec {__version__}"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: nutsec " + " ".join(command) in " ".join(result.output.split())


def test_unknown_command_is_exit_2() -> None:
    assert runner.invoke(app, ["frobnicate"]).exit_code == 2


def test_validate_accepts_the_doc_example(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("example.toml", toml_block(DOCS / "checklist-format.md"))
    result = runner.invoke(app, ["checklist", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid checklist 'tiny-example'" in result.output


def test_validate_names_every_problem_and_exits_2(write_file: Callable[[str, str], Path]) -> None:
    text = toml_block(DOCS / "checklist-format.md")
    text = text.replace('severity = "critical"', 'severity = "dire"')
    text = text.replace("weight = 4", "weight = 0")
    path = write_file("broken.toml", text)
    result = runner.invoke(app, ["checklist", "validate", str(path)])
    assert result.exit_code == 2
    assert "(2 problems)" in result.output
    assert "item 'device.screen-lock': unknown severity 'dire'" in result.output
    assert "item 'account.two-factor': weight must be a whole number above 0" in result.output
    assert "Traceback" not in result.output


def test_show_json_has_the_contract_shape(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("example.toml", toml_block(DOCS / "checklist-format.md"))
    result = runner.invoke(app, ["checklist", "show", str(path), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {"id", "title", "version", "sections"} <= data.keys()
    first = data["sections"][0]["items"][0]
    assert {"id", "scope", "question", "severity", "weight", "answers"} <= first.keys()
    assert first["answers"] == {"yes": "pass", "no": "fail", "not_sure": "fail"}


def test_show_text_teaches(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("example.toml", toml_block(DOCS / "checklist-format.md"))
    result = runner.invoke(app, ["checklist", "show", str(path), "--plain"])
    assert result.exit_code == 0
    assert "Why it matters: Without a lock" in result.output
    assert "What to do: Open Settings" in result.output
    assert "asked for each device" in result.output


def test_unknown_checklist_name_is_exit_2() -> None:
    result = runner.invoke(app, ["checklist", "show", "no-such-list"])
    assert result.exit_code == 2 and "No checklist called 'no-such-list'" in result.output


def test_user_checklists_are_listed(private_data_dir: Path) -> None:
    own = private_data_dir / "checklists"
    own.mkdir(parents=True)
    (own / "mine.toml").write_text(toml_block(DOCS / "checklist-format.md"), encoding="utf-8")
    result = runner.invoke(app, ["checklist", "list", "--plain"])
    assert result.exit_code == 0
    assert "mine (yours)" in result.output and "A tiny example checklist" in result.output
    assert runner.invoke(app, ["checklist", "validate", "mine"]).exit_code == 0


def test_installed_console_script_runs(tmp_path: Path) -> None:
    """The real `nutsec` script, run from an unrelated folder, finds the shipped checklists."""
    script = Path(sys.executable).with_name("nutsec")
    result = subprocess.run(
        [str(script), "checklist", "list", "--plain"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    from nutsec.checklist.catalog import shipped_dir

    for path in shipped_dir().glob("*.toml"):
        assert path.stem in result.stdout
    bad = subprocess.run(
        [str(script), "checklist", "validate", str(tmp_path / "missing.toml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from nutsec.cli import main\n"
        "sys.argv = ['nutsec', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('zxcvbn', 'requests', 'keyring') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert "HEAVY []" in result.stderr, result.stderr


def test_keyboard_interrupt_exits_130() -> None:
    probe = typer.Typer()
    from nutsec.cli import NutsecGroup

    probe = typer.Typer(cls=NutsecGroup)

    @probe.command()
    def stop() -> None:
        raise KeyboardInterrupt

    @probe.command()
    def other() -> None:
        pass

    result = runner.invoke(probe, ["stop"])
    assert result.exit_code == 130
