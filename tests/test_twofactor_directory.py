"""The 2FA Directory shipped as data: loads fast, matches a login's host (subdomains, www.,
additional domains), ships with its MIT licence, and feeds the export audit's hints."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nutsec.cli import app
from nutsec.twofactor.directory import parse_directory, shipped_directory
from tests.export_samples import Login, write_export

runner = CliRunner()


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("mail.google.com", "Gmail"),  # a google.com subdomain
        ("drive.google.com", "Google Drive"),
        ("accounts.google.com", "Gmail"),  # Google's sign-in page, by the alias table
        ("www.facebook.com", "Facebook"),
        ("WWW.Facebook.com.", "Facebook"),
        ("twitter.com", "X (Twitter)"),  # an additional domain of x.com
        ("mobile.twitter.com", "X (Twitter)"),
        ("unknown-host.example", None),
        ("co.uk", None),
    ],
)
def test_a_hosts_site_is_found(host: str, site: str | None) -> None:
    found = shipped_directory().site_for_host(host)
    assert (found.name if found else None) == site


def test_a_site_lists_its_methods_and_how_to_link() -> None:
    x = shipped_directory().site_for_host("twitter.com")
    assert x is not None and x.offers_two_step
    assert {"totp", "u2f"} <= set(x.methods)
    assert x.method_words[0] == "a security key"
    assert x.documentation.startswith("https://")


def test_the_data_loads_in_under_50_ms() -> None:
    text = (resources.files("nutsec.twofactor") / "sites.json").read_text("utf-8")
    best = min(_timed(lambda: parse_directory(text)) for _ in range(5))
    assert best < 0.050, f"{best * 1000:.0f} ms"
    # And in a fresh interpreter, reading the file included (the module already imported).
    code = (
        "from nutsec.twofactor.directory import shipped_directory; import time;"
        "t = time.perf_counter(); shipped_directory(); print(time.perf_counter() - t)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(3)
    ]  # fmt: skip
    assert min(runs) < 0.050, f"{min(runs) * 1000:.0f} ms"


def _timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def test_the_licence_ships_beside_the_data() -> None:
    folder = resources.files("nutsec.twofactor")
    licence = (folder / "LICENSE.md").read_text("utf-8")
    assert "MIT" in licence and "2factorauth" in licence
    data = json.loads((folder / "sites.json").read_text("utf-8"))
    assert data["source"] == "https://github.com/2factorauth/twofactorauth"
    assert len(data["sites"]) > 2000


def test_the_export_audit_shows_methods_links_and_the_count(tmp_path: Path) -> None:
    logins = [
        Login("Google", "https://accounts.google.com/signin", "sam@example.org", "Gq7#mZ2!kX"),
        Login("Facebook", "https://www.facebook.com/", "sam", "Fq8$nY3@jW"),
        Login("Branch site", "https://branch.union.example", "sam", "Bq9%pV4^hU"),
    ]
    export = write_export(tmp_path / "e.csv", "chrome", logins, extras=False)
    result = runner.invoke(app, ["passwords", "audit", str(export), "--offline", "--plain"])
    shown = " ".join(result.stdout.split())
    assert "2 of your 3 logins offer two-step sign-in" in shown
    assert "Facebook offers it (a security key, an authenticator app or text message)" in shown
    assert "https://www.facebook.com/help/148233965247823" in shown
    assert "2FA Directory" in shown
    data = json.loads(
        runner.invoke(
            app, ["passwords", "audit", str(export), "--offline", "--format", "json"]
        ).stdout
    )
    assert data["summary"]["two_step_offered"] == 2
    branch = next(e for e in data["entries"] if e["name"] == "Branch site")
    assert branch["two_step"] == {
        "set_up": False, "listed": False, "offered": False, "site": None, "methods": [],
        "how_to": None,
    }  # fmt: skip


def test_the_refresh_script_rebuilds_the_same_data(tmp_path: Path) -> None:
    """From the shared snapshot, the script writes what is shipped (run on a copy)."""
    snapshot = Path("/work/shared/data/2fa-directory/entries.json")
    if not snapshot.exists():
        pytest.skip("the 2FA Directory snapshot is not on this machine")
    repo = Path(__file__).resolve().parents[1]
    copy = tmp_path / "repo"
    (copy / "scripts").mkdir(parents=True)
    (copy / "nutsec" / "twofactor").mkdir(parents=True)
    script = copy / "scripts" / "refresh_2fa_directory.py"
    script.write_text((repo / "scripts" / "refresh_2fa_directory.py").read_text("utf-8"))
    subprocess.run([sys.executable, str(script), str(snapshot)], check=True, capture_output=True)
    shipped = (repo / "nutsec" / "twofactor" / "sites.json").read_text("utf-8")
    assert (copy / "nutsec" / "twofactor" / "sites.json").read_text("utf-8") == shipped
    assert (copy / "nutsec" / "twofactor" / "LICENSE.md").exists()


def test_the_two_step_package_imports_no_other_part_of_nutsec() -> None:
    """It sits below the export audit and the guided audit's advice, which both use it."""
    from tests.test_layers import imports_of

    assert {m for m in imports_of("twofactor") if not m.startswith("nutsec.twofactor")} == set()
