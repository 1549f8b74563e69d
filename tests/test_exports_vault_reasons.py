"""Issue 19, vault audit: every hidden title says why, in words, and each weak entry says why it
is weak and what would make it strong, for each kind of weakness and each kind of vault (a CSV
export, a Bitwarden JSON export, a KeePass database)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from nutsec.breach.model import OfflineSource
from nutsec.exports.checks import audit_export
from nutsec.exports.json_format import audit_json
from nutsec.exports.reader import KdbxKey, read_export
from nutsec.exports.view import EntryView, audit_view
from nutsec.passwords.strength import assess_strength
from nutsec.passwords.weakness import make_strong, weak_reason
from nutsec.secret import Secret
from tests.export_samples import Login, bitwarden_json_text, write_export
from tests.test_security_vault_secrets import new_database

MASTER = "Vault-Lock#8812q"
STRONG = ("Aq#73mLp!zK9wX", "Tv%58rNc@hJ2sB", "Gy*41dFw&uE6kQ")


def _views(path: Path, unlock: Callable[[], KdbxKey] | None = None) -> dict[int, EntryView]:
    export = read_export(path, unlock=unlock)
    view = audit_view(audit_export(export, OfflineSource()))
    return {e.line: e for e in (*view.to_fix, *view.fine)}


def _csv(tmp_path: Path, logins: list[Login]) -> Path:
    return write_export(tmp_path / "e.csv", "chrome", logins, extras=False)


# --- every hidden-title reason ---------------------------------------------------------------


def test_a_title_holding_the_logins_own_password_says_so(tmp_path: Path) -> None:
    views = _views(_csv(tmp_path, [Login(f"wifi {STRONG[0]}", "", "sam", STRONG[0])]))
    assert views[2].name == "wifi ***"
    assert views[2].problems[0] == "Title partly hidden: it holds part of this login's password."


def test_a_title_that_is_the_logins_own_password_says_so(tmp_path: Path) -> None:
    views = _views(_csv(tmp_path, [Login(STRONG[0], "", "sam", STRONG[0])]))
    assert views[2].name == "***"
    assert views[2].problems[0] == "Title hidden: it is this login's password."


def test_a_title_holding_another_logins_password_says_so(tmp_path: Path) -> None:
    logins = [Login("Mail", "", "sam", STRONG[0]), Login(f"pw {STRONG[0]}", "", "pat", STRONG[1])]
    views = _views(_csv(tmp_path, logins))
    assert views[3].problems[0] == (
        "Title partly hidden: it holds part of another login's password."
    )


def test_a_title_and_username_with_the_same_reason_say_it_once(tmp_path: Path) -> None:
    views = _views(_csv(tmp_path, [Login(STRONG[0], "", STRONG[0].lower(), STRONG[0])]))
    assert views[2].problems[0] == "Title and username hidden: they are this login's password."


def test_titles_holding_the_master_password_an_old_password_or_a_hidden_field_say_so(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.kdbx"
    db = new_database(path, MASTER)
    entry = db.add_entry(db.root_group, "Savings", "sam", "Old#Bank-5521x")
    entry.save_history()
    entry.password = STRONG[0]
    entry.set_custom_property("PIN", "Pin#Kept-8841", protect=True)
    db.add_entry(db.root_group, f"master {MASTER}", "sam", STRONG[1])
    db.add_entry(db.root_group, "old one Old#Bank-5521x", "sam", STRONG[2])
    db.add_entry(db.root_group, "Pin#Kept-8841", "sam", "Mz!26pXo^bR8tC")
    db.save()
    views = _views(path, lambda: KdbxKey(Secret(MASTER)))
    assert views[2].problems[0] == "Title partly hidden: it holds part of the master password."
    assert views[3].problems[0] == "Title partly hidden: it holds part of an old password."
    assert views[4].problems[0] == "Title hidden: it is a hidden field."
    assert not any("hidden:" in problem for problem in views[1].problems)  # "Savings" holds none


def test_a_hidden_title_says_why_on_every_page(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nutsec.cli import app

    export = _csv(tmp_path, [Login(f"wifi {STRONG[0]}", "", "sam", STRONG[0])])
    reason = "Title partly hidden: it holds part of this login's password."
    for fmt in ("terminal", "html", "json"):
        result = CliRunner().invoke(
            app, ["passwords", "audit", str(export), "--offline", "--plain", "--format", fmt]
        )
        assert result.exit_code == 0, result.output
        if fmt == "json":
            assert json.loads(result.stdout)["entries"][0]["hidden"] == [reason]
        else:
            assert reason.replace("'", "&#39;" if fmt == "html" else "'") in result.stdout


# --- a weak reason for each kind of weakness -------------------------------------------------

SHORT = ", and it is too short."
#: kind -> (password, why it is weak, what "Leave out ..." names)
WEAK = {
    "too short": ("xK9#a", "It is too short.", ""),
    "a common password": ("sunshine", "It is a common password" + SHORT, "common passwords"),
    "a name and a year": ("Michael1985", "It is made of a name and a year" + SHORT,
                          "names and years"),
    "a keyboard pattern": ("zxcvbnm,./", "It is a pattern of keys next to each other" + SHORT,
                           "keyboard patterns"),
    "a repeat": ("aaaaaaaaaaaaaaaa", "It is a repeated pattern.", "repeats"),
    "a sequence": ("abcdefghijklmn", "It is a sequence like abc or 1234.", "sequences"),
    "a date": ("12/04/1990", "It is a date" + SHORT, "dates"),
    "the login's own name": ("sam1987",
                             "It is made of this login's name or username and a year" + SHORT,
                             "years and the login's own name or username"),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(WEAK))
def test_each_kind_of_weak_password_says_why_and_what_would_make_it_strong(kind: str) -> None:
    password, why, avoid = WEAK[kind]
    strength = assess_strength(Secret(password), ("sam", "nut", "union"))
    assert strength.rating == "weak"
    assert weak_reason(strength) == why
    advice = make_strong(strength)
    assert advice.startswith("To make it strong: use three or more random words")
    assert advice.endswith(f" Leave out {avoid}.") if avoid else advice.endswith("make one.")
    # The reason is built from the kinds of pieces, never from the pieces themselves.
    assert password.casefold() not in (why + advice).casefold()


def test_look_alike_letters_and_reversed_words_are_named(tmp_path: Path) -> None:
    assert "look-alikes" in make_strong(assess_strength(Secret("P@ssw0rd")))
    assert "backwards" in make_strong(assess_strength(Secret("drowssap")))


# --- a weak reason for each kind of vault ----------------------------------------------------


def _weak_entry(views: dict[int, EntryView]) -> EntryView:
    return next(e for e in views.values() if e.level == "weak")


def test_a_weak_login_in_a_csv_export_says_why(tmp_path: Path) -> None:
    entry = _weak_entry(_views(_csv(tmp_path, [Login("Shop", "", "sam", "Michael1985")])))
    assert "Why: it is made of a name and a year, and it is too short." in entry.problems
    assert entry.advice[0].startswith("To make it strong:")


def test_a_weak_login_in_a_bitwarden_json_export_says_why(tmp_path: Path) -> None:
    path = tmp_path / "bw.json"
    path.write_text(bitwarden_json_text([Login("Shop", "", "sam", "sunshine")]), "utf-8")
    entry = _weak_entry(_views(path))
    assert "Why: it is a common password, and it is too short." in entry.problems
    assert "Leave out common passwords." in entry.advice[0]


def test_a_weak_entry_in_a_keepass_database_says_why(tmp_path: Path) -> None:
    path = tmp_path / "db.kdbx"
    db = new_database(path, MASTER)
    db.add_entry(db.root_group, "Shop", "sam", "12/04/1990")
    db.save()
    entry = _weak_entry(_views(path, lambda: KdbxKey(Secret(MASTER))))
    assert "Why: it is a date, and it is too short." in entry.problems
    assert "Leave out dates." in entry.advice[0]


def test_a_breached_weak_password_still_says_change_it_first(tmp_path: Path) -> None:
    from nutsec.exports.checks import EntryFindings

    path = _csv(tmp_path, [Login("Shop", "", "sam", "sunshine")])
    audit = audit_export(read_export(path), OfflineSource())
    finding = audit.entries[0]
    from dataclasses import replace

    from nutsec.breach.model import BreachResult, BreachStatus
    from nutsec.verdict import judge_password

    breach = BreachResult(BreachStatus.FOUND, 10)
    breached: EntryFindings = replace(
        finding, breach=breach, verdict=judge_password(finding.strength, breach)
    )
    view = audit_view(replace(audit, entries=(breached,)))
    assert view.to_fix[0].advice[0].startswith("Change it now")
    assert view.to_fix[0].advice[1].startswith("To make it strong:")
    assert audit_json(replace(audit, entries=(breached,)))["entries"][0]["weakness"]["why"]
