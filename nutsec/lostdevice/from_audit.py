"""The runbook changed by the audit's answers: a device without 'find my device', two-step
verification that was off, and a step for sign-in codes that went to the lost phone.

The wording lives in from_audit.toml (each step and line with `source` and `checked`); this module
loads it and applies it to a card. Pure: an audit and a card in, a card out.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from nutsec.advice import TWO_STEP_ITEMS
from nutsec.audit_data import Account, Audit, Device
from nutsec.errors import NutsecError
from nutsec.lostdevice.card import ACCOUNT_ORDER, CardStep, LostDeviceCard, StepKind, StepLine

SHIPPED = "nutsec/lostdevice/from_audit.toml"

#: The audit's items this module reads, and the answers that change a step.
FINDER_ITEM = "device.remote-lock"
#: Device kinds whose loss takes text and app codes with it (a laptop rarely gets them).
CODE_DEVICES = frozenset({"phone", "tablet"})


@dataclass(frozen=True)
class SourcedLine:
    label: str
    text: str
    source: str
    checked: str
    applies_to: str = ""  # a device system ("android"): only for such a device


@dataclass(frozen=True)
class FromAudit:
    no_finder_title: str
    no_finder_detail: str
    no_finder_lines: tuple[SourcedLine, ...]
    two_step_off: str
    two_step_not_sure: str
    #: The same in a few words, for the printed report's card.
    card_two_step_off: str
    card_two_step_not_sure: str
    codes_title: str
    codes_detail: str
    codes_ways: tuple[SourcedLine, ...]
    #: Account recovery per platform key (every ACCOUNT_ORDER key).
    recovery: Mapping[str, SourcedLine]


def finder_answer(audit: Audit, device: Device) -> str | None:
    return audit.answers.get((FINDER_ITEM, device.name))


def two_step_answer(audit: Audit, account: Account) -> str | None:
    for item in TWO_STEP_ITEMS:
        answer = audit.answers.get((item, account.name))
        if answer is not None:
            return answer
    return None


def adapt_card(
    card: LostDeviceCard,
    audit: Audit | None,
    device: Device | None,
    accounts: Sequence[Account],
    words: FromAudit | None = None,
) -> LostDeviceCard:
    """The card as the audit's answers change it (unchanged steps keep their keys)."""
    w = words or shipped_from_audit()
    steps: list[CardStep] = []
    by_name = {a.name: a for a in accounts}
    locks = [i for i, s in enumerate(card.steps) if s.kind is StepKind.LOCK_AND_WIPE]
    codes_gone = device is None or device.kind in CODE_DEVICES or not device.kind
    for index, step in enumerate(card.steps):
        if (
            step.kind is StepKind.LOCK_AND_WIPE
            and audit is not None
            and device is not None
            and finder_answer(audit, device) in ("no", "not_sure")
        ):
            step = replace(
                step,
                title=w.no_finder_title.format(device=device.name),
                detail=w.no_finder_detail.format(device=device.name),
                lines=tuple(StepLine(line.label, line.text) for line in w.no_finder_lines),
            )
        if step.kind is StepKind.SECURE_ACCOUNT and audit is not None and step.subject:
            account = by_name.get(step.subject)
            text = _two_step_said(audit, account, w.two_step_off, w.two_step_not_sure)
            if account is not None and text is not None:
                step = replace(step, lines=_two_step(step.lines, text.format(account=account.name)))
        steps.append(step)
        if codes_gone and locks and index == locks[-1]:
            steps.append(_regain_step(w, device, accounts))
    return replace(
        card,
        steps=tuple(replace(s, number=n) for n, s in enumerate(steps, start=1)),
    )


def note_two_step(
    card: LostDeviceCard, audit: Audit, words: FromAudit | None = None
) -> LostDeviceCard:
    """The printed report's card (steps without platform lines): each account the audit says
    has two-step verification off, or is not sure of, says so in its step's words."""
    w = words or shipped_from_audit()
    by_name = {a.name: a for a in audit.accounts}
    steps = []
    for step in card.steps:
        account = by_name.get(step.subject or "") if step.kind is StepKind.SECURE_ACCOUNT else None
        text = _two_step_said(audit, account, w.card_two_step_off, w.card_two_step_not_sure)
        if text is not None:
            step = replace(step, detail=f"{step.detail} {text}")
        steps.append(step)
    return replace(card, steps=tuple(steps))


def _two_step_said(audit: Audit, account: Account | None, off: str, not_sure: str) -> str | None:
    """What to say of an account whose two-step the audit says is off (`off`) or that the person
    was not sure of (`not_sure`); None when there is nothing to add."""
    answer = two_step_answer(audit, account) if account is not None else None
    return off if answer == "no" else not_sure if answer == "not_sure" else None


def _two_step(lines: tuple[StepLine, ...], text: str) -> tuple[StepLine, ...]:
    """The platform's two-step line replaced by what the audit says (kept first if none)."""
    label = "Two-step verification"
    out = [line for line in lines if not line.label.lower().startswith("two-step")]
    return (*out, StepLine(label, text))


