"""Shared fixtures: a private data dir for every test, and helpers to write checklist files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own NUTSEC_DATA_DIR, so nothing touches the real one."""
    data = tmp_path / "nutsec-data"
    monkeypatch.setenv("NUTSEC_DATA_DIR", str(data))
    monkeypatch.delenv("NUTSEC_HIBP_URL", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return data


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def toml_block(markdown: Path, index: int = 0) -> str:
    """The index-th ```toml block of a Markdown file."""
    text = markdown.read_text(encoding="utf-8")
    blocks = text.split("```toml\n")[1:]
    return blocks[index].split("```", 1)[0]


@pytest.fixture
def use_keyring() -> Iterator[Callable[[Any], Any]]:
    """Install a keyring backend for this test (`keyring.set_keyring`); the previous one after."""
    import keyring

    previous = keyring.get_keyring()

    def install(backend: Any) -> Any:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(use_keyring: Callable[[Any], Any]) -> Any:
    """An in-memory keyring installed for this test."""
    from tests.memory_keyring import MemoryKeyring

    return use_keyring(MemoryKeyring())
