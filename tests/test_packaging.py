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
