"""Read a checklist TOML file, check everything, and report every problem at once."""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nutsec.bounded_read import FileTooLargeError, read_bytes_at_most, too_large_text
from nutsec.checklist.model import (
    ACCOUNT_PLATFORMS,
    DEVICE_KINDS,
    DEVICE_SYSTEMS,
    EMAIL_PROVIDERS,
    FORMATS,
    AnswerOption,
    AnswerStatus,
    Checklist,
    Item,
    Scope,
    Section,
    Severity,
    default_label,
)
from nutsec.checklist.sources import StepSource, step_source
from nutsec.errors import ChecklistError
from nutsec.safe_text import describe_character, first_control_character
from nutsec.toml_input import parse_toml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

TOP_KEYS = {"id", "title", "version", "format", "description", "source", "sections"}
SECTION_KEYS = {"id", "title", "intro", "items"}
ITEM_KEYS = {
    "id",
    "scope",
    "question",
    "why",
    "fix",
    "source",
    "severity",
    "weight",
    "answers",
    "labels",
    "current",
    "references",
    "platforms",
    "device_kinds",
    # format 2
    "applies_to",
    "fix_for",
    "why_for",
    "action",
    "minutes",
    "replaces",
}

#: What `applies_to` and the keys of `fix_for` / `why_for` may name, by the item's scope.
DEVICE_KEYS = DEVICE_KINDS + DEVICE_SYSTEMS
ACCOUNT_KEYS = ACCOUNT_PLATFORMS + tuple(p for p in EMAIL_PROVIDERS if p not in ACCOUNT_PLATFORMS)

#: What a `fix_for` step written as a table holds.
STEP_KEYS = {"text", "source", "checked"}
#: From this format on, every `fix_for` step names its source and the date it was checked.
SOURCED_FORMAT = 3

#: An action is one line of the action plan, shown beside the device or account it is for.
ACTION_MAX = 60
#: Effort estimates are whole minutes, from 1 to a working day.
MINUTES_MAX = 480

