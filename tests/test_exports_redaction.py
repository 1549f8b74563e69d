"""No credential is shown from another column: addresses lose their user part, query and
fragment, and any run of 4+ characters of any password of the export is hidden, whatever the
letter case, in every field shown (terminal, JSON, HTML, -o), "Same password as" lists too."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from nutsec.cli import app
from nutsec.exports.redact import PasswordMask, clean_address
from tests.export_samples import Login, write_export

runner = CliRunner()


def _audit_everywhere(tmp_path: Path, logins: list[Login]) -> list[tuple[str, str]]:
    """(where, text) for every output: terminal, JSON, HTML, and the HTML written with -o."""
    export = write_export(tmp_path / "export.csv", "bitwarden", logins, extras=False)
    shown: list[tuple[str, str]] = []
    for fmt in ("terminal", "json", "html"):
        result = runner.invoke(
            app, ["passwords", "audit", str(export), "--offline", "--format", fmt]
        )
        assert result.exit_code == 0, result.output
        shown.append((fmt, result.stdout))
        shown.append((f"{fmt} stderr", result.stderr))
    out = tmp_path / "out.html"
    args = ["passwords", "audit", str(export), "--offline", "--format", "html", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    shown.append(("-o file", out.read_text("utf-8")))
    return shown


def assert_hidden(tmp_path: Path, logins: list[Login], password: str) -> None:
    """No run of 4 characters of `password`, in any case, in any output."""
    pieces = {password[i : i + 4].casefold() for i in range(len(password) - 3)}
    for where, text in _audit_everywhere(tmp_path, logins):
        folded = html.unescape(text).casefold()
        if where == "json":
            folded = json.dumps(json.loads(text), ensure_ascii=False).casefold()
        found = [p for p in pieces if p in folded]
        assert not found, f"{where}: {len(found)} pieces of the password are shown"


def test_a_url_user_part_holding_a_comma_is_dropped(tmp_path: Path) -> None:
    password = "Pa,ss9Qz"
    assert clean_address(f"https://rep:{password}@host.example/") == "https://host.example/"
    login = Login("Site", f"https://rep:{password}@host.example/", "rep", password)
    assert_hidden(tmp_path, [login], password)


@pytest.mark.parametrize("mark", ["#", "/", "?"])
def test_a_url_user_part_holding_a_hash_slash_or_question_mark_is_dropped(
    mark: str, tmp_path: Path
) -> None:
    password = f"Pa{mark}ss9Qz"
    url = f"https://rep:{password}@host.example/login"
    assert clean_address(url) == "https://host.example/login"
    assert_hidden(tmp_path, [Login("Site", url, "rep", password)], password)


def test_the_password_url_encoded_in_a_query_string_is_hidden(tmp_path: Path) -> None:
    password = "Wq 9&Zr/x!k"
    url = f"https://host.example/login?user=rep&pass={quote(password)}#top"
    assert clean_address(url) == "https://host.example/login"
    assert PasswordMask([password]).hide(f"x{quote(password)}y") == "x***y"
    assert_hidden(tmp_path, [Login("Site", url, "rep", password)], password)


def test_the_password_in_a_title_in_another_letter_case_is_hidden(tmp_path: Path) -> None:
    password = "Wifi-Kq7z-Home"
    login = Login(f"Router {password.upper()}", "https://router.example", "admin", password)
    assert_hidden(tmp_path, [login], password)


def test_another_entrys_password_in_a_title_is_hidden(tmp_path: Path) -> None:
    other = "Zq8#Lm2!Vx"
    logins = [
        Login(f"Note: bank pw {other}", "https://a.example", "sam", "Aa1!Bb2@Cc3#"),
        Login("Bank", "https://bank.example", "sam", other),
    ]
    assert_hidden(tmp_path, logins, other)


def test_the_password_lower_cased_as_the_username_is_hidden(tmp_path: Path) -> None:
    password = "SamRep-Kq7Z"
    login = Login("Site", "https://site.example", password.lower(), password)
    assert_hidden(tmp_path, [login], password)


def test_all_but_the_last_character_of_the_password_in_a_title_is_hidden(
    tmp_path: Path,
) -> None:
    password = "Mx7#Qv2!Lp"
    login = Login(f"Shop ({password[:-1]})", "https://shop.example", "sam", password)
    assert_hidden(tmp_path, [login], password)


def test_a_password_in_a_name_shown_in_same_password_as_lists_is_hidden(tmp_path: Path) -> None:
    shared = "Hq4$Vn8*Lk2&"
    other = "Zz9!Yy8@Xx7#"
    logins = [
        Login(f"Forum {other[:6]}", "https://forum.example", "sam", shared),
        Login("Chat", "https://chat.example", "sam", shared),
        Login("Mail", "https://mail.example", "sam", other),
    ]
    assert_hidden(tmp_path, logins, other)


def test_hiding_pieces_of_1000_passwords_in_1000_entries_is_not_quadratic() -> None:
    passwords = [f"Pw{i:04d}-Kq{i * 7919 % 10007:05d}z" for i in range(1000)]
    fields = [
        f"Union branch – https://branch.example/{'abcdefgh'[i % 8]}/login" for i in range(3000)
    ]
    started = time.perf_counter()
    mask = PasswordMask(passwords)
    hidden = [mask.hide(text) for text in fields]
    elapsed = time.perf_counter() - started
    assert hidden == fields  # nothing of a password is in them
    assert mask.hide(f"see {passwords[500]}") == "see ***"
    assert elapsed < 0.5, f"{elapsed:.2f} s"
