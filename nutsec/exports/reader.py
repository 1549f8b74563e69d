"""Reading a password manager's export (CSV, Bitwarden JSON, or a KeePass database) into entries
whose passwords are `Secret`s.

Every error names the file and the line, and never quotes a field: any field could be a
password. Rows are not kept: each becomes an entry (name, username, address, Secret) and the
rest of it is dropped. Nothing is written anywhere: standard input and databases are read into
memory only.
"""

from __future__ import annotations

import csv
import io
import stat
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from nutsec.bounded_read import FileTooLargeError, read_bytes_at_most, too_large_text
from nutsec.exports.entries import (
    SKIPPED_BIN,
    SKIPPED_EXCLUDED,
    SKIPPED_NO_PASSWORD,
    SKIPPED_NOT_LOGIN,
    ExportEntry,
    ExportError,
    ExportFile,
    ExportSource,
    KdbxKey,
    RawLogin,
    Unlock,
    WrongKeyError,
    is_stdin,
)
from nutsec.exports.formats import SourceFormat, column_index, detect_format, shipped_formats
from nutsec.exports.redact import (
    KIND_ORDER,
    MASK,
    Hidden,
    PasswordMask,
    SecretKind,
    clean_address,
    hidden_notes,
)
from nutsec.passkeys.directory import PasskeyHint, passkey_hint
from nutsec.secret import Secret
from nutsec.twofactor.directory import TwoStepDirectory, TwoStepSite, shipped_directory

if TYPE_CHECKING:
    from _csv import Reader

#: The shared types live in entries.py (so the readers never import this module back); they
#: are named here too, for the callers that read an export.
__all__ = [
    "MAX_EXPORT_BYTES",
    "NON_CSV_SOURCES",
    "SKIPPED_BIN",
    "SKIPPED_EXCLUDED",
    "SKIPPED_NOT_LOGIN",
    "SKIPPED_NO_PASSWORD",
    "ExportEntry",
    "ExportError",
    "ExportFile",
    "ExportSource",
    "KdbxKey",
    "RawLogin",
    "Unlock",
    "WrongKeyError",
    "host_of",
    "is_stdin",
    "read_export",
]

#: Exports of thousands of entries are a few megabytes; this leaves room for long notes.
MAX_EXPORT_BYTES = 64 * 1024 * 1024

#: Folder names whose logins are old or thrown away: left out unless asked for, and counted.
BIN_FOLDERS = frozenset({"trash", "recycle bin", "bin", "deleted items", "backup", "backups"})


def read_export(
    path: Path,
    source: str | None = None,
    formats: Sequence[SourceFormat] | None = None,
    limit: int = MAX_EXPORT_BYTES,
    *,
    stdin: BinaryIO | None = None,
    unlock: Unlock | None = None,
    exclude_folders: Sequence[str] = (),
    directory: TwoStepDirectory | None = None,
    key_tries: int = 1,
) -> ExportFile:
    """Read `path` (or `stdin` when the path is "-"), detecting its format unless `source` names
    one: a key of formats.toml, "bitwarden-json" or "kdbx". `unlock` gives a database's key; it
    is asked again, up to `key_tries` times in all, while the key does not open it."""
    known = tuple(formats) if formats is not None else shipped_formats()
    label = "standard input" if is_stdin(path) else str(path)
    data = _read_stdin(stdin, limit) if is_stdin(path) else _read(path, limit)
    if not data.strip():
        raise ExportError(
            f"{label} is empty. Export your passwords again and give the file it saves."
        )
    # A named non-CSV source is taken at its word (its reader says if the data is not that);
    # otherwise the first bytes tell, and a CSV source named for a database or JSON is refused.
    if data.startswith(_KDB1_SIGNATURE):
        # Not text at all: the CSV reader would call it "not UTF-8", which helps nobody.
        raise ExportError(
            f"{label} is an old KeePass 1 database (.kdb), which nutsec cannot read. Open it in "
            "KeePassXC (Database > Import > KeePass 1 Database) and save it as .kdbx, or export "
            "it as CSV, then give nutsec that file."
        )
    kind = source if source in NON_CSV_SOURCES else _sniff(data)
    master = ""
    try:
        if kind == "kdbx":
            if source not in (None, "kdbx"):
                raise ExportError(
                    f"{label} is a KeePass database, not a CSV export: try --source kdbx."
                )
            if unlock is None:
                raise ExportError(f"{label} is a KeePass database: nutsec needs its password.")
            fmt: SourceFormat | ExportSource = KDBX
            key, raws, skipped = _open_kdbx(label, data, unlock, key_tries)
            position = "entry"
            if key.password is not None:
                # The master password is hidden wherever an entry holds it, like every secret.
                master = key.password.reveal()
        elif kind == "bitwarden-json":
            if source not in (None, "bitwarden-json"):
                raise ExportError(
                    f"{label} is a JSON export, not CSV: try --source bitwarden-json."
                )
            from nutsec.exports.bitwarden_json import read_bitwarden_json

            fmt = BITWARDEN_JSON
            raws, skipped = read_bitwarden_json(label, _decode(label, data))
            position = "item"
        else:
            fmt, raws, skipped = _parse(label, _decode(label, data), source, known)
            position = "line"
    finally:
        del data
    if exclude_folders and not (isinstance(fmt, ExportSource) or "folder" in fmt.columns):
        _forget(raws)
        raise ExportError(
            f"{label}: a {fmt.title} export has no folders, so --exclude-folder cannot be used."
        )
    try:
        return _finish(path, fmt, raws, skipped, exclude_folders, position, directory, master)
    finally:
        del master


