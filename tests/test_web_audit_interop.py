"""One audit, two front doors: begun in the browser and finished with `nutsec audit --resume
latest` in a terminal, and begun in the terminal and finished in the browser. The same store and
the same lock: while one holds the audit, the other is told so and changes nothing.

The browser's side is driven over HTTP as a browser's forms post (tests/test_web_audit.py clicks
the same pages in Chromium); the terminal's side is the installed command in a pseudo-terminal.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pexpect
import requests

from tests.test_audit_interactive import NUTSEC, Audit
from tests.test_web_audit import server_env
from tests.web_server import WebServer, running_web


class Browser:
    """The forms of the audit's pages, posted as a browser posts them."""

    def __init__(self, server: WebServer) -> None:
        self.server = server
        self.client: requests.Session = server.session()
        self.token = server.csrf(self.client, "/audit")

    def get(self, path: str) -> str:
        reply = self.client.get(self.server.base + path, timeout=10)
        assert reply.status_code == 200, (path, reply.status_code)
        return reply.text

    def post(self, path: str, **form: str) -> str:
        reply = self.client.post(
            self.server.base + path,
            data={"csrf_token": self.token, **form},
            allow_redirects=False,
            timeout=30,
        )
        assert reply.status_code == 303, (path, reply.status_code)
        return str(reply.headers["Location"])

    def step(self) -> tuple[str, str]:
        """The step on screen: its key and its page."""
        page = self.get("/audit/step")
        found = re.search(r'name="step" value="([^"]*)"', page)
        return (html.unescape(found.group(1)) if found else ""), page


def json_report(data: Path) -> dict[str, Any]:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data)}
    done = subprocess.run(
        [NUTSEC, "report", "latest", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def skip_to_the_end(audit: Audit) -> None:
    """Skip every question left in the terminal, to the summary (a password offered again: not
    now; the break after the essentials: carry on)."""
    answers = {0: "c", 1: "n"}
    for _ in range(200):
        found = audit.child.expect_exact(
            ["or another day?", "Shall nutsec check it now?", "Your choice: ", pexpect.EOF],
            timeout=15,
        )
        if found == 3:
            return
        if found in answers:
            audit.child.expect_exact("Your choice: ", timeout=15)
            audit.child.send(answers[found])
            continue
        audit.child.send("s")
    raise AssertionError("no end after 200 skips: " + audit.screen.split("not one of")[0][-1500:])


def test_an_audit_begun_in_the_browser_is_finished_in_the_terminal(
    private_data_dir: Path,
) -> None:
    data = private_data_dir
    with running_web(data, "--offline", env=server_env(data)) as server:
        browser = Browser(server)
        browser.post("/audit/start")
        browser.post("/audit/devices", do="add", name="Work phone", what="phone:android")
        browser.post("/audit/devices", do="next")
        browser.post("/audit/accounts", do="add", name="Mail", platform="email")
        browser.post("/audit/accounts", do="next")
        browser.post("/audit/password", do="next", step="password:Mail")
        key, page = browser.step()
        answer = re.search(r'value="answer:([^"]+)"', page)
        assert answer and key.startswith("question:")
        browser.post("/audit/step", do=f"answer:{answer.group(1)}", step=key)

        # While the browser holds it, the terminal is told so and changes nothing.
        held = Audit(data, "--resume", "latest", keyring=server_env(data))
        assert held.end() == 2
        assert "Traceback" not in held.screen
        assert "audit 1" in held.screen.lower() or "another" in held.screen.lower()

        browser.post("/audit/stop")
        assert "Carry on with audit 1" in browser.get("/audit")

        terminal = Audit(data, "--resume", "latest", keyring=server_env(data))
        terminal.child.expect_exact("Welcome back")
        skip_to_the_end(terminal)
        assert terminal.end() == 0
        assert "Your score:" in terminal.screen
    report = json_report(data)
    assert report["finished"] is True
    assert [d["name"] for d in report["devices"]] == ["Work phone"]
    assert [a["name"] for a in report["accounts"]] == ["Mail"]
    item, subject = key.split(":", 2)[1:]
    given = [i for i in report["items"] if i["id"] == item and (i["subject"] or "") == subject]
    assert given and given[0]["status"] != "skipped", given


def test_an_audit_begun_in_the_terminal_is_finished_in_the_browser(
    private_data_dir: Path,
) -> None:
    data = private_data_dir
    terminal = Audit(data, keyring=server_env(data))
    terminal.key("a")
    terminal.line("Laptop", "Name of the device")
    terminal.key("w")
    terminal.key("c")
    terminal.key("a")
    terminal.line("Union Twitter", "Name of the account")
    terminal.line("2", "Type a number")
    terminal.line("sam_rep", "Your user name")
    terminal.key("c")
    terminal.child.expect_exact("Shall nutsec check")
    terminal.key("n")  # not now: the password step
    terminal.child.expect_exact("Question 1 of")
    terminal.key("y")  # the first question, answered in the terminal
    terminal.child.expect_exact("Question 2 of")
    terminal.key("q")  # save and quit
    assert terminal.end() == 0

    with running_web(data, "--offline", env=server_env(data)) as server:
        browser = Browser(server)
        hub = browser.get("/audit")
        assert "Carry on with audit 1" in hub
        # Counted in the part the person is in: the questions that matter most come first.
        assert re.search(
            r"1 of the \d+ questions that matter most answered so far; the other \d+ can wait", hub
        )
        browser.post("/audit/resume", audit_id="1")
        key, page = browser.step()
        # The password left unchecked in the terminal is offered once more, then the question
        # where the terminal stopped.
        assert key == "password-again:Union Twitter"
        browser.post("/audit/password", do="next", step=key)
        key, page = browser.step()
        assert "Question 2 of" in page
        # The terminal cannot take it while the browser holds it.
        held = Audit(data, "--resume", "latest", keyring=server_env(data))
        assert held.end() == 2
        contents = browser.get("/audit/contents")
        assert "Your answer: Yes" in contents  # the terminal's answer
        for _ in range(200):
            if key == "essentials-done":  # the break after the essentials: carry on now
                browser.post("/audit/step", do="next", step=key)
                key, page = browser.step()
            if not key.startswith("question:"):
                break
            where = browser.post("/audit/step", do="skip", step=key)
            if "/audit/end/" in where:
                break
            key, page = browser.step()
        assert where == "/audit/end/1"
        end = browser.get(where)
        assert "Your score:" in end
    report = json_report(data)
    assert report["finished"] is True
    assert [d["name"] for d in report["devices"]] == ["Laptop"]
    assert [a["name"] for a in report["accounts"]] == ["Union Twitter"]
