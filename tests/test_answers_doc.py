"""docs/answers-file.md's example is a working answers file: it runs, and keeps what it says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nutsec.audit_data import Account, Device
from nutsec.store.sqlite import open_store
from tests.conftest import DOCS, toml_block

NUTSEC = str(Path(sys.executable).parent / "nutsec")


def test_the_documented_answers_file_runs_and_keeps_systems_and_providers(
    tmp_path: Path, private_data_dir: Path
) -> None:
    path = tmp_path / "me.toml"
    path.write_text(toml_block(DOCS / "answers-file.md"), encoding="utf-8")
    result = subprocess.run(
        [NUTSEC, "audit", "--answers", str(path), "--offline", "--plain"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "NUTSEC_DATA_DIR": str(private_data_dir)},
    )
    assert result.returncode == 0, result.stderr
    assert "Your score:" in result.stdout
    with open_store(private_data_dir) as store:
        audit = store.load(store.resolve("latest"))
    assert audit.devices == (
        Device("Work phone", "phone", "ios"),
        Device("Laptop", "laptop", "windows"),
    )
    assert audit.accounts == (
        Account("Work e-mail", "email", "", "work"),
        Account("Union Twitter", "twitter", "sam_rep", ""),
    )
    assert audit.answers[("device.updates", "Work phone")] == "too_old"
