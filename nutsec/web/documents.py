"""Serving one of nutsec's printable documents (the HTML report, the workshop summary) as a page:
the very same file the terminal writes, with a bar on top (Print, back to nutsec) that does not
print, and its own <style> allowed by hash."""

from __future__ import annotations

import re

from nutsec.web.security import allow_styles

_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', re.IGNORECASE)
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL | re.IGNORECASE)
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)

BAR = """<div class="nutsec-bar" role="region" aria-label="Printing">
<p><a href="{back}">Back to nutsec</a></p>
<p><button type="button" id="nutsec-print" hidden>Print</button>
<span class="nutsec-hint">To print, press Ctrl+P (on a Mac, Cmd+P). To keep a copy, choose
"Save as PDF" in the print window.</span></p>
</div>
"""


def printable(document: str, *, back: str) -> str:
    """`document` with the print bar after <body> and nutsec's print stylesheet and script.

    The document's own Content-Security-Policy <meta> (written for a file opened from disk) is
    left out: the server's header is stricter, and allows the document's <style> by its hash.
    """
    html = _META_CSP.sub("", document, count=1)
    allow_styles(*(m.group(1) for m in _STYLE.finditer(html)))
    head = (
        '<link rel="stylesheet" href="/static/print-bar.css">\n'
        '<script src="/static/print.js" defer></script>\n</head>'
    )
    html = html.replace("</head>", head, 1)
    body = _BODY.search(html)
    if body is None:  # pragma: no cover - every nutsec document has a <body>
        return html
    return html[: body.end()] + "\n" + BAR.format(back=back) + html[body.end() :]
