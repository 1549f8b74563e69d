"""Issue 18: every line of the plan says what nutsec found, in every format, and an audit with
nothing answered is never scored or compared.

Real parts: the installed `nutsec` in a subprocess, a real SQLite file, and breach look-ups
answered by a range server on 127.0.0.1 started by the test.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.loopback import RangeServer
from tests.memory_keyring import keyring_env
from tests.test_audit_interactive import NUTSEC

BREACHED, LIKE_IT = "Summer2024!", "Summer2025!"

ANSWERS = f"""
checklist = "nut-social-media"

[[devices]]
name = "Phone"
kind = "phone"
system = "android"

[[accounts]]
name = "Work e-mail"
platform = "email"
provider = "work"
password = "{BREACHED}"

[[accounts]]
name = "X"
platform = "twitter"
password = "{LIKE_IT}"
"""

NOTHING = """
checklist = "nut-social-media"

[[devices]]
name = "Phone"
kind = "phone"
system = "android"
"""


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with RangeServer() as running:
        running.add_password(BREACHED, 1200)
        yield running


def nutsec(data: Path, *args: str, server: RangeServer | None = None) -> str:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), **keyring_env(data)}
    if server is not None:
        args = (*args, "--hibp-url", server.url)
    done = subprocess.run(
        [NUTSEC, *args], capture_output=True, text=True, env=env, timeout=90, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def formats(data: Path, ref: str = "latest") -> dict[str, str]:
    shown = {"terminal": nutsec(data, "report", ref, "--full", "--no-pager", "--plain")}
    out_dir = data.parent / f"{data.name}-reports"  # never inside the data folder
    out_dir.mkdir(exist_ok=True)
    for name in ("html", "markdown", "json"):
        out = out_dir / f"report.{name}"
        nutsec(data, "report", ref, "--format", name, "-o", str(out))
        shown[name] = out.read_text(encoding="utf-8")
    return shown


def words(text: str) -> str:
    """Text without HTML tags or Markdown escapes, one space between words."""
    text = re.sub(r"<[^>]+>", " ", text).replace("&#39;", "'").replace("\\", "")
    return " ".join(text.split())


def test_a_breached_password_is_said_as_found_first_for_its_account_in_every_format(
    tmp_path: Path, server: RangeServer
) -> None:
    answers = tmp_path / "me.toml"
    answers.write_text(ANSWERS, encoding="utf-8")
    summary = nutsec(tmp_path, "audit", "--answers", str(answers), "--plain", server=server)
    breached = "Change Work e-mail's password: it is in known breaches 1,200 times"
    assert breached in " ".join(summary.split())
    data = json.loads(nutsec(tmp_path, "report", "latest", "--format", "json"))
    headlines = [a["action"] for a in data["actions"]]
    mail = [
        h for h, a in zip(headlines, data["actions"], strict=True) if a["subject"] == "Work e-mail"
    ]
    # One action for the password: the breach first, then what else was found about it (one
    # new password fixes them all), never a second action for the same password.
    assert mail[0] == f"{breached}, very like X's and easy to guess", mail
    assert not any("password" in h for h in mail[1:]), mail
    assert "Change X's password: it is very like Work e-mail's" in headlines[1]
    assert len(headlines) == len(set(headlines)), "no action twice"
    for name, text in formats(tmp_path).items():
        flat = words(text)
        assert flat.count(breached) == 1, name  # once in the whole report: Start here only
        assert "Make sure Work e-mail has no breached password" not in flat, name
        for headline in headlines:
            assert flat.count(headline) <= 1, (name, headline)
        assert BREACHED not in text and LIKE_IT not in text, name


def test_an_audit_with_no_answers_is_never_scored_or_compared(tmp_path: Path) -> None:
    answers = tmp_path / "nothing.toml"
    answers.write_text(NOTHING, encoding="utf-8")
    summary = nutsec(tmp_path, "audit", "--answers", str(answers), "--plain", "--offline")
    assert "out of 100" not in summary
    assert "not scored yet" in summary
    for name, text in formats(tmp_path).items():
        assert "0 out of 100" not in words(text), name
        assert "out of 100" not in words(text), name
    data = json.loads(nutsec(tmp_path, "report", "latest", "--format", "json"))
    assert data["score"]["scored"] is False and data["score"]["overall"] is None

    # A scored audit before and after it: history and "since last time" pass over it.
    scored = tmp_path / "scored.toml"
    scored.write_text(
        NOTHING + '[devices.answers]\n"device.screen-lock" = "yes"\n', encoding="utf-8"
    )
    nutsec(tmp_path, "audit", "--answers", str(scored), "--plain", "--offline")
    nutsec(tmp_path, "audit", "--answers", str(answers), "--plain", "--offline")
    nutsec(tmp_path, "audit", "--answers", str(scored), "--plain", "--offline")
    history = nutsec(tmp_path, "history", "--plain")
    assert re.search(r"\b0\b.*Not scored", history) is None
    assert "-100" not in history and "+100" not in history
    assert "no change" in history  # audit 4 compared with audit 2, never with 3
    newest = json.loads(nutsec(tmp_path, "report", "latest", "--format", "json"))
    assert newest["progress"] is None or "0 to" not in json.dumps(newest["progress"])
    unscored = json.loads(nutsec(tmp_path, "report", "3", "--format", "json"))
    assert unscored["progress"] is None