BITWARDEN_JSON = ExportSource("bitwarden-json", "Bitwarden (JSON)")
KDBX = ExportSource("kdbx", "KeePass database")
#: Sources that are not CSV, as given to --source.
NON_CSV_SOURCES = (BITWARDEN_JSON.key, KDBX.key)
_KDBX_SIGNATURE = b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5"
_KDB1_SIGNATURE = b"\x03\xd9\xa2\x9a\x65\xfb\x4b\xb5"


def _open_kdbx(
    label: str, data: bytes, unlock: Unlock, tries: int
) -> tuple[KdbxKey, list[RawLogin], Counter[str]]:
    """The key that opened the database, and its logins; a wrong key is asked for again."""
    from nutsec.exports.kdbx import read_kdbx

    for attempt in range(1, max(1, tries) + 1):
        key = unlock()
        try:
            raws, skipped = read_kdbx(label, data, key)
        except WrongKeyError as exc:
            if key.password is not None:
                key.password.wipe()
            if attempt < tries:
                continue
            if tries > 1:
                raise WrongKeyError(
                    f"{exc} That was try {tries} of {tries}: check Caps Lock and the "
                    "keyboard layout, then run the command again."
                ) from None
            raise
        return key, raws, skipped
    raise AssertionError("unreachable")  # pragma: no cover


def _sniff(data: bytes) -> str:
    """ "kdbx", "bitwarden-json" or "csv", from the first bytes."""
    if data.startswith(_KDBX_SIGNATURE):
        return "kdbx"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "bitwarden-json"
    return "csv"


def _finish(
    path: Path,
    fmt: SourceFormat | ExportSource,
    raws: list[RawLogin],
    skipped: Counter[str],
    exclude_folders: Sequence[str],
    position: str,
    directory: TwoStepDirectory | None,
    master: str = "",
) -> ExportFile:
    """Entries from the raw logins: left-out folders counted, every shown field cleaned of
    credentials and of every secret's pieces (`master` is a database's master password), and
    why, two-step hints found, passwords made Secrets."""
    excluded = [_folder_key(name) for name in exclude_folders if _folder_key(name)]
    mask = _mask(raws, master)
    entries: list[ExportEntry] = []
    matched = False
    try:
        for raw in raws:
            if raw.not_login:
                skipped[SKIPPED_NOT_LOGIN] += 1
                continue
            if raw.in_bin or _in_bin_folder(raw.folder):
                skipped[SKIPPED_BIN] += 1
                continue
            if excluded and _in_folders(raw.folder, excluded):
                skipped[SKIPPED_EXCLUDED] += 1
                continue
            if not raw.password:
                skipped[SKIPPED_NO_PASSWORD] += 1
                continue
            url = clean_address(raw.url.strip())
            host = host_of(url)
            site = None
            passkey = None
            if host:
                passkey = _masked_passkey(passkey_hint(host), mask)
                if directory is None:
                    directory = shipped_directory()
                site = _masked_site(directory.site_for_host(host), mask)
                matched = matched or site is not None
            own = raw.password
            name = mask.explain(raw.name.strip() or host, own)
            username = mask.explain(raw.username.strip(), own)
            address = mask.explain(url, own)
            folder = _hide_folder(mask, raw.folder, own)
            entries.append(
                ExportEntry(
                    line=raw.line,
                    name=name.text or "(no name)",
                    username=username.text,
                    url=address.text,
                    host=host,
                    secret=Secret(raw.password),
                    folder=folder.text,
                    totp=raw.totp,
                    two_step=site,
                    hidden=hidden_notes(
                        (
                            ("title", name),
                            ("username", username),
                            ("address", address),
                            ("folder", folder),
                        )
                    ),
                    passkey=passkey,
                )
            )
    finally:
        _forget(raws)
    return ExportFile(
        path=path,
        source=fmt,
        entries=tuple(entries),
        skipped=skipped,
        mask=mask,
        position_word=position,
        two_step_date=directory.date if matched and directory else "",
    )


