"""The audit in a real Chromium against a real `nutsec web`: a whole audit clicked through as a
person would (a phone, a laptop, two accounts, one password checked), with JavaScript on and off;
axe-core on every audit page; one question answered with the keyboard alone; a canary password
that never shows up anywhere; and forms posted without their token that change nothing.

One server and one Chromium for the whole module: each test starts its own audit.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.memory_keyring import keyring_env
from tests.test_report_accessibility import CHROMIUM, WCAG_21_AA, describe
from tests.web_server import WebServer, running_web

pytestmark = pytest.mark.skipif(
    not CHROMIUM and not os.environ.get("CI"), reason="needs chromium (.ci/run installs it)"
)

CANARY = "Canary-Xq7!pelican-4412"


def server_env(data: Path) -> dict[str, str]:
    """A safe keyring of the test's own (memory_keyring.py); any PYTHONPATH given is kept first."""
    env = keyring_env(data)
    given = os.environ.get("PYTHONPATH")
    if given:
        env["PYTHONPATH"] = os.pathsep.join([given, env["PYTHONPATH"]])
    return env


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-audit") / "data"


@pytest.fixture(scope="module")
def server(data: Path) -> Iterator[WebServer]:
    with running_web(data, "--offline", env=server_env(data)) as web:
        yield web


@pytest.fixture(scope="module")
def client(server: WebServer) -> requests.Session:
    """The one session (the start token works once): browsers get its cookie."""
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


@dataclass
class Seen:
    """Every address, header and body the browser received."""

    texts: list[str] = field(default_factory=list)

    def record(self, response: Any) -> None:
        self.texts.append(response.url)
        self.texts.extend(f"{k}: {v}" for k, v in response.headers.items())
        with contextlib.suppress(Exception):  # a redirect has no body to read
            self.texts.append(response.body().decode("utf-8", "replace"))


def open_page(browser: Any, server: WebServer, client: requests.Session, *, js: bool) -> Any:
    context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 800})
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


def click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()


def change(page: Any, entry: str, **fields: str) -> None:
    """Open an inventory entry's "Rename or remove" (devices) or "Change or remove" (accounts),
    fill the fields given by label and press the first button named in `fields["press"]`."""
    press = fields.pop("press")
    page.locator("summary", has_text=f"or remove {entry}").click()
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=f"{press} {entry}", exact=True).click()


def inventory(page: Any) -> None:
    """A phone and a laptop; Mail (Gmail) and Union Twitter, each added with one press and
    renamed (the Twitter one with a user name too)."""
    assert h1(page) == "Your devices"
    click(page, "Android phone")
    assert "Added Android phone." in page.content()
    change(page, "Android phone", **{"New name for Android phone": "Work phone", "press": "Rename"})
    assert "Renamed Android phone to Work phone." in page.content()
    click(page, "Windows laptop")
    assert "Work phone (Android phone)" in page.content()
    assert "Windows laptop" in page.content()
    click(page, "Continue to your accounts")
    assert h1(page) == "Your accounts"
    click(page, "Gmail")
    change(page, "Gmail", **{"Name of Gmail": "Mail", "press": "Save"})
    click(page, "X (Twitter)")
    change(
        page,
        "X",
        **{
            "Name of X": "Union Twitter",
            "Your user name on X (you may leave this empty)": "sam_rep",
            "press": "Save",
        },
    )
    assert "Mail (Gmail)" in page.content()
    assert "Union Twitter – X (Twitter)" in page.content()
    assert "user name sam_rep" in page.content()
    click(page, "Continue to your passwords")


def start_new(page: Any, server: WebServer) -> None:
    page.goto(server.base + "/audit")
    if page.get_by_role("button", name="Stop this audit for now").count():
        click(page, "Stop this audit for now")
    instead = page.locator("summary", has_text="Start a new audit instead")
    if instead.count():  # an audit to carry on is there: a new one is folded away
        instead.click()
    click(page, "Start a new audit")


BREAKS: list[int] = []  # how many questions came before each essentials break seen


def answer_everything(page: Any, check: Any = None) -> int:
    """Click the first answer of every question until the end page, carrying on at the
    essentials break; returns how many questions were answered."""
    count = 0
    while h1(page).startswith("Your score:") is False:
        if check is not None:
            check(page)
        if page.get_by_role("button", name="Carry on now").count():
            assert "more question" in page.content()
            BREAKS.append(count)
            click(page, "Carry on now")
            continue
        page.locator("form.question .answers button").first.click()
        count += 1
        assert count < 200, "the questions never ended"
    return count


