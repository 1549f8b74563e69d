"""Security review, promise 5: hostile or mistaken input gets one line and exit 2, never a hang,
a traceback, or a quiet fallback to the public breach service."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nutsec.bounded_read import MAX_TEXT_FILE_BYTES
from nutsec.breach.corpus import CorpusFolderSource
from nutsec.breach.hashing import split_sha1
from nutsec.breach.sources import build_breach_source
from nutsec.errors import CorpusError, NutsecError
from nutsec.secret import Secret
from tests.loopback import running_range_server

NUTSEC = str(Path(sys.executable).parent / "nutsec")


def run_nutsec(
    *args: str, data: Path, stdin: object = None, text_in: str = "", timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """The installed script; `stdin` (an open file) or else `text_in` is its input."""
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1"}
    env.pop("NUTSEC_HIBP_URL", None)
    feed: dict[str, object] = {"stdin": stdin} if stdin is not None else {"input": text_in}
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [NUTSEC, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
        **feed,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "--answers", "/dev/zero", "--offline", "--no-save"],
        ["checklist", "validate", "/dev/zero"],
        ["checklist", "show", "/dev/zero"],
    ],
    ids=["answers", "checklist-validate", "checklist-show"],
)
def test_an_endless_file_is_refused_not_read_until_memory_runs_out(
    args: list[str], private_data_dir: Path
) -> None:
    result = run_nutsec(*args, data=private_data_dir)
    # A device is refused before a byte is read (issue 14: regular files only).
    assert_one_line_error(result, "/dev/zero", "not a saved file")


def test_an_answers_file_over_the_size_limit_is_refused(
    tmp_path: Path, private_data_dir: Path
) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * MAX_TEXT_FILE_BYTES + b"\n")
    result = run_nutsec("audit", "--answers", str(huge), "--offline", data=private_data_dir)
    assert_one_line_error(result, "huge.toml", "too large")


def test_endless_password_input_is_refused(private_data_dir: Path) -> None:
    with open("/dev/zero", "rb") as zeros:
        result = run_nutsec(
            "password", "check", "--stdin", "--offline", data=private_data_dir, stdin=zeros
        )
    assert_one_line_error(result, "could not be read", "longer than")


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999", "http://localhost:x"])
def test_a_malformed_breach_service_address_is_exit_2_not_a_traceback(
    url: str, private_data_dir: Path
) -> None:
    result = run_nutsec(
        "password", "check", "--stdin", "--hibp-url", url, "--json",
        data=private_data_dir, text_in="Zq9-xx-pass\n", timeout=60,
    )  # fmt: skip
    assert_one_line_error(result, "breach service address", url)


def test_an_empty_breach_service_address_is_refused_not_replaced_by_the_public_one(
    private_data_dir: Path,
) -> None:
    with pytest.raises(NutsecError, match="not usable"):
        build_breach_source(offline=False, hibp_url="")
    result = run_nutsec(
        "password", "check", "--stdin", "--hibp-url", "", "--json",
        data=private_data_dir, text_in="Zq9-xx-pass\n", timeout=60,
    )  # fmt: skip
    assert_one_line_error(result, "breach service address")


def test_an_unusable_data_folder_stops_the_audit_before_any_password_is_looked_up(
    tmp_path: Path,
) -> None:
    not_a_folder = tmp_path / "data-is-a-file"
    not_a_folder.write_text("x", encoding="utf-8")
    answers = tmp_path / "answers.toml"
    answers.write_text(
        '[[accounts]]\nname = "Mail"\nplatform = "email"\npassword = "Zq9-xx-pass"\n',
        encoding="utf-8",
    )
    with running_range_server() as server:
        result = run_nutsec(
            "audit", "--answers", str(answers), "--hibp-url", server.url, data=not_a_folder
        )
        assert not server.requests, "a password was looked up although nothing could be saved"
    assert_one_line_error(result, str(not_a_folder), "is a file, not a folder")


def test_an_empty_prefix_file_is_a_bad_corpus_never_not_found(tmp_path: Path) -> None:
    """An empty prefix file is a download cut short: reading it as 'no match' would call an
    unchecked password clean (promise 3)."""
    secret = Secret("Summer2024!")
    prefix, _ = split_sha1(secret)
    (tmp_path / "00000.txt").write_text("0005AD76BD555C1D6D771DE417A4B87E4B4:10\n", "ascii")
    source = CorpusFolderSource(tmp_path)  # opened on the good file
    (tmp_path / f"{prefix}.txt").write_text("", "ascii")
    with pytest.raises(CorpusError, match=f"{prefix}.txt"):
        source.check(secret)


def test_a_report_is_never_renamed_over_a_pipe_or_device(
    tmp_path: Path, private_data_dir: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('[[devices]]\nname = "Phone"\nkind = "phone"\n', encoding="utf-8")
    saved = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
    assert saved.returncode == 0, saved.stderr
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = run_nutsec(
        "report", "latest", "--format", "json", "-o", str(pipe), data=private_data_dir
    )
    assert_one_line_error(result, str(pipe), "not an ordinary file")
    assert stat.S_ISFIFO(pipe.stat().st_mode), "the pipe was replaced by a file"


def test_a_huge_line_typed_into_the_audit_is_cut_to_a_bounded_length(
    private_data_dir: Path,
) -> None:
    import sqlite3

    from nutsec.cli.keys import MAX_LINE_BYTES

    # add, a name 40 times too long to read whole, the kinder name it asks for, laptop, continue
    pasted = b"a\n" + b"x" * (MAX_LINE_BYTES * 40) + b"\nWork laptop\nl\nc\n"
    result = subprocess.run(
        [NUTSEC, "audit", "--offline", "--plain"],
        input=pasted,
        capture_output=True,
        timeout=60,
        check=False,
        env={**os.environ, "NUTSEC_DATA_DIR": str(private_data_dir)},
    )
    assert result.returncode == 0, result.stderr[-500:]
    out = result.stdout.decode()
    # Read no further than the bound, then refused as a name, without being echoed back.
    assert f"That name is {MAX_LINE_BYTES} characters long" in out
    assert "x" * 100 not in out and len(out) < 20_000
    with sqlite3.connect(private_data_dir / "audits.sqlite3") as db:
        rows = db.execute("SELECT name, kind FROM devices").fetchall()
    assert rows == [("Work laptop", "laptop")]
