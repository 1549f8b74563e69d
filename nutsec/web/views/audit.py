"""The audit's pages: inventory, passwords, one question at a time, contents, the end."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")
