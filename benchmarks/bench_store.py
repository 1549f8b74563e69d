"""Benchmark: the cost of "nothing is lost" — committing every answer to SQLite as it is given.

Run with `python benchmarks/bench_store.py [AUDITS]`. It builds a store in a temporary folder,
walks the default checklist for a person with 2 devices and 4 accounts (every answer committed on
its own, as the audit does), then times loading, `history` over AUDITS saved audits and the
scripted `nutsec audit --answers` command end to end. Numbers go in docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from nutsec.audit.outcomes import questions_for
from nutsec.audit_data import Account, Audit, Device
from nutsec.checklist.catalog import DEFAULT_CHECKLIST, shipped_dir
from nutsec.checklist.loader import load_checklist
from nutsec.store.sqlite import open_store

DEVICES = (Device("Work phone", "phone"), Device("Laptop", "laptop"))
ACCOUNTS = (
    Account("Mail", "email"),
    Account("Union X", "twitter"),
    Account("Facebook", "facebook"),
    Account("Union portal", "union"),
)


def main() -> None:
    audits = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    path = shipped_dir() / f"{DEFAULT_CHECKLIST}.toml"
    checklist, text = load_checklist(path), path.read_text("utf-8")
    questions = list(questions_for(checklist, DEVICES, ACCOUNTS))
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        store = open_store(data)
        start = time.perf_counter()
        audit_id = store.create(Audit(checklist, datetime.now(UTC)), text)
        store.save_inventory(audit_id, DEVICES, ACCOUNTS)
        created = time.perf_counter() - start
        per_answer: list[float] = []
        for q in questions:
            start = time.perf_counter()
            store.save_answer(audit_id, q.item.id, q.subject, q.item.answers[0].key)
            store.save_position(audit_id, f"question:{q.item.id}:{q.subject or ''}")
            per_answer.append(time.perf_counter() - start)
        store.finish(audit_id, 100, "Strong")
        start = time.perf_counter()
        loaded = store.load(audit_id)
        load_time = time.perf_counter() - start
        assert len(loaded.answers) == len(questions)
        for _ in range(audits - 1):
            other = store.create(Audit(checklist, datetime.now(UTC)), text)
            store.finish(other, 50, "Needs attention")
        start = time.perf_counter()
        rows = store.history()
        history_time = time.perf_counter() - start
        store.close()
        size = (data / "audits.sqlite3").stat().st_size

        answers = data / "answers.toml"
        answers.write_text('[answers]\n"public-profile.union-role" = "yes"\n', encoding="utf-8")
        env = {**os.environ, "NUTSEC_DATA_DIR": str(data / "cli")}
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(
                [
                    str(Path(sys.executable).with_name("nutsec")),
                    "audit",
                    "--answers",
                    str(answers),
                    "--offline",
                ],
                env=env,
                check=True,
                capture_output=True,
            )
            runs.append(time.perf_counter() - start)

    print(f"questions in the walk (2 devices, 4 accounts): {len(questions)}")
    print(f"create + inventory: {created * 1000:.1f} ms")
    print(
        f"answer + position, each committed: median {statistics.median(per_answer) * 1000:.1f} ms,"
        f" slowest {max(per_answer) * 1000:.1f} ms"
    )
    print(f"load a whole audit: {load_time * 1000:.1f} ms")
    print(f"history of {len(rows)} audits: {history_time * 1000:.1f} ms")
    print(f"database size with {len(rows)} audits: {size / 1024:.0f} KiB")
    print(f"scripted 'nutsec audit --answers' end to end: median {statistics.median(runs):.2f} s")


if __name__ == "__main__":
    main()
