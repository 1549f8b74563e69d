"""Jinja2 environments for the report templates: every {{ value }} escaped, no undefined names."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment


def html_environment(package: str = "nutsec.report") -> Environment:
    """Templates from `package`'s templates/ (shipped in the wheel), HTML-escaped by Jinja; another
    package's templates can include the report's own (a4_print.css)."""
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

    loaders = [PackageLoader(package, "templates"), PackageLoader("nutsec.report", "templates")]
    return Environment(
        loader=ChoiceLoader(loaders[:1] if package == "nutsec.report" else loaders),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def text_environment(escape: Callable[[Any], str]) -> Environment:
    """Templates for a text format whose own `escape` is applied to every {{ value }}.

    Jinja's autoescape knows only HTML; `finalize` runs on every expression's output, so the
    Markdown template is escaped by default just the same.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined

    # Markdown, not HTML: `finalize` escapes every value (bandit B701 checks for HTML only).
    return Environment(  # nosec B701
        loader=PackageLoader("nutsec.report", "templates"),
        autoescape=False,  # noqa: S701 (Markdown, escaped by `finalize`)
        finalize=escape,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
