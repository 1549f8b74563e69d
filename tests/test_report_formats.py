"""Terminal, HTML and Markdown reports: same content, everything typed shown as typed, no secret.

The HTML is also printed by a real browser (headless Chromium) to check it is A4 and readable.
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.audit_data import Account, Audit, AuditState, Device, PasswordFindings
from nutsec.breach.model import BreachResult
from nutsec.checklist.catalog import ChecklistCatalog
from nutsec.cli import app
from nutsec.passwords.strength import StrengthResult
from nutsec.report.formats import ReportFormat, renderer_for
from nutsec.report.model import Report, build_report
from tests.printing import CHROMIUM, POPPLER, print_pdf

runner = CliRunner()
NUTSEC = str(Path(sys.executable).parent / "nutsec")
CHECKLIST = ChecklistCatalog.standard(Path("/nonexistent")).load("nut-social-media")

SCRIPT = "<script>alert(1)</script>"
HOSTILE_DEVICE = f"{SCRIPT} phone"
HOSTILE_ACCOUNT = 'Union "quotes" &amp; [red]x[/red]'
PASSWORDS = ("Summer2024!", "Summer2025!")
USERNAMES = ("sam_rep", "sam@example.org")
BOX_DRAWING = re.compile("[\u2500-\u257f]")
ANSI = re.compile("\x1b\\[")
CARD_TITLE = "Lost or stolen device: what to do, in order"


def hostile_audit() -> Audit:
    weak = StrengthResult(1, "3 hours", "This is similar to a common password.", (), "weak")
    return Audit(
        checklist=CHECKLIST,
        created_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        id=7,
        state=AuditState.FINISHED,
        finished_at=datetime(2026, 11, 25, 9, 52, tzinfo=UTC),
        devices=(Device(HOSTILE_DEVICE, "phone"), Device("Laptop", "laptop")),
        accounts=(
            Account("Twitter", "twitter", USERNAMES[0]),
            Account("Mail", "email", USERNAMES[1]),
            Account(HOSTILE_ACCOUNT, "union"),
        ),
        answers={("device.screen-lock", HOSTILE_DEVICE): "no"},
        passwords={
            "Twitter": PasswordFindings(weak, BreachResult.found(5021), similar_to=("Mail",)),
            "Mail": PasswordFindings(
                weak, BreachResult.unknown("offline"), similar_to=("Twitter",)
            ),
        },
    )


def report() -> Report:
    return build_report(hostile_audit(), tool_version="9.9.9")


def render(format: ReportFormat, **options: bool) -> str:
    return renderer_for(format, **options).render(report())


def flat(text: str) -> str:
    return " ".join(text.split())


def visible(text: str, choice: ReportFormat) -> str:
    """What a reader sees: for HTML, the text between the tags, unescaped."""
    if choice is ReportFormat.HTML:
        text = html.unescape(re.sub(r"<[^>]+>", " ", text.split("</head>")[1]))
    return flat(text)


def test_every_report_format_renders_the_score_the_first_action_and_the_card() -> None:
    r = report()
    first = r.actions[0]
    assert first.subject == HOSTILE_DEVICE and first.item_id == "device.screen-lock"
    for choice in ReportFormat:
        text = renderer_for(choice).render(r)
        if choice is ReportFormat.JSON:
            data = json.loads(text)
            assert data["lost_device_card"]["title"] == r.lost_device_card.title
            continue
        shown = visible(text, choice)
        assert f"{r.overall} out of 100" in shown, choice
        assert r.band.value in shown, choice
        assert flat(first.title) in shown, choice
        assert r.lost_device_card.title in shown, choice
        version = f"version {CHECKLIST.version}"
        assert "9.9.9" in shown and "nut-social-media" in shown and version in shown, choice
        assert "25 November 2026, 09:52 UTC" in shown, choice


def test_no_format_shows_a_password_or_a_username() -> None:
    for choice in ReportFormat:
        text = render(choice)
        for secret in PASSWORDS + USERNAMES:
            assert secret not in text, f"{choice}: a password or username is in the report"


@pytest.mark.parametrize(
    "choice", [ReportFormat.TERMINAL, ReportFormat.HTML, ReportFormat.MARKDOWN]
)
def test_passwords_show_strength_breach_status_and_reuse_and_unknown_is_not_checked(
    choice: ReportFormat,
) -> None:
    shown = visible(render(choice), choice)
    assert "Weak: could be guessed in 3 hours" in shown
    assert "Found in known data breaches (5,021 times)" in shown
    assert "Not checked (offline)" in shown
    assert "Similar password to" in shown
    assert "Password not checked" in shown  # the union account: no password given
    assert "Not found in known data breaches" not in shown, "unknown is never shown as clean"


def test_html_escapes_everything_typed() -> None:
    page = render(ReportFormat.HTML)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; phone" in page
    assert "Union &#34;quotes&#34; &amp;amp; [red]x[/red]" in page
    assert "<script" not in page.lower()


def test_html_is_self_contained_and_fetches_nothing() -> None:
    page = render(ReportFormat.HTML)
    lowered = page.lower()
    for banned in ("<script", "src=", "href=", "http://", "https://", "url(", "@import", "<link"):
        assert banned not in lowered, banned
    assert (
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">" in page
    )
    assert "@page { size: A4;" in page
    assert "icloud.com/find" in page  # addresses as plain text, which a printed page shows


def test_markdown_escapes_everything_typed() -> None:
    md = render(ReportFormat.MARKDOWN)
    assert "&lt;script>alert(1)&lt;/script> phone" in md
    assert 'Union "quotes" &amp;amp; \\[red\\]x\\[/red\\]' in md
    assert "<script" not in md.lower()


def test_markdown_keeps_a_plain_greater_than_readable_and_quotes_only_what_is_markup() -> None:
    from nutsec.report.markdown_format import markdown_text

    assert markdown_text("Settings > Security & privacy") == "Settings > Security & privacy"
    assert markdown_text("a <b> &amp; c") == "a &lt;b> &amp;amp; c"
    assert markdown_text("> not a quote") == "\\> not a quote"
    assert markdown_text("# not a heading") == "\\# not a heading"


@pytest.mark.parametrize(
    "options", [{"plain": True}, {"plain": False}, {"plain": False, "color": True}]
)
def test_terminal_shows_names_as_typed_and_never_reads_them_as_markup(
    options: dict[str, bool],
) -> None:
    text = render(ReportFormat.TERMINAL, **options)
    plain_text = ANSI.sub("", re.sub("\x1b\\[[0-9;]*m", "", text))
    assert HOSTILE_DEVICE in plain_text
    assert HOSTILE_ACCOUNT in plain_text, "[red] is shown, not turned into colour"


def test_plain_terminal_has_no_colour_and_no_box_drawing_and_fits_80_columns() -> None:
    text = render(ReportFormat.TERMINAL, plain=True, color=True)
    assert not BOX_DRAWING.search(text) and not ANSI.search(text)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert all(line == line.rstrip() for line in text.splitlines())


def test_rich_terminal_fits_80_columns_and_colours_only_when_asked() -> None:
    boxed = render(ReportFormat.TERMINAL)
    assert BOX_DRAWING.search(boxed) and not ANSI.search(boxed)
    assert max(len(line) for line in boxed.splitlines()) <= 80
    assert ANSI.search(render(ReportFormat.TERMINAL, color=True))


# Through the command line ------------------------------------------------------------------------

ANSWERS = f"""
checklist = "nut-social-media"

