"""Audits kept in one SQLite file, readable by the user only; every call is one committed step."""

from __future__ import annotations

import errno
import json
import os
import secrets
import sqlite3
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, cast

from nutsec.audit_data import Account, Audit, AuditState, Device, PasswordFindings
from nutsec.breach.model import BreachResult, BreachStatus
from nutsec.checklist.loader import load_checklist_text
from nutsec.errors import NutsecError, StoreError
from nutsec.passwords.fingerprints import Fingerprints
from nutsec.passwords.strength import Rating, StrengthResult
from nutsec.paths import check_data_dir, ensure_private_dir, folder_error, refuse_symlink
from nutsec.store.interface import (
    AuditStore,
    AuditSummary,
    FingerprintStore,
    TickLog,
    parse_audit_id,
)
from nutsec.store.lock import AuditLock, held_lock_ids
from nutsec.store.migrations import MIGRATIONS, SCHEMA_VERSION

STORE_FILE = "audits.sqlite3"

#: Bytes of an audit's share id (nutsec.share.code.SHARE_ID_BYTES; not imported, to keep the store
#: free of the share code's imports).
SHARE_ID_BYTES = 4

#: Every file SQLite may create next to the database; they get the database's own mode (0600).
SIDE_SUFFIXES = ("-journal", "-wal", "-shm")

#: Open without following a symbolic link (0 where the system has no such flag).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

Clock = Callable[[], datetime]
T = TypeVar("T")

_RATINGS: tuple[Rating, ...] = ("strong", "fair", "weak")


def _now() -> datetime:
    return datetime.now(UTC)


def open_store(data_dir: Path, *, clock: Clock = _now, read_only: bool = False) -> SqliteAuditStore:
    """The store in the data folder (created 0700), in the file `audits.sqlite3` (0600).

    `read_only` (report, history) changes nothing: no folder or file is created or chmod-ed, so a
    0500 folder or a read-only database can still be read.
    """
    if read_only:
        check_data_dir(data_dir)
    else:
        ensure_private_dir(data_dir)
    return SqliteAuditStore(data_dir / STORE_FILE, clock=clock, read_only=read_only)


def store_exists(data_dir: Path) -> bool:
    """Whether any audit was ever saved here: read-only commands then need not create a file.
    NutsecError (exit 2) for a folder that cannot be read, or a database that is a link."""
    check_data_dir(data_dir)
    path = data_dir / STORE_FILE
    for file in _files(path):
        refuse_symlink(file)
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise folder_error(data_dir, exc) from None
    return True


def _subject_in(subject: str | None) -> str:
    return "" if subject is None else subject


def _subject_out(subject: str) -> str | None:
    return None if subject == "" else subject


#: Newest audit id: any, finished only, or unfinished only. Fixed text, never formatted.
_LATEST_QUERIES: dict[bool | None, str] = {
    None: "SELECT id FROM audits ORDER BY id DESC LIMIT 1",
    True: "SELECT id FROM audits WHERE state = ? ORDER BY id DESC LIMIT 1",
    False: "SELECT id FROM audits WHERE state != ? ORDER BY id DESC LIMIT 1",
}


