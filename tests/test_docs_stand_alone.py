"""The docs stand alone and the install is one line that works: nothing a person reads points at a
file they do not have, and README's Quick start is the two lines CI runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DOCS, REPO

NUTSEC = str(Path(sys.executable).parent / "nutsec")
README = REPO / "README.md"
PAGES = [README, *sorted(DOCS.glob("*.md"))]

#: Words that point at a document people using nutsec do not have.
NOT_SHIPPED = re.compile(r"PRODUCT\.md|STYLE\.md|specification", re.IGNORECASE)

COMMANDS = [
    [],
    ["audit"],
    ["report"],
    ["history"],
    ["lost-device"],
    ["demo"],
    ["password", "check"],
    ["passwords", "audit"],
    ["checklist", "list"],
    ["checklist", "show"],
    ["checklist", "validate"],
    ["config", "show"],
    ["config", "set-hibp-key"],
    ["config", "keyring-status"],
    ["breach", "account"],
]


def section(markdown: str, title: str) -> str:
    after = markdown.split(f"\n## {title}\n", 1)[1]
    return after.split("\n## ", 1)[0]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_and_file_a_page_names_is_in_the_repository(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    missing = []
    for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", text):
        if not re.match(r"[a-z]+:", target) and not (page.parent / target).exists():
            missing.append(target)
    for cited in re.findall(
        r"`((?:nutsec|docs|checklists|tests|benchmarks|\.ci)/[^`\s:*{]+)", text
    ):
        if not (REPO / cited).exists():
            missing.append(cited)
    assert not missing, f"{page.name} points at files that are not in the repository: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_page_cites_a_document_people_do_not_have(page: Path) -> None:
    found = NOT_SHIPPED.findall(page.read_text(encoding="utf-8"))
    assert not found, f"{page.name} cites {found}"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "nutsec")
def test_no_help_text_cites_a_document_people_do_not_have(command: list[str]) -> None:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    done = subprocess.run(
        [NUTSEC, *command, "--help"], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert not NOT_SHIPPED.findall(done.stdout)
    for cited in re.findall(r"\b((?:docs|checklists)/[\w./-]+\w)", done.stdout):
        assert (REPO / cited).exists(), f"'{' '.join(command)} --help' cites {cited}"


def test_quick_start_is_two_one_line_commands_that_make_their_own_environment() -> None:
    quick = section(README.read_text(encoding="utf-8"), "Quick start")
    blocks = re.findall(r"```\n(.*?)```", quick, re.DOTALL)
    assert len(blocks) == 2
    lines = [b.strip() for b in blocks]
    assert all("\n" not in line for line in lines), "each command must be one line"
    install, test = lines
    # pip on its own stops with "externally-managed-environment" on Debian, Ubuntu and Homebrew.
    # Activated in the person's own shell, so the `nutsec ...` commands nutsec suggests work.
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install .")
    assert install.endswith("&& nutsec web")
    assert test.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e")
    assert test.endswith("&& pytest")


def test_ci_runs_the_quick_start_lines_taken_from_the_readme() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert '"## Quick start"' in ci and "README.md" in ci
    assert 'bash -euo pipefail -c "$INSTALL_AND_TEST"' in ci
    assert '"$INSTALL_AND_WEB --no-browser"' in ci


def test_install_guide_is_linked_from_the_first_paragraph_of_install() -> None:
    install = section(README.read_text(encoding="utf-8"), "Install").strip()
    first_paragraph = install.split("\n\n", 1)[0]
    assert "[docs/install.md](docs/install.md)" in first_paragraph
    guide = (DOCS / "install.md").read_text(encoding="utf-8")
    for system in ("## Windows 10 and 11", "## macOS", "## Ubuntu and Debian"):
        assert system in guide
    for topic in ("pipx install .", "## Update", "## Uninstall", "Not run on a real Windows"):
        assert topic in guide
