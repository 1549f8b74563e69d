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


#: Bitwarden's custom field types: 0 text, 1 hidden, 2 boolean, 3 linked.
HIDDEN_FIELD = 1
#: A number longer than this is no Bitwarden value (Python refuses past 4,300 digits anyway).
MAX_NUMBER_DIGITS = 64


def read_bitwarden_json(label: str, text: str) -> tuple[list[RawLogin], Counter[str]]:
    try:
        raw = json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as exc:
        # Its message quotes no value, but its position is all we need.
        raise ExportError(
            f"{label}, line {exc.lineno}: not valid JSON. Export it again with "
            "`bw export --format json` (not encrypted)."
        ) from None
    except RecursionError:
        raise ExportError(
            f"{label}: not a Bitwarden export (it is nested far too deeply). Export it again "
            "with `bw export --format json`."
        ) from None
    except _HugeNumberError:
        raise ExportError(
            f"{label}: not a Bitwarden export (it holds a number more than "
            f"{MAX_NUMBER_DIGITS} digits long). Export it again with `bw export --format json`."
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
        old, hidden = _old_passwords(item), _hidden_fields(item)
        if item.get("type") != LOGIN_TYPE or not isinstance(item.get("login"), dict):
            if old or hidden:  # not checked, but its secrets are hidden wherever they appear
                logins.append(RawLogin(number, "", "", "", "", not_login=True,
                                       old_passwords=old, hidden_fields=hidden))  # fmt: skip
            else:
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
                old_passwords=old,
                hidden_fields=hidden,
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


class _HugeNumberError(ValueError):
    """A number too long to be any Bitwarden value: refused before Python converts it."""


def _integer(digits: str) -> int:
    """A JSON integer, refused when no Bitwarden value could be that long: `int()` itself
    refuses 4,300+ digits with a traceback, and spends time on long ones first."""
    if len(digits) > MAX_NUMBER_DIGITS:
        raise _HugeNumberError
    return int(digits)


def _old_passwords(item: dict[str, Any]) -> list[str]:
    """The item's earlier passwords (`passwordHistory`), to hide wherever they appear."""
    history = item.get("passwordHistory")
    if not isinstance(history, list):
        return []
    return [h["password"] for h in history if isinstance(h, dict) and _text(h.get("password"))]


def _hidden_fields(item: dict[str, Any]) -> list[str]:
    """The values of the item's hidden custom fields, to hide wherever they appear."""
    fields = item.get("fields")
    if not isinstance(fields, list):
        return []
    return [
        f["value"]
        for f in fields
        if isinstance(f, dict) and f.get("type") == HIDDEN_FIELD and _text(f.get("value"))
    ]
