"""Progress over time: what was fixed and what is new since the previous audit, item by item, in
the report and in `nutsec history`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.audit_data import Audit, Device
from nutsec.cli import app
from nutsec.report.progress import previous_finished, progress_since
from nutsec.report.view import show_day
from nutsec.store.interface import AuditSummary
from nutsec.store.sqlite import open_store
from tests.report_samples import CHECKLIST, sample_audit

runner = CliRunner()
JUNE = datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
LOCK = ("device.screen-lock", "Laptop")
UPDATES = ("device.updates", "Phone")


def earlier(**answers: str) -> Audit:
    changed = {tuple(k.split("@")): v for k, v in answers.items()}
    return sample_audit(id=2, finished_at=JUNE, answers={**sample_audit().answers, **changed})


@pytest.mark.parametrize(
    ("before", "fixed", "new"),
    [
        # the same answers: nothing fixed, nothing new
        ({}, [], []),
        # the laptop had no screen lock in June and has one now: fixed
        ({"device.screen-lock@Laptop": "no"}, ["Turn on a screen lock on your Laptop"], []),
        # the phone was up to date in June and is not now: new
        (
            {"device.updates@Phone": "yes"},
            [],
            ["Install the latest security updates on your Phone"],
        ),
        # skipped in June and failing now: new (it was not known to be a problem)
        ({"device.encryption@Laptop": "skip"}, [], ["Turn on disk encryption on your Laptop"]),
    ],
)
def test_fixed_and_new_are_worked_out_item_by_item(
    before: dict[str, str], fixed: list[str], new: list[str]
) -> None:
    answers = {k: v for k, v in before.items() if v != "skip"}
    previous = earlier(**answers)
    if "device.encryption@Laptop" in before:
        previous = replace(
            previous,
            answers={
                k: v for k, v in previous.answers.items() if k != ("device.encryption", "Laptop")
            },
        )
    progress = progress_since(previous, sample_audit(), 50, 60)
    assert list(progress.fixed) == fixed
    assert list(progress.new) == new
    assert progress.since == JUNE and progress.since_id == 2


def test_a_device_added_since_brings_its_problems_as_new() -> None:
    previous = replace(earlier(), devices=(Device("Laptop", "laptop", "windows"),))
    new = progress_since(previous, sample_audit(), 50, 60).new
    assert new and all("Phone" in headline for headline in new)


def summary(audit_id: int, finished: bool) -> AuditSummary:
    return AuditSummary(audit_id, JUNE, JUNE if finished else None, "c", "1", 1, "Good")


def test_the_previous_audit_is_the_last_finished_one_before() -> None:
    rows = [summary(1, True), summary(2, False), summary(3, True), summary(4, True)]
    assert previous_finished(rows, 4) == 3
    assert previous_finished(rows, 3) == 1
    assert previous_finished(rows, 1) is None


def test_history_says_what_was_fixed_and_what_is_new_since_the_audit_before(
    private_data_dir: Path,
) -> None:
    text = (CHECKLIST.path or Path()).read_text(encoding="utf-8") if CHECKLIST.path else ""
    ids = []
    with open_store(private_data_dir) as store:
        for audit in (earlier(**{"device.screen-lock@Laptop": "no"}), sample_audit()):
            audit_id = store.create(replace(audit, id=None, answers={}), text)
            store.save_inventory(audit_id, audit.devices, audit.accounts)
            for (item, subject), answer in audit.answers.items():
                store.save_answer(audit_id, item, subject, answer)
            store.finish(audit_id, 50, "Needs attention")
            ids.append(audit_id)
        before, now = store.load(ids[0]), store.load(ids[1])
    # The stored checklist is the shipped one: its own words for the action.
    expected = progress_since(before, now, 50, 50)
    (fixed,) = expected.fixed
    assert "Laptop" in fixed and not expected.new
    line = f"Fixed since {show_day(expected.since)}: {fixed}"
    result = runner.invoke(app, ["history", "--plain"])
    assert result.exit_code == 0, result.output
    assert line in " ".join(result.output.split())
    report = runner.invoke(app, ["report", "--format", "markdown"])
    assert line in " ".join(report.stdout.split())
