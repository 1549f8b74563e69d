"""The loader reports every problem with the file, the item and (where it can) the line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nutsec.checklist.loader import check_checklist, load_checklist
from nutsec.checklist.model import AnswerStatus, Scope, Severity
from nutsec.errors import ChecklistError
from tests.conftest import DOCS, toml_block

WriteFile = Callable[[str, str], Path]

HEADER = 'id = "t"\ntitle = "Test"\nversion = "1"\n'


def item(**overrides: str) -> str:
    fields = {
        "id": '"a.one"',
        "scope": '"person"',
        "question": '"Q?"',
        "why": '"Because."',
        "fix": '"Do it."',
        "severity": '"high"',
        "weight": "3",
        "answers": '{ yes = "pass", no = "fail" }',
    }
    fields.update(overrides)
    body = "".join(f"{k} = {v}\n" for k, v in fields.items() if v != "OMIT")
    return "[[sections.items]]\n" + body


def checklist(*items: str, section: str = '[[sections]]\nid = "s"\ntitle = "S"\n') -> str:
    return HEADER + section + "".join(items)


def problems_of(write_file: WriteFile, text: str) -> list[str]:
    path = write_file("c.toml", text)
    result, problems = check_checklist(path)
    assert result is None
    return [str(p) for p in problems]


def test_valid_checklist_loads_into_typed_model(write_file: WriteFile) -> None:
    path = write_file("c.toml", checklist(item()))
    loaded = load_checklist(path)
    only = loaded.sections[0].items[0]
    assert (loaded.id, loaded.version, loaded.item_count) == ("t", "1", 1)
    assert only.scope is Scope.PERSON and only.severity is Severity.HIGH
    assert [(o.key, o.label, o.status) for o in only.answers] == [
        ("yes", "Yes", AnswerStatus.PASS),
        ("no", "No", AnswerStatus.FAIL),
    ]


def test_duplicate_item_id_is_reported_with_its_line(write_file: WriteFile) -> None:
    text = checklist(item(), item())
    [problem] = problems_of(write_file, text)
    second_line = [i for i, line in enumerate(text.splitlines(), 1) if line == 'id = "a.one"'][1]
    assert f"c.toml:{second_line}: item 'a.one': duplicate id" in problem


def test_unknown_severity_is_reported(write_file: WriteFile) -> None:
    [problem] = problems_of(write_file, checklist(item(severity='"urgent"')))
    assert "item 'a.one'" in problem and "unknown severity 'urgent'" in problem


def test_unknown_scope_is_reported(write_file: WriteFile) -> None:
    [problem] = problems_of(write_file, checklist(item(scope='"household"')))
    assert "unknown scope 'household'" in problem


def test_answer_mapping_to_unknown_status_is_reported(write_file: WriteFile) -> None:
    [problem] = problems_of(
        write_file, checklist(item(answers='{ yes = "pass", no = "terrible" }'))
    )
    assert "answer 'no' maps to unknown status 'terrible'" in problem


def test_item_without_a_pass_answer_is_reported(write_file: WriteFile) -> None:
    [problem] = problems_of(write_file, checklist(item(answers='{ no = "fail" }')))
    assert "no answer maps to 'pass'" in problem


def test_missing_question_is_reported(write_file: WriteFile) -> None:
    [problem] = problems_of(write_file, checklist(item(question="OMIT")))
    assert "item 'a.one'" in problem and "missing 'question'" in problem


@pytest.mark.parametrize("weight", ["0", "-2", "1.5", '"3"', "true"])
def test_non_positive_or_non_integer_weight_is_reported(write_file: WriteFile, weight: str) -> None:
    [problem] = problems_of(write_file, checklist(item(weight=weight)))
    assert "weight must be a whole number above 0" in problem


def test_empty_section_is_reported(write_file: WriteFile) -> None:
    text = checklist(item()) + '[[sections]]\nid = "empty"\ntitle = "Nothing here"\n'
    [problem] = problems_of(write_file, text)
    assert "section 'empty'" in problem and "has no items" in problem


def test_toml_syntax_error_names_the_line(write_file: WriteFile) -> None:
    text = checklist(item()) + 'broken = "no closing quote\n'
    [problem] = problems_of(write_file, text)
    line = len(text.splitlines())
    assert problem.startswith(f"{write_file('c.toml', text)}:{line}: not valid TOML")


def test_misspelt_key_is_reported_not_ignored(write_file: WriteFile) -> None:
    [problem] = problems_of(write_file, checklist(item(qestion='"typo"')))
    assert "unknown key 'qestion'" in problem


def test_every_problem_is_reported_not_just_the_first(write_file: WriteFile) -> None:
    text = checklist(
        item(severity='"urgent"'),
        item(id='"a.two"', scope='"nobody"', weight="0", question="OMIT"),
        item(id='"a.two"'),
    )
    problems = problems_of(write_file, text)
    assert len(problems) == 5
    joined = "\n".join(problems)
    for expected in (
        "unknown severity",
        "unknown scope",
        "weight must",
        "missing 'question'",
        "duplicate id",
    ):
        assert expected in joined


def test_platform_filter_only_on_account_items(write_file: WriteFile) -> None:
    [problem] = problems_of(write_file, checklist(item(platforms='["email"]')))
    assert "'platforms' only applies to account items" in problem


def test_unknown_device_kind_is_reported(write_file: WriteFile) -> None:
    [problem] = problems_of(
        write_file, checklist(item(scope='"device"', device_kinds='["toaster"]'))
    )
    assert "unknown device kind 'toaster'" in problem


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError) as caught:
        load_checklist(tmp_path / "absent.toml")
    assert "absent.toml" in caught.value.details[0] and "file not found" in caught.value.details[0]


def test_format_doc_example_is_valid() -> None:
    example = toml_block(DOCS / "checklist-format.md")
    path = DOCS / "_example.toml"
    try:
        path.write_text(example, encoding="utf-8")
        loaded = load_checklist(path)
    finally:
        path.unlink()
    assert loaded.item_count == 3
    recovery = loaded.item("account.email-recovery")
    assert recovery is not None
    assert recovery.applies_to_account("Email") and not recovery.applies_to_account("twitter")


def test_shipped_checklists_are_all_valid() -> None:
    from nutsec.checklist.catalog import shipped_dir

    shipped = sorted(shipped_dir().glob("*.toml"))
    for path in shipped:
        load_checklist(path)


def test_format_2_doc_example_is_valid_and_tells_each_subject_its_own_steps(
    write_file: WriteFile,
) -> None:
    loaded = load_checklist(
        write_file("example2.toml", toml_block(DOCS / "checklist-format.md", 1))
    )
    assert (loaded.format, loaded.item_count) == (2, 3)
    lock, encryption, two_step = loaded.items()
    assert lock.fix_for("ios", "phone") == "Settings > Face ID & Passcode > Turn Passcode On."
    assert lock.fix_for("windows", "laptop").startswith("Settings > Accounts > Sign-in options")
    assert lock.fix_for("phone") == lock.fix
    assert encryption.applies_to_device("laptop", "windows")
    assert not encryption.applies_to_device("phone", "android")
    assert not encryption.applies_to_device("laptop", "chromeos")
    assert encryption.why_for("macos", "laptop").startswith("On a Mac it is called FileVault")
    assert two_step.applies_to_account("email", "gmail")
    assert not two_step.applies_to_account("twitter")
    assert "myaccount.google.com" in two_step.fix_for("gmail", "email")
    assert all(i.action and i.minutes for i in loaded.items())
    # the words the doc says each subject is told are the ones the file gives
    doc = " ".join((DOCS / "checklist-format.md").read_text(encoding="utf-8").split())
    assert f'an iPhone is told "{lock.fix_for("ios")}"' in doc
    assert f'a Windows laptop "{lock.fix_for("windows")}"' in doc
