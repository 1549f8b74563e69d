"""Benchmark: password strength checks per second on a realistic mix, and the longest inputs.

Run with `python benchmarks/bench_strength.py`. The passwords are generated here from patterns
people really use (no leaked list is shipped). Numbers go in docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import string
import sys
import time
from collections.abc import Callable

from nutsec.passwords.strength import assess_strength
from nutsec.secret import Secret

WORDS = [
    "summer",
    "winter",
    "spring",
    "autumn",
    "monkey",
    "dragon",
    "football",
    "liverpool",
    "arsenal",
    "chelsea",
    "sunshine",
    "princess",
    "shadow",
    "master",
    "freedom",
    "union",
    "member",
    "branch",
    "teacher",
    "nurse",
    "lantern",
    "velvet",
    "orchard",
    "copper",
    "meadow",
    "biscuit",
    "walrus",
    "pocket",
    "thunder",
    "violin",
    "harbour",
    "pebble",
    "purple",
    "teacup",
    "mountain",
    "garden",
    "kettle",
    "river",
    "castle",
    "pepper",
    "ginger",
    "marble",
    "orange",
    "silver",
    "banana",
]
NAMES = [
    "sam",
    "alex",
    "jo",
    "chris",
    "pat",
    "lee",
    "sandra",
    "mohammed",
    "priya",
    "olu",
    "fatima",
    "david",
]
SYMBOLS = "!@#$%&*?"
LEET = str.maketrans({"a": "@", "o": "0", "e": "3", "i": "1", "s": "$"})
CONTEXT = ("twitter", "sam_rep", "Sam Rivers", "nut", "union")


def word_and_year(rng: random.Random) -> str:
    word = rng.choice(WORDS)
    word = word.capitalize() if rng.random() < 0.6 else word
    return f"{word}{rng.randint(1960, 2025)}{rng.choice(['', '!', '?', '#'])}"


def leet_word(rng: random.Random) -> str:
    return rng.choice(WORDS).capitalize().translate(LEET) + str(rng.randint(0, 99))


def passphrase(rng: random.Random) -> str:
    return rng.choice([" ", "-", ""]).join(rng.sample(WORDS, rng.choice([3, 4])))


def name_and_date(rng: random.Random) -> str:
    return f"{rng.choice(NAMES)}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}"


def keyboard(rng: random.Random) -> str:
    return rng.choice(["qwerty", "asdfgh", "zxcvbn", "123456", "abc123", "1qaz2wsx"]) + str(
        rng.randint(0, 999)
    )


def manager_generated(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + SYMBOLS
    return "".join(rng.choice(alphabet) for _ in range(rng.choice([12, 16, 20, 24])))


#: (kind, share of the mix, generator): roughly how often each kind turns up in real audits.
MIX: tuple[tuple[str, float, Callable[[random.Random], str]], ...] = (
    ("word + year", 0.30, word_and_year),
    ("leet word", 0.15, leet_word),
    ("name + date", 0.10, name_and_date),
    ("keyboard/sequence", 0.10, keyboard),
    ("passphrase", 0.15, passphrase),
    ("password manager", 0.20, manager_generated),
)


def generate(count: int, seed: int = 2024) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    kinds = [kind for kind, _, _ in MIX]
    weights = [share for _, share, _ in MIX]
    makers = {kind: maker for kind, _, maker in MIX}
    chosen = rng.choices(kinds, weights=weights, k=count)
    return [(kind, makers[kind](rng)) for kind in chosen]


def time_one(password: str) -> float:
    secret = Secret(password)
    start = time.perf_counter()
    assess_strength(secret, CONTEXT)
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    assess_strength(Secret("warm-up"), CONTEXT)  # import zxcvbn and build its dictionaries

    sample = generate(count)
    by_kind: dict[str, list[float]] = {}
    start = time.perf_counter()
    for kind, password in sample:
        by_kind.setdefault(kind, []).append(time_one(password))
    total = time.perf_counter() - start
    every = [t for times in by_kind.values() for t in times]
    print(f"\nrealistic mix: {count} checks in {total:.2f} s = {count / total:,.0f} checks/s")
    print(f"  median {statistics.median(every) * 1000:.2f} ms, max {max(every) * 1000:.1f} ms")
    for kind, times in sorted(by_kind.items()):
        print(f"  {kind:<18} n={len(times):<5} median {statistics.median(times) * 1000:.2f} ms")

    rng = random.Random(7)
    printable = string.ascii_letters + string.digits + string.punctuation
    longest = {
        "10,000 random printable chars": "".join(rng.choice(printable) for _ in range(10_000)),
        "10,000 chars, every leet symbol": "4@8(3691!|70$5+%2{[<" * 500,
        "10,000 chars of words": "walrus pocket thunder " * 455,
        "10,000 x the same letter": "a" * 10_000,
        "72 chars, every leet symbol": ("4@8(3691!|70$5+%2{[<" * 4)[:72],
    }
    print("\nlongest inputs (best of 5):")
    for label, password in longest.items():
        best = min(time_one(password) for _ in range(5))
        print(f"  {label:<32} {best * 1000:7.1f} ms")

    # For contrast: what zxcvbn alone costs on the 72 characters nutsec cuts short.
    from zxcvbn import zxcvbn

    start = time.perf_counter()
    zxcvbn(longest["72 chars, every leet symbol"])
    print(f"  (zxcvbn unbounded on the 72-char leet string: {time.perf_counter() - start:.2f} s)")


if __name__ == "__main__":
    main()
