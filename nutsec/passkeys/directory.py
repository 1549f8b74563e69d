"""Matching a login's address to the Passkeys Directory: whether the site lets you sign in with a
passkey, and where its own how-to page is.

The data (`entries.json`) is a snapshot of github.com/2factorauth/passkeys (folder `entries/`),
under Creative Commons Attribution 4.0 (`LICENSE.md` beside it; `DATA.md` says what each field
means). The licence asks for credit wherever the data is shown: every hint carries `CREDIT`, and
whatever shows a hint shows that line too. The file is read once per run, when first asked for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

#: The credit the CC BY 4.0 licence asks for, shown wherever a passkey hint is.
CREDIT = (
    "Passkey details: Passkeys Directory, 2factorauth and contributors, CC BY 4.0 "
    "(github.com/2factorauth/passkeys), snapshot of {date}."
)


@dataclass(frozen=True)
class PasskeySite:
    """One site of the directory. `passwordless`: a passkey can replace the password; `mfa`: a
    passkey can be the second step after it."""

    name: str
    domain: str
    passwordless: bool
    mfa: bool
    documentation: str  # the site's own how-to page, or "" when the directory has none

    @property
    def offers_passkeys(self) -> bool:
        return self.passwordless or self.mfa


@dataclass(frozen=True)
class PasskeyHint:
    """What to tell someone whose login is on a site that offers passkeys."""

    site: str  # the site's name in the directory
    text: str  # one plain sentence
    link: str  # the site's own how-to page, or ""
    credit: str  # the directory's credit line, to show with the hint


@dataclass(frozen=True)
class PasskeyDirectory:
    """Sites by domain. Look-ups fold case, a leading `www.` and subdomains."""

    sites: Mapping[str, PasskeySite]
    source: str
    commit: str
    date: str

    @property
    def credit(self) -> str:
        return CREDIT.format(date=self.date)

    def site_for_host(self, host: str) -> PasskeySite | None:
        """The site for a host name: the host itself, else each parent domain in turn (a bare
        top-level name such as `uk` is never tried)."""
        name = host.strip().strip(".").lower().removeprefix("www.")
        labels = name.split(".")
        for start in range(len(labels) - 1):
            site = self.sites.get(".".join(labels[start:]))
            if site is not None:
                return site
        return None


def parse_directory(text: str) -> PasskeyDirectory:
    """The snapshot's text as a directory; the first entry listing a domain keeps it, and an
    entry that allows passkeys neither way is left out."""
    raw = json.loads(text)
    sites: dict[str, PasskeySite] = {}
    for entry in raw["entries"]:
        domain = str(entry["domain"]).lower()
        site = PasskeySite(
            name=str(entry.get("name") or domain),
            domain=domain,
            passwordless=entry.get("passwordless") == "allowed",
            mfa=entry.get("mfa") == "allowed",
            documentation=str(entry.get("documentation") or ""),
        )
        if not site.offers_passkeys:
            continue
        for name in (domain, *(str(d).lower() for d in entry.get("additional-domains", []))):
            sites.setdefault(name, site)
    return PasskeyDirectory(
        sites=sites,
        source=str(raw.get("source", "")),
        commit=str(raw.get("commit", "")),
        date=str(raw.get("date", "")),
    )


@cache
def shipped_passkey_directory() -> PasskeyDirectory:
    """The directory shipped with nutsec, read once per run."""
    text = (resources.files("nutsec.passkeys") / "entries.json").read_text("utf-8")
    return parse_directory(text)


def host_of(url_or_host: str) -> str:
    """The host name of a web address, or of a bare host ("example.com/login" works too)."""
    text = url_or_host.strip()
    if not text:
        return ""
    split = urlsplit(text if "//" in text else f"//{text}")
    try:
        return (split.hostname or "").lower()
    except ValueError:
        return ""


def hint_for_site(site: PasskeySite, directory: PasskeyDirectory) -> PasskeyHint:
    if site.passwordless:
        text = (
            f"Passkey: {site.name} lets you sign in with a passkey instead of this password. "
            "Set one up, and keep the password as a way back in."
        )
    else:
        text = f"Passkey: {site.name} takes a passkey as the second step of signing in."
    return PasskeyHint(site.name, text, site.documentation, directory.credit)


def passkey_hint(url_or_host: str, directory: PasskeyDirectory | None = None) -> PasskeyHint | None:
    """The hint for a login's address when its site offers passkeys, else None."""
    host = host_of(url_or_host)
    if not host:
        return None
    found = directory or shipped_passkey_directory()
    site = found.site_for_host(host)
    return None if site is None else hint_for_site(site, found)
