"""Answers files (PRODUCT.md "Answers files"): a scripted audit, read and checked before use.

Reading happens in two passes because the file may name its own checklist: `read_answers_file`
checks the file's shape; `check_against` checks its item ids and answers against the checklist.
Passwords are wrapped in Secret the moment they are read and never appear in an error.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nutsec.audit_data import Account, AnswerKey, Device
from nutsec.bounded_read import FileTooLargeError, read_bytes_at_most, too_large_text
from nutsec.checklist.model import DEVICE_KINDS, DEVICE_SYSTEMS, EMAIL_PROVIDERS, Checklist, Scope
from nutsec.errors import AnswersError
from nutsec.safe_text import describe_character, first_control_character
from nutsec.secret import Secret
from nutsec.toml_input import parse_toml

TOP_KEYS = {"checklist", "answers", "devices", "accounts"}
DEVICE_KEYS = {"name", "kind", "system", "answers"}
ACCOUNT_KEYS = {"name", "platform", "username", "provider", "password", "answers"}

Fail = Callable[[str], AnswersError]


@dataclass(frozen=True)
class ScriptedAccount:
    account: Account
    password: Secret | None
    answers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ScriptedDevice:
    device: Device
    answers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AnswersFile:
    """A parsed answers file; `shown` is the path as the user gave it, for messages."""

    shown: str
    checklist: str | None
    answers: dict[str, str]
    devices: tuple[ScriptedDevice, ...]
    accounts: tuple[ScriptedAccount, ...]

    @property
    def has_passwords(self) -> bool:
        return any(a.password is not None for a in self.accounts)

    def inventory(self) -> tuple[tuple[Device, ...], tuple[Account, ...]]:
        return tuple(d.device for d in self.devices), tuple(a.account for a in self.accounts)

    def all_answers(self) -> dict[AnswerKey, str]:
        """Every answer keyed as an Audit keeps them: (item id, subject)."""
        result: dict[AnswerKey, str] = {(item, None): a for item, a in self.answers.items()}
        for d in self.devices:
            result.update({(item, d.device.name): a for item, a in d.answers.items()})
        for acc in self.accounts:
            result.update({(item, acc.account.name): a for item, a in acc.answers.items()})
        return result

    def wipe_passwords(self) -> None:
        for account in self.accounts:
            if account.password is not None:
                account.password.wipe()


def read_answers_file(path: Path) -> AnswersFile:
    """The file's content, shape-checked; AnswersError naming the file and key otherwise."""
    shown = str(path)
    try:
        raw = read_bytes_at_most(path)
    except FileTooLargeError:
        raise AnswersError(f"The answers file {shown} {too_large_text()}") from None
    except OSError as exc:
        raise AnswersError(f"Cannot read the answers file {shown}: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8")
        data = parse_toml(text)
    except UnicodeDecodeError:
        raise AnswersError(f"{shown}: this is not a text file (UTF-8 expected).") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message names the line and column, never the value (tests check this);
        # an unclosed string is only "at end of document", so give that a line number too.
        last = f"at the end of the file, line {len(text.splitlines()) or 1}"
        reason = str(exc).replace("at end of document", last)
        raise AnswersError(f"{shown}: not valid TOML ({reason}).") from None
    return parse_answers(data, shown)


def parse_answers(data: dict[str, Any], shown: str) -> AnswersFile:
    """Check the shape of already-parsed TOML. Secrets are taken out of `data` as they are read."""

    def fail(message: str) -> AnswersError:
        return AnswersError(f"{shown}: {message}")

    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise fail(f"unknown key '{unknown[0]}' (expected {', '.join(sorted(TOP_KEYS))})")
    checklist = data.get("checklist")
    if checklist is not None and (not isinstance(checklist, str) or not checklist.strip()):
        raise fail("'checklist' must be a checklist name or path")
    answers = _answer_table(data.get("answers", {}), "[answers]", fail)

    devices: list[ScriptedDevice] = []
    for index, entry in enumerate(_array(data, "devices", fail), start=1):
        where = f"devices[{index}]"
        _no_unknown_keys(entry, DEVICE_KEYS, where, fail)
        name = _name(entry, where, fail)
        where = f'{where} "{name}"'
        kind = entry.get("kind")
        if kind not in DEVICE_KINDS:
            raise fail(f"{where}: kind must be one of {', '.join(DEVICE_KINDS)}{_given(kind)}")
        system = entry.get("system", "other")
        if system not in DEVICE_SYSTEMS:
            raise fail(
                f"{where}: system must be one of {', '.join(DEVICE_SYSTEMS)}{_given(system)}"
            )
        devices.append(
            ScriptedDevice(
                Device(name, kind, system), _answer_table(entry.get("answers", {}), where, fail)
            )
        )
    _unique([d.device.name for d in devices], "device", fail)

    accounts: list[ScriptedAccount] = []
    for index, entry in enumerate(_array(data, "accounts", fail), start=1):
        where = f"accounts[{index}]"
        password = _take_password(entry, where, fail)
        _no_unknown_keys(entry, ACCOUNT_KEYS, where, fail)
        name = _name(entry, where, fail)
        where = f'{where} "{name}"'
        platform = entry.get("platform", "other")
        username = entry.get("username", "")
        if not isinstance(platform, str) or not platform.strip():
            raise fail(f"{where}: 'platform' must be text, for example \"twitter\"")
        if not isinstance(username, str):
            raise fail(f"{where}: 'username' must be text")
        _plain(platform, "platform", where, fail)
        _plain(username, "username", where, fail)
        provider = entry.get("provider", "")
        if provider not in ("", *EMAIL_PROVIDERS):
            raise fail(
                f"{where}: provider must be one of {', '.join(EMAIL_PROVIDERS)}{_given(provider)}"
            )
        if provider and platform.strip().lower() != "email":
            raise fail(f"{where}: 'provider' is only for e-mail accounts (platform = \"email\")")
        accounts.append(
            ScriptedAccount(
                Account(name, platform.strip(), username.strip(), provider),
                password,
                _answer_table(entry.get("answers", {}), where, fail),
            )
        )
    _unique([a.account.name for a in accounts], "account", fail)
    return AnswersFile(shown, checklist, answers, tuple(devices), tuple(accounts))


