"""The report to print: the same HTML report `nutsec report --format html` writes, for the newest
finished audit or a chosen one, with a "Prepared for" name (the terminal's --name)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, request
from werkzeug.wrappers import Response

from nutsec.web.templating import page
from nutsec.web.views import state

bp = Blueprint("report", __name__, url_prefix="/report")

#: Longest "Prepared for" name taken (a name, not a letter).
MAX_NAME = 100


@dataclass(frozen=True)
class Wanted:
    audit_id: int
    name: str | None


@bp.get("")
def choose() -> str:
    from nutsec.audit_history import history_rows

    web = state()
    rows = history_rows(web.store().history()) if web.has_store() else []
    newest = next((r.id for r in reversed(rows) if r.finished), None)
    return page("report.html.j2", rows=list(reversed(rows)), newest=newest, max_name=MAX_NAME)


@bp.post("")
def chosen() -> Response:
    from nutsec.errors import NutsecError
    from nutsec.safe_text import without_controls

    web = state()
    if not web.has_store():
        raise NutsecError("There is no saved audit yet. Start one from My audit.")
    ref = request.form.get("audit", "latest").strip() or "latest"
    name = without_controls(request.form.get("name", "")).strip()
    if len(name) > MAX_NAME:
        raise NutsecError(f"The name is too long: please use at most {MAX_NAME} characters.")
    store = web.store()
    finished = True if ref == "latest" else None
    audit_id = store.resolve(ref, finished=finished)
    key = web.keep(Wanted(audit_id, name or None))
    return redirect(f"/report/print/{key}", code=303)


@bp.get("/print/<key>")
def printable_report(key: str) -> str:
    from nutsec.actions import Audience
    from nutsec.report.formats import ReportFormat, renderer_for
    from nutsec.report.model import build_report
    from nutsec.report.progress import previous_finished
    from nutsec.web.documents import printable

    web = state()
    wanted = web.results.get(key)
    if not isinstance(wanted, Wanted):
        abort(404)
    store = web.store()
    audit = store.load(wanted.audit_id)
    earlier = previous_finished(store.history(), wanted.audit_id)
    previous = store.load(earlier) if earlier is not None else None
    # Where an unfinished audit stopped: the questions after it are still to come, not skipped.
    position = store.position(wanted.audit_id)
    text = renderer_for(ReportFormat.HTML).render(
        build_report(
            audit,
            prepared_for=wanted.name,
            previous=previous,
            position=position,
            audience=Audience.BROWSER,
        )
    )
    return printable(text, back="/report")
