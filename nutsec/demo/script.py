"""`nutsec demo` as data and results: the made-up person, the narration, what nutsec finds.

The person is an ordinary answers file (sam.toml) and the narration is script.toml, so a trainer
can reword the demo without touching Python. Everything on screen that is a finding (strength,
reuse, score, actions, the lost-device card) comes from the same engine a real audit uses. Nothing
here opens the store or the network: the caller passes the breach source.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any

from nutsec.audit.answers_file import AnswersFile, check_against, parse_answers
from nutsec.audit.outcomes import score
from nutsec.audit.password_step import PasswordChecker
from nutsec.audit.session import scripted_audit
from nutsec.audit_data import Audit
from nutsec.breach.model import BreachSource, OfflineSource
from nutsec.checklist.catalog import DEFAULT_CHECKLIST, ChecklistCatalog, shipped_dir
from nutsec.checklist.model import Checklist, Item, Scope
from nutsec.errors import NutsecError
from nutsec.report.model import Report, build_report
from nutsec.safe_text import describe_character, first_control_character
from nutsec.scoring import AuditScore
from nutsec.verdict import Verdict, judge_password

PERSON_FILE = "sam.toml"
SCRIPT_FILE = "script.toml"
SHOWN_PERSON = f"nutsec/demo/{PERSON_FILE}"
SHOWN_SCRIPT = f"nutsec/demo/{SCRIPT_FILE}"

#: The scenes, in the order they are shown; script.toml must narrate each one.
SCENES = (
    "welcome",
    "inventory",
    "questions",
    "passwords",
    "reuse",
    "score",
    "actions",
    "lost-device",
    "try-it",
)

#: The demo never looks anything up: breach checks say so, and are never counted as safe.
DEMO_BREACH_REASON = "demo: offline"


@dataclass(frozen=True)
class Scene:
    id: str
    title: str
    say: tuple[str, ...]
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShownQuestion:
    """A question the demo shows, with the made-up person's answer to it."""

    item: Item
    subject: str | None
    answer_label: str


@dataclass(frozen=True)
class TeachingPassword:
    """A made-up example password from sam.toml, shown on screen on purpose.

    Not a Secret: it is teaching material (PRODUCT.md, `nutsec demo`). The copy the engine checks
    is wrapped in a Secret by the answers-file reader like any other and wiped after the check.
    """

    account: str
    text: str


@dataclass(frozen=True)
class DemoScript:
    person: str
    about: str
    scenes: tuple[Scene, ...]
    questions: tuple[tuple[str, str | None], ...]  # (item id, subject)

    def scene(self, scene_id: str) -> Scene:
        return next(s for s in self.scenes if s.id == scene_id)


@dataclass(frozen=True)
class DemoPerson:
    """The made-up person as an answers file, its checklist, and the example passwords to show."""

    answers: AnswersFile
    checklist: Checklist
    examples: tuple[TeachingPassword, ...]


@dataclass(frozen=True)
class DemoRun:
    """What the engine made of the demo person: the audit, its score and its report."""

    script: DemoScript
    audit: Audit
    score: AuditScore
    report: Report
    examples: tuple[TeachingPassword, ...]
    questions: tuple[ShownQuestion, ...]


def demo_checklist() -> Checklist:
    """The shipped default checklist (never a user's own: the demo is the same everywhere)."""
    return ChecklistCatalog([(shipped_dir(), True)]).load(DEFAULT_CHECKLIST)


def read_package_file(name: str) -> str:
    return (resources.files("nutsec.demo") / name).read_text("utf-8")


def load_demo_person(text: str, checklist: Checklist, shown: str = SHOWN_PERSON) -> DemoPerson:
    """Parse the person's answers file and check it against `checklist` (AnswersError if not)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NutsecError(f"{shown}: not valid TOML ({exc}).") from None
    # Copied before parse_answers takes the passwords out of `data` and wraps them.
    examples = tuple(
        TeachingPassword(str(entry.get("name", "")).strip(), entry["password"])
        for entry in data.get("accounts", [])
        if isinstance(entry, dict) and isinstance(entry.get("password"), str) and entry["password"]
    )
    answers = parse_answers(data, shown)
    try:
        check_against(answers, checklist)
    except BaseException:
        answers.wipe_passwords()
        raise
    return DemoPerson(answers, checklist, examples)


def load_demo_script(text: str, checklist: Checklist, shown: str = SHOWN_SCRIPT) -> DemoScript:
    """Parse and check the narration: every scene present, questions that exist in the checklist."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NutsecError(f"{shown}: not valid TOML ({exc}).") from None
    problems: list[str] = []
    _no_unknown(raw, {"person", "about", "scenes", "questions"}, "the file", problems)
    person = _text(raw, "person", "person", problems)
    about = _text(raw, "about", "about", problems)
    scenes_raw = raw.get("scenes")
    if not isinstance(scenes_raw, dict):
        scenes_raw = {}
        problems.append("'scenes' must be a table with one [scenes.NAME] per scene")
    scenes = []
    for scene_id in SCENES:
        entry = scenes_raw.get(scene_id)
        where = f"scenes.{scene_id}"
        if not isinstance(entry, dict):
            problems.append(f"'{where}' is missing")
            continue
        _no_unknown(entry, {"title", "say", "after"}, f"'{where}'", problems)
        scenes.append(
            Scene(
                scene_id,
                _text(entry, "title", f"{where}.title", problems),
                _paragraphs(entry, "say", f"{where}.say", problems, required=True),
                _paragraphs(entry, "after", f"{where}.after", problems, required=False),
            )
        )
    for extra in sorted(set(scenes_raw) - set(SCENES)):
        problems.append(f"'scenes.{extra}' is not a scene ({', '.join(SCENES)})")
    questions = _questions(raw.get("questions"), checklist, problems)
    if problems:
        raise NutsecError(
            f"{shown}: the demo script has {len(problems)} problem(s).", details=tuple(problems)
        )
    return DemoScript(person, about, tuple(scenes), questions)


