"""The data the user-command benchmarks share: a 200-login vault and a big sorted corpus.

The corpus is written once under /tmp/nutsec-bench/ (20 million lines are about 900 MB and take
a minute or so) and reused while its sidecar file says it holds the same lines; delete the
folder to make it again. Every hash is random except the SHA-1s of some of the vault's
passwords, merged in at their places, so a look-up finds what it should.
"""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
from pathlib import Path

BENCH_DIR = Path(tempfile.gettempdir()) / "nutsec-bench"
SPACE = 1 << 160
WORDS = ["summer", "purple", "teacup", "river", "falcon", "garden", "winter", "copper", "maple"]
SITES = ["mail", "bank", "shop", "union", "forum", "cloud", "news", "photos", "travel", "games"]


def vault_logins(count: int = 200, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """(title, url, username, password): a fifth reuse a few favourites, a tenth vary a base
    with a number, the rest are password-manager strings or passphrases."""
    rng = random.Random(seed)
    favourites = [f"{rng.choice(WORDS).capitalize()}{rng.randint(1, 99)}!" for _ in range(8)]
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%&*+-=?"
    logins = []
    for n in range(count):
        site = f"{rng.choice(SITES)}{n}"
        kind = rng.random()
        if kind < 0.2:
            password = rng.choice(favourites)
        elif kind < 0.3:
            password = f"{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.randint(1, 9)}"
        elif kind < 0.7:
            password = "".join(rng.choice(alphabet) for _ in range(rng.randint(12, 24)))
        else:
            password = "-".join(rng.choice(WORDS) for _ in range(rng.randint(3, 4)))
        logins.append((f"Site {site}", f"https://{site}.example/login", f"sam{n}", password))
    return logins


def breached(logins: list[tuple[str, str, str, str]]) -> list[str]:
    """The passwords the corpus holds: every favourite and every 7th other login's."""
    chosen = {p for i, (_, _, _, p) in enumerate(logins) if i % 7 == 0 or p.endswith("!")}
    return sorted(chosen)


def corpus(lines: int, include: list[str], seed: int = 1) -> Path:
    """A sorted `HASH:COUNT` CRLF file of `lines` random lines plus the SHA-1s of `include`."""
    BENCH_DIR.mkdir(exist_ok=True)
    path = BENCH_DIR / f"corpus-{lines}.txt"
    sidecar = path.with_suffix(".json")
    extra = sorted(
        hashlib.sha1(p.encode(), usedforsecurity=False).hexdigest().upper() for p in include
    )
    wanted = {"lines": lines, "seed": seed, "include": extra}
    if path.exists() and sidecar.exists() and json.loads(sidecar.read_text()) == wanted:
        return path
    rng = random.Random(seed)
    gap = SPACE // (lines + lines // 100)
    value = 0
    pending = [int(h, 16) for h in extra]
    with path.open("w", encoding="ascii", newline="") as out:
        buffer: list[str] = []
        for _ in range(lines):
            value += rng.randrange(1, 2 * gap)
            while pending and pending[0] < value:
                buffer.append(f"{pending.pop(0):040X}:{rng.randint(1, 9999)}\r\n")
            buffer.append(f"{value:040X}:{rng.randint(1, 9999)}\r\n")
            if len(buffer) >= 10_000:
                out.write("".join(buffer))
                buffer.clear()
        buffer.extend(f"{h:040X}:7\r\n" for h in pending)
        out.write("".join(buffer))
    sidecar.write_text(json.dumps(wanted))
    return path


if __name__ == "__main__":
    import sys

    logins = vault_logins()
    for size in sys.argv[1:] or ["20000000"]:
        print(corpus(int(size), breached(logins)))