@pytest.mark.parametrize("js", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_whole_audit_clicked_through(
    browser: Any, server: WebServer, client: requests.Session, js: bool
) -> None:
    page = open_page(browser, server, client, js=js)
    try:
        start_new(page, server)
        inventory(page)
        # Both passwords on one page: Mail's checked, Union Twitter's left for later.
        assert h1(page) == "Your passwords"
        assert page.locator(".where").inner_text() == "Getting started, 3 of 3: your passwords"
        page.get_by_label("Password of Mail").fill(CANARY)
        click(page, "Check these passwords")
        assert page.get_by_role("heading", name="Mail (Gmail)").count() == 1
        assert page.locator(".verdict .headline").inner_text()
        assert "Not checked for known breaches (offline)." in page.content()
        assert page.get_by_label("Password of Union Twitter").count() == 1
        assert page.get_by_label("Password of Mail").count() == 0
        click(page, "Not now, continue")
        assert "Union Twitter's password is not checked." in page.locator(".said").inner_text()
        first = page.locator(".where").inner_text()
        assert re.match(r"Question 1 of \d+", first), first
        # Why it matters opens without any script.
        page.get_by_text("Why it matters, and what to do").click()
        assert page.get_by_role("heading", name="Why it matters").is_visible()
        BREAKS.clear()
        answered = answer_everything(page)
        assert answered > 5
        # The essentials come first, then the break (at most 20, plus the questions that the
        # unchecked X password leaves to ask: tests/test_essentials_first.py pins the counts).
        assert len(BREAKS) == 1 and 0 < BREAKS[0] <= 23 < answered, (BREAKS, answered)
        assert re.match(r"Your score: \d+ out of 100 \(\w+", h1(page))
        assert page.get_by_role("link", name="Print my report").count() == 1
        assert page.get_by_role("link", name="Change an answer").count() == 1
        assert CANARY not in page.content()
    finally:
        page.context.close()


def test_every_audit_page_passes_axe(
    browser: Any, server: WebServer, client: requests.Session
) -> None:
    page = open_page(browser, server, client, js=True)
    found: dict[str, str] = {}

    def check(name: str) -> None:
        if name not in found:
            violations = axe(page)
            if violations:
                found[name] = describe(violations)

    try:
        page.goto(server.base + "/audit")
        check("hub")
        start_new(page, server)
        check("devices (empty)")
        click(page, "iPhone")
        check("devices")
        change(page, "iPhone", **{"New name for iPhone": "x" * 60, "press": "Rename"})
        assert "That name is 60 characters long." in page.content()
        check("devices (a problem shown)")
        click(page, "Continue to your accounts")
        check("accounts (empty)")
        click(page, "Another e-mail")
        click(page, "Facebook")
        page.locator("summary", has_text="or remove Facebook").click()
        check("accounts, one opened to change")
        click(page, "Continue to your passwords")
        check("password step")
        page.get_by_label("Password of E-mail").fill("correct horse battery staple")
        page.get_by_label("Password of Facebook").fill("correct horse battery staple")
        click(page, "Check these passwords")
        check("password step with verdicts")
        click(page, "Continue")
        check("question")
        page.get_by_text("Why it matters, and what to do").click()
        check("question, why it matters open")
        page.goto(server.base + "/audit/contents")
        check("contents")
        page.goto(server.base + "/audit/passwords")
        check("passwords")
        page.goto(server.base + "/audit")
        check("hub with an audit open")
        page.goto(server.base + "/audit/contents")
        page.locator("form.contents button").last.click()  # jump to the last question
        page.locator("form.question .answers button").first.click()
        assert h1(page).startswith("Your score:")
        check("end")
        page.goto(server.base + "/audit")
        check("hub with a finished audit")
    finally:
        page.context.close()
    assert not found, found


def test_one_question_answered_with_the_keyboard_alone(
    browser: Any, server: WebServer, client: requests.Session
) -> None:
    page = open_page(browser, server, client, js=True)
    try:
        start_new(page, server)
        click(page, "Continue without devices")
        click(page, "Continue without accounts")
        where = page.locator(".where").inner_text()
        assert where.startswith("Question 1 of")
        first_answer = page.locator("form.question .answers button").first
        label = first_answer.inner_text()
        for _ in range(40):
            page.keyboard.press("Tab")
            if first_answer.evaluate("b => b === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reached the first answer")
        with page.expect_navigation():  # the answer is sent, and the next question arrives
            page.keyboard.press("Enter")
        assert page.locator(".where").inner_text().startswith("Question 2 of")
        page.goto(server.base + "/audit/contents")
        assert f"Your answer: {label}" in page.content()
    finally:
        page.context.close()


@pytest.mark.parametrize("js", [True, False], ids=["javascript-on", "javascript-off"])
def test_an_account_is_added_with_one_press_that_says_who_runs_it(
    browser: Any, server: WebServer, client: requests.Session, js: bool
) -> None:
    """No drop-down to open and no name to type: each button is one kind of account (each
    e-mail provider its own), and works the same with scripts off."""
    page = open_page(browser, server, client, js=js)
    try:
        start_new(page, server)
        click(page, "Continue without devices")
        for button in ("School or work e-mail", "Gmail", "Facebook", "Facebook"):
            click(page, button)
        names = page.locator(".entries .entry-name").all_inner_texts()
        assert names == ["School e-mail", "Gmail", "Facebook", "Facebook 2 (Facebook)"]
        click(page, "Continue to your passwords")
        page.goto(server.base + "/audit/contents")
        # The school e-mail gets the steps for an e-mail its school runs, not Microsoft's
        # personal-account steps.
        page.goto(server.base + "/audit/passwords")
        assert page.get_by_role("heading", name="School e-mail").count() == 1
    finally:
        page.context.close()


@pytest.mark.parametrize("js", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_page_left_open_says_when_nutsec_has_stopped_by_itself(
    browser: Any, tmp_path: Path, js: bool
) -> None:
    """After the idle time, the page open in the browser says nutsec may have stopped and the
    line that starts it again (not only the browser's "cannot be reached" on the next click)."""
    data = tmp_path / "data"
    with running_web(data, "--idle-minutes", "0.05", env=server_env(data)) as server:  # 3 s
        page = open_page(browser, server, server.session(), js=js)
        try:
            page.goto(server.base + "/")
            note = page.locator("#idle-note")
            assert not note.is_visible()
            page.wait_for_timeout(4500)
            if js:
                assert note.is_visible()
                text = note.inner_text()
                assert "Everything you answered is saved" in text and "nutsec web" in text
            else:
                assert not note.is_visible()  # no script: the browser's own message
        finally:
            page.context.close()


def test_the_canary_password_is_never_shown_sent_back_or_kept(browser: Any, tmp_path: Path) -> None:
    """Typed into the password step and the passwords page: it is in no response (body, header,
    address), not in the server's output, and not in any byte of the data folder."""
    data = tmp_path / "data"
    seen = Seen()
    addresses: list[str] = []
    with running_web(data, "--offline", env=server_env(data)) as server:
        page = open_page(browser, server, server.session(), js=True)
        page.on("response", seen.record)
        page.on("framenavigated", lambda frame: addresses.append(frame.url))
        try:
            start_new(page, server)
            inventory(page)
            page.get_by_label("Password of Mail").fill(CANARY)
            click(page, "Check these passwords")
            page.goto(server.base + "/audit/passwords")
            page.get_by_label("Password of Union Twitter").fill(CANARY)
            page.get_by_role("button", name="Check the password of Union Twitter").click()
            assert "The same password as on Mail." in page.content()
            page.reload()  # post/redirect/get: a reload sends nothing again
            page.go_back()
            page.go_forward()
            seen.texts.append(page.content())
        finally:
            page.context.close()
        output = server.stop()
    digest = hashlib.sha1(CANARY.encode()).hexdigest()  # noqa: S324 - what the look-up uses
    needles = (CANARY, digest, digest.upper())
    assert len(seen.texts) > 20 and addresses
    for text in [*seen.texts, *addresses, output]:
        for needle in needles:
            assert needle not in text, "the canary reached a response, an address or the output"
    stored = b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file())
    assert stored
    for needle in needles:
        assert needle.encode() not in stored, "the canary reached the data folder"


def test_posts_without_the_form_token_change_nothing(
    server: WebServer, client: requests.Session, data: Path
) -> None:
    token = server.csrf(client, "/audit")
    client.post(server.base + "/audit/start", data={"csrf_token": token}, timeout=10)
    before = client.get(server.base + "/audit/step", timeout=10).text
    assert "<h1>Your devices</h1>" in before
    forms = [
        ("/audit/devices", {"do": "add", "name": "Evil phone", "what": "phone:ios"}),
        ("/audit/stop", {}),
        ("/audit/start", {}),
        ("/audit/step", {"do": "next"}),
    ]
    for path, form in forms:
        for sent in ({}, {"csrf_token": "wrong"}):
            reply = client.post(
                server.base + path, data={**form, **sent}, allow_redirects=False, timeout=10
            )
            assert reply.status_code == 403, (path, sent)
        evil = client.post(
            server.base + path,
            data={**form, "csrf_token": token},
            headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
            allow_redirects=False,
            timeout=10,
        )
        assert evil.status_code == 403, path
    after = client.get(server.base + "/audit/step", timeout=10).text
    assert "Evil phone" not in after
    assert after.replace(token, "") == before.replace(token, "")
