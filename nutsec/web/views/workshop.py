"""For trainers: the group summary from share codes pasted into a box.

The same reading (nutsec.workshop.codes), the same minimum group rule (nutsec.workshop.summary)
and the same page (the `workshop summary --format html` renderer) as the terminal.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request
from werkzeug.wrappers import Response

from nutsec.web.templating import page
from nutsec.web.views import state

bp = Blueprint("workshop", __name__, url_prefix="/workshop")

SHOWN = "The pasted codes"


def _form(codes: str = "", min_group: str = "", problem: str = "") -> str:
    from nutsec.workshop.limits import DEFAULT_MIN_GROUP, MIN_GROUP_FLOOR

    return page(
        "workshop/form.html.j2",
        codes=codes,
        min_group=min_group or str(DEFAULT_MIN_GROUP),
        floor=MIN_GROUP_FLOOR,
        problem=problem,
    )


@bp.get("")
def form() -> str:
    return _form()


@bp.post("")
def summarise_codes() -> str | Response:
    from nutsec.errors import NutsecError
    from nutsec.share.words import shipped_checklist
    from nutsec.workshop.codes import read_codes
    from nutsec.workshop.formats import SummaryFormat, renderer_for
    from nutsec.workshop.summary import GroupPicture, check_min_group, summarise

    text = request.form.get("codes", "")
    wanted = request.form.get("min_group", "").strip()
    try:
        if not wanted.isdigit():
            raise NutsecError("The smallest group must be a whole number, such as 5.")
        min_group = check_min_group(int(wanted))
        codes = read_codes(text, SHOWN)
        checklist = shipped_checklist(codes.checklist_id)
        if checklist is None:
            raise NutsecError(
                f"{SHOWN}, line {codes.first_line}: the codes are for checklist "
                f"'{codes.checklist_id}', which this nutsec does not ship; a summary can only be "
                "made for a checklist that comes with nutsec."
            )
        summary = summarise(codes, checklist, SHOWN, min_group)
    except NutsecError as error:
        return _form(text, wanted, error.message.replace("--min-group", "The smallest group"))
    html = renderer_for(SummaryFormat.HTML).render(GroupPicture(summary))
    return redirect(f"/workshop/summary/{state().keep(('workshop', html))}", code=303)


@bp.get("/summary/<key>")
def summary(key: str) -> str:
    from nutsec.web.documents import printable

    kept = state().results.get(key)
    if not (isinstance(kept, tuple) and kept[0] == "workshop"):
        abort(404)
    return printable(str(kept[1]), back="/workshop")
