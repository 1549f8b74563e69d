"""`nutsec audit`: the guided audit, interactive or from an answers file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.cli.console import suggested
from nutsec.cli.options import HibpCorpus, HibpUrl, Offline, Plain
from nutsec.errors import EXIT_INTERRUPTED, NutsecError

if TYPE_CHECKING:
    from rich.console import Console

    from nutsec.audit.answers_file import AnswersFile
    from nutsec.audit.outcomes import Question
    from nutsec.audit.sitting import Sitting
    from nutsec.audit_data import Audit
    from nutsec.breach.model import BreachSource
    from nutsec.checklist.catalog import ChecklistCatalog
    from nutsec.checklist.model import Checklist
    from nutsec.cli.keys import KeyInput
    from nutsec.scoring import AuditScore


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)


def audit(
    checklist: Annotated[
        str | None,
        typer.Option(
            "--checklist",
            metavar="NAME|PATH",
            help="Which checklist to use [default: nut-social-media].",
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Take the answers from a file you wrote (TOML) instead of asking.",
        ),
    ] = None,
    resume: Annotated[
        str | None,
        typer.Option(
            "--resume",
            metavar="ID|latest",
            help="Carry on with an unfinished audit (an ID from 'nutsec history').",
        ),
    ] = None,
    revisit: Annotated[
        str | None,
        typer.Option(
            "--revisit",
            metavar="ID|latest",
            help="Reopen a finished audit: answer what you skipped, or change any answer.",
        ),
    ] = None,
    offline: Offline = False,
    hibp_url: HibpUrl = None,
    hibp_corpus: HibpCorpus = None,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="Do not keep this audit once it is finished.")
    ] = False,
    plain: Plain = False,
) -> None:
    """Check your account security one question at a time, then see your score.

    First you list the devices you use (and what they run) and your accounts; nutsec offers
    to check each password (hidden as you type, never saved) and then does not ask what it
    checked. Then come the questions about you, then each device, then each account: only
    those that fit. Press ? at any question to see why it matters and what to do on that
    device. Every answer is saved at once: press q, Ctrl-C or Ctrl-D to stop, and carry on
    later.

    \b
    Examples:
      nutsec audit                     start your audit, or carry on with it
      nutsec audit --resume latest     carry on where you stopped
      nutsec audit --revisit latest    answer what you skipped, or change answers
      nutsec audit --plain --offline   plain text, no network
      nutsec audit --answers me.toml   answers from a file (docs/answers-file.md)
    """
    from nutsec.breach.sources import build_breach_source
    from nutsec.checklist.catalog import ChecklistCatalog
    from nutsec.cli.console import make_console, plain_wanted
    from nutsec.paths import data_dir

    plain = plain_wanted(plain)
    console = make_console(plain)
    data = data_dir()
    catalog = ChecklistCatalog.standard(data)
    modes = {"--answers": answers, "--resume": resume, "--revisit": revisit}
    chosen = [name for name, value in modes.items() if value is not None]
    if len(chosen) > 1:
        raise NutsecError(f"Use only one of {' and '.join(chosen)}: they do different things.")
    if revisit is not None and no_save:
        raise NutsecError("--revisit changes an audit you kept, so --no-save cannot go with it.")
    if answers is not None:
        scripted = _read_scripted(answers, checklist, catalog)
        source = build_breach_source(offline=offline, hibp_url=hibp_url, hibp_corpus=hibp_corpus)
        try:
            _run_scripted(console, scripted, source, data, no_save)
        finally:
            source.close()
        return
    source = build_breach_source(offline=offline, hibp_url=hibp_url, hibp_corpus=hibp_corpus)
    try:
        if revisit is not None:
            _run_revisit(console, plain, revisit, source, data)
        else:
            _run_interactive(console, plain, catalog, checklist, resume, source, data, no_save)
    finally:
        source.close()


#: How the person can stop: q (a choice, exit 0) or an interruption (exit 130, answers saved).
_INTERRUPTIONS = (KeyboardInterrupt, EOFError)


def _load_checklist(catalog: ChecklistCatalog, name: str) -> tuple[Checklist, str]:
    """The checklist and its text (the store keeps the text, so old audits re-read the same)."""
    from nutsec.checklist.catalog import load_for_audit

    return load_for_audit(catalog, name)


# Scripted ---------------------------------------------------------------------------------------


def _read_scripted(
    path: Path, checklist: str | None, catalog: ChecklistCatalog
) -> tuple[AnswersFile, Checklist, str]:
    from nutsec.audit.answers_file import check_against, read_answers_file
    from nutsec.checklist.catalog import DEFAULT_CHECKLIST

    answers = read_answers_file(path)
    try:
        named = checklist or _beside(path, answers.checklist) or DEFAULT_CHECKLIST
        loaded, text = _load_checklist(catalog, named)
        check_against(answers, loaded)
    except BaseException:
        answers.wipe_passwords()
        raise
    return answers, loaded, text


def _beside(answers_path: Path, name: str | None) -> str | None:
    """A relative checklist path inside an answers file is read next to that file, not the cwd."""
    if name is None or not (name.endswith(".toml") or "/" in name or "\\" in name):
        return name
    given = Path(name).expanduser()
    return name if given.is_absolute() else str(answers_path.parent / given)


def _run_scripted(
    console: Console,
    scripted: tuple[AnswersFile, Checklist, str],
    source: BreachSource,
    data: Path,
    no_save: bool,
) -> None:
    from nutsec.audit.outcomes import score
    from nutsec.audit.session import save_finished_audit, scripted_audit
    from nutsec.audit.sitting import key_is_kept, open_key, reuse_checker
    from nutsec.cli.console import make_console
    from nutsec.store.sqlite import open_store

    answers, checklist, text = scripted
    try:
        # Opened first: a data folder that cannot be used stops the run before any look-up.
        store = None if no_save else open_store(data)
    except BaseException:
        answers.wipe_passwords()
        raise
    try:
        if answers.has_passwords:
            from rich.markup import escape

            from nutsec.cli.layout import print_indented
            from nutsec.safe_text import without_controls

            print_indented(
                make_console(True, stderr=True),
                f"Note: {escape(without_controls(answers.shown))} holds passwords. nutsec "
                "checked them and kept none of them. Delete the file now, or keep it somewhere "
                "only you can open.",
                indent=0,
            )
        key = open_key(keep=store is not None and answers.has_passwords)
        if key.why_not_kept is not None:
            print_note(
                make_console(True, stderr=True),
                f"Note: {key.in_short}, so nutsec cannot tell whether these passwords are the "
                "ones of your earlier audits. Why, and what to do: nutsec config keyring-status",
            )
        checker = reuse_checker(source, lambda: key)
        prints = store if key.kept else None
        audit = scripted_audit(answers, checklist, checker, datetime.now(UTC), prints)
        if store is not None:
            kept = {a.name: checker.fingerprints(a.name) for a in audit.accounts}
            audit = save_finished_audit(
                store,
                audit,
                text,
                prints,
                {k: v for k, v in kept.items() if v is not None},
                # No lock is held while a file's passwords are checked: if `history --forget`
                # ran meanwhile, the key is gone and so are these fingerprints.
                still_the_key=lambda: key_is_kept(key),
            )
    finally:
        if store is not None:
            store.close()
    show_summary(console, audit, score(audit), saved=not no_save)


# Interactive ------------------------------------------------------------------------------------


def _run_interactive(
    console: Console,
    plain: bool,
    catalog: ChecklistCatalog,
    checklist: str | None,
    resume: str | None,
    source: BreachSource,
    data: Path,
    no_save: bool,
) -> None:
    from nutsec.audit.sitting import Sitting
    from nutsec.checklist.catalog import DEFAULT_CHECKLIST
    from nutsec.cli.audit_prompts import InteractiveAudit, ask_yes_no, welcome
    from nutsec.cli.keys import KeyInput, StopInput
    from nutsec.report.view import show_date
    from nutsec.store.sqlite import open_store

    keys = KeyInput(console)
    keep = not no_save
    with open_store(data) as store:
        sitting: Sitting | None = None
        try:
            if resume is not None:
                audit_id = store.resolve(resume, finished=False)
                sitting = Sitting.resume(store, source, audit_id, keep=keep)
            else:
                waiting = store.unfinished()
                if waiting and ask_yes_no(
                    console,
                    keys,
                    f"You have an unfinished audit: number {waiting[0].id}, started "
                    f"{show_date(waiting[0].created_at)}. Carry on with it?",
                    yes="yes, carry on where you stopped",
                    no=f"no, start a new audit (audit {waiting[0].id} is kept: carry on with "
                    f"it later with '{suggested('audit', '--resume', str(waiting[0].id))}')",
                ):
                    sitting = Sitting.resume(store, source, waiting[0].id, keep=keep)
            if sitting is None:
                loaded, text = _load_checklist(catalog, checklist or DEFAULT_CHECKLIST)
                welcome(console, loaded)
                sitting = Sitting.start(store, source, loaded, text, keep=keep)
            else:
                from nutsec.audit.walk import progress_phrase

                walk = sitting.session.walk
                console.print(
                    f"Welcome back. Carrying on with audit {sitting.audit_id}: "
                    + progress_phrase(walk.questions, walk.answers, walk.essentials)
                )
            here = sitting
            driver = InteractiveAudit(
                console, keys, here.session, plain, lambda: _keyring_note(here), sitting=here
            )
            finished = driver.run()
        except (*_INTERRUPTIONS, StopInput):
            # Ctrl-C, Ctrl-D or a closed terminal: everything answered is already saved.
            _stopped(sitting, interrupted=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        if not finished:
            if driver.later:
                _later(console, sitting)
            else:
                _stopped(sitting, interrupted=False)
            return
        audit, result = sitting.finish()
        show_summary(console, audit, result, saved=keep, asked=sitting.session.walk.questions)
        show_unchecked(console, sitting, saved=keep)


def _run_revisit(console: Console, plain: bool, ref: str, source: BreachSource, data: Path) -> None:
    """A finished audit reopened: the skipped questions, or every answer; scored afresh."""
    from nutsec.audit.sitting import Sitting
    from nutsec.cli.audit_prompts import InteractiveAudit, ask_choice
    from nutsec.cli.keys import KeyInput, StopInput
    from nutsec.store.sqlite import open_store

    keys = KeyInput(console)
    with open_store(data) as store:
        audit_id = store.resolve(ref, finished=True)
        sitting = Sitting.revisit(store, source, audit_id, only_unanswered=False)
        walk = sitting.session.walk
        skipped = walk.unanswered_count
        console.print(
            f"Audit {audit_id}: you answered {walk.answered_count} of {len(walk.questions)} "
            f"questions{f' and skipped {skipped}' if skipped else ''}."
        )
        try:
            options = {}
            if skipped:
                options["s"] = f"only the {skipped} skipped"
            options["a"] = "all of them, one by one (your answers are shown)"
            options["l"] = "pick one from a list of every question and its answer"
            chosen = ask_choice(console, keys, "Which questions shall we go through?", options)
            if chosen == "s":
                sitting = Sitting.revisit(store, source, audit_id, only_unanswered=True)
            elif chosen == "l":
                pick_question(console, keys, sitting)
            finished = InteractiveAudit(console, keys, sitting.session, plain).run()
        except (*_INTERRUPTIONS, StopInput):
            sitting.stop()
            sys.stderr.write(f"\nStopped. Your changes so far are saved. {_new_score(sitting)}\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        if not finished:
            sitting.stop()
            console.print(f"Stopped. Your changes so far are saved. {_new_score(sitting)}")
            return
        audit, result = sitting.finish()
        show_summary(console, audit, result, saved=True, asked=sitting.session.walk.questions)
        console.print(_new_score(sitting))
        show_unchecked(console, sitting, saved=True)


def _new_score(sitting: Sitting) -> str:
    """The end of a revisit: the audit's new score and the change."""
    from nutsec.report.view import score_phrase

    result = sitting.session.score()
    shown = score_phrase(result.overall if result.possible else None, result.band)
    change = sitting.score_change(result)
    return f"Audit {sitting.audit_id}'s score is now {shown}" + (f", {change}." if change else ".")


