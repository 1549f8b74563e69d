"""Reading exports: each manager's real header is recognised, and a bad file is one line naming
the file and line, never quoting a field (any field could be a password)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nutsec.cli.passwords import SourceChoice
from nutsec.errors import NutsecError
from nutsec.exports.formats import load_formats, shipped_formats
from nutsec.exports.reader import (
    NON_CSV_SOURCES,
    SKIPPED_NO_PASSWORD,
    SKIPPED_NOT_LOGIN,
    ExportError,
    host_of,
    read_export,
)
from tests.export_samples import HEADERS, SOURCE_OF, Login, export_text, write_export

SECRET_FIELD = "Vq9#Kx2!Zr"
LOGINS = [
    Login("Union e-mail", "https://mail.union.example/login", "sam@union.example", SECRET_FIELD),
    Login("X", "https://x.com", "sam_rep", "Tz4%Pw8&Mn"),
]


@pytest.mark.parametrize("variant", list(HEADERS))
def test_each_managers_real_header_is_detected(variant: str, tmp_path: Path) -> None:
    path = write_export(tmp_path / "export.csv", variant, LOGINS)
    export = read_export(path)
    assert export.source.key == SOURCE_OF[variant]
    assert [e.username for e in export.entries] == ["sam@union.example", "sam_rep"]
    assert [e.host for e in export.entries] == ["mail.union.example", "x.com"]
    assert export.entries[0].secret.reveal() == SECRET_FIELD
    assert export.skipped[SKIPPED_NO_PASSWORD] == 1
    if SOURCE_OF[variant] == "bitwarden":
        assert export.skipped[SKIPPED_NOT_LOGIN] == 2
    export.wipe()
    assert all(e.secret.wiped for e in export.entries)


@pytest.mark.parametrize("variant", list(HEADERS))
def test_the_named_source_reads_its_own_export(variant: str, tmp_path: Path) -> None:
    path = write_export(tmp_path / "export.csv", variant, LOGINS)
    assert read_export(path, SOURCE_OF[variant]).source.key == SOURCE_OF[variant]


def test_entry_name_is_the_title_or_the_sites_host_where_there_is_none(tmp_path: Path) -> None:
    firefox = read_export(write_export(tmp_path / "ff.csv", "firefox", LOGINS))
    assert [e.name for e in firefox.entries] == ["mail.union.example", "x.com"]
    chrome = read_export(write_export(tmp_path / "c.csv", "chrome", LOGINS))
    assert [e.name for e in chrome.entries] == ["Union e-mail", "X"]


def test_every_source_choice_is_a_shipped_format() -> None:
    keys = {f.key for f in shipped_formats()} | set(NON_CSV_SOURCES)
    assert keys == {choice.value for choice in SourceChoice} - {"auto"}


def test_bom_crlf_and_quoted_newlines_are_read(tmp_path: Path) -> None:
    logins = [Login('Multi\nline, "quoted" name', "https://a.example", "a", 'p,"q"\r\nr')]
    text = export_text("keepassxc", logins, extras=False)
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    export = read_export(path)
    assert export.source.key == "keepassxc"
    (entry,) = export.entries
    assert entry.name == 'Multi\nline, "quoted" name'
    assert entry.secret.reveal() == 'p,"q"\r\nr'


def test_entries_report_the_line_they_start_on(tmp_path: Path) -> None:
    logins = [Login("Two\nlines", "https://a.example", "a", "x1"), Login("B", "", "b", "x2")]
    export = read_export(write_export(tmp_path / "e.csv", "chrome", logins, extras=False))
    assert [e.line for e in export.entries] == [2, 4]


def test_a_row_holds_no_password_after_reading(tmp_path: Path) -> None:
    export = read_export(write_export(tmp_path / "e.csv", "chrome", LOGINS))
    for entry in export.entries:
        for text in (repr(entry), str(entry)):
            assert SECRET_FIELD not in text, "an entry's repr shows its password"


def _error(path: Path, source: str | None = None) -> str:
    with pytest.raises(ExportError) as caught:
        read_export(path, source)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    assert SECRET_FIELD not in message, "the error quotes a field"
    for piece in {SECRET_FIELD[i : i + 3] for i in range(len(SECRET_FIELD) - 2)}:
        assert piece not in message, "the error quotes part of a field"
    return message


def _good(tmp_path: Path) -> str:
    return export_text("chrome", LOGINS, extras=False)


def test_bad_quoting_names_the_line_only(tmp_path: Path) -> None:
    lines = _good(tmp_path).split("\r\n")
    lines[2] = f'X,https://x.com,sam,"{SECRET_FIELD}"oops,'
    path = tmp_path / "e.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8", newline="")
    assert "line 3" in _error(path)


def test_an_unclosed_quote_names_the_line_it_starts_on(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(_good(tmp_path) + f'Y,https://y.com,sam,"{SECRET_FIELD}\r\nmore\r\n', "utf-8")
    message = _error(path)
    assert "line 4" in message and "never closed" in message


def test_wrong_number_of_columns_names_the_line_only(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(_good(tmp_path) + f"Y,https://y.com,sam,{SECRET_FIELD}\r\n", "utf-8")
    message = _error(path)
    assert "line 4" in message and "4 columns" in message and "header has 5" in message


def test_non_utf8_names_the_line_only(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    bad = f"Y,https://y.com,sam,{SECRET_FIELD}\xe9,\r\n".encode("latin-1")
    path.write_bytes(_good(tmp_path).encode() + bad)
    message = _error(path)
    assert "line 4" in message and "UTF-8" in message


def test_unknown_header_lists_the_known_sources_without_quoting_it(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(f"{SECRET_FIELD},b,c\r\n1,2,3\r\n", "utf-8")
    message = _error(path)
    for title in ("Bitwarden", "KeePassXC", "Google Chrome", "Firefox", "1Password"):
        assert title in message
    assert "--source" in message


def test_a_named_source_that_does_not_match_suggests_the_right_one(tmp_path: Path) -> None:
    path = write_export(tmp_path / "e.csv", "firefox", LOGINS)
    message = _error(path, "bitwarden")
    assert "not the header of a Bitwarden export" in message and "--source firefox" in message


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_named(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    assert "is empty" in _error(path)


def test_a_folder_or_a_missing_file_is_named(tmp_path: Path) -> None:
    assert "is a folder" in _error(tmp_path)
    assert "no such file" in _error(tmp_path / "missing.csv")


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(_good(tmp_path) * 50, "utf-8")
    with pytest.raises(ExportError, match="too large"):
        read_export(path, limit=1024)


def test_a_field_longer_than_any_password_field_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(_good(tmp_path) + f'Y,https://y.com,sam,"{SECRET_FIELD * 20_000}"\r\n', "utf-8")
    message = _error(path)
    assert "line 4" in message and "longer than" in message


def test_a_header_only_export_has_no_entries(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(",".join(HEADERS["chrome"]) + "\n", "utf-8")
    assert read_export(path).entries == ()


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.example.org/login?x=1", "www.example.org"),
        ("example.org/login", "example.org"),
        ("https://a.example, https://b.example", "a.example"),
        ("android://hash@com.example.app/", "com.example.app"),
        ("", ""),
        ("http://[::1", ""),
    ],
)
def test_host_of_an_address(url: str, host: str) -> None:
    assert host_of(url) == host


def test_the_formats_file_names_every_problem() -> None:
    text = """
