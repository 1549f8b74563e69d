"""A non-editable install carries the shipped checklists and the console script."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("nutsec-*.whl")
    return built


def test_wheel_contains_every_shipped_checklist(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.name for p in (REPO / "checklists").glob("*.toml"))
    inside = sorted(
        n.rsplit("/", 1)[1] for n in names if n.startswith("nutsec/_shipped/checklists/")
    )
    assert inside == shipped
    assert "nutsec/audit/password_checks.toml" in names
    # the report templates and the lost-device card's wording are data the code loads
    assert "nutsec/report/templates/report.html.j2" in names
    assert "nutsec/report/templates/report.md.j2" in names
    assert "nutsec/lostdevice/card.toml" in names
    assert "nutsec/lostdevice/platforms.toml" in names
    assert "nutsec/demo/sam.toml" in names  # the demo's made-up person and its narration
    assert "nutsec/demo/script.toml" in names


def test_installed_wheel_finds_checklists_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "NUTSEC_DATA_DIR": str(tmp_path / "d")}
    code = "from nutsec.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "checklist", "list", "--plain"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    located = subprocess.run(
        [sys.executable, "-c", "import nutsec; print(nutsec.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert located.stdout.startswith(str(target))
    for path in (REPO / "checklists").glob("*.toml"):
        assert path.stem in result.stdout
        assert str(target) in result.stdout
    # the installed wheel finds its templates: an HTML report of an audit built in memory
    code = (
        "from datetime import datetime, UTC; from nutsec.audit_data import Audit, Device;"
        "from nutsec.checklist.catalog import ChecklistCatalog;"
        "from nutsec.report.html_format import HtmlRenderer; from nutsec.report.model import"
        " build_report; from pathlib import Path;"
        "c = ChecklistCatalog.standard(Path('/nonexistent')).load('nut-social-media');"
        "a = Audit(c, datetime(2026, 1, 2, tzinfo=UTC), devices=(Device('P', 'phone'),));"
        "print(HtmlRenderer().render(build_report(a)))"
    )
    rendered = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert "google.com/android/find" in rendered.stdout


def test_wheel_ships_the_two_step_data_with_its_licence(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "nutsec/twofactor/sites.json" in names
    assert "nutsec/twofactor/LICENSE.md" in names


def test_wheel_ships_the_passkeys_data_with_its_licence(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "nutsec/passkeys/entries.json" in names
    assert "nutsec/passkeys/LICENSE.md" in names
