"""Bitwarden's unencrypted JSON export (`bw export --format json`), personal or organisation.

Items are numbered from 1 in the order the file lists them; errors name that number, never a
value (any value could be a password).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from nutsec.exports.entries import SKIPPED_NOT_LOGIN, ExportError, RawLogin

#: Bitwarden's item types: 1 login, 2 secure note, 3 card, 4 identity, 5 SSH key.
LOGIN_TYPE = 1


def read_bitwarden_json(label: str, text: str) -> tuple[list[RawLogin], Counter[str]]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        # Its message quotes no value, but its position is all we need.
        raise ExportError(
            f"{label}, line {exc.lineno}: not valid JSON. Export it again with "
            "`bw export --format json` (not encrypted)."
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list):
        raise ExportError(
            f"{label}: not a Bitwarden JSON export (it has no list of items). Export it again "
            "with `bw export --format json`."
        )
    if raw.get("encrypted") is True:
        raise ExportError(
            f"{label} is an encrypted Bitwarden export, which nutsec cannot open. Export "
            "without a password: `bw export --format json --raw | nutsec passwords audit -`."
        )
    folders = _names(raw.get("folders")) | _names(raw.get("collections"))
    logins: list[RawLogin] = []
    skipped: Counter[str] = Counter()
    for number, item in enumerate(raw["items"], start=1):
        if not isinstance(item, dict):
            raise ExportError(f"{label}, item {number}: is not an item. Export the file again.")
        if item.get("type") != LOGIN_TYPE or not isinstance(item.get("login"), dict):
            skipped[SKIPPED_NOT_LOGIN] += 1
            continue
        login: dict[str, Any] = item["login"]
        password = login.get("password")
        ids = (item.get("folderId"), *(item.get("collectionIds") or []))
        folder_ids = [f for f in ids if isinstance(f, str)]
        uris = login.get("uris")
        if not isinstance(uris, list):
            uris = []
        logins.append(
            RawLogin(
                line=number,
                name=_text(item.get("name")),
                username=_text(login.get("username")),
                url=",".join(_text(u.get("uri")) for u in uris if isinstance(u, dict)),
                password=password if isinstance(password, str) else "",
                folder=next((folders[f] for f in folder_ids if f in folders), ""),
                totp=bool(_text(login.get("totp")).strip()),
                # A trashed item carries the date it was deleted.
                in_bin=bool(item.get("deletedDate")),
            )
        )
        login.clear()
    raw.clear()
    return logins, skipped


def _names(value: Any) -> dict[str, str]:
    """Folder or collection id -> name."""
    if not isinstance(value, list):
        return {}
    return {
        str(f["id"]): _text(f.get("name"))
        for f in value
        if isinstance(f, dict) and isinstance(f.get("id"), str)
    }


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
