"""The package's layout is its pipeline: each subpackage imports only the stages below it, no module
imports itself back through others, and the stages are at most five levels deep."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "surveykb"

# What each stage may import (besides itself). `cli.py` is the top; `core` is the bottom.
ALLOWED = {
    "core": set(),
    "generated": {"core"},
    "formats": {"core", "generated"},
    "sources": {"core"},
    "commands": {"core", "generated", "formats", "sources"},
    "site": {"core", "generated", "formats"},
    "cli": {"core", "generated", "formats", "sources", "commands"},
}


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(relative.parts).removesuffix(".__init__")
        found[name] = path
    return found


@cache
def imports_of(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("surveykb"):
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.startswith("surveykb")}
    return frozenset(names)


@pytest.mark.parametrize("module", sorted(modules()))
def test_a_module_imports_only_stages_below_it(module: str) -> None:
    stage = stage_of(module)
    if stage == "root":
        return
    upward = sorted(
        name for name in imports_of(modules()[module]) if stage_of(name) not in ALLOWED[stage] | {stage, "root"}
    )
    assert upward == [], f"{module} ({stage}) imports {upward}"


def test_no_import_cycles() -> None:
    graph = {name: {target for target in imports_of(path) if target in modules()} for name, path in modules().items()}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", " -> ".join([*trail, name])
        state[name] = "open"
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        state[name] = "done"

    for name in sorted(graph):
        visit(name, [])


def test_stages_are_at_most_five_levels_deep() -> None:
    @cache
    def depth(stage: str) -> int:
        return 1 + max((depth(below) for below in ALLOWED[stage]), default=0)

    assert max(depth(stage) for stage in ALLOWED) <= 5
    assert {stage_of(name) for name in modules()} - {"root"} <= set(ALLOWED)