def _regain_step(w: FromAudit, device: Device | None, accounts: Sequence[Account]) -> CardStep:
    system = device.system if device is not None else "other"
    ways = [
        StepLine(way.label, way.text)
        for way in w.codes_ways
        if not way.applies_to or way.applies_to == system or system == "other"
    ]
    if accounts:
        keys: dict[str, list[str]] = {}
        for account in sorted(accounts, key=lambda a: ACCOUNT_ORDER.index(a.platform_key)):
            keys.setdefault(account.platform_key, []).append(account.name)
        for key, names in keys.items():
            ways.append(StepLine(f"{', '.join(names)}: account recovery", w.recovery[key].text))
    else:
        ways += [
            StepLine(f"Account recovery ({key})", w.recovery[key].text)
            for key in ("email", "union", "work")
        ]
    return CardStep(
        number=0,
        kind=StepKind.REGAIN_ACCESS,
        title=w.codes_title,
        detail=w.codes_detail,
        subject=None,
        lines=tuple(ways),
    )


@cache
def shipped_from_audit() -> FromAudit:
    text = (resources.files("nutsec.lostdevice") / "from_audit.toml").read_text("utf-8")
    return load_from_audit(text, SHIPPED)


def load_from_audit(text: str, origin: str) -> FromAudit:
    """Parse and check the file; every problem is named, with its key, in one error."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NutsecError(f"{origin}: not valid TOML ({exc}).") from None
    problems: list[str] = []

    def table(data: Any, key: str, where: str) -> dict[str, Any]:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, dict):
            problems.append(f"'{where}' must be a table")
            return {}
        return value

    def text_at(data: dict[str, Any], key: str, where: str, fields: frozenset[str]) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"'{where}' must be non-empty text")
            return ""
        try:
            used = {n for _, n, _, _ in string.Formatter().parse(value) if n is not None}
        except ValueError:
            problems.append(f"'{where}' has an unmatched {{ or }}")
            return ""
        if not used <= fields:
            problems.append(f"'{where}' uses a placeholder that is not allowed here")
        return value

    def sourced(data: dict[str, Any], where: str) -> None:
        source = data.get("source")
        if not isinstance(source, str) or not source.startswith("https://"):
            problems.append(f"'{where}.source' must be the https:// address of the page")
        checked = data.get("checked")
        if not isinstance(checked, str) or len(checked) != 10 or checked[4] != "-":
            problems.append(f"'{where}.checked' must be a date, YYYY-MM-DD")

    def lines(data: dict[str, Any], key: str, where: str) -> tuple[SourcedLine, ...]:
        entries = data.get(key)
        if not isinstance(entries, list) or not entries:
            problems.append(f"'{where}' must list at least one line")
            return ()
        out = []
        for number, entry in enumerate(entries, start=1):
            at = f"{where}[{number}]"
            if not isinstance(entry, dict):
                problems.append(f"'{at}' must be a table")
                continue
            sourced(entry, at)
            out.append(
                SourcedLine(
                    text_at(entry, "label", f"{at}.label", _NONE),
                    text_at(entry, "text", f"{at}.text", _NONE),
                    str(entry.get("source", "")),
                    str(entry.get("checked", "")),
                    str(entry.get("applies_to", "")),
                )
            )
        return tuple(out)

    finder = table(raw, "no_finder", "no_finder")
    two = table(raw, "two_step", "two_step")
    codes = table(raw, "codes_on_phone", "codes_on_phone")
    platforms = table(codes, "platforms", "codes_on_phone.platforms")
    for where, data in (("no_finder", finder), ("two_step", two), ("codes_on_phone", codes)):
        if data:
            sourced(data, where)
    recovery = {}
    for key in ACCOUNT_ORDER:
        at = f"codes_on_phone.platforms.{key}"
        entry = table(platforms, key, at) if platforms else {}
        if entry:
            sourced(entry, at)
        recovery[key] = SourcedLine(
            key,
            text_at(entry, "text", f"{at}.text", _NONE),
            str(entry.get("source", "")),
            str(entry.get("checked", "")),
        )
    words = FromAudit(
        no_finder_title=text_at(finder, "title", "no_finder.title", _DEVICE),
        no_finder_detail=text_at(finder, "detail", "no_finder.detail", _DEVICE),
        no_finder_lines=lines(finder, "lines", "no_finder.lines"),
        two_step_off=text_at(two, "off", "two_step.off", _ACCOUNT),
        two_step_not_sure=text_at(two, "not_sure", "two_step.not_sure", _ACCOUNT),
        card_two_step_off=text_at(two, "card_off", "two_step.card_off", _NONE),
        card_two_step_not_sure=text_at(two, "card_not_sure", "two_step.card_not_sure", _NONE),
        codes_title=text_at(codes, "title", "codes_on_phone.title", _NONE),
        codes_detail=text_at(codes, "detail", "codes_on_phone.detail", _NONE),
        codes_ways=lines(codes, "ways", "codes_on_phone.ways"),
        recovery=recovery,
    )
    if problems:
        raise NutsecError(
            f"{origin}: the lost-device steps from the audit have {len(problems)} problem(s).",
            details=tuple(problems),
        )
    return words


_NONE: frozenset[str] = frozenset()
_DEVICE = frozenset({"device"})
_ACCOUNT = frozenset({"account"})
