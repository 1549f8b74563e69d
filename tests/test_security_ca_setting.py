"""Issue 22: a certificate setting that names no file (`REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE`,
`SSL_CERT_FILE` set to /nonexistent) makes an online check "not checked", with the setting
named as the reason: never a traceback, and a scripted audit still saves its answers.

The service is an https address on this computer (a listener that accepts and closes); nothing
leaves the machine."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nutsec.breach.http_fetch import ca_setting_problem
from nutsec.store.sqlite import STORE_FILE
from tests.test_security_bad_input import NUTSEC

VARIABLES = ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"]
PASSWORD = "Orchid-Lantern-5521"


@pytest.fixture
def https_address() -> Iterator[str]:
    """An https:// address on 127.0.0.1 whose listener closes every connection at once."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        thread.join(2)
        listener.close()


def _run(
    *args: str, variable: str, data: Path, text_in: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NUTSEC_DATA_DIR": str(data), "NO_COLOR": "1", variable: "/nonexistent"}
    for other in VARIABLES:
        if other != variable:
            env.pop(other, None)
    env.pop("NUTSEC_HIBP_URL", None)
    return subprocess.run(
        [NUTSEC, *args],
        input=text_in,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("variable", VARIABLES)
def test_a_bad_ca_setting_is_not_checked_with_the_reason_never_a_traceback(
    variable: str, https_address: str, private_data_dir: Path
) -> None:
    result = _run(
        "password",
        "check",
        "--stdin",
        "--plain",
        "--hibp-url",
        https_address,
        variable=variable,
        data=private_data_dir,
        text_in=PASSWORD + "\n",
    )
    screen = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in screen and "OSError" not in screen
    assert f"Not checked for known breaches (the certificate file set in {variable}" in screen
    assert PASSWORD not in screen


@pytest.mark.parametrize("variable", VARIABLES)
def test_a_scripted_audit_with_a_bad_ca_setting_still_saves_its_answers(
    variable: str, https_address: str, tmp_path: Path, private_data_dir: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(
        '[answers]\n[[accounts]]\nname = "Mail"\nplatform = "email"\n'
        f'password = "{PASSWORD}"\n[accounts.answers]\n"account.email-two-factor" = "yes"\n'
    )
    result = _run(
        "audit",
        "--answers",
        str(answers),
        "--hibp-url",
        https_address,
        variable=variable,
        data=private_data_dir,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(private_data_dir / STORE_FILE) as db:
        rows = db.execute("SELECT breach_status, breach_reason FROM password_findings").fetchall()
    db.close()
    assert rows == [("unknown", f"the certificate file set in {variable} was not found")]


def test_a_ca_setting_that_names_a_real_file_or_nothing_is_no_problem(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    assert ca_setting_problem({}) is None
    assert ca_setting_problem({"REQUESTS_CA_BUNDLE": ""}) is None
    assert ca_setting_problem({"REQUESTS_CA_BUNDLE": str(bundle)}) is None
    assert ca_setting_problem({"SSL_CERT_FILE": str(tmp_path)}) is None  # a folder is fine
    assert ca_setting_problem({"CURL_CA_BUNDLE": str(tmp_path / "gone.pem")}) == (
        "the certificate file set in CURL_CA_BUNDLE was not found"
    )