def _mask(raws: list[RawLogin], master: str) -> PasswordMask:
    """Every secret of the export, to hide: left-out and thrown-away logins' ones too."""
    mask = PasswordMask()
    if master:
        mask.add(master, "master")
    for raw in raws:
        kinds: tuple[tuple[SecretKind, list[str]], ...] = (
            ("password", [raw.password]),
            ("old", raw.old_passwords),
            ("hidden", raw.hidden_fields),
        )
        for kind, secrets in kinds:
            for secret in secrets:
                if secret:
                    mask.add(secret, kind)
    return mask


def _hide_folder(mask: PasswordMask, folder: str, own: str) -> Hidden:
    """The folder path hidden part by part ("Work/***"), so a part that is a secret as a whole
    is caught too, and why."""
    if not folder:
        return Hidden("")
    whole = mask.explain(folder, own)
    if whole.equal:
        return whole
    parts = [mask.explain(part, own) for part in whole.text.split("/")]
    kinds = {kind for part in (whole, *parts) for kind in part.kinds}
    shown = "/".join(part.text for part in parts)
    equal = shown == MASK and all(part.equal for part in parts)
    return Hidden(shown, tuple(k for k in KIND_ORDER if k in kinds), equal)


def _forget(raws: list[RawLogin]) -> None:
    """Drop the plain passwords (Python strings cannot be zeroed; see docs/security.md)."""
    raws.clear()


def _masked_site(site: TwoStepSite | None, mask: PasswordMask) -> TwoStepSite | None:
    """The site as shown: its name and link are text too, and a password could hold them."""
    if site is None:
        return None
    return replace(site, name=mask.hide(site.name), documentation=mask.hide(site.documentation))


def _masked_passkey(hint: PasskeyHint | None, mask: PasswordMask) -> PasskeyHint | None:
    """The passkey hint as shown: its words and link are text, and a password could hold them."""
    if hint is None:
        return None
    return replace(
        hint, site=mask.hide(hint.site), text=mask.hide(hint.text), link=mask.hide(hint.link)
    )


def _folder_key(name: str) -> str:
    return "/".join(part.strip().casefold() for part in name.strip().strip("/").split("/"))


def _in_bin_folder(folder: str) -> bool:
    return any(part.strip().casefold() in BIN_FOLDERS for part in folder.split("/"))


def _in_folders(folder: str, excluded: Sequence[str]) -> bool:
    """Whether `folder` ("Root/Work/Old") is one of `excluded` or inside one: a name matches
    the whole path or any part of it ("work", "root/work", "old")."""
    key = _folder_key(folder)
    if not key:
        return False
    parts = key.split("/")
    for name in excluded:
        if name in parts or key == name or key.startswith(name + "/") or f"/{name}/" in f"/{key}/":
            return True
    return False


def _read_stdin(stream: BinaryIO | None, limit: int) -> bytes:
    if stream is None:
        raise ExportError("Nothing to read on standard input.")
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ExportError(f"standard input {too_large_text(limit)}")
    return data


def _read(path: Path, limit: int) -> bytes:
    if path.is_dir():
        raise ExportError(f"{path} is a folder. Give the file your password manager saved.")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ExportError(f"Cannot read {path}: there is no such file.") from None
    except OSError as exc:
        raise ExportError(f"Cannot read {path}: {exc.strerror or 'it cannot be opened'}.") from None
    if not stat.S_ISREG(mode):
        # A pipe or device would be read forever; "-" is the way to give standard input.
        raise ExportError(
            f"{path} is not a regular file. Give the saved export, or '-' to read standard input."
        )
    try:
        return read_bytes_at_most(path, limit)
    except FileTooLargeError:
        raise ExportError(f"{path} {too_large_text(limit)}") from None
    except FileNotFoundError:
        raise ExportError(f"Cannot read {path}: there is no such file.") from None
    except OSError as exc:
        raise ExportError(f"Cannot read {path}: {exc.strerror or 'it cannot be opened'}.") from None


