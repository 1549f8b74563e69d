"""Answers files: every mistake is one clear message naming the file and the key at fault."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nutsec.audit.answers_file import check_against, read_answers_file
from nutsec.checklist.loader import load_checklist_text
from nutsec.errors import AnswersError
from tests.conftest import DOCS, toml_block

CHECKLIST = load_checklist_text(toml_block(DOCS / "checklist-format.md"), "example")

GOOD = """
checklist = "tiny-example"

[[devices]]
name = "Work phone"
kind = "phone"
[devices.answers]
"device.screen-lock" = "yes"

[[accounts]]
name = "Twitter"
platform = "twitter"
username = "sam_rep"
password = "correct horse battery staple"
[accounts.answers]
"account.two-factor" = "partly"
"""


def test_a_good_file_reads_with_its_password_wrapped(
    write_file: Callable[[str, str], Path],
) -> None:
    answers = read_answers_file(write_file("answers.toml", GOOD))
    check_against(answers, CHECKLIST)
    assert answers.checklist == "tiny-example"
    assert answers.has_passwords
    assert repr(answers.accounts[0].password) == "Secret(***)"
    assert "correct horse" not in repr(answers)
    assert answers.all_answers() == {
        ("device.screen-lock", "Work phone"): "yes",
        ("account.two-factor", "Twitter"): "partly",
    }
    answers.wipe_passwords()
    assert all(a.password is None or a.password.wiped for a in answers.accounts)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace(
                '"account.two-factor" = "partly"', '"account.two-factor" = "maybe"'
            ),
            "answers.toml: accounts[1] \"Twitter\": item 'account.two-factor' does not offer "
            "the answer given (choose yes, partly, no, not_sure)",
        ),
        (
            lambda t: t.replace('"device.screen-lock" = "yes"', '"device.screen-lok" = "yes"'),
            "answers.toml: devices[1] \"Work phone\": unknown item 'device.screen-lok'",
        ),
        (
            lambda t: t + '\n[answers]\n"device.screen-lock" = "yes"\n',
            "answers.toml: [answers]: item 'device.screen-lock' is asked once per device",
        ),
        (
            lambda t: t.replace('"device.screen-lock" = "yes"', '"account.two-factor" = "yes"'),
            "answers.toml: devices[1] \"Work phone\": item 'account.two-factor' is asked once per "
            "account",
        ),
        (lambda t: t.replace('kind = "phone"', 'kind = "fridge"'), "kind must be one of phone"),
        (
            lambda t: t.replace('name = "Work phone"\n', ""),
            "answers.toml: devices[1]: 'name' is missing",
        ),
        (
            lambda t: t + '\n[[accounts]]\nname = "twitter"\nplatform = "twitter"\n',
            'answers.toml: two accounts are called "twitter"',
        ),
        (lambda t: t.replace("checklist =", "chcklist ="), "answers.toml: unknown key 'chcklist'"),
        (
            lambda t: t.replace('username = "sam_rep"', 'usrname = "sam_rep"'),
            "answers.toml: accounts[1]: unknown key 'usrname'",
        ),
        (lambda t: t.replace('kind = "phone"', 'kind = "phone'), "answers.toml: not valid TOML"),
        (lambda t: t.replace('"yes"\n', "yes\n", 1), "answers.toml: not valid TOML"),
    ],
)
def test_bad_files_name_the_file_and_the_culprit(
    write_file: Callable[[str, str], Path], change: Callable[[str], str], message: str
) -> None:
    path = write_file("answers.toml", change(GOOD))
    with pytest.raises(AnswersError) as caught:
        check_against(read_answers_file(path), CHECKLIST)
    shown = str(caught.value).replace(str(path), "answers.toml")
    assert message in shown
    assert "correct horse" not in shown, "an error message must never show a password"


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="Cannot read the answers file"):
        read_answers_file(tmp_path / "nope.toml")
