"""Export layouts nutsec must refuse or read with care: a repeated password column, the folder
and TOTP columns, and folders left out by name or by default (bin, trash, Backup)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.cli import app
from nutsec.errors import NutsecError
from nutsec.exports.reader import SKIPPED_BIN, SKIPPED_EXCLUDED, read_export
from tests.export_samples import HEADERS

runner = CliRunner()


def test_a_duplicate_password_column_is_exit_2_naming_the_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(
        "name,url,username,password,password\r\nA,https://a.example,sam,Kq7#zX,Wm2!vB\r\n"
    )
    result = runner.invoke(app, ["passwords", "audit", str(path), "--offline"])
    assert result.exit_code == 2
    assert "twice.csv" in result.stderr and "'password'" in result.stderr
    assert "Kq7#zX" not in result.output and "Wm2!vB" not in result.output


def _keepassxc(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A KeePassXC CSV with (group, title, totp) rows, each with its own password."""
    lines = [",".join(f'"{c}"' for c in HEADERS["keepassxc"])]
    for n, (group, title, totp) in enumerate(rows):
        values = {"Group": group, "Title": title, "Username": "sam", "Password": f"Pw-{n}-Kq7z",
                  "URL": f"https://site{n}.example", "TOTP": totp}  # fmt: skip
        lines.append(",".join(f'"{values.get(c, "")}"' for c in HEADERS["keepassxc"]))
    path = tmp_path / "keepassxc.csv"
    path.write_text("\r\n".join(lines) + "\r\n", "utf-8")
    return path


def test_bin_trash_and_backup_folders_are_left_out_and_counted(tmp_path: Path) -> None:
    path = _keepassxc(
        tmp_path,
        [("Root/Internet", "Kept", ""), ("Root/Recycle Bin", "Binned", ""),
         ("Root/Backup", "Old copy", ""), ("Root/Trash/Deep", "Deep", "")],
    )  # fmt: skip
    export = read_export(path)
    assert [e.name for e in export.entries] == ["Kept"]
    assert export.skipped[SKIPPED_BIN] == 3


def test_exclude_folder_matches_a_group_or_a_path_in_any_case(tmp_path: Path) -> None:
    path = _keepassxc(
        tmp_path,
        [("Root/Work", "Work mail", ""), ("Root/Work/Old", "Old work", ""),
         ("Root/Home", "Home", ""), ("Root/Homework", "Homework", "")],
    )  # fmt: skip
    export = read_export(path, exclude_folders=["work"])
    assert [e.name for e in export.entries] == ["Home", "Homework"]
    assert export.skipped[SKIPPED_EXCLUDED] == 2
    result = runner.invoke(
        app, ["passwords", "audit", str(path), "--offline", "--exclude-folder", "Root/Work",
              "--exclude-folder", "home"],
    )  # fmt: skip
    assert result.exit_code == 0
    assert "Left out 3 entries in the folders you named." in " ".join(result.stdout.split())


def test_exclude_folder_on_an_export_without_folders_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "chrome.csv"
    path.write_text("name,url,username,password\r\nA,https://a.example,sam,Kq7#zXw\r\n")
    with pytest.raises(NutsecError, match="no folders"):
        read_export(path, exclude_folders=["Work"])


def test_a_filled_totp_field_says_two_step_sign_in_is_set_up(tmp_path: Path) -> None:
    path = _keepassxc(tmp_path, [("Root", "With codes", "otpauth://totp/x?secret=JBSW"),
                                 ("Root", "Without", "")])  # fmt: skip
    export = read_export(path)
    assert [e.totp for e in export.entries] == [True, False]
    result = runner.invoke(app, ["passwords", "audit", str(path), "--offline", "--plain"])
    shown = " ".join(result.stdout.split())
    assert "Two-step sign-in: set up" in shown
    assert "JBSW" not in result.output


def test_a_1password_archived_login_is_left_out_like_the_bin(tmp_path: Path) -> None:
    header = ",".join(HEADERS["1password"])
    path = tmp_path / "1p.csv"
    path.write_text(
        f"{header}\r\n"
        "Kept,https://a.example,sam,Kq7#zXw1,,false,false,,\r\n"
        "Old,https://b.example,sam,Vb9$nLp2,,false,true,,\r\n",
        "utf-8",
    )
    export = read_export(path)
    assert [e.name for e in export.entries] == ["Kept"]
    assert export.skipped[SKIPPED_BIN] == 1
