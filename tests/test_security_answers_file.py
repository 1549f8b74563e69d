"""Security review, issue 14: an answers file with 1,000 accounts is read and checked in linear
time, and values of its non-password fields are never quoted back in errors (a password typed
in the wrong place would otherwise be printed)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from nutsec.audit.answers_file import check_against, parse_answers
from nutsec.audit.password_step import PasswordChecker
from nutsec.audit.session import scripted_audit
from nutsec.breach.model import OfflineSource
from nutsec.checklist.catalog import ChecklistCatalog
from nutsec.errors import AnswersError
from nutsec.passwords.fingerprints import ReuseFinder
from tests.test_security_bad_input import assert_one_line_error, run_nutsec

CHECKLIST = ChecklistCatalog.standard(Path("/nonexistent")).load("nut-social-media")
LOOKS_LIKE_A_PASSWORD = "Tr0ub4dor&3-horse"


class CountingReuseFinder(ReuseFinder):
    """The real finder, counting the questions asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.questions = 0

    def reused_with(self, name: str) -> list[str]:
        self.questions += 1
        return super().reused_with(name)


def accounts_file(count: int) -> dict[str, object]:
    return {
        "accounts": [
            {"name": f"Account {i}", "platform": f"site{i}", "password": f"Pw-{i:04d}-h"}
            for i in range(count)
        ]
    }


@pytest.mark.parametrize("count", [100, 400])
def test_an_answers_file_with_many_accounts_is_checked_in_linear_time(count: int) -> None:
    finder = CountingReuseFinder()
    checker = PasswordChecker(OfflineSource("offline"), reuse_factory=lambda: finder)
    answers = parse_answers(accounts_file(count), "many.toml")
    audit = scripted_audit(answers, CHECKLIST, checker, datetime.now(UTC))
    assert len(audit.passwords) == count
    # similar_to asks reused_with too: two questions per account, whatever the count.
    assert finder.questions <= 2 * count, f"{finder.questions} questions for {count} accounts"


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "Phone", "kind": LOOKS_LIKE_A_PASSWORD},
    ],
)
def test_a_device_value_is_not_quoted_back_in_errors(entry: dict[str, object]) -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers({"devices": [entry]}, "answers.toml")
    assert LOOKS_LIKE_A_PASSWORD not in str(caught.value)
    assert "kind must be one of" in str(caught.value)


def test_an_answer_value_is_not_quoted_back_in_errors(tmp_path: Path) -> None:
    answers = parse_answers(
        {"accounts": [{"name": "Mail", "answers": {"account.two-factor": LOOKS_LIKE_A_PASSWORD}}]},
        "answers.toml",
    )
    with pytest.raises(AnswersError) as caught:
        check_against(answers, CHECKLIST)
    assert LOOKS_LIKE_A_PASSWORD not in str(caught.value)
    assert "account.two-factor" in str(caught.value)


def test_a_misplaced_password_is_not_printed_by_the_command(
    tmp_path: Path, private_data_dir: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(
        f'[[devices]]\nname = "Phone"\nkind = "{LOOKS_LIKE_A_PASSWORD}"\n'
        f'[[accounts]]\nname = "Mail"\n[accounts.answers]\n'
        f'"account.two-factor" = "{LOOKS_LIKE_A_PASSWORD}"\n'
    )
    result = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
    assert_one_line_error(result, "answers.toml")
    assert LOOKS_LIKE_A_PASSWORD not in result.stdout + result.stderr