[sources.one]
title = ""
signature = ["a", "A"]
columns = { url = "zzz", username = "a", password = "a", colour = "a" }
kind = { column = "nope", logins = ["login"] }

[sources.two]
signature = []
"""
    with pytest.raises(NutsecError) as caught:
        load_formats(text, "formats.toml")
    problems = "\n".join(caught.value.details)
    for expected in (
        "'sources.one.title' must be non-empty text",
        "'sources.one.signature' names a column twice",
        "'sources.one.columns.url' must be one of the signature's columns",
        "'sources.one.columns.colour' is not something nutsec reads",
        "'sources.one.kind.column' must be one of the signature's columns",
        "'sources.two.signature' must be a non-empty list of column names",
        "'sources.two.columns' must be a table",
    ):
        assert expected in problems


def test_a_csv_source_named_for_a_database_or_json_says_which_source_to_use(
    tmp_path: Path,
) -> None:
    database = tmp_path / "db.kdbx"
    database.write_bytes(b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5" + b"\x00" * 64)
    with pytest.raises(ExportError, match="--source kdbx"):
        read_export(database, "bitwarden")
    data = tmp_path / "bw.json"
    data.write_text('{"encrypted": false, "items": []}', "utf-8")
    with pytest.raises(ExportError, match="--source bitwarden-json"):
        read_export(data, "chrome")
    with pytest.raises(ExportError, match="not a KeePass database"):
        read_export(write_export(tmp_path / "e.csv", "chrome", LOGINS), "kdbx", unlock=lambda: None)  # type: ignore[arg-type,return-value]


def test_an_encrypted_bitwarden_export_says_how_to_export_without_a_password(
    tmp_path: Path,
) -> None:
    data = tmp_path / "bw.json"
    data.write_text('{"encrypted": true, "passwordProtected": true, "items": []}', "utf-8")
    with pytest.raises(ExportError, match="encrypted Bitwarden export"):
        read_export(data)
    data.write_text('{"encrypted": false,\n "items": [\n', "utf-8")
    with pytest.raises(ExportError, match="line 3: not valid JSON"):
        read_export(data)
