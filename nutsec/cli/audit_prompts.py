"""The interactive audit: one step on screen at a time, one key to answer, saved as it goes.

The walk (nutsec.audit.walk) decides what comes next; this module only shows steps and reads
keys through nutsec.cli.keys (shared with `nutsec lost-device`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from rich.console import Console
from rich.markup import escape

from nutsec.advice import fix_text, why_text
from nutsec.audit.walk import (
    AGAIN_PREFIX,
    ESSENTIALS_LIMIT,
    Step,
    StepKind,
    first_sitting_minutes,
    minutes_for,
)
from nutsec.audit_data import DEVICE_KINDS, PLATFORMS, Account, Device, PasswordFindings
from nutsec.checklist.model import Checklist
from nutsec.cli.keys import ENTER, KeyInput, StopInput, shown_key
from nutsec.cli.layout import print_indented
from nutsec.inventory_labels import (
    DEVICE_CHOICES,
    PLATFORM_MENU,
    PROVIDER_CHOICES,
    describe_account,
    describe_device,
)

if TYPE_CHECKING:
    from nutsec.audit.session import AuditSession
    from nutsec.audit.sitting import Sitting
    from nutsec.audit_data import Audit

#: Keys every question offers besides its answers; answer keys never take these.
RESERVED = {"?": "why it matters", "b": "back", "s": "skip", "q": "save and quit"}
NAVIGATION = {"?": "help", "b": "back", "q": "save and quit"}
#: The key, at a question a password check would answer, that checks the password there and then.
CHECK_NOW = {"c": "check it now"}
#: The longest name a device or account may have: it must fit a question's header on 80 columns.
NAME_LIMIT = 40
PREFERRED = {"yes": "y", "no": "n", "partly": "p", "not_sure": "u", "not_applicable": "a"}
Entry = TypeVar("Entry", Device, Account)


class QuitChosen(Exception):
    """The person pressed q: everything so far is saved; not an interruption."""


def choice_keys(options: Sequence[tuple[str, str]], reserved: Sequence[str] = ()) -> dict[str, str]:
    """Single keys for (answer key, label) pairs: no clashes with each other, ?/b/s/q or
    `reserved` (c, where a password check can answer the question)."""
    taken = set(RESERVED) | set(reserved)
    result: dict[str, str] = {}
    for answer, label in options:
        words = label.lower().split()
        candidates = [PREFERRED.get(answer, "")]
        candidates += [w[0] for w in words if w]
        candidates += list(label.lower()) + list(answer) + list("123456789")
        key = next(c for c in candidates if c.isalnum() and c not in taken)
        taken.add(key)
        result[key] = answer
    return result


@dataclass
class InteractiveAudit:
    """Drives an AuditSession from the keyboard. `run()` is True when the walk was finished.

    q returns False; Ctrl-C, Ctrl-D and a closed terminal raise (KeyboardInterrupt, StopInput,
    EOFError) so the caller can say the answers are saved and exit 130.
    """

    console: Console
    keys: KeyInput
    session: AuditSession
    plain: bool
    #: What to say once, at the first password step (asked then): why reuse will not be found
    #: across sittings, or None.
    history_note: Callable[[], str | None] | None = None
    #: The sitting behind the session: the essentials' score at the break, and passwords of an
    #: earlier sitting to type again. None drives the session alone.
    sitting: Sitting | None = None
    #: True once the person chose "another day" at the break (run() then returns False).
    later: bool = False
    #: The offer to type earlier passwords again is made once a sitting.
    _retype_offered: bool = False

    def run(self) -> bool:
        try:
            while not self.session.walk.finished:
                step = self.session.walk.current
                if step.kind in (StepKind.QUESTION, StepKind.PASSWORD, StepKind.BREAK):
                    # A key pressed twice must not answer the next question too.
                    self.keys.discard_typeahead()
                if step.kind is StepKind.BREAK:
                    self._break()
                    continue
                self._header(step)
                if step.kind is StepKind.DEVICES:
                    self._devices()
                elif step.kind is StepKind.ACCOUNTS:
                    self._accounts()
                elif step.kind is StepKind.PASSWORD:
                    self._password(step)
                else:
                    self._question(step)
        except QuitChosen:
            return False
        except StopInput:
            if self.keys.is_terminal:
                raise  # Ctrl-D: an interruption, like Ctrl-C
            return False  # a script's input simply ended
        return True

    # What every step shows ------------------------------------------------------------------

    def _header(self, step: Step) -> None:
        progress = step.progress
        if progress is None:  # pragma: no cover - only the finished step has none
            raise RuntimeError("a step without progress was shown")
        self.console.print()
        if not self.plain:
            self.console.rule(style="dim")
        if step.kind is not StepKind.QUESTION:
            self.console.print(
                f"[bold]{escape(progress.title)}[/]  (step {progress.number} of {progress.count})"
            )
            return
        walk = self.session.walk
        if progress.number == 1 and not walk.revisit:
            if walk.break_index is None or walk.index < walk.break_index:
                essentials = walk.break_index is not None
                self.console.print(count_line(progress.count, essentials=essentials))
            else:
                self.console.print(more_line(progress.count))
        if step.subject is None:
            where = f"{PERSON_PART}: {progress.section_title}"
        elif isinstance(step.subject, Device):
            where = describe_device(step.subject)
        else:
            where = describe_account(step.subject)
        self.console.print(
            f"[bold]Question {progress.number} of {progress.count}[/] - {escape(where)}"
        )
        if step.section_intro:
            print_indented(self.console, escape(step.section_intro), indent=0)

    def _menu(self, choices: dict[str, str], extra: dict[str, str]) -> None:
        for key, label in choices.items():
            self.console.print(f"  [bold]{escape(key)}[/]  {escape(label)}")
        if extra:
            self.console.print("  " + "   ".join(f"{escape(k)} {v}" for k, v in extra.items()))

    def _choose(self, labels: dict[str, str], enter: str | None = None) -> str:
        """A key from `labels`, echoed with its label (a terminal in cbreak mode shows nothing).
        Enter is never a hidden default: it is refused like any key not offered, unless the
        screen said what it does (`enter`: the key it stands for, e.g. keeping an answer)."""
        while True:
            key = self.keys.key("Your choice: ")
            if key == ENTER and enter is not None:
                key = enter
            if key in labels:
                self.console.print(f"{escape(key)}  ({escape(labels[key])})")
                return key
            if key == ENTER:
                self.console.print("Please press one of the keys shown (Enter is not one).")
                continue
            self.console.print(f"{shown_key(key)}: not one of the choices. Please try again.")

    def _navigate(self, key: str) -> None:
        """The keys every step shares."""
        if key == "b":
            if self.session.walk.index == 0:
                self.console.print("This is the first step, so there is nothing to go back to.")
            self.session.back()
        elif key == "q":
            raise QuitChosen

    # The break after the essentials -----------------------------------------------------------

    def _break(self) -> None:
        """The essentials are done: their score and the three things to start with, then the
        rest now or another day."""
        if self.sitting is not None:
            audit, result = self.sitting.essentials_result()
        else:
            audit, result = self.session.audit(), self.session.score()
        walk = self.session.walk
        self.console.print()
        if not self.plain:
            self.console.rule(style="dim")
        from nutsec.audit.sitting import essentials_lines

        for line in essentials_lines(audit, result, walk.essentials_count, walk.remaining_count):
            print_indented(self.console, escape(line), indent=0)
        show_start_here(self.console, audit)
        more = walk.remaining_count
        noun = "question" if more == 1 else "questions"
        self.console.print(
            f"[bold]{more} more {noun}, about {walk.remaining_minutes} minutes: carry on now, "
            "or another day?[/]"
        )
        keep = self.sitting is None or self.sitting.keep
        menu = {
            "c": "carry on now",
            "a": "another day ('nutsec audit --resume' carries on)"
            if keep
            else "stop now (nothing is kept: --no-save)",
        }
        self._menu(menu, NAVIGATION)
        while True:
            key = self._choose({**menu, **NAVIGATION})
            if key != "?":
                break
            self.console.print(
                "Your score so far counts only what you answered. The other questions are about "
                "things that matter less; they are added to the score when you answer them."
            )
        if key == "c":
            if self.sitting is not None:
                self.sitting.carry_on()
            else:
                self.session.next()
        elif key == "a":
            self.session.next()  # a resume starts at the first of the other questions
            self.later = True
            raise QuitChosen
        else:
            self._navigate(key)

    # Questions ------------------------------------------------------------------------------

    def _question(self, step: Step) -> None:
        question = step.question
        if question is None:  # pragma: no cover - question steps always carry one
            raise RuntimeError("a question step without a question")
        item = question.item
        print_indented(self.console, f"[bold]{escape(item.question)}[/]", indent=0)
        checkable = self.session.walk.questions_checkable().get(question.key)
        note = self.session.walk.check_note(question)
        if note is not None:
            print_indented(self.console, escape(note), indent=0)
        extra = {**RESERVED, **CHECK_NOW} if checkable else RESERVED
        keys = choice_keys([(o.key, o.label) for o in item.answers], tuple(extra))
        labels = {k: item.answer(a).label for k, a in keys.items()}  # type: ignore[union-attr]
        self._menu(labels, extra)  # "... q save and quit   c check it now": within 80
        earlier = self.session.walk.answer_for(question)
        if earlier is not None:
            option = item.answer(earlier)
            again = next((k for k, a in keys.items() if a == earlier), "")
            keep = f" (press Enter or {again} to keep it)" if again else ""
            self.console.print(
                f"Your earlier answer: {escape(option.label if option else earlier)}{keep}"
            )
            enter = again or None
        else:
            enter = None
        while True:
            key = self._choose({**labels, **extra}, enter=enter)
            if key == "?":
                self._explain(step)
                continue
            break
        if key == "c" and checkable is not None:
            account = next(a for a in self.session.walk.accounts if a.name == checkable)
            self._check(account)  # what the check answers leaves the walk; the next step shows
        elif key in keys:
            self.session.answer(keys[key])
        elif key == "s":
            self.session.skip()
        else:
            self._navigate(key)

    def _explain(self, step: Step) -> None:
        """Why it matters and what to do, for this device or account only."""
        question = step.question
        if question is None:  # pragma: no cover - only questions are explained
            return
        item, subject = question.item, step.subject
        print_indented(
            self.console, f"[bold]Why it matters:[/] {escape(why_text(item, subject))}", indent=0
        )
        print_indented(
            self.console, f"[bold]What to do:[/] {escape(fix_text(item, subject))}", indent=0
        )
        if item.current:
            print_indented(
                self.console, f"[bold]What has changed:[/] {escape(item.current)}", indent=0
            )

    # Inventory ------------------------------------------------------------------------------

    def _devices(self) -> None:
        self._inventory(
            ask="Which devices do you use for social media or union work?",
            hint="Add each phone, tablet or computer, then continue.",
            title="Your devices",
            noun="a device",
            plural="devices",
            entries=lambda: self.session.walk.devices,
            describe=describe_device,
            add=self._add_device,
            save=self.session.set_devices,
            help_text="nutsec asks about each device's screen lock, updates and what to do if "
            "it is lost, with the steps for that device, so list every device you sign in on.",
        )

    def _add_device(self, devices: tuple[Device, ...]) -> None:
        name = self._new_name('Name of the device (for example "Work phone"): ', devices)
        if not name:
            self.console.print("No name typed, so nothing was added.")
            return
        self.console.print("What is it?")
        labels = {key: label for key, (label, _, _) in DEVICE_CHOICES.items()}
        self._menu(labels, {})
        _, kind, system = DEVICE_CHOICES[self._choose(labels)]
        if not kind:
            kinds = {k[0]: k for k in DEVICE_KINDS}
            self.console.print("What kind of device is it?")
            self._menu(kinds, {})
            kind = kinds[self._choose(kinds)]
        self.session.set_devices((*devices, Device(name, kind, system)))

    def _accounts(self) -> None:
        self._inventory(
            ask="Which accounts do you use for social media or union work?",
            hint="Add each one (e-mail too: it can reset all the others), then continue.",
            title="Your accounts",
            noun="an account",
            plural="accounts",
            entries=lambda: self.session.walk.accounts,
            describe=describe_account,
            add=self._add_account,
            save=self.session.set_accounts,
            help_text="nutsec asks about two-step verification and recovery details for each "
            "account, and can check its password without keeping it.",
        )

    def _inventory(
        self,
        *,
        ask: str,
        hint: str,
        title: str,
        noun: str,
        plural: str,
        entries: Callable[[], tuple[Entry, ...]],
        describe: Callable[[Entry], str],
        add: Callable[[tuple[Entry, ...]], None],
        save: Callable[[tuple[Entry, ...]], None],
        help_text: str,
    ) -> None:
        """One inventory step: list what is there, add, remove, continue (devices or accounts).
        Continuing with none asks first: an empty list leaves a part of the audit out."""
        self.console.print(ask)
        self.console.print(hint)
        while True:
            current = entries()
            self._list(title, [describe(entry) for entry in current])
            menu = {"a": f"add {noun}"}
            if current:
                menu["r"] = "remove one"
            menu["c"] = "continue"
            self._menu(menu, NAVIGATION)
            key = self._choose({**menu, **NAVIGATION})
            if key == "a":
                add(current)
            elif key == "r":
                save(self._remove(current))
            elif key == "?":
                self.console.print(help_text)
            elif key == "c":
                if not current and not ask_yes_no(
                    self.console,
                    self.keys,
                    f"You have not added any {plural}, so nutsec will ask nothing about them. "
                    "Are you sure?",
                    yes=f"yes, carry on without {plural}",
                    no=f"no, let me add {noun}",
                ):
                    continue
                self.session.next()
                return
            else:
                self._navigate(key)
                return

    def _add_account(self, accounts: tuple[Account, ...]) -> None:
        name = self._new_name('Name of the account (for example "Union Twitter"): ', accounts)
        if not name:
            self.console.print("No name typed, so nothing was added.")
            return
        platforms = list(PLATFORMS.items())
        self.console.print("Which kind of account is it?")
        shown = [PLATFORM_MENU.get(key, label) for key, label in platforms]
        platform = platforms[self._number(shown)][0]
        provider = ""
        if platform == "email":
            self.console.print("Who runs this e-mail account?")
            labels = {key: label for key, (_, label) in PROVIDER_CHOICES.items()}
            self._menu(labels, {})
            provider = PROVIDER_CHOICES[self._choose(labels)][0]
        username = self.keys.line("Your user name on it (optional, press Enter to leave out): ")
        self.session.set_accounts((*accounts, Account(name, platform, username, provider)))

    def _number(self, labels: Sequence[str]) -> int:
        """A numbered list, answered by typing a number and Enter; the index chosen."""
        for number, label in enumerate(labels, start=1):
            self.console.print(f"  {number:>2}  {escape(label)}")
        while True:
            text = self.keys.line(f"Type a number from 1 to {len(labels)}: ")
            if text.isdigit() and 1 <= int(text) <= len(labels):
                return int(text) - 1
            self.console.print("Please type one of the numbers shown.")

    def _new_name(self, prompt: str, existing: Sequence[Device | Account]) -> str:
        while True:
            name = self.keys.line(prompt).strip()
            if not name:
                return ""
            if len(name) > NAME_LIMIT:
                self.console.print(
                    f"That name is {len(name)} characters long. Please use a shorter one "
                    f'(at most {NAME_LIMIT}), such as "Work phone".'
                )
                continue
            if any(e.name.casefold() == name.casefold() for e in existing):
                self.console.print(f'You already have one called "{escape(name)}". ', end="")
                self.console.print("Please choose another name.")
                continue
            return name

    def _list(self, title: str, names: list[str]) -> None:
        if not names:
            self.console.print(f"{title}: none yet.")
            return
        self.console.print(f"{title}:")
        for number, name in enumerate(names, start=1):
            self.console.print(f"  {number}. {escape(name)}")

    def _remove(self, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
        text = self.keys.line("Number of the one to remove (Enter to keep them all): ")
        if text.isdigit() and 1 <= int(text) <= len(entries):
            index = int(text) - 1
            self.console.print(f"Removed {escape(entries[index].name)}.")
            return entries[:index] + entries[index + 1 :]
        if text:
            self.console.print(f"There is no number {escape(text)} in the list. Nothing removed.")
        else:
            self.console.print("Nothing removed.")
        return entries

    # Passwords ------------------------------------------------------------------------------

    def _password(self, step: Step) -> None:
        account = next(a for a in self.session.walk.accounts if a.name == step.account)
        self.console.print(f"[bold]{escape(describe_account(account))}[/]")
        if step.key.startswith(AGAIN_PREFIX):
            print_indented(
                self.console,
                "You have not checked this account's password yet. Shall nutsec check it now? "
                "It is never shown or saved.",
                indent=0,
            )
        elif step.progress is not None and step.progress.number > 1:
            # Said in full at the first password; the next ones only ask.
            self.console.print("Shall nutsec check this account's password too?")
        else:
            print_indented(
                self.console,
                "Shall nutsec check this account's password? It checks how easy it is to guess, "
                "whether you use it elsewhere, and whether it is in known data breaches, and "
                "then does not ask you those questions. The password is never shown or saved.",
                indent=0,
            )
        self._tell_history_note()
        earlier = self.session.passwords.get(account.name)
        if earlier is not None:
            self.console.print(f"Checked earlier: {escape(verdict_headline(earlier))}")
        menu = {"y": "yes, check it now", "n": "not now"}
        self._menu(menu, NAVIGATION)
        while True:
            key = self._choose({**menu, **NAVIGATION})
            if key != "?":
                break
            self.console.print(
                "Strength is judged on this computer. For breaches, only the first 5 characters "
                "of a scrambled code (SHA-1) made from the password are sent to the look-up."
            )
        if key == "y":
            here = self.session.walk.position
            self._check(account)
            if self.session.walk.position == here:  # still on this step: on to the next
                self.session.next()
        elif key == "n":
            self.session.next()
        else:
            self._navigate(key)

    def _check(self, account: Account) -> None:
        """Ask for the password, check it, show what was found (and what it answered)."""
        secret = self.keys.secret("Password (hidden as you type; Enter when done): ")
        if secret is None:
            self.console.print("That could not be read as text, so nothing was checked.")
            return
        try:
            if not secret:
                self.console.print("Nothing typed, so nothing was checked.")
                return
            before = list(self.session.walk.questions)
            with self._busy("Checking your password"):
                findings = self.session.check_password(account, secret)
            self._show_verdict(findings, account.name)
            from nutsec.audit.sitting import checked_line

            line = checked_line(before, self.session.walk.questions)
            if line:
                self.console.print(line)
            self._tell_history_note()  # a keyring found locked only now
            self._offer_retype(account)
        finally:
            secret.wipe()

    def _offer_retype(self, account: Account) -> None:
        """A password checked now could not be compared with an earlier sitting's: say so in one
        line and offer, once, to type those again so that all are compared in this sitting."""
        if self.sitting is None or self._retype_offered:
            return
        line = self.sitting.compare_line()
        if line is None:
            return
        self._retype_offered = True
        print_indented(self.console, escape(line), indent=0)
        earlier = self.sitting.not_compared()
        if not ask_yes_no(
            self.console,
            self.keys,
            "Type them again now?",
            yes="yes, type " + ", ".join(a.name for a in earlier),
            no="not now (they stay 'not checked' for reuse)",
        ):
            return
        for other in earlier:
            self.console.print(f"[bold]{escape(describe_account(other))}[/]")
            secret = self.keys.secret("Password (hidden as you type; Enter to leave it): ")
            if not secret:
                self.console.print("Nothing typed, so it was left as it was.")
                continue
            with self._busy("Comparing your passwords"):
                self.session.check_password(other, secret)
            secret.wipe()
        findings = self.session.passwords[account.name]
        self.console.print(f"Compared again, {escape(account.name)}: ", end="")
        self.console.print(escape(reuse_phrase(findings)))

    def _tell_history_note(self) -> None:
        """Say once (if at all) why reuse will not be found across sittings."""
        if self.history_note is None:
            return
        note = self.history_note()
        if note:
            print_indented(self.console, escape(note), indent=0)
            self.history_note = None

    def _busy(self, text: str) -> AbstractContextManager[object]:
        if self.plain or not self.console.is_terminal:
            self.console.print(f"{text}...")
            return nullcontext()
        return self.console.status(f"{text}...")

    def _show_verdict(self, findings: PasswordFindings, account: str) -> None:
        from nutsec.verdict import judge_findings, reuse_line, unchanged_line

        walk = self.session.walk
        verdict = judge_findings(
            findings,
            two_step_on=walk.two_step_on(account),
            two_step_to_ask=walk.two_step_to_ask(account),
        )
        self.console.print(f"[bold]{escape(verdict.headline)}[/]")
        # Said only when it means something: with one password checked, "not reused" would not.
        reuse = reuse_line(
            findings.reused_with,
            findings.similar_to,
            reuse_unknown=findings.reuse_unknown is not None,
            others=False,
        )
        for line in (reuse, unchanged_line(findings.unchanged_since)):
            if line:
                self.console.print(escape(line))
        if verdict.breach_line:
            self.console.print(escape(verdict.breach_line))
        for line in verdict.advice:
            print_indented(self.console, escape(line), first="  - ")


def reuse_phrase(findings: PasswordFindings) -> str:
    """Whether the password is used elsewhere, in one short sentence."""
    if findings.reused_with:
        return f"the same password as {', '.join(findings.reused_with)}."
    if findings.similar_to:
        return f"very like the password of {', '.join(findings.similar_to)}."
    if findings.reuse_unknown:
        return "still not compared with every other password."
    return "used nowhere else among the passwords checked."


def verdict_headline(findings: PasswordFindings) -> str:
    from nutsec.verdict import judge_findings

    return judge_findings(findings).headline


PERSON_PART = "About you"


def count_line(questions: int, *, essentials: bool = False) -> str:
    """The audit's size (or its first part's), said once the devices and accounts are known."""
    noun = "question" if questions == 1 else "questions"
    if essentials:
        return (
            f"Now the questions that matter most: {questions} {noun} for you and the devices "
            f"and accounts you listed. It takes {_duration(questions)}. Then you get your score "
            "and the first things to do."
        )
    return (
        f"Now the questions: {questions} {noun} for you and the devices and accounts you "
        f"listed. It takes {_duration(questions)}."
    )


def more_line(questions: int) -> str:
    """The second part's size, said at its first question."""
    noun = "question" if questions == 1 else "questions"
    return (
        f"Now the other {questions} {noun}, about {minutes_for(questions)} minutes. Each answer "
        "is saved: press q to stop and carry on another day."
    )


