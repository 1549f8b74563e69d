"""The local server's guards (PRODUCT.md, "The audit in a web browser", promises 1-5).

Modelled on jupyter-server: a random one-time token in the start address is exchanged for an
HttpOnly, SameSite=Strict session cookie (then the token is spent); every request must carry that
cookie; the Host header must name this server (DNS rebinding); a POST must carry the session's form
token and must not come from another origin (Origin / Sec-Fetch-Site, as Go's
CrossOriginProtection).
Every response gets the security headers.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

from flask import Flask, abort, g, redirect, request
from werkzeug.wrappers import Response

#: The session cookie's name, with the port in it (as Jupyter does): cookies are not kept apart by
#: port, so two nutsec servers on one computer must not overwrite each other's.
COOKIE_PREFIX = "nutsec_session_"
TOKEN_PARAM = "token"  # noqa: S105  # nosec B105  # a parameter name, not a secret
CSRF_FIELD = "csrf_token"

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass
class Guard:
    """The secrets of one server run: the start token (until spent) and the one session."""

    port: int
    start_token: str | None = field(default_factory=lambda: secrets.token_urlsafe(32))
    session_id: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}", f"[::1]:{self.port}"}

    @property
    def cookie(self) -> str:
        return f"{COOKIE_PREFIX}{self.port}"

    def start_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?{TOKEN_PARAM}={self.start_token}"


def csrf_token() -> str:
    guard: Guard = g.guard
    return guard.csrf


def install(app: Flask, guard: Guard) -> None:
    """Every request passes these checks before any view runs."""

    @app.before_request
    def _check() -> Response | None:
        g.guard = guard
        if request.host not in guard.allowed_hosts():
            abort(421)
        token = request.args.get(TOKEN_PARAM)
        if token is not None and request.method == "GET":
            if guard.start_token is not None and hmac.compare_digest(token, guard.start_token):
                guard.start_token = None  # spent: a copy of the address opens nothing
                guard.session_id = secrets.token_urlsafe(32)
                response = redirect(request.path, code=303)
                response.set_cookie(
                    guard.cookie, guard.session_id, httponly=True, samesite="Strict", path="/"
                )
                return response
            if not _has_session(guard):
                abort(403)
            # The start address opened again in the browser that holds the session (a closed
            # tab, a bookmark): the cookie lets it in, as on any page; the spent token opens
            # nothing, and is dropped from the address.
            return redirect(request.path, code=303)
        if not _has_session(guard):
            abort(403)
        if request.method not in ("GET", "HEAD"):
            if not _same_origin():
                abort(403)
            sent = request.form.get(CSRF_FIELD, "")
            if not hmac.compare_digest(sent, guard.csrf):
                abort(403)
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers[name] = value
        hashes = g.get("style_hashes")
        if hashes:
            # A printable document (the report) keeps its own <style>: allowed by its hash only.
            allowed = " ".join(f"'sha256-{h}'" for h in hashes)
            response.headers["Content-Security-Policy"] = CSP.replace(
                "style-src 'self'", f"style-src 'self' {allowed}"
            )
        return response


def _has_session(guard: Guard) -> bool:
    cookie = request.cookies.get(guard.cookie)
    return (
        guard.session_id is not None
        and cookie is not None
        and hmac.compare_digest(cookie, guard.session_id)
    )


def allow_styles(*blocks: str) -> None:
    """Let this response's page use these exact <style> blocks (a CSP hash each, never
    'unsafe-inline')."""
    import base64
    import hashlib

    g.style_hashes = [
        base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode("ascii")
        for block in blocks
    ]


def _same_origin() -> bool:
    """Not sent by another site. Browsers set Sec-Fetch-Site themselves (a page cannot forge it);
    with `Referrer-Policy: no-referrer`, Chromium sends `Origin: null` on its own same-origin
    forms, so "null" counts only when Sec-Fetch-Site says same-origin. A client that sends
    neither header (not a browser, or a very old one) still needs the form token."""
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if site is not None and site != "same-origin":
        return False
    if origin is not None and origin != "null":
        return origin == f"http://{request.host}"
    return origin is None or site == "same-origin"
