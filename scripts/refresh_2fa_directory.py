"""Refresh nutsec's two-step sign-in data from the public 2FA Directory.

Usage:
  python scripts/refresh_2fa_directory.py PATH

PATH is either a checkout of https://github.com/2factorauth/twofactorauth (its `entries/` folder
holds one JSON file per site, `{"Site name": {...}}`) or a snapshot file `entries.json` holding
`{"entries": [...]}`. Writes `nutsec/twofactor/sites.json` (only what nutsec shows: name, domains,
methods, how-to link) and copies the directory's MIT licence beside it. The commit is read from
the checkout's `.git` when there is one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1] / "nutsec" / "twofactor"
SOURCE = "https://github.com/2factorauth/twofactorauth"

#: Login pages a password manager saves that are not a site's listed domain, pointed at the
#: entry that covers them. Kept here so a refresh keeps them.
ALIASES = {
    "accounts.google.com": "mail.google.com",
    "myaccount.google.com": "mail.google.com",
    "google.com": "mail.google.com",
    "login.live.com": "outlook.com",
    "account.microsoft.com": "outlook.com",
    "login.microsoft.com": "outlook.com",
    "appleid.apple.com": "icloud.com",
    "twitter.com": "x.com",
}


def _from_checkout(root: Path) -> tuple[list[dict[str, Any]], str, str]:
    entries: list[dict[str, Any]] = []
    for file in sorted((root / "entries").rglob("*.json")):
        for name, body in json.loads(file.read_text("utf-8")).items():
            entries.append({"name": name, **body})
    commit = date = ""
    if (root / ".git").exists():
        git = ["git", "-C", str(root), "log", "-1", "--format=%H %cs"]
        done = subprocess.run(git, capture_output=True, text=True, check=True)
        commit, _, date = done.stdout.strip().partition(" ")
    return entries, commit, date


def _from_snapshot(file: Path) -> tuple[list[dict[str, Any]], str, str]:
    raw = json.loads(file.read_text("utf-8"))
    return list(raw["entries"]), str(raw.get("commit", "")), str(raw.get("date", ""))


def compact(entries: list[dict[str, Any]]) -> list[list[Any]]:
    """[name, [domain, additional...], [methods], documentation] per site, sorted by name."""
    sites = []
    for entry in entries:
        domains = [entry["domain"], *entry.get("additional-domains", [])]
        sites.append(
            [
                entry["name"],
                [d.strip().lower() for d in domains],
                list(entry.get("tfa", [])),
                entry.get("documentation", ""),
            ]
        )
    return sorted(sites, key=lambda s: (s[0].casefold(), s[1][0]))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("path", type=Path, help="a twofactorauth checkout or entries.json")
    args = parser.parse_args()
    path: Path = args.path
    if path.is_dir() and (path / "entries").is_dir():
        entries, commit, date = _from_checkout(path)
        licence = path / "LICENSE.md"
    elif path.is_file():
        entries, commit, date = _from_snapshot(path)
        licence = path.parent / "LICENSE.md"
    else:
        print(f"{path}: not a twofactorauth checkout or an entries.json snapshot", file=sys.stderr)
        return 2
    if not licence.is_file():
        print(f"{licence}: the MIT licence must ship with the data; it is missing", file=sys.stderr)
        return 2
    data = {
        "source": SOURCE,
        "commit": commit,
        "date": date or datetime.now(UTC).date().isoformat(),
        "licence": "MIT, see LICENSE.md beside this file",
        "aliases": ALIASES,
        "sites": compact(entries),
    }
    target = PACKAGE / "sites.json"
    target.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
    shutil.copyfile(licence, PACKAGE / "LICENSE.md")
    print(f"wrote {len(data['sites'])} sites to {target} ({target.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
