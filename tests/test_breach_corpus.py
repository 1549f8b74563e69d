"""The offline corpus on generated files: the downloader's single sorted file (binary search,
never loaded) and its per-prefix folder; a bad corpus is a one-line error naming it (exit 2)."""

from __future__ import annotations

import hashlib
import random
import tracemalloc
from pathlib import Path

import pytest

from nutsec.breach.corpus import CorpusFileSource, CorpusFolderSource
from nutsec.breach.model import BreachResult
from nutsec.breach.sources import build_breach_source
from nutsec.errors import CorpusError
from nutsec.secret import Secret

BREACHED = {
    "Summer2024!": 120,
    "Winter2024!": 7,
    "shared-prefix-450": 3,  # these two share the prefix B701F
    "shared-prefix-1055": 4,
    "+w1TT3r": 1,
}
NEVER_BREACHED = "a made-up passphrase nobody uses"


def sha1(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


def write_corpus(
    path: Path, *, newline: str = "\n", filler: int = 2_000, final: bool = True
) -> Path:
    """A sorted HASH:COUNT file whose first and last lines are BREACHED passwords."""
    known = {sha1(p): n for p, n in BREACHED.items()}
    low, high = int(min(known), 16), int(max(known), 16)
    rng = random.Random(5)
    lines = {f"{rng.randrange(low + 1, high):040X}": rng.randint(1, 99) for _ in range(filler)}
    lines.update(known)
    text = newline.join(f"{h}:{n}" for h, n in sorted(lines.items()))
    path.write_bytes((text + (newline if final else "")).encode("ascii"))
    return path


def first_and_last(path: Path) -> tuple[str, str]:
    lines = path.read_text().split()
    return lines[0].split(":")[0], lines[-1].split(":")[0]


def write_folder(folder: Path, *, newline: str = "\n") -> Path:
    folder.mkdir()
    ranges: dict[str, list[str]] = {}
    for password, count in BREACHED.items():
        digest = sha1(password)
        ranges.setdefault(digest[:5], []).append(f"{digest[5:]}:{count}")
    rng = random.Random(7)
    for prefix in [*ranges, "00000", "FFFFF"]:
        lines = ranges.get(prefix, []) + [f"{rng.getrandbits(140):035X}:0" for _ in range(5)]
        (folder / f"{prefix}.txt").write_bytes(newline.join(sorted(lines)).encode() + b"\n")
    return folder


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize("final", [True, False], ids=["newline-at-end", "no-newline-at-end"])
def test_every_breached_password_is_found_with_its_count(
    tmp_path: Path, newline: str, final: bool
) -> None:
    corpus = write_corpus(tmp_path / "pwned.txt", newline=newline, final=final)
    first, last = first_and_last(corpus)
    source = CorpusFileSource(corpus)
    try:
        results = source.check_many([Secret(p) for p in BREACHED])
        assert results == [BreachResult.found(n) for n in BREACHED.values()]
        # The corpus was built so that breached passwords sit on its first and last lines.
        assert {first, last} <= {sha1(p) for p in BREACHED}
        assert source.check(Secret(NEVER_BREACHED)) == BreachResult.not_found()
    finally:
        source.close()


def test_prefixes_before_the_first_and_after_the_last_line_are_empty(tmp_path: Path) -> None:
    source = CorpusFileSource(write_corpus(tmp_path / "pwned.txt"))
    try:
        results = source.lookup_many(["00000", "FFFFF"])
        assert all(r.is_known and len(r.counts or {}) == 0 for r in results.values())
    finally:
        source.close()


def test_a_whole_range_is_read_from_the_file(tmp_path: Path) -> None:
    source = CorpusFileSource(write_corpus(tmp_path / "pwned.txt"))
    try:
        counts = source.lookup_many(["B701F"])["B701F"].counts
        assert counts is not None
        assert sorted(counts.values()) == [3, 4]
    finally:
        source.close()


def test_lookup_memory_does_not_grow_with_the_corpus(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "pwned.txt", filler=150_000)  # about 6.5 MB
    source = CorpusFileSource(corpus)
    try:
        tracemalloc.start()
        source.check_many([Secret(p) for p in [*BREACHED, NEVER_BREACHED]])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        source.close()
    assert peak < corpus.stat().st_size / 20, "the look-up read far more than a few lines"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b"password123\nletmein\n", "HASH:COUNT"),
        (b"8846F7EAEE8FB117AD06BDD830B7586C:3\n", "HASH:COUNT"),  # the NTLM download
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "HASH:COUNT"),
        (
            b"FFFFF7EAEE8FB117AD06BDD830B7586C00000000:3\n0000F7EAEE8FB117AD06BDD830B7586C0000000:1\n",
            "HASH:COUNT",
        ),
    ],
    ids=["empty", "words", "ntlm", "binary", "short-hash"],
)
def test_file_not_in_the_format_is_a_corpus_error_naming_it(
    tmp_path: Path, content: bytes, why: str
) -> None:
    corpus = tmp_path / "corpus.txt"
    corpus.write_bytes(content)
    with pytest.raises(CorpusError) as raised:
        build_breach_source(offline=False, hibp_corpus=corpus)
    assert str(corpus) in str(raised.value)
    assert why in str(raised.value)
    assert raised.value.exit_code == 2


