"""The lost-device card: what to do, in order, for one person's devices and accounts.

The order is PRODUCT.md's rule (report, lock and wipe, e-mail, union and work, social media, then
check activity) and lives here; the wording lives in card.toml so a trainer can change it, and
each platform's own steps in platforms.toml. The builder is pure: the report prints the card and
`nutsec lost-device` walks through it (with the platform steps) and prints it for paper.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from nutsec.audit_data import PLATFORMS, Account, Device
from nutsec.checklist.model import DEVICE_KINDS
from nutsec.errors import NutsecError
from nutsec.lostdevice.platforms import CHECK_FIELDS, SECURE_FIELDS, PlatformGuide

SHIPPED = "nutsec/lostdevice/card.toml"


class AccountGroup(StrEnum):
    """Which accounts to secure first: e-mail can reset every other password."""

    EMAIL = "email"
    UNION_WORK = "union_work"
    SOCIAL = "social"


#: Accounts are secured in this order of platform key (every PLATFORMS key, tested); ties keep
#: the order the person gave.
ACCOUNT_ORDER: tuple[str, ...] = (
    "email",
    "union",
    "work",
    "twitter",
    "facebook",
    "instagram",
    "linkedin",
    "tiktok",
    "whatsapp",
    "other",
)

GROUP_OF: dict[str, AccountGroup] = {
    "email": AccountGroup.EMAIL,
    "union": AccountGroup.UNION_WORK,
    "work": AccountGroup.UNION_WORK,
}


def account_group(account: Account) -> AccountGroup:
    return GROUP_OF.get(account.platform_key, AccountGroup.SOCIAL)


def order_accounts(accounts: Sequence[Account]) -> list[Account]:
    """Accounts in the order to secure them: e-mail, union, work, then social media and others."""
    return sorted(accounts, key=lambda account: ACCOUNT_ORDER.index(account.platform_key))


class StepKind(StrEnum):
    REPORT_LOSS = "report_loss"
    LOCK_AND_WIPE = "lock_and_wipe"
    #: Getting into accounts whose sign-in codes went to the lost phone (from_audit.py).
    REGAIN_ACCESS = "regain_access"
    SECURE_ACCOUNT = "secure_account"
    CHECK_ACTIVITY = "check_activity"


@dataclass(frozen=True)
class RemoteService:
    """Where one kind of system offers remote lock and wipe."""

    system: str
    service: str
    address: str  # without a scheme, so a printed page shows exactly what to type

    @property
    def hint(self) -> str:
        return f"{self.system}: {self.service} at {self.address}"


@dataclass(frozen=True)
class StepLine:
    """One labelled line of a platform's own steps ("Sign out everywhere: Settings > ...")."""

    label: str
    text: str


@dataclass(frozen=True)
class CardStep:
    number: int  # 1 is first
    kind: StepKind
    title: str
    detail: str
    subject: str | None = None  # the device or account the step is about
    hints: tuple[str, ...] = ()  # for lock and wipe: where to do it, one line per system
    lines: tuple[StepLine, ...] = ()  # each platform's own steps, when a guide was given

    @property
    def key(self) -> str:
        """Stable name of the step for the tick log: its kind and subject, never its number."""
        return self.kind.value if self.subject is None else f"{self.kind.value}:{self.subject}"


@dataclass(frozen=True)
class LostDeviceCard:
    title: str
    intro: str
    steps: tuple[CardStep, ...]
    #: Whom to ring, each a label with a blank to write the number on ("Union office").
    contacts: tuple[str, ...] = ()
    contacts_title: str = ""
    #: The line to put on the lock screen, with a blank for a number.
    lock_screen: str = ""
    #: One warning per device whose finder ("find my device") is off: it cannot be found.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class CardContent:
    """The card's wording, loaded from TOML and checked."""

    title: str
    intro: str
    report_title: str
    report_detail: str
    lock_title: str
    lock_detail: str
    any_device: str
    remote: Mapping[str, tuple[RemoteService, ...]]
    secure_title: str
    any_account: str
    group_detail: Mapping[AccountGroup, str]
    check_title: str
    check_detail: str
    contacts_title: str = ""
    contacts: tuple[str, ...] = ()
    lock_screen: str = ""
    finder_off: str = ""


Lines = tuple[StepLine, ...]