class SqliteAuditStore(AuditStore, TickLog, FingerprintStore):
    """AuditStore (the lost-device TickLog and the password FingerprintStore too) on SQLite.
    A damaged or foreign file is reported and never changed."""

    def __init__(self, path: Path, *, clock: Clock = _now, read_only: bool = False) -> None:
        self.path = path
        self._clock = clock
        self.read_only = read_only
        #: Lock files held, per audit id (see `hold`).
        self._held: dict[int, AuditLock] = {}
        for file in _files(path):
            refuse_symlink(file)
        if read_only:
            self._check_readable_file()
        else:
            self._create_private_file()
        try:
            if read_only:
                uri = path.absolute().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, isolation_level=None)
            else:
                self._db = sqlite3.connect(str(path), isolation_level=None)
        except sqlite3.Error as exc:
            raise self._failed(exc) from None
        try:
            self._check_and_migrate()
        except BaseException:
            self._db.close()
            raise

    # -- opening -------------------------------------------------------------------------------

    def _create_private_file(self) -> None:
        """Create the file 0600 before SQLite touches it, so it is never readable by others.
        Opened without following links, and chmod-ed through that open file: a link planted in
        the data folder can never make nutsec write to, or change the mode of, its target."""
        try:
            for file in (
                self.path,
                *(self.path.with_name(self.path.name + s) for s in SIDE_SUFFIXES),
            ):
                create = os.O_CREAT if file == self.path else 0
                try:
                    fd = os.open(file, os.O_RDWR | create | _NOFOLLOW, 0o600)
                except FileNotFoundError:
                    continue  # a side file SQLite has not made
                try:
                    if not stat.S_ISREG(os.fstat(fd).st_mode):
                        raise StoreError(
                            f"The saved audits file {file} is not an ordinary file, so nutsec "
                            "will not use it. Move it away and try again."
                        )
                    _private(fd, file)
                finally:
                    os.close(fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                refuse_symlink(self.path)
            raise StoreError(
                f"Cannot open the saved audits file {self.path}: {exc.strerror}."
            ) from None

    def _check_readable_file(self) -> None:
        """For read-only use: the file must be an ordinary file this user may read."""
        try:
            fd = os.open(self.path, os.O_RDONLY | _NOFOLLOW)
        except OSError as exc:
            if isinstance(exc, PermissionError):
                raise StoreError(
                    f"Cannot open the saved audits file {self.path}: you do not have permission "
                    "to read it. It may belong to another user (for example after 'sudo "
                    "nutsec ...')."
                ) from None
            raise StoreError(
                f"Cannot open the saved audits file {self.path}: {exc.strerror}."
            ) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StoreError(
                    f"The saved audits file {self.path} is not an ordinary file, so nutsec "
                    "will not use it."
                )
        finally:
            os.close(fd)

    def _busy(self) -> StoreError:
        return StoreError(
            f"The saved audits file {self.path} is busy: another nutsec (or another program) is "
            "writing to it right now. Wait a moment and try again; your audits are safe."
        )

    def _damaged(self, exc: BaseException | str) -> StoreError:
        return StoreError(
            f"The saved audits file {self.path} is damaged or is not a nutsec database ({exc}). "
            "It was left untouched: move it somewhere else (or restore a backup) and try again."
        )

    def _check_and_migrate(self) -> None:
        db = self._db
        try:
            # Reading the header first: a file that is not SQLite fails here, before any write.
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            check = db.execute("PRAGMA quick_check(1)").fetchone()
            if check is None or check[0] != "ok":
                raise self._damaged("integrity check failed")
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if _is_busy(exc):
                raise self._busy() from None
            raise self._damaged(exc) from None
        if version < 0:
            raise self._damaged(f"its format number {version} is not one nutsec ever wrote")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The saved audits file {self.path} was written by a newer nutsec "
                f"(format {version}; this one reads up to {SCHEMA_VERSION}). "
                "Upgrade nutsec to open it. The file was left untouched."
            )
        if version == 0 and tables:
            raise self._damaged("it holds tables nutsec did not create")
        if self.read_only:
            if version < SCHEMA_VERSION:
                raise StoreError(
                    f"The saved audits file {self.path} was written by an older nutsec and must "
                    "be updated before it can be read: run 'nutsec audit' once (it needs to be "
                    "able to write the file). Nothing was changed."
                )
            return
        try:
            db.execute("PRAGMA journal_mode=DELETE")
            db.execute("PRAGMA foreign_keys=ON")
            # Deleted rows (a --no-save audit) are overwritten, not left in free pages.
            db.execute("PRAGMA secure_delete=ON")
            for number in range(version, SCHEMA_VERSION):
                self._apply(number + 1, MIGRATIONS[number])
        except sqlite3.DatabaseError as exc:
            raise self._failed(exc) from None

    def _apply(self, version: int, script: str) -> None:
        try:
            self._db.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
            )
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _failed(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if _is_busy(exc):
            return self._busy()
        if "readonly" in text.replace("-", "").replace(" ", ""):
            return StoreError(
                f"Could not save to {self.path}: the file is read-only. Nothing was changed."
            )
        if isinstance(exc, sqlite3.OperationalError):
            return StoreError(f"Could not save to {self.path}: {text}. Nothing else was changed.")
        return self._damaged(exc)

    # -- plumbing ------------------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()
        for lock in self._held.values():
            lock.release()
        self._held.clear()

    def hold(self, audit_id: int) -> None:
        """Take this audit for this session (until `close`): a second session that tries to
        change it is told who holds it, and since when, instead of overwriting its answers.
        A lock left by a process that was killed is released by the system and taken over."""
        if audit_id in self._held:
            return
        if self.read_only:
            raise StoreError(f"Audit {audit_id} was opened read-only and cannot be changed.")
        self._held[audit_id] = AuditLock.take(self.path.parent, audit_id)

    def release(self, audit_id: int) -> None:
        """Let go of one audit taken with `hold` (a sitting in the browser stopped while the
        store stays open): another session, the terminal's too, may now carry it on."""
        lock = self._held.pop(audit_id, None)
        if lock is not None:
            lock.release()

    def __enter__(self) -> SqliteAuditStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed before the caller's method returns."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._failed(exc) from None
        try:
            yield db
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._failed(exc) from None
            raise

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def _stamp(self) -> str:
        return self._clock().isoformat()

    def _require(self, db: sqlite3.Connection, audit_id: int) -> None:
        row = db.execute("SELECT 1 FROM audits WHERE id = ?", (audit_id,)).fetchone()
        if row is None:
            raise _no_such(audit_id)

    def _touch(self, db: sqlite3.Connection, audit_id: int) -> None:
        self._require(db, audit_id)
        self.hold(audit_id)
        db.execute("UPDATE audits SET updated_at = ? WHERE id = ?", (self._stamp(), audit_id))

    # -- writing -------------------------------------------------------------------------------

    def create(self, audit: Audit, checklist_text: str) -> int:
        """Save a new audit with everything it already holds; returns its id."""
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO audits (created_at, finished_at, state, checklist_id,"
                " checklist_version, checklist_text, updated_at, share_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    audit.created_at.isoformat(),
                    audit.finished_at.isoformat() if audit.finished_at else None,
                    audit.state.value,
                    audit.checklist.id,
                    audit.checklist.version,
                    checklist_text,
                    self._stamp(),
                    secrets.token_bytes(SHARE_ID_BYTES),
                ),
            )
            audit_id = cursor.lastrowid
            if audit_id is None:  # pragma: no cover - SQLite always gives one after INSERT
                raise RuntimeError("SQLite returned no id for the new audit")
            self._put_inventory(db, audit_id, audit.devices, audit.accounts)
            for (item_id, subject), answer in audit.answers.items():
                self._put_answer(db, audit_id, item_id, subject, answer)
            for account, findings in audit.passwords.items():
                self._put_findings(db, audit_id, account, findings)
        return audit_id

    def save_inventory(
        self, audit_id: int, devices: tuple[Device, ...], accounts: tuple[Account, ...]
    ) -> None:
        """Replace the audit's devices and accounts, keeping their order.

        Answers and findings of a removed device or account are kept: re-adding it brings them
        back, and outcomes only ever look at the subjects in the inventory.
        """
        with self._write() as db:
            self._touch(db, audit_id)
            self._put_inventory(db, audit_id, devices, accounts)

    def _put_inventory(
        self,
        db: sqlite3.Connection,
        audit_id: int,
        devices: tuple[Device, ...],
        accounts: tuple[Account, ...],
    ) -> None:
        for noun, names in (
            ("devices", [d.name for d in devices]),
            ("accounts", [a.name for a in accounts]),
        ):
            twice = sorted(n for n, times in Counter(names).items() if times > 1)
            if twice:
                raise NutsecError(
                    f"Two {noun} are both called '{twice[0]}'. Give each one its own name."
                )
        db.execute("DELETE FROM devices WHERE audit_id = ?", (audit_id,))
        db.execute("DELETE FROM accounts WHERE audit_id = ?", (audit_id,))
        db.executemany(
            "INSERT INTO devices (audit_id, ord, name, kind, system) VALUES (?, ?, ?, ?, ?)",
            [(audit_id, i, d.name, d.kind, d.system) for i, d in enumerate(devices)],
        )
        db.executemany(
            "INSERT INTO accounts (audit_id, ord, name, platform, username, provider)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (audit_id, i, a.name, a.platform, a.username, a.provider)
                for i, a in enumerate(accounts)
            ],
        )

    def save_answer(self, audit_id: int, item_id: str, subject: str | None, answer: str) -> None:
        with self._write() as db:
            self._touch(db, audit_id)
            self._put_answer(db, audit_id, item_id, subject, answer)

    def _put_answer(
        self, db: sqlite3.Connection, audit_id: int, item_id: str, subject: str | None, answer: str
    ) -> None:
        db.execute(
            "INSERT OR REPLACE INTO answers (audit_id, item_id, subject, answer, answered_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (audit_id, item_id, _subject_in(subject), answer, self._stamp()),
        )

    def clear_answer(self, audit_id: int, item_id: str, subject: str | None) -> None:
        with self._write() as db:
            self._touch(db, audit_id)
            db.execute(
                "DELETE FROM answers WHERE audit_id = ? AND item_id = ? AND subject = ?",
                (audit_id, item_id, _subject_in(subject)),
            )

    def save_password_findings(
        self, audit_id: int, account: str, findings: PasswordFindings
    ) -> None:
        """Keep what was learnt about one account's password (replacing any earlier findings)."""
        with self._write() as db:
            self._touch(db, audit_id)
            self._put_findings(db, audit_id, account, findings)

    def _put_findings(
        self, db: sqlite3.Connection, audit_id: int, account: str, findings: PasswordFindings
    ) -> None:
        strength, breach = findings.strength, findings.breach
        db.execute(
            "INSERT OR REPLACE INTO password_findings (audit_id, account, strength_score,"
            " crack_time, warning, suggestions, rating, truncated, breach_status, breach_count,"
            " breach_reason, reused_with, similar_to, reuse_unknown, unchanged_since)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                audit_id,
                account,
                strength.score,
                strength.crack_time,
                strength.warning,
                json.dumps(list(strength.suggestions)),
                strength.rating,
                int(strength.truncated),
                breach.status.value,
                breach.count,
                breach.reason,
                json.dumps(list(findings.reused_with)),
                json.dumps(list(findings.similar_to)),
                findings.reuse_unknown,
                findings.unchanged_since.isoformat() if findings.unchanged_since else None,
            ),
        )

    def save_fingerprints(self, audit_id: int, account: str, prints: Fingerprints) -> None:
        """Keep the keyed fingerprints of `account`'s password (replacing earlier ones)."""
        with self._write() as db:
            self._touch(db, audit_id)
            db.execute(
                "INSERT OR REPLACE INTO password_fingerprints"
                " (audit_id, account, key_id, exact, base, checked_at) VALUES (?, ?, ?, ?, ?, ?)",
                (audit_id, account, prints.key_id, prints.exact, prints.base, self._stamp()),
            )

    def save_fingerprints_if(
        self, audit_id: int, kept: Mapping[str, Fingerprints], still_valid: Callable[[], bool]
    ) -> bool:
        """As the interface says, in one write transaction: `history --forget` removes the key
        inside its own, so it comes wholly before this (the key is gone: nothing kept) or wholly
        after (it deletes these too)."""
        with self._write() as db:
            if not still_valid():
                return False
            for account, prints in kept.items():
                self._touch(db, audit_id)
                db.execute(
                    "INSERT OR REPLACE INTO password_fingerprints (audit_id, account, key_id,"
                    " exact, base, checked_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (audit_id, account, prints.key_id, prints.exact, prints.base, self._stamp()),
                )
        return True

    def count_fingerprints(self) -> int:
        """How many fingerprints are kept, over every audit."""
        return int(self._read("SELECT count(*) FROM password_fingerprints")[0][0])

    def forget_fingerprints(self) -> int:
        """Delete every fingerprint (overwritten on disk: secure_delete is on)."""
        with self._write() as db:
            cursor = db.execute("DELETE FROM password_fingerprints")
        return max(cursor.rowcount, 0)

    def forget_fingerprints_of_every_audit(self, remove_key: Callable[[], T]) -> tuple[T, int]:
        """`remove_key()` then delete every fingerprint, holding every audit's lock: an open
        session keeps the history key in memory and could otherwise store fingerprints made
        with the forgotten key after this returned. StoreError, with nothing done, naming an
        audit open in another session. One write transaction throughout, so no new audit can
        start (and open the old key) meanwhile. Returns what `remove_key` returned and how
        many fingerprints were deleted; an error from `remove_key` leaves them all kept."""
        taken: list[int] = []
        try:
            with self._write() as db:
                named = {int(row[0]) for row in db.execute("SELECT id FROM audits")}
                for audit_id in sorted(named | set(held_lock_ids(self.path.parent))):
                    if audit_id in self._held:
                        continue
                    try:
                        self._held[audit_id] = AuditLock.take(self.path.parent, audit_id)
                    except StoreError:
                        raise StoreError(
                            f"Audit {audit_id} is open in another nutsec, which could still "
                            "store fingerprints made with the key. Finish or close that audit "
                            "first, then run this again. Nothing was deleted."
                        ) from None
                    taken.append(audit_id)
                removed = remove_key()
                cursor = db.execute("DELETE FROM password_fingerprints")
        finally:
            for audit_id in taken:
                self._held.pop(audit_id).release()
        return removed, max(cursor.rowcount, 0)

    def save_position(self, audit_id: int, position: str) -> None:
        with self._write() as db:
            self._touch(db, audit_id)
            db.execute("UPDATE audits SET position = ? WHERE id = ?", (position, audit_id))

    def finish(self, audit_id: int, overall: int, band: str) -> None:
        """Mark the audit finished now, with the score the walk showed."""
        with self._write() as db:
            self._touch(db, audit_id)
            db.execute(
                "UPDATE audits SET state = ?, finished_at = ?, overall = ?, band = ? WHERE id = ?",
                (AuditState.FINISHED.value, self._stamp(), overall, band, audit_id),
            )

    def save_score(self, audit_id: int, overall: int | None, band: str | None) -> None:
        """The score of an unfinished audit whose essentials are done (it stays unfinished);
        None for both when nothing is scored yet."""
        with self._write() as db:
            self._touch(db, audit_id)
            db.execute(
                "UPDATE audits SET overall = ?, band = ? WHERE id = ? AND state != ?",
                (overall, band, audit_id, AuditState.FINISHED.value),
            )

    def delete(self, audit_id: int) -> None:
        """Forget the audit entirely (its rows are overwritten: secure_delete is on)."""
        with self._write() as db:
            db.execute("DELETE FROM audits WHERE id = ?", (audit_id,))

    def tick(self, audit_id: int | None, device: str, step: str) -> datetime:
        """Mark a runbook step done now; a step ticked before keeps its first time."""
        with self._write() as db:
            if audit_id is not None:
                self._require(db, audit_id)
            db.execute(
                "INSERT OR IGNORE INTO lost_device_ticks (audit_id, device, step, done_at)"
                " VALUES (?, ?, ?, ?)",
                (audit_id, device, step, self._stamp()),
            )
            row = db.execute(
                "SELECT done_at FROM lost_device_ticks"
                " WHERE audit_id IS ? AND device = ? AND step = ?",
                (audit_id, device, step),
            ).fetchone()
        return self._moment(row[0])

    def ticks(self, audit_id: int | None, device: str) -> dict[str, datetime]:
        rows = self._read(
            "SELECT step, done_at FROM lost_device_ticks WHERE audit_id IS ? AND device = ?"
            " ORDER BY done_at, rowid",
            (audit_id, device),
        )
        return {step: self._moment(done_at) for step, done_at in rows}

    def _moment(self, text: str) -> datetime:
        try:
            return datetime.fromisoformat(text)
        except ValueError as exc:
            raise self._damaged(exc) from None

    # -- reading -------------------------------------------------------------------------------

    def load(self, audit_id: int) -> Audit:
        rows = self._read(
            "SELECT created_at, finished_at, state, checklist_text FROM audits WHERE id = ?",
            (audit_id,),
        )
        if not rows:
            raise _no_such(audit_id)
        created_at, finished_at, state, text = rows[0]
        checklist = load_checklist_text(text, f"the checklist saved with audit {audit_id}")
        devices = tuple(
            Device(name, kind, system)
            for name, kind, system in self._read(
                "SELECT name, kind, system FROM devices WHERE audit_id = ? ORDER BY ord",
                (audit_id,),
            )
        )
        accounts = tuple(
            Account(name, platform, username, provider)
            for name, platform, username, provider in self._read(
                "SELECT name, platform, username, provider FROM accounts WHERE audit_id = ?"
                " ORDER BY ord",
                (audit_id,),
            )
        )
        answers = {
            (item_id, _subject_out(subject)): answer
            for item_id, subject, answer in self._read(
                "SELECT item_id, subject, answer FROM answers WHERE audit_id = ? ORDER BY rowid",
                (audit_id,),
            )
        }
        passwords = {
            row[0]: self._findings(row[1:])
            for row in self._read(
                "SELECT account, strength_score, crack_time, warning, suggestions, rating,"
                " truncated, breach_status, breach_count, breach_reason, reused_with, similar_to,"
                " reuse_unknown, unchanged_since"
                " FROM password_findings WHERE audit_id = ? ORDER BY rowid",
                (audit_id,),
            )
        }
        try:
            return Audit(
                checklist=checklist,
                created_at=datetime.fromisoformat(created_at),
                id=audit_id,
                state=AuditState(state),
                finished_at=datetime.fromisoformat(finished_at) if finished_at else None,
                devices=devices,
                accounts=accounts,
                answers=answers,
                passwords=passwords,
            )
        except ValueError as exc:
            raise self._damaged(exc) from None

    def _findings(self, row: tuple[Any, ...]) -> PasswordFindings:
        (score, crack_time, warning, suggestions, rating, truncated) = row[:6]
        (status, count, reason, reused_with, similar_to, reuse_unknown, unchanged) = row[6:]
        if rating not in _RATINGS:
            raise self._damaged(f"unknown password rating {rating!r}")
        suggestions = self._names(suggestions, "suggestions")
        reused_with = self._names(reused_with, "reused_with")
        similar_to = self._names(similar_to, "similar_to")
        try:
            return PasswordFindings(
                strength=StrengthResult(
                    score=int(score),
                    crack_time=crack_time,
                    warning=warning,
                    suggestions=suggestions,
                    rating=cast(Rating, rating),
                    truncated=bool(truncated),
                ),
                breach=BreachResult(BreachStatus(status), int(count), reason),
                reused_with=reused_with,
                similar_to=similar_to,
                reuse_unknown=reuse_unknown,
                unchanged_since=datetime.fromisoformat(unchanged) if unchanged else None,
            )
        except (ValueError, TypeError) as exc:
            raise self._damaged(exc) from None

    def fingerprints(self, audit_id: int) -> dict[str, Fingerprints]:
        return {
            account: _prints(key_id, exact, base)
            for account, key_id, exact, base in self._read(
                "SELECT account, key_id, exact, base FROM password_fingerprints"
                " WHERE audit_id = ? ORDER BY rowid",
                (audit_id,),
            )
        }

    def earlier_fingerprints(
        self, account: str, before: int | None
    ) -> list[tuple[int, datetime, Fingerprints]]:
        rows = self._read(
            "SELECT a.id, a.created_at, f.key_id, f.exact, f.base FROM password_fingerprints f"
            " JOIN audits a ON a.id = f.audit_id WHERE f.account = ? AND a.id < ?"
            " ORDER BY a.id DESC",
            (account, before if before is not None else 2**62),
        )
        try:
            return [
                (int(audit_id), datetime.fromisoformat(created), _prints(key_id, exact, base))
                for audit_id, created, key_id, exact, base in rows
            ]
        except ValueError as exc:
            raise self._damaged(exc) from None

    def _names(self, text: object, column: str) -> tuple[str, ...]:
        """A stored JSON list of text (account names, suggestions); damaged if anything else."""
        try:
            value = json.loads(text) if isinstance(text, str) else None
        except (ValueError, RecursionError):
            value = None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._damaged(f"the stored {column} is not a list of names")
        return tuple(value)

    def share_id(self, audit_id: int) -> bytes:
        """The audit's random share id (migration 6): the same in every share code of it."""
        rows = self._read("SELECT share_id FROM audits WHERE id = ?", (audit_id,))
        if not rows:
            raise _no_such(audit_id)
        value = rows[0][0]
        if not isinstance(value, bytes) or len(value) != SHARE_ID_BYTES:
            raise self._damaged(f"audit {audit_id} has no share id")
        return value

    def position(self, audit_id: int) -> str | None:
        rows = self._read("SELECT position FROM audits WHERE id = ?", (audit_id,))
        if not rows:
            raise _no_such(audit_id)
        return cast(str | None, rows[0][0])

    def resolve(self, ref: str, *, finished: bool | None = None) -> int:
        """An ID or 'latest' to an audit id; NutsecError (exit 2) if there is none.

        `finished=True` only accepts finished audits (reports), `False` only unfinished ones
        (resume), `None` either. 'latest' is the newest audit that qualifies.
        """
        audit_id = parse_audit_id(ref)
        if audit_id is None:
            return self._latest(finished)
        rows = self._read("SELECT state FROM audits WHERE id = ?", (audit_id,))
        if not rows:
            raise _no_such(audit_id)
        is_finished = rows[0][0] == AuditState.FINISHED.value
        if finished is True and not is_finished:
            raise NutsecError(
                f"Audit {audit_id} is not finished yet. "
                f"Finish it with 'nutsec audit --resume {audit_id}'."
            )
        if finished is False and is_finished:
            raise NutsecError(
                f"Audit {audit_id} is already finished. Start a new one with 'nutsec audit'."
            )
        return audit_id

    def _latest(self, finished: bool | None) -> int:
        query = _LATEST_QUERIES[finished]
        args: tuple[str, ...] = () if finished is None else (AuditState.FINISHED.value,)
        rows = self._read(query, args)
        if rows:
            return int(rows[0][0])
        if finished is False:
            raise NutsecError(
                "There is no unfinished audit to resume. Start one with 'nutsec audit'."
            )
        if finished is True and self._read("SELECT 1 FROM audits LIMIT 1"):
            newest = self._latest(None)
            raise NutsecError(
                "No finished audit yet. "
                f"Finish the one you started with 'nutsec audit --resume {newest}'."
            )
        raise NutsecError("No saved audit yet. Run 'nutsec audit' first.")

    def unfinished(self) -> list[AuditSummary]:
        """Audits not finished yet, the one worked on most recently first."""
        return self._summaries(
            "WHERE state != ? ORDER BY updated_at DESC, id DESC", (AuditState.FINISHED.value,)
        )

    def history(self) -> list[AuditSummary]:
        """Every saved audit, oldest first."""
        return self._summaries("ORDER BY id", ())

    def _summaries(self, tail: str, args: tuple[str, ...]) -> list[AuditSummary]:
        sql = (
            "SELECT id, created_at, finished_at, checklist_id, checklist_version, overall, band"
            " FROM audits "
        )
        rows = self._read(sql + tail, args)
        try:
            return [_summary(row) for row in rows]
        except ValueError as exc:
            raise self._damaged(exc) from None