def run_demo(
    script: DemoScript,
    person: DemoPerson,
    now: datetime,
    source: BreachSource | None = None,
) -> DemoRun:
    """The demo person's audit through the real engine; nothing is stored, nothing looked up.

    The person's passwords are checked (strength, reuse, breach via `source`, by default one that
    looks nothing up) and wiped, exactly as in a scripted audit.
    """
    checker = PasswordChecker(source or OfflineSource(DEMO_BREACH_REASON))
    audit = scripted_audit(person.answers, person.checklist, checker, now)  # wipes the passwords
    questions = tuple(_shown_question(audit, item, subject) for item, subject in script.questions)
    return DemoRun(script, audit, score(audit), build_report(audit), person.examples, questions)


def shipped_demo(now: datetime, source: BreachSource | None = None) -> DemoRun:
    """The demo as shipped: Sam, the narration, the default checklist."""
    checklist = demo_checklist()
    script = load_demo_script(read_package_file(SCRIPT_FILE), checklist)
    person = load_demo_person(read_package_file(PERSON_FILE), checklist)
    return run_demo(script, person, now, source)


# Checking ---------------------------------------------------------------------------------------


def _shown_question(audit: Audit, item_id: str, subject: str | None) -> ShownQuestion:
    item = audit.checklist.item(item_id)
    key = audit.answers.get((item_id, subject))
    option = item.answer(key) if item is not None and key is not None else None
    if item is None or option is None:
        where = f"'{item_id}'" + (f' for "{subject}"' if subject else "")
        raise NutsecError(f"{SHOWN_SCRIPT}: question {where} has no answer in {SHOWN_PERSON}.")
    return ShownQuestion(item, subject, option.label)


def _questions(
    raw: Any, checklist: Checklist, problems: list[str]
) -> tuple[tuple[str, str | None], ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(q, dict) for q in raw):
        problems.append("'questions' must list at least one [[questions]] table")
        return ()
    result: list[tuple[str, str | None]] = []
    for index, entry in enumerate(raw, start=1):
        where = f"questions[{index}]"
        _no_unknown(entry, {"item", "subject"}, f"'{where}'", problems)
        item_id = entry.get("item")
        subject = entry.get("subject")
        item = checklist.item(item_id) if isinstance(item_id, str) else None
        if item is None:
            problems.append(f"'{where}': unknown item {item_id!r} (not in '{checklist.id}')")
            continue
        if (item.scope is Scope.PERSON) != (subject is None) or not (
            subject is None or isinstance(subject, str)
        ):
            need = "no subject" if item.scope is Scope.PERSON else f"the {item.scope.value}'s name"
            problems.append(f"'{where}': item '{item.id}' needs {need} as 'subject'")
            continue
        result.append((item.id, subject))
    return tuple(result)


def _no_unknown(entry: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(entry) - allowed):
        problems.append(f"{where}: unknown key '{key}' (expected {', '.join(sorted(allowed))})")


def _text(entry: dict[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"'{where}' must be non-empty text")
        return ""
    _plain(value, where, problems)
    return value.strip()


def _paragraphs(
    entry: dict[str, Any], key: str, where: str, problems: list[str], *, required: bool
) -> tuple[str, ...]:
    value = entry.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        problems.append(f"'{where}' must be a list of paragraphs (non-empty text)")
        return ()
    if required and not value:
        problems.append(f"'{where}' must have at least one paragraph")
    for paragraph in value:
        _plain(paragraph, where, problems)
    return tuple(p.rstrip() for p in value)


def _plain(value: str, where: str, problems: list[str]) -> None:
    """The narration goes to a projector: an escape sequence in it could rewrite the screen."""
    char = first_control_character(value)
    if char is not None:
        problems.append(f"'{where}' contains the control character {describe_character(char)}")


def example_verdict(run: DemoRun, example: TeachingPassword) -> Verdict | None:
    """What a check of this teaching password says, as a live check shows it (one password on
    its own), knowing what the demo person said of the account's two-step sign-in; None when
    it was not checked. Both front-ends show this one."""
    from nutsec.advice import said_two_step_on

    findings = run.audit.passwords.get(example.account)
    if findings is None:
        return None
    on = said_two_step_on(run.audit.checklist, run.audit.answers, example.account)
    return judge_password(findings.strength, findings.breach, two_step_on=on)
