"""Password-manager CSV exports written the way each manager writes them (real header rows,
each one's quoting), from made-up logins. Used by the tests and benchmarks/bench_exports.py."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Login:
    name: str
    url: str
    username: str
    password: str


#: The header rows as each manager writes them, with the variants older versions write.
HEADERS: dict[str, list[str]] = {
    "bitwarden": [
        "folder", "favorite", "type", "name", "notes", "fields", "reprompt",
        "login_uri", "login_username", "login_password", "login_totp",
    ],
    "bitwarden-old": [
        "folder", "favorite", "type", "name", "notes", "fields",
        "login_uri", "login_username", "login_password", "login_totp",
    ],
    "bitwarden-organisation": [
        "collections", "type", "name", "notes", "fields", "reprompt",
        "login_uri", "login_username", "login_password", "login_totp",
    ],
    "keepassxc": [
        "Group", "Title", "Username", "Password", "URL", "Notes", "TOTP", "Icon",
        "Last Modified", "Created",
    ],
    "keepassxc-old": ["Group", "Title", "Username", "Password", "URL", "Notes"],
    "chrome": ["name", "url", "username", "password", "note"],
    "chrome-old": ["name", "url", "username", "password"],
    "firefox": [
        "url", "username", "password", "httpRealm", "formActionOrigin", "guid",
        "timeCreated", "timeLastUsed", "timePasswordChanged",
    ],
    "1password": [
        "Title", "Url", "Username", "Password", "OTPAuth", "Favorite", "Archived", "Tags", "Notes",
    ],
}  # fmt: skip

#: The --source each header variant is detected as.
SOURCE_OF = {variant: variant.split("-")[0] for variant in HEADERS}

#: KeePassXC and Firefox quote every field; the others quote only where needed.
_QUOTE_ALL = {"keepassxc", "firefox"}


def export_text(variant: str, logins: Sequence[Login], *, extras: bool = True) -> str:
    """The CSV text `variant` would write for `logins` (CRLF line ends, as Windows builds do).

    With `extras`, Bitwarden exports gain a secure note and a card, and every export gains an
    entry with no password: rows nutsec must skip and count.
    """
    header = HEADERS[variant]
    source = SOURCE_OF[variant]
    out = io.StringIO(newline="")
    quoting = csv.QUOTE_ALL if source in _QUOTE_ALL else csv.QUOTE_MINIMAL
    writer = csv.writer(out, quoting=quoting, lineterminator="\r\n")
    writer.writerow(header)
    for login in logins:
        writer.writerow(_row(header, login, "login"))
    if extras:
        writer.writerow(
            _row(header, Login("No password here", "https://empty.example", "me", ""), "login")
        )
        if source == "bitwarden":
            writer.writerow(_row(header, Login("Door code", "", "", ""), "note"))
            writer.writerow(_row(header, Login("Bank card", "", "", ""), "card"))
    return out.getvalue()


def write_export(path: Path, variant: str, logins: Sequence[Login], *, extras: bool = True) -> Path:
    path.write_bytes(export_text(variant, logins, extras=extras).encode("utf-8"))
    return path


def _row(header: list[str], login: Login, kind: str) -> list[str]:
    values = {
        # Bitwarden
        "type": kind, "name": login.name, "login_uri": login.url,
        "login_username": login.username, "login_password": login.password,
        "notes": "Notes are not read" if kind == "note" else "", "reprompt": "0",
        # KeePassXC
        "Group": "Root", "Title": login.name, "Username": login.username,
        "Password": login.password, "URL": login.url, "Icon": "0",
        "Last Modified": "2024-05-01T10:00:00Z", "Created": "2023-01-01T10:00:00Z",
        # Chrome
        "url": login.url, "username": login.username, "password": login.password,
        # Firefox
        "guid": "{0b4b1f8e-0000-4000-8000-000000000000}", "timeCreated": "1700000000000",
        "timeLastUsed": "1700000000000", "timePasswordChanged": "1700000000000",
        "formActionOrigin": login.url,
        # 1Password
        "Url": login.url, "Favorite": "false", "Archived": "false",
    }  # fmt: skip
    return [values.get(column, "") for column in header]


def bitwarden_json_text(
    logins: Sequence[Login], *, folder: str = "Internet", extras: bool = True
) -> str:
    """What `bw export --format json` writes: folders, then items (type 1 is a login)."""
    import json

    items: list[dict[str, object]] = [
        {
            "id": f"item-{n}", "organizationId": None, "folderId": "folder-1", "type": 1,
            "reprompt": 0, "name": login.name, "notes": None, "favorite": False,
            "login": {
                "uris": [{"match": None, "uri": login.url}] if login.url else [],
                "username": login.username, "password": login.password, "totp": None,
            },
            "collectionIds": None,
        }
        for n, login in enumerate(logins)
    ]  # fmt: skip
    if extras:
        items.append(
            {"id": "note", "folderId": None, "type": 2, "name": "Door code", "notes": "1234",
             "secureNote": {"type": 0}}
        )  # fmt: skip
        items.append(
            {"id": "gone", "folderId": None, "type": 1, "name": "Deleted login",
             "deletedDate": "2026-01-02T10:00:00.000Z",
             "login": {"uris": [], "username": "x", "password": "Dqzl-Pw-3391vb", "totp": None}}
        )  # fmt: skip
    return json.dumps(
        {"encrypted": False, "folders": [{"id": "folder-1", "name": folder}], "items": items},
        indent=2,
    )
