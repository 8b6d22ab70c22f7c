"""The house stays readable: few top-level modules, short files, and no import cycles —
counting imports deferred into functions, which only postpone a cycle to run time."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "sandbox"
MAX_TOP_LEVEL_MODULES = 10
MAX_LINES = 700


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path) -> set[str]:
    return imports_in(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def imports_in(source: str, own: str, is_package: bool = False) -> set[str]:
    """Every sandbox module a file imports, at the top or inside a function, with the packages
    Python runs on the way (importing a.b.c runs a/__init__ and a/b/__init__ first)."""
    found: set[str] = set()
    tree = ast.parse(source)
    type_only = {id(inner) for node in ast.walk(tree) if _is_type_checking_block(node)
                 for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = own.split(".") if is_package else own.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        else:
            continue
        own_packages = {".".join(own.split(".")[:end]) for end in range(1, own.count(".") + 1)}
        for target in targets:
            if target in MODULES and target != own:
                found.add(target)
            parts = target.split(".")
            # Importing a.b.c runs a/b/__init__ first — unless this module is inside a.b, whose
            # __init__ has then already run. The root facade is checked on its own.
            for end in range(2, len(parts)):
                package = ".".join(parts[:end])
                if package in MODULES and package != own and package not in own_packages:
                    found.add(package)
    return found


def _is_type_checking_block(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` imports exist for type hints only; they never run."""
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING"))


GRAPH = {name: imported_modules(path) for name, path in MODULES.items() if name != "sandbox"}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert cycles(GRAPH) == []


def test_the_cycle_finder_sees_a_deferred_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_deferred_and_relative_imports_are_counted():
    source = "def f():\n    from sandbox.errors import SandboxError\n    from .clock import SimClock\n"
    found = imports_in(source, "sandbox.platform.attempt")
    assert {"sandbox.errors", "sandbox.platform.clock"} <= found


def test_packages_run_on_the_way_count_unless_already_running():
    source = "from sandbox.platform.stages.base import Stage\n"
    assert "sandbox.platform.stages" in imports_in(source, "sandbox.session.desk")
    assert "sandbox.platform.stages" not in imports_in(source, "sandbox.platform.stages.review")


def test_type_only_imports_do_not_count():
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sandbox.errors import X\n"
    assert imports_in(source, "sandbox.world.cards") == set()


def test_no_module_imports_the_public_facade():
    """`sandbox/__init__` re-exports lazily; inside the package, import from the defining module."""
    offenders = []
    for name, path in MODULES.items():
        if name == "sandbox":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "sandbox" and not node.level:
                offenders.append(f"{name}: from sandbox import …")
            if isinstance(node, ast.Import) and any(alias.name == "sandbox" for alias in node.names):
                offenders.append(f"{name}: import sandbox")
    assert offenders == []


def test_few_top_level_modules():
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_no_long_files():
    long_files = {name: n for name, path in MODULES.items()
                  if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long_files == {}


def test_public_api_is_small_and_importable():
    import sandbox

    assert {"Session", "load_scenario", "generate_world", "Gradebook", "SandboxError"} <= set(sandbox.__all__)
    for name in sandbox.__all__:
        assert getattr(sandbox, name) is not None, name
