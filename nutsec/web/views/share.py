"""A rep's share code for a workshop, with a Copy button (a static script; without it, the code
is selectable text), and in words exactly what it holds (nutsec.share, as `nutsec share`)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request

from nutsec.web.templating import page
from nutsec.web.views import state

bp = Blueprint("share", __name__)


@bp.get("/share")
def share() -> str:
    from nutsec.audit_history import history_rows
    from nutsec.share.code import encode, share_code_of
    from nutsec.share.words import describe, items_of_code

    web = state()
    rows = [r for r in history_rows(web.store().history()) if r.finished] if web.has_store() else []
    if not rows:
        return page("share.html.j2", code=None, rows=[])
    wanted = request.args.get("audit", "")
    chosen = next((r for r in rows if str(r.id) == wanted), rows[-1])
    audit = web.store().load(chosen.id)
    code = share_code_of(audit, web.store().share_id(chosen.id), date.today())
    lines = describe(code, items_of_code(code, audit.checklist), width=10_000)
    blank = lines.index("")
    answers = [(line[2:17].strip(), line[18:]) for line in lines[1:blank]]
    summary = lines[blank + 1 :]
    return page(
        "share.html.j2",
        code=encode(code),
        audit=chosen,
        rows=list(reversed(rows)),
        answers=answers,
        holds=[line[2:] for line in summary if line.startswith("- ")],
        closing=[line for line in summary[1:] if not line.startswith("- ")],
    )
