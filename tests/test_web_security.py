"""The seven promises of `nutsec web` (PRODUCT.md, "The audit in a web browser"), each over raw
HTTP against the real server process: the installed console script, on 127.0.0.1.

Most tests share one server (module scope); those about the start token and about stopping start
their own.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.web_server import NUTSEC, WebServer, running_web

HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-security") / "nutsec-data"


@pytest.fixture(scope="module")
def server(data: Path) -> Iterator[WebServer]:
    with running_web(data, "--offline") as running:
        yield running


@pytest.fixture(scope="module")
def client(server: WebServer) -> requests.Session:
    return server.session()


def folder_bytes(folder: Path) -> dict[str, str]:
    """Every file of the data folder (the store, its -wal and -journal, locks) by its hash."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def raw_get(server: WebServer, path: str, headers: dict[str, str]) -> tuple[int, str]:
    """One GET over a plain socket, with exactly these headers (Host included)."""
    lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1"))
        sock.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head = reply.split(b"\r\n", 1)[0].decode("latin-1")
    return int(head.split()[1]), reply.decode("utf-8", "replace")


# 1. This computer only ---------------------------------------------------------------------------


def listening_sockets(pid: int) -> list[tuple[str, int]]:
    """(address, port) of every socket process `pid` listens on, read from /proc/net/tcp{,6}."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table, size in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != "0A" or inode not in inodes:  # 0A: LISTEN
                continue
            address, port = local.split(":")
            raw = bytes.fromhex(address)
            if size == 4:
                shown = socket.inet_ntop(socket.AF_INET, raw[::-1])
            else:  # four little-endian 32-bit words
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                shown = socket.inet_ntop(socket.AF_INET6, words)
            found.append((shown, int(port, 16)))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_it_listens_on_127_0_0_1_only(server: WebServer) -> None:
    assert listening_sockets(server.process.pid) == [("127.0.0.1", server.port)]


def test_no_option_names_another_address() -> None:
    from typer.testing import CliRunner

    from nutsec.cli import app

    help_text = CliRunner().invoke(app, ["web", "--help"]).output
    assert "--port" in help_text
    for option in ("--host", "--bind", "--listen", "--address"):
        assert option not in help_text
    refused = CliRunner().invoke(app, ["web", "--no-browser", "--host", "0.0.0.0"])  # noqa: S104
    assert refused.exit_code == 2


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_the_port_given_is_used(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with running_web(tmp_path / "data", "--port", str(port)) as running:
        assert running.port == port
        assert running.start_url.startswith(f"http://127.0.0.1:{port}/?token=")
        assert listening_sockets(running.process.pid) == [("127.0.0.1", port)]


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [NUTSEC, "web", "--no-browser", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "NUTSEC_DATA_DIR": str(tmp_path / "data")},
        )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"Port {port} is already in use" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


# 2. Only the person who started it --------------------------------------------------------------


def test_the_start_address_is_the_first_line(server: WebServer) -> None:
    first = server.output[0].rstrip("\n")
    assert first == server.start_url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]+", first)


def test_the_token_works_once_and_once_only(tmp_path: Path) -> None:
    with running_web(tmp_path / "data") as running:
        token = running.start_url.split("token=", 1)[1]
        # A wrong token is refused, and does not spend the right one.
        wrong = requests.get(running.base + "/?token=guess", allow_redirects=False, timeout=10)
        assert wrong.status_code == 403 and "Set-Cookie" not in wrong.headers
        # token_urlsafe: 6 bits a character; at least 128 bits.
        assert len(token) * 6 >= 128
        first = requests.get(running.start_url, allow_redirects=False, timeout=10)
        assert first.status_code == 303
        assert first.headers["Location"] == "/"
        assert "token" not in first.headers["Location"]
        cookie = first.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert token not in cookie
        # The same address again, from anyone without the session: refused, no cookie.
        again = requests.get(running.start_url, allow_redirects=False, timeout=10)
        assert again.status_code == 403 and "Set-Cookie" not in again.headers
        assert "nutsec web" in again.text
        # The cookie it gave opens pages.
        name, value = cookie.split(";", 1)[0].split("=", 1)
        page = requests.get(running.base + "/", cookies={name: value}, timeout=10)
        assert page.status_code == 200 and "Your account security check" in page.text
        # The browser holding the session opens the spent address again (a closed tab): its
        # cookie lets it in, as anywhere; the token is dropped and no new cookie is made.
        reopened = requests.get(
            running.start_url, cookies={name: value}, allow_redirects=False, timeout=10
        )
        assert reopened.status_code == 303 and reopened.headers["Location"] == "/"
        assert "Set-Cookie" not in reopened.headers
        # A wrong cookie with the spent address is still refused.
        forged = requests.get(
            running.start_url, cookies={name: value[:-2] + "xx"}, allow_redirects=False, timeout=10
        )
        assert forged.status_code == 403 and "Set-Cookie" not in forged.headers


@pytest.mark.parametrize("path", ["/", "/audit", "/report", "/history", "/password", "/share"])
def test_no_cookie_is_refused_with_a_page_that_says_what_to_do(
    server: WebServer, client: requests.Session, path: str
) -> None:
    reply = requests.get(server.base + path, allow_redirects=False, timeout=10)
    assert reply.status_code == 403
    assert "nutsec web" in reply.text and "again" in reply.text
    assert "csrf_token" not in reply.text  # nothing of the session is handed out
    assert_styled_without_static(reply)
    forged = requests.get(
        server.base + path, cookies={f"nutsec_session_{server.port}": "x"}, timeout=10
    )
    assert forged.status_code == 403


# 3. No other site can drive it ------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "localhost", "0.0.0.0:{port}"]
)
def test_a_foreign_host_is_refused(server: WebServer, client: requests.Session, host: str) -> None:
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    status, reply = raw_get(
        server,
        "/",
        {"Host": host.format(port=server.port), "Cookie": cookie, "Connection": "close"},
    )
    assert status in (403, 421)
    assert "csrf_token" not in reply
    # The allowed names work with the same cookie.
    for good in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
        ok, _ = raw_get(server, "/", {"Host": good, "Cookie": cookie, "Connection": "close"})
        assert ok == 200


def tick_form(server: WebServer, client: requests.Session) -> dict[str, str]:
    """The first "Done" form of the lost-device runbook, as the page gives it."""
    page = client.get(server.base + "/lost-device/steps", timeout=10).text
    form = page.split('<form method="post" action="/lost-device/tick">', 1)[1].split("</form>")[0]
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))


@pytest.mark.parametrize(
    ("token", "headers"),
    [
        (None, {}),
        ("wrong", {}),
        ("good", {"Origin": "http://evil.example"}),
        ("good", {"Sec-Fetch-Site": "cross-site"}),
        ("good", {"Sec-Fetch-Site": "same-site"}),
        ("good", {"Origin": "null"}),
    ],
)
def test_a_forged_post_is_refused_and_changes_nothing(
    server: WebServer,
    client: requests.Session,
    data: Path,
    token: str | None,
    headers: dict[str, str],
) -> None:
    form = tick_form(server, client)
    if token is None:
        del form["csrf_token"]
    elif token == "wrong":
        form["csrf_token"] = "x" * len(form["csrf_token"])
    before = folder_bytes(data)
    reply = client.post(
        server.base + "/lost-device/tick",
        data=form,
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )
    assert reply.status_code == 403
    assert folder_bytes(data) == before
    page = client.get(server.base + "/lost-device/steps", timeout=10).text
    assert "Done at" not in page
    # The Finish button, forged, does not stop the server either.
    finish = client.post(
        server.base + "/finish",
        data={k: v for k, v in form.items() if k == "csrf_token"},
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )
    assert finish.status_code == 403
    assert server.process.poll() is None


def test_the_real_form_does_change_it(server: WebServer, client: requests.Session) -> None:
    """The refusals above are not a broken form: the same POST with its token is saved."""
    form = tick_form(server, client)
    reply = client.post(
        server.base + "/lost-device/tick",
        data=form,
        headers={"Origin": server.base, "Sec-Fetch-Site": "same-origin"},
        allow_redirects=False,
        timeout=10,
    )
    assert reply.status_code == 303 and reply.headers["Location"].startswith("/lost-device/steps")
    assert "Done at" in client.get(server.base + "/lost-device/steps", timeout=10).text


# 4. Nothing fetched, nothing kept by the browser -------------------------------------------------


def check_headers(reply: requests.Response) -> None:
    for name, value in HEADERS.items():
        assert reply.headers.get(name) == value, (reply.url, name)
    csp = reply.headers["Content-Security-Policy"]
    directives = dict(
        [*part.split(" ", 1), ""][:2] for part in (p.strip() for p in csp.split(";")) if part
    )
    assert directives["default-src"] in ("'none'", "'self'")
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for source in directives.get("script-src", "").split():
        assert source == "'self'"


def test_the_headers_are_on_every_response(server: WebServer, client: requests.Session) -> None:
    anonymous = requests.Session()
    replies = [
        client.get(server.base + "/", timeout=10),  # 200 page
        client.get(server.base + "/static/nutsec.css", timeout=10),  # static
        client.get(server.base + "/static/print.js", timeout=10),
        client.get(server.base + "/static/nothing.js", timeout=10),  # 404 static
        client.get(server.base + "/no/such/page", timeout=10),  # 404
        client.get(server.base + "/demo", allow_redirects=False, timeout=10),  # 303
        client.post(server.base + "/password", data={}, allow_redirects=False, timeout=10),  # 403
        anonymous.get(server.base + "/", timeout=10),  # 403 without a cookie
        anonymous.get(server.base + "/?token=nope", allow_redirects=False, timeout=10),
        client.get(server.base + "/", headers={"Host": "evil.example"}, timeout=10),  # 421
    ]
    statuses = {r.status_code for r in replies}
    assert {200, 303, 403, 404, 421} <= statuses
    for reply in replies:
        check_headers(reply)


def test_the_printable_report_allows_its_own_style_by_hash_only(
    server: WebServer, client: requests.Session, data: Path
) -> None:
    finished_audit(data)
    token = server.csrf(client, "/report")
    chosen = client.post(
        server.base + "/report",
        data={"csrf_token": token, "audit": "latest", "name": ""},
        allow_redirects=False,
        timeout=10,
    )
    assert chosen.status_code == 303
    report = client.get(server.base + chosen.headers["Location"], timeout=10)
    assert report.status_code == 200 and "Your account-security plan" in report.text
    check_headers(report)
    assert "'sha256-" in report.headers["Content-Security-Policy"]


def test_pages_fetch_nothing_from_elsewhere(server: WebServer, client: requests.Session) -> None:
    for path in ("/", "/password", "/history", "/lost-device/steps", "/demo/1", "/workshop"):
        page = client.get(server.base + path, timeout=10).text
        for address in re.findall(r'(?:src|href|action)="([^"]*)"', page):
            assert address.startswith(("/", "#")), (path, address)
        assert "<script>" not in page and " style=" not in page


# 6. It stops ------------------------------------------------------------------------------------


def wait_for_exit(process: subprocess.Popen[str], seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        code = process.poll()
        if code is not None:
            return code
        time.sleep(0.1)
    raise AssertionError("nutsec web did not stop")


def test_it_stops_when_idle_and_a_request_keeps_it_going(tmp_path: Path) -> None:
    with running_web(tmp_path / "data", "--idle-minutes", "0.05") as running:  # 3 seconds
        client = running.session()
        for _ in range(5):  # 4 s of use, more than the 3 s idle time
            time.sleep(0.8)
            assert client.get(running.base + "/", timeout=10).status_code == 200
        assert running.process.poll() is None
        last = time.monotonic()
        assert wait_for_exit(running.process, 20) == 0
        assert time.monotonic() - last >= 2
        output = running.stop()
    assert "Stopped after 0.05 minutes with nothing opened" in output


def test_the_finish_button_stops_it(tmp_path: Path) -> None:
    with running_web(tmp_path / "data") as running:
        client = running.session()
        token = running.csrf(client)
        goodbye = client.post(running.base + "/finish", data={"csrf_token": token}, timeout=10)
        assert goodbye.status_code == 200 and "nutsec has stopped" in goodbye.text
        # A goodbye with no way back into a server that is going: no nav, no Finish button;
        # its looks inside the page, and the exact line that starts nutsec again.
        assert_styled_without_static(goodbye)
        assert "<nav" not in goodbye.text and 'action="/finish"' not in goodbye.text
        again = f"{Path(NUTSEC).resolve()} web"
        assert again in html.unescape(goodbye.text)
        assert wait_for_exit(running.process, 20) == 0
        output = running.stop()
    assert "Finished. Your answers are saved." in output
    assert f"Next time, type: {again}" in output


def assert_styled_without_static(reply: requests.Response) -> None:
    """The page carries nutsec's styles in one <style> block that its Content-Security-Policy
    allows by hash (no 'unsafe-inline'), and fetches nothing from /static."""
    import base64

    found = re.search(r"<style>(.*?)</style>", reply.text, re.S)
    assert found and "--soft" in found.group(1)
    digest = base64.b64encode(hashlib.sha256(found.group(1).encode()).digest()).decode()
    policy = reply.headers["Content-Security-Policy"]
    assert f"'sha256-{digest}'" in policy and "unsafe-inline" not in policy
    assert "/static/" not in reply.text


def test_ctrl_c_exits_130_with_a_stopped_line(tmp_path: Path) -> None:
    with running_web(tmp_path / "data") as running:
        client = running.session()
        assert client.get(running.base + "/", timeout=10).status_code == 200  # a kept-alive tab
        running.process.send_signal(signal.SIGINT)
        assert wait_for_exit(running.process, 20) == 130
        output = running.stop()
    assert "Stopped. Your answers are saved." in output
    assert "Traceback" not in output and "Finished" not in output


def test_what_is_ticked_is_saved_at_once(tmp_path: Path) -> None:
    """Saved as given: a tick survives the server being killed outright, with no goodbye."""
    from nutsec.store.sqlite import open_store

    data = tmp_path / "data"
    with running_web(data) as running:
        client = running.session()
        form = tick_form(running, client)
        reply = client.post(
            running.base + "/lost-device/tick", data=form, allow_redirects=False, timeout=10
        )
        assert reply.status_code == 303
        running.process.kill()
        running.process.wait(10)
    with open_store(data, read_only=True) as store:
        assert form["step"] in store.ticks(None, "")


def finished_audit(data: Path) -> None:
    """A finished audit in `data`, made by the terminal (`nutsec audit --answers`)."""
    from nutsec.store.sqlite import open_store, store_exists

    if store_exists(data):
        with open_store(data, read_only=True) as store:
            if any(s.finished_at is not None for s in store.history()):
                return
    answers = Path(__file__).resolve().parents[1] / "nutsec" / "demo" / "sam.toml"
    subprocess.run(
        [NUTSEC, "audit", "--answers", str(answers), "--offline"],
        env={**os.environ, "NUTSEC_DATA_DIR": str(data)},
        capture_output=True,
        check=True,
        timeout=120,
    )
