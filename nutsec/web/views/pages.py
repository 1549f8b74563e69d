"""Welcome, static files, finish; report, history, lost device, password check, demo, workshop."""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, Response

from nutsec.web.templating import page

bp = Blueprint("pages", __name__)


@bp.get("/")
def welcome() -> str:
    return page("welcome.html.j2")


@bp.get("/static/<name>")
def static(name: str) -> Response:
    kinds = {".css": "text/css", ".js": "text/javascript"}
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in kinds or "/" in name or name.startswith("."):
        return Response("Not found", status=404, mimetype="text/plain")
    resource = files("nutsec.web").joinpath("static", name)
    if not resource.is_file():
        return Response("Not found", status=404, mimetype="text/plain")
    return Response(resource.read_bytes(), mimetype=kinds[suffix])


@bp.post("/finish")
def finish() -> str:
    """The Finish button: the page says goodbye, then the server stops (answers are saved)."""
    from flask import current_app

    current_app.extensions["nutsec_stopper"].finished.set()
    return page("finished.html.j2")
