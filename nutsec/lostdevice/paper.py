"""The runbook as plain text for paper: tick boxes and a blank for the time at every step.

No colour, no markup, no control characters: names typed by a person are printed as text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import datetime

from nutsec.lostdevice.card import CardStep, LostDeviceCard
from nutsec.safe_text import without_controls

WIDTH = 80


def render_runbook_text(
    card: LostDeviceCard,
    about: Sequence[str],
    done: Mapping[str, datetime],
    *,
    width: int = WIDTH,
) -> str:
    """The whole runbook; `about` lines say which device and audit it is for. Steps already
    ticked show [x] and their time, the rest a blank to fill in by hand."""
    out: list[str] = [_safe(card.title), "=" * min(width, len(card.title))]
    for line in (*about, card.intro):
        out += _wrap(line, width, "", "")
    for step in card.steps:
        out.append("")
        out += _step(step, done.get(step.key), width)
    return "\n".join(out) + "\n"


def _step(step: CardStep, done_at: datetime | None, width: int) -> list[str]:
    box = "[x]" if done_at else "[ ]"
    head = f"{box} {step.number:>2}. "
    hang = " " * len(head)
    lines = _wrap(step.title, width, head, hang)
    lines += _wrap(step.detail, width, hang, hang)
    for hint in step.hints:
        lines += _wrap(hint, width, hang + "- ", hang + "  ")
    for item in step.lines:
        lines += _wrap(f"{item.label}: {item.text}", width, hang + "- ", hang + "  ")
    when = f"done {show_time(done_at)}" if done_at else "time: ____________"
    lines.append(f"{hang}{when}")
    return lines


def show_time(moment: datetime) -> str:
    """A time in the one style of every report: '25 November 2026, 09:42 GMT' (local)."""
    from nutsec.report.view import show_date

    return show_date(moment)


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        _safe(text),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _safe(text: str) -> str:
    return without_controls(text)
