"""Issue 10's report: a plan a rep keeps. Page 1 holds who, when, the score and the three things
to do first; the whole report of a 2-device, 3-account audit fits 4 A4 pages, printed by a real
browser; the terminal report is one screen; errors teach."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from nutsec.cli import app
from nutsec.report.formats import ReportFormat, renderer_for
from nutsec.report.model import Report, build_report
from tests.printing import CHROMIUM, print_pdf
from tests.report_samples import DEVICES, MENU_PATHS, sample_audit

runner = CliRunner()
NUTSEC = str(Path(sys.executable).parent / "nutsec")
# In CI (.ci/run installs them) a missing browser fails the run instead of skipping.
HAVE_PRINTING = bool(CHROMIUM and shutil.which("pdfinfo") and shutil.which("pdftotext")) or bool(
    os.environ.get("CI")
)
needs_printing = pytest.mark.skipif(
    not HAVE_PRINTING, reason="needs chromium and poppler-utils (.ci/run installs them)"
)
NAME = "Sam <b>Rep</b> & Co"


def sample_report(**options: object) -> Report:
    earlier = sample_audit(
        id=2,
        finished_at=datetime(2026, 6, 2, 10, 0, tzinfo=UTC),
        answers={
            **sample_audit().answers,
            ("device.screen-lock", "Laptop"): "no",
            ("device.updates", "Phone"): "yes",
        },
    )
    return build_report(
        sample_audit(),
        tool_version="9.9.9",
        previous=earlier,
        **options,  # type: ignore[arg-type]
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


# Done when: the printed report of issue 10's audit ----------------------------------------------


@needs_printing
def test_the_printed_plan_fits_four_a4_pages_with_score_and_three_actions_on_page_one(
    tmp_path: Path,
) -> None:
    report = sample_report(prepared_for="Sam Rep")
    page = renderer_for(ReportFormat.HTML).render(report)
    html_file = tmp_path / "report.html"
    html_file.write_text(page, encoding="utf-8")
    pages = pdf_pages(print_pdf(html_file, tmp_path))

    assert len(pages) <= 4, f"{len(pages)} pages"
    first = flat(pages[0])
    assert re.search(rf"\b{report.overall}\b", first) and "out of 100" in first
    assert report.band.value in first
    assert "Prepared for: Sam Rep" in first and "Start here" in first
    start = re.findall(r'<ol class="start">(.*?)</ol>', page, re.S)
    assert len(start) == 1 and start[0].count('<li class="action">') == 3
    for action in report.actions[:3]:
        assert flat(action.headline) in first, action.headline
    # The fourth action is not in Start here (it is in the rest of the plan).
    assert "The rest of your plan" in flat(" ".join(pages[1:]) + first)
    # No near-empty last page: the lost-device card fills it.
    assert len(flat(pages[-1])) > 600 and "Numbers to ring" in flat(pages[-1])


def test_no_action_names_another_systems_menu_path() -> None:
    report = sample_report()
    systems = {d.name: d.system for d in DEVICES}
    checked = 0
    for action in report.actions:
        if action.subject not in systems:
            continue
        own = systems[action.subject]
        for other, paths in MENU_PATHS.items():
            if other != own:
                named = [p for p in paths if p in action.text]
                assert not named, f"{action.headline}: names {named} ({other})"
        checked += 1
    assert checked >= 4  # both devices have actions to check


def test_no_two_actions_share_an_item_and_subject() -> None:
    report = sample_report()
    heads = [(a.item_id, a.subject) for a in report.actions]
    problems = [(p.item_id, p.subject) for a in report.actions for p in a.problems]
    assert len(set(heads)) == len(heads)
    assert len(set(problems)) == len(problems)
    # The audit's measured and self-reported reuse of Twitter is one action (with the rest of
    # what was found about that password: one new password fixes it all) ...
    twitter = [a for a in report.actions if "Twitter" in a.subjects]
    reuse = [a for a in twitter if {p.item_id for p in a.problems} >= {"password.reused"}]
    assert len(reuse) == 1
    assert {p.item_id for p in reuse[0].problems} >= {"password.reused", "account.password-unique"}
    # ... and the password that could not be checked is one action naming it.
    unchecked = [a for a in report.actions if a.headline.startswith("Check the password")]
    assert [a.subjects for a in unchecked] == [("Union site",)]


def test_every_format_shows_start_here_progress_skipped_and_the_cards_blanks() -> None:
    report = sample_report()
    for choice in ReportFormat:
        text = renderer_for(choice, full=True, plain=True).render(report)
        if choice is ReportFormat.JSON:
            data = json.loads(text)
            assert [a["start_here"] for a in data["actions"][:4]] == [True, True, True, False]
            assert data["progress"]["fixed"] == ["Turn on a screen lock on your Laptop"]
            assert data["lost_device_card"]["warnings"]
            continue
        shown = flat(html.unescape(re.sub(r"<[^>]+>", " ", text)))
        assert "Start here" in shown, choice
        assert "Fixed since 2 June 2026: Turn on a screen lock on your Laptop" in shown, choice
        assert "New since 2 June 2026: Install the latest security updates on your Phone" in shown
        assert "skipped" in shown.lower(), choice
        for contact in report.lost_device_card.contacts:
            assert contact in shown, (choice, contact)
        assert "Police: 101" in shown and "If found, please call" in shown
        assert "Find my device is off, or may be off, on Phone" in shown, choice


def test_the_prepared_for_name_is_escaped_or_left_blank_to_write_on() -> None:
    named = renderer_for(ReportFormat.HTML).render(sample_report(prepared_for=NAME))
    assert "Prepared for: <strong>Sam &lt;b&gt;Rep&lt;/b&gt; &amp; Co</strong>" in named
    blank = renderer_for(ReportFormat.HTML).render(sample_report())
    assert 'Prepared for: <span class="blank">' in blank
    markdown = renderer_for(ReportFormat.MARKDOWN).render(sample_report(prepared_for=NAME))
    assert "Prepared for: Sam &lt;b>Rep&lt;/b> & Co" in markdown


def test_every_format_shows_the_local_time_with_its_zone() -> None:
    """Run in a zone an hour ahead of UTC: 09:52 UTC is 10:52 there, and says so."""
    code = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.test_report_plan import sample_report;"
        "from nutsec.report.formats import ReportFormat, renderer_for;"
        "r = sample_report();"
        "print('\\n'.join(renderer_for(f, full=True).render(r) for f in "
        "(ReportFormat.TERMINAL, ReportFormat.HTML, ReportFormat.MARKDOWN)))"
    )
    env = {**os.environ, "TZ": "Europe/Paris"}
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert out.count("25 November 2026, 10:52 CET") >= 3
    assert "09:52" not in out


# The terminal: a summary first -----------------------------------------------------------------

ANSWERS = """
checklist = "nut-social-media"
[answers]
"passwords.manager" = "no"
"safe-habits.unexpected-messages" = "no"
"clarity.checked-before-posting" = "partly"
[[devices]]
name = "Laptop"
kind = "laptop"
[devices.answers]
"device.screen-lock" = "no"
"device.auto-lock" = "no"
[[devices]]
name = "Phone"
kind = "phone"
[devices.answers]
"device.remote-lock" = "no"
"device.updates" = "no"
[[accounts]]
name = "Mail"
platform = "email"
password = "Summer2024!"
[accounts.answers]
"account.email-two-factor" = "no"
[[accounts]]
name = "Twitter"
platform = "twitter"
password = "Summer2024!"
[accounts.answers]
"account.password-unique" = "no"
"account.two-factor" = "no"
[[accounts]]
name = "Union site"
platform = "union"
password = "correct horse battery staple kettle"
"""


@pytest.fixture
def saved(write_file: Callable[[str, str], Path], private_data_dir: Path) -> Path:
    answers = write_file("answers.toml", ANSWERS)
    result = runner.invoke(app, ["audit", "--answers", str(answers), "--offline"])
    assert result.exit_code == 0, result.output
    return private_data_dir


def test_at_80x24_the_report_shows_the_score_line_on_screen(saved: Path) -> None:
    """In a real terminal (a pty) of 80x24, nothing scrolls the score off the screen."""
    child = pexpect.spawn(
        NUTSEC,
        ["report"],
        env={**os.environ, "NUTSEC_DATA_DIR": str(saved), "TERM": "xterm", "COLUMNS": "80"},
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = re.sub(r"\x1b\[[0-9;]*m", "", child.before).replace("\r\n", "\n").rstrip("\n")
    lines = screen.split("\n")
    # The prompt takes the 24th line: the report must fit in 23, none wider than 80.
    assert len(lines) <= 23, screen
    assert max(len(line) for line in lines) <= 80
    assert re.search(r"^Your score: \d+ out of 100 \(", screen, re.M)
    assert "Start here" in screen and "nutsec report --full" in screen


def test_full_report_through_a_pipe_prints_everything_without_a_pager(saved: Path) -> None:
    out = subprocess.run(
        [NUTSEC, "report", "--full"],
        env={**os.environ, "NUTSEC_DATA_DIR": str(saved)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "The rest of your plan" in out.stdout and "Numbers to ring" in out.stdout
    summary = runner.invoke(app, ["report"]).stdout
    assert len(summary.splitlines()) < 24 < len(out.stdout.splitlines())


@pytest.mark.parametrize("name", ["HTML", "Html", "markdown", "JSON", " terminal "])
def test_format_names_are_case_insensitive(saved: Path, name: str) -> None:
    result = runner.invoke(app, ["report", "--format", name])
    assert result.exit_code == 0, result.output


def test_asking_for_pdf_says_how_to_print_one(saved: Path) -> None:
    result = runner.invoke(app, ["report", "--format", "PDF"])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "--format html -o report.html" in message and "print" in message
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_an_unknown_format_lists_the_ones_there_are(saved: Path) -> None:
    result = runner.invoke(app, ["report", "--format", "docx"])
    assert result.exit_code == 2
    assert "terminal, html, markdown, json" in result.output


@pytest.mark.parametrize("no_pager", [False, True])
def test_full_report_on_a_terminal_goes_through_the_pager_unless_told_not_to(
    saved: Path, tmp_path: Path, no_pager: bool
) -> None:
    """rich's pager runs $PAGER (here one that keeps what it is given in a file)."""
    paged = tmp_path / "paged.txt"
    child = pexpect.spawn(
        NUTSEC,
        ["report", "--full", *(["--no-pager"] if no_pager else [])],
        env={**os.environ, "NUTSEC_DATA_DIR": str(saved), "PAGER": f"cat > {paged}"},
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    if no_pager:
        assert not paged.exists() and "Numbers to ring" in child.before
    else:
        assert "Numbers to ring" in paged.read_text(encoding="utf-8")
        assert "Numbers to ring" not in child.before
        assert "\x1b[" not in paged.read_text(encoding="utf-8")  # no colour codes to show raw
