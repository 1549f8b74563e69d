"""Issue 22: with `umask 000`, the folders nutsec makes above a new data folder (for example
~/.local/share) are not world-writable: anyone able to write there could swap the data folder
for their own. The installed `nutsec`, run with umask 000."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_security_bad_input import NUTSEC

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def _audit_with_umask_000(env: dict[str, str], answers: Path) -> None:
    result = subprocess.run(
        [NUTSEC, "audit", "--answers", str(answers), "--offline"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.umask(0),  # the umask is the point of the test
    )
    assert result.returncode == 0, result.stderr


def _modes(top: Path, data: Path) -> dict[str, int]:
    folders = [data, *[p for p in data.parents if top in p.parents or p == top]]
    return {str(f.relative_to(top.parent)): stat.S_IMODE(f.stat().st_mode) for f in folders}


def test_with_umask_000_the_folders_above_a_new_data_folder_are_not_world_writable(
    tmp_path: Path,
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\n")
    top = tmp_path / "new"
    data = top / "a" / "b" / "nutsec"
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1"}
    _audit_with_umask_000(env, answers)
    modes = _modes(top, data)
    assert modes.pop("new/a/b/nutsec") == 0o700
    assert modes == {"new": 0o755, "new/a": 0o755, "new/a/b": 0o755}
    assert stat.S_IMODE((data / "audits.sqlite3").stat().st_mode) == 0o600


def test_with_umask_000_the_default_data_folder_s_parents_are_not_world_writable(
    tmp_path: Path,
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text("[answers]\n")
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1"}
    for name in ("NUTSEC_DATA_DIR", "XDG_DATA_HOME"):
        env.pop(name, None)
    _audit_with_umask_000(env, answers)
    data = home / ".local" / "share" / "nutsec"
    modes = _modes(home / ".local", data)
    assert modes == {".local/share/nutsec": 0o700, ".local/share": 0o755, ".local": 0o755}
