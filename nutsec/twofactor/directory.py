"""Matching a login's address to the 2FA Directory: which two-step methods the site offers and
where its own how-to page is.

The data (`sites.json`) is a compact copy made by `scripts/refresh_2fa_directory.py`; it is read
once per run, when first asked for, so commands that never need it never pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: The directory's method keys in plain words, in the order nutsec lists them (strongest first).
METHOD_WORDS: dict[str, str] = {
    "u2f": "a security key",
    "totp": "an authenticator app",
    "custom-software": "the site's own app",
    "custom-hardware": "the site's own code device",
    "sms": "text message",
    "call": "phone call",
    "email": "e-mail",
}


@dataclass(frozen=True)
class TwoStepSite:
    """One site of the directory. `methods` empty: listed, but it offers no two-step sign-in."""

    name: str
    domain: str
    methods: tuple[str, ...]
    documentation: str  # the site's own how-to page, or "" when the directory has none

    @property
    def offers_two_step(self) -> bool:
        return bool(self.methods)

    @property
    def method_words(self) -> tuple[str, ...]:
        """The methods in plain words, strongest first; unknown keys are left out."""
        return tuple(METHOD_WORDS[m] for m in METHOD_WORDS if m in self.methods)


@dataclass(frozen=True)
class TwoStepDirectory:
    """Sites by domain. Look-ups fold case, a leading `www.` and subdomains."""

    sites: Mapping[str, TwoStepSite]
    aliases: Mapping[str, str]
    source: str
    commit: str
    date: str

    def site_for_host(self, host: str) -> TwoStepSite | None:
        """The site for a host name: the host itself, else each parent domain in turn
        (`mail.example.co.uk`, then `example.co.uk`, then `co.uk` is never tried alone)."""
        name = host.strip().strip(".").lower().removeprefix("www.")
        labels = name.split(".")
        for start in range(len(labels) - 1):
            candidate = ".".join(labels[start:])
            candidate = self.aliases.get(candidate, candidate)
            site = self.sites.get(candidate)
            if site is not None:
                return site
        return None

    def site_for_domain(self, domain: str) -> TwoStepSite | None:
        """The site listed under exactly this domain (or alias)."""
        key = domain.strip().lower()
        return self.sites.get(self.aliases.get(key, key))


def parse_directory(text: str) -> TwoStepDirectory:
    """The compact file's text as a directory; the first site listing a domain keeps it."""
    raw = json.loads(text)
    sites: dict[str, TwoStepSite] = {}
    for name, domains, methods, documentation in raw["sites"]:
        site = TwoStepSite(name, domains[0], tuple(methods), documentation)
        for domain in domains:
            sites.setdefault(domain, site)
    return TwoStepDirectory(
        sites=sites,
        aliases=dict(raw.get("aliases", {})),
        source=str(raw["source"]),
        commit=str(raw.get("commit", "")),
        date=str(raw.get("date", "")),
    )


@cache
def shipped_directory() -> TwoStepDirectory:
    """The directory shipped with nutsec, read once per run."""
    text = (resources.files("nutsec.twofactor") / "sites.json").read_text("utf-8")
    return parse_directory(text)


def join_words(words: Sequence[str]) -> str:
    """ "a, b or c": how a list of methods reads in a sentence."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]
