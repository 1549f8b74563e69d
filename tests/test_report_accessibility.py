"""The HTML report passes axe-core's WCAG 2.1 A and AA rules in a real Chromium: language, one
h1, ordered headings, labelled tables, and contrast that survives black-and-white printing."""

from __future__ import annotations

import os
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pytest

from nutsec.report.formats import ReportFormat, renderer_for
from tests.test_report_plan import sample_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Skipped only off CI: in CI (.ci/run installs Chromium) a missing browser fails the run.
pytestmark = pytest.mark.skipif(
    not CHROMIUM and not os.environ.get("CI"), reason="needs chromium (.ci/run installs it)"
)


def axe_violations(page_html: str, tmp_path: Path) -> list[dict[str, object]]:
    """axe-core's violations of the WCAG 2.1 A and AA rules, in the system's Chromium."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "report.html"
    page_file.write_text(page_html, encoding="utf-8")
    with sync_playwright() as playwright:
        # No browser download is possible here: drive the Chromium the system has.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
            # The same page as it prints, in black and white: contrast must still hold.
            page.emulate_media(media="print")
            printed = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        finally:
            browser.close()
    return list(results.response["violations"]) + list(printed.response["violations"])


def describe(violations: list[dict[str, object]]) -> str:
    return "; ".join(f"{v['id']}: {v['help']}" for v in violations)


@pytest.mark.parametrize("name", [None, "Sam Rep"])
def test_the_html_report_has_no_wcag_21_aa_violation(name: str | None, tmp_path: Path) -> None:
    page = renderer_for(ReportFormat.HTML).render(sample_report(prepared_for=name))
    violations = axe_violations(page, tmp_path)
    assert not violations, describe(violations)


def test_axe_finds_a_violation_when_there_is_one(tmp_path: Path) -> None:
    """The check can fail: pale grey text on white is caught."""
    page = renderer_for(ReportFormat.HTML).render(sample_report())
    pale = page.replace("</style>", "p { color: #bbb !important; }\n</style>", 1)
    assert "color-contrast" in describe(axe_violations(pale, tmp_path))


def test_one_h1_and_headings_never_skip_a_level() -> None:
    page = renderer_for(ReportFormat.HTML).render(sample_report())
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", page)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in pairwise(levels))
    assert '<html lang="en">' in page
