"""Printing an HTML page as a person's browser would: headless Chromium to an A4 PDF, read back
with poppler. One place for the flags, shared by every printed-page test."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = bool(shutil.which("pdfinfo") and shutil.which("pdftotext"))


def print_pdf(html_file: Path, folder: Path, name: str = "report.pdf") -> Path:
    """`html_file` printed to `folder / name` (no header or footer, a fresh browser profile)."""
    assert CHROMIUM
    pdf = folder / name
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--user-data-dir={folder / 'chromium-profile'}",
            f"--print-to-pdf={pdf}",
            html_file.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf
