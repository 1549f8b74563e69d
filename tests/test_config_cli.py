"""`nutsec config`: the HIBP key goes only into a safe keyring, is never shown, and the settings
in effect are told plainly. Keyrings are real `keyring` backends installed by the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import keyring.backends.fail
import keyring.backends.null
import keyring.backends.SecretService
import pytest
from keyrings.alt.file import PlaintextKeyring
from typer.testing import CliRunner

from nutsec.breach.api_key import KEYRING_SERVICE, KEYRING_USERNAME
from nutsec.cli import app
from nutsec.keyring_safety import KeyringSafety, judge_keyring
from tests.memory_keyring import MemoryKeyring

runner = CliRunner()
NUTSEC = str(Path(sys.executable).parent / "nutsec")

KEY = "5f1c0a9e3b7d42c8a6e01f9b2d4c7e83"  # made up, in the shape of an HIBP key


def pieces(secret: str, size: int = 8) -> list[str]:
    return [secret[i : i + size] for i in range(len(secret) - size + 1)]


def assert_key_not_in(text: str, key: str = KEY) -> None:
    leaked = any(piece.lower() in text.lower() for piece in pieces(key))
    assert not leaked, "a piece of the API key appears in the output"


def stored(backend: MemoryKeyring) -> str | None:
    return backend.secrets.get((KEYRING_SERVICE, KEYRING_USERNAME))


def test_set_hibp_key_stores_it_in_the_keyring_and_never_shows_it(
    memory_keyring: MemoryKeyring,
) -> None:
    result = runner.invoke(app, ["config", "set-hibp-key", "--stdin"], input=f"  {KEY}  \n")
    assert result.exit_code == 0, result.output
    assert stored(memory_keyring) == KEY, "the key was not stored as given (blanks trimmed)"
    assert "stored in the system keyring" in result.output
    assert_key_not_in(result.output)


def test_hidden_prompt_does_not_echo_the_key(memory_keyring: MemoryKeyring) -> None:
    result = runner.invoke(app, ["config", "set-hibp-key"], input=KEY.upper() + "\n")
    assert result.exit_code == 0, result.output
    assert "API key (typing is hidden)" in result.output
    assert_key_not_in(result.output)
    assert stored(memory_keyring) == KEY.upper()


@pytest.mark.parametrize(
    "typed",
    [
        KEY[:-1],  # 31 characters
        KEY + "0",  # 33
        KEY[:-1] + "g",  # not hexadecimal
        KEY[:16] + " " + KEY[16:-1],
        "",
    ],
    ids=["short", "long", "not-hex", "space-inside", "empty"],
)
def test_a_key_of_the_wrong_shape_is_refused_without_quoting_it(
    memory_keyring: MemoryKeyring, typed: str
) -> None:
    result = runner.invoke(app, ["config", "set-hibp-key", "--stdin"], input=typed + "\n")
    assert result.exit_code == 2
    assert "nothing was stored" in result.output
    assert memory_keyring.writes == 0
    if typed:
        assert_key_not_in(result.output, typed)


@pytest.mark.parametrize(
    ("backend", "why"),
    [
        (keyring.backends.fail.Keyring(), "no usable system keyring was found"),
        (keyring.backends.null.Keyring(), "the keyring is switched off"),
        (PlaintextKeyring(), "plain-text file"),
    ],
    ids=["fail", "null", "plaintext"],
)
def test_an_insecure_keyring_is_refused_with_why_and_what_to_do(
    use_keyring: Any, backend: Any, why: str, tmp_path: Path
) -> None:
    if isinstance(backend, PlaintextKeyring):
        backend.file_path = str(tmp_path / "keyring_pass.cfg")  # never the real one
    use_keyring(backend)
    result = runner.invoke(app, ["config", "set-hibp-key", "--stdin"], input=KEY + "\n")
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert message.startswith("Error: The key was not stored, because")
    assert why in message
    assert "GNOME Keyring" in message and "macOS Keychain" in message
    assert_key_not_in(result.output)
    assert not (tmp_path / "keyring_pass.cfg").exists(), "the key was written to a plain file"
    assert "Traceback" not in result.output


def test_delete_removes_the_stored_key(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, KEY)
    result = runner.invoke(app, ["config", "set-hibp-key", "--delete"])
    assert result.exit_code == 0, result.output
    assert "removed" in result.output
    assert stored(memory_keyring) is None
    again = runner.invoke(app, ["config", "set-hibp-key", "--delete"])
    assert again.exit_code == 0
    assert "nothing to remove" in again.output


def test_delete_with_no_keyring_at_all_says_nothing_was_stored(use_keyring: Any) -> None:
    use_keyring(keyring.backends.fail.Keyring())
    result = runner.invoke(app, ["config", "set-hibp-key", "--delete"])
    assert result.exit_code == 0
    assert "nothing to remove" in result.output


@pytest.mark.parametrize(
    ("backend", "safety"),
    [
        (keyring.backends.SecretService.Keyring(), KeyringSafety.SECURE),
        (keyring.backends.fail.Keyring(), KeyringSafety.INSECURE),
        (keyring.backends.null.Keyring(), KeyringSafety.INSECURE),
        (PlaintextKeyring(), KeyringSafety.INSECURE),
        (MemoryKeyring(), KeyringSafety.UNRECOGNISED),
    ],
    ids=["secret-service", "fail", "null", "plaintext", "unknown-to-nutsec"],
)
def test_keyring_status_judges_the_backend_and_always_exits_0(
    use_keyring: Any, backend: Any, safety: KeyringSafety
) -> None:
    use_keyring(backend)
    result = runner.invoke(app, ["config", "keyring-status"])
    assert result.exit_code == 0, result.output
    first = {
        KeyringSafety.SECURE: "Safe:",
        KeyringSafety.INSECURE: "Not safe:",
        KeyringSafety.UNRECOGNISED: "Not judged safe:",
    }[safety]
    assert first in result.output
    advice = "nutsec will not store your Have I Been Pwned API key here" in result.output
    assert advice is (safety is KeyringSafety.INSECURE)
    data = json.loads(runner.invoke(app, ["config", "keyring-status", "--json"]).output)
    assert data["safety"] == safety.value
    assert data["secure"] is (safety is KeyringSafety.SECURE)
    assert data["backend"] == f"{type(backend).__module__}.{type(backend).__qualname__}"


def test_judging_a_keyring_never_calls_it() -> None:
    class Exploding(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise AssertionError("the keyring was used to judge it")

    assert judge_keyring(Exploding()).safety is KeyringSafety.UNRECOGNISED


def test_a_keyring_that_cannot_work_here_is_insecure() -> None:
    from keyring.compat import properties

    class Broken(MemoryKeyring):
        @properties.classproperty
        def priority(cls) -> float:
            raise RuntimeError("no D-Bus")

    class LowPriority(MemoryKeyring):
        priority = 0.5  # type: ignore[assignment]

    assert judge_keyring(LowPriority()).safety is KeyringSafety.INSECURE
    broken = judge_keyring(Broken())
    assert broken.safety is KeyringSafety.INSECURE
    assert broken.reason == "the keyring in use cannot work here (it reported RuntimeError)"


def test_show_says_whether_a_key_is_stored_but_never_the_key(
    memory_keyring: MemoryKeyring,
) -> None:
    before = runner.invoke(app, ["config", "show"])
    assert before.exit_code == 0, before.output
    assert "Have I Been Pwned API key: not stored" in before.output
    memory_keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, KEY)
    after = runner.invoke(app, ["config", "show"])
    assert "Have I Been Pwned API key: stored in the system keyring" in after.output
    as_json = runner.invoke(app, ["config", "show", "--json"])
    assert json.loads(as_json.output)["hibp_api_key_stored"] is True
    for output in (after.output, as_json.output):
        assert_key_not_in(output)


def test_show_tells_the_settings_in_effect_and_where_they_come_from(
    memory_keyring: MemoryKeyring,
    private_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    private_data_dir.mkdir(mode=0o700)
    monkeypatch.setenv("NUTSEC_HIBP_URL", "http://127.0.0.1:9/mirror")
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(app, ["config", "show"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"Data folder: {private_data_dir} (from NUTSEC_DATA_DIR); exists, only you" in out
    assert f"Saved audits: {private_data_dir / 'audits.sqlite3'}; not created yet" in out
    assert "Password breach service: http://127.0.0.1:9/mirror (from NUTSEC_HIBP_URL)" in out
    assert "E-mail breach service: https://haveibeenpwned.com/api/v3 (the default)" in out
    assert "Colour: off (NO_COLOR is set)" in out
    assert "MemoryKeyring (tests.memory_keyring.MemoryKeyring); not judged safe" in out

    os.chmod(private_data_dir, 0o755)  # noqa: S103 (loosened on purpose: show must notice)
    data = json.loads(runner.invoke(app, ["config", "show", "--json"]).output)
    assert data["data_dir"] == {
        "path": str(private_data_dir),
        "source": "NUTSEC_DATA_DIR",
        "exists": True,
        "private": False,
    }
    assert data["range_service"]["source"] == "NUTSEC_HIBP_URL"
    assert data["account_service"] == {
        "url": "https://haveibeenpwned.com/api/v3",
        "source": "default",
        "problem": None,
    }
    assert data["no_color"] is True
    loose = runner.invoke(app, ["config", "show"], env={"COLUMNS": "200"}).output
    assert "exists, but others can open it" in loose


def test_show_names_an_unusable_service_address(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUTSEC_HIBP_API_URL", "ftp://example.org")
    result = runner.invoke(app, ["config", "show"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "(from NUTSEC_HIBP_API_URL); not usable:" in result.output


def _run(
    args: list[str], backend: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHON_KEYRING_BACKEND": backend, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [NUTSEC, *args], input=stdin, capture_output=True, text=True, env=full, timeout=60
    )


def test_a_keyring_that_cannot_start_is_reported_not_a_traceback() -> None:
    backend = "tests.memory_keyring.UnstartableKeyring"
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    status = _run(["config", "keyring-status"], backend, env=env)
    assert status.returncode == 0, status.stderr
    assert "Not safe: the keyring chosen for this computer cannot start" in status.stdout
    assert "RuntimeError" in status.stdout and "no session bus" not in status.stdout
    show = _run(["config", "show"], backend, env=env)
    assert show.returncode == 0, show.stderr
    assert "System keyring: none that works" in show.stdout
    refused = _run(["config", "set-hibp-key", "--stdin"], backend, KEY, env=env)
    assert refused.returncode == 2 and "cannot start" in refused.stderr
    lookup = _run(["breach", "account", "sam@example.org"], backend, env=env)
    assert lookup.returncode == 2 and "No Have I Been Pwned API key is stored" in lookup.stderr
    for done in (status, show, refused, lookup):
        assert "Traceback" not in done.stderr


def test_installed_command_refuses_a_machine_without_a_safe_keyring() -> None:
    refused = _run(["config", "set-hibp-key", "--stdin"], "keyring.backends.fail.Keyring", KEY)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "not stored" in refused.stderr
    assert_key_not_in(refused.stdout + refused.stderr)
    status = _run(["config", "keyring-status"], "keyring.backends.null.Keyring")
    assert status.returncode == 0
    assert "Not safe: the keyring is switched off" in status.stdout
