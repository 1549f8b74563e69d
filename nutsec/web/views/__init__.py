"""One module per kind of page; each exposes `bp`, a Flask Blueprint."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint

    from nutsec.web.state import WebState


def blueprints() -> list[Blueprint]:
    from nutsec.web.views import (
        audit,
        demo,
        history,
        lostdevice,
        pages,
        password,
        report,
        share,
        workshop,
    )

    return [
        pages.bp,
        audit.bp,
        report.bp,
        history.bp,
        lostdevice.bp,
        password.bp,
        demo.bp,
        workshop.bp,
        share.bp,
    ]


def state() -> WebState:
    """The server's `WebState` (see nutsec.web.state)."""
    from flask import current_app

    found: WebState = current_app.extensions["nutsec_state"]
    return found
