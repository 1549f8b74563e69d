"""Welcome, the trainers' page, static files and Finish."""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, Response

from nutsec.web.templating import page
from nutsec.web.views import state

bp = Blueprint("pages", __name__)

#: The static files there are, and their types: nothing else is served.
KINDS = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


@bp.get("/")
def welcome() -> str:
    from nutsec.audit.walk import ESSENTIALS_LIMIT, first_sitting_minutes
    from nutsec.audit_history import show_date

    web = state()
    unfinished = None
    finished = 0
    if web.has_store():
        summaries = web.store().history()
        finished = sum(1 for s in summaries if s.finished_at is not None)
        waiting = [s for s in summaries if s.finished_at is None]
        if waiting:
            unfinished = {"id": waiting[-1].id, "date": show_date(waiting[-1].created_at)}

    return page(
        "welcome.html.j2",
        unfinished=unfinished,
        finished=finished,
        minutes=first_sitting_minutes("browser"),
        limit=ESSENTIALS_LIMIT,
    )


@bp.get("/trainers")
def trainers() -> str:
    return page("trainers.html.j2")


@bp.get("/static/<name>")
def static(name: str) -> Response:
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in KINDS or "/" in name or "\\" in name or name.startswith("."):
        return Response("Not found", status=404, mimetype="text/plain")
    resource = files("nutsec.web").joinpath("static", name)
    if not resource.is_file():
        return Response("Not found", status=404, mimetype="text/plain")
    return Response(resource.read_bytes(), content_type=KINDS[suffix])


@bp.post("/finish")
def finish() -> str:
    """The Finish button: the page says goodbye, then the server stops (answers are saved)."""
    from flask import current_app

    from nutsec.web.templating import own_styles

    current_app.extensions["nutsec_stopper"].stop("finished")
    # No links or buttons into a server that is going: the styles come inside the page.
    return page("finished.html.j2", inline_css=own_styles(), stopped=True)
