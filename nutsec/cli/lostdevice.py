"""`nutsec lost-device`: what to do, in order, when a device is lost or stolen.

Built for someone in a hurry: it never fails for want of an audit (the general steps are given
instead), and every tick is committed at once, so Ctrl-C keeps all that was done.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.cli.console import suggested
from nutsec.cli.options import Plain
from nutsec.errors import EXIT_INTERRUPTED, NutsecError

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from rich.console import Console

    from nutsec.audit_data import Audit, Device
    from nutsec.cli.keys import KeyInput
    from nutsec.lostdevice.runbook import Runbook, RunbookWalk
    from nutsec.store.interface import TickLog


def register(app: typer.Typer) -> None:
    app.command("lost-device")(lost_device)


def lost_device(
    audit_id: Annotated[
        str | None,
        typer.Option(
            "--audit",
            metavar="ID",
            help="Use this saved audit's devices and accounts (see 'nutsec history') "
            "[default: the only one; with several, nutsec asks which].",
        ),
    ] = None,
    device: Annotated[
        str | None, typer.Option("--device", metavar="NAME", help="The device that has gone.")
    ] = None,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the whole plan without asking anything.")
    ] = False,
    plain: Plain = False,
) -> None:
    """Lost or stolen phone, tablet or laptop? Secure your accounts step by step.

    nutsec takes the devices and accounts from your audit (with several saved, it asks which)
    and lists what to do, in order: report the loss, lock and wipe the device, get back into
    accounts whose codes went to a lost phone, secure your e-mail first (it can reset every
    other password), then union and work accounts, then social media, then check for misuse.
    What your audit says changes the steps: no 'find my device', or two-step sign-in off.

    Press Enter (or d) when a step is done: the time is saved at once. s skips a step for
    now, b goes back, q stops. Run it again to carry on. With no saved audit you get the
    general steps.

    \b
    Examples:
      nutsec lost-device                         step by step
      nutsec lost-device --device "Work phone"   for that device
      nutsec lost-device --audit 3               from audit 3 (see 'nutsec history')
      nutsec lost-device --print --device "Work phone" > steps.txt
                                                 all of it, to print on paper
    """
    from nutsec.cli.console import make_console, plain_wanted
    from nutsec.paths import data_dir

    folder = data_dir()
    console = make_console(plain_wanted(plain))
    found = _find_audit(folder, audit_id, None if print_only else console)
    chosen = _device(found, device, print_only)
    if print_only:
        runbook, about = _runbook(found, chosen)
        done = _earlier_ticks(folder, runbook)
        from nutsec.lostdevice.paper import render_runbook_text

        typer.echo(render_runbook_text(runbook.card, about, done), nl=False)
        return
    from nutsec.cli.keys import KeyInput
    from nutsec.store.sqlite import open_store

    keys = KeyInput(console)
    if chosen is None and found is not None and len(found.devices) > 1:
        chosen = _ask_device(console, keys, found)
    runbook, about = _runbook(found, chosen)
    with open_store(folder) as store:
        RunbookSession(console, keys, store, runbook, about).run()


# Which audit, which device ----------------------------------------------------------------------


def _find_audit(folder: Path, ref: str | None, console: Console | None) -> Audit | None:
    """The audit named; the only one; with several, the one the person picks (never silently
    the newest: on a shared laptop it may be someone else's). None when none was ever saved.
    `console` None (--print): several audits without --audit is exit 2, listing them."""
    from nutsec.store.sqlite import open_store, store_exists

    explicit = ref is not None and ref.strip().lower() != "latest"
    if not store_exists(folder):
        if explicit:
            raise NutsecError(
                f"There is no saved audit {ref!r} (no audit has been saved yet). "
                "Run 'nutsec lost-device' without --audit for the general steps."
            )
        return None
    # Read-only: a lost device is no time to be stopped by a file nutsec may not write.
    with open_store(folder, read_only=True) as store:
        if ref is not None and ref.strip().lower() == "latest":
            return store.load(store.resolve("latest", finished=None))
        if explicit and ref is not None:
            return store.load(store.resolve(ref))
        audits = [store.load(summary.id) for summary in reversed(store.history())]
    if not audits:
        return None
    if len(audits) == 1:
        return audits[0]
    if console is None:
        choices = "; ".join(audit_name(a) for a in audits)
        example = suggested("lost-device", "--print", "--audit", str(audits[0].id))
        raise NutsecError(
            f"There are {len(audits)} saved audits on this computer ({choices}). Choose yours "
            f"with --audit ID, for example: {example}"
        )
    from nutsec.cli.keys import KeyInput

    return _ask_audit(console, KeyInput(console), audits)


def audit_name(audit: Audit) -> str:
    """'audit 3: Work phone, Laptop (2 December 2026)': how a person tells their audit from
    others (the date as every other screen says it)."""
    from nutsec.report.view import show_day

    devices = ", ".join(d.name for d in audit.devices) or "no devices listed"
    return f"audit {audit.id}: {devices} ({show_day(audit.created_at)})"


def _ask_audit(console: Console, keys: KeyInput, audits: list[Audit]) -> Audit:
    from rich.markup import escape

    from nutsec.safe_text import without_controls

    console.print("There are several saved audits on this computer. Which one is yours?")
    for number, audit in enumerate(audits, start=1):
        console.print(f"  {number:>2}  {escape(without_controls(audit_name(audit)))}")
    while True:
        text = keys.line(f"Type a number from 1 to {len(audits)}: ")
        if text.isdigit() and 1 <= int(text) <= len(audits):
            return audits[int(text) - 1]
        console.print("Please type one of the numbers shown.")


def _device(audit: Audit | None, name: str | None, print_only: bool) -> Device | None:
    """The device from --device; the only one; or None (general, or asked for later)."""
    from nutsec.audit_data import Device
    from nutsec.lostdevice.runbook import find_device

    if audit is None:
        # No audit: a named device still gets its own lock-and-wipe step (every service).
        return Device(name.strip(), "") if name and name.strip() else None
    if name is not None:
        return find_device(audit.devices, name, f"audit {audit.id}")
    if len(audit.devices) == 1:
        return audit.devices[0]
    if len(audit.devices) > 1 and print_only:
        names = ", ".join(f"'{d.name}'" for d in audit.devices)
        example = suggested("lost-device", "--print", "--device", audit.devices[0].name)
        raise NutsecError(
            f"Audit {audit.id} lists {len(audit.devices)} devices ({names}): "
            f"choose the one that has gone with --device NAME, for example: {example}"
        )
    return None


def _ask_device(console: Console, keys: KeyInput, audit: Audit) -> Device:
    from rich.markup import escape

    from nutsec.safe_text import without_controls

    console.print("Which device has gone?")
    for number, device in enumerate(audit.devices, start=1):
        console.print(f"  {number:>2}  {escape(without_controls(device.name))} ({device.kind})")
    while True:
        text = keys.line(f"Type a number from 1 to {len(audit.devices)}: ")
        if text.isdigit() and 1 <= int(text) <= len(audit.devices):
            return audit.devices[int(text) - 1]
        console.print("Please type one of the numbers shown.")


def _runbook(audit: Audit | None, device: Device | None) -> tuple[Runbook, list[str]]:
    """The runbook and the lines that say what it is built from."""
    from nutsec.lostdevice.paper import show_time
    from nutsec.lostdevice.platforms import shipped_platform_guide
    from nutsec.lostdevice.runbook import build_runbook

    guide = shipped_platform_guide()
    if audit is None:
        about = [
            "These are the general steps: nutsec has no saved audit on this computer.",
            "For steps that name your own devices and accounts, run 'nutsec audit' when you "
            "have time.",
        ]
        if device is not None:
            about.insert(0, f"For: {device.name}.")
        return build_runbook(None, device, (), guide), about
    state = "finished" if audit.finished_at else "not finished"
    about = [f"From audit {audit.id} ({show_time(audit.created_at)}, {state})."]
    if device is not None:
        about.insert(0, f"For: {device.name} ({device.kind}).")
    elif not audit.devices:
        about.append(f"Audit {audit.id} lists no devices, so step 2 covers any device.")
    if audit.accounts:
        count = len(audit.accounts)
        about.append(
            f"All {count} accounts of the audit are listed: any of them could be signed in "
            "on the device."
            if count > 1
            else "The audit's one account is listed."
        )
    else:
        about.append(f"Audit {audit.id} lists no accounts, so the steps cover your e-mail.")
    return build_runbook(audit.id, device, audit.accounts, guide, audit), about


def _earlier_ticks(folder: Path, runbook: Runbook) -> dict[str, datetime]:
    from nutsec.store.sqlite import open_store, store_exists

    if not store_exists(folder):
        return {}
    with open_store(folder, read_only=True) as store:
        return store.ticks(runbook.audit_id, runbook.device_key)


def carry_on_command(runbook: Runbook) -> str:
    """The command that opens this same runbook again."""
    parts = ["lost-device"]
    if runbook.audit_id is not None:
        parts += ["--audit", str(runbook.audit_id)]
    if runbook.device is not None:
        parts += ["--device", runbook.device.name]
    return suggested(*parts)


# Interactive ------------------------------------------------------------------------------------

DONE_KEYS = {"enter", "d"}  # nutsec.cli.keys.ENTER: the Enter key
MENU = "Enter or d  done    s  skip for now    b  back    q  quit"


@dataclass
class RunbookSession:
    """Shows one step at a time and logs each tick the moment it is given."""

    console: Console
    keys: KeyInput
    log: TickLog
    runbook: Runbook
    about: list[str]

    def run(self) -> None:
        from nutsec.cli.keys import StopInput
        from nutsec.lostdevice.runbook import RunbookWalk

        done = self.log.ticks(self.runbook.audit_id, self.runbook.device_key)
        walk = RunbookWalk.start(self.runbook.card.steps, done)
        self._welcome(walk)
        try:
            while not walk.finished:
                self._show(walk)
                if not self._answer(walk):
                    break
        except StopInput:
            pass
        except KeyboardInterrupt:
            sys.stderr.write(
                "\nStopped. Every step you ticked is saved. Carry on with:\n"
                f"  {_plain(carry_on_command(self.runbook))}\n"
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None
        self._summary(walk)

    def _welcome(self, walk: RunbookWalk) -> None:
        card = self.runbook.card
        self.console.print(f"[bold]{_markup(card.title)}[/]")
        for line in (*self.about, card.intro):
            self._wrapped(_markup(line), indent=0)
        self._wrapped(f"Keys: {MENU}.", indent=0)
        if walk.done:
            total = len(walk.steps)
            self.console.print(f"You have already done {len(walk.done)} of {total} steps:")
            self._done_list(walk)
            if not walk.finished:
                self.console.print(f"Carrying on at step {walk.current.number}.")

    def _show(self, walk: RunbookWalk) -> None:
        from nutsec.lostdevice.paper import show_time

        step = walk.current
        console = self.console
        console.print()
        if console.is_terminal and console.color_system is not None:
            console.rule(style="dim")
        console.print(f"[bold]Step {step.number} of {len(walk.steps)}: {_markup(step.title)}[/]")
        self._wrapped(_markup(step.detail), indent=0)
        for hint in step.hints:
            self._wrapped(_markup(hint), first="  - ")
        for line in step.lines:
            self._wrapped(f"[bold]{_markup(line.label)}:[/] {_markup(line.text)}", first="  - ")
        earlier = walk.done.get(step.key)
        if earlier is not None:
            console.print(f"Done earlier, at {show_time(earlier)}.")
        console.print(f"  {MENU}")

    def _answer(self, walk: RunbookWalk) -> bool:
        """Read one key and act on it; False when the person chose to stop."""
        from nutsec.cli.keys import shown_key
        from nutsec.lostdevice.paper import show_time

        while True:
            key = self.keys.key("Your choice: ")
            if key in DONE_KEYS:
                step = walk.current
                at = walk.done.get(step.key) or self.log.tick(
                    self.runbook.audit_id, self.runbook.device_key, step.key
                )
                walk.mark_done(at)
                self.console.print(f"done  (ticked at {show_time(at)})")
                return True
            if key == "s":
                self.console.print("s  (skipped for now)")
                walk.skip()
                return True
            if key == "b":
                self.console.print("b  (back)")
                if not walk.back():
                    self.console.print("This is the first step, so there is nothing to go back to.")
                return True
            if key == "q":
                self.console.print("q  (quit)")
                return False
            self.console.print(
                f"{_markup(shown_key(key))}: not one of the choices. "
                "Please press Enter, d, s, b or q."
            )

    def _summary(self, walk: RunbookWalk) -> None:
        console = self.console
        console.print()
        if walk.done:
            console.print("[bold]Done:[/]")
            self._done_list(walk)
        else:
            console.print("No step is ticked yet.")
        left = walk.not_done()
        skipped = [s for s in left if s.key in walk.skipped]
        waiting = [s for s in left if s.key not in walk.skipped]
        for heading, steps in (("Skipped for now:", skipped), ("Not done yet:", waiting)):
            if steps:
                console.print(f"[bold]{heading}[/]")
                for step in steps:
                    self._wrapped(_markup(step.title), first=f"  {step.number:>2}. ")
        if left:
            console.print("Carry on any time with:")
            console.print(f"  {_markup(carry_on_command(self.runbook))}", soft_wrap=True)
        else:
            console.print("Every step is done. Keep the crime reference number and these times.")

    def _done_list(self, walk: RunbookWalk) -> None:
        from nutsec.lostdevice.paper import show_time

        for step in walk.steps:
            at = walk.done.get(step.key)
            if at is not None:
                self._wrapped(
                    f"{_markup(step.title)} ({show_time(at)})", first=f"  {step.number:>2}. "
                )

    def _wrapped(self, markup: str, *, indent: int = 2, first: str | None = None) -> None:
        from nutsec.cli.layout import print_indented

        print_indented(self.console, markup, indent=indent, first=first)


def _plain(text: str) -> str:
    from nutsec.safe_text import without_controls

    return without_controls(text)


def _markup(text: str) -> str:
    """Text from the audit or data files, inert on a terminal: no markup, no control codes."""
    from rich.markup import escape

    return escape(_plain(text))
