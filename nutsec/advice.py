"""The words shown for one item about one subject: the steps and the reason for *their* device or
account, falling back to the checklist's generic text. Every screen and report asks here, so a
phone never gets a laptop's menu path."""

from __future__ import annotations

from nutsec.audit_data import Account, Device
from nutsec.checklist.model import Item

Subject = Device | Account | None


def variant_keys(subject: Subject) -> tuple[str, ...]:
    """The subject's variant keys, most specific first (system then kind; provider then platform).
    An unknown system or provider gives no key for it, so the generic text is used."""
    if isinstance(subject, Device):
        system = subject.system if subject.system != "other" else ""
        return tuple(k for k in (system, subject.kind) if k)
    if isinstance(subject, Account):
        provider = subject.provider if subject.provider != "other" else ""
        return tuple(k for k in (provider, subject.platform_key) if k)
    return ()


def fix_text(item: Item, subject: Subject) -> str:
    """What to do, for this subject."""
    return item.fix_for(*variant_keys(subject))


def why_text(item: Item, subject: Subject) -> str:
    """Why it matters, for this subject."""
    return item.why_for(*variant_keys(subject))
