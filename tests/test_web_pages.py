"""nutsec web's pages other than the audit, in a real Chromium against a real server: axe-core
(WCAG 2.1 A and AA) on every page, a 320-pixel window, JavaScript on and off, and each page doing
its job (the report to print, history, the lost-device runbook, one password, the demo, the
workshop summary, the share code).

One server (two finished audits made by the terminal) and one Chromium for the module.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.test_report_accessibility import CHROMIUM, WCAG_21_AA, describe
from tests.web_server import NUTSEC, WebServer, running_web

pytestmark = pytest.mark.skipif(
    not CHROMIUM and not os.environ.get("CI"), reason="needs chromium (.ci/run installs it)"
)

SAM = Path(__file__).resolve().parents[1] / "nutsec" / "demo" / "sam.toml"


def audit_by_terminal(data: Path, times: int = 1) -> None:
    """Finished audits in `data`, made by `nutsec audit --answers` (the demo's made-up Sam)."""
    for _ in range(times):
        subprocess.run(
            [NUTSEC, "audit", "--answers", str(SAM), "--offline"],
            env={**os.environ, "NUTSEC_DATA_DIR": str(data)},
            capture_output=True,
            check=True,
            timeout=180,
        )


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web-pages") / "data"
    audit_by_terminal(folder, times=2)
    return folder


@pytest.fixture(scope="module")
def server(data: Path) -> Iterator[WebServer]:
    with running_web(data, "--offline") as web:
        yield web


@pytest.fixture(scope="module")
def client(server: WebServer) -> requests.Session:
    return server.session()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # No browser download is possible here: drive the Chromium the system has.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(
    browser: Any,
    server: WebServer,
    client: requests.Session | None,
    *,
    js: bool = True,
    width: int = 1280,
    height: int = 800,
) -> Any:
    context = browser.new_context(
        java_script_enabled=js, viewport={"width": width, "height": height}
    )
    if client is not None:
        context.add_cookies(
            [{"name": c.name, "value": c.value or "", "url": server.base} for c in client.cookies]
        )
    return context.new_page()


