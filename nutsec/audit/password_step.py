"""The audit's password step: strength, reuse and breach for one account's password at a time.

The password is consumed (wiped) by the check. Reuse is recomputed across every account checked
in this run after each new password, so an earlier account learns it is now reused too.
"""

from __future__ import annotations

from collections.abc import Callable

from nutsec.audit.model import Account, PasswordFindings
from nutsec.breach.model import BreachResult, BreachSource
from nutsec.passwords.fingerprints import ReuseFinder
from nutsec.passwords.secret import Secret
from nutsec.passwords.strength import StrengthResult, assess_strength

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

    def check(self, account: Account, secret: Secret) -> dict[str, PasswordFindings]:
        """Check `secret` (then wipe it); the findings of every account checked so far.

        The result includes other accounts because their reuse findings may have changed.
        """
        try:
            strength = assess_strength(secret, strength_context(account))
            breach = self._breach.check(secret)
            if self._reuse is None:
                self._reuse = self._reuse_factory()
            self._reuse.add(account.name, secret)
        finally:
            secret.wipe()
        self._checked[account.name] = (strength, breach)
        return self.findings()

    def findings(self) -> dict[str, PasswordFindings]:
        result: dict[str, PasswordFindings] = {}
        for name, (strength, breach) in self._checked.items():
            reused: tuple[str, ...] = ()
            similar: tuple[str, ...] = ()
            if self._reuse is not None:
                reused = tuple(self._reuse.reused_with(name))
                similar = tuple(self._reuse.similar_to(name))
            result[name] = PasswordFindings(strength, breach, reused, similar)
        return result
