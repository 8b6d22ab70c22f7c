"""The irregularity types sit low in the layers: the scenario schema imports their registry, so
nothing they import — at module level or inside a function — may reach the scenario or
anything above it (the platform, the session, personas…)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

ALLOWED = ("sandbox.irregularities", "sandbox.common", "sandbox.errors", "sandbox.rng")


def module_file(name: str) -> Path | None:
    path = ROOT.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def runtime_imports(path: Path) -> set[str]:
    """Every sandbox module this file imports when it runs (not under `if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                 and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
                 for stmt in node.body for n in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names
                      if module_file(f"{node.module}.{alias.name}")}
    named = {name for name in found if name.startswith("sandbox.")}
    # Importing a submodule runs its packages first (the root package imports nothing on load).
    return named | {".".join(name.split(".")[:i]) for name in named for i in range(2, name.count(".") + 1)}


def closure(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen or (path := module_file(name)) is None:
            continue
        seen.add(name)
        todo += runtime_imports(path)
    return seen


def test_nothing_an_irregularity_module_imports_reaches_the_scenario_or_above() -> None:
    modules = sorted(p for p in (ROOT / "sandbox" / "irregularities").glob("*.py"))
    assert len(modules) > 10
    for path in modules:
        name = "sandbox.irregularities" + ("" if path.stem == "__init__" else f".{path.stem}")
        above = sorted(m for m in closure(name) if not m.startswith(ALLOWED))
        assert above == [], f"{name} imports {above}"


def test_the_check_sees_an_import_inside_a_function() -> None:
    # Honest: `sandbox practise` imports the course's filter inside its command function only.
    assert "sandbox.course.my_report" in closure("sandbox.cli.practise")
    assert "sandbox.common.identifiers" in closure("sandbox.irregularities.data_entry_id")
