"""The words shown for one item about one subject: the steps and the reason for *their* device or
account, falling back to the checklist's generic text. Every screen and report asks here, so a
phone never gets a laptop's menu path."""

from __future__ import annotations

from collections.abc import Mapping

from nutsec.audit_data import Account, AnswerKey, Device
from nutsec.checklist.model import AnswerStatus, Checklist, Item

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


#: The account items that ask whether sign-in needs a second step (e-mail's first). Their steps,
#: for an account on a known site, come from the 2FA Directory; the verdict of a password and the
#: lost-device steps look at their answers.
TWO_STEP_ITEMS = ("account.email-two-factor", "account.two-factor")


def said_two_step_on(
    checklist: Checklist, answers: Mapping[AnswerKey, str], account: str
) -> bool | None:
    """What the person said of this account's second step at sign-in: True if it is on (or the
    service does not offer one), so a password's verdict need not tell them to turn it on;
    False if they said it is off or are not sure; None if they have not been asked yet."""
    said: bool | None = None
    for item_id in TWO_STEP_ITEMS:
        item = checklist.item(item_id)
        key = answers.get((item_id, account))
        option = item.answer(key) if item is not None and key is not None else None
        if option is None:
            continue
        if option.status in (AnswerStatus.PASS, AnswerStatus.NOT_APPLICABLE):
            return True
        said = False
    return said


def fix_text(item: Item, subject: Subject) -> str:
    """What to do, for this subject."""
    if item.id in TWO_STEP_ITEMS and isinstance(subject, Account):
        from nutsec.twofactor.accounts import two_step_steps  # the data is read only if needed

        specific = item.fix_for(*variant_keys(subject))
        menu_path = specific if specific != item.fix else ""
        steps = two_step_steps(subject.platform_key, subject.provider, menu_path)
        if steps is not None:
            return steps
    return item.fix_for(*variant_keys(subject))


def why_text(item: Item, subject: Subject) -> str:
    """Why it matters, for this subject."""
    return item.why_for(*variant_keys(subject))
