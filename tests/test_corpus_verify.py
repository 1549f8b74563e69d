"""`nutsec breach verify-corpus` (issue 22): a single-file corpus with one line moved far from its
place reads that password as "not found" in a look-up (binary search cannot see it); the
one-time verify reads every line, names the moved one, and remembers a good file for its size
and time."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from nutsec.breach.corpus import CorpusFileSource, remembered
from nutsec.breach.model import BreachStatus
from nutsec.secret import Secret
from tests.test_security_corpus import BREACHED, NUTSEC, corpus_lines, target_index


def _verify(path: Path, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NUTSEC, "breach", "verify-corpus", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1"},
    )  # fmt: skip


def test_a_corpus_with_one_line_moved_far_from_its_place_is_caught_by_verify(
    tmp_path: Path,
) -> None:
    lines = corpus_lines()
    at = target_index(lines)
    moved = lines.pop(at)
    far = 10 if at > len(lines) // 2 else len(lines) - 10
    lines.insert(far, moved)
    path = tmp_path / "moved.txt"
    path.write_text("\n".join(lines) + "\n")
    # What a look-up cannot catch (docs/security.md): the search never reads that far line.
    assert CorpusFileSource(path).check(Secret(BREACHED)).status is BreachStatus.NOT_FOUND
    done = _verify(path, tmp_path / "data")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert str(path) in done.stderr and "out of order" in done.stderr
    assert not remembered(path, tmp_path / "data")


def test_a_good_corpus_is_verified_once_and_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "good.txt"
    path.write_text("\r\n".join(corpus_lines()) + "\r\n")
    done = _verify(path, tmp_path / "data")
    assert done.returncode == 0 and "are in order" in done.stdout, done.stderr
    assert remembered(path, tmp_path / "data")
    again = _verify(path, tmp_path / "data")
    assert again.returncode == 0 and "checked already" in again.stdout
    with path.open("a") as more:
        more.write("F" * 40 + ":1\r\n")
    assert not remembered(path, tmp_path / "data")
    assert "are in order" in _verify(path, tmp_path / "data").stdout


def test_verify_corpus_refuses_a_folder_with_one_line(tmp_path: Path) -> None:
    done = _verify(tmp_path, tmp_path / "data")
    assert done.returncode == 2 and "folder" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
