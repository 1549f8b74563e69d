"""Auditing a 1,000-entry password-manager export: offline, and against a loopback range server
that takes 50 ms per request.

Run from the repository root:  python benchmarks/bench_exports.py
Writes a generated Bitwarden export (with reuse, near-reuse and copies) to a temporary folder
that it deletes afterwards, starts its own server on 127.0.0.1, and contacts nothing else.
"""

from __future__ import annotations

import argparse
import random
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nutsec.breach.model import OfflineSource
from nutsec.breach.sources import build_range_source
from nutsec.exports.checks import audit_export
from nutsec.exports.reader import read_export
from nutsec.exports.renderers import AuditFormat, renderer_for
from tests.export_samples import Login, write_export
from tests.loopback import RangeServer, Reply

SERVER_DELAY = 0.050
WORDS = ["summer", "purple", "teacup", "river", "falcon", "garden", "winter", "copper", "maple"]


def generated_logins(count: int, rng: random.Random) -> list[Login]:
    """A realistic mix: a fifth reuse one of a few passwords, a tenth vary a base with a number,
    a few are the same login saved twice, and the rest are password-manager strings or words."""
    favourites = [f"{rng.choice(WORDS).capitalize()}{rng.randint(1, 99)}!" for _ in range(8)]
    logins: list[Login] = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.20:
            password = rng.choice(favourites)
        elif roll < 0.30:
            password = f"{rng.choice(WORDS).capitalize()}{rng.choice(WORDS)}{2015 + i % 10}"
        elif roll < 0.60:
            password = "-".join(rng.choice(WORDS) for _ in range(4))
        else:
            password = secrets.token_urlsafe(rng.randint(12, 18))
        site = f"site{i}.example"
        logins.append(Login(f"Site {i}", f"https://{site}/login", f"user{i % 50}", password))
    for i in range(0, count // 50):  # copies of the same login
        logins[-1 - i] = logins[i]
    return logins


def timed(export_path: Path, source_factory: object) -> tuple[float, float, float, int]:
    """(read s, check s, render s, entries) for one audit."""
    started = time.perf_counter()
    export = read_export(export_path)
    read = time.perf_counter() - started
    source = source_factory()  # type: ignore[operator]
    try:
        started = time.perf_counter()
        audit = audit_export(export, source)
        check = time.perf_counter() - started
    finally:
        source.close()
    started = time.perf_counter()
    for fmt in AuditFormat:
        renderer_for(fmt).render(audit)
    render = time.perf_counter() - started
    return read, check, render, len(audit.entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(2026)
    logins = generated_logins(args.entries, rng)
    with tempfile.TemporaryDirectory() as folder:
        path = write_export(Path(folder) / "export.csv", "bitwarden", logins)
        size_kb = path.stat().st_size / 1024
        print(f"export: {args.entries} entries, {size_kb:.0f} KB (Bitwarden layout)")

        read, check, render, kept = timed(path, OfflineSource)
        print(
            f"offline: read {read * 1000:.0f} ms, strength + reuse {check:.2f} s, "
            f"render all three formats {render * 1000:.0f} ms ({kept} logins after copies)"
        )

        with RangeServer(padding=800, default=Reply(delay=SERVER_DELAY)) as server:
            for login in logins[::25]:
                server.add_password(login.password, 7)
            read, check, render, kept = timed(path, lambda: build_range_source(server.url))
            requests = len(server.requests)
        print(
            f"range server ({SERVER_DELAY * 1000:.0f} ms per request): read {read * 1000:.0f} ms, "
            f"checks {check:.2f} s, {requests} requests "
            f"(sequential would be {requests * SERVER_DELAY:.1f} s of waiting)"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (server included): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
