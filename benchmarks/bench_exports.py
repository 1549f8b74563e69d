"""Auditing a password-manager export: 1,000 entries offline and against a loopback range server
that takes 50 ms per request; then 200 logins against a server 100 ms away, side by side with a
plain sequential client (one request per password, one after the other, as the `pwnedpasswords`
package does) and with nutsec's checks run one stage after the other (as before issue 12).

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

import hashlib

import requests

from nutsec.breach.model import OfflineSource
from nutsec.breach.range_api import RangePolicy
from nutsec.breach.sources import build_range_source
from nutsec.cli.passwords import EXPORT_WORKERS
from nutsec.exports.checks import audit_export, strength_context
from nutsec.exports.reader import read_export
from nutsec.exports.renderers import AuditFormat, renderer_for
from nutsec.passwords.strength import assess_strength
from tests.export_samples import Login, write_export
from tests.loopback import RangeServer, Reply

SERVER_DELAY = 0.050
#: The issue's case: 200 logins, a range server 100 ms away.
LATENCY_LOGINS = 200
LATENCY_DELAY = 0.100
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
    parser.add_argument(
        "--no-latency", dest="latency", action="store_false", help="skip the 200-login case"
    )
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
    two_step_load()
    if args.latency:
        latency_case(rng)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (server included): {peak_mb:.0f} MB")


def two_step_load() -> None:
    """The 2FA Directory's load in fresh processes (the data is read once per run)."""
    import subprocess

    code = (
        "import time; t0 = time.perf_counter();"
        "from nutsec.twofactor.directory import shipped_directory;"
        "t1 = time.perf_counter(); shipped_directory(); t2 = time.perf_counter();"
        "print(t1 - t0, t2 - t1)"
    )
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        imports, load = map(float, out.stdout.split())
        runs.append((load, imports))
    load, imports = min(runs)
    print(
        f"2FA Directory data: read and indexed in {load * 1000:.0f} ms "
        f"(best of 5 fresh processes; its imports {imports * 1000:.0f} ms)"
    )


def sequential_client(base_url: str, passwords: list[str]) -> None:
    """The plain client: SHA-1, one range request per password, one after the other."""
    with requests.Session() as session:
        for password in passwords:
            digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
            response = session.get(f"{base_url}/range/{digest[:5]}", timeout=10)
            response.raise_for_status()
            _ = digest[5:] in response.text


def stages_one_after_the_other(path: Path, base_url: str) -> None:
    """nutsec's checks as they ran before: every strength check, then the breach look-ups."""
    export = read_export(path)
    source = build_range_source(base_url)
    try:
        for entry in export.entries:
            assess_strength(entry.secret, strength_context(entry))
        source.check_many([entry.secret for entry in export.entries])
    finally:
        source.close()
        export.wipe()


def latency_case(rng: random.Random) -> None:
    """200 distinct logins, 100 ms per request: sequential client, before, now; ratio printed."""
    logins = [
        Login(f"Site {i}", f"https://site{i}.example/", f"user{i}", secrets.token_urlsafe(14))
        for i in range(LATENCY_LOGINS)
    ]
    rng.shuffle(logins)
    passwords = [login.password for login in logins]
    with tempfile.TemporaryDirectory() as folder:
        path = write_export(Path(folder) / "export.csv", "bitwarden", logins)
        with RangeServer(padding=800, default=Reply(delay=LATENCY_DELAY)) as server:
            for password in passwords[::10]:
                server.add_password(password, 3)
            timings: dict[str, float] = {}
            for label, run in (
                ("sequential client", lambda: sequential_client(server.url, passwords)),
                (
                    "nutsec, stages one after the other",
                    lambda: stages_one_after_the_other(path, server.url),
                ),
                (
                    "nutsec, overlapped, 16 requests at once",
                    lambda: _audit_now(path, server.url, 16),
                ),
                (
                    f"nutsec passwords audit ({EXPORT_WORKERS} at once)",
                    lambda: _audit_now(path, server.url, EXPORT_WORKERS),
                ),
            ):
                started = time.perf_counter()
                run()
                timings[label] = time.perf_counter() - started
    print(
        f"\n{LATENCY_LOGINS} logins, range server {LATENCY_DELAY * 1000:.0f} ms per request "
        "(strength, reuse and breach for nutsec; breach only for the sequential client):"
    )
    sequential = timings["sequential client"]
    for label, seconds in timings.items():
        print(
            f"  {label:<40} {seconds:6.2f} s   {sequential / seconds:5.1f}x the sequential client"
        )


def _audit_now(path: Path, base_url: str, workers: int) -> None:
    """As `nutsec passwords audit` runs: the stages overlapped, `workers` requests at once."""
    source = build_range_source(base_url, policy=RangePolicy(workers=workers))
    try:
        audit_export(read_export(path), source)
    finally:
        source.close()


if __name__ == "__main__":
    main()
