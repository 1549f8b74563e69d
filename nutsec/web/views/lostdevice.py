"""The lost-device runbook: pick the device, tick steps off, times kept.

The same runbook (nutsec.lostdevice.runbook.build_runbook) and tick log (the store) as
`nutsec lost-device`; every tick is saved the moment it is given. The whole runbook is one page,
so nothing here needs the terminal's skip and back: the person ticks any step, in any order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, redirect, request
from werkzeug.wrappers import Response

from nutsec.web.templating import page
from nutsec.web.views import state

if TYPE_CHECKING:
    from nutsec.audit_data import Audit, Device
    from nutsec.lostdevice.runbook import Runbook

bp = Blueprint("lostdevice", __name__, url_prefix="/lost-device")


def _latest_audit() -> Audit | None:
    """The newest audit, finished or not (as the terminal); None when none was ever saved."""
    web = state()
    if not web.has_store():
        return None
    store = web.store()
    if not store.history():
        return None
    return store.load(store.resolve("latest", finished=None))


def _device(audit: Audit | None, number: str | None) -> Device | None:
    """Device `number` (from 1) of the audit; 0 or none: any device."""
    if audit is None or not number or not number.isdigit() or int(number) == 0:
        return None
    index = int(number) - 1
    if index >= len(audit.devices):
        abort(404)
    return audit.devices[index]


def _runbook(audit: Audit | None, device: Device | None) -> Runbook:
    from nutsec.lostdevice.platforms import shipped_platform_guide
    from nutsec.lostdevice.runbook import build_runbook

    guide = shipped_platform_guide()
    if audit is None:
        return build_runbook(None, device, (), guide)
    return build_runbook(audit.id, device, audit.accounts, guide)


@bp.get("")
def choose() -> str | Response:
    audit = _latest_audit()
    if audit is None or len(audit.devices) <= 1:
        only = "?device=1" if audit is not None and audit.devices else ""
        return redirect(f"/lost-device/steps{only}", code=303)
    return page("lostdevice/choose.html.j2", audit=audit)


@bp.get("/steps")
def steps() -> str:
    from nutsec.lostdevice.paper import show_time

    audit = _latest_audit()
    number = request.args.get("device", "0")
    device = _device(audit, number)
    runbook = _runbook(audit, device)
    web = state()
    done = web.store().ticks(runbook.audit_id, runbook.device_key) if web.has_store() else {}
    times = {key: show_time(at) for key, at in done.items()}
    left = [s for s in runbook.card.steps if s.key not in done]
    return page(
        "lostdevice/steps.html.j2",
        audit=audit,
        device=device,
        number=number if device is not None else "0",
        card=runbook.card,
        times=times,
        left=len(left),
        many=audit is not None and len(audit.devices) > 1,
        finished=audit is not None and audit.finished_at is not None,
    )


@bp.post("/tick")
def tick() -> Response:
    audit = _latest_audit()
    number = request.form.get("device", "0")
    device = _device(audit, number)
    runbook = _runbook(audit, device)
    key = request.form.get("step", "")
    step = next((s for s in runbook.card.steps if s.key == key), None)
    if step is None:
        abort(400)
    store = state().store()
    if key not in store.ticks(runbook.audit_id, runbook.device_key):
        store.tick(runbook.audit_id, runbook.device_key, key)  # saved at once
    shown = number if device is not None else "0"
    return redirect(f"/lost-device/steps?device={shown}#step-{step.number}", code=303)
