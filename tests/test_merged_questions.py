"""Version 2.1 of the shipped checklist merges eight pairs of overlapping questions about the
person into one question each, under new ids. An audit keeps the copy of the checklist it was
taken with, so one made with version 2.0 (and its old ids) still loads, reports and compares.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.checklist.catalog import shipped_dir
from nutsec.checklist.loader import check_checklist, load_checklist
from nutsec.checklist.model import AnswerStatus, Scope, Severity
from nutsec.cli import app
from tests.test_checklist_loader import checklist, item
from tests.test_guidance_coverage import _cited_rows

NUTSEC = str(Path(sys.executable).parent / "nutsec")
OLD_PATH = Path(__file__).parent / "checklists" / "nut-social-media-2.0.toml"
OLD = load_checklist(OLD_PATH)
NEW = load_checklist(shipped_dir() / "nut-social-media.toml")

#: old ids -> the new id that asks both.
MERGED = {
    ("public-profile.posts-fit-for-all", "public-profile.photos"): (
        "public-profile.public-posts-and-photos"
    ),
    ("relationships.parents-and-former-pupils", "relationships.management-told"): (
        "relationships.parent-connections"
    ),
    ("defamation.no-personal-attacks", "defamation.resharing"): "defamation.no-damaging-remarks",
    ("privacy.assume-permanent", "privacy.old-posts-reviewed"): "privacy.lasting-record",
    ("clarity.makes-sense-alone", "clarity.colleague-checks"): "clarity.checked-before-posting",
    ("confidentiality.move-to-private", "confidentiality.members-not-identifiable"): (
        "confidentiality.cases-kept-private"
    ),
    ("safe-habits.attachments", "safe-habits.links"): "safe-habits.unexpected-messages",
    ("lost-device.who-to-tell", "lost-device.sign-out-remotely"): "lost-device.response-plan",
}
#: Items version 2.2 added (new questions, not rewordings: every reworded question kept its id).
ADDED_IN_2_2 = {
    "passwords.passkeys",
    "device.theft-protection",
    "device.backups",
    "monitoring.extra-protection",
}
SEVERITY_ORDER = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


def test_the_old_checklist_is_version_2_0_and_the_shipped_one_2_4() -> None:
    assert (OLD.id, OLD.version) == ("nut-social-media", "2.0")
    assert (NEW.id, NEW.version) == ("nut-social-media", "2.4")
    assert OLD.item_count - (NEW.item_count - len(ADDED_IN_2_2)) == len(MERGED) == 8


@pytest.mark.parametrize(("old_ids", "new_id"), list(MERGED.items()))
def test_each_merged_item_replaces_two_person_questions_of_the_same_section(
    old_ids: tuple[str, str], new_id: str
) -> None:
    merged = NEW.item(new_id)
    olds = [OLD.item(i) for i in old_ids]
    assert merged is not None and all(o is not None for o in olds)
    assert all(NEW.item(i) is None for i in old_ids)  # the old ids are gone, not reused
    assert OLD.item(new_id) is None  # and the new id is new
    assert merged.scope is Scope.PERSON and all(o.scope is Scope.PERSON for o in olds)  # type: ignore[union-attr]
    assert {merged.section_id} == {o.section_id for o in olds}  # type: ignore[union-attr]
    # the higher severity of the two
    highest = max((o.severity for o in olds), key=SEVERITY_ORDER.index)  # type: ignore[union-attr]
    assert merged.severity is highest
    # the weight of both, up to the critical items' 5: the section keeps (nearly) its share
    assert merged.weight == min(5, sum(o.weight for o in olds))  # type: ignore[union-attr]
    # one question, answered yes, partly or no
    assert merged.question.count("?") == 1
    statuses = {o.key: o.status for o in merged.answers}
    assert (statuses["yes"], statuses["partly"], statuses["no"]) == (
        AnswerStatus.PASS,
        AnswerStatus.PARTIAL,
        AnswerStatus.FAIL,
    )
    # the guidance cited is still all of what both cited
    cited = set(_cited_rows(merged.source))
    for old in olds:
        assert set(_cited_rows(old.source)) <= cited, (new_id, old.source)  # type: ignore[union-attr]


def test_no_other_item_changed_its_id() -> None:
    gone = {i for pair in MERGED for i in pair}
    kept = {i.id for i in NEW.items()} - set(MERGED.values()) - ADDED_IN_2_2
    assert {i.id for i in OLD.items()} - gone == kept


# A saved audit made with the 2.0 checklist ---------------------------------------------------

OLD_ANSWERS = f"""
checklist = "{OLD_PATH}"
[answers]
"safe-habits.attachments" = "yes"
"safe-habits.links" = "no"
"lost-device.who-to-tell" = "partly"
"clarity.colleague-checks" = "no"
[[devices]]
name = "Phone"
kind = "phone"
system = "ios"
[devices.answers]
"device.screen-lock" = "yes"
"""

NEW_ANSWERS = """
[answers]
"safe-habits.unexpected-messages" = "yes"
"lost-device.response-plan" = "partly"
[[devices]]
name = "Phone"
kind = "phone"
system = "ios"
[devices.answers]
"device.screen-lock" = "yes"
"""


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NUTSEC, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1", "COLUMNS": "100"},
    )


def test_an_audit_taken_with_the_old_checklist_still_loads_and_reports(
    tmp_path: Path, private_data_dir: Path
) -> None:
    old_file = tmp_path / "old.toml"
    old_file.write_text(OLD_ANSWERS, encoding="utf-8")
    made = run(private_data_dir, "audit", "--answers", str(old_file), "--offline")
    assert made.returncode == 0, made.stderr
    report = json.loads(run(private_data_dir, "report", "1", "--format", "json").stdout)
    assert (report["checklist"]["id"], report["checklist"]["version"]) == (
        "nut-social-media",
        "2.0",
    )
    items = {i["id"]: i["status"] for i in report["items"] if i["subject"] is None}
    assert items["safe-habits.links"] == "fail" and items["safe-habits.attachments"] == "pass"
    assert items["lost-device.who-to-tell"] == "partial"
    assert "safe-habits.unexpected-messages" not in items
    for fmt in ("markdown", "html", "terminal"):
        shown = run(private_data_dir, "report", "1", "--format", fmt, "--full")
        assert shown.returncode == 0, (fmt, shown.stderr)
        assert "Go to the site yourself" in " ".join(shown.stdout.split()), fmt

    # A new audit with today's checklist: both are listed, and comparing them works.
    new_file = tmp_path / "new.toml"
    new_file.write_text(NEW_ANSWERS, encoding="utf-8")
    made = run(private_data_dir, "audit", "--answers", str(new_file), "--offline")
    assert made.returncode == 0, made.stderr
    listed = run(private_data_dir, "history")
    assert listed.returncode == 0, listed.stderr
    assert "nut-social-media 2.0" in listed.stdout and "nut-social-media 2.4" in listed.stdout
    report = json.loads(run(private_data_dir, "report", "2", "--format", "json").stdout)
    assert (report["checklist"]["id"], report["checklist"]["version"]) == (
        "nut-social-media",
        "2.4",
    )
    for audit_id in ("1", "2"):
        shared = run(private_data_dir, "share", audit_id)
        assert shared.returncode == 0, shared.stderr


@pytest.mark.parametrize(("old_ids", "new_id"), list(MERGED.items()))
def test_each_merged_item_names_the_ids_it_replaces(old_ids: tuple[str, str], new_id: str) -> None:
    assert NEW.item(new_id).replaces == old_ids  # type: ignore[union-attr]


def test_comparing_an_old_audit_with_a_new_one_follows_replaces(
    tmp_path: Path, private_data_dir: Path
) -> None:
    """The old audit's 'go to the site yourself' (links: no) is fixed by the merged question's
    yes; its 'whom to tell' (partly) is still a problem, so the merged one is not new."""
    for name, text in (("old.toml", OLD_ANSWERS), ("new.toml", NEW_ANSWERS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        made = run(private_data_dir, "audit", "--answers", str(tmp_path / name), "--offline")
        assert made.returncode == 0, made.stderr
    listed = " ".join(run(private_data_dir, "history").stdout.split())
    assert "Fixed since" in listed and "Go to the site yourself" in listed
    assert "New since" not in listed


# --- `replaces` in the checklist file -----------------------------------------------------------


def test_replaces_is_read_and_shown(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("c.toml", checklist(item(id='"p.merged"', replaces='["p.a", "p.b"]')))
    assert load_checklist(path).sections[0].items[0].replaces == ("p.a", "p.b")
    shown = CliRunner().invoke(app, ["checklist", "show", str(path), "--format", "json"])
    assert json.loads(shown.output)["sections"][0]["items"][0]["replaces"] == ["p.a", "p.b"]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (
            [item(id='"p.merged"', replaces='["p.kept"]'), item(id='"p.kept"')],
            "'replaces' names 'p.kept', which is still in use",
        ),
        (
            [item(id='"p.one"', replaces='["p.old"]'), item(id='"p.two"', replaces='["p.old"]')],
            "'replaces' names 'p.old', which 'p.one' already replaces",
        ),
        ([item(id='"p.merged"', replaces='["Not an id!"]')], "which is not an item id"),
        ([item(id='"p.merged"', replaces='"p.old"')], "'replaces' must be a list of text"),
    ],
)
def test_a_bad_replaces_is_reported_with_the_item_and_its_line(
    write_file: Callable[[str, str], Path], items: list[str], message: str
) -> None:
    path = write_file("c.toml", checklist(*items))
    result, problems = check_checklist(path)
    assert result is None
    assert any(message in str(p) and p.line is not None for p in problems), [
        str(p) for p in problems
    ]
