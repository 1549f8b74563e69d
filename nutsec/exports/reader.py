"""Reading a password manager's CSV export into entries whose passwords are `Secret`s at once.

Every error names the file and the line, and never quotes a field: any field could be a
password. Rows are not kept: each becomes an entry (name, username, address, Secret) and the
rest of it is dropped.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from nutsec.bounded_read import FileTooLargeError, read_bytes_at_most, too_large_text
from nutsec.errors import NutsecError
from nutsec.exports.formats import SourceFormat, column_index, detect_format, shipped_formats
from nutsec.secret import Secret

if TYPE_CHECKING:
    from _csv import Reader

#: Exports of thousands of entries are a few megabytes; this leaves room for long notes.
MAX_EXPORT_BYTES = 64 * 1024 * 1024

#: Why a row was not checked, as counted in `ExportFile.skipped`.
SKIPPED_NOT_LOGIN = "not a login (a note, card or identity)"
SKIPPED_NO_PASSWORD = "no password"  # noqa: S105  # nosec B105 (a reason, not a password)


class ExportError(NutsecError):
    """A password-manager export that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class ExportEntry:
    """One saved login. `secret` is the password; its repr is `Secret(***)`."""

    line: int  # where the entry starts in the file (1 is the header)
    name: str  # the export's title, or the site's host where there is none
    username: str
    url: str
    host: str  # the address's host name, lower case, or "" when there is none
    secret: Secret = field(repr=False)


@dataclass(frozen=True)
class ExportFile:
    """What was read: the format, the logins, and how many rows were skipped and why."""

    path: Path
    source: SourceFormat
    entries: tuple[ExportEntry, ...]
    skipped: Counter[str]

    def wipe(self) -> None:
        """Wipe every password still held (checking wipes them too; this is the safety net)."""
        for entry in self.entries:
            entry.secret.wipe()


def read_export(
    path: Path,
    source: str | None = None,
    formats: Sequence[SourceFormat] | None = None,
    limit: int = MAX_EXPORT_BYTES,
) -> ExportFile:
    """Read `path`, detecting its format unless `source` names one (a key of formats.toml)."""
    known = tuple(formats) if formats is not None else shipped_formats()
    text = _decode(path, _read(path, limit))
    try:
        return _parse(path, text, source, known)
    finally:
        del text


def _read(path: Path, limit: int) -> bytes:
    if path.is_dir():
        raise ExportError(f"{path} is a folder. Give the CSV file your password manager saved.")
    try:
        return read_bytes_at_most(path, limit)
    except FileTooLargeError:
        raise ExportError(f"{path} {too_large_text(limit)}") from None
    except FileNotFoundError:
        raise ExportError(f"Cannot read {path}: there is no such file.") from None
    except OSError as exc:
        raise ExportError(f"Cannot read {path}: {exc.strerror or 'it cannot be opened'}.") from None


def _decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise ExportError(
            f"{path} is empty. Export your passwords again and give the file it saves."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The error itself quotes the bytes around the fault, which could be a password.
        line = data.count(b"\n", 0, exc.start) + 1
        raise ExportError(
            f"{path}, line {line}: not UTF-8 text. Export it again from your password manager "
            "as CSV, without opening and saving it in another program."
        ) from None
    finally:
        del data


def _parse(
    path: Path, text: str, source: str | None, known: tuple[SourceFormat, ...]
) -> ExportFile:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _rows(path, reader)
    first = next(rows, None)
    if first is None:
        raise ExportError(
            f"{path} is empty. Export your passwords again and give the file it saves."
        )
    _, header = first
    fmt = _choose_format(path, header, source, known)
    index = column_index(header)
    where = {what: index[column.casefold()] for what, column in fmt.columns.items()}
    kind_at = index[fmt.kind.column.casefold()] if fmt.kind else None
    entries: list[ExportEntry] = []
    skipped: Counter[str] = Counter()
    for line, row in rows:
        if len(row) != len(header):
            raise ExportError(
                f"{path}, line {line}: has {len(row)} columns, but the header has "
                f"{len(header)}. Export the file again; it may have been edited or cut short."
            )
        if (
            fmt.kind
            and kind_at is not None
            and row[kind_at].strip().casefold() not in fmt.kind.logins
        ):
            skipped[SKIPPED_NOT_LOGIN] += 1
            continue
        password = row[where["password"]]
        if not password:
            skipped[SKIPPED_NO_PASSWORD] += 1
            continue
        # Everything kept besides the Secret is shown: no password may hide in it.
        url = _hidden(without_credentials(row[where["url"]].strip()), password)
        host = host_of(url)
        name = _hidden(row[where["name"]].strip(), password) if "name" in where else ""
        entries.append(
            ExportEntry(
                line=line,
                name=name or host or "(no name)",
                username=_hidden(row[where["username"]].strip(), password),
                url=url,
                host=host,
                secret=Secret(password),
            )
        )
        # The row's list still holds the password: empty it so only the Secret remains.
        row.clear()
        del password
    return ExportFile(path=path, source=fmt, entries=tuple(entries), skipped=skipped)


def _rows(path: Path, reader: Reader) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, row) for every non-blank row; csv errors name the line only."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ExportError(f"{path}, line {start}: {_csv_problem(exc)}") from None
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
    path: Path, header: list[str], source: str | None, known: tuple[SourceFormat, ...]
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
                f"{path}: the first line is not the header of a {fmt.title} export.{hint}"
            )
        return fmt
    fmt = detect_format(header, known)
    if fmt is None:
        # The header is not quoted: a wrong file's first line could be anything, a password too.
        names = ", ".join(f"{f.title} ({f.key})" for f in known)
        raise ExportError(
            f"{path}: nutsec does not recognise this file's first line as a password-manager "
            f"export. It knows: {names}. Export as CSV again, or say which with --source."
        )
    return fmt


#: The start of an address: an optional scheme, then the part before the path (host, port, and
#: perhaps "user:password@").
_AUTHORITY = re.compile(r"(\s*(?:[A-Za-z][A-Za-z0-9+.-]*://)?)([^/?#]*)")

#: A password shorter than this is not looked for in names: it would match ordinary words.
MIN_HIDDEN_LENGTH = 4


def without_credentials(url: str) -> str:
    """The address without a user name and password written into it: "https://sam:pw@host/x"
    becomes "https://host/x". Bitwarden's several addresses in one field are each cleaned."""
    cleaned = []
    for part in url.split(","):
        match = _AUTHORITY.match(part)
        if match is not None and "@" in match.group(2):
            lead, authority = match.group(1), match.group(2)
            part = lead + authority.rpartition("@")[2] + part[match.end() :]
        cleaned.append(part)
    return ",".join(cleaned)


def _hidden(text: str, password: str) -> str:
    """`text` with the entry's own password, written into it (a title like "Wi-Fi: pw1234"),
    replaced by ***."""
    if len(password) < MIN_HIDDEN_LENGTH or password not in text:
        return text
    return text.replace(password, "***")


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
