"""The Flask app: the guards, then one blueprint per kind of page (nutsec/web/views/), and the
pages for refusals and errors (plain words, never a traceback)."""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException

from nutsec.errors import NutsecError
from nutsec.web.security import Guard, install
from nutsec.web.state import WebState

#: What a refused or failed request says, by status: a title and a line of what to do.
ERROR_WORDS: dict[int, tuple[str, str]] = {
    400: (
        "That did not work",
        "The page sent something nutsec did not expect. Go back and try again.",
    ),
    403: (
        "This page needs nutsec to be started again",
        "For your safety, nutsec only answers the browser tab it opened itself. "
        "Run nutsec web again to open a new page.",
    ),
    404: ("There is no such page", "Use the links at the top of the page to find your way."),
    405: ("There is no such page", "Use the links at the top of the page to find your way."),
    413: ("That was too much text", "Go back and send less text at a time."),
    421: (
        "This address is not nutsec's",
        "nutsec only answers the address it printed when it started. Run nutsec web again.",
    ),
    500: (
        "Something went wrong",
        "Your answers so far are saved. Try again from My audit. If this page comes back, press "
        "Close nutsec for today below, then start nutsec again the way you started it today.",
    ),
}


def create_app(state: WebState, guard: Guard) -> Flask:
    from nutsec.web.views import blueprints

    app = Flask("nutsec.web", static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=256 * 1024)  # forms only: nothing big is ever posted
    app.extensions["nutsec_state"] = state
    install(app, guard)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)

    @app.errorhandler(HTTPException)
    def _refused(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        return error_page(status), status

    @app.errorhandler(NutsecError)
    def _nutsec_error(error: NutsecError) -> tuple[str, int]:
        # A person's mistake or a state nutsec explains (an audit open elsewhere): its own words.
        return error_page(409, message=error.message, details=error.details), 409

    @app.errorhandler(Exception)
    def _crashed(error: Exception) -> tuple[str, int]:
        app.logger.error("nutsec web: %s while answering a page", type(error).__name__)
        return error_page(500), 500

    return app


def error_page(status: int, *, message: str | None = None, details: tuple[str, ...] = ()) -> str:
    """The page for a refusal or an error. Refusals of requests without the session (403, 421)
    carry no form token and no links into nutsec."""
    from flask import g, request

    from nutsec.web.templating import environment, own_styles

    title, text = ERROR_WORDS.get(status, ERROR_WORDS[500])
    if message is not None:
        title, text = "nutsec could not do that", message
    guard = getattr(g, "guard", None)
    in_session = (
        guard is not None
        and guard.session_id is not None
        and request.cookies.get(guard.cookie) == guard.session_id
        and request.host in guard.allowed_hosts()
    )
    return (
        environment()
        .get_template("error.html.j2")
        .render(
            csrf_token=guard.csrf if in_session and guard is not None else "",
            title=title,
            text=text,
            details=details,
            status=status,
            # Without the session, /static is refused too: the styles come inside the page.
            inline_css="" if in_session else own_styles(),
        )
    )
