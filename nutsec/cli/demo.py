"""`nutsec demo`: the trainer's walk-through with a fictional representative.

The scenes show what the real engine made of the made-up person (nutsec.demo.script) and the
step machine (nutsec.demo.flow) says where each key leads; this module only lays the parts out
in pages that fit the screen, draws them and reads keys. It opens no store and no network
connection: nothing is saved and nothing is looked up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from nutsec.cli.options import Plain

if TYPE_CHECKING:
    from rich.console import Console

    from nutsec.cli.keys import KeyInput
    from nutsec.demo.flow import Place
    from nutsec.demo.script import DemoRun, Scene
    from nutsec.report.terminal_format import ReportPart

#: What the trainer sees under each page (on stderr, so a printed handout stays clean).
PAUSE_PROMPT = "Space or Enter: next   b: back   q: stop "
END_PROMPT = "End of the demo. b: back   Enter or q: finish "
STOPPED_EARLY = "Demo stopped. Nothing was saved."
#: How many of the person's actions the "actions" scene shows (the audit's summary shows three).
TOP_ACTIONS = 3
#: Reports wider than this are hard to read from the back of a room.
MAX_WIDTH = 100
#: The projector size the demo is written for; a smaller window gets more, shorter pages.
SCREEN_LINES = 40
#: Lines of a page that are not the part's own: title, underline, blank; blank, prompt.
FRAME_LINES = 5


class StopDemo(Exception):
    """The trainer pressed q (or the input ended): end the demo early, which is not an error."""


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    no_pause: Annotated[
        bool,
        typer.Option("--no-pause", help="Print every part one after another, as a handout."),
    ] = False,
    plain: Plain = False,
) -> None:
    """A safe demonstration for workshops with a made-up person. Nothing is saved.

    Follows Sam, a made-up union rep, through an audit: the questions, the password checks
    (Sam's made-up passwords are shown on screen: they are teaching examples), reuse, the
    score, what to fix first and the lost-device card. Nothing is saved and nothing is looked
    up online. Each part starts on a clean screen. Space, Enter, Right or PageDown: next;
    b, Left or PageUp: back; q: stop.

    \b
    Examples:
      nutsec demo --plain      on a projector: plain text, no boxes
      nutsec demo --no-pause --plain > handout.txt
                               the whole demo as a handout to print
    """
    import shutil
    from datetime import UTC, datetime

    from nutsec.cli.console import make_console, plain_wanted
    from nutsec.cli.keys import KeyInput
    from nutsec.demo.script import shipped_demo

    plain = plain_wanted(plain)
    console = make_console(plain)
    run = shipped_demo(datetime.now(UTC))
    slides = Slides(console, plain, run)
    if no_pause:
        slides.handout()
        return
    keys = KeyInput(make_console(plain, stderr=True))
    lines = shutil.get_terminal_size((80, SCREEN_LINES)).lines if console.is_terminal else 0
    try:
        slides.present(keys, lines or SCREEN_LINES)
    except StopDemo:
        console.print()
        console.print(STOPPED_EARLY)


@dataclass(frozen=True)
class Block:
    """Lines that belong together (a paragraph, a password and its verdict); never split unless
    longer than a page. `new_page`: starts a page of its own, as a talking point."""

    lines: tuple[str, ...]
    new_page: bool = False


class Slides:
    """The parts, each drawn as blocks of finished lines; shown as pages or as one handout."""

    def __init__(self, console: Console, plain: bool, run: DemoRun) -> None:
        self.console = console
        self.plain = plain
        self.run = run
        self.width = min(console.width, MAX_WIDTH)
        self.person = run.script.person.split()[0]

    # Showing -----------------------------------------------------------------------------------

    def titles(self) -> list[str]:
        from nutsec.demo.script import SCENES

        return [
            f"Part {number} of {len(SCENES)}: {self.run.script.scene(scene_id).title}"
            for number, scene_id in enumerate(SCENES, start=1)
        ]

    def parts(self) -> list[list[Block]]:
        from nutsec.demo.script import SCENES

        return [self.blocks(scene_id) for scene_id in SCENES]

    def handout(self) -> None:
        """Every part in order, nothing cleared and nothing waited for."""
        for title, blocks in zip(self.titles(), self.parts(), strict=True):
            self.write(self.heading(title) + _join(list(blocks)) + [""])

    def present(self, keys: KeyInput, screen_lines: int) -> None:
        """Page by page, each on a cleared screen, until the trainer stops or finishes."""
        from nutsec.demo.flow import DemoFlow, Move, move_for

        titles = self.titles()
        pages = [paginate(blocks, max(screen_lines - FRAME_LINES, 8)) for blocks in self.parts()]
        flow = DemoFlow([len(p) for p in pages])
        place: Place | None = flow.first
        while place is not None:
            self.show_page(titles[place.part], pages[place.part], place.page)
            last = flow.is_last(place)
            move = None
            prompt = END_PROMPT if last else PAUSE_PROMPT
            while move is None:
                key = read_key(keys, prompt)
                prompt = ""
                move = move_for(key)
            if move is Move.STOP and not last:
                raise StopDemo
            place = flow.step(place, move)

    def show_page(self, title: str, pages: list[list[str]], page: int) -> None:
        if self.console.is_terminal:
            # Both modes: a projector shows each part from the top, never under the last one.
            self.console.file.write("\x1b[H\x1b[2J")
        if len(pages) > 1:
            title = f"{title} ({page + 1} of {len(pages)})"
        self.write(self.heading(title) + pages[page] + [""])

    def heading(self, title: str) -> list[str]:
        from rich.text import Text

        if self.plain:
            return [title, "=" * min(len(title), self.width), ""]
        return [
            *self.capture(lambda: self.console.rule(Text(title, style="bold"), align="left")),
            "",
        ]

    def write(self, lines: list[str]) -> None:
        self.console.file.write("\n".join(lines) + "\n")
        self.console.file.flush()

    def capture(self, draw: Callable[[], None]) -> tuple[str, ...]:
        """What `draw` prints, as finished lines (colour codes kept), trailing blanks dropped."""
        with self.console.capture() as captured:
            draw()
        lines = captured.get().split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        return tuple(lines)

    # The parts as blocks ----------------------------------------------------------------------

    def blocks(self, scene_id: str) -> list[Block]:
        scene = self.run.script.scene(scene_id)
        draws: dict[str, Callable[[Scene], list[Block]]] = {
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
        return [*self.paragraphs(scene.say), *draws[scene_id](scene), *self.paragraphs(scene.after)]

    def paragraphs(self, paragraphs: tuple[str, ...]) -> list[Block]:
        """Narration: one block per paragraph; a paragraph indented in the script is a command."""
        from rich.markup import escape

        blocks = []
        for paragraph in paragraphs:
            text = paragraph.lstrip(" ")
            indent = len(paragraph) - len(text)
            markup = f"[bold]{escape(text)}[/]" if indent else escape(text)

            def draw(markup: str = markup, indent: int = indent) -> None:
                self._indented(markup, indent)

            blocks.append(Block(self.capture(draw)))
        return blocks

    def _indented(self, markup: str, indent: int, hang: int | None = None) -> None:
        from nutsec.cli.layout import wrap_indented

        self.console.print(
            wrap_indented(self.console, markup, width=self.width, indent=indent, hang=hang),
            soft_wrap=True,
        )

    def line(self, text: str, *, bold: str = "", indent: int = 0) -> None:
        """`bold` (plain text) then `text`, wrapped with a hanging indent; neither is markup."""
        from rich.markup import escape

        lead = f"[bold]{escape(bold)}[/]" if bold else ""
        self._indented(lead + escape(text), indent)

    def report_parts(self, *parts: ReportPart, actions: int | None = None) -> tuple[str, ...]:
        """Parts of the real report, as `nutsec report` shows them."""
        from dataclasses import replace

        from nutsec.report.terminal_format import TerminalRenderer

        report = self.run.report
        if actions is not None:
            report = replace(report, actions=report.actions[:actions])
        renderer = TerminalRenderer(
            plain=self.plain, color=self.console.is_terminal, width=self.width
        )
        return tuple(renderer.render_parts(report, parts).strip("\n").split("\n"))

    def welcome(self, scene: Scene) -> list[Block]:
        about = self.run.script.about
        return [
            Block(self.capture(lambda: self.line(about, bold=f"Meet {self.run.script.person}. ")))
        ]

    def inventory(self, scene: Scene) -> list[Block]:
        from nutsec.report.view import report_view

        view = report_view(self.run.report)

        def devices() -> None:
            self.line(f"{self.person}'s devices:")
            for device in view.devices:
                self.line(f"- {device.name}" + _in_brackets(device.kind, device.name), indent=2)

        def accounts() -> None:
            self.line(f"{self.person}'s accounts:")
            for account in view.accounts:
                self.line(
                    f"- {account.name}" + _in_brackets(account.platform, account.name), indent=2
                )

        return [Block(self.capture(devices)), Block(self.capture(accounts))]

    def questions(self, scene: Scene) -> list[Block]:
        blocks = []
        for shown in self.run.questions:

            def draw(shown: object = shown) -> None:
                from nutsec.demo.script import ShownQuestion

                assert isinstance(shown, ShownQuestion)  # nosec B101  # narrowing for mypy
                subject = f"{shown.subject}: " if shown.subject else ""
                self.line(shown.item.question, bold=subject)
                self.line(shown.answer_label, bold=f"{self.person}'s answer: ", indent=2)
                self.line(shown.item.why, bold="Why it matters: ", indent=2)
                if shown.item.current:
                    self.line(shown.item.current, bold="What has changed: ", indent=2)

            blocks.append(Block(self.capture(draw)))
        return blocks

    def passwords(self, scene: Scene) -> list[Block]:
        from nutsec.cli.password import show_verdict
        from nutsec.safe_text import without_controls
        from nutsec.verdict import Verdict

        blocks = []
        from nutsec.demo.script import example_verdict

        for number, example in enumerate(self.run.examples):
            findings = self.run.audit.passwords.get(example.account)
            verdict = example_verdict(self.run, example)
            if findings is None or verdict is None:  # pragma: no cover - every one is checked
                continue

            def draw(
                example: object = example, findings: object = findings, verdict: object = verdict
            ) -> None:
                from nutsec.audit_data import PasswordFindings
                from nutsec.demo.script import TeachingPassword

                assert isinstance(example, TeachingPassword)  # nosec B101  # narrowing for mypy
                assert isinstance(findings, PasswordFindings)  # nosec B101
                self.line(
                    f"{without_controls(example.text)}   (a made-up teaching example)",
                    bold=f"{example.account}: ",
                )
                # As a live 'nutsec password check' shows it: one password, on its own.
                assert isinstance(verdict, Verdict)  # nosec B101  # narrowing for mypy
                show_verdict(
                    self.console, verdict, findings.strength, findings.breach, plain=self.plain
                )

            # One password per page: each is a talking point.
            blocks.append(Block(self.capture(draw), new_page=number > 0))
        return blocks

    def reuse(self, scene: Scene) -> list[Block]:
        def draw() -> None:
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

        return [Block(self.capture(draw))]

    def score(self, scene: Scene) -> list[Block]:
        """The person's score in the third person, then each section's working on one line."""
        from nutsec.report.view import report_view

        view = report_view(self.run.report)

        def headline() -> None:
            self.line(f"{view.overall} out of 100 ({view.band})", bold=f"{self.person}'s score: ")
            for sentence in (view.band_meaning, view.capped, f"{view.points} over all sections."):
                if sentence:
                    self.line(sentence)
            if view.coverage:
                self.line(view.coverage)

        def sections() -> None:
            self.line("How each section was worked out (points earned of possible):", bold="")
            room = min(max(len(s.title) for s in view.sections), max(self.width - 20, 20))
            for s in view.sections:
                title = s.title if len(s.title) <= room else s.title[: room - 3] + "..."
                self.console.print(f"  {title:<{room}} {s.points:>10} {s.score:>5}", markup=False)

        return [Block(self.capture(headline)), Block(self.capture(sections))]

    def actions(self, scene: Scene) -> list[Block]:
        from nutsec.report.terminal_format import ReportPart

        return [Block(self.report_parts(ReportPart.ACTIONS, actions=TOP_ACTIONS))]

    def lost_device(self, scene: Scene) -> list[Block]:
        from nutsec.report.terminal_format import ReportPart

        return [Block(self.report_parts(ReportPart.CARD))]

    def try_it(self, scene: Scene) -> list[Block]:
        """The closing slide is all narration."""
        return []


def paginate(blocks: list[Block], room: int) -> list[list[str]]:
    """Blocks packed into pages of at most `room` lines, a blank line between blocks; a block
    longer than a page is cut at a blank line where it can be (a step of the card), else a line."""
    pages: list[list[str]] = [[]]
    for block in blocks:
        page = pages[-1]
        needed = len(block.lines) + (1 if page else 0)
        # A block that does not fit moves to a new page, unless that would leave this page
        # mostly empty (or it is longer than a page anyway): then it starts here and is cut.
        moves = len(block.lines) <= room and len(page) > room // 3
        if page and (block.new_page or (len(page) + needed > room and moves)):
            pages.append([])
            page = pages[-1]
        elif page:
            page.append("")
        rest = list(block.lines)
        while len(page) + len(rest) > room:
            cut = _cut_at(rest, room - len(page))
            page.extend(rest[:cut])
            rest = rest[cut:]
            while rest and not rest[0].strip():
                rest.pop(0)
            pages.append([])
            page = pages[-1]
        page.extend(rest)
    return [page for page in pages if page] or [[]]


def _cut_at(lines: list[str], room: int) -> int:
    """Where to cut a long block to fit `room`: before an unindented line (a step of the card),
    near the middle when the rest then fits one more page, so both pages read as halves."""
    starts = [
        index for index in range(1, min(room, len(lines) - 1) + 1) if _starts_a_step(lines[index])
    ]
    if not starts:
        return max(room, 1)
    target = len(lines) / 2 if len(lines) <= 2 * room else room
    return min(starts, key=lambda index: (abs(index - target), -index))


def _starts_a_step(line: str) -> bool:
    """An unindented line, or one just inside a box's left edge ('│ 4.  Secure ...')."""
    from rich.text import Text

    plain = Text.from_ansi(line).plain
    body = plain[2:] if plain.startswith("│ ") else plain
    return bool(body.strip()) and not body[:1].isspace() and body[:1] not in "│╰"


def _join(blocks: list[Block]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
        lines.extend(block.lines)
    return lines


def _in_brackets(detail: str, name: str) -> str:
    """' (Phone)' after a name; nothing when the detail is empty or only repeats the name."""
    detail = detail.strip()
    if not detail or detail.casefold() == name.casefold():
        return ""
    return f" ({detail})"


def read_key(keys: KeyInput, prompt: str) -> str:
    """One key from the trainer; the key reader names arrows and PageUp/PageDown ('left',
    'pagedown') on every system."""
    from nutsec.cli.keys import StopInput

    try:
        key = keys.key(prompt)
    except StopInput:
        raise StopDemo from None
    if keys.is_terminal:
        keys.console.print()  # a key read in cbreak mode is not echoed
        # A presenter's clicker can send a key as several bytes: one click moves one page.
        keys.discard_typeahead()
    return key