def test_unsorted_file_is_a_corpus_error(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "pwned.txt")
    lines = corpus.read_text().splitlines()
    corpus.write_text("\n".join(reversed(lines)) + "\n")
    with pytest.raises(CorpusError, match="not sorted"):
        CorpusFileSource(corpus)


def test_missing_corpus_is_a_corpus_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "pwned.txt"
    with pytest.raises(CorpusError) as raised:
        build_breach_source(offline=False, hibp_corpus=missing)
    assert str(missing) in str(raised.value)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_folder_corpus_finds_breached_passwords(tmp_path: Path, newline: str) -> None:
    source = build_breach_source(
        offline=False, hibp_corpus=write_folder(tmp_path / "ranges", newline=newline)
    )
    assert isinstance(source, CorpusFolderSource)
    assert source.check_many([Secret(p) for p in BREACHED]) == [
        BreachResult.found(n) for n in BREACHED.values()
    ]


def test_missing_prefix_file_means_corpus_incomplete_never_not_found(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "ranges")
    assert not (folder / f"{sha1(NEVER_BREACHED)[:5]}.txt").exists()
    source = CorpusFolderSource(folder)
    assert source.check(Secret(NEVER_BREACHED)) == BreachResult.unknown("corpus incomplete")


def test_padding_in_a_prefix_file_is_never_breached(tmp_path: Path) -> None:
    folder = tmp_path / "ranges"
    folder.mkdir()
    digest = sha1("padded-only")
    (folder / f"{digest[:5]}.txt").write_text(f"{digest[5:]}:0\n")
    assert CorpusFolderSource(folder).check(Secret("padded-only")) == BreachResult.not_found()


@pytest.mark.parametrize("extra", [None, "README.md", "0000.txt"], ids=["empty", "readme", "short"])
def test_folder_without_prefix_files_is_a_corpus_error(tmp_path: Path, extra: str | None) -> None:
    folder = tmp_path / "ranges"
    folder.mkdir()
    if extra:
        (folder / extra).write_text("hello\n")
    with pytest.raises(CorpusError) as raised:
        build_breach_source(offline=False, hibp_corpus=folder)
    assert str(folder) in str(raised.value)
    assert "no prefix files" in str(raised.value)


def test_prefix_file_not_in_the_format_is_a_corpus_error_naming_it(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "ranges")
    bad = folder / f"{sha1('Summer2024!')[:5]}.txt"
    bad.write_text("<html>not a range</html>\n")
    source = CorpusFolderSource(folder)
    with pytest.raises(CorpusError) as raised:
        source.check(Secret("Summer2024!"))
    assert str(bad) in str(raised.value)


def test_corpus_wins_over_the_range_api(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "pwned.txt")
    source = build_breach_source(
        offline=False, hibp_url="https://unused.invalid", hibp_corpus=corpus
    )
    try:
        assert isinstance(source, CorpusFileSource)
    finally:
        source.close()
