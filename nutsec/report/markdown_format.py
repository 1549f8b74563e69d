"""The report as Markdown: the HTML report's content, for wikis, e-mails and plain-text editors."""

from __future__ import annotations

import re

from nutsec.report.model import Report
from nutsec.report.renderer import ReportRenderer
from nutsec.report.template_env import text_environment
from nutsec.report.view import report_view

#: Characters that start Markdown markup inside a line: emphasis, code, links, tables, strikes.
_MARKUP = re.compile(r"([\\`*_\[\]|~])")
#: What HTML would read as a tag or an entity; a lone '>' or '&' is plain text in Markdown and
#: stays as typed, so "Settings > Security" reads well in a text editor too.
_HTML = re.compile(r"<|&(?=#?\w+;)")
#: Characters that start a block (quote, heading) when they open a line or a list item.
_BLOCK_START = re.compile(r"^([>#])")


class MarkdownRenderer(ReportRenderer):
    def render(self, report: Report) -> str:
        env = text_environment(markdown_text)
        return env.get_template("report.md.j2").render(r=report_view(report))


def markdown_text(value: object) -> str:
    """Any value as literal Markdown text: one line, no HTML, no markup.

    A name like `<script>` or `[red]x[/red]` shows as itself in every Markdown viewer.
    """
    text = " ".join(str(value).split())
    text = _HTML.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text)
    return _BLOCK_START.sub(r"\\\1", _MARKUP.sub(r"\\\1", text))
