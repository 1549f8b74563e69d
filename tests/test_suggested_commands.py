"""Every command nutsec suggests can be typed as shown: before the environment is activated, it
names the program as the person started it (`.venv/bin/nutsec ...`), quoted for their shell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nutsec.cli.console import nutsec_command, shell_word

SCRIPT = Path(sys.executable).parent / "nutsec"


@pytest.mark.parametrize(
    ("typed", "on_path", "platform", "shown"),
    [
        ("nutsec", "/venv/bin/nutsec", "linux", "nutsec"),
        (".venv/bin/nutsec", "", "linux", ".venv/bin/nutsec"),
        ("/home/jo/my files/.venv/bin/nutsec", "", "linux", "'/home/jo/my files/.venv/bin/nutsec'"),
        (".venv\\Scripts\\nutsec.exe", "", "win32", ".venv\\Scripts\\nutsec"),
        (
            "C:\\Users\\Jo Bloggs\\nutsec\\.venv\\Scripts\\nutsec.exe",
            "",
            "win32",
            '"C:\\Users\\Jo Bloggs\\nutsec\\.venv\\Scripts\\nutsec"',
        ),
        ("/usr/lib/python3/pytest", "", "linux", "nutsec"),  # run from Python (tests, -m)
    ],
)
def test_the_program_is_named_as_the_person_can_start_it(
    typed: str, on_path: str, platform: str, shown: str
) -> None:
    assert nutsec_command(typed, which=on_path, platform=platform) == shown


def test_a_name_with_spaces_is_quoted_for_each_shell() -> None:
    assert shell_word("My iPhone", platform="linux") == "'My iPhone'"
    assert shell_word("My iPhone", platform="win32") == '"My iPhone"'


def test_a_report_started_by_its_path_suggests_that_path(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('[[devices]]\nname = "Phone"\nkind = "phone"\n', encoding="utf-8")
    env = {"NUTSEC_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    audit = subprocess.run(
        [str(SCRIPT), "audit", "--answers", str(answers), "--offline"],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert audit.returncode == 0, audit.stderr
    # nutsec is not on this PATH: the hint names the program as it was started.
    assert f"{SCRIPT} report latest --format html --name 'Your name' -o report.html" in audit.stdout
    report = subprocess.run(
        [str(SCRIPT), "report"], capture_output=True, text=True, timeout=120, check=False, env=env
    )
    assert report.returncode == 0, report.stderr
    assert f"{SCRIPT} report --full" in report.stdout
