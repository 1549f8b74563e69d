"""'You answered X of Y' is one pair of numbers: the end of the audit and every report format
count the same questions, those put to the person (not nutsec's own checks)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

NUTSEC = str(Path(sys.executable).parent / "nutsec")

ANSWERS = """
checklist = "nut-social-media"

[answers]
"public-profile.union-role" = "yes"
"passwords.manager" = "no"

[[devices]]
name = "Laptop"
kind = "laptop"
system = "windows"
[devices.answers]
"device.screen-lock" = "yes"

[[accounts]]
name = "Mail"
platform = "email"
provider = "gmail"
password = "Summer2024!"

[[accounts]]
name = "Facebook"
platform = "facebook"
password = "Summer2025!"
"""


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NUTSEC, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"NUTSEC_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def answered(text: str) -> tuple[int, int]:
    found = re.search(r"You answered (\d+) of (\d+) questions", " ".join(text.split()))
    assert found, "no 'You answered X of Y' line"
    return int(found[1]), int(found[2])


def test_the_audit_and_every_report_count_the_same_questions(tmp_path: Path) -> None:
    data = tmp_path / "data"
    answers = tmp_path / "answers.toml"
    answers.write_text(ANSWERS, encoding="utf-8")
    done = run(data, "audit", "--answers", str(answers), "--offline")
    assert done.returncode == 0, done.stderr
    at_the_end = answered(done.stdout)
    assert 0 < at_the_end[0] < at_the_end[1]
    for fmt in ("terminal", "markdown", "html"):
        report = run(data, "report", "latest", "--format", fmt, "--full", "--no-pager")
        assert report.returncode == 0, report.stderr
        text = re.sub(r"<[^>]+>", " ", report.stdout)
        assert answered(text) == at_the_end, fmt
    data_json = json.loads(run(data, "report", "latest", "--format", "json").stdout)
    skipped = [i for i in data_json["items"] if i["status"] == "skipped"]
    assert len(skipped) == at_the_end[1] - at_the_end[0]