def build_lost_device_card(
    devices: Sequence[Device],
    accounts: Sequence[Account],
    content: CardContent | None = None,
    platforms: PlatformGuide | None = None,
    finder_off: Sequence[str] = (),
) -> LostDeviceCard:
    """The steps, in order, for these devices and accounts (general steps when there are none).

    With `platforms`, securing an account carries that platform's own steps, and checking
    activity says where to look and where to report misuse, account by account. `finder_off`
    names the devices whose finder is off: the card warns that they cannot be located.
    """
    words = content or shipped_card_content()
    steps: list[tuple[StepKind, str, str, str | None, tuple[str, ...], Lines]] = [
        (StepKind.REPORT_LOSS, words.report_title, words.report_detail, None, (), ())
    ]
    for device in devices:
        steps.append(
            (
                StepKind.LOCK_AND_WIPE,
                words.lock_title.format(device=device.name),
                words.lock_detail.format(device=device.name),
                device.name,
                _hints(words, device.kind, device.system),
                (),
            )
        )
    if not devices:
        steps.append(
            (
                StepKind.LOCK_AND_WIPE,
                words.lock_title.format(device=words.any_device),
                words.lock_detail.format(device=words.any_device),
                None,
                _hints(words, None),
                (),
            )
        )
    ordered = order_accounts(accounts)
    for account in ordered:
        detail = words.group_detail[account_group(account)]
        steps.append(
            (
                StepKind.SECURE_ACCOUNT,
                words.secure_title.format(account=account.name),
                detail.format(account=account.name),
                account.name,
                (),
                _secure_lines(platforms, account.platform_key, account),
            )
        )
    if not accounts:
        detail = words.group_detail[AccountGroup.EMAIL]
        steps.append(
            (
                StepKind.SECURE_ACCOUNT,
                words.secure_title.format(account=words.any_account),
                detail.format(account=words.any_account),
                None,
                (),
                _secure_lines(platforms, "email", None),
            )
        )
    steps.append(
        (
            StepKind.CHECK_ACTIVITY,
            words.check_title,
            words.check_detail,
            None,
            (),
            _check_lines(platforms, ordered),
        )
    )
    return LostDeviceCard(
        title=words.title,
        intro=words.intro,
        steps=tuple(
            CardStep(number, kind, title, detail, subject, hints, lines)
            for number, (kind, title, detail, subject, hints, lines) in enumerate(steps, start=1)
        ),
        contacts=words.contacts,
        contacts_title=words.contacts_title,
        lock_screen=words.lock_screen,
        warnings=tuple(
            words.finder_off.format(device=name) for name in dict.fromkeys(finder_off) if name
        ),
    )


def _secure_lines(guide: PlatformGuide | None, key: str, account: Account | None) -> Lines:
    """Where, on this platform, to sign out, change the password and check two-step."""
    if guide is None:
        return ()
    steps = guide.steps_for(key)
    lines = [StepLine(guide.labels[field], steps.text[field]) for field in SECURE_FIELDS]
    lines += [StepLine(note.provider, note.text) for note in steps.notes_for(account)]
    return tuple(lines)


def _check_lines(guide: PlatformGuide | None, accounts: Sequence[Account]) -> Lines:
    """Per platform (in the order secured), where to see recent activity and report misuse.

    Accounts on one platform share its lines; with no accounts, every platform is listed.
    """
    if guide is None:
        return ()
    names: dict[str, list[str]] = {}
    for account in accounts:
        names.setdefault(account.platform_key, []).append(account.name)
    if not accounts:
        names = {key: [PLATFORMS[key]] for key in ACCOUNT_ORDER}
    lines = []
    for key, accounts_here in names.items():
        steps = guide.steps_for(key)
        who = ", ".join(accounts_here)
        lines += [
            StepLine(f"{who}, {guide.labels[field].lower()}", steps.text[field])
            for field in CHECK_FIELDS
        ]
    return tuple(lines)


#: Which `system` names in card.toml mean each device system, to show only the device's own.
SYSTEM_NAMES: dict[str, frozenset[str]] = {
    "ios": frozenset({"iphone", "ipad"}),
    "android": frozenset({"android"}),
    "windows": frozenset({"windows"}),
    "macos": frozenset({"mac"}),
}


def _hints(words: CardContent, kind: str | None, system: str = "other") -> tuple[str, ...]:
    services = words.remote.get(kind, ()) if kind else ()
    if not services:  # no device named, or a kind the file does not know: every service
        services = tuple(s for kind_services in words.remote.values() for s in kind_services)
    names = SYSTEM_NAMES.get(system, frozenset())
    own = tuple(s for s in services if s.system.casefold() in names)
    return tuple(dict.fromkeys(s.hint for s in own or services))


@cache
def shipped_card_content() -> CardContent:
    """The wording shipped with nutsec."""
    text = (resources.files("nutsec.lostdevice") / "card.toml").read_text("utf-8")
    return load_card_content(text, SHIPPED)


# Loading ----------------------------------------------------------------------------------------

