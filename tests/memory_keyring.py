"""An in-memory keyring: a real `keyring` backend (subclass of KeyringBackend) that keeps secrets
in a dict, so tests store and read keys without touching the machine's keyring."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Lives as long as the test; installed with `keyring.set_keyring()` by the fixture."""

    priority = 1  # type: ignore[assignment]  # keyring declares a classproperty

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}
        self.writes = 0

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes += 1
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise PasswordDeleteError("not stored") from None


class UnstartableKeyring(MemoryKeyring):
    """A keyring that cannot start here, as Secret Service cannot without D-Bus."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("Unable to initialize: no session bus")


class FileKeyring(MemoryKeyring):
    """For tests of the installed command across processes (an audit stopped and resumed): keeps
    its secrets in the JSON file named by NUTSEC_TEST_KEYRING_FILE, in the test's tmp_path.
    Chosen with PYTHON_KEYRING_BACKEND=tests.memory_keyring.FileKeyring; nutsec judges it by its
    class like any keyring it does not know (priority 1: "probably safe")."""

    @properties.classproperty
    def priority(cls) -> float:
        if "NUTSEC_TEST_KEYRING_FILE" not in os.environ:  # never picked up by keyring's own search
            raise RuntimeError("NUTSEC_TEST_KEYRING_FILE is not set")
        return 1

    def __init__(self) -> None:
        super().__init__()
        self.path = Path(os.environ.get("NUTSEC_TEST_KEYRING_FILE", os.devnull))
        self._load()

    def _load(self) -> None:
        """Read the file again: like a real keyring, what another process changed is seen."""
        if self.path.is_file():
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            self.secrets = {(s, u): p for s, u, p in stored}
        else:
            self.secrets = {}

    def get_password(self, service: str, username: str) -> str | None:
        self._load()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._load()
        super().set_password(service, username, password)
        self._save()

    def delete_password(self, service: str, username: str) -> None:
        self._load()
        super().delete_password(service, username)
        self._save()

    def _save(self) -> None:
        rows = [[s, u, p] for (s, u), p in self.secrets.items()]
        self.path.write_text(json.dumps(rows), encoding="utf-8")


def keyring_env(data: Path) -> dict[str, str]:
    """The environment that makes an installed `nutsec` use FileKeyring, in a file beside `data`
    (the data folder), so a test's subprocesses share one keyring and the machine's is untouched."""
    return {
        "PYTHON_KEYRING_BACKEND": "tests.memory_keyring.FileKeyring",
        "NUTSEC_TEST_KEYRING_FILE": str(data.parent / "test-keyring.json"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
