"""The Passkeys Directory snapshot shipped with nutsec: the loader, the hint for a login, and the
hint in `nutsec passwords audit` (terminal, HTML and JSON), always with the CC BY 4.0 credit."""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.cli import app
from nutsec.passkeys.directory import (
    PasskeyDirectory,
    host_of,
    parse_directory,
    passkey_hint,
    shipped_passkey_directory,
)
from tests.export_samples import Login, write_export

SNAPSHOT = Path("/work/shared/data/passkeys-directory")
CREDIT_WORDS = "Passkeys Directory, 2factorauth and contributors, CC BY 4.0"
runner = CliRunner()


def shipped_raw() -> dict[str, object]:
    text = (resources.files("nutsec.passkeys") / "entries.json").read_text("utf-8")
    raw: dict[str, object] = json.loads(text)
    return raw


def test_the_snapshot_ships_with_its_licence_and_what_it_is() -> None:
    folder = resources.files("nutsec.passkeys")
    licence = (folder / "LICENSE.md").read_text("utf-8")
    assert "Creative Commons Attribution 4.0 International" in licence
    about = (folder / "DATA.md").read_text("utf-8")
    assert "CC BY 4.0" in about and "2factorauth" in about
    raw = shipped_raw()
    assert raw["count"] == len(raw["entries"]) == 260  # type: ignore[arg-type]
    assert raw["commit"] and raw["date"] == "2026-08-04"


@pytest.mark.skipif(not SNAPSHOT.is_dir(), reason="the shared snapshot is not on this machine")
def test_the_shipped_copy_is_the_snapshot_unchanged() -> None:
    for name in ("entries.json", "LICENSE.md"):
        shipped = (resources.files("nutsec.passkeys") / name).read_bytes()
        assert shipped == (SNAPSHOT / name).read_bytes(), name


def test_every_entry_that_takes_passkeys_is_found_by_its_domains() -> None:
    directory = shipped_passkey_directory()
    entries = shipped_raw()["entries"]
    offering = 0
    for entry in entries:  # type: ignore[attr-defined]
        takes = "allowed" in (entry.get("passwordless"), entry.get("mfa"))
        offering += takes
        for domain in (entry["domain"], *entry.get("additional-domains", [])):
            site = directory.site_for_host(domain)
            if takes:
                assert site is not None, domain
            elif site is not None:  # listed under a domain another entry also has
                assert site.domain != entry["domain"]
    assert offering == 258  # two entries of the snapshot allow passkeys neither way


@pytest.mark.parametrize(
    ("address", "site", "replaces_password"),
    [
        ("https://x.com/i/flow/login", "X (Twitter)", True),
        ("https://twitter.com/login", "X (Twitter)", True),
        ("https://www.facebook.com/", "Facebook", True),
        ("https://mail.google.com/mail/u/0/", "Gmail", True),
        ("https://www.linkedin.com/login", "LinkedIn", True),
        ("github.com", "GitHub", True),
        ("https://my.1password.eu/signin", "1Password", False),  # an additional domain
        ("https://start.1password.com/", "1Password", False),  # a subdomain
    ],
)
def test_a_login_on_a_listed_site_gets_a_hint_with_the_sites_own_link(
    address: str, site: str, replaces_password: bool
) -> None:
    hint = passkey_hint(address)
    assert hint is not None and hint.site == site
    assert ("instead of this password" in hint.text) is replaces_password
    assert ("second step" in hint.text) is not replaces_password
    assert hint.link.startswith("https://")
    assert CREDIT_WORDS in hint.credit and "2026-08-04" in hint.credit


@pytest.mark.parametrize(
    "address", ["", "https://union.example/", "https://instagram.com/", "not a url", "co.uk"]
)
def test_a_site_the_snapshot_does_not_list_gets_no_hint(address: str) -> None:
    assert passkey_hint(address) is None


def test_the_link_is_the_documentation_of_the_entry() -> None:
    hint = passkey_hint("https://x.com")
    assert hint is not None
    assert hint.link == "https://help.x.com/managing-your-account/how-to-use-passkey"


def test_host_of_reads_addresses_with_or_without_a_scheme() -> None:
    assert host_of("https://Mail.Google.com:443/x?y") == "mail.google.com"
    assert host_of("example.org/login") == "example.org"
    assert host_of("   ") == ""


def test_an_entry_allowing_passkeys_neither_way_is_left_out() -> None:
    text = json.dumps(
        {
            "date": "2026-01-01",
            "entries": [
                {"name": "Neither", "domain": "neither.example"},
                {"name": "Both", "domain": "both.example", "passwordless": "allowed"},
            ],
        }
    )
    directory: PasskeyDirectory = parse_directory(text)
    assert passkey_hint("neither.example", directory) is None
    hint = passkey_hint("https://www.both.example", directory)
    assert hint is not None and hint.link == "" and "2026-01-01" in hint.credit


# --- in `nutsec passwords audit` ----------------------------------------------------------------

LOGINS = [
    Login("X", "https://x.com/login", "sam_rep", "Plover-Gantry-Oboe-41"),
    Login("Shop", "https://shop.example", "sam", "Quartz!Mango?Velvet7"),
]


def _audit(tmp_path: Path, *args: str) -> str:
    export = write_export(tmp_path / "export.csv", "bitwarden", LOGINS)
    result = runner.invoke(app, ["passwords", "audit", str(export), "--offline", *args])
    assert result.exit_code == 0, result.output
    for login in LOGINS:
        assert login.password not in result.stdout
    return result.stdout


def test_the_terminal_shows_the_hint_its_link_and_the_credit(tmp_path: Path) -> None:
    shown = " ".join(_audit(tmp_path, "--plain").split())
    assert "Passkey: X (Twitter) lets you sign in with a passkey instead of this password." in shown
    assert "How: https://help.x.com/managing-your-account/how-to-use-passkey" in shown
    assert CREDIT_WORDS in shown
    assert shown.count("Passkey:") == 1  # the shop takes none


def test_the_html_page_shows_the_hint_and_the_credit(tmp_path: Path) -> None:
    page = html.unescape(_audit(tmp_path, "--format", "html"))
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "X (Twitter) lets you sign in with a passkey" in text
    assert "help.x.com/managing-your-account/how-to-use-passkey" in text
    assert CREDIT_WORDS in text


def test_the_json_gives_the_hint_per_login_and_the_credit_once(tmp_path: Path) -> None:
    data = json.loads(_audit(tmp_path, "--format", "json"))
    by_name = {entry["name"]: entry for entry in data["entries"]}
    assert by_name["X"]["passkey"] == {
        "site": "X (Twitter)",
        "hint": (
            "Passkey: X (Twitter) lets you sign in with a passkey instead of this password. "
            "Set one up, and keep the password as a way back in."
        ),
        "how_to": "https://help.x.com/managing-your-account/how-to-use-passkey",
    }
    assert by_name["Shop"]["passkey"] is None
    assert CREDIT_WORDS in data["passkeys_directory"]["credit"]


def test_no_credit_is_printed_when_no_login_takes_passkeys(tmp_path: Path) -> None:
    export = write_export(tmp_path / "e.csv", "bitwarden", LOGINS[1:])
    result = runner.invoke(app, ["passwords", "audit", str(export), "--offline", "--plain"])
    assert result.exit_code == 0
    assert "Passkey" not in result.stdout
    data = runner.invoke(app, ["passwords", "audit", str(export), "--offline", "--format", "json"])
    assert json.loads(data.stdout)["passkeys_directory"] is None
