"""What a user runs, timed end to end, side by side in one run (issue 20):

- the installed `nutsec` console script in a subprocess, as a person types it;
- keepassxc-cli (Debian's `keepassxc` package): `analyze --hibp` and `ls` on the same files;
- a sequential client (one `requests.get` per password, one after the other, as the
  `pwnedpasswords` package does) against the same range server;
- the range server in a process of its own, 100 ms per request, listen backlog 128,
  TCP_NODELAY (tests/loopback.py).

Run from the repository root:  python benchmarks/bench_user_commands.py [--runs 3]
It makes its files under /tmp/nutsec-bench/ once (a 20,000,000-line corpus is about 900 MB)
and reuses them; it contacts nothing outside 127.0.0.1. Each figure is the min and max of
`--runs` runs. nutsec runs with bytecode caching on and one warm-up run first, as an installed
package has its .pyc files compiled at install time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.user_data import BENCH_DIR, breached, corpus, vault_logins  # noqa: E402
from tests.keepassxc_files import KEEPASSXC_CLI, keepassxc_database  # noqa: E402

NUTSEC = str(Path(sys.executable).with_name("nutsec"))
MASTER = "Bench-Master-4419"
LATENCY = 0.100


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "NUTSEC_DATA_DIR": str(data)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: .pyc files are used
    env.pop("NUTSEC_HIBP_URL", None)
    return env


#: Processor time (user + system) of every run, by command name: a machine busy with other
#: work stretches the wall-clock times, much less the processor time.
CPU: dict[str, list[float]] = {}


def timed(command: Sequence[str], stdin: str, env: dict[str, str] | None = None) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        list(command), input=stdin, capture_output=True, text=True, env=env, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    CPU.setdefault(Path(command[0]).name, []).append(cpu)
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed


def runs(count: int, measure: Callable[[], float]) -> tuple[float, float]:
    times = [measure() for _ in range(count)]
    return min(times), max(times)


def cpu_span(name: str, count: int) -> str:
    """Processor time of the last `count` runs of `name`."""
    last = CPU[name][-count:]
    return f"{min(last):.2f}-{max(last):.2f} s CPU"


def files(lines: int) -> dict[str, Path]:
    """The vault as CSV and as KeePassXC databases (-t 100 and -t 1000), and the corpus."""
    logins = vault_logins()
    BENCH_DIR.mkdir(exist_ok=True)
    made = {"csv": BENCH_DIR / "vault200.csv"}
    with made["csv"].open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["folder", "favorite", "type", "name", "notes", "fields", "reprompt",
             "login_uri", "login_username", "login_password", "login_totp"]
        )  # fmt: skip
        for title, url, username, password in logins:
            writer.writerow(["", "", "login", title, "", "", "0", url, username, password, ""])
    for ms in (100, 1000):
        path = BENCH_DIR / f"vault200-t{ms}.kdbx"
        if not path.exists():
            keepassxc_database(path, logins, MASTER, decryption_ms=ms)
        made[f"t{ms}"] = path
    made["corpus"] = corpus(lines, breached(logins))
    made["corpus10m"] = corpus(10_000_000, breached(logins))
    return made


def start_range_server(passwords: list[str]) -> tuple[subprocess.Popen[str], str]:
    """tests/loopback.RangeServer in its own process, 100 ms per request."""
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1])\n"
        "from tests.loopback import RangeServer, Reply\n"
        "server = RangeServer(padding=800, default=Reply(delay=float(sys.argv[2])))\n"
        "for p in json.loads(sys.stdin.readline()): server.add_password(p, 3)\n"
        "server.start(); print(server.url, flush=True)\n"
        "sys.stdin.readline()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(ROOT), str(LATENCY)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(json.dumps(passwords) + "\n")
    child.stdin.flush()
    return child, child.stdout.readline().strip()


SEQUENTIAL_CLIENT = """
import hashlib, sys, requests
url = sys.argv[1]
found = 0
for line in sys.stdin:
    digest = hashlib.sha1(line.rstrip("\\n").encode()).hexdigest().upper()
    reply = requests.get(f"{url}/range/{digest[:5]}", timeout=30)
    found += any(row.split(":")[0] == digest[5:] for row in reply.text.splitlines())
