"""The audit's password step: strength, reuse and breach for one account's password at a time.

The password is consumed (wiped) by the check. Reuse is recomputed across every account checked
in this run after each new password, so an earlier account learns it is now reused too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from nutsec.audit_data import Account, PasswordFindings
from nutsec.breach.model import BreachResult, BreachSource
from nutsec.passwords.fingerprints import ReuseFinder
from nutsec.passwords.strength import StrengthResult, assess_strength
from nutsec.secret import Secret

#: Words any union representative's password should not lean on.
COMMON_CONTEXT = ("nut", "union")


def strength_context(account: Account) -> tuple[str, ...]:
    """The words zxcvbn should treat as guessable for this account's password."""
    words = (account.platform, account.name, account.username, *COMMON_CONTEXT)
    return tuple(w for w in words if w.strip())


class PasswordChecker:
    """Checks passwords for one run; holds only results and keyed fingerprints, never passwords."""

    def __init__(
        self,
        breach: BreachSource,
        reuse_factory: Callable[[], ReuseFinder] = ReuseFinder,
    ) -> None:
        self._breach = breach
        self._reuse_factory = reuse_factory
        self._reuse: ReuseFinder | None = None
        self._checked: dict[str, tuple[StrengthResult, BreachResult]] = {}
        # A password checked again (the person went back) is a new fingerprint entry; only each
        # account's latest entry counts.
        self._entry: dict[str, str] = {}
        self._name_of: dict[str, str] = {}  # the inverse of _entry, for current entries only
        self._added = 0

    def check(self, account: Account, secret: Secret) -> dict[str, PasswordFindings]:
        """Check `secret` (then wipe it); the findings of every account checked so far.

        The result includes other accounts because their reuse findings may have changed.
        """
        try:
            strength = assess_strength(secret, strength_context(account))
            breach = self._breach.check(secret)
            self._record(account, secret, strength, breach)
        finally:
            secret.wipe()
        return self.findings()

    def check_all(self, pairs: Sequence[tuple[Account, Secret]]) -> dict[str, PasswordFindings]:
        """`check` for several passwords at once (a scripted audit): their breach look-ups go
        out together, and the strength checks run while those are in flight."""
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="nutsec-breach") as pool:
                pending = pool.submit(self._breach.check_many, [secret for _, secret in pairs])
                strengths = [assess_strength(s, strength_context(a)) for a, s in pairs]
                breaches = pending.result()
            for (account, secret), strength, breach in zip(pairs, strengths, breaches, strict=True):
                self._record(account, secret, strength, breach)
        finally:
            for _, secret in pairs:
                secret.wipe()
        return self.findings()

    def _record(
        self, account: Account, secret: Secret, strength: StrengthResult, breach: BreachResult
    ) -> None:
        if self._reuse is None:
            self._reuse = self._reuse_factory()
        self._added += 1
        entry = f"{account.name}\x00{self._added}"
        self._reuse.add(entry, secret)
        replaced = self._entry.get(account.name)
        if replaced is not None:
            self._name_of.pop(replaced, None)
        self._entry[account.name] = entry
        self._name_of[entry] = account.name
        self._checked[account.name] = (strength, breach)

    def findings(self) -> dict[str, PasswordFindings]:
        result: dict[str, PasswordFindings] = {}
        for name, (strength, breach) in self._checked.items():
            reused: tuple[str, ...] = ()
            similar: tuple[str, ...] = ()
            if self._reuse is not None:
                reused = self._accounts(self._reuse.reused_with(self._entry[name]))
                similar = self._accounts(self._reuse.similar_to(self._entry[name]))
            result[name] = PasswordFindings(strength, breach, reused, similar)
        return result

    def _accounts(self, entries: list[str]) -> tuple[str, ...]:
        """Fingerprint entries back to account names, leaving out replaced entries."""
        # A lookup table kept as entries are added: rebuilding it here made every findings()
        # call quadratic, and 1,000 accounts took 27.5 s (issue 14).
        return tuple(self._name_of[e] for e in entries if e in self._name_of)
