"""A made-up canary password, checked through the one-password page and through an account of the
audit pages, with the breach look-up going to a real range server on 127.0.0.1: it is in no
response body or header, no address (redirects included), not in the server's output, not in what
the range server received, and in no byte of the data folder (-wal and -journal included)."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from tests.loopback import running_range_server
from tests.test_report_accessibility import CHROMIUM
from tests.test_web_audit import click, inventory, open_page, server_env, start_new
from tests.web_server import running_web

pytestmark = pytest.mark.skipif(
    not CHROMIUM and not os.environ.get("CI"), reason="needs chromium (.ci/run installs it)"
)

CANARY = "Canary-Web-Page-93!kq-osprey"


def test_the_canary_never_leaves_the_password_field(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    data = tmp_path / "data"
    seen: list[str] = []

    def record(response: Any) -> None:
        seen.append(response.url)
        seen.extend(f"{k}: {v}" for k, v in response.headers.items())
        with contextlib.suppress(Exception):  # a redirect has no body to read
            seen.append(response.body().decode("utf-8", "replace"))

    with (
        running_range_server() as ranges,
        running_web(data, "--hibp-url", ranges.url, env=server_env(data)) as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = open_page(browser, server, server.session(), js=True)
            page.on("response", record)
            page.on("framenavigated", lambda frame: seen.append(frame.url))
            page.goto(server.base + "/password")
            page.get_by_label("Password to check").fill(CANARY)
            page.get_by_role("button", name="Check").click()
            page.wait_for_url("**/password/result/**")
            page.wait_for_load_state("load")  # reloading a page still loading can lose it
            page.reload()
            page.go_back()
            page.go_forward()
            start_new(page, server)
            inventory(page)
            page.get_by_label("Password of Mail").fill(CANARY)
            click(page, "Check these passwords")
            seen.append(page.content())
        finally:
            browser.close()
        output = server.stop()
        received = [r.raw.decode("latin-1") for r in ranges.requests]
    digest = hashlib.sha1(CANARY.encode()).hexdigest().upper()  # noqa: S324 - the look-up's hash
    assert received and all(digest[5:] not in r for r in received)
    assert any(f"/range/{digest[:5]}" in r for r in received)
    needles = (CANARY, digest, digest.lower())
    assert len(seen) > 20
    for text in [*seen, output]:
        for needle in needles:
            assert needle not in text, "the canary reached a response, an address or the output"
    files = [p for p in data.rglob("*") if p.is_file()]
    assert files
    stored = b"".join(p.read_bytes() for p in files)
    for needle in needles:
        assert needle.encode() not in stored, "the canary reached the data folder"