def pick_question(console: Console, keys: KeyInput, sitting: Sitting) -> None:
    """A numbered list of every question with its answer; the one picked is shown next."""
    from rich.markup import escape

    rows = sitting.session.walk.contents()
    for row in rows:
        where = row.subject or "You"
        answer = row.answer or "skipped"
        console.print(
            f"  {row.number:>2}. {escape(where)} ({escape(answer)}): {escape(row.question)}",
            no_wrap=True,
            overflow="ellipsis",
        )
    while True:
        text = keys.line(f"Type a number from 1 to {len(rows)}: ")
        if text.isdigit() and 1 <= int(text) <= len(rows):
            sitting.session.go_to(rows[int(text) - 1].key)
            return
        console.print("Please type one of the numbers shown.")


def _later(console: Console, sitting: Sitting) -> None:
    """ "Another day" at the break: the essentials' score is kept; how to carry on and print."""
    sitting.stop()
    if not sitting.keep:
        console.print("Stopped. Nothing was kept (--no-save).")
        return
    number = str(sitting.audit_id)
    console.print(f"Saved as audit {number}. Carry on with the other questions any time with:")
    console.print(f"  {escape_text(suggested('audit', '--resume', number))}", soft_wrap=True)
    console.print("The steps for each thing to do are in the report to print:")
    console.print(f"  {escape_text(suggested(*report_hint(number)))}", soft_wrap=True)


