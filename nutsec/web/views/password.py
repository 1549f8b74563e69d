"""Check one password: a password field, a POST, then a redirect (303) to the verdict page.

The password is read from the POST body only, wrapped at once in a Secret, checked (strength here,
breach by the first 5 characters of its SHA-1 hash) and wiped. The verdict kept for the page after
the redirect holds only the words about it, never the password; reloading that page resends
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Blueprint, abort, redirect, request
from werkzeug.wrappers import Response

from nutsec.web.templating import page
from nutsec.web.views import state

if TYPE_CHECKING:
    from nutsec.breach.model import BreachResult
    from nutsec.passwords.strength import StrengthResult
    from nutsec.verdict import Verdict

bp = Blueprint("password", __name__, url_prefix="/password")

#: No password is this long (as `nutsec password check`).
MAX_PASSWORD_CHARS = 65_536

LEVEL_WORDS = {"strong": "Strong", "fair": "Fair", "weak": "Weak", "breached": "Breached"}


@dataclass(frozen=True)
class Checked:
    """What the verdict page shows: words about the password, never the password."""

    verdict: Verdict
    strength: StrengthResult
    breach: BreachResult


@bp.get("")
def form() -> str:
    empty = request.args.get("empty") == "1"
    return page("password/form.html.j2", empty=empty, offline=state().config.offline)


@bp.post("")
def check() -> Response:
    from nutsec.passwords.strength import account_context, assess_strength
    from nutsec.secret import Secret
    from nutsec.verdict import judge_password

    secret = Secret(request.form.get("password", "")[:MAX_PASSWORD_CHARS])
    try:
        if not secret:
            return redirect("/password?empty=1", code=303)
        strength = assess_strength(secret, account_context())  # no account: nut, union
        breach = state().source().check(secret)
    finally:
        secret.wipe()
    key = state().keep(Checked(judge_password(strength, breach), strength, breach))
    return redirect(f"/password/result/{key}", code=303)


@bp.get("/result/<key>")
def result(key: str) -> str:
    checked = state().results.get(key)
    if not isinstance(checked, Checked):
        abort(404)
    return page("password/result.html.j2", c=checked, level_word=LEVEL_WORDS[checked.verdict.level])
