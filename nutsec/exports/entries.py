"""What the export readers share: the entries they make, the logins they find, their errors.

The readers (reader.py for CSV, bitwarden_json.py, kdbx.py) and reader.py's `read_export` all
import from here and never from each other's modules, so the import graph has no cycle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nutsec.errors import NutsecError
from nutsec.exports.formats import SourceFormat
from nutsec.exports.redact import PasswordMask
from nutsec.passkeys.directory import PasskeyHint
from nutsec.secret import Secret
from nutsec.twofactor.directory import TwoStepSite

#: Why a row was not checked, as counted in `ExportFile.skipped`.
SKIPPED_NOT_LOGIN = "not a login (a note, card or identity)"
SKIPPED_NO_PASSWORD = "no password"  # noqa: S105  # nosec B105  # a reason, not a password
SKIPPED_BIN = "in the bin, trash, archive or a backup folder"
SKIPPED_EXCLUDED = "in a folder you left out"


class ExportError(NutsecError):
    """A password-manager export that cannot be read; the message names the file and line."""


class WrongKeyError(ExportError):
    """The master password or key file does not open the KeePass database: it may be asked
    for again."""


@dataclass(frozen=True)
class ExportSource:
    """A format that is not a CSV layout of formats.toml (Bitwarden JSON, a KeePass database)."""

    key: str
    title: str


@dataclass(frozen=True)
class ExportEntry:
    """One saved login. `secret` is the password; its repr is `Secret(***)`.

    Everything else is shown, so none of it holds a run of 4+ characters of any password of
    the export (see redact.py); `host` is the address's host as saved, used only for matching.
    """

    line: int  # where the entry starts in the file (1 is the header), or its number (JSON, KDBX)
    name: str  # the export's title, or the site's host where there is none
    username: str
    url: str
    host: str  # the address's host name, lower case, or "" when there is none
    secret: Secret = field(repr=False)
    folder: str = ""  # the folder or group, "A/B" for a nested one; "" where the format has none
    totp: bool = False  # a two-step code generator (TOTP) is saved with the login
    two_step: TwoStepSite | None = None  # what the 2FA Directory says of the site
    passkey: PasskeyHint | None = None  # the Passkeys Directory's hint, when the site offers them
    #: Why a shown field was hidden, one sentence each ("Title hidden: it holds part of ...").
    hidden: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportFile:
    """What was read: the format, the logins, and how many rows were skipped and why."""

    path: Path  # Path("-") for standard input
    source: SourceFormat | ExportSource
    entries: tuple[ExportEntry, ...]
    skipped: Counter[str]
    #: Hides pieces of the export's passwords in names made later ("Same password as" lists).
    mask: PasswordMask = field(default_factory=PasswordMask, repr=False)
    #: How an entry's position is named: a CSV line, or an item of a JSON file or database.
    position_word: str = "line"
    #: The 2FA Directory snapshot the hints come from, e.g. "2026-08-04"; "" when none matched.
    two_step_date: str = ""

    @property
    def from_stdin(self) -> bool:
        return is_stdin(self.path)

    @property
    def label(self) -> str:
        """The file as named in messages and pages."""
        return "standard input" if self.from_stdin else self.path.name

    def wipe(self) -> None:
        """Wipe every password still held (checking wipes them too; this is the safety net)."""
        for entry in self.entries:
            entry.secret.wipe()
        self.mask.clear()


@dataclass
class RawLogin:
    """A login as a reader found it, secrets still plain; it lives only inside `read_export`."""

    line: int
    name: str
    username: str
    url: str
    password: str
    folder: str = ""
    totp: bool = False
    in_bin: bool = False  # in the database's own recycle bin (KeePass marks it)
    #: The login's other secrets, hidden wherever they appear but not checked: its earlier
    #: passwords (KeePass history, Bitwarden's password history) and its protected or hidden
    #: custom fields.
    old_passwords: list[str] = field(default_factory=list)
    hidden_fields: list[str] = field(default_factory=list)
    #: Not a login (a note or card) but holding secrets to hide; counted as skipped.
    not_login: bool = False


@dataclass(frozen=True)
class KdbxKey:
    """What opens a KeePass database: the master password and/or a key file."""

    password: Secret | None
    keyfile: Path | None = None
    #: Told (done, total) while the key is derived (nutsec/exports/kdbx_key.py), for a spinner.
    on_derive: Callable[[int, int], None] | None = None


#: Asked for the key only once the input turned out to be a KeePass database.
Unlock = Callable[[], KdbxKey]


def is_stdin(path: Path) -> bool:
    return str(path) == "-"