def escape_text(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def report_hint(audit: str = "latest") -> tuple[str, ...]:
    """The command that writes the report to print, the name ready to edit."""
    return ("report", audit, "--format", "html", "--name", "Your name", "-o", "report.html")


def show_unchecked(console: Console, sitting: Sitting, *, saved: bool) -> None:
    """The end lists accounts whose password is still not checked, and how to check them."""
    unchecked = sitting.session.unchecked_accounts()
    if not unchecked:
        return
    names = ", ".join(a.name for a in unchecked)
    noun = "password" if len(unchecked) == 1 else "passwords"
    line = f"Not checked yet: the {noun} of {names}."
    if saved:
        again = suggested("audit", "--revisit", str(sitting.audit_id))
        line += f" To check, press c at their password questions: {again}"
    console.print(escape_text(line), soft_wrap=True)


def _stopped(sitting: Sitting | None, *, interrupted: bool) -> None:
    """Tell the person their answers are safe and how to carry on (or that nothing was kept)."""
    out = sys.stderr if interrupted else sys.stdout
    if sitting is None:
        out.write("\nStopped. Nothing new was saved.\n")
        return
    sitting.stop()
    if not sitting.keep:
        out.write("\nStopped. Nothing was kept (--no-save).\n")
    else:
        out.write(
            f"\nStopped. Your answers so far are saved. Carry on any time with:\n"
            f"  {suggested('audit', '--resume', str(sitting.audit_id))}\n"
        )


# The history key ------------------------------------------------------------------------------


def _keyring_note(sitting: Sitting) -> str | None:
    """The note to show at the password step, as far as is known now (see `Sitting`)."""
    from nutsec.audit.sitting import keyring_note

    if sitting.keyring_reason() is None:
        return None
    return keyring_note(details=f"'{suggested('config', 'keyring-status')}'")


def print_note(console: Console, text: str) -> None:
    from rich.markup import escape

    from nutsec.cli.layout import print_indented

    print_indented(console, escape(text), indent=0)


# Summary ----------------------------------------------------------------------------------------


def show_summary(
    console: Console,
    audit: Audit,
    result: AuditScore,
    *,
    saved: bool,
    asked: Sequence[Question] | None = None,
) -> None:
    """Score, band, the three actions to start with (one line each) and the report command:
    short enough to fit one 80x24 screen with nothing scrolled away."""
    from rich.markup import escape

    from nutsec.actions import prioritise_actions
    from nutsec.audit.outcomes import asked_questions, audit_outcomes
    from nutsec.cli.audit_prompts import show_start_here
    from nutsec.cli.layout import print_indented
    from nutsec.report.view import coverage_phrase, nothing_to_fix_phrase

    if asked is None:
        asked = asked_questions(audit.checklist, audit.devices, audit.accounts, audit.passwords)
    from nutsec.report.view import score_phrase

    console.print()
    scored = result.possible > 0
    shown = score_phrase(result.overall if scored else None, result.band)
    console.print(f"[bold]Your score: {escape(shown)}[/]")
    if result.critical_failures and result.capped:
        console.print("A critical item failed, so the band cannot be better than this.")
    print_indented(console, escape(answered_line(audit, asked)), indent=0)
    if any(q.key not in audit.answers for q in asked) and saved:
        again = audit.id if audit.id is not None else "latest"
        console.print(
            f"Answer skipped questions later with: {suggested('audit', '--revisit', str(again))}"
        )
    outcomes = [outcome for _, outcome in audit_outcomes(audit)]
    statuses = [outcome.status for outcome in outcomes]
    reuse_unknown = sum(
        1 for o in outcomes if o.item_id == "password.reused" and o.status.value == "unknown"
    )
    # Only what could not be checked: the answered count above is the audit's own.
    unchecked = coverage_phrase(
        [s for s in statuses if s.value != "skipped"], reuse_unknown=reuse_unknown
    )
    if unchecked:
        print_indented(console, escape(unchecked), indent=0)
    if prioritise_actions(audit):
        # One line each, worded by nutsec.actions for this subject: the end fits 80x24.
        show_start_here(console, audit)
    else:
        console.print(nothing_to_fix_phrase(statuses), no_wrap=True, overflow="ellipsis")
    if not saved:
        console.print("Nothing was saved (--no-save).")
        return
    console.print(f"Saved as audit {audit.id}. The steps for each are in the report to print:")
    # A command is never broken across lines: it must copy and paste whole.
    console.print(f"  {escape(suggested(*report_hint()))}", soft_wrap=True)


def answered_line(audit: Audit, asked: Sequence[Question]) -> str:
    """'You answered X of Y questions.' Y is the count the welcome and each question gave."""
    answered = sum(1 for q in asked if q.key in audit.answers)
    noun = "question" if len(asked) == 1 else "questions"
    line = f"You answered {answered} of {len(asked)} {noun}."
    skipped = len(asked) - answered
    if skipped == 1:
        line += " The other one is not in the score."
    elif skipped:
        line += f" The other {skipped} are not in the score."
    return line
