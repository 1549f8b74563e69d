"""The trainer's demo in large print for a projector: one part per page, Next and Back.

The parts are the ones `nutsec demo` shows (nutsec.demo.script: the made-up person run through
the real engine; nutsec.demo.flow: where Next and Back lead). Nothing is saved or looked up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, redirect
from werkzeug.wrappers import Response

from nutsec.web.templating import page
from nutsec.web.views import state

if TYPE_CHECKING:
    from nutsec.demo.script import DemoRun

bp = Blueprint("demo", __name__, url_prefix="/demo")


def _run() -> DemoRun:
    from datetime import UTC, datetime

    from nutsec.demo.script import DemoRun, shipped_demo

    web = state()
    if not isinstance(web.demo, DemoRun):
        web.demo = shipped_demo(datetime.now(UTC))
    assert isinstance(web.demo, DemoRun)  # nosec B101  # narrowing for mypy
    return web.demo


@bp.get("")
def first() -> Response:
    return redirect("/demo/1", code=303)


@bp.get("/<int:number>")
def part(number: int) -> str:
    from nutsec.demo.flow import DemoFlow, Move, Place
    from nutsec.demo.script import SCENES
    from nutsec.report.view import report_view

    if not 1 <= number <= len(SCENES):
        abort(404)
    run = _run()
    flow = DemoFlow([1] * len(SCENES))  # one page per part: the browser scrolls
    here = Place(number - 1, 0)
    after = flow.step(here, Move.NEXT)
    before = flow.step(here, Move.BACK)
    scene_id = SCENES[number - 1]
    scene = run.script.scene(scene_id)
    view = report_view(run.report)
    return page(
        "demo/part.html.j2",
        number=number,
        total=len(SCENES),
        scene=scene,
        scene_id=scene_id,
        say=[_paragraph(p) for p in scene.say],
        after_text=[_paragraph(p) for p in scene.after],
        next_number=after.part + 1 if after is not None else None,
        back_number=before.part + 1 if before is not None and before != here else None,
        run=run,
        person=run.script.person,
        first_name=run.script.person.split()[0],
        view=view,
        passwords=_passwords(run),
    )


def _paragraph(text: str) -> dict[str, Any]:
    """A paragraph of narration; one indented in the script is a command to show as code."""
    body = text.lstrip(" ")
    return {"text": body, "command": len(body) != len(text)}


def _passwords(run: DemoRun) -> list[dict[str, Any]]:
    """Each made-up teaching password with its verdict, as a live check shows it."""
    from nutsec.demo.script import example_verdict
    from nutsec.web.views.password import LEVEL_WORDS

    shown = []
    for example in run.examples:
        findings = run.audit.passwords.get(example.account)
        verdict = example_verdict(run, example)
        if findings is None or verdict is None:  # pragma: no cover - every one is checked
            continue
        shown.append(
            {
                "account": example.account,
                "text": example.text,  # teaching material, shown on purpose (PRODUCT.md)
                "verdict": verdict,
                "strength": findings.strength,
                "level_word": LEVEL_WORDS[verdict.level],
            }
        )
    return shown
