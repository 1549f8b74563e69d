"""Batch range look-up: 1,000 passwords against a loopback server that takes 50 ms per request.

Run from the repository root:  python benchmarks/bench_breach_range.py
Starts its own server on 127.0.0.1; contacts nothing else. Compares the batch (one request per
distinct prefix, a small pool of workers) with the sequential time (one request after another).
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nutsec.breach.range_api import RangePolicy
from nutsec.breach.sources import build_range_source
from nutsec.secret import Secret
from tests.loopback import RangeServer, Reply

SERVER_DELAY = 0.050


def run(passwords: list[str], workers: int, server: RangeServer) -> tuple[float, int]:
    """Seconds for one check_many over `passwords`, and how many requests it made."""
    before = len(server.requests)
    source = build_range_source(server.url, policy=RangePolicy(workers=workers))
    try:
        started = time.perf_counter()
        results = source.check_many([Secret(p) for p in passwords])
        elapsed = time.perf_counter() - started
    finally:
        source.close()
    unknown = [r for r in results if r.status == "unknown"]
    assert not unknown, f"{len(unknown)} look-ups failed: {unknown[:3]}"
    return elapsed, len(server.requests) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passwords", type=int, default=1000)
    parser.add_argument("--sequential-sample", type=int, default=100)
    args = parser.parse_args()

    passwords = [f"bench-{secrets.token_hex(8)}" for _ in range(args.passwords)]
    # A realistic padded range: the real service returns 800-1,000 lines per prefix.
    with RangeServer(padding=800, default=Reply(delay=SERVER_DELAY)) as server:
        for password in passwords[::10]:
            server.add_password(password, 42)
        distinct = len({hashlib.sha1(p.encode(), usedforsecurity=False).hexdigest()[:5]
                        for p in passwords})  # fmt: skip
        sequential_estimate = distinct * SERVER_DELAY

        sample = passwords[: args.sequential_sample]
        one_worker, _ = run(sample, 1, server)
        per_request = one_worker / len(sample)
        print(f"passwords: {len(passwords)}, distinct prefixes: {distinct}")
        print(f"server delay per request: {SERVER_DELAY * 1000:.0f} ms, padding 800 lines")
        print(
            f"sequential (1 worker, {len(sample)} passwords measured): "
            f"{per_request * 1000:.1f} ms per request -> {per_request * distinct:.1f} s "
            f"for the batch (ideal {sequential_estimate:.1f} s)"
        )
        for workers in (8, 16, 32):
            elapsed, requests = run(passwords, workers, server)
            print(
                f"batch, {workers} workers: {elapsed:.2f} s, {requests} requests, "
                f"{elapsed / sequential_estimate:.1%} of the sequential time"
            )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (server included): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