def check_against(answers: AnswersFile, checklist: Checklist) -> None:
    """Every item id exists, belongs to the block it is in, and is given an answer it offers."""
    blocks: list[tuple[str, Scope, dict[str, str]]] = [("[answers]", Scope.PERSON, answers.answers)]
    blocks += [
        (f'devices[{i}] "{d.device.name}"', Scope.DEVICE, d.answers)
        for i, d in enumerate(answers.devices, start=1)
    ]
    blocks += [
        (f'accounts[{i}] "{a.account.name}"', Scope.ACCOUNT, a.answers)
        for i, a in enumerate(answers.accounts, start=1)
    ]
    for where, scope, table in blocks:
        for item_id, key in table.items():
            item = checklist.item(item_id)
            if item is None:
                raise AnswersError(
                    f"{answers.shown}: {where}: unknown item '{item_id}' "
                    f"(not in checklist '{checklist.id}')"
                )
            if item.scope is not scope:
                home = {
                    Scope.PERSON: "[answers]",
                    Scope.DEVICE: "a [[devices]] entry's answers",
                    Scope.ACCOUNT: "an [[accounts]] entry's answers",
                }[item.scope]
                raise AnswersError(
                    f"{answers.shown}: {where}: item '{item_id}' is asked once per "
                    f"{item.scope.value}, so it belongs in {home}"
                )
            if item.answer(key) is None:
                raise AnswersError(
                    # The value is not quoted back: it may be a password typed in the wrong place.
                    f"{answers.shown}: {where}: item '{item_id}' does not offer the answer given "
                    f"(choose {', '.join(item.answer_keys)})"
                )


def _array(data: dict[str, Any], key: str, fail: Fail) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise fail(f"'{key}' must be written as [[{key}]] tables")
    return value


def _no_unknown_keys(entry: dict[str, Any], allowed: set[str], where: str, fail: Fail) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise fail(f"{where}: unknown key '{unknown[0]}' (expected {', '.join(sorted(allowed))})")


def _name(entry: dict[str, Any], where: str, fail: Fail) -> str:
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(f"{where}: 'name' is missing")
    _plain(name, "name", where, fail)
    return name.strip()


def _plain(value: str, key: str, where: str, fail: Fail) -> None:
    """Names are shown on terminals and in reports: an escape sequence could rewrite the screen."""
    char = first_control_character(value)
    if char is not None:
        raise fail(
            f"{where}: '{key}' contains the control character {describe_character(char)}; "
            "use plain text"
        )


def _unique(names: list[str], what: str, fail: Fail) -> None:
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise fail(f'two {what}s are called "{name}"; give each a different name')
        seen.add(name.casefold())


def _take_password(entry: dict[str, Any], where: str, fail: Fail) -> Secret | None:
    """Remove the password from the parsed data at once and wrap it, so no plain copy lingers."""
    if "password" not in entry:
        return None
    value = entry.pop("password")
    if not isinstance(value, str):
        raise fail(f"{where}: 'password' must be text in quotes")
    if not value:
        return None
    secret = Secret(value)
    del value
    return secret


def _answer_table(value: Any, where: str, fail: Fail) -> dict[str, str]:
    if not isinstance(value, dict):
        raise fail(f"{where}: answers must be a table of item id = answer")
    for item_id, key in value.items():
        if not isinstance(key, str):
            raise fail(f"{where}: item '{item_id}' needs an answer in quotes, like \"yes\"")
    return dict(value)


def _given(value: object) -> str:
    """How an unusable value is described: never quoted, as it may be a misplaced password."""
    return " (none is given)" if value is None else " (the value given is not one of them)"