def _decode(label: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The error itself quotes the bytes around the fault, which could be a password.
        line = data.count(b"\n", 0, exc.start) + 1
        raise ExportError(
            f"{label}, line {line}: not UTF-8 text. Export it again from your password manager, "
            "without opening and saving it in another program."
        ) from None


def _parse(
    label: str, text: str, source: str | None, known: tuple[SourceFormat, ...]
) -> tuple[SourceFormat, list[RawLogin], Counter[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _rows(label, reader)
    first = next(rows, None)
    if first is None:
        raise ExportError(
            f"{label} is empty. Export your passwords again and give the file it saves."
        )
    _, header = first
    fmt = _choose_format(label, header, source, known)
    _refuse_repeated_columns(label, header, fmt)
    index = column_index(header)
    where = {
        what: index[column.casefold()]
        for what, column in fmt.columns.items()
        if column.casefold() in index
    }
    kind_at = index[fmt.kind.column.casefold()] if fmt.kind else None
    raws: list[RawLogin] = []
    skipped: Counter[str] = Counter()
    for line, row in rows:
        if len(row) != len(header):
            _forget(raws)
            raise ExportError(
                f"{label}, line {line}: has {len(row)} columns, but the header has "
                f"{len(header)}. Export the file again; it may have been edited or cut short."
            )
        if (
            fmt.kind
            and kind_at is not None
            and row[kind_at].strip().casefold() not in fmt.kind.logins
        ):
            skipped[SKIPPED_NOT_LOGIN] += 1
            row.clear()
            continue
        raws.append(
            RawLogin(
                line=line,
                name=row[where["name"]] if "name" in where else "",
                username=row[where["username"]],
                url=row[where["url"]],
                password=row[where["password"]],
                folder=row[where["folder"]].strip() if "folder" in where else "",
                totp=bool(row[where["totp"]].strip()) if "totp" in where else False,
                in_bin="archived" in where and row[where["archived"]].strip().casefold() == "true",
            )
        )
        # The row's list still holds the password: empty it so only the raw login has it.
        row.clear()
    return fmt, raws, skipped


def _refuse_repeated_columns(label: str, header: list[str], fmt: SourceFormat) -> None:
    """A column nutsec reads that appears twice: which one holds the password is a guess."""
    counts = Counter(cell.strip().casefold() for cell in header)
    for column in fmt.columns.values():
        if counts[column.strip().casefold()] > 1:
            raise ExportError(
                f"{label}: the column '{column}' appears more than once in the first line, so "
                "nutsec cannot tell which to read. Export the file again, unedited."
            )


def _rows(label: str, reader: Reader) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, row) for every non-blank row; csv errors name the line only."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ExportError(f"{label}, line {start}: {_csv_problem(exc)}") from None
        if row:  # a blank line (often the last) is not an entry
            yield start, row


def _csv_problem(error: csv.Error) -> str:
    """csv's own message in plain words (its messages quote no field, but we choose the words)."""
    message = str(error)
    if "field larger than field limit" in message:
        return (
            f"a field is longer than {csv.field_size_limit():,} characters; "
            "is this a password-manager export?"
        )
    if "unexpected end of data" in message:
        return 'a quoted field is never closed (a " is missing). Export the file again.'
    return 'the quote marks (") are out of place. Export the file again.'


def _choose_format(
    label: str, header: list[str], source: str | None, known: tuple[SourceFormat, ...]
) -> SourceFormat:
    by_key = {f.key: f for f in known}
    if source is not None:
        fmt = by_key.get(source)
        if fmt is None:
            raise ExportError(f"nutsec does not know the source '{source}'.")
        if not fmt.matches(header):
            detected = detect_format(header, known)
            hint = (
                f" It looks like a {detected.title} export: try --source {detected.key}."
                if detected
                else ""
            )
            raise ExportError(
                f"{label}: the first line is not the header of a {fmt.title} export.{hint}"
            )
        return fmt
    fmt = detect_format(header, known)
    if fmt is None:
        # The header is not quoted: a wrong file's first line could be anything, a password too.
        names = ", ".join(f"{f.title} ({f.key})" for f in known)
        raise ExportError(
            f"{label}: nutsec does not recognise this file's first line as a password-manager "
            f"export. It knows: {names}. Export as CSV again, or say which with --source."
        )
    return fmt


def host_of(url: str) -> str:
    """The host name of an address ("https://www.example.org/x" -> "www.example.org"), or "".

    Bitwarden may hold several addresses in one field; the first one counts. An address without
    a scheme ("example.org/login") is read as if it had one.
    """
    first = url.split(",")[0].strip()
    if not first:
        return ""
    if "://" not in first:
        first = "//" + first
    try:
        host = urlsplit(first).hostname or ""
    except ValueError:
        return ""
    return host.strip(".")
