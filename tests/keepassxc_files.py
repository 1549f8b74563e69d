"""KeePass databases of KeePassXC's own making: `keepassxc-cli import` of a KeePass XML file.

KeePassXC writes KDBX 3.1 with AES-KDF when nothing needs KDBX 4, and KDBX 4 (still AES-KDF)
when an entry carries custom data, so both AES-KDF formats come from the real program. `-t` is
KeePassXC's "decryption time" in milliseconds, which sets the number of AES-KDF rounds it
measures for this machine. Used by the tests and by benchmarks/bench_user_commands.py.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

KEEPASSXC_CLI = shutil.which("keepassxc-cli")


def _uuid() -> str:
    return base64.b64encode(os.urandom(16)).decode("ascii")


def keepass_xml(logins: Sequence[tuple[str, str, str, str]], *, kdbx4: bool = False) -> str:
    """A KeePass 2 XML file with (title, url, username, password) entries in one group."""
    custom = (
        "<CustomData><Item><Key>nutsec-test</Key><Value>1</Value></Item></CustomData>"
        if kdbx4
        else ""
    )
    entries = []
    for n, (title, url, username, password) in enumerate(logins):
        fields = "".join(
            f"<String><Key>{key}</Key><Value>{escape(value)}</Value></String>"
            for key, value in (
                ("Title", title),
                ("URL", url),
                ("UserName", username),
                ("Password", password),
            )
        )
        extra = custom if n == 0 else ""
        entries.append(f"<Entry><UUID>{_uuid()}</UUID>{fields}{extra}</Entry>")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<KeePassFile><Meta><Generator>nutsec tests</Generator></Meta><Root><Group>"
        f"<UUID>{_uuid()}</UUID><Name>Passwords</Name>{''.join(entries)}"
        "</Group><DeletedObjects/></Root></KeePassFile>\n"
    )


def keepassxc_database(
    path: Path,
    logins: Sequence[tuple[str, str, str, str]],
    master: str,
    *,
    kdbx4: bool = False,
    decryption_ms: int = 100,
) -> Path:
    """`keepassxc-cli import -p -t MS` of the logins; the file KeePassXC wrote."""
    assert KEEPASSXC_CLI is not None
    xml = path.with_suffix(".xml")
    xml.write_text(keepass_xml(logins, kdbx4=kdbx4), encoding="utf-8")
    try:
        subprocess.run(
            [KEEPASSXC_CLI, "import", "-q", "-p", "-t", str(decryption_ms), str(xml), str(path)],
            input=f"{master}\n{master}\n",
            text=True,
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        xml.unlink()
    return path