_ID_LINE = re.compile(r"^\s*id\s*=\s*[\"']([^\"']*)[\"']")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a checklist file, located as precisely as the file allows."""

    path: str
    message: str
    line: int | None = None
    where: str | None = None

    def __str__(self) -> str:
        location = self.path if self.line is None else f"{self.path}:{self.line}"
        subject = f" {self.where}:" if self.where else ""
        return f"{location}:{subject} {self.message}"


class _Collector:
    """The problems found so far, and where things are written in the file.

    The lines of every `id = "..."` and every `[[...]]` header are indexed once, so finding an
    item's line costs the same for the 10th item as for the 10,000th.
    """

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.file_format = 1
        self._id_lines: dict[str, list[int]] = {}
        self._headers: list[int] = []
        for number, line in enumerate(self.lines, start=1):
            match = _ID_LINE.match(line)
            if match:
                self._id_lines.setdefault(match.group(1), []).append(number)
            elif line.lstrip().startswith("[["):
                self._headers.append(number)

    def id_line(self, value: str, nth: int = 1) -> int | None:
        """The line of the `nth` `id = "value"` in the file, so problems can point at it."""
        found = self._id_lines.get(value, [])
        return found[nth - 1] if len(found) >= nth else None

    def key_line(self, item_line: int | None, table: str, key: str | None = None) -> int | None:
        """The line where the item starting near `item_line` sets `table` (or `table.key`).

        Understands the three ways TOML writes it: `fix_for.ios = ...`, an inline table
        `fix_for = { ios = ... }` and a sub-table `[sections.items.fix_for]`. Falls back to the
        item's line when the key cannot be found.
        """
        if item_line is None:
            return None
        at = bisect_right(self._headers, item_line)
        start = self._headers[at - 1] if at else 1
        end = self._headers[at] if at < len(self._headers) else len(self.lines) + 1
        name = re.escape(table)
        wanted = r"[\"']?" + re.escape(key) + r"[\"']?\s*[.=]" if key else None
        in_table = False
        for number in range(start, end):
            line = self.lines[number - 1].strip()
            if line.startswith("["):
                in_table = re.fullmatch(rf"\[\s*sections\.items\.{name}\s*\]", line) is not None
                if in_table and wanted is None:
                    return number
                continue
            if wanted is None:
                if re.match(rf"{name}\s*[.=]", line):
                    return number
                continue
            if re.match(rf"{name}\s*\.\s*{wanted}", line):
                return number
            if in_table and re.match(wanted, line):
                return number
            if re.match(rf"{name}\s*=\s*\{{", line) and re.search(rf"[{{,]\s*{wanted}", line):
                return number
        return item_line

    def add(self, message: str, *, where: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, message, line, where))


def _text(
    table: dict[str, Any], key: str, c: _Collector, where: str, line: int | None, required: bool
) -> str:
    value = table.get(key)
    if value is None:
        if required:
            c.add(f"missing '{key}'", where=where, line=line)
        return ""
    if not isinstance(value, str):
        c.add(f"'{key}' must be text", where=where, line=line)
        return ""
    if required and not value.strip():
        c.add(f"'{key}' is empty", where=where, line=line)
    _plain_text(value, key, c, where, line)
    return value.strip()


def _plain_text(value: str, key: str, c: _Collector, where: str, line: int | None) -> None:
    """Checklist text is shown on terminals: an escape sequence in it could rewrite the screen."""
    char = first_control_character(value, allowed="\n\t")
    if char is not None:
        c.add(
            f"'{key}' contains the control character {describe_character(char)}; use plain text",
            where=where,
            line=line,
        )


def _text_list(
    table: dict[str, Any], key: str, c: _Collector, where: str, line: int | None
) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        c.add(f"'{key}' must be a list of text", where=where, line=line)
        return ()
    for entry in value:
        _plain_text(entry, key, c, where, line)
    return tuple(v.strip() for v in value)


def _check_replaced(raw_sections: list[Any], ids: dict[str, str], c: _Collector) -> None:
    """An id an item `replaces` is an old one: no item of this checklist has it, and only one
    item replaces it."""
    replaced_by: dict[str, str] = {}
    for raw_section in raw_sections:
        raw_items = raw_section.get("items", []) if isinstance(raw_section, dict) else []
        for raw in raw_items if isinstance(raw_items, list) else []:
            olds = raw.get("replaces", []) if isinstance(raw, dict) else []
            item_id = raw.get("id")
            if not isinstance(olds, list) or not isinstance(item_id, str):
                continue
            where, line = f"item '{item_id}'", c.id_line(item_id)
            for old in (o for o in olds if isinstance(o, str)):
                if old in ids:
                    c.add(
                        f"'replaces' names '{old}', which is still in use", where=where, line=line
                    )
                elif old in replaced_by:
                    c.add(
                        f"'replaces' names '{old}', which '{replaced_by[old]}' already replaces",
                        where=where,
                        line=line,
                    )
                else:
                    replaced_by[old] = item_id


def _unknown_keys(
    table: dict[str, Any], allowed: set[str], c: _Collector, where: str, line: int | None
) -> None:
    for key in table:
        if key not in allowed:
            c.add(
                f"unknown key '{key}' (expected one of: {', '.join(sorted(allowed))})",
                where=where,
                line=line,
            )


def _parse_answers(
    raw: dict[str, Any], c: _Collector, where: str, line: int | None
) -> tuple[AnswerOption, ...]:
    answers = raw.get("answers")
    if answers is None:
        c.add("missing 'answers'", where=where, line=line)
        return ()
    if not isinstance(answers, dict) or not answers:
        c.add("'answers' must be a table of answer = status", where=where, line=line)
        return ()
    labels = raw.get("labels", {})
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        c.add("'labels' must be a table of answer = text", where=where, line=line)
        labels = {}
    for label in labels.values():
        _plain_text(label, "labels", c, where, line)
    for key in labels:
        if key not in answers:
            c.add(f"label given for answer '{key}', which the item does not offer", where=where)
    statuses = ", ".join(s.value for s in AnswerStatus)
    options: list[AnswerOption] = []
    for key, status in answers.items():
        if not KEY_PATTERN.match(key):
            c.add(f"answer key '{key}' must be lower-case letters, digits or _", where=where)
            continue
        try:
            parsed = AnswerStatus(status)
        except ValueError:
            c.add(
                f"answer '{key}' maps to unknown status '{status}' (use one of: {statuses})",
                where=where,
                line=line,
            )
            continue
        options.append(AnswerOption(key, labels.get(key, default_label(key)), parsed))
    if options and not any(o.status is AnswerStatus.PASS for o in options):
        c.add("no answer maps to 'pass', so the item can never be passed", where=where, line=line)
    return tuple(options)


def _parse_item(raw: Any, section_id: str, index: int, c: _Collector) -> Item | None:
    where = f"item {index} of section '{section_id}'"
    if not isinstance(raw, dict):
        c.add("each item must be a table ([[sections.items]])", where=where)
        return None
    item_id = raw.get("id")
    line = None
    if isinstance(item_id, str) and item_id:
        where = f"item '{item_id}'"
        line = c.id_line(item_id)
        if not ID_PATTERN.match(item_id):
            c.add(
                "id must be lower-case words joined by dots or dashes, e.g. 'device.screen-lock'",
                where=where,
                line=line,
            )
    else:
        c.add("missing 'id'", where=where)
    _unknown_keys(raw, ITEM_KEYS, c, where, line)

    scope_raw = raw.get("scope")
    scope: Scope | None = None
    try:
        scope = Scope(str(scope_raw))
    except ValueError:
        shown = "missing" if scope_raw is None else f"unknown scope '{scope_raw}'"
        c.add(f"{shown} (use person, device or account)", where=where, line=line)

    severity_raw = raw.get("severity")
    severity: Severity | None = None
    try:
        severity = Severity(str(severity_raw))
    except ValueError:
        shown = "missing severity" if severity_raw is None else f"unknown severity '{severity_raw}'"
        c.add(f"{shown} (use critical, high, medium or low)", where=where, line=line)

    weight = raw.get("weight")
    if weight is None:
        c.add("missing 'weight'", where=where, line=line)
    elif isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0:
        c.add(f"weight must be a whole number above 0, not {weight!r}", where=where, line=line)
        weight = None

    question = _text(raw, "question", c, where, line, required=True)
    why = _text(raw, "why", c, where, line, required=True)
    fix = _text(raw, "fix", c, where, line, required=True)
    source = _text(raw, "source", c, where, line, required=False)
    current = _text(raw, "current", c, where, line, required=False)
    references = _text_list(raw, "references", c, where, line)
    platforms = tuple(p.lower() for p in _text_list(raw, "platforms", c, where, line))
    device_kinds = _text_list(raw, "device_kinds", c, where, line)
    for kind in device_kinds:
        if kind not in DEVICE_KINDS:
            c.add(
                f"unknown device kind '{kind}' (use {', '.join(DEVICE_KINDS)})",
                where=where,
                line=line,
            )
    if platforms and scope is not Scope.ACCOUNT:
        c.add("'platforms' only applies to account items", where=where, line=line)
    if device_kinds and scope is not Scope.DEVICE:
        c.add("'device_kinds' only applies to device items", where=where, line=line)
    answers = _parse_answers(raw, c, where, line)
    applies_to = _applies_to(raw, scope, c, where, line)
    fix_variants, fix_sources = _variants(raw, "fix_for", scope, c, where, line)
    why_variants, _ = _variants(raw, "why_for", scope, c, where, line)
    action = _action(raw, c, where, line)
    minutes = _minutes(raw, c, where, line)
    replaces = _text_list(raw, "replaces", c, where, line)
    for old_id in replaces:
        if not ID_PATTERN.match(old_id):
            c.add(f"'replaces' names '{old_id}', which is not an item id", where=where, line=line)

    if not (isinstance(item_id, str) and item_id and scope and severity and weight and answers):
        return None
    return Item(
        id=item_id,
        scope=scope,
        question=question,
        why=why,
        fix=fix,
        source=source,
        severity=severity,
        weight=weight,
        answers=answers,
        section_id=section_id,
        current=current,
        references=references,
        platforms=platforms,
        device_kinds=device_kinds,
        applies_to=applies_to,
        fix_variants=fix_variants,
        why_variants=why_variants,
        action=action,
        minutes=minutes,
        replaces=replaces,
        fix_sources=fix_sources,
    )


def _subject_keys(scope: Scope | None) -> tuple[str, str] | None:
    """(what the keys are called, the allowed keys as a readable list) for a scope."""
    if scope is Scope.DEVICE:
        return (
            "device kind or system",
            f"{', '.join(DEVICE_KINDS)}; or {', '.join(DEVICE_SYSTEMS)}",
        )
    if scope is Scope.ACCOUNT:
        providers = [p for p in EMAIL_PROVIDERS if p not in ACCOUNT_PLATFORMS]
        return (
            "account platform or e-mail provider",
            f"{', '.join(ACCOUNT_PLATFORMS)}; or {', '.join(providers)}",
        )
    return None


def _allowed(scope: Scope | None) -> tuple[str, ...]:
    return DEVICE_KEYS if scope is Scope.DEVICE else ACCOUNT_KEYS


def _applies_to(
    raw: dict[str, Any], scope: Scope | None, c: _Collector, where: str, line: int | None
) -> tuple[str, ...]:
    if "applies_to" not in raw:
        return ()
    at = c.key_line(line, "applies_to")
    value = raw["applies_to"]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        c.add(
            '\'applies_to\' must be a list of text, e.g. ["laptop", "desktop"]',
            where=where,
            line=at,
        )
        return ()
    named = _subject_keys(scope)
    if named is None:
        if scope is Scope.PERSON:
            c.add("'applies_to' only applies to device and account items", where=where, line=at)
        return ()
    keys = tuple(v.strip().lower() for v in value)
    for key in keys:
        if key not in _allowed(scope):
            c.add(
                f"unknown {named[0]} '{key}' in 'applies_to' (use {named[1]})",
                where=where,
                line=at,
            )
    return keys


def _variants(
    raw: dict[str, Any],
    table: str,
    scope: Scope | None,
    c: _Collector,
    where: str,
    line: int | None,
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, StepSource], ...]]:
    """`fix_for` / `why_for`: a table from a device system or kind (or an account platform or
    e-mail provider) to the text for it. A `fix_for` step may instead be a table of its `text`,
    the `source` it follows and the date it was `checked` (required in format 3)."""
    if table not in raw:
        return (), ()
    value = raw[table]
    if not isinstance(value, dict) or not value:
        c.add(
            f"'{table}' must be a table of text, e.g. {table}.ios = \"...\"",
            where=where,
            line=c.key_line(line, table),
        )
        return (), ()
    named = _subject_keys(scope)
    if named is None:
        if scope is Scope.PERSON:
            c.add(
                f"'{table}' only applies to device and account items",
                where=where,
                line=c.key_line(line, table),
            )
        return (), ()
    pairs: list[tuple[str, str]] = []
    sources: list[tuple[str, StepSource]] = []
    for raw_key, entry in value.items():
        key = raw_key.strip().lower()
        at = c.key_line(line, table, raw_key)
        if key not in _allowed(scope):
            c.add(
                f"unknown {named[0]} '{raw_key}' in '{table}' (use {named[1]})",
                where=where,
                line=at,
            )
            continue
        text = entry
        if isinstance(entry, dict) and table == "fix_for":
            text = entry.get("text")
            for extra in sorted(set(entry) - STEP_KEYS):
                c.add(
                    f"'{table}.{raw_key}' has an unknown key '{extra}' "
                    f"(a step has {', '.join(sorted(STEP_KEYS))})",
                    where=where,
                    line=at,
                )
            found, problems = step_source(entry)
            for problem in problems:
                c.add(f"'{table}.{raw_key}': {problem}", where=where, line=at)
            if found is not None:
                sources.append((key, found))
        elif table == "fix_for" and c.file_format >= SOURCED_FORMAT:
            c.add(
                f"'{table}.{raw_key}' must name its source and the date it was checked "
                f"(format {SOURCED_FORMAT}): write {table}.{raw_key}.text, "
                f"{table}.{raw_key}.source and {table}.{raw_key}.checked",
                where=where,
                line=at,
            )
        if not isinstance(text, str) or not text.strip():
            c.add(f"'{table}.{raw_key}' must be text, and not empty", where=where, line=at)
            continue
        _plain_text(text, f"{table}.{raw_key}", c, where, at)
        pairs.append((key, text.strip()))
    return tuple(pairs), tuple(sources)


def _action(raw: dict[str, Any], c: _Collector, where: str, line: int | None) -> str:
    if "action" not in raw:
        return ""
    at = c.key_line(line, "action")
    action = _text(raw, "action", c, where, at, required=True)
    if "\n" in action or len(action) > ACTION_MAX:
        c.add(
            f"'action' must be one short line ({ACTION_MAX} characters at most), "
            'e.g. "Turn on a screen lock"',
            where=where,
            line=at,
        )
    leftover = action.replace("{subject}", "")
    if "{" in leftover or "}" in leftover:
        c.add(
            "'action' may name its device or account only as {subject}, "
            'e.g. "Make {subject} lock itself"',
            where=where,
            line=at,
        )
    return action


def _minutes(raw: dict[str, Any], c: _Collector, where: str, line: int | None) -> int | None:
    if "minutes" not in raw:
        return None
    value = raw["minutes"]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MINUTES_MAX:
        c.add(
            f"'minutes' must be a whole number from 1 to {MINUTES_MAX}, not {value!r}",
            where=where,
            line=c.key_line(line, "minutes"),
        )
        return None
    return value


def _parse_section(raw: Any, index: int, c: _Collector) -> Section | None:
    where = f"section {index}"
    if not isinstance(raw, dict):
        c.add("each section must be a table ([[sections]])", where=where)
        return None
    section_id = raw.get("id")
    line = None
    if isinstance(section_id, str) and section_id:
        where = f"section '{section_id}'"
        line = c.id_line(section_id)
        if not ID_PATTERN.match(section_id):
            c.add("id must be lower-case words joined by dots or dashes", where=where, line=line)
    else:
        c.add("missing 'id'", where=where)
        section_id = f"#{index}"
    _unknown_keys(raw, SECTION_KEYS, c, where, line)
    title = _text(raw, "title", c, where, line, required=True)
    intro = _text(raw, "intro", c, where, line, required=False)
    raw_items = raw.get("items", [])
    if not isinstance(raw_items, list) or not raw_items:
        c.add("has no items ([[sections.items]])", where=where, line=line)
        raw_items = []
    items = [_parse_item(r, section_id, i, c) for i, r in enumerate(raw_items, start=1)]
    kept = tuple(i for i in items if i is not None)
    if len(kept) != len(items) or not kept:
        return None
    return Section(id=section_id, title=title, items=kept, intro=intro)


def check_checklist(path: Path) -> tuple[Checklist | None, list[Problem]]:
    """Parse and validate; returns the checklist (when there is no problem) and every problem."""
    shown = str(path)
    try:
        text = read_checklist_file(path)
    except ChecklistError as error:
        return None, [Problem(shown, error.message)]
    return check_checklist_text(text, shown, path)


def read_checklist_file(path: Path) -> str:
    """The file's text, read with a size limit; ChecklistError saying what is wrong with it."""
    try:
        return read_bytes_at_most(path).decode("utf-8")
    except FileNotFoundError:
        raise ChecklistError("file not found") from None
    except IsADirectoryError:
        raise ChecklistError("is a folder, not a checklist file") from None
    except UnicodeDecodeError:
        raise ChecklistError("is not UTF-8 text") from None
    except FileTooLargeError:
        raise ChecklistError(too_large_text()) from None
    except OSError as exc:
        raise ChecklistError(f"cannot be read ({exc.strerror})") from None


