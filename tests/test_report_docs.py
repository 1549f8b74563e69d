"""docs/report-format.md shows the plan as the real renderer writes it: its example is generated
from tests/report_samples.py's audit, and this test fails when the two drift apart.
NUTSEC_UPDATE_DOCS=1 rewrites the example."""

from __future__ import annotations

import os

from nutsec.report.formats import ReportFormat, renderer_for
from tests.conftest import DOCS
from tests.test_report_plan import sample_report

START = "<!-- generated: plan example -->\n"
END = "<!-- end generated -->\n"
DOC = DOCS / "report-format.md"


def plan_example() -> str:
    """The Markdown report of the sample audit, from Start here to its first two groups."""
    markdown = renderer_for(ReportFormat.MARKDOWN).render(sample_report(prepared_for="Sam Rep"))
    begin = markdown.index("## Start here")
    rest = markdown.index("## The rest of your plan")
    groups = markdown.split("### ")
    two_groups = len("### ".join(groups[:3]))  # up to the third group's heading
    end = min(two_groups, markdown.index("## How the score was worked out"))
    assert begin < rest < end
    return "```markdown\n" + markdown[begin:end].rstrip() + "\n```\n"


def test_the_documented_plan_example_is_what_the_renderer_writes() -> None:
    text = DOC.read_text(encoding="utf-8")
    head, found, tail = text.partition(START)
    assert found, f"{DOC.name} has no {START.strip()} marker"
    documented, found, after = tail.partition(END)
    assert found, f"{DOC.name} has no {END.strip()} marker"
    real = plan_example()
    if os.environ.get("NUTSEC_UPDATE_DOCS") == "1":
        DOC.write_text(f"{head}{START}{real}{END}{after}", encoding="utf-8")
        documented = real
    assert documented == real, (
        "docs/report-format.md's plan example is out of date: "
        "run NUTSEC_UPDATE_DOCS=1 pytest tests/test_report_docs.py"
    )
