"""`nutsec passwords audit`: the JSON contract, breaches by server and corpus, and no password or
any 3-character piece of one in any output or any file written, whatever the format."""

from __future__ import annotations

import hashlib
import html
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.cli import app
from tests.export_samples import HEADERS, Login, write_export
from tests.loopback import RangeServer

runner = CliRunner()

BREACHED = "Wkq#Zr5Yvp"
SHARED = "Hq4$Vn8*Lk2&Zm6^"
#: Distinctive passwords, so any 3-character piece of one in the output is a leak, not chance.
LOGINS = [
    Login("E-mail", "https://mail.example", "sam@example.org", SHARED),
    Login("Union site", "https://union.example", "sam", SHARED),
    Login("Forum", "https://forum.example", "sam", "Zqxv#Vbnq%Kqzw~7"),
    Login("Chat", "https://chat.example", "sam", "Zqxv#Vbnq%Kqzw~8"),
    Login("Shop", "https://shop.example", "sam", BREACHED),
    Login("Old game", "https://game.example", "sam", "qzxwvq"),
    Login("Bank", "https://bank.example", "sam", "Jv#8Qm!tRz2@Wp9x-Kyq"),
    Login("Odd", "https://odd.example", "sam", 'Fq"z,Xw\r\nYv9'),
]
PASSWORDS = sorted({login.password for login in LOGINS})
EVIL_NAME = "<script>alert(1)</script>\x1b[31mRED\x1b]0;pwned\x07 [bold]x[/bold] \u202egnp.exe"


def _pieces(password: str) -> set[str]:
    return {password[i : i + 3] for i in range(len(password) - 2)}


def assert_no_password_in(text: str, where: str) -> None:
    """No password, nor any 3-character piece of one, raw or after HTML unescaping."""
    for candidate in (text, html.unescape(text)):
        for number, password in enumerate(PASSWORDS):
            shown = [p for p in _pieces(password) if p in candidate]
            assert not shown, f"{where}: {len(shown)} pieces of password #{number} are shown"