def axe(page: Any) -> list[dict[str, object]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return list(results.response["violations"])


def h1(page: Any) -> str:
    return str(page.locator("h1").first.inner_text()).strip()


def report_address(page: Any, server: WebServer, name: str = "") -> str:
    page.goto(server.base + "/report")
    if name:
        page.get_by_label("Prepared for", exact=False).fill(name)
    page.get_by_role("button", name="Show the report to print").click()
    return str(page.url)


def workshop_codes(data: Path, people: int) -> str:
    """`people` share codes of the module's audit, as if from `people` different audits: each has
    its own share id (codes with the same id are one person's, counted once)."""
    from datetime import date

    from nutsec.share.code import SHARE_ID_BYTES, encode, share_code_of
    from nutsec.store.sqlite import open_store

    with open_store(data, read_only=True) as store:
        audit = store.load(store.resolve("latest", finished=True))
    return "\n".join(
        encode(share_code_of(audit, (n + 1).to_bytes(SHARE_ID_BYTES, "big"), date.today()))
        for n in range(people)
    )


def every_page(page: Any, server: WebServer, data: Path) -> Iterator[str]:
    """Visit each page in turn (yielding its name once it is shown, styles and all: a page
    measured while its stylesheet is still coming is not the page a person sees)."""
    for name in _visit_pages(page, server, data):
        page.wait_for_load_state("load")
        yield name


def _visit_pages(page: Any, server: WebServer, data: Path) -> Iterator[str]:
    base = server.base
    for path in (
        "/",
        "/trainers",
        "/report",
        "/history",
        "/lost-device",
        "/lost-device/steps?device=1",
        "/lost-device/steps?device=0",
        "/password",
        "/workshop",
        "/share",
        "/no/such/page",
    ):
        page.goto(base + path)
        yield path
    for number in range(1, 10):
        page.goto(f"{base}/demo/{number}")
        yield f"/demo/{number}"
    report_address(page, server, "Sam Rep")
    yield "the printable report"
    page.goto(base + "/password")
    page.get_by_label("Password to check").fill("correct horse battery staple")
    page.get_by_role("button", name="Check").click()
    yield "a password verdict"
    page.goto(base + "/workshop")
    page.get_by_label("Share codes, one a line").fill(workshop_codes(data, 2))
    page.get_by_role("button", name="Make the summary").click()
    yield "the workshop form, refusing a small group"
    page.get_by_label("Share codes, one a line").fill(workshop_codes(data, 5))
    page.get_by_role("button", name="Make the summary").click()
    yield "the workshop summary"


def test_every_page_passes_axe(
    browser: Any, server: WebServer, client: requests.Session, data: Path
) -> None:
    page = open_page(browser, server, client)
    problems = []
    try:
        for name in every_page(page, server, data):
            violations = axe(page)
            if violations:
                problems.append(f"{name}: {describe(violations)}")
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


def test_the_refusal_page_passes_axe(browser: Any, server: WebServer) -> None:
    page = open_page(browser, server, None)
    try:
        reply = page.goto(server.base + "/")
        assert reply.status == 403
        assert "nutsec web" in page.content()
        assert not axe(page), describe(axe(page))
    finally:
        page.context.close()


def test_every_page_fits_a_320_pixel_window(
    browser: Any, server: WebServer, client: requests.Session, data: Path
) -> None:
    page = open_page(browser, server, client, width=320, height=640)
    too_wide = []
    try:
        for name in every_page(page, server, data):
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:  # once more when laid out for good (a real overflow stays)
                page.wait_for_timeout(500)
                width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide = page.evaluate(
                    """[...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > 321)
                    .slice(-3).map(e => e.tagName + '.' + e.className + ' '
                    + e.textContent.trim().slice(0, 40))"""
                )
                too_wide.append(f"{name}: {width}px {wide}")
    finally:
        page.context.close()
    assert not too_wide, ", ".join(too_wide)


@pytest.mark.parametrize("js", [True, False], ids=["javascript-on", "javascript-off"])
def test_the_report_to_print(
    browser: Any, server: WebServer, client: requests.Session, js: bool
) -> None:
    from nutsec.report.formats import ReportFormat

    page = open_page(browser, server, client, js=js)
    try:
        address = report_address(page, server, "Sam <Rep>")
        assert "Sam" not in address and "token" not in address
        assert "Prepared for: Sam <Rep>" in page.locator("body").inner_text()
        assert page.get_by_text("press Ctrl+P").is_visible()
        button = page.get_by_role("button", name="Print")
        assert button.is_visible() is js  # the script shows it; without it, Ctrl+P
        assert page.get_by_role("link", name="Back to nutsec").is_visible()
        # The same report the terminal writes (`nutsec report --format html`), plus the bar.
        html = page.content()
        assert "Your account-security plan" in html and "nutsec-bar" in html
        assert ReportFormat.HTML.value == "html"
        page.emulate_media(media="print")
        assert not page.locator(".nutsec-bar").is_visible()
    finally:
        page.context.close()


def test_history_shows_scores_and_what_changed(
    browser: Any, server: WebServer, client: requests.Session
) -> None:
    page = open_page(browser, server, client, js=False)
    try:
        page.goto(server.base + "/history")
        text = page.locator("main").inner_text()
        assert "first" in text and "no change" in text
        assert "Since audit 1" in text and "in audit 2" in text
    finally:
        page.context.close()


def test_the_history_page_says_what_nutsec_history_says(server: WebServer, data: Path) -> None:
    from nutsec.audit_history import history_rows, progress_lines
    from nutsec.store.sqlite import open_store

    with open_store(data, read_only=True) as store:
        summaries = store.history()
        lines = progress_lines(store, summaries)
        rows = history_rows(summaries)
    terminal = subprocess.run(
        [NUTSEC, "history", "--plain"],
        env={**os.environ, "NUTSEC_DATA_DIR": str(data), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for row in rows:
        assert row.date in terminal and row.score in terminal
    for line in lines:
        assert line.removeprefix("- ") in " ".join(terminal.split())


def test_the_lost_device_runbook_ticks_and_keeps_times(
    browser: Any, server: WebServer, client: requests.Session, data: Path
) -> None:
    from nutsec.store.sqlite import open_store

    page = open_page(browser, server, client, js=False)
    try:
        page.goto(server.base + "/lost-device")
        assert h1(page) == "Lost or stolen device"
        first_device = page.locator("ul.choices a").first
        name = first_device.inner_text().strip()
        first_device.click()
        assert f"For: {name}" in page.content(), page.content()
        page.get_by_role("button", name="Done: step 1").click()
        assert "/lost-device/steps" in page.url
        assert page.locator("#step-1 .done-at").inner_text().startswith("Done at ")
        page.reload()  # a GET: nothing is sent again
        assert page.locator(".done-at").count() == 1
    finally:
        page.context.close()
    with open_store(data, read_only=True) as store:
        audit_id = store.resolve("latest", finished=None)
        assert list(store.ticks(audit_id, name)) == ["report_loss"]


def test_one_password_is_checked_and_never_shown(
    browser: Any, server: WebServer, client: requests.Session
) -> None:
    secret = "Tr0ub4dor&3-web-page"
    page = open_page(browser, server, client, js=False)
    try:
        page.goto(server.base + "/password")
        field = page.get_by_label("Password to check")
        assert field.get_attribute("type") == "password"
        field.fill(secret)
        page.get_by_role("button", name="Check").click()
        assert re.search(r"/password/result/[A-Za-z0-9_-]+$", page.url)
        assert h1(page) == "Password check"
        text = page.locator("main").inner_text()
        assert "Not checked for known breaches" in text  # --offline
        assert secret not in page.content() and secret not in page.url
        page.goto(server.base + "/password")
        page.get_by_role("button", name="Check").click()  # nothing typed: the browser asks
        assert page.url.endswith("/password")
    finally:
        page.context.close()


def test_the_demo_in_large_print_next_and_back(
    browser: Any, server: WebServer, client: requests.Session
) -> None:
    page = open_page(browser, server, client, js=False, width=1920, height=1080)
    try:
        page.goto(server.base + "/demo")
        titles = []
        for _ in range(9):
            assert "large-print" in (page.locator("body").get_attribute("class") or "")
            titles.append(h1(page))
            link = page.get_by_role("link", name=re.compile("^Next"))
            if not link.count():
                break
            link.click()
        assert len(titles) == 9 and len(set(titles)) == 9
        assert page.get_by_role("link", name="End of the demo").is_visible()
        page.get_by_role("link", name="Back").click()
        assert h1(page) == titles[-2]
        page.goto(server.base + "/demo/4")
        assert "a made-up teaching example" in page.content()
    finally:
        page.context.close()


def test_the_workshop_summary_keeps_the_minimum_group(
    browser: Any, server: WebServer, client: requests.Session, data: Path
) -> None:
    page = open_page(browser, server, client, js=False)
    try:
        page.goto(server.base + "/workshop")
        page.get_by_label("Share codes, one a line").fill(workshop_codes(data, 4))
        page.get_by_role("button", name="Make the summary").click()
        assert "a summary needs at least 5" in page.locator("[role=alert]").inner_text()
        page.get_by_label("The smallest group", exact=False).fill("2")
        page.get_by_role("button", name="Make the summary").click()
        assert "cannot be below 3" in page.locator("[role=alert]").inner_text()
        page.get_by_label("The smallest group", exact=False).fill("5")
        codes = workshop_codes(data, 5)
        page.get_by_label("Share codes, one a line").fill(codes + "\n" + codes.split("\n")[0])
        page.get_by_role("button", name="Make the summary").click()
        assert re.search(r"/workshop/summary/[A-Za-z0-9_-]+$", page.url)
        assert "5 people" in page.locator("body").inner_text()
    finally:
        page.context.close()


def test_the_workshop_page_is_the_terminals_summary(
    server: WebServer, client: requests.Session, data: Path
) -> None:
    """The same renderer as `nutsec workshop summary --format html`: the same body."""
    codes = workshop_codes(data, 5)
    terminal = subprocess.run(
        [NUTSEC, "workshop", "summary", "-", "--format", "html"],
        input=codes,
        env={**os.environ, "NUTSEC_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    token = server.csrf(client, "/workshop")
    page = client.get(
        server.base
        + client.post(
            server.base + "/workshop",
            data={"csrf_token": token, "codes": codes, "min_group": "5"},
            allow_redirects=False,
            timeout=10,
        ).headers["Location"],
        timeout=10,
    ).text
    body = re.compile(r"<h1.*</body>", re.DOTALL)
    shown, written = body.search(page), body.search(terminal)
    assert shown is not None and written is not None
    assert shown.group(0) == written.group(0)


@pytest.mark.parametrize("js", [True, False], ids=["javascript-on", "javascript-off"])
def test_the_share_code_can_be_copied(
    browser: Any, server: WebServer, client: requests.Session, js: bool
) -> None:
    from nutsec.share.code import decode

    page = open_page(browser, server, client, js=js)
    try:
        if js:
            page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(server.base + "/share")
        code = page.locator("#share-code").inner_text().strip()
        decode(code)  # a real code
        button = page.get_by_role("button", name="Copy the code")
        assert button.is_visible() is js
        if js:
            button.click()
            page.locator("#copy-status", has_text="Copied").wait_for()
            assert page.evaluate("navigator.clipboard.readText()") == code
        else:
            assert page.get_by_text("select the code").is_visible()
    finally:
        page.context.close()
