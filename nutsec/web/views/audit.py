"""The audit's pages: inventory, passwords, one question at a time, contents, the end.

Only drawing and reading forms happens here: the walk, the session and the sitting (nutsec.audit)
decide what comes next, what is saved and what finishing does, exactly as for the terminal.
Every change is a POST answered with a 303 to a GET page (post/redirect/get), so a reload or the
browser's history never sends a form, or a password, again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Blueprint, Response, current_app, redirect, request

from nutsec.audit_data import Account, Device
from nutsec.errors import NutsecError
from nutsec.web.templating import page
from nutsec.words import and_list

if TYPE_CHECKING:
    from nutsec.audit.sitting import Sitting
    from nutsec.audit.walk import Step
    from nutsec.audit_data import PasswordFindings
    from nutsec.web.state import WebState

bp = Blueprint("audit", __name__, url_prefix="/audit")

#: Longer names are refused: they are for the person to recognise, not essays.
NAME_LIMIT = 40
#: A user name beside an account, likewise.
USERNAME_LIMIT = 80
Entry = TypeVar("Entry", Device, Account)
Reply = Response | str


@dataclass
class _Memory:
    """What the audit pages remember between requests, for the one person using the server.
    Never a password: only which notes were said and a line for the next page."""

    told_keyring: set[int] = field(default_factory=set)
    message: str = ""
    problem: str = ""
    #: The account checked last on the passwords page (its verdict is shown at the top).
    checked: str = ""

    def said(self) -> tuple[str, str]:
        message, problem = self.message, self.problem
        self.message = self.problem = ""
        return message, problem


def _memory() -> _Memory:
    memory = current_app.extensions.get("nutsec_audit_pages")
    if memory is None:
        memory = current_app.extensions["nutsec_audit_pages"] = _Memory()
    return memory


def _state() -> WebState:
    return current_app.extensions["nutsec_state"]  # type: ignore[no-any-return]


def _see(path: str) -> Response:
    return redirect(path, code=303)  # type: ignore[return-value]


def _render(name: str, **context: Any) -> str:
    message, problem = _memory().said()
    return page(f"audit/{name}", message=message, problem=problem, **context)


def _form(name: str) -> str:
    return request.form.get(name, "").strip()


# Starting, carrying on, stopping ----------------------------------------------------------------


@bp.get("")
def hub() -> Reply:
    """Start a new audit, carry on the unfinished one, or change an answer in a finished one."""
    from nutsec.audit.walk import Walk, progress_phrase
    from nutsec.report.view import show_day

    state = _state()
    sitting = state.sitting
    if sitting is not None:
        walk = sitting.session.walk
        return _render(
            "hub.html.j2",
            open=sitting,
            progress=progress_phrase(walk.questions, walk.answers, walk.essentials),
            revisit=walk.revisit,
            skipped=0,
            unfinished=None,
            finished=None,
        )
    store = state.store()
    waiting = store.unfinished()
    finished = [s for s in store.history() if s.finished_at is not None]
    unfinished = None
    if waiting:
        audit = store.load(waiting[0].id)
        walk = Walk(
            audit.checklist,
            audit.devices,
            audit.accounts,
            dict(audit.answers),
            passwords=dict(audit.passwords),
        )
        progress = progress_phrase(walk.questions, walk.answers, walk.essentials)
        unfinished = (waiting[0], progress if walk.questions else "", show_day(audit.created_at))
    skipped = 0
    if finished:
        from nutsec.audit.outcomes import asked_questions

        done = store.load(finished[-1].id)
        asked = asked_questions(done.checklist, done.devices, done.accounts, done.passwords)
        skipped = sum(1 for q in asked if q.key not in done.answers)
    done_at = finished[-1].finished_at if finished else None
    return _render(
        "hub.html.j2",
        open=None,
        skipped=skipped,
        progress="",
        revisit=False,
        unfinished=unfinished,
        finished=finished[-1] if finished else None,
        finished_day=show_day(done_at) if done_at is not None else "",
    )


def _open(make: Callable[[], Sitting]) -> Response:
    """Leave any audit open here, then open another (its lock held until it stops)."""
    state = _state()
    _close_sitting(state)
    try:
        state.sitting = make()
    except NutsecError as error:
        _memory().problem = error.message
        return _see("/audit")
    return _see("/audit/step")


@bp.post("/start")
def start() -> Response:
    from nutsec.audit.sitting import Sitting
    from nutsec.checklist.catalog import DEFAULT_CHECKLIST, ChecklistCatalog, load_for_audit

    state = _state()

    def make() -> Sitting:
        catalog = ChecklistCatalog.standard(state.config.data_dir)
        checklist, text = load_for_audit(catalog, DEFAULT_CHECKLIST)
        return Sitting.start(state.store(), state.source(), checklist, text)

    return _open(make)


def _audit_id() -> int | None:
    text = _form("audit_id")
    return int(text) if text.isdigit() else None


@bp.post("/resume")
def resume() -> Response:
    from nutsec.audit.sitting import Sitting

    state = _state()
    audit_id = _audit_id()
    if audit_id is None:
        return _see("/audit")
    return _open(lambda: Sitting.resume(state.store(), state.source(), audit_id))


@bp.post("/revisit")
def revisit() -> Response:
    from nutsec.audit.sitting import Sitting

    state = _state()
    audit_id = _audit_id()
    if audit_id is None:
        return _see("/audit")
    only = _form("which") == "skipped"
    return _open(
        lambda: Sitting.revisit(state.store(), state.source(), audit_id, only_unanswered=only)
    )


@bp.post("/stop")
def stop() -> Response:
    state = _state()
    sitting = state.sitting
    if sitting is not None:
        revisit = sitting.session.walk.revisit
        _close_sitting(state)
        _memory().message = (
            f"Stopped. Your changes are saved, and audit {sitting.audit_id}'s score follows them."
            if revisit
            else f"Stopped. Your answers so far are saved. Carry on with audit "
            f"{sitting.audit_id} any time with the Carry on button below."
        )
    return _see("/audit")


def _close_sitting(state: WebState) -> None:
    sitting = state.sitting
    if sitting is None:
        return
    state.sitting = None
    try:
        sitting.stop()
    finally:
        sitting.store.release(sitting.audit_id)


def _sitting() -> Sitting | None:
    return _state().sitting


# The step on screen ------------------------------------------------------------------------------


@bp.get("/step")
def step() -> Reply:
    from nutsec.audit.walk import StepKind

    sitting = _sitting()
    if sitting is None:
        return _see("/audit")
    here = sitting.session.walk.current
    if here.kind is StepKind.DEVICES:
        return _devices_page(sitting)
    if here.kind is StepKind.ACCOUNTS:
        return _accounts_page(sitting)
    if here.kind is StepKind.PASSWORD:
        return _password_page(sitting, here)
    if here.kind is StepKind.QUESTION:
        return _question_page(sitting, here)
    if here.kind is StepKind.BREAK:
        return _break_page(sitting)
    return _render("ready.html.j2", sitting=sitting, walk=sitting.session.walk)


def _break_page(sitting: Sitting) -> str:
    """The essentials are done: their score, the three things to start with, then the rest of
    the questions now or another day (the terminal's break, from the same core)."""
    from nutsec.actions import Audience, prioritise_actions
    from nutsec.audit.sitting import essentials_lines

    audit, result = sitting.essentials_result()
    walk = sitting.session.walk
    return _render(
        "break.html.j2",
        walk=walk,
        lines=essentials_lines(audit, result, walk.essentials_count, walk.remaining_count),
        actions=prioritise_actions(audit, Audience.BROWSER)[:3],
        more=walk.remaining_count,
        minutes=walk.remaining_minutes,
    )


@bp.post("/step")
def step_post() -> Response:
    """A question's answer, Skip, Back, Continue (inventory and password steps) or Finish.
    The form names the step it was drawn for: an older page (the browser's Back) answers the
    question it showed, not the one the walk has moved on to."""
    from nutsec.audit.walk import StepKind

    sitting = _sitting()
    if sitting is None:
        return _see("/audit")
    session = sitting.session
    shown = _form("step")
    if shown and shown != session.walk.position:
        try:
            session.go_to(shown)
        except ValueError:
            return _see("/audit/step")  # that step is gone (a password check answered it)
    do = _form("do")
    if do.startswith("answer:"):
        if session.walk.current.question is None:
            return _see("/audit/step")
        try:
            session.answer(do.removeprefix("answer:"))
        except ValueError:
            return _see("/audit/step")
    elif do == "skip":
        session.skip()
    elif do == "back":
        session.back()
    elif do == "another_day" and session.walk.current.kind is StepKind.BREAK:
        _state().sitting = None
        try:
            sitting.another_day()  # saved; carrying on starts at the first of the rest
        finally:
            sitting.store.release(sitting.audit_id)
        _memory().message = (
            "Saved. Come back any time: the rest of the questions start where you stopped."
        )
        return _see("/audit")
    elif do == "next" and session.walk.current.kind is StepKind.BREAK:
        sitting.carry_on()
    elif do == "next" and session.walk.current.kind is not StepKind.QUESTION:
        session.next()
    if session.walk.finished and do != "back":
        return _finish(sitting)  # the last question answered: the end page
    return _see("/audit/step")


def _finish(sitting: Sitting) -> Response:
    state = _state()
    try:
        sitting.finish()
    finally:
        state.sitting = None
        sitting.store.release(sitting.audit_id)
    return _see(f"/audit/end/{sitting.audit_id}")


# Questions --------------------------------------------------------------------------------------


def _question_page(sitting: Sitting, here: Step) -> str:
    from nutsec.advice import fix_text, why_text
    from nutsec.audit.outcomes import MEASURED_BY, STRENGTH_ANSWERS
    from nutsec.inventory_labels import describe_account, describe_device

    question = here.question
    progress = here.progress
    assert question is not None and progress is not None  # nosec B101  # narrowing for mypy
    item, subject = question.item, here.subject
    if subject is None:
        where = f"About you: {progress.section_title}"
    elif isinstance(subject, Device):
        where = describe_device(subject)
    else:
        where = describe_account(subject)
    check = ""
    walk = sitting.session.walk
    if isinstance(subject, Account) and item.id in MEASURED_BY:
        names = [a.name for a in walk.accounts]
        check = str(names.index(subject.name)) if subject.name in names else ""
    elif subject is None and item.id in STRENGTH_ANSWERS:
        check = "*"
    earlier = walk.answer_for(question)
    earlier_option = item.answer(earlier) if earlier is not None else None
    return _render(
        "question.html.j2",
        step=here,
        progress=progress,
        item=item,
        where=where,
        why=why_text(item, subject),
        fix=fix_text(item, subject),
        earlier=earlier_option,
        check=check,
        check_note=walk.check_note(question),
        accounts=walk.accounts,
        revisit=walk.revisit,
        first=walk.index == 0,
    )


# Contents ---------------------------------------------------------------------------------------


@bp.get("/contents")
def contents() -> Reply:
    """Every question with its answer, grouped as the walk asks them, each a button to go to."""
    from nutsec.audit.walk import StepKind
    from nutsec.inventory_labels import describe_account, describe_device

    sitting = _sitting()
    if sitting is None:
        return _see("/audit")
    walk = sitting.session.walk
    reached = walk.index
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for index, each in enumerate(walk.steps):
        if each.kind is StepKind.DONE:
            continue
        progress = each.progress
        if each.kind is StepKind.QUESTION and each.question is not None and progress is not None:
            subject = each.subject
            if subject is None:
                group = f"About you: {progress.section_title}"
            elif isinstance(subject, Device):
                group = describe_device(subject)
            else:
                group = describe_account(subject)
            answer = walk.answer_for(each.question)
            option = each.question.item.answer(answer) if answer is not None else None
            if option is not None:
                said = f"Your answer: {option.label}"
            elif index == reached:
                said = ""  # "where you are" says it
            elif index < reached or walk.revisit:
                said = "Skipped"
            else:
                said = "Not asked yet"
            label = each.question.item.question
            number: int | None = progress.number
        elif each.kind is StepKind.PASSWORD:
            group = "Your passwords"
            findings = sitting.session.passwords.get(each.account or "")
            said = _headline(findings) if findings is not None else "Not checked"
            label = f"Check the password of {each.account}"
            number = None
        else:
            group = "Your devices and accounts"
            label = "Your devices" if each.kind is StepKind.DEVICES else "Your accounts"
            said = ""
            number = None
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append(
            {
                "key": each.key,
                "label": label,
                "said": said,
                "number": number,
                "here": each is walk.current,
            }
        )
    return _render("contents.html.j2", groups=groups, walk=walk)


@bp.post("/contents")
def contents_post() -> Response:
    sitting = _sitting()
    if sitting is None:
        return _see("/audit")
    try:
        sitting.session.go_to(_form("go"))
    except ValueError:
        return _see("/audit/contents")
    return _see("/audit/step")


# Inventory --------------------------------------------------------------------------------------


def device_choices() -> list[tuple[str, str]]:
    """(value, label) for the one "What is it?" list: each kind and system the terminal offers,
    with "Something else" as one line per kind (the terminal asks the kind next)."""
    from nutsec.audit_data import DEVICE_KINDS
    from nutsec.inventory_labels import DEVICE_CHOICES

    choices = [
        (f"{kind}:{system}", label) for label, kind, system in DEVICE_CHOICES.values() if kind
    ]
    names = {
        "phone": "phone",
        "tablet": "tablet",
        "laptop": "laptop",
        "desktop": "desktop computer",
    }
    choices += [(f"{kind}:other", f"Another {names.get(kind, kind)}") for kind in DEVICE_KINDS]
    return choices


def platform_choices() -> list[tuple[str, str]]:
    from nutsec.audit_data import PLATFORMS
    from nutsec.inventory_labels import PLATFORM_MENU

    return [(key, PLATFORM_MENU.get(key, label)) for key, label in PLATFORMS.items()]


def account_choices() -> list[tuple[str, str]]:
    """(value, label) for the one-press buttons: each e-mail provider, then each platform."""
    from nutsec.inventory_labels import ACCOUNT_CHOICES

    return [(value, label) for value, (label, *_) in ACCOUNT_CHOICES.items()]


def provider_choices() -> list[tuple[str, str]]:
    from nutsec.inventory_labels import PROVIDER_CHOICES

    return list(PROVIDER_CHOICES.values())


def _devices_page(sitting: Sitting) -> str:
    from nutsec.inventory_labels import describe_device

    walk = sitting.session.walk
    return _render(
        "devices.html.j2",
        step=walk.current,
        devices=[(d, describe_device(d)) for d in walk.devices],
        choices=device_choices(),
        limit=NAME_LIMIT,
        first=walk.index == 0,
    )


def _accounts_page(sitting: Sitting) -> str:
    from nutsec.inventory_labels import describe_account

    walk = sitting.session.walk
    return _render(
        "accounts.html.j2",
        step=walk.current,
        accounts=[(a, describe_account(a)) for a in walk.accounts],
        choices=account_choices(),
        limit=NAME_LIMIT,
    )


def _new_name(text: str, existing: tuple[Entry, ...], noun: str, *, keep: str = "") -> str | None:
    """The name typed, or None with the reason kept for the page."""
    memory = _memory()
    if not text:
        memory.problem = f"Please type a name for the {noun}."
        return None
    if len(text) > NAME_LIMIT:
        memory.problem = (
            f"That name is {len(text)} characters long. Please use {NAME_LIMIT} or fewer: "
            'a short name you will recognise, like "Work phone".'
        )
        return None
    if any(e.name.casefold() == text.casefold() and e.name != keep for e in existing):
        memory.problem = f'You already have one called "{text}". Please choose another name.'
        return None
    return text


def _index(text: str, entries: tuple[Entry, ...]) -> int | None:
    return int(text) if text.isdigit() and int(text) < len(entries) else None


def _edit(
    entries: tuple[Entry, ...],
    noun: str,
    build: Callable[[str], Entry | None],
    rename: Callable[[Entry, str, int], Entry],
    default: Callable[[list[str]], str | None],
) -> tuple[Entry, ...] | None:
    """Add, remove or rename, from the form's `do`; the new list, or None when unchanged. An
    entry added with one press and no name typed gets `default`'s name ("Android phone")."""
    do = _form("do")
    memory = _memory()
    if do == "add":
        typed = _form("name")
        fallback = None if typed else default([e.name for e in entries])
        if not typed and fallback is None:
            memory.problem = f"Please press the button that says what kind of {noun} it is."
            return None
        name = _new_name(typed or fallback or "", entries, noun)
        entry = build(name) if name is not None else None
        if entry is None:
            return None
        memory.message = f"Added {entry.name}."
        added = list(entries)
        added.append(entry)
        return tuple(added)
    if do.startswith("remove:"):
        index = _index(do.removeprefix("remove:"), entries)
        if index is None:
            return None
        memory.message = f"Removed {entries[index].name}."
        kept = list(entries)
        del kept[index]
        return tuple(kept)
    if do.startswith("rename:"):
        index = _index(do.removeprefix("rename:"), entries)
        if index is None:
            return None
        old = entries[index]
        name = _new_name(_form(f"name-{index}"), entries, noun, keep=old.name)
        if name is None:
            return None
        changed = rename(old, name, index)
        if changed == old:
            return None
        memory.message = f"Renamed {old.name} to {name}." if name != old.name else f"Saved {name}."
        renamed = list(entries)
        renamed[index] = changed
        return tuple(renamed)
    return None


def _inventory_post(kind: str) -> Response:
    from dataclasses import replace

    from nutsec.audit.walk import StepKind

    sitting = _sitting()
    if sitting is None:
        return _see("/audit")
    session = sitting.session
    wanted = StepKind.DEVICES if kind == "devices" else StepKind.ACCOUNTS
    if session.walk.current.kind is not wanted:
        session.go_to(session.walk.steps[0 if kind == "devices" else 1].key)
    do = _form("do")
    if do in ("next", "back"):
        if do == "next":
            session.next()
        else:
            session.back()
        return _see("/audit/step")
    if kind == "devices":
        devices = _edit(
            session.walk.devices,
            "device",
            _device_from_form,
            lambda d, n, _: replace(d, name=n),
            _device_default,
        )
        if devices is not None:
            session.set_devices(devices)
    else:
        accounts = _edit(
            session.walk.accounts,
            "account",
            _account_from_form,
            _account_changed,
            _account_default,
        )
        if accounts is not None:
            session.set_accounts(accounts)
    return _see("/audit/step")


@bp.post("/devices")
def devices_post() -> Response:
    return _inventory_post("devices")


@bp.post("/accounts")
def accounts_post() -> Response:
    return _inventory_post("accounts")


def _device_from_form(name: str) -> Device | None:
    chosen = _form("what")
    if chosen not in dict(device_choices()):
        _memory().problem = f"Please choose what {name} is from the list."
        return None
    kind, system = chosen.split(":", 1)
    return Device(name, kind, system)


def _device_default(taken: list[str]) -> str | None:
    from nutsec.inventory_labels import default_device_name

    chosen = _form("what")
    if chosen not in dict(device_choices()):
        return None
    kind, system = chosen.split(":", 1)
    return default_device_name(kind, system, taken)


def _account_default(taken: list[str]) -> str | None:
    from nutsec.inventory_labels import ACCOUNT_CHOICES, default_account_name

    choice = _form("choice")
    return default_account_name(choice, taken) if choice in ACCOUNT_CHOICES else None


def _account_changed(account: Account, name: str, index: int) -> Account:
    """A new name, and the user name from the same form (kept as it was when too long)."""
    from dataclasses import replace

    username = request.form.get(f"username-{index}")
    if username is None:
        return replace(account, name=name)
    username = username.strip()
    if len(username) > USERNAME_LIMIT:
        _memory().problem = (
            f"That user name is too long. Please use {USERNAME_LIMIT} characters or fewer."
        )
        return replace(account, name=name)
    return replace(account, name=name, username=username)


def _account_from_form(name: str) -> Account | None:
    from nutsec.inventory_labels import ACCOUNT_CHOICES

    memory = _memory()
    choice = _form("choice")
    if choice:
        if choice not in ACCOUNT_CHOICES:
            memory.problem = f"Please choose what kind of account {name} is from the list."
            return None
        _, platform, provider, _ = ACCOUNT_CHOICES[choice]
        return Account(name, platform, "", provider)
    platform = _form("platform")
    if platform not in dict(platform_choices()):
        memory.problem = f"Please choose what kind of account {name} is from the list."
        return None
    provider = ""
    if platform == "email":
        provider = _form("provider") or "other"
        if provider not in {p for p, _ in provider_choices()}:
            provider = "other"
    username = _form("username")
    if len(username) > USERNAME_LIMIT:
        memory.problem = (
            f"That user name is too long. Please use {USERNAME_LIMIT} characters or fewer."
        )
        return None
    return Account(name, platform, username, provider)


# Passwords --------------------------------------------------------------------------------------


def _headline(findings: PasswordFindings) -> str:
    from nutsec.verdict import judge_findings

    return judge_findings(findings).headline


def verdict_view(
    findings: PasswordFindings,
    *,
    others: bool,
    two_step_on: bool | None = None,
    two_step_to_ask: bool = False,
) -> dict[str, Any]:
    """What the page says about one checked password (the terminal says the same); `others`:
    other passwords were checked too (so "not reused" means something); `two_step_on`: the
    person said the account asks for a second step (so the advice does not say to turn it on)."""
    from nutsec.verdict import judge_findings, reuse_line, unchanged_line

    verdict = judge_findings(findings, two_step_on=two_step_on, two_step_to_ask=two_step_to_ask)
    reuse = reuse_line(
        findings.reused_with,
        findings.similar_to,
        reuse_unknown=findings.reuse_unknown is not None,
        others=others,
    )
    return {
        "level": verdict.level,
        "headline": verdict.headline,
        "breach": verdict.breach_line,
        "reuse": reuse,
        "unchanged": unchanged_line(findings.unchanged_since),
        "advice": verdict.advice,
        "crack_time": findings.strength.crack_time,
    }


def _verdict(
    sitting: Sitting, account: str, findings: PasswordFindings | None
) -> dict[str, Any] | None:
    if findings is None:
        return None
    session = sitting.session
    return verdict_view(
        findings,
        others=len(session.passwords) > 1,
        two_step_on=session.walk.two_step_on(account),
        two_step_to_ask=session.walk.two_step_to_ask(account),
    )


def _keyring_note(sitting: Sitting) -> str:
    """The note about the reuse key, once per audit (and only when it applies)."""
    from nutsec.audit.sitting import keyring_note

    memory = _memory()
    if sitting.audit_id in memory.told_keyring:
        return ""
    if sitting.keyring_reason() is None:
        return ""
    memory.told_keyring.add(sitting.audit_id)
    return keyring_note(details=None)


def _compare_context(sitting: Sitting) -> dict[str, Any]:
    """The offer to type again the passwords checked before a stop, when one checked now could
    not be compared with them (no safe keyring): the core's line, and a field for each."""
    from nutsec.inventory_labels import describe_account

    line = sitting.compare_line()
    if line is None:
        return {"compare": None, "compare_with": []}
    earlier = [(n, describe_account(a)) for n, a in enumerate(sitting.not_compared())]
    return {"compare": line, "compare_with": earlier}


def _compare_again(sitting: Sitting) -> None:
    """Check again each earlier password typed into the offer (none is kept); say what the
    password checked now is like, compared with them all."""
    from nutsec.secret import Secret

    earlier = sitting.not_compared()
    typed = 0
    for number, account in enumerate(earlier):
        text = request.form.get(f"again-{number}", "")
        if not text:
            continue
        secret = Secret(text)
        del text
        sitting.session.check_password(account, secret)
        typed += 1
    memory = _memory()
    if not typed:
        memory.problem = "Nothing was typed, so nothing was compared."
        return
    left = len(sitting.not_compared())
    memory.message = (
        "Compared them all: what nutsec found is brought up to date below."
        if not left
        else "Compared those you typed: what nutsec found is brought up to date below. "
        f"{left} left empty could not be compared."
    )


def _password_page(sitting: Sitting, here: Step) -> str:
    """Every password step in a row on one page: one field per account not yet checked, one
    button, and the verdict of each one checked (the terminal asks them one at a time)."""
    from nutsec.audit.walk import AGAIN_PREFIX
    from nutsec.inventory_labels import describe_account

    walk = sitting.session.walk
    accounts = {a.name: a for a in walk.accounts}
    rows: list[dict[str, Any]] = []
    # The same advice for a second account is not written out again: "as for Work e-mail".
    seen: dict[tuple[str, ...], str] = {}
    for number, step in enumerate(walk.password_run):
        account = accounts[step.account or ""]
        verdict = _verdict(sitting, account.name, sitting.session.passwords.get(account.name))
        advice = tuple(verdict["advice"]) if verdict else ()
        rows.append(
            {
                "number": number,
                "account": account,
                "described": describe_account(account),
                "verdict": verdict,
                "same_as": seen.get(advice, "") if advice else "",
            }
        )
        if advice:
            seen.setdefault(advice, account.name)
    return _render(
        "password.html.j2",
        step=here,
        rows=rows,
        unchecked=[row for row in rows if row["verdict"] is None],
        again=here.key.startswith(AGAIN_PREFIX),
        note=_keyring_note(sitting),
        **_compare_context(sitting),
    )


def _check(sitting: Sitting, account_name: str, field: str = "password") -> bool | None:
    """Check the password typed for `account_name` in `field` (read once from the POST body,
    wrapped at once, wiped by the check); False when nothing was typed, None for no account."""
    from nutsec.secret import Secret

    session = sitting.session
    account = next((a for a in session.walk.accounts if a.name == account_name), None)
    typed = request.form.get(field, "")
    if account is None:
        return None
    if not typed:
        return False
    secret = Secret(typed)
    del typed
    # The step on screen stays; if the check answers the question on screen, go on to the next.
    keys = [s.key for s in session.walk.steps]
    after = keys[session.walk.index :]
    session.check_password(account, secret)
    present = {s.key for s in session.walk.steps}
    if after and after[0] not in present:
        following = next((k for k in after if k in present), None)
        if following is not None:
            session.go_to(following)
    return True


def _check_and_say(sitting: Sitting, checks: Sequence[tuple[str, str]]) -> int:
    """Check each (account, form field) typed; say what the checks answered, or that nothing was
    typed. How many were checked."""
    from nutsec.audit.sitting import checked_line

    before = list(sitting.session.walk.questions)
    done = sum(1 for account, field in checks if _check(sitting, account, field))
    if not done:
        _memory().problem = "Nothing was typed, so nothing was checked."
        return 0
    line = checked_line(before, sitting.session.walk.questions, checks=done)
    if line:
        _memory().message = line
    return done


@bp.post("/password")
def password_post() -> Response:
    """The password steps: check those typed (then stay, to show the verdicts) or go on."""
    sitting = _sitting()
    if sitting is None:
        return _see("/audit")
    session = sitting.session
    shown = _form("step")
    if shown and shown != session.walk.position:
        try:
            session.go_to(shown)
        except ValueError:
            return _see("/audit/step")
    do = _form("do")
    run = session.walk.password_run
    if do == "compare":
        _compare_again(sitting)
    elif do == "check":
        fields = [(step.account or "", f"password-{n}") for n, step in enumerate(run)]
        if "password" in request.form and run:  # an older page: one account, one field
            fields = [(run[0].account or "", "password")]
        _check_and_say(sitting, fields)
    elif do == "next":
        unchecked = [s.account for s in run if s.account and s.account not in session.passwords]
        session.past_passwords()
        if len(unchecked) == 1:
            _memory().message = (
                f"{unchecked[0]}'s password is not checked. Check it any time from \"My "
                "accounts' passwords\" at the foot of the page, or from its questions."
            )
        elif unchecked:
            _memory().message = (
                f"The passwords of {and_list(unchecked)} are not checked. Check them any time "
                'from "My accounts\' passwords" at the foot of the page, or from their questions.'
            )
    elif do == "back":
        session.back()
    return _see("/audit/step")


@bp.get("/passwords")
def passwords() -> Reply:
    """Every account's password, checkable at any time; the verdicts of those checked."""
    from nutsec.inventory_labels import describe_account

    sitting = _sitting()
    if sitting is None:
        return _see("/audit")
    session = sitting.session
    rows = []
    for number, account in enumerate(session.walk.accounts):
        findings = session.passwords.get(account.name)
        rows.append(
            {
                "number": number,
                "account": account,
                "described": describe_account(account),
                "verdict": _verdict(sitting, account.name, findings),
            }
        )
    checked = _memory().checked
    _memory().checked = ""
    return _render(
        "passwords.html.j2",
        rows=rows,
        checked=checked,
        note=_keyring_note(sitting),
        back=request.args.get("from", "") == "step",
        **_compare_context(sitting),
    )


@bp.post("/passwords")
def passwords_post() -> Response:
    sitting = _sitting()
    if sitting is None:
        return _see("/audit")
    if _form("do") == "compare":
        _compare_again(sitting)
        return _see("/audit/passwords")
    name = _form("account")
    number = next((i for i, a in enumerate(sitting.session.walk.accounts) if a.name == name), None)
    if number is None:
        return _see("/audit/passwords")
    if _check_and_say(sitting, [(name, "password")]):
        _memory().checked = name
    return _see(f"/audit/passwords#account-{number}")


# The end ----------------------------------------------------------------------------------------


@bp.get("/end/<int:audit_id>")
def end(audit_id: int) -> Reply:
    """Score, band, the three things to start with, and where to go next."""
    from nutsec.actions import Audience, prioritise_actions
    from nutsec.audit.outcomes import asked_questions, score

    store = _state().store()
    try:
        audit = store.load(audit_id)
    except NutsecError as error:
        _memory().problem = error.message
        return _see("/audit")
    result = score(audit)
    asked = asked_questions(audit.checklist, audit.devices, audit.accounts, audit.passwords)
    answered = sum(1 for q in asked if q.key in audit.answers)
    return _render(
        "end.html.j2",
        audit_id=audit_id,
        result=result,
        answered=answered,
        asked=len(asked),
        actions=prioritise_actions(audit, Audience.BROWSER)[:3],
        finished=audit.finished_at is not None,
        unchecked=and_list([a.name for a in audit.accounts if a.name not in audit.passwords]),
        several=sum(1 for a in audit.accounts if a.name not in audit.passwords) > 1,
    )
