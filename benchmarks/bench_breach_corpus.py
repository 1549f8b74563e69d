"""Offline corpus look-ups per second on a generated sorted file, and peak memory by file size.

Run from the repository root:  python benchmarks/bench_breach_corpus.py [--lines 10000000]
Generates sorted `HASH:COUNT` CRLF files (like the official downloader's) into a temporary
directory, streaming (no sort in memory), measures look-ups in a fresh child process per file so
each peak RSS is that of the look-ups alone, and deletes the files afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SPACE = 1 << 160


def generate(path: Path, lines: int, seed: int = 1) -> list[str]:
    """Write `lines` ascending random SHA-1-shaped hashes; return a sample of them."""
    rng = random.Random(seed)
    gap = SPACE // (lines + lines // 100)  # 1% headroom so the last hash stays 40 digits
    value = 0
    sample: list[str] = []
    with path.open("w", encoding="ascii", newline="") as out:
        buffer: list[str] = []
        for i in range(lines):
            value += rng.randrange(1, 2 * gap)
            digest = f"{value:040X}"
            buffer.append(f"{digest}:{rng.randint(1, 9999)}\r\n")
            if i % (lines // 1000) == 0:
                sample.append(digest)
            if len(buffer) == 10_000:
                out.write("".join(buffer))
                buffer.clear()
        out.write("".join(buffer))
    return sample


def measure(path: Path, sample: list[str], lookups: int) -> dict[str, float]:
    """In this (child) process: prefix look-ups per second, hits verified, and peak RSS."""
    from nutsec.breach.corpus import CorpusFileSource
    from nutsec.secret import Secret

    rng = random.Random(2)
    started = time.perf_counter()
    source = CorpusFileSource(path)
    opened = time.perf_counter() - started
    try:
        for digest in sample:  # every sampled line must be found with its suffix
            counts = source.lookup_many([digest[:5]])[digest[:5]].counts
            assert counts is not None and digest[5:] in counts, "a line in the file was missed"
        prefixes = [f"{rng.getrandbits(20):05X}" for _ in range(lookups)]
        started = time.perf_counter()
        for prefix in prefixes:
            source.lookup_many([prefix])
        per_second = lookups / (time.perf_counter() - started)
        # Whole path: hash each password, look its prefix up, match locally. The passwords
        # are distinct, so the per-run prefix cache rarely helps.
        passwords = [Secret(f"bench-{i}") for i in range(lookups // 4)]
        started = time.perf_counter()
        for secret in passwords:
            source.check(secret)
        checks_per_second = len(passwords) / (time.perf_counter() - started)
    finally:
        source.close()
    return {
        "open_seconds": opened,
        "prefix_lookups_per_second": per_second,
        "checks_per_second": checks_per_second,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--child", nargs=2, metavar=("FILE", "SAMPLE"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        sample = json.loads(Path(args.child[1]).read_text())
        print(json.dumps(measure(Path(args.child[0]), sample, args.lookups)))
        return

    with tempfile.TemporaryDirectory(prefix="nutsec-corpus-") as tmp:
        for lines in (args.lines // 10, args.lines):
            corpus = Path(tmp) / f"pwned-{lines}.txt"
            started = time.perf_counter()
            sample = generate(corpus, lines)
            made = time.perf_counter() - started
            sample_file = Path(tmp) / "sample.json"
            sample_file.write_text(json.dumps(sample))
            command = [sys.executable, __file__, "--lookups", str(args.lookups)]
            child = subprocess.run(
                [*command, "--child", str(corpus), str(sample_file)],
                capture_output=True,
                text=True,
            )
            if child.returncode:
                sys.exit(child.stderr)
            figures = json.loads(child.stdout)
            size_mb = corpus.stat().st_size / 1e6
            print(
                f"{lines:>11,} lines ({size_mb:,.0f} MB, generated in {made:.0f} s): "
                f"open+validate {figures['open_seconds'] * 1000:.1f} ms, "
                f"{figures['prefix_lookups_per_second']:,.0f} prefix look-ups/s, "
                f"{figures['checks_per_second']:,.0f} password checks/s, "
                f"peak RSS {figures['peak_rss_mb']:.0f} MB"
            )
            corpus.unlink()


if __name__ == "__main__":
    main()
