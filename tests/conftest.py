"""Shared fixtures: a private data dir for every test, and helpers to write checklist files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