#: Placeholders each kind of text may use; any other {name} is a mistake in the file.
_NO_FIELDS: frozenset[str] = frozenset()
_DEVICE = frozenset({"device"})
_ACCOUNT = frozenset({"account"})


def load_card_content(text: str, origin: str) -> CardContent:
    """Parse and check the card's TOML; every problem is named, with its key, in one error."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NutsecError(f"{origin}: not valid TOML ({exc}).") from None
    problems: list[str] = []

    def table(data: Any, key: str) -> dict[str, Any]:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, dict):
            problems.append(f"'{key}' must be a table")
            return {}
        return value

    def text_at(data: dict[str, Any], key: str, where: str, fields: frozenset[str]) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"'{where}' must be non-empty text")
            return ""
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError:
            problems.append(f"'{where}' has an unmatched {{ or }}")
            return ""
        if not used <= fields:
            allowed = ", ".join(f"{{{f}}}" for f in sorted(fields)) or "none"
            unknown = ", ".join(f"{{{f}}}" for f in sorted(used - fields))
            problems.append(f"'{where}' uses {unknown} (allowed here: {allowed})")
        return value

    report = table(raw, "report_loss")
    lock = table(raw, "lock_and_wipe")
    secure = table(raw, "secure_account")
    groups = table(secure, "groups")
    check = table(raw, "check_activity")
    ring = table(raw, "contacts")
    remote = _remote(raw.get("remote"), problems)
    numbers = ring.get("numbers")
    if not isinstance(numbers, list) or not numbers:
        problems.append("'contacts.numbers' must list at least one place to ring")
        numbers = []
    elif not all(isinstance(n, str) and n.strip() for n in numbers):
        problems.append("'contacts.numbers' must be a list of non-empty texts")
        numbers = []
    content = CardContent(
        title=text_at(raw, "title", "title", _NO_FIELDS),
        intro=text_at(raw, "intro", "intro", _NO_FIELDS),
        report_title=text_at(report, "title", "report_loss.title", _NO_FIELDS),
        report_detail=text_at(report, "detail", "report_loss.detail", _NO_FIELDS),
        lock_title=text_at(lock, "title", "lock_and_wipe.title", _DEVICE),
        lock_detail=text_at(lock, "detail", "lock_and_wipe.detail", _DEVICE),
        any_device=text_at(lock, "any_device", "lock_and_wipe.any_device", _NO_FIELDS),
        remote=remote,
        secure_title=text_at(secure, "title", "secure_account.title", _ACCOUNT),
        any_account=text_at(secure, "any_account", "secure_account.any_account", _NO_FIELDS),
        group_detail={
            group: text_at(groups, group.value, f"secure_account.groups.{group.value}", _ACCOUNT)
            for group in AccountGroup
        },
        check_title=text_at(check, "title", "check_activity.title", _NO_FIELDS),
        check_detail=text_at(check, "detail", "check_activity.detail", _NO_FIELDS),
        contacts_title=text_at(ring, "title", "contacts.title", _NO_FIELDS),
        contacts=tuple(str(n) for n in numbers),
        lock_screen=text_at(ring, "lock_screen", "contacts.lock_screen", _NO_FIELDS),
        finder_off=text_at(ring, "finder_off", "contacts.finder_off", _DEVICE),
    )
    if problems:
        raise NutsecError(
            f"{origin}: the lost-device card has {len(problems)} problem(s).",
            details=tuple(problems),
        )
    return content


def _remote(raw: Any, problems: list[str]) -> dict[str, tuple[RemoteService, ...]]:
    if not isinstance(raw, dict):
        problems.append("'remote' must be a table with one list per device kind")
        return {}
    remote: dict[str, tuple[RemoteService, ...]] = {}
    for kind in DEVICE_KINDS:
        entries = raw.get(kind)
        if not isinstance(entries, list) or not entries:
            problems.append(f"'remote.{kind}' must list at least one service")
            continue
        services = []
        for index, entry in enumerate(entries, start=1):
            fields = ("system", "service", "address")
            values = [entry.get(f) if isinstance(entry, dict) else None for f in fields]
            if not all(isinstance(v, str) and v.strip() for v in values):
                problems.append(f"'remote.{kind}' entry {index} needs system, service and address")
                continue
            system, service, address = (str(v) for v in values)
            if "://" in address:
                problems.append(
                    f"'remote.{kind}' entry {index}: write the address without http:// or https://"
                )
                continue
            services.append(RemoteService(system, service, address))
        remote[kind] = tuple(services)
    for kind in sorted(set(raw) - set(DEVICE_KINDS)):
        problems.append(f"'remote.{kind}' is not a device kind ({', '.join(DEVICE_KINDS)})")
    return remote