def show_start_here(console: Console, audit: Audit) -> None:
    """The first three actions, one line each (the end of a sitting fits 80x24)."""
    from nutsec.actions import prioritise_actions

    actions = prioritise_actions(audit)[:3]
    if not actions:
        return
    console.print("Start with these:" if len(actions) > 1 else "Start with this:")
    for action in actions:
        number = f"  {action.priority}. "
        fitted = action.headline_within(console.width - len(number))
        console.print(f"{number}{escape(fitted)}", no_wrap=True, overflow="ellipsis")


def welcome(console: Console, checklist: Checklist) -> None:
    """What will be checked, about how long it takes, and the privacy promise."""
    console.print(f"[bold]Welcome to your nutsec audit: {escape(checklist.title)}[/]")
    console.print("We will go through, one question at a time:")
    console.print("  - the devices you use for social media or union work")
    console.print("  - your accounts, and (if you like) how safe their passwords are")
    console.print("  - questions about you, then about each device and each account")
    print_indented(
        console,
        f"The first sitting takes about {first_sitting_minutes()} minutes: listing "
        "your devices and accounts and checking their passwords, then up to "
        f"{ESSENTIALS_LIMIT} questions that matter most "
        "(and a few for any password not checked). Then you get your score and three things to "
        "do; the other "
        "questions can wait for another day. Every answer is saved as you go: press q to stop "
        "and carry on later.",
        indent=0,
    )
    print_indented(
        console,
        "Your privacy: passwords you type are checked on this computer and never saved or shown. "
        "Your answers stay in a file on this computer that only you can open.",
        indent=0,
    )