def _summary(row: tuple[Any, ...]) -> AuditSummary:
    audit_id, created_at, finished_at, checklist_id, checklist_version, overall, band = row
    return AuditSummary(
        id=int(audit_id),
        created_at=datetime.fromisoformat(created_at),
        finished_at=datetime.fromisoformat(finished_at) if finished_at else None,
        checklist_id=checklist_id,
        checklist_version=checklist_version,
        overall=None if overall is None else int(overall),
        band=band,
    )


def _prints(key_id: Any, exact: Any, base: Any) -> Fingerprints:
    return Fingerprints(
        str(key_id),
        bytes(exact) if exact is not None else None,
        bytes(base) if base is not None else None,
    )


def _files(path: Path) -> tuple[Path, ...]:
    """The database and every side file SQLite may make beside it."""
    return (path, *(path.with_name(path.name + suffix) for suffix in SIDE_SUFFIXES))


def _is_busy(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds a lock; nothing is damaged."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return True
    text = str(exc)
    return "database is locked" in text or "database is busy" in text


def _private(fd: int, file: Path) -> None:
    """0600 through the open file, never by name (a name could be swapped for a link)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)
    else:  # Windows: no fchmod, and no links a user can plant without privileges
        os.chmod(file, 0o600)


def _no_such(audit_id: int) -> NutsecError:
    return NutsecError(f"No saved audit with id {audit_id}. See 'nutsec history'.")
