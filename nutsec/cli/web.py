"""`nutsec web`: the audit and everything else as pages in your own browser."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from nutsec.cli.options import HibpCorpus, HibpUrl, Offline
from nutsec.errors import EXIT_INTERRUPTED, NutsecError


def register(app: typer.Typer) -> None:
    app.command("web")(web)


def web(
    port: Annotated[
        int,
        typer.Option(
            "--port",
            metavar="N",
            help="Listen on this port [default: a free one].",
            show_default=False,
        ),
    ] = 0,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open the browser; print the address.")
    ] = False,
    idle_minutes: Annotated[
        float,
        typer.Option(
            "--idle-minutes", metavar="N", help="Stop after N minutes with no page opened."
        ),
    ] = 30,
    offline: Offline = False,
    hibp_url: HibpUrl = None,
    hibp_corpus: HibpCorpus = None,
) -> None:
    """Do your audit in your own web browser: the easiest way to use nutsec.

    nutsec opens a page in your browser, served by this computer to this computer only (nobody
    else can reach it). Your answers are saved as you go, exactly as in 'nutsec audit'. Press the
    page's "Close nutsec for today" button, or Ctrl-C here, to stop.

    \b
    Examples:
      nutsec web                  open nutsec in your browser
      nutsec web --no-browser     only print the address to open
      nutsec web --offline        no network at all (breach checks show "not checked")
    """
    from nutsec.paths import data_dir
    from nutsec.web.config import WebConfig
    from nutsec.web.server import serve
    from nutsec.web.templating import start_again_command

    if not 0 <= port <= 65535:
        raise NutsecError(
            f"--port {port} is not a port number (use 1024 to 65535, or leave it out)."
        )
    if idle_minutes <= 0:
        raise NutsecError("--idle-minutes must be more than 0.")
    config = WebConfig(
        data_dir=data_dir(),
        offline=offline,
        hibp_url=hibp_url,
        hibp_corpus=hibp_corpus,
        idle_minutes=idle_minutes,
    )

    def started(url: str) -> None:
        print(url, flush=True)
        print(
            "nutsec is open in your browser. If it did not open, copy the address above into"
            " your browser. Press Ctrl-C here (or 'Close nutsec for today' on the page) to stop.",
            flush=True,
        )
        if not no_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        reason = serve(config, port=port, on_start=started)
    except KeyboardInterrupt:  # Ctrl-C before the server was listening
        reason = "interrupted"
    again = f"Next time, type: {start_again_command()}"
    if reason == "interrupted":
        sys.stderr.write(f"\nStopped. Your answers are saved.\n{again}\n")
        raise typer.Exit(EXIT_INTERRUPTED)
    if reason == "idle":
        print(
            f"Stopped after {idle_minutes:g} minutes with nothing opened. Your answers are saved."
        )
    else:
        print("Finished. Your answers are saved. You can close the browser tab.")
    print(again)