print(found)
"""


def lookup_rate(path: Path, lookups: int = 20_000) -> tuple[float, float]:
    """In-process figures: prefix look-ups per second in a child process, the first pass over
    `lookups` random prefixes (its pages read from the disk, unless a run before left them in
    the page cache) and a second pass over the same prefixes (from the page cache)."""
    code = (
        "import sys, random, time; sys.path.insert(0, sys.argv[1])\n"
        "from pathlib import Path\n"
        "from nutsec.breach.corpus import CorpusFileSource\n"
        "source = CorpusFileSource(Path(sys.argv[2])); rng = random.Random(2)\n"
        "prefixes = [f'{rng.getrandbits(20):05X}' for _ in range(int(sys.argv[3]))]\n"
        "for _ in range(2):\n"
        "    started = time.perf_counter()\n"
        "    for p in prefixes: source.lookup_many([p])\n"
        "    print(len(prefixes) / (time.perf_counter() - started))\n"
    )
    command = [sys.executable, "-c", code, str(ROOT), str(path), str(lookups)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    first, cached = (float(line) for line in done.stdout.split())
    return first, cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lines", type=int, default=20_000_000)
    args = parser.parse_args()
    if KEEPASSXC_CLI is None:
        sys.exit("keepassxc-cli is needed (Debian: apt-get install keepassxc)")
    made = files(args.lines)
    logins = vault_logins()
    n = args.runs
    data = Path(tempfile.mkdtemp(prefix="nutsec-bench-data-"))
    env = _env(data / "data")
    master = MASTER + "\n"
    rows: list[tuple[str, str, str, str]] = []
    cpu: list[str] = []

    def row(what: str, ours: str, theirs: str, ratio: str) -> None:
        rows.append((what, ours, theirs, ratio))
        cpu.append(cpu_span("nutsec", n) if "nutsec" in CPU else "")

    def nutsec(*extra: str, stdin: str = "") -> Callable[[], float]:
        out = str(data / "results.json")
        command = [NUTSEC, "passwords", "audit", *extra, "--format", "json", "-o", out]
        return lambda: timed(command, stdin, env)

    def keepassxc(*extra: str) -> Callable[[], float]:
        return lambda: timed([KEEPASSXC_CLI, *extra], master)  # type: ignore[list-item]

    try:
        nutsec(str(made["csv"]), "--offline")()  # warm-up: writes the .pyc files
        base = runs(n, nutsec(str(made["csv"]), "--offline"))
        row("200-entry CSV, --offline", _span(base), "", "target <= 0.8 s")

        for ms in (100, 1000):
            kdbx = str(made[f"t{ms}"])
            ours = runs(n, nutsec(kdbx, "--password-stdin", "--offline", stdin=master))
            theirs = runs(n, keepassxc("ls", "-q", kdbx))
            ratio = _ratio(ours, theirs, inverse=True)
            what = f"open -t {ms} .kdbx (nutsec --offline / keepassxc-cli ls)"
            row(what, _span(ours), _span(theirs), f"{ratio} of KeePassXC's time")
            # The open alone: the same 200 logins as a CSV cost `base`; what the .kdbx adds is
            # opening it (key derivation, decryption, parsing). Widest span: min - max, max - min.
            opened = (max(ours[0] - base[1], 0.001), ours[1] - base[0])
            ratio = _ratio(opened, theirs, inverse=True)
            what = "  of which opening it (the .kdbx run minus the CSV run; keepassxc-cli ls)"
            rows.append((what, _span(opened), _span(theirs), f"{ratio} of KeePassXC's time"))
            cpu.append("derived")

        kdbx = str(made["t100"])
        hibp = str(made["corpus"])
        ours = runs(n, nutsec(kdbx, "--password-stdin", "--hibp-corpus", hibp, stdin=master))
        theirs = runs(n, keepassxc("analyze", "-q", "--hibp", hibp, kdbx))
        what = f"offline, {args.lines:,}-line corpus (-t 100 .kdbx; keepassxc-cli analyze --hibp)"
        row(what, _span(ours), _span(theirs), f"{_ratio(ours, theirs)} faster")

        server, url = start_range_server(breached(logins))
        try:
            passwords = "".join(p + "\n" for _, _, _, p in logins)
            ours = runs(n, nutsec(str(made["csv"]), "--hibp-url", url))
            client = [sys.executable, "-c", SEQUENTIAL_CLIENT, url]
            theirs = runs(n, lambda: timed(client, passwords))
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(5)
        what = "online, 200 logins, 100 ms server (sequential client)"
        row(what, _span(ours), _span(theirs), f"{_ratio(ours, theirs)} faster")

        rates = [lookup_rate(made["corpus10m"]) for _ in range(n)]
        for what, got in (
            (
                "in-process: corpus prefix look-ups/s, 10,000,000 lines, first pass",
                [r[0] for r in rates],
            ),
            ("  the same prefixes again (file in the page cache)", [r[1] for r in rates]),
        ):
            rows.append((what, f"{min(got):,.0f}-{max(got):,.0f}/s", "", "target > 15,000/s"))
            cpu.append("")
    finally:
        shutil.rmtree(data, ignore_errors=True)

    load = os.getloadavg()[0]
    print(f"{n} runs each; load average at the end {load:.1f} on {os.cpu_count()} cores")
    print(f"{'what':<72} {'nutsec':>14} {'other':>14}  ratio  (nutsec processor time)")
    for (what, ours_text, theirs_text, ratio), used in zip(rows, cpu, strict=True):
        print(f"{what:<72} {ours_text:>14} {theirs_text:>14}  {ratio}  ({used})")


def _span(times: tuple[float, float]) -> str:
    return f"{times[0]:.2f}-{times[1]:.2f} s"


def _ratio(ours: tuple[float, float], theirs: tuple[float, float], inverse: bool = False) -> str:
    """The worst and best ratio over the runs (theirs / ours, or ours / theirs)."""
    if inverse:
        return f"{ours[0] / theirs[1]:.1f}-{ours[1] / theirs[0]:.1f}x"
    return f"{theirs[0] / ours[1]:.1f}-{theirs[1] / ours[0]:.1f}x"


if __name__ == "__main__":
    main()
