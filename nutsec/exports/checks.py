"""Checking every login of an export: strength, reuse, near-reuse and known breaches.

Pure apart from the breach source it is given: it reports progress to an injected observer and
prints nothing. Each password is wiped as soon as it has been checked; what is kept is only
the results (no password, hash or piece of one) and, until the end, keyed fingerprints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from nutsec.breach.model import BreachResult, BreachSource, BreachStatus
from nutsec.exports.reader import ExportEntry, ExportFile
from nutsec.passkeys.directory import PasskeyHint
from nutsec.passwords.fingerprints import ReuseFinder
from nutsec.passwords.strength import StrengthResult, account_context
from nutsec.passwords.strength_worker import Worker, assess_many
from nutsec.twofactor.directory import TwoStepSite
from nutsec.verdict import Verdict, judge_password

Stage = Literal["strength", "breach"]
#: Told (stage, done, total) as the checks go on; the CLI draws a progress bar with it.
AuditProgress = Callable[[Stage, int, int], None]

#: Host name parts that say nothing about the site (www.example.co.uk -> example).
_PLAIN_HOST_PARTS = frozenset({"www", "com", "org", "net", "co", "uk", "gov", "edu", "ac", "m"})


@dataclass(frozen=True)
class EntryFindings:
    """What nutsec found about one login; never the password or any part of it."""

    line: int
    name: str
    username: str
    url: str
    strength: StrengthResult
    breach: BreachResult
    reused_with: tuple[str, ...]  # labels of other entries with exactly this password
    similar_to: tuple[str, ...]  # labels of other entries with a small variation of it
    verdict: Verdict
    #: How many times this same login (site, username and password) is in the export.
    copies: int = 1
    folder: str = ""
    #: A two-step code generator (TOTP) is saved with this login: two-step sign-in is set up.
    totp: bool = False
    #: The 2FA Directory's entry for the site, or None when the site is not listed.
    two_step: TwoStepSite | None = None
    #: Why a shown field was hidden, one sentence each (see redact.py).
    hidden: tuple[str, ...] = ()
    #: The Passkeys Directory's hint for the site, or None when it offers no passkeys.
    passkey: PasskeyHint | None = None

    @property
    def two_step_offered(self) -> bool:
        return self.two_step is not None and self.two_step.offers_two_step

    @property
    def breached(self) -> bool:
        return self.breach.status is BreachStatus.FOUND

    @property
    def weak(self) -> bool:
        return self.strength.rating == "weak"

    @property
    def needs_action(self) -> bool:
        return self.breached or bool(self.reused_with) or self.weak or bool(self.similar_to)

    @property
    def urgency(self) -> int:
        """0 is most urgent: breached, then reused, then weak, then similar, then the rest."""
        flags = (self.breached, bool(self.reused_with), self.weak, bool(self.similar_to))
        return next((rank for rank, flag in enumerate(flags) if flag), len(flags))


@dataclass(frozen=True)
class ExportSummary:
    entries: int
    weak: int
    reused: int
    similar: int
    breached: int
    not_checked: int
    skipped: int  # rows with no password, not logins, in the bin or a folder left out
    duplicates: int  # extra copies of a login saved more than once, counted once
    two_step_offered: int = 0  # logins whose site offers two-step sign-in (2FA Directory)
    two_step_set_up: int = 0  # logins with a two-step code generator saved with them

    def to_json(self) -> dict[str, int]:
        return {
            "two_step_offered": self.two_step_offered,
            "two_step_set_up": self.two_step_set_up,
            "entries": self.entries,
            "weak": self.weak,
            "reused": self.reused,
            "similar": self.similar,
            "breached": self.breached,
            "not_checked": self.not_checked,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
        }


@dataclass(frozen=True)
class ExportAudit:
    """The results for one export: entries in file order, and what was skipped."""

    file_name: str
    source_key: str
    source_title: str
    entries: tuple[EntryFindings, ...]
    skipped: Counter[str]
    duplicates: int
    #: False when the export came on standard input or from a database: no file to delete.
    plaintext_file: bool = True
    #: How an entry's position is named: "line" (CSV), "item" (JSON), "entry" (database).
    position_word: str = "line"
    #: The date of the 2FA Directory snapshot the hints come from ("" when none matched).
    two_step_date: str = ""

    @property
    def summary(self) -> ExportSummary:
        e = self.entries
        return ExportSummary(
            entries=len(e),
            weak=sum(f.weak for f in e),
            reused=sum(bool(f.reused_with) for f in e),
            similar=sum(bool(f.similar_to) for f in e),
            breached=sum(f.breached for f in e),
            not_checked=sum(f.breach.status is BreachStatus.UNKNOWN for f in e),
            skipped=sum(self.skipped.values()),
            duplicates=self.duplicates,
            two_step_offered=sum(f.two_step_offered for f in e),
            two_step_set_up=sum(f.totp for f in e),
        )

    def by_urgency(self) -> list[EntryFindings]:
        """Entries that need action first (breached, reused, weak, similar), then by name."""
        return sorted(self.entries, key=lambda f: (f.urgency, f.name.casefold(), f.line))


def audit_export(
    export: ExportFile,
    breach: BreachSource,
    progress: AuditProgress | None = None,
    reuse: ReuseFinder | None = None,
    worker: Worker | None = None,
) -> ExportAudit:
    """Check every entry of `export` and wipe its passwords, whatever happens. `worker`: a
    strength worker started earlier (`strength_worker.started_early`), to be used if given."""
    finder = reuse or ReuseFinder()
    try:
        return _audit(export, breach, finder, progress, worker)
    finally:
        finder.clear()
        export.wipe()


def _audit(
    export: ExportFile,
    breach: BreachSource,
    finder: ReuseFinder,
    progress: AuditProgress | None,
    worker: Worker | None,
) -> ExportAudit:
    entries = export.entries
    keys = [str(i) for i in range(len(entries))]
    for key, entry in zip(keys, entries, strict=True):
        finder.add(key, entry.secret)

    kept, copies = _merge_copies(entries, keys, finder)
    for i, entry in enumerate(entries):
        if i not in copies:
            entry.secret.wipe()  # a second copy of a login already kept: nothing more to check
    checked = [entries[i] for i in kept]

    def breach_progress(done: int, total: int) -> None:
        if progress:
            progress("breach", done, total)

    def strength_progress(done: int, total: int) -> None:
        if progress:
            progress("strength", done, total)

    # The breach look-ups wait on the network; the strength checks run meanwhile, in a worker
    # process on a machine with more than one core (nutsec/passwords/strength_worker.py), so
    # they never hold back the look-up threads. The source is used by that one thread only.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="nutsec-breach") as pool:
        pending = pool.submit(
            breach.check_many, [entry.secret for entry in checked], breach_progress
        )
        strengths = assess_many(
            [(entry.secret, strength_context(entry)) for entry in checked],
            strength_progress,
            may_help=pending.done,
            worker=worker,
        )
        breaches = pending.result()
    for entry in checked:
        entry.secret.wipe()

    labels = {i: export.mask.hide(label) for i, label in _labels(entries, kept).items()}
    findings: list[EntryFindings] = []
    for i, strength, result in zip(kept, strengths, breaches, strict=True):
        entry = entries[i]
        reused = tuple(labels[int(k)] for k in finder.reused_with(keys[i]) if int(k) in labels)
        similar = tuple(labels[int(k)] for k in finder.similar_to(keys[i]) if int(k) in labels)
        findings.append(
            EntryFindings(
                line=entry.line,
                name=entry.name,
                username=entry.username,
                url=entry.url,
                strength=strength,
                breach=result,
                reused_with=reused,
                similar_to=similar,
                verdict=judge_password(strength, result, bool(reused), bool(similar)),
                copies=copies[i],
                folder=entry.folder,
                totp=entry.totp,
                two_step=entry.two_step,
                hidden=entry.hidden,
                passkey=entry.passkey,
            )
        )
    return ExportAudit(
        file_name=export.label,
        source_key=export.source.key,
        source_title=export.source.title,
        entries=tuple(findings),
        skipped=export.skipped,
        duplicates=len(entries) - len(kept),
        plaintext_file=not export.from_stdin and export.source.key != "kdbx",
        position_word=export.position_word,
        two_step_date=export.two_step_date,
    )


def strength_context(entry: ExportEntry) -> tuple[str, ...]:
    """Words a password for this login should not lean on: its name, site, username, the union."""
    site = [
        part for part in entry.host.split(".") if len(part) >= 3 and part not in _PLAIN_HOST_PARTS
    ]
    return (*account_context(entry.name, entry.username), *site)


def login_identity(entry: ExportEntry) -> tuple[str, str]:
    """What makes two entries the same login: the site (host, or name without one) and username."""
    site = entry.host.removeprefix("www.") if entry.host else entry.name.casefold()
    return site, entry.username.casefold()


def _merge_copies(
    entries: Sequence[ExportEntry], keys: Sequence[str], finder: ReuseFinder
) -> tuple[list[int], dict[int, int]]:
    """The entries to check (indexes) and how many copies each stands for.

    A login saved twice (same site, same username, same password) is one login, not reuse: it
    is checked and reported once, with its number of copies. Same site and username with a
    different password (an old and a new one) stay two entries.
    """
    kept: list[int] = []
    copies: dict[int, int] = {}
    merged: set[int] = set()
    for i, entry in enumerate(entries):
        if i in merged:
            continue
        kept.append(i)
        copies[i] = 1
        identity = login_identity(entry)
        for other in finder.reused_with(keys[i]):
            j = int(other)
            if j > i and j not in merged and login_identity(entries[j]) == identity:
                merged.add(j)
                copies[i] += 1
    return kept, copies


def _labels(entries: Sequence[ExportEntry], kept: Sequence[int]) -> dict[int, str]:
    """How other entries are named in "same password as" lists: the name, made unique.

    Two logins may share a name (two Google accounts); the username, or else the line, tells
    them apart.
    """
    names = Counter(entries[i].name.casefold() for i in kept)
    logins = Counter(login_identity(entries[i]) for i in kept)
    labels: dict[int, str] = {}
    for i in kept:
        entry = entries[i]
        if names[entry.name.casefold()] == 1:
            labels[i] = entry.name
        elif entry.username and logins[login_identity(entry)] == 1:
            labels[i] = f"{entry.name} ({entry.username})"
        else:
            labels[i] = f"{entry.name} (line {entry.line})"
    return labels
