"""The core's layers point one way: no package imports one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "nutsec"


def imported_modules(path: Path) -> set[str]:
    """Every nutsec module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nutsec"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("nutsec"))
    return found


def imports_of(package: str) -> set[str]:
    base = ROOT / package
    files = [base.with_suffix(".py")] if base.with_suffix(".py").exists() else base.rglob("*.py")
    result: set[str] = set()
    for file in files:
        result |= imported_modules(file)
    return result


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("secret", "passwords"),
        ("secret", "breach"),
        ("passwords", "breach"),
        ("breach", "passwords"),
        ("breach", "verdict"),
        ("passwords", "verdict"),
        ("audit_data", "store"),
        ("audit_data", "audit"),
        ("store", "audit"),
        ("checklist", "audit"),
        ("scoring", "report"),
        ("share", "workshop"),
        ("share", "cli"),
        ("workshop", "cli"),
        ("demo", "cli"),
    ],
)
def test_lower_layer_never_imports_higher_one(lower: str, higher: str) -> None:
    bad = sorted(
        m for m in imports_of(lower) if m == f"nutsec.{higher}" or m.startswith(f"nutsec.{higher}.")
    )
    assert not bad, f"nutsec.{lower} imports {bad}"


@pytest.mark.parametrize("package", ["report", "exports", "workshop"])
def test_renderer_base_lives_apart_from_the_registry(package: str) -> None:
    """A renderer imports its base from renderer.py, never the registry that imports it."""
    base = imported_modules(ROOT / package / "renderer.py")
    assert not {m for m in base if m.startswith(f"nutsec.{package}.") and "format" in m}
    for file in (ROOT / package).glob("*_format.py"):
        assert f"nutsec.{package}.formats" not in imported_modules(file) or package == "exports"
        assert f"nutsec.{package}.renderers" not in imported_modules(file)


def _module_graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (at the top or in a function)."""
    base = ROOT / package
    graph: dict[str, set[str]] = {}
    for file in base.rglob("*.py"):
        name = "nutsec." + ".".join(file.relative_to(ROOT).with_suffix("").parts)
        graph[name.removesuffix(".__init__")] = {
            m for m in imported_modules(file) if m.startswith(f"nutsec.{package}.")
        }
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of `graph` as a list of modules, or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_export_readers_and_their_shared_types_import_no_cycle() -> None:
    """reader.py imports the KeePass and Bitwarden readers; they import entries.py, not it."""
    cycle = _cycle(_module_graph("exports"))
    assert not cycle, " -> ".join(cycle)