def _export(tmp_path: Path, variant: str = "bitwarden", logins: list[Login] = LOGINS) -> Path:
    return write_export(tmp_path / "export.csv", variant, logins)


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["passwords", "audit", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_has_the_contract_shape(tmp_path: Path) -> None:
    code, out, _ = _run(str(_export(tmp_path)), "--offline", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "nutsec.passwords/1"
    assert set(data["summary"]) >= {
        "entries", "weak", "reused", "similar", "breached", "not_checked",
    }  # fmt: skip
    assert data["summary"]["entries"] == len(data["entries"]) == len(LOGINS)
    for entry in data["entries"]:
        assert set(entry) >= {
            "name", "username", "url", "strength", "breach", "reused_with", "similar_to",
        }  # fmt: skip
        assert {"score", "crack_time", "warning"} <= set(entry["strength"])
        assert set(entry["breach"]) == {"status", "count", "reason"}
    by_name = {e["name"]: e for e in data["entries"]}
    assert by_name["E-mail"]["reused_with"] == ["Union site"]
    assert by_name["Forum"]["similar_to"] == ["Chat"]
    assert by_name["E-mail"]["username"] == "sam@example.org"
    assert by_name["E-mail"]["url"] == "https://mail.example"


def test_offline_counts_every_entry_as_not_checked(tmp_path: Path) -> None:
    code, out, _ = _run(str(_export(tmp_path)), "--offline", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["summary"]["not_checked"] == len(LOGINS)
    assert data["summary"]["breached"] == 0
    assert {e["breach"]["status"] for e in data["entries"]} == {"unknown"}
    assert {e["breach"]["reason"] for e in data["entries"]} == {"offline"}
    assert data["summary"]["skipped"] == 3  # no password, a note, a card


def test_breach_is_found_via_the_range_server_one_request_per_distinct_prefix(
    tmp_path: Path,
) -> None:
    with RangeServer() as server:
        server.add_password(BREACHED, 4321)
        code, out, _ = _run(str(_export(tmp_path)), "--hibp-url", server.url, "--format", "json")
        paths = [r.path for r in server.requests]
    assert code == 0
    prefixes = {hashlib.sha1(p.encode(), usedforsecurity=False).hexdigest().upper()[:5]
                for p in PASSWORDS}  # fmt: skip
    assert sorted(paths) == sorted(f"/range/{p}" for p in prefixes)
    data = json.loads(out)
    shop = next(e for e in data["entries"] if e["name"] == "Shop")
    assert shop["breach"] == {"status": "found", "count": 4321, "reason": None}
    assert data["summary"]["breached"] == 1 and data["summary"]["not_checked"] == 0


def test_breach_is_found_via_an_offline_corpus(tmp_path: Path) -> None:
    digest = hashlib.sha1(BREACHED.encode(), usedforsecurity=False).hexdigest().upper()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"{digest[:5]}.txt").write_text(f"{digest[5:]}:99\r\n", encoding="ascii")
    code, out, _ = _run(str(_export(tmp_path)), "--hibp-corpus", str(corpus), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["breached"] == 1
    assert next(e for e in data["entries"] if e["name"] == "Shop")["breach"]["count"] == 99


@pytest.mark.parametrize("variant", ["bitwarden", "keepassxc", "chrome", "firefox", "1password"])
def test_no_password_or_piece_of_one_in_any_output_or_file(variant: str, tmp_path: Path) -> None:
    export = _export(tmp_path, variant)
    before = set(tmp_path.rglob("*"))
    outputs: list[tuple[str, str]] = []
    with RangeServer() as server:
        server.add_password(BREACHED, 12)
        for args in (
            [],
            ["--plain"],
            ["--format", "json"],
            ["--format", "html"],
            ["--format", "html", "-o", str(tmp_path / "page.html")],
            ["--format", "json", "-o", str(tmp_path / "out.json")],
            ["-o", str(tmp_path / "out.txt")],
        ):
            code, out, err = _run(str(export), "--hibp-url", server.url, *args)
            assert code == 0, err
            outputs += [(f"stdout of {args}", out), (f"stderr of {args}", err)]
    assert any("Found in known data breaches" in text for _, text in outputs)
    written = sorted(set(tmp_path.rglob("*")) - before - {export})
    assert {p.name for p in written} >= {"page.html", "out.json", "out.txt"}
    for path in written:
        if path.is_file():
            outputs.append((f"file {path.name}", path.read_text("utf-8", errors="replace")))
    for where, text in outputs:
        assert_no_password_in(text, where)


def test_files_written_are_private_and_whole(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    code, _, err = _run(str(_export(tmp_path)), "--offline", "--format", "html", "-o", str(out))
    assert code == 0 and "Results written to" in err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text("utf-8").rstrip().endswith("</html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_html_is_self_contained_and_printable(tmp_path: Path) -> None:
    code, out, _ = _run(str(_export(tmp_path)), "--offline", "--format", "html")
    assert code == 0
    lowered = out.lower()
    for forbidden in ("<script", "src=", "href=", "@import", "url("):
        assert forbidden not in lowered
    assert "@page { size: A4" in out and "Content-Security-Policy" in out


def test_markup_and_control_characters_in_names_are_inert_in_every_format(
    tmp_path: Path,
) -> None:
    logins = [Login(EVIL_NAME, "https://evil.example", "[red]me[/red]\x1b[2J", "Qm7#Xp2$Lz9!")]
    export = _export(tmp_path, "bitwarden", logins)
    _, terminal, _ = _run(str(export), "--offline")
    _, plain, _ = _run(str(export), "--offline", "--plain")
    _, page, _ = _run(str(export), "--offline", "--format", "html")
    _, data, _ = _run(str(export), "--offline", "--format", "json")
    for text in (terminal, plain, page, data):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    for text in (terminal, plain):
        assert "<script>alert(1)</script><U+001B>[31mRED" in text
        assert "[bold]x[/bold]" in text and "[red]me[/red]" in text
        assert "<U+202E>" in text
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert json.loads(data)["entries"][0]["name"] == EVIL_NAME


def test_terminal_output_fits_80_columns_and_needs_action_first(tmp_path: Path) -> None:
    with RangeServer() as server:
        server.add_password(BREACHED, 5)
        code, out, _ = _run(str(_export(tmp_path)), "--hibp-url", server.url, "--plain")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert all(line == line.rstrip() for line in lines)
    assert not any(ch in out for ch in "─│╭╮╰╯┌┐└┘")
    first = out.index("Change these first")
    assert out.index("Breached: Shop", first) < out.index("E-mail", first)
    assert out.index("E-mail", first) < out.index("Old game", first)
    assert out.index("Old game", first) < out.index("No problem found")
    assert "8 logins checked" in out and "Skipped 2 entries that are not logins" in out


def test_every_run_ends_by_saying_to_delete_the_export(tmp_path: Path) -> None:
    export = _export(tmp_path)
    for fmt in ("terminal", "json", "html"):
        code, out, err = _run(str(export), "--offline", "--format", fmt)
        assert code == 0
        said = " ".join(err.split())  # wrapped to the terminal's width
        assert "holds every password in plain text" in said
        assert "delete it securely" in said
        if fmt == "json":
            json.loads(out)  # the reminder never mixes into the JSON


def test_the_results_cannot_overwrite_the_export(tmp_path: Path) -> None:
    export = _export(tmp_path)
    before = export.read_bytes()
    code, _, err = _run(str(export), "--offline", "-o", str(export))
    assert code == 2 and "it is the file being read" in err
    assert export.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"name,url,username,password\r\nX,https://x,sam,\"Qm7#Xp\"2$Lz9!\r\n", "line 2"),
        (b"name,url,username,password\r\nX,https://x,sam\r\nY,https://y,sam,Qm7#Xp2$Lz9!,z\r\n",
         "line 2"),
        (b"name,url,username,password\r\nX,https://x,sam,Qm7#Xp\xff2$Lz9!\r\n", "line 2"),
        (b"Qm7#Xp2$Lz9!,b\r\n", "does not recognise"),
        (b"", "is empty"),
    ],
    ids=["bad quoting", "wrong column count", "not UTF-8", "unknown header", "empty"],
)  # fmt: skip
def test_a_malformed_export_is_one_line_exit_2_naming_file_and_line(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    code, out, err = _run(str(path), "--offline")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err and expected in err
    for piece in _pieces("Qm7#Xp2$Lz9!"):
        assert piece not in err, "the error quotes part of a field"


def test_a_folder_is_exit_2(tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path), "--offline")
    assert code == 2 and "is a folder" in err


def test_an_unrecognised_header_lists_the_known_sources(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("a,b,c\r\n1,2,3\r\n", "utf-8")
    code, _, err = _run(str(path), "--offline")
    assert code == 2
    for key in ("bitwarden", "keepassxc", "chrome", "firefox", "1password", "--source"):
        assert key in err


def test_installed_console_script_audits_an_export(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("nutsec")
    export = _export(tmp_path, "firefox")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("NUTSEC_HIBP_URL", None)
    result = subprocess.run(
        [str(script), "passwords", "audit", str(export), "--offline", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"]["key"] == "firefox"
    assert data["entries"][0]["name"] == "mail.example"
    assert "delete it securely" in " ".join(result.stderr.split())
    for where, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert_no_password_in(text, where)
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(HEADERS["chrome"]) + "\r\nonly,three,columns\r\n", "utf-8")
    failed = subprocess.run(
        [str(script), "passwords", "audit", str(bad), "--offline"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr.count("\n") == 1 and "line 2" in failed.stderr


def _in_terminal(*args: str) -> str:
    """Everything a real terminal (a pty) shows while the installed script runs."""
    import pexpect

    script = Path(sys.executable).with_name("nutsec")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "NUTSEC_HIBP_URL")}
    child = pexpect.spawn(
        str(script), ["passwords", "audit", *args], dimensions=(40, 80), encoding="utf-8", env=env
    )
    text: str = child.read()
    child.close()
    assert child.exitstatus == 0, text
    return text


def test_a_terminal_shows_progress_for_strength_and_breach_checks(tmp_path: Path) -> None:
    shown = _in_terminal(str(_export(tmp_path)), "--offline")
    assert "Checking strength" in shown and "Checking known breaches" in shown
    assert_no_password_in(shown, "the terminal")


def test_no_progress_is_drawn_for_json_or_plain_output(tmp_path: Path) -> None:
    export = str(_export(tmp_path))
    for args in (["--format", "json"], ["--plain"]):
        shown = _in_terminal(export, "--offline", *args)
        assert "Checking" not in shown


def test_the_documented_json_has_the_keys_the_command_writes(tmp_path: Path) -> None:
    from tests.conftest import DOCS

    text = (DOCS / "exports.md").read_text("utf-8")
    documented = json.loads(text.split("```json\n")[1].split("```")[0])
    _, out, _ = _run(str(_export(tmp_path)), "--offline", "--format", "json")
    real = json.loads(out)
    assert set(documented) == set(real)
    assert set(documented["summary"]) == set(real["summary"])
    assert set(documented["entries"][0]) == set(real["entries"][0])
    for part in ("strength", "breach", "verdict"):
        assert set(documented["entries"][0][part]) == set(real["entries"][0][part])


def test_passwords_audit_help_imports_neither_pykeepass_nor_the_two_step_data() -> None:
    code = (
        "import sys\n"
        "from nutsec.cli import main\n"
        "sys.argv = ['nutsec', 'passwords', 'audit', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pykeepass', 'nutsec.twofactor.directory', 'zxcvbn', 'requests')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert "HEAVY []" in result.stderr, result.stderr
    assert "--exclude-folder" in result.stdout and "--password-stdin" in result.stdout
