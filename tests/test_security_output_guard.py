"""Issue 22 (data loss): `-o FILE` never writes over a file the command reads, whichever input it
is (workshop codes, the earlier codes of --compare, an export, a corpus, a file redirected into
standard input) and by whatever name (the same path, another path, a hard link, a symbolic
link). The installed `nutsec`, each file's bytes compared before and after."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from nutsec.checklist.model import ItemStatus
from nutsec.demo.script import demo_checklist
from nutsec.scoring import Band
from nutsec.share.code import SHARE_ID_BYTES, ShareCode, encode, items_for
from tests.test_security_bad_input import NUTSEC, assert_one_line_error, run_nutsec

EXPORT = "name,url,username,password\nMail,https://mail.example.org,sam,Summer2024!\n"


def _codes(count: int = 6) -> str:
    """`count` well-formed share codes of the demo checklist (everything done, so Strong)."""
    checklist = demo_checklist()
    outcomes = tuple([ItemStatus.PASS] * len(items_for(checklist)))
    return "".join(
        encode(
            ShareCode(
                checklist.id,
                checklist.version,
                Band.STRONG,
                n.to_bytes(SHARE_ID_BYTES, "big"),
                outcomes,
            )
        )
        + "\n"
        for n in range(1, count + 1)
    )


def _same_path(path: Path) -> Path:
    return path


def _other_path(path: Path) -> Path:
    return path.parent / "sub" / ".." / path.name


def _hard_link(path: Path) -> Path:
    link = path.parent / f"hard-{path.name}"
    os.link(path, link)
    return link


def _symbolic_link(path: Path) -> Path:
    link = path.parent / f"soft-{path.name}"
    link.symlink_to(path.name)
    return link


NAMES = [_same_path, _other_path, _hard_link, _symbolic_link]
NAME_IDS = ["same-path", "other-path", "hard-link", "symbolic-link"]


@pytest.fixture
def codes_file(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "codes.txt"
    path.write_text(_codes(), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", NAMES, ids=NAME_IDS)
def test_workshop_summary_never_writes_over_its_codes_file(
    name: Callable[[Path], Path], codes_file: Path, private_data_dir: Path
) -> None:
    before = codes_file.read_bytes()
    output = name(codes_file)
    result = run_nutsec(
        "workshop", "summary", str(codes_file), "-o", str(output), data=private_data_dir
    )
    assert_one_line_error(result, "being read")
    assert codes_file.read_bytes() == before


@pytest.mark.parametrize("name", NAMES, ids=NAME_IDS)
def test_workshop_summary_never_writes_over_the_codes_it_compares_with(
    name: Callable[[Path], Path], codes_file: Path, private_data_dir: Path
) -> None:
    march = codes_file.parent / "march.txt"
    march.write_text(_codes(7), encoding="utf-8")
    before = march.read_bytes()
    result = run_nutsec(
        "workshop",
        "summary",
        str(codes_file),
        "--compare",
        str(march),
        "-o",
        str(name(march)),
        data=private_data_dir,
    )
    assert_one_line_error(result, "being read")
    assert march.read_bytes() == before


def test_workshop_summary_never_writes_over_a_file_redirected_into_standard_input(
    codes_file: Path, private_data_dir: Path
) -> None:
    before = codes_file.read_bytes()
    with codes_file.open("rb") as redirected:
        result = run_nutsec(
            "workshop",
            "summary",
            "-",
            "-o",
            str(_symbolic_link(codes_file)),
            data=private_data_dir,
            stdin=redirected,
        )
    assert_one_line_error(result, "being read", "standard input")
    assert codes_file.read_bytes() == before


def test_workshop_summary_still_writes_a_new_file(codes_file: Path, private_data_dir: Path) -> None:
    output = codes_file.parent / "summary.txt"
    result = run_nutsec(
        "workshop", "summary", str(codes_file), "-o", str(output), data=private_data_dir
    )
    assert result.returncode == 0, result.stderr
    assert "6 people took part" in output.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES, ids=NAME_IDS)
def test_passwords_audit_never_writes_over_its_export(
    name: Callable[[Path], Path], tmp_path: Path, private_data_dir: Path
) -> None:
    (tmp_path / "sub").mkdir()
    export = tmp_path / "export.csv"
    export.write_text(EXPORT)
    result = run_nutsec(
        "passwords",
        "audit",
        str(export),
        "--offline",
        "-o",
        str(name(export)),
        data=private_data_dir,
    )
    assert_one_line_error(result, "being read")
    assert export.read_text() == EXPORT


def test_passwords_audit_never_writes_over_its_corpus(
    tmp_path: Path, private_data_dir: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(EXPORT)
    corpus = tmp_path / "pwned.txt"
    digest = hashlib.sha1(b"Summer2024!").hexdigest().upper()  # noqa: S324 - the corpus format
    corpus.write_text(f"{digest}:12\n")
    before = corpus.read_bytes()
    result = run_nutsec(
        "passwords",
        "audit",
        str(export),
        "--hibp-corpus",
        str(corpus),
        "-o",
        str(_hard_link(corpus)),
        data=private_data_dir,
    )
    assert_one_line_error(result, "being read")
    assert corpus.read_bytes() == before


def test_passwords_audit_refuses_at_once_before_reading_anything(
    tmp_path: Path, private_data_dir: Path
) -> None:
    """The guard comes first: a piped export is not read (and no master password asked for)."""
    export = tmp_path / "export.csv"
    export.write_text(EXPORT)
    with export.open("rb") as redirected:
        result = subprocess.run(
            [NUTSEC, "passwords", "audit", "-", "--offline", "-o", str(export)],
            stdin=redirected,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env={**os.environ, "NUTSEC_DATA_DIR": str(private_data_dir)},
        )
    assert_one_line_error(result, "being read", "standard input")
    assert export.read_text() == EXPORT
