"""What a device or account is called on screen, for every front-end: the list of device kinds
and systems offered as one choice, who runs an e-mail account, and "Work phone (iPhone)"."""

from __future__ import annotations

from collections.abc import Sequence

from nutsec.audit_data import PLATFORMS, Account, Device

#: What a device is and what it runs, asked as one question: key -> (label, kind, system).
#: Each key is a letter of what it names (a: Android, p: iPad). "Something else" has no kind
#: yet: the kind is asked next.
DEVICE_CHOICES: dict[str, tuple[str, str, str]] = {
    "i": ("iPhone", "phone", "ios"),
    "p": ("iPad", "tablet", "ios"),
    "a": ("Android phone", "phone", "android"),
    "t": ("Android tablet", "tablet", "android"),
    "w": ("Windows laptop", "laptop", "windows"),
    "d": ("Windows desktop computer", "desktop", "windows"),
    "m": ("Mac laptop (MacBook)", "laptop", "macos"),
    "n": ("Mac desktop (iMac, Mac mini)", "desktop", "macos"),
    "c": ("Chromebook", "laptop", "chromeos"),
    "l": ("Linux laptop", "laptop", "linux"),
    "x": ("Linux desktop computer", "desktop", "linux"),
    "o": ("Something else", "", "other"),
}

#: Who runs an e-mail account: key -> (provider, label).
PROVIDER_CHOICES: dict[str, tuple[str, str]] = {
    "g": ("gmail", "Gmail (your own)"),
    "o": ("outlook", "Outlook.com or Hotmail (your own)"),
    "i": ("icloud", "iCloud"),
    "y": ("yahoo", "Yahoo"),
    "w": ("work", "Given by your school, employer or union (even if it is Outlook)"),
    "e": ("other", "Something else, or not sure"),
}
#: Menu lines that need more words than the name shown beside an account.
PLATFORM_MENU = {
    "email": "E-mail (your school or work e-mail too)",
    "work": "Work or school system, not e-mail (e.g. a staff portal)",
}
#: How an e-mail account's provider is named beside it: "Mail (Gmail)".
PROVIDER_NAMES = {
    "gmail": "Gmail",
    "outlook": "Outlook.com or Hotmail",
    "icloud": "iCloud",
    "yahoo": "Yahoo",
    "work": "work or union e-mail",
}


def describe_device(device: Device) -> str:
    """'Work phone (iPhone)'; an old audit's device without a system: 'Work phone (phone)'."""
    for label, kind, system in DEVICE_CHOICES.values():
        if (kind, system) == (device.kind, device.system):
            return _with_label(device.name, label)
    return _with_label(device.name, device.kind)


def describe_account(account: Account) -> str:
    """'Union Twitter (X (Twitter))', 'Mail (Gmail)'; an unknown provider: 'Mail (E-mail)'."""
    label = PLATFORMS.get(account.platform_key, account.platform)
    if any(
        (platform, provider, default) == (account.platform_key, account.provider, account.name)
        for _, platform, provider, default in ACCOUNT_CHOICES.values()
        if provider
    ):
        return account.name  # an e-mail's one-press name says who runs it
    if account.provider == "work" and account.name.casefold().endswith(("e-mail", "email")):
        return account.name  # "Work e-mail", "Union email": the name says it already
    provider = PROVIDER_NAMES.get(account.provider, "")
    if provider:
        label = provider
    return _with_label(account.name, label)


def _with_label(name: str, label: str) -> str:
    """'Mail (Gmail)'; a name the label already says is not said twice ('X' on X (Twitter) is
    'X (Twitter)', 'Facebook' is 'Facebook'), and brackets are never nested."""
    folded = name.strip().casefold()
    if folded == label.casefold():
        return name
    if label.casefold().startswith(folded + " ("):
        return label
    return f"{name} – {label}" if "(" in label else f"{name} ({label})"


#: One press adds an account (the browser's buttons): value -> (label, platform, provider,
#: the name it gets unless the person gives another). E-mail comes first, one button per who
#: runs it, since e-mail can reset every other account.
ACCOUNT_CHOICES: dict[str, tuple[str, str, str, str]] = {
    "email:work": ("School or work e-mail", "email", "work", "School e-mail"),
    "email:gmail": ("Gmail", "email", "gmail", "Gmail"),
    "email:outlook": ("Outlook.com or Hotmail", "email", "outlook", "Outlook e-mail"),
    "email:icloud": ("iCloud Mail", "email", "icloud", "iCloud Mail"),
    "email:yahoo": ("Yahoo Mail", "email", "yahoo", "Yahoo Mail"),
    "email:other": ("Another e-mail", "email", "other", "E-mail"),
    "twitter": ("X (Twitter)", "twitter", "", "X"),
    "facebook": ("Facebook", "facebook", "", "Facebook"),
    "instagram": ("Instagram", "instagram", "", "Instagram"),
    "linkedin": ("LinkedIn", "linkedin", "", "LinkedIn"),
    "tiktok": ("TikTok", "tiktok", "", "TikTok"),
    "whatsapp": ("WhatsApp", "whatsapp", "", "WhatsApp"),
    "union": ("Union website or portal", "union", "", "Union website"),
    "work": ("Work or school system", "work", "", "Work system"),
    "other": ("Something else", "other", "", "Other account"),
}

#: The name a device gets unless the person gives another: (kind, system) -> name.
_DEVICE_NAMES = {
    ("laptop", "macos"): "Mac laptop",
    ("desktop", "macos"): "Mac desktop",
    ("phone", "other"): "Phone",
    ("tablet", "other"): "Tablet",
    ("laptop", "other"): "Laptop",
    ("desktop", "other"): "Desktop computer",
}


def default_device_name(kind: str, system: str, taken: Sequence[str]) -> str:
    """'Android phone', then 'Android phone 2' for a second one: a name that needs no typing."""
    name = _DEVICE_NAMES.get((kind, system))
    if name is None:
        name = next(
            (label for label, k, s in DEVICE_CHOICES.values() if (k, s) == (kind, system)),
            kind.capitalize() or "Device",
        )
    return _free(name, taken)


def default_account_name(choice: str, taken: Sequence[str]) -> str:
    """The name of an account added with one press: 'Work e-mail', 'Facebook', 'Facebook 2'."""
    return _free(ACCOUNT_CHOICES[choice][3], taken)


def _free(name: str, taken: Sequence[str]) -> str:
    used = {t.casefold() for t in taken}
    number = 1
    candidate = name
    while candidate.casefold() in used:
        number += 1
        candidate = f"{name} {number}"
    return candidate
