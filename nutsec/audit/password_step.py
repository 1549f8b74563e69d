"""The audit's password step: strength, reuse and breach for one account's password at a time.

The password is consumed (wiped) by the check. Reuse is recomputed across every account checked
in this audit after each new password, so an earlier account learns it is now reused too.
Accounts checked at an earlier sitting take part through their kept fingerprints; when none
could be kept (no safe keyring), their reuse is "not compared", never "unique" (promise 3).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime

from nutsec.audit_data import Account, PasswordFindings
from nutsec.breach.model import BreachResult, BreachSource
from nutsec.passwords.fingerprints import Fingerprints, ReuseFinder
from nutsec.passwords.strength import StrengthResult, assess_strength
from nutsec.secret import Secret

#: Words any union representative's password should not lean on.
COMMON_CONTEXT = ("nut", "union")

#: Why an account checked at another sitting could not be compared, when the key was kept.
NOTHING_KEPT = (
    "nutsec has nothing kept from then to compare with (its history was forgotten, or an older "
    "nutsec checked it)"
)

#: An earlier audit's fingerprints for the same account: (audit id, its date, fingerprints).
EarlierPrints = tuple[int, datetime, Fingerprints]


def strength_context(account: Account) -> tuple[str, ...]:
    """The words zxcvbn should treat as guessable for this account's password."""
    words = (account.platform, account.name, account.username, *COMMON_CONTEXT)
    return tuple(w for w in words if w.strip())


