"""`nutsec demo`: the trainer's walk-through with a fictional representative.

The scenes show what the real engine made of the made-up person (nutsec.demo.script); this module
only lays them out for a projector and waits for the trainer between them. It opens no store and
no network connection: nothing is saved and nothing is looked up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.cli.options import Plain

if TYPE_CHECKING:
    from rich.console import Console

    from nutsec.cli.keys import KeyInput
    from nutsec.demo.script import DemoRun, Scene
    from nutsec.report.terminal_format import ReportPart

#: What the trainer sees between scenes (on stderr, so a printed handout stays clean).
PAUSE_PROMPT = "Press Enter to continue, or q to stop. "
#: The pause inside a long part, so each screenful can be talked through before it scrolls away.
MORE_PROMPT = "Press Enter for more, or q to stop. "
STOPPED_EARLY = "Demo stopped. Nothing was saved."
#: How many of the person's actions the "actions" scene shows (the audit's summary shows three).
TOP_ACTIONS = 3
#: Reports wider than this are hard to read from the back of a room.
MAX_WIDTH = 100


class StopDemo(Exception):
    """The trainer pressed q (or the input ended): end the demo early, which is not an error."""


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    no_pause: Annotated[
        bool, typer.Option("--no-pause", help="Run straight through without waiting for Enter.")
    ] = False,
    plain: Plain = False,
) -> None:
    """A safe demonstration for workshops with a made-up person. Nothing is saved.

    Follows Sam, a made-up union rep, through an audit: the questions, the password checks
    (Sam's made-up passwords are shown on screen: they are teaching examples), reuse, the
    score, what to fix first and the lost-device card. Nothing is saved and nothing is looked
    up online. Press Enter for the next part, q to stop.

    \b
    Examples:
      nutsec demo --plain      on a projector: plain text, no boxes
      nutsec demo --no-pause --plain > handout.txt
                               the whole demo as a handout to print
    """
    from datetime import UTC, datetime

    from nutsec.cli.console import make_console, plain_wanted
    from nutsec.cli.keys import KeyInput
    from nutsec.demo.script import shipped_demo

    plain = plain_wanted(plain)
    console = make_console(plain)
    run = shipped_demo(datetime.now(UTC))
    keys = None if no_pause else KeyInput(make_console(plain, stderr=True))
    try:
        Slides(console, plain, run, keys).show()
    except StopDemo:
        console.print()
        console.print(STOPPED_EARLY)


class Slides:
    """The scenes in order, a pause between each (unless `keys` is None: straight through)."""

    def __init__(self, console: Console, plain: bool, run: DemoRun, keys: KeyInput | None) -> None:
        self.console = console
        self.plain = plain
        self.run = run
        self.keys = keys
        self.title = ""

    def show(self) -> None:
        from nutsec.demo.script import SCENES

        shows = {
            "welcome": self.welcome,
            "inventory": self.inventory,
            "questions": self.questions,
            "passwords": self.passwords,
            "reuse": self.reuse,
            "score": self.score,
            "actions": self.actions,
            "lost-device": self.lost_device,
            "try-it": self.try_it,
        }
        for number, scene_id in enumerate(SCENES, start=1):
            if number > 1:
                self.pause()
            scene = self.run.script.scene(scene_id)
            self.title = f"Part {number} of {len(SCENES)}: {scene.title}"
            self.heading(self.title)
            self.paragraphs(scene.say)
            shows[scene_id](scene)
            self.paragraphs(scene.after)

    # Layout ---------------------------------------------------------------------------------

    def more(self) -> None:
        """A pause inside a long part: on a projector the next screenful starts at the top,
        under the part's heading again; a handout (--no-pause) just runs on."""
        if self.keys is None:
            return
        self.pause(MORE_PROMPT)
        self.heading(f"{self.title} (continued)")

    def pause(self, prompt: str = PAUSE_PROMPT) -> None:
        if self.keys is None:
            self.console.print()
            return
        from nutsec.cli.keys import StopInput

        self.console.print()
        try:
            key = self.keys.key(prompt)
        except StopInput:
            raise StopDemo from None
        if self.keys.is_terminal:
            self.keys.console.print()  # a key read in cbreak mode is not echoed
            _drop_typed_ahead()
        if key == "q":
            raise StopDemo
        if not self.plain and self.console.is_terminal:
            self.console.clear()  # each scene starts at the top of the projector's screen

    def heading(self, title: str) -> None:
        from rich.text import Text

        if self.plain:
            self.console.print(title)
            self.console.print("=" * min(len(title), self.console.width))
        else:
            self.console.rule(Text(title, style="bold"), align="left")
        self.console.print()

    def paragraphs(self, paragraphs: tuple[str, ...]) -> None:
        """Narration: one block per paragraph; a paragraph indented in the script is a command."""
        from rich.markup import escape

        from nutsec.cli.layout import print_indented

        for paragraph in paragraphs:
            text = paragraph.lstrip(" ")
            indent = len(paragraph) - len(text)
            if indent:
                print_indented(self.console, f"[bold]{escape(text)}[/]", indent=indent)
            else:
                print_indented(self.console, escape(text), indent=0)
            self.console.print()

    def line(self, text: str, *, bold: str = "", indent: int = 0) -> None:
        """`bold` (plain text) then `text`, wrapped with a hanging indent; neither is markup."""
        from rich.markup import escape

        from nutsec.cli.layout import print_indented

        lead = f"[bold]{escape(bold)}[/]" if bold else ""
        print_indented(self.console, lead + escape(text), indent=indent)

    def report_parts(self, *parts: ReportPart, actions: int | None = None) -> None:
        """Parts of the real report, as `nutsec report` shows them."""
        from dataclasses import replace

        from nutsec.report.terminal_format import TerminalRenderer

        report = self.run.report
        if actions is not None:
            report = replace(report, actions=report.actions[:actions])
        renderer = TerminalRenderer(
            plain=self.plain,
            color=self.console.is_terminal,
            width=min(self.console.width, MAX_WIDTH),
        )
        text = renderer.render_parts(report, parts).strip("\n")
        self.console.file.write(text + "\n\n")
        self.console.file.flush()

    # Scenes ---------------------------------------------------------------------------------

    def welcome(self, scene: Scene) -> None:
        self.line(self.run.script.about, bold=f"Meet {self.run.script.person}. ")
        self.console.print()

    def inventory(self, scene: Scene) -> None:
        from nutsec.report.view import report_view

        view = report_view(self.run.report)
        person = self.run.script.person.split()[0]
        self.line(f"{person}'s devices:")
        for device in view.devices:
            self.line(f"- {device.name} ({device.kind})", indent=2)
        self.console.print()
        self.line(f"{person}'s accounts:")
        for account in view.accounts:
            same = account.platform.casefold() == account.name.casefold()
            self.line(f"- {account.name}" + ("" if same else f" ({account.platform})"), indent=2)
        self.console.print()

    def questions(self, scene: Scene) -> None:
        person = self.run.script.person.split()[0]
        for shown in self.run.questions:
            subject = f"{shown.subject}: " if shown.subject else ""
            self.line(shown.item.question, bold=subject)
            self.line(shown.answer_label, bold=f"{person}'s answer: ", indent=2)
            self.line(shown.item.why, bold="Why it matters: ", indent=2)
            if shown.item.current:
                self.line(shown.item.current, bold="What has changed: ", indent=2)
            self.console.print()

    def passwords(self, scene: Scene) -> None:
        from nutsec.cli.password import show_verdict
        from nutsec.safe_text import without_controls
        from nutsec.verdict import judge_password

        for number, example in enumerate(self.run.examples):
            findings = self.run.audit.passwords.get(example.account)
            if findings is None:  # pragma: no cover - every example password is checked
                continue
            if number:
                self.more()  # one password per screen: each is a talking point
            self.line(
                f"{without_controls(example.text)}   (a made-up teaching example)",
                bold=f"{example.account}: ",
            )
            # As a live 'nutsec password check' shows it: one password, on its own.
            verdict = judge_password(findings.strength, findings.breach)
            show_verdict(
                self.console, verdict, findings.strength, findings.breach, plain=self.plain
            )
            self.console.print()

    def reuse(self, scene: Scene) -> None:
        for account in self.run.report.accounts:
            findings = account.password
            if findings is None:
                continue
            self.line("", bold=account.account.name)
            if findings.reused_with:
                self.line(f"Same password as: {', '.join(findings.reused_with)}", indent=2)
            if findings.similar_to:
                self.line(f"Similar password to: {', '.join(findings.similar_to)}", indent=2)
            if not findings.reused_with and not findings.similar_to:
                self.line("Used for this account only.", indent=2)
        self.console.print()

    def score(self, scene: Scene) -> None:
        from nutsec.report.terminal_format import ReportPart

        self.report_parts(ReportPart.SCORE)
        self.more()
        self.report_parts(ReportPart.SECTIONS)

    def actions(self, scene: Scene) -> None:
        from nutsec.report.terminal_format import ReportPart

        self.report_parts(ReportPart.ACTIONS, actions=TOP_ACTIONS)

    def lost_device(self, scene: Scene) -> None:
        from nutsec.report.terminal_format import ReportPart

        self.report_parts(ReportPart.CARD)

    def try_it(self, scene: Scene) -> None:
        """The closing slide is all narration."""


def _drop_typed_ahead() -> None:
    """A presenter's clicker sends a key as several bytes (an escape sequence): drop the rest,
    so one click moves on one scene, not four."""
    import sys
    import termios

    termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
