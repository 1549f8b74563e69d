"""Benchmark: a scripted audit (`nutsec audit --answers FILE --offline`) as the number of accounts
with passwords grows. Linear time means the seconds per account stay flat.

Run with `python benchmarks/bench_answers_file.py [COUNTS...]` (default 250 500 1000). Each run
writes an answers file and a data folder in a temporary folder and times the installed command
end to end (saving included). Numbers go in docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NUTSEC = str(Path(sys.executable).parent / "nutsec")


def answers_text(count: int) -> str:
    parts = ["[answers]\n"]
    for i in range(count):
        parts.append(
            f'[[accounts]]\nname = "Account {i}"\nplatform = "site{i}"\n'
            f'username = "rep{i}"\npassword = "Pw-{i:04d}-horse-battery"\n'
            '[accounts.answers]\n"account.two-factor" = "yes"\n'
        )
    return "".join(parts)


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [250, 500, 1000]
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"{'accounts':>8}  {'seconds':>8}  {'ms/account':>10}")
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            answers = Path(folder) / "answers.toml"
            answers.write_text(answers_text(count))
            env = {**os.environ, "NUTSEC_DATA_DIR": str(Path(folder) / "data"), "NO_COLOR": "1"}
            started = time.perf_counter()
            subprocess.run(
                [NUTSEC, "audit", "--answers", str(answers), "--offline"],
                check=True,
                capture_output=True,
                env=env,
            )
            took = time.perf_counter() - started
        print(f"{count:>8}  {took:>8.2f}  {1000 * took / count:>10.2f}")


if __name__ == "__main__":
    main()
