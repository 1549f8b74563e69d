"""History: the saved audits, their scores, and what changed (the same rows and lines as
`nutsec history`, from nutsec.audit_history)."""

from __future__ import annotations

from flask import Blueprint

from nutsec.web.templating import page
from nutsec.web.views import state

bp = Blueprint("history", __name__)


@bp.get("/history")
def history() -> str:
    from nutsec.audit_history import history_rows, progress_lines

    web = state()
    summaries = web.store().history() if web.has_store() else []
    lines = progress_lines(web.store(), summaries) if summaries else []
    heading = next((line for line in lines if line and not line.startswith("- ")), "")
    items = [line[2:] for line in lines if line.startswith("- ")]
    others = [line for line in lines if line and line != heading and not line.startswith("- ")]
    return page(
        "history.html.j2",
        rows=history_rows(summaries),
        progress_heading=heading,
        progress_items=items,
        progress_others=others,
    )
