"""The Flask app: the guards, then one blueprint per kind of page (nutsec/web/views/)."""

from __future__ import annotations

from flask import Flask

from nutsec.web.security import Guard, install
from nutsec.web.state import WebState


def create_app(state: WebState, guard: Guard) -> Flask:
    from nutsec.web.views import blueprints

    app = Flask("nutsec.web", static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=256 * 1024)  # forms only: nothing big is ever posted
    app.extensions["nutsec_state"] = state
    install(app, guard)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    return app
