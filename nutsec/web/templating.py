"""Pages are Jinja2 templates (escaped by default) from nutsec/web/templates, which may include the
report's own templates; `page()` adds what every page needs (the form token, the nav)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def environment() -> Environment:
    from nutsec.report.template_env import html_environment

    return html_environment("nutsec.web")


def page(name: str, **context: Any) -> str:
    """The page `name` (e.g. "welcome.html.j2") with `context`, plus `csrf_token` and `nav`."""
    from nutsec.web.security import csrf_token

    return environment().get_template(name).render(csrf_token=csrf_token(), **context)
