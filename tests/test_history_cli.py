"""`nutsec history` and `nutsec report`: saved audits, shown kindly; report files written whole."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from nutsec.audit_data import Audit, Device
from nutsec.checklist.loader import load_checklist_text
from nutsec.cli import app
from nutsec.cli.history import show_date
from nutsec.report.formats import ReportFormat
from nutsec.store.sqlite import STORE_FILE, open_store
from tests.conftest import DOCS, toml_block

runner = CliRunner()
TEXT = toml_block(DOCS / "checklist-format.md")
CHECKLIST = load_checklist_text(TEXT, "example")
T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def save_audits(data: Path, scores: list[int | None]) -> list[int]:
    """One audit per score, a week apart; None leaves that audit unfinished."""
    ids = []
    with open_store(data) as store:
        for week, overall in enumerate(scores):
            audit = Audit(checklist=CHECKLIST, created_at=T0 + timedelta(weeks=week))
            audit_id = store.create(audit, TEXT)
            store.save_inventory(audit_id, (Device("Work phone", "phone"),), ())
            store.save_answer(audit_id, "device.screen-lock", "Work phone", "yes")
            if overall is not None:
                store.finish(audit_id, overall, "Good")
            ids.append(audit_id)
    return ids


def lines_of(output: str) -> list[str]:
    return [" ".join(line.split()) for line in output.splitlines() if line.strip()]


def test_history_without_audits_is_a_kind_message(private_data_dir: Path) -> None:
    result = runner.invoke(app, ["history"])
    assert result.exit_code == 0
    assert "No audits saved yet. Run 'nutsec audit' to start your first one." in result.output
    assert not (private_data_dir / STORE_FILE).exists(), "looking creates nothing"


def test_history_lists_scores_and_the_change_since_the_last_finished(
    private_data_dir: Path,
) -> None:
    ids = save_audits(private_data_dir, [52, None, 64, 61, 61])
    result = runner.invoke(app, ["history", "--plain"])
    assert result.exit_code == 0, result.output
    rows = lines_of(result.output)
    date = show_date(T0)
    assert f"{ids[0]} {date} tiny-example 1.0 52 Good first" in rows
    assert f"{ids[1]} {show_date(T0 + timedelta(weeks=1))} tiny-example 1.0 unfinished" in rows
    assert any(r.startswith(f"{ids[2]} ") and r.endswith("64 Good +12") for r in rows), rows
    assert any(r.startswith(f"{ids[3]} ") and r.endswith("61 Good -3") for r in rows), rows
    assert any(r.startswith(f"{ids[4]} ") and r.endswith("61 Good no change") for r in rows), rows
    assert f"Audit {ids[1]} is unfinished — resume it with: nutsec audit --resume {ids[1]}" in rows


def test_report_json_goes_to_stdout(private_data_dir: Path) -> None:
    save_audits(private_data_dir, [64])
    result = runner.invoke(app, ["report", "latest", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "nutsec.report/2"
    assert data["devices"] == [{"name": "Work phone", "kind": "phone"}]
    assert data["score"]["overall"] == 100


def test_report_latest_is_the_newest_finished_audit(private_data_dir: Path) -> None:
    ids = save_audits(private_data_dir, [64, 70, None])
    result = runner.invoke(app, ["report", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["audit_id"] == ids[1]
    unfinished = runner.invoke(app, ["report", str(ids[2]), "--format", "json"])
    assert unfinished.exit_code == 0
    assert json.loads(unfinished.stdout)["finished"] is False


def test_report_file_is_written_whole_and_private(private_data_dir: Path, tmp_path: Path) -> None:
    save_audits(private_data_dir, [64])
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    result = runner.invoke(app, ["report", "latest", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "nutsec.report/2"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"], "no temp left"
    assert result.stdout == ""


def test_report_to_a_missing_folder_is_exit_2_and_writes_nothing(
    private_data_dir: Path, tmp_path: Path
) -> None:
    save_audits(private_data_dir, [64])
    target = tmp_path / "nowhere" / "report.json"
    result = runner.invoke(app, ["report", "--format", "json", "-o", str(target)])
    assert result.exit_code == 2
    assert f"Cannot write {target}" in " ".join(result.output.split())
    assert not target.parent.exists()


def test_report_without_saved_audits_is_exit_2(private_data_dir: Path) -> None:
    result = runner.invoke(app, ["report", "latest", "--format", "json"])
    assert result.exit_code == 2
    assert "No saved audit yet. Run 'nutsec audit' first." in result.output
    save_audits(private_data_dir, [64])
    missing = runner.invoke(app, ["report", "7", "--format", "json"])
    assert missing.exit_code == 2
    assert "No saved audit with id 7. See 'nutsec history'." in missing.output


def test_every_report_format_renders_a_saved_audit(private_data_dir: Path) -> None:
    save_audits(private_data_dir, [64])
    for choice in ReportFormat:
        result = runner.invoke(app, ["report", "--format", choice.value, "--full"])
        assert result.exit_code == 0, (choice, result.output)
        assert "Work phone" in result.stdout, choice  # scored afresh: one "yes" of one
        assert ("100 out of 100" if choice is not ReportFormat.JSON else '"overall": 100') in (
            " ".join(result.stdout.replace("<small>", "").split())
        ), choice


def test_a_damaged_store_is_exit_2_naming_the_file(private_data_dir: Path) -> None:
    private_data_dir.mkdir(mode=0o700)
    path = private_data_dir / STORE_FILE
    path.write_bytes(b"this is not a database" * 50)
    for command in (["history"], ["report", "--format", "json"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2
        assert str(path) in " ".join(result.output.split())
        assert "left untouched" in result.output
    assert path.read_bytes() == b"this is not a database" * 50


def test_installed_script_reports_and_lists_history(private_data_dir: Path, tmp_path: Path) -> None:
    save_audits(private_data_dir, [52, 64])
    script = Path(sys.executable).with_name("nutsec")
    env = {**os.environ, "NUTSEC_DATA_DIR": str(private_data_dir)}
    target = tmp_path / "r.json"
    report = subprocess.run(
        [str(script), "report", "latest", "--format", "json", "-o", str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert report.returncode == 0, report.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["score"]["overall"] == 100
    history = subprocess.run(
        [str(script), "history", "--plain"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert history.returncode == 0, history.stderr
    assert "+12" in history.stdout
    missing = subprocess.run(
        [str(script), "report", "99", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and "No saved audit with id 99" in missing.stderr
