"""A score from a few answers says so: skipped questions are never silently part of 'Strong'."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.checklist.model import ItemStatus as S
from nutsec.cli import app
from nutsec.report.formats import ReportFormat
from nutsec.report.view import coverage_phrase, nothing_to_fix_phrase

runner = CliRunner()

FEW_ANSWERS = """
[answers]
"public-profile.union-role" = "yes"

[[devices]]
name = "Phone"
kind = "phone"
[devices.answers]
"device.screen-lock" = "yes"
"""


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([S.PASS, S.FAIL, S.NOT_APPLICABLE, S.PARTIAL], None),
        ([S.PASS, S.SKIPPED, S.SKIPPED], "You answered 1 of 3 questions. The other 2 are not"),
        ([S.SKIPPED], "You answered 0 of 1 question. The other one is not"),
        ([S.PASS, S.UNKNOWN], "1 password could not be checked for known breaches."),
        ([S.UNKNOWN, S.UNKNOWN], "2 passwords could not be checked for known breaches."),
        ([S.SKIPPED, S.UNKNOWN], "You answered 1 of 2 questions. The other one is not"),
    ],
)
def test_coverage_is_said_only_when_something_was_skipped_or_not_checked(
    statuses: list[S], expected: str | None
) -> None:
    phrase = coverage_phrase(statuses)
    assert phrase == expected if expected is None else phrase and phrase.startswith(expected)
    if S.UNKNOWN in statuses:  # never silent about checks not done, and never "safe"
        assert phrase and "not counted as safe" in phrase


def test_nothing_to_fix_is_only_well_done_when_everything_was_answered() -> None:
    assert nothing_to_fix_phrase([S.PASS, S.NOT_APPLICABLE]) == "Nothing to fix: well done."
    assert nothing_to_fix_phrase([S.PASS, S.SKIPPED]) == "Nothing to fix in what you answered."


def test_summary_and_every_report_say_how_much_was_answered(tmp_path: Path) -> None:
    answers = tmp_path / "few.toml"
    answers.write_text(FEW_ANSWERS, encoding="utf-8")
    result = runner.invoke(app, ["audit", "--answers", str(answers), "--offline", "--plain"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Your score: 100 out of 100 (Strong)" in flat
    assert "You answered 2 of 33 questions. The other 31 are not in the score" in flat
    assert "Nothing to fix in what you answered." in flat
    assert "well done" not in flat
    for choice in ReportFormat:
        shown = runner.invoke(app, ["report", "latest", "--format", choice.value, "--plain"])
        assert shown.exit_code == 0, shown.output
        if choice is not ReportFormat.JSON:
            assert "You answered 2 of 33 questions" in " ".join(shown.output.split()), choice


def test_questions_still_to_come_are_neither_asked_nor_skipped_in_the_coverage() -> None:
    """An unfinished audit's part note says how many are still to come; the coverage does not
    say it again as 'the other N'."""
    from nutsec.report.view import short_coverage

    statuses = [S.PASS, S.SKIPPED, S.SKIPPED, S.SKIPPED]
    assert coverage_phrase(statuses, answered=(1, 4), to_come=3) is None
    assert short_coverage(statuses, to_come=3) is None
    said = coverage_phrase(statuses, answered=(1, 4), to_come=2)
    assert said is not None and said.startswith("You answered 1 of 2 questions. The other one")
    short = short_coverage(statuses, to_come=2)
    assert short is not None and short.startswith("You answered 1 of 2 questions; the other one")
