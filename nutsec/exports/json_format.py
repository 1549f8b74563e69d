"""The export audit as JSON, schema `nutsec.passwords/1` (docs/exports.md). Keys are only added."""

from __future__ import annotations

import json
from typing import Any

from nutsec import __version__
from nutsec.exports.checks import EntryFindings, ExportAudit
from nutsec.exports.renderer import AuditRenderer
from nutsec.passwords.weakness import make_strong, weak_reason

SCHEMA = "nutsec.passwords/1"


class JsonAuditRenderer(AuditRenderer):
    def render(self, audit: ExportAudit) -> str:
        # ASCII only: a name holding terminal control or bidi characters stays an escape code
        # (\u001b) when the JSON is shown on a screen.
        return json.dumps(audit_json(audit), indent=2, ensure_ascii=True) + "\n"


def audit_json(audit: ExportAudit) -> dict[str, Any]:
    """The audit as JSON-ready data, in the documented shape."""
    return {
        "schema": SCHEMA,
        "tool_version": __version__,
        "file": audit.file_name,
        "source": {"key": audit.source_key, "title": audit.source_title},
        "entries": [_entry(f) for f in audit.entries],
        "summary": audit.summary.to_json(),
        "skipped": dict(sorted(audit.skipped.items())),
        "two_step_directory": (
            {"source": "https://2fa.directory", "date": audit.two_step_date}
            if audit.two_step_date
            else None
        ),
        "passkeys_directory": _passkeys_directory(audit),
    }


def _passkeys_directory(audit: ExportAudit) -> dict[str, str] | None:
    """The Passkeys Directory's source and credit (CC BY 4.0), when a hint was given."""
    credit = next((f.passkey.credit for f in audit.entries if f.passkey), "")
    if not credit:
        return None
    return {"source": "https://github.com/2factorauth/passkeys", "credit": credit}


def _entry(f: EntryFindings) -> dict[str, Any]:
    return {
        "name": f.name,
        "username": f.username,
        "url": f.url,
        "line": f.line,
        "copies": f.copies,
        "strength": {
            **f.strength.to_json(),
            "rating": f.strength.rating,
            "truncated": f.strength.truncated,
        },
        "breach": f.breach.to_json(),
        "reused_with": list(f.reused_with),
        "similar_to": list(f.similar_to),
        "verdict": {
            "level": f.verdict.level,
            "headline": f.verdict.headline,
            "advice": list(f.verdict.advice),
        },
        "folder": f.folder,
        "two_step": _two_step(f),
        "hidden": list(f.hidden),
        "weakness": (
            {"why": weak_reason(f.strength), "to_make_strong": make_strong(f.strength)}
            if f.weak
            else None
        ),
        "passkey": (
            {"site": f.passkey.site, "hint": f.passkey.text, "how_to": f.passkey.link or None}
            if f.passkey
            else None
        ),
    }


def _two_step(f: EntryFindings) -> dict[str, Any]:
    """What the 2FA Directory says of the site, and whether a code generator is saved."""
    site = f.two_step
    return {
        "set_up": f.totp,
        "listed": site is not None,
        "offered": f.two_step_offered,
        "site": site.name if site else None,
        "methods": list(site.methods) if site else [],
        "how_to": (site.documentation or None) if site else None,
    }