class PasswordChecker:
    """Checks passwords for one run; holds only results and keyed fingerprints, never passwords.

    `other_sittings` says why passwords checked at another sitting cannot be compared when
    their fingerprints are missing or made with another key (a callable: asked only then).
    """

    def __init__(
        self,
        breach: BreachSource,
        reuse_factory: Callable[[], ReuseFinder] = ReuseFinder,
        *,
        other_sittings: str | Callable[[], str] = NOTHING_KEPT,
    ) -> None:
        self._breach = breach
        self._reuse_factory = reuse_factory
        self._reuse: ReuseFinder | None = None
        self._other_sittings = other_sittings
        self._checked: dict[str, tuple[StrengthResult, BreachResult]] = {}
        # A password checked again (the person went back) is a new fingerprint entry; only each
        # account's latest entry counts.
        self._entry: dict[str, str] = {}
        self._name_of: dict[str, str] = {}  # the inverse of _entry, for current entries only
        self._added = 0
        # Checked at another sitting with no fingerprints to compare: their findings as kept.
        self._apart: dict[str, PasswordFindings] = {}
        self._unchanged: dict[str, datetime | None] = {}

    def remember(self, name: str, findings: PasswordFindings, prints: Fingerprints | None) -> None:
        """Take in an account checked at an earlier sitting of this audit, with its kept
        fingerprints (None when none were kept); it then counts in every reuse finding."""
        finder = self._finder()
        self._unchanged[name] = findings.unchanged_since
        if prints is not None and prints.key_id == finder.key_id:
            entry = self._next_entry(name)
            finder.add_fingerprints(entry, prints)
            self._set_entry(name, entry)
            self._checked[name] = (findings.strength, findings.breach)
            self._apart.pop(name, None)
        else:
            self._apart[name] = findings
            self._drop_entry(name)
            self._checked.pop(name, None)

    def check(
        self, account: Account, secret: Secret, earlier: Sequence[EarlierPrints] = ()
    ) -> dict[str, PasswordFindings]:
        """Check `secret` (then wipe it); the findings of every account checked so far.

        The result includes other accounts because their reuse findings may have changed.
        `earlier` is the same account's fingerprints in earlier audits, newest first: the
        password is "unchanged since" the oldest of an unbroken run of matches.
        """
        try:
            strength = assess_strength(secret, strength_context(account))
            breach = self._breach.check(secret)
            self._record(account, secret, strength, breach, earlier)
        finally:
            secret.wipe()
        return self.findings()

    def check_all(
        self,
        pairs: Sequence[tuple[Account, Secret]],
        earlier: Mapping[str, Sequence[EarlierPrints]] | None = None,
    ) -> dict[str, PasswordFindings]:
        """`check` for several passwords at once (a scripted audit): their breach look-ups go
        out together, and the strength checks run while those are in flight. `earlier`: each
        account's fingerprints in earlier audits, as for `check`."""
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="nutsec-breach") as pool:
                pending = pool.submit(self._breach.check_many, [secret for _, secret in pairs])
                strengths = [assess_strength(s, strength_context(a)) for a, s in pairs]
                breaches = pending.result()
            for (account, secret), strength, breach in zip(pairs, strengths, breaches, strict=True):
                before = (earlier or {}).get(account.name, ())
                self._record(account, secret, strength, breach, before)
        finally:
            for _, secret in pairs:
                secret.wipe()
        return self.findings()

    def _record(
        self,
        account: Account,
        secret: Secret,
        strength: StrengthResult,
        breach: BreachResult,
        earlier: Sequence[EarlierPrints],
    ) -> None:
        finder = self._finder()
        entry = self._next_entry(account.name)
        finder.add(entry, secret)
        self._set_entry(account.name, entry)
        self._checked[account.name] = (strength, breach)
        self._apart.pop(account.name, None)
        self._unchanged[account.name] = _unchanged_since(finder.fingerprints(entry), earlier)

    def apart(self) -> tuple[str, ...]:
        """Accounts checked at another sitting that nothing checked now can be compared with
        (no fingerprints kept): typing their passwords again compares them all."""
        return tuple(self._apart)

    def fingerprints(self, name: str) -> Fingerprints | None:
        """The keyed fingerprints of the account's latest password, to keep with the audit."""
        if self._reuse is None or name not in self._entry:
            return None
        return self._reuse.fingerprints(self._entry[name])

    def findings(self) -> dict[str, PasswordFindings]:
        result: dict[str, PasswordFindings] = {}
        for name, (strength, breach) in self._checked.items():
            reused: tuple[str, ...] = ()
            similar: tuple[str, ...] = ()
            if self._reuse is not None:
                reused = self._accounts(self._reuse.reused_with(self._entry[name]))
                similar = self._accounts(self._reuse.similar_to(self._entry[name]))
            apart = [other for other in self._apart if other != name]
            result[name] = PasswordFindings(
                strength,
                breach,
                reused,
                similar,
                reuse_unknown=self._not_compared(apart),
                unchanged_since=self._unchanged.get(name),
            )
        for name, kept in self._apart.items():
            # Compared at its own sitting only: what it learnt then stands, the rest is unknown.
            here = [other for other in self._checked if other != name]
            why = self._not_compared(here) if here else kept.reuse_unknown
            result[name] = replace(kept, reuse_unknown=why)
        return result

    def _not_compared(self, names: list[str]) -> str | None:
        if not names:
            return None
        why = self._other_sittings
        return f"not compared with {', '.join(names)}, checked at another sitting: " + (
            why if isinstance(why, str) else why()
        )

    def _finder(self) -> ReuseFinder:
        if self._reuse is None:
            self._reuse = self._reuse_factory()
        return self._reuse

    def _next_entry(self, name: str) -> str:
        self._added += 1
        return f"{name}\x00{self._added}"

    def _accounts(self, entries: list[str]) -> tuple[str, ...]:
        """Fingerprint entries back to account names, leaving out replaced entries."""
        # A lookup table kept as entries are added: rebuilding it here made every findings()
        # call quadratic, and 1,000 accounts took 27.5 s (issue 14).
        return tuple(self._name_of[e] for e in entries if e in self._name_of)

    def _set_entry(self, name: str, entry: str) -> None:
        """The account's latest fingerprint entry; its replaced one no longer names it."""
        self._drop_entry(name)
        self._entry[name] = entry
        self._name_of[entry] = name

    def _drop_entry(self, name: str) -> None:
        replaced = self._entry.pop(name, None)
        if replaced is not None:
            self._name_of.pop(replaced, None)


def _unchanged_since(mine: Fingerprints, earlier: Sequence[EarlierPrints]) -> datetime | None:
    """The date of the oldest earlier audit in the unbroken run (newest first) of the same
    password; None when the newest comparable one differs. Other keys' prints are skipped."""
    since: datetime | None = None
    for _audit_id, made, prints in earlier:
        if prints.key_id != mine.key_id:
            continue
        if not mine.same_password(prints):
            break
        since = made
    return since
