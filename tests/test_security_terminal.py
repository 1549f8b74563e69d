"""Security review: text from answers files, checklists and the keyboard never reaches the terminal
as an escape sequence (ANSI injection: clearing the screen, setting the title, faking output)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from nutsec.audit_data import Account, Audit, Device, PasswordFindings
from nutsec.breach.model import BreachResult
from nutsec.checklist.loader import load_checklist_text
from nutsec.passwords.strength import assess_strength
from nutsec.secret import Secret
from nutsec.store.sqlite import open_store
from tests.conftest import DOCS, toml_block
from tests.test_security_bad_input import assert_one_line_error, run_nutsec

#: ESC (CSI and OSC sequences), BEL and the one-byte C1 CSI U+009B.
ESCAPES = "\x1b]0;owned\x07\x1b[2J\u009b31m"
CONTROL_CHARS = set("\x1b\x07\u009b")


def assert_no_controls(text: str) -> None:
    assert not CONTROL_CHARS & set(text), "a control character reached the output"


@pytest.mark.parametrize(
    ("entry", "key"),
    [
        ('[[devices]]\nname = "Phone{e}"\nkind = "phone"\n', "name"),
        ('[[accounts]]\nname = "Mail{e}"\nplatform = "email"\n', "name"),
        ('[[accounts]]\nname = "Mail"\nplatform = "email{e}"\n', "platform"),
        ('[[accounts]]\nname = "Mail"\nplatform = "email"\nusername = "sam{e}"\n', "username"),
    ],
    ids=["device-name", "account-name", "platform", "username"],
)
def test_escape_sequences_in_answers_file_names_are_refused(
    entry: str, key: str, tmp_path: Path, private_data_dir: Path
) -> None:
    toml_escapes = ESCAPES.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    answers = tmp_path / "answers.toml"
    answers.write_text(entry.format(e=toml_escapes), encoding="utf-8")
    result = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
    assert_one_line_error(result, "answers.toml", f"'{key}'", "U+001B")
    assert_no_controls(result.stdout + result.stderr)


def test_error_messages_show_control_characters_instead_of_obeying_them(
    tmp_path: Path, private_data_dir: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('"odd\\u001b[2J\\u009bkey" = "yes"\n', encoding="utf-8")
    result = run_nutsec("audit", "--answers", str(answers), "--offline", data=private_data_dir)
    assert_one_line_error(result, "unknown key 'odd<U+001B>[2J<U+009B>key'")
    assert_no_controls(result.stderr)


def test_checklist_text_with_escape_sequences_is_refused(
    tmp_path: Path, private_data_dir: Path
) -> None:
    tiny = toml_block(DOCS / "checklist-format.md")
    assert 'question = "' in tiny
    evil = tmp_path / "evil.toml"
    evil.write_text(tiny.replace('question = "', 'question = "\\u001b]0;owned\\u0007', 1), "utf-8")
    result = run_nutsec("checklist", "validate", str(evil), data=private_data_dir)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "'question' contains the control character U+001B" in result.stderr
    assert_no_controls(result.stdout + result.stderr)


def test_names_typed_in_the_audit_lose_their_control_characters(
    tmp_path: Path, private_data_dir: Path
) -> None:
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(toml_block(DOCS / "checklist-format.md"), encoding="utf-8")
    keys = f"c\na\nMa{ESCAPES}il\n1\n\nc\nn\nq\n"
    result = run_nutsec(
        "audit", "--checklist", str(tiny), "--offline", data=private_data_dir, text_in=keys
    )
    assert result.returncode == 0, result.stderr
    assert_no_controls(result.stdout + result.stderr)
    with open_store(private_data_dir) as store:
        [account] = store.load(1).accounts
    assert account.name == "Ma]0;owned[2J31mil"


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "json"])
def test_names_in_a_saved_audit_never_drive_the_terminal_in_any_report_format(
    fmt: str, private_data_dir: Path
) -> None:
    # A database an older nutsec wrote (or one edited by hand) may hold names with escapes.
    text = toml_block(DOCS / "checklist-format.md")
    checklist = load_checklist_text(text, "example")
    phone, mail, bank = f"Phone{ESCAPES}", f"Mail{ESCAPES}", f"Bank{ESCAPES}"
    findings = PasswordFindings(
        assess_strength(Secret("Summer2024!")),
        BreachResult.unknown("offline"),
        reused_with=(bank,),
        similar_to=(bank,),
    )
    with open_store(private_data_dir) as store:
        audit_id = store.create(
            Audit(
                checklist,
                datetime.now(UTC),
                devices=(Device(phone, "phone"),),
                accounts=(Account(mail, f"email{ESCAPES}"), Account(bank, "other")),
            ),
            text,
        )
        store.save_password_findings(audit_id, mail, findings)
        store.finish(audit_id, 50, "needs attention")
    result = run_nutsec("report", "latest", "--format", fmt, "--full", data=private_data_dir)
    assert result.returncode == 0, result.stderr
    assert "Mail" in result.stdout and "Phone" in result.stdout
    assert_no_controls(result.stdout + result.stderr)