def _duration(questions: int) -> str:
    """A rough time range in whole five minutes: nobody needs '18 to 36 minutes'."""

    def five(minutes: float) -> int:
        return max(5, 5 * round(minutes / 5))

    low, high = five(questions * 0.4), five(questions * 0.7)
    return f"about {low} minutes" if low == high else f"about {low} to {high} minutes"


def ask_yes_no(
    console: Console, keys: KeyInput, question: str, *, yes: str = "yes", no: str = "no"
) -> bool:
    """y or n, each saying what it does; nothing else (Enter included) is taken as either."""
    print_indented(console, escape(question), indent=0)
    console.print(f"  y  {escape(yes)}")
    console.print(f"  n  {escape(no)}")
    while True:
        key = keys.key("Your choice: ")
        if key in ("y", "n"):
            console.print(f"{key}  ({escape(yes if key == 'y' else no)})")
            return key == "y"
        console.print(f"{shown_key(key)}: please press y or n.")


def ask_choice(console: Console, keys: KeyInput, question: str, options: dict[str, str]) -> str:
    """One of `options` (key -> what it does), each said; nothing else is taken."""
    print_indented(console, escape(question), indent=0)
    for key, label in options.items():
        console.print(f"  {key}  {escape(label)}")
    while True:
        key = keys.key("Your choice: ")
        if key in options:
            console.print(f"{key}  ({escape(options[key])})")
            return key
        shown = " or ".join(options)
        console.print(f"{shown_key(key)}: please press {shown}.")
