"""Options that several commands share, declared once so their help reads the same everywhere."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

SavedAudit = Annotated[
    str,
    typer.Argument(
        metavar="ID|latest",
        help="Which saved audit: an ID from 'nutsec history', or latest (the newest finished one).",
    ),
]
Plain = Annotated[
    bool,
    typer.Option(
        "--plain",
        help="Plain text: no colour and no boxes (for screen readers and projectors). "
        "Setting NO_COLOR does the same.",
    ),
]
Offline = Annotated[
    bool,
    typer.Option(
        "--offline",
        help="Do not use the network. Breach checks are then shown as 'not checked'.",
    ),
]
HibpUrl = Annotated[
    str | None,
    typer.Option(
        "--hibp-url",
        envvar="NUTSEC_HIBP_URL",
        show_envvar=True,
        metavar="URL",
        help="Base address of the Pwned Passwords range service "
        "[default: https://api.pwnedpasswords.com]. Only 5 characters of a hash are sent.",
    ),
]
HibpCorpus = Annotated[
    Path | None,
    typer.Option(
        "--hibp-corpus",
        metavar="PATH",
        help="Check against a downloaded Pwned Passwords file or folder instead of the network.",
    ),
]
OutputFile = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="FILE", help="Write to FILE instead of the screen."),
]


class TextOrJson(StrEnum):
    text = "text"
    json = "json"
