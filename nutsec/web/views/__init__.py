"""One module per kind of page; each exposes `bp`, a Flask Blueprint."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint


def blueprints() -> list[Blueprint]:
    from nutsec.web.views import audit, pages

    return [pages.bp, audit.bp]


def state():  # type: ignore[no-untyped-def]
    """The server's `WebState` (see nutsec.web.state)."""
    from flask import current_app

    return current_app.extensions["nutsec_state"]