def check_checklist_text(
    text: str, shown: str, path: Path | None = None
) -> tuple[Checklist | None, list[Problem]]:
    """Like check_checklist, for text already read (e.g. the copy saved with an audit)."""
    c = _Collector(shown, text)
    try:
        data = parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(match.group(1)) if match else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return None, [Problem(shown, f"not valid TOML: {reason}", line)]

    _unknown_keys(data, TOP_KEYS, c, "checklist", None)
    checklist_id = _text(data, "id", c, "checklist", None, required=True)
    title = _text(data, "title", c, "checklist", None, required=True)
    version = data.get("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version.strip():
        c.add("missing 'version' (text such as \"1.0\")", where="checklist")
        version = ""
    _plain_text(version, "version", c, "checklist", None)
    file_format = data.get("format", 1)
    if (
        not isinstance(file_format, int)
        or isinstance(file_format, bool)
        or file_format not in FORMATS
    ):
        names = [str(f) for f in FORMATS]
        readable = ", ".join(names[:-1]) + " and " + names[-1]
        c.add(
            f"format {file_format!r} is not one this nutsec reads (it reads formats {readable}); "
            "a newer nutsec may read it",
            where="checklist",
            line=_top_line(c, "format"),
        )
        file_format = 1
    c.file_format = file_format
    description = _text(data, "description", c, "checklist", None, required=False)
    source = _text(data, "source", c, "checklist", None, required=False)
    raw_sections = data.get("sections", [])
    if not isinstance(raw_sections, list) or not raw_sections:
        c.add("has no sections ([[sections]])", where="checklist")
        raw_sections = []
    sections = [_parse_section(r, i, c) for i, r in enumerate(raw_sections, start=1)]

    seen: dict[str, str] = {}
    for raw_section in raw_sections:
        if not isinstance(raw_section, dict):
            continue
        ids = [("section", raw_section.get("id"))]
        raw_items = raw_section.get("items", [])
        if isinstance(raw_items, list):
            ids += [("item", i.get("id")) for i in raw_items if isinstance(i, dict)]
        for kind, value in ids:
            if not isinstance(value, str) or not value:
                continue
            if value in seen:
                c.add(
                    f"duplicate id: a {seen[value]} already uses '{value}'",
                    where=f"{kind} '{value}'",
                    line=c.id_line(value, 2),
                )
            else:
                seen[value] = kind
    _check_replaced(raw_sections, seen, c)

    if c.problems:
        return None, c.problems
    kept = tuple(s for s in sections if s is not None)
    checklist = Checklist(
        id=checklist_id,
        title=title,
        version=version.strip(),
        sections=kept,
        description=description,
        source=source,
        path=path,
        format=file_format,
    )
    return checklist, []


def _top_line(c: _Collector, key: str) -> int | None:
    """The line of a top-level key (written before the first [[sections]])."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(c.lines, start=1):
        if line.lstrip().startswith("["):
            return None
        if pattern.match(line):
            return number
    return None


def load_checklist(path: Path) -> Checklist:
    """The checklist at `path`, or ChecklistError listing every problem in it."""
    return _or_raise(str(path), *check_checklist(path))


def load_checklist_text(text: str, origin: str) -> Checklist:
    """A checklist from TOML text; `origin` names it in error messages."""
    return _or_raise(origin, *check_checklist_text(text, origin))


def _or_raise(shown: str, checklist: Checklist | None, problems: list[Problem]) -> Checklist:
    if checklist is None:
        noun = "problem" if len(problems) == 1 else "problems"
        raise ChecklistError(
            f"{shown} is not a usable checklist ({len(problems)} {noun}).",
            details=tuple(str(p) for p in problems),
        )
    return checklist
