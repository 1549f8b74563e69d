"""A KeePass database (KDBX 3.1 or 4) read directly with pykeepass, so no plaintext export is
ever written. History entries and the recycle bin are left out (the bin counted as skipped).

Nothing of the database reaches the disk: it is given to pykeepass as bytes in memory.
"""

from __future__ import annotations

import io
import stat
from collections import Counter
from typing import Any

from nutsec.exports.entries import ExportError, KdbxKey, RawLogin, WrongKeyError

_SIGNATURE = b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5"
_KDB1_SIGNATURE = b"\x03\xd9\xa2\x9a\x65\xfb\x4b\xb5"
#: Where KeePass clients keep a login's TOTP set-up besides `otp` (KeePassXC; `entry.otp`):
#: KeePass 2.47+ and older plug-ins.
_TOTP_FIELDS = ("TimeOtp-Secret-Base32", "TimeOtp-Secret", "TOTP Seed")


def read_kdbx(label: str, data: bytes, key: KdbxKey) -> tuple[list[RawLogin], Counter[str]]:
    if data.startswith(_KDB1_SIGNATURE):
        raise ExportError(
            f"{label} is an old KeePass 1 database (.kdb). Open it in KeePassXC and save it as "
            ".kdbx, then give nutsec that file."
        )
    if not data.startswith(_SIGNATURE):
        raise ExportError(f"{label} is not a KeePass database (.kdbx).")
    keyfile = _keyfile(key)
    database = _open(label, data, key, keyfile)
    try:
        return _logins(database)
    finally:
        del database


def _keyfile(key: KdbxKey) -> str | None:
    if key.keyfile is None:
        return None
    path = key.keyfile
    try:
        mode = path.stat().st_mode
    except OSError:
        raise ExportError(f"Cannot read the key file {path}: there is no such file.") from None
    if not stat.S_ISREG(mode):
        raise ExportError(f"The key file {path} is not a regular file.")
    return str(path)


def _open(label: str, data: bytes, key: KdbxKey, keyfile: str | None) -> Any:
    from pykeepass import PyKeePass
    from pykeepass.exceptions import CredentialsError
    from pykeepass.kdbx_parsing.common import compute_key_composite

    from nutsec.exports.kdbx_key import WrongKey, derive_key, read_header

    header = read_header(label, data)
    what = "password or key file" if keyfile else "password"
    # pykeepass takes the password as text; this is the one place it is revealed outside
    # passwords/ and breach/, and only to the library that opens the database in memory.
    password = key.password.reveal() if key.password is not None else None
    try:
        composite = compute_key_composite(password=password, keyfile=keyfile)
        # The key is derived here in native code (pykeepass's AES-KDF is a Python loop) and
        # checked against the header before anything is decrypted.
        transformed = derive_key(label, header, composite, key.on_derive)
        return PyKeePass(
            io.BytesIO(data), password=password, keyfile=keyfile, transformed_key=transformed
        )
    except (CredentialsError, WrongKey):
        raise WrongKeyError(f"{label}: wrong {what}; the database could not be opened.") from None
    except OSError as exc:
        raise ExportError(
            f"Cannot read the key file {keyfile}: {exc.strerror or 'it cannot be opened'}."
        ) from None
    except ExportError:
        raise
    except Exception:
        # construct, zlib, lxml and the ciphers each raise their own errors for a damaged file;
        # none is a bug of ours, and their messages may quote the bytes.
        raise ExportError(
            f"{label}: the database is damaged or not complete, so it cannot be read. "
            "Open it in your password manager to check it, or use a backup copy."
        ) from None
    finally:
        del password


def _logins(database: Any) -> tuple[list[RawLogin], Counter[str]]:
    """Current entries, numbered in the database's order; their history passwords and protected
    custom fields are kept only to be hidden wherever they appear."""
    bin_group = database.recyclebin_group
    bin_uuid = bin_group.uuid if bin_group is not None else None
    logins: list[RawLogin] = []
    for number, entry in enumerate(database.entries, start=1):
        path = entry.group.path or []
        fields = _fields(entry)
        logins.append(
            RawLogin(
                line=number,
                name=fields.get("Title") or "",
                username=fields.get("UserName") or "",
                url=fields.get("URL") or "",
                password=fields.get("Password") or "",
                folder="/".join(p for p in path if p),
                totp=any(fields.get(f) for f in (*_TOTP_FIELDS, "otp")),
                in_bin=bin_uuid is not None and _inside(entry.group, bin_uuid),
                old_passwords=[old.password for old in entry.history if old.password],
                hidden_fields=_protected_fields(entry),
            )
        )
    return logins, Counter()


def _fields(entry: Any) -> dict[str, str | None]:
    """The entry's fields by name, read in one pass over its XML (what pykeepass's `title`,
    `password`, `otp` and `get_custom_property` each find with a query of their own; the
    first of a repeated name wins, as with them)."""
    fields: dict[str, str | None] = {}
    for string in entry._element.findall("String"):
        key, value = string.find("Key"), string.find("Value")
        if key is not None and key.text is not None and value is not None:
            fields.setdefault(key.text, value.text)
    return fields


#: The standard fields of an entry; the others are custom fields (KeePass "advanced" strings).
_STANDARD_FIELDS = frozenset({"Title", "UserName", "Password", "URL", "Notes"})


def _protected_fields(entry: Any) -> list[str]:
    """The values of the entry's protected custom fields (PINs, answers, TOTP seeds): secrets
    to hide wherever they appear, never checked or shown."""
    values: list[str] = []
    for string in entry._element.findall("String"):
        key, value = string.find("Key"), string.find("Value")
        if key is None or value is None or key.text in _STANDARD_FIELDS:
            continue
        if value.get("Protected") == "True" and value.text:
            values.append(value.text)
    return values


def _inside(group: Any, uuid: Any) -> bool:
    while group is not None:
        if group.uuid == uuid:
            return True
        group = group.parentgroup
    return False