[answers]
"public-profile.union-role" = "yes"

[[devices]]
name = "{HOSTILE_DEVICE}"
kind = "phone"
[devices.answers]
"device.screen-lock" = "no"

[[devices]]
name = "Laptop"
kind = "laptop"

[[accounts]]
name = "Twitter"
platform = "twitter"
username = "{USERNAMES[0]}"
password = "{PASSWORDS[0]}"

[[accounts]]
name = "Mail"
platform = "email"
username = "{USERNAMES[1]}"
password = "{PASSWORDS[1]}"

[[accounts]]
name = '{HOSTILE_ACCOUNT}'
platform = "union"
"""


@pytest.fixture
def answers(write_file: Callable[[str, str], Path]) -> Path:
    return write_file("answers.toml", ANSWERS)


def test_report_command_writes_each_format_privately(answers: Path, tmp_path: Path) -> None:
    done = runner.invoke(app, ["audit", "--answers", str(answers), "--offline", "--plain"])
    assert done.exit_code == 0, done.output
    for choice in ("terminal", "html", "markdown"):
        out = tmp_path / f"report.{choice}"
        result = runner.invoke(app, ["report", "latest", "--format", choice, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        text = out.read_text(encoding="utf-8")
        assert CARD_TITLE in text
        assert not any(secret in text for secret in PASSWORDS + USERNAMES), "no secret"
    assert list(tmp_path.glob(".report.*")) == [], "no temporary file left behind"


def test_report_is_terminal_by_default_and_no_color_gives_plain_text(answers: Path) -> None:
    assert runner.invoke(app, ["audit", "--answers", str(answers), "--offline"]).exit_code == 0
    boxed = runner.invoke(app, ["report"])
    assert boxed.exit_code == 0 and "Your score:" in boxed.stdout
    assert BOX_DRAWING.search(boxed.stdout) and not ANSI.search(boxed.stdout)
    for result in (
        runner.invoke(app, ["report", "latest", "--plain", "--full"]),
        runner.invoke(app, ["report", "latest", "--full"], env={"NO_COLOR": "1"}),
    ):
        assert result.exit_code == 0
        assert "Your score:" in result.stdout
        assert not BOX_DRAWING.search(result.stdout) and not ANSI.search(result.stdout)
        assert HOSTILE_ACCOUNT in result.stdout


def run_nutsec(*args: str, data: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1"}
    return subprocess.run(
        [NUTSEC, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60, check=False
    )


@pytest.fixture
def printed_report(answers: Path, tmp_path: Path, private_data_dir: Path) -> Path:
    """The contract's flow with the installed command: scripted audit, then the HTML report."""
    done = run_nutsec(
        "audit", "--answers", str(answers), "--offline", data=private_data_dir, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    made = run_nutsec(
        "report",
        "latest",
        "--format",
        "html",
        "-o",
        "report.html",
        data=private_data_dir,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout == "" and "report.html" in made.stderr
    # The person is told where the file is, in full, and how to open and print it.
    assert str(tmp_path.resolve() / "report.html") in made.stderr
    assert "web browser" in made.stderr
    path = tmp_path / "report.html"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path


def test_installed_command_writes_a_self_contained_html_report(printed_report: Path) -> None:
    page = printed_report.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; phone" in page and "<script" not in page
    assert not any(secret in page for secret in PASSWORDS + USERNAMES), "no secret in the report"


@pytest.mark.skipif(
    not (CHROMIUM and POPPLER),
    reason="needs chromium and poppler-utils (.ci/run installs them with apt-get)",
)
def test_a_real_browser_prints_the_report_on_a4_with_score_actions_and_card(
    printed_report: Path, tmp_path: Path, private_data_dir: Path
) -> None:
    assert CHROMIUM
    pdf = print_pdf(printed_report, tmp_path)
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size, info
    assert abs(float(size[1]) - 595) < 2 and abs(float(size[2]) - 842) < 2, info
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    shown = flat(text)
    data = json.loads(
        run_nutsec(
            "report", "latest", "--format", "json", data=private_data_dir, cwd=tmp_path
        ).stdout
    )
    # The big number sits beside the score's sentences, so text extraction may put a line of
    # them between it and "out of 100"; it must still be the score box's number.
    overall = data["score"]["overall"]
    score_shown = re.compile(rf"(^|\s){overall}\s.{{0,160}}out of 100")
    assert score_shown.search(shown), "the score, on paper"
    assert data["score"]["band"] in shown
    first = data["actions"][0]
    assert first["subject"] == HOSTILE_DEVICE
    assert first["subject"] in first["action"]
    assert flat(first["action"]) in shown, "the first action, with its subject as typed"
    assert CARD_TITLE in shown
    assert "google.com/android/find" in shown
    assert not any(secret in text for secret in PASSWORDS + USERNAMES), "no secret on paper"
    # page 1 holds the score and the first action; the card starts a page of its own
    first_page = flat(text.split("\f")[0])
    assert score_shown.search(first_page) and flat(first["action"])[:30] in first_page
    card_page = next(p for p in text.split("\f") if CARD_TITLE in p)
    assert flat(card_page).startswith(CARD_TITLE)
    assert 2 <= pages <= 8, info


def test_an_account_named_after_its_platform_is_not_named_twice() -> None:
    from nutsec.report.view import _account_row

    same = _account_row(Account("X (Twitter)", "twitter"), None)
    other = _account_row(Account("Union X", "twitter"), None)
    assert (same.name, same.platform) == ("X (Twitter)", "")
    assert (other.name, other.platform) == ("Union X", "X (Twitter)")
    audit = Audit(
        checklist=ChecklistCatalog.standard(Path("unused")).load("nut-social-media"),
        created_at=datetime(2026, 11, 25, tzinfo=UTC),
        accounts=(Account("X (Twitter)", "twitter"),),
    )
    for choice in (ReportFormat.TERMINAL, ReportFormat.MARKDOWN, ReportFormat.HTML):
        page = html.unescape(renderer_for(choice, plain=True).render(build_report(audit)))
        assert "X (Twitter) – X (Twitter)" not in page and "(X (Twitter))" not in page, choice
