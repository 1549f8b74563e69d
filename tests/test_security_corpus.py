"""Security review, issue 14 (wrong answers): an offline corpus broken where the binary search
looks is a bad corpus (exit 2, naming the file and where), never a breached password reported
"not found"; a folder missing this prefix's file is "corpus incomplete"; a FIFO never hangs."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from nutsec.breach.corpus import CorpusFileSource, CorpusFolderSource, open_corpus
from nutsec.breach.model import BreachResult, BreachStatus
from nutsec.errors import CorpusError
from nutsec.secret import Secret

NUTSEC = str(Path(sys.executable).parent / "nutsec")
BREACHED = "Summer2024!"


def sha1(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


def corpus_lines(size: int = 3_000) -> list[str]:
    rng = random.Random(11)
    hashes = {f"{rng.getrandbits(160):040X}" for _ in range(size)}
    hashes.add(sha1(BREACHED))
    return [f"{h}:{rng.randint(1, 99)}" for h in sorted(hashes)]


def target_index(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(sha1(BREACHED)))


def not_a_wrong_answer(path: Path) -> None:
    """Either the file is refused as a bad corpus, or the breached password is found."""
    try:
        source = open_corpus(path)
        result = source.check(Secret(BREACHED))
    except CorpusError as error:
        assert str(path) in str(error)
        assert "byte" in str(error) or "sorted" in str(error)
        return
    assert result.status is BreachStatus.FOUND, f"breached password reported {result}"


def test_a_blank_line_before_the_block_is_a_bad_corpus_not_not_found(tmp_path: Path) -> None:
    lines = corpus_lines()
    at = target_index(lines)
    for gap in range(0, 40):  # wherever the search probes, the blank line is noticed
        broken = [*lines[: at - gap], "", *lines[at - gap :]]
        path = tmp_path / f"blank-{gap}.txt"
        path.write_text("\n".join(broken) + "\n")
        not_a_wrong_answer(path)


def test_lines_locally_out_of_order_are_a_bad_corpus_not_not_found(tmp_path: Path) -> None:
    lines = corpus_lines()
    at = target_index(lines)
    for distance in range(1, 40):
        broken = list(lines)
        # The breached line moved a little earlier: the search could land just after it.
        broken.insert(at - distance, broken.pop(at))
        path = tmp_path / f"order-{distance}.txt"
        path.write_text("\n".join(broken) + "\n")
        not_a_wrong_answer(path)
    swapped = list(lines)
    swapped[at], swapped[at + 1] = swapped[at + 1], swapped[at]
    path = tmp_path / "swapped.txt"
    path.write_text("\n".join(swapped) + "\n")
    not_a_wrong_answer(path)


def test_a_trailing_newline_or_two_is_still_a_good_corpus(tmp_path: Path) -> None:
    path = tmp_path / "good.txt"
    path.write_text("\n".join(corpus_lines()) + "\n\n")
    assert CorpusFileSource(path).check(Secret(BREACHED)).status is BreachStatus.FOUND


def test_a_bad_corpus_is_exit_2_with_one_line_naming_the_file(tmp_path: Path) -> None:
    lines = corpus_lines()
    at = target_index(lines)
    path = tmp_path / "blank.txt"
    path.write_text("\n".join([*lines[:at], "", *lines[at:]]) + "\n")
    done = subprocess.run(
        [NUTSEC, "password", "check", "--stdin", "--hibp-corpus", str(path)],
        input=BREACHED + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, "NUTSEC_DATA_DIR": str(tmp_path / "data"), "NO_COLOR": "1"},
        timeout=60,
    )
    assert done.returncode == 2, done.stdout
    assert str(path) in done.stderr and "byte" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert BREACHED not in done.stdout + done.stderr


def test_a_folder_missing_this_prefix_is_corpus_incomplete_never_not_found(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "ranges"
    folder.mkdir()
    (folder / "00000.txt").write_text("0005AD76BD555C1D6D771DE417A4B87E4B4:10\n")
    source = CorpusFolderSource(folder)
    assert source.check(Secret(BREACHED)) == BreachResult.unknown("corpus incomplete")


def test_a_folder_with_no_prefix_files_is_a_bad_corpus(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "readme.txt").write_text("hello\n")
    with pytest.raises(CorpusError, match="has no prefix files"):
        open_corpus(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_given_as_corpus_is_refused_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "corpus.fifo"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match="not a regular file"):
        open_corpus(fifo)
