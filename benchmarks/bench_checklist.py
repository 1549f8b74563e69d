"""Benchmark: validating a very large checklist file.

Run with `python benchmarks/bench_checklist.py [ITEMS]` (default 10,000). It writes a format-2
checklist with ITEMS items (a third each person, device and account items, with `applies_to`,
per-system steps, `action` and `minutes`) into a temporary folder, then times
`check_checklist` on it: reading, parsing and every check. Before the id -> line index was built
once, finding each item's line read the whole file again, so the time grew with the square of the
number of items (about 40 s for 10,000). Numbers go in docs/performance.md.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

from nutsec.checklist.loader import check_checklist

HEADER = 'id = "bench"\ntitle = "Benchmark"\nversion = "1.0"\nformat = 2\n'


def item(number: int) -> str:
    scope = ("person", "device", "account")[number % 3]
    lines = [
        "[[sections.items]]",
        f'id = "s{number // 100}.item-{number}"',
        f'scope = "{scope}"',
        f'question = "Is question {number} answered?"',
        'why = "Because it matters."',
        'fix = "Do the thing, then check it again."',
        'action = "Do the thing"',
        "minutes = 5",
        'severity = "medium"',
        "weight = 2",
        'answers = { yes = "pass", no = "fail", not_sure = "fail" }',
    ]
    if scope == "device":
        lines += [
            'applies_to = ["phone", "laptop"]',
            'fix_for.ios = "Settings > Privacy."',
            'fix_for.windows = "Settings > Accounts."',
        ]
    elif scope == "account":
        lines += ['applies_to = ["email", "twitter"]', 'fix_for.gmail = "Google Account."']
    return "\n".join(lines) + "\n"


def build(items: int) -> str:
    parts = [HEADER]
    for number in range(items):
        if number % 100 == 0:
            parts.append(f'[[sections]]\nid = "s{number // 100}"\ntitle = "Section"\n')
        parts.append(item(number))
    return "".join(parts)


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    text = build(items)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.toml"
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        checklist, problems = check_checklist(path)
        seconds = time.perf_counter() - started
    assert checklist is not None and not problems, problems[:3]
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print(f"{items:,} items, {len(text.splitlines()):,} lines, {len(text) / 1e6:.1f} MB")
    print(f"validated in {seconds:.2f} s ({items / seconds:,.0f} items per second)")


if __name__ == "__main__":
    main()
