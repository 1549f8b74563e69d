"""Pages are Jinja2 templates (escaped by default) from nutsec/web/templates, which may include the
report's own templates; `page()` adds what every page needs (the form token, the nav)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup


@cache
def environment() -> Environment:
    from nutsec.report.template_env import html_environment

    return html_environment("nutsec.web")


def own_styles() -> Markup:
    """nutsec's stylesheets as one <style> block's text, allowed on this response by its CSP hash:
    for the pages that must look right with no session to fetch /static (a refused request) or
    no server left to fetch it from (after Finish)."""
    from importlib.resources import files

    from markupsafe import Markup

    from nutsec.web.security import allow_styles

    folder = files("nutsec.web").joinpath("static")
    css = "\n".join(folder.joinpath(n).read_text(encoding="utf-8") for n in STANDALONE_CSS)
    allow_styles(css)
    # nutsec's own files, not input (and a <style> block's text is not HTML).
    return Markup(css)  # noqa: S704  # nosec B704


@cache
def start_again_command() -> str:
    """The line that starts this same nutsec web again, from any folder: the console script
    this process was started as, by its full path (no virtual environment to activate). Made
    once: every page's idle note says it."""
    import os
    import shlex
    import sys
    from pathlib import Path

    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name.lower().startswith("nutsec") and script.is_file():
        words = [str(script.resolve()), "web"]
    else:  # started as `python -m nutsec`
        words = [sys.executable, "-m", "nutsec", "web"]
    if os.name == "nt":
        return " ".join(f'"{w}"' if " " in w else w for w in words)
    return shlex.join(words)


#: The stylesheets every page links to, in order (base.html.j2).
STANDALONE_CSS = ("nutsec.css", "audit.css")


def page(name: str, **context: Any) -> str:
    """The page `name` (e.g. "welcome.html.j2") with `context`, plus `csrf_token` and what the
    idle note says (the idle time and the line that starts nutsec again)."""
    from flask import current_app

    from nutsec.web.security import csrf_token

    web = current_app.extensions.get("nutsec_state")
    idle = web.config.idle_minutes if web is not None else 0
    return (
        environment()
        .get_template(name)
        .render(
            csrf_token=csrf_token(),
            idle_minutes=idle,
            start_line=start_again_command(),
            **context,
        )
    )
