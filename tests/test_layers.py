"""Nothing below sandbox/ui draws or sleeps: no package under the display layer imports ui,
matplotlib, ipywidgets or IPython — not even inside a function — nor calls time.sleep."""

from __future__ import annotations

import ast

import pytest
from conftest import ROOT

# The layers that may draw (ui) or use ui (its callers); everything else in sandbox/ is below ui.
UI_AND_ABOVE = {"ui", "classmode", "course", "cli", "personas"}
BELOW_UI = sorted(p.name for p in (ROOT / "sandbox").iterdir()
                  if (p / "__init__.py").exists() and p.name not in UI_AND_ABOVE)
DRAWING = ("sandbox.ui", "matplotlib", "ipywidgets", "IPython")
# The one real wait below ui: the class-server client backs off before retrying a call whose
# connection dropped (issue 14's idempotency keys make the retry safe). Simulated time never sleeps.
REAL_WAITS = {"sandbox/session/http.py"}


def drawing_and_sleeping(source: str) -> list[str]:
    """What in this source draws or sleeps: forbidden imports (anywhere) and time.sleep."""
    found = []
    for node in ast.walk(ast.parse(source)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            if node.module == "time" and any(alias.name == "sleep" for alias in node.names):
                found.append(f"line {node.lineno}: from time import sleep")
        for module in modules:
            if any(module == banned or module.startswith(banned + ".") for banned in DRAWING):
                found.append(f"line {node.lineno}: imports {module}")
        if isinstance(node, ast.Attribute) and node.attr == "sleep":
            found.append(f"line {node.lineno}: calls .sleep")
    return found


def test_the_scan_finds_what_it_looks_for() -> None:
    source = '''
import time
def show():
    import matplotlib.pyplot as plt
    from IPython.display import display
    from sandbox import ui
    time.sleep(1)
'''
    found = drawing_and_sleeping(source)
    assert any("matplotlib.pyplot" in f for f in found) and any("IPython.display" in f for f in found)
    assert any("sandbox.ui" in f for f in found) and any(".sleep" in f for f in found)
    assert drawing_and_sleeping("import html\nfrom sandbox.session.report import Report\n") == []


def test_every_package_the_issue_names_is_scanned() -> None:
    assert {"platform", "session", "bank", "world", "scenario", "programs", "irregularities", "common",
            "gradebook"} <= set(BELOW_UI)


@pytest.mark.parametrize("package", [*BELOW_UI, "top-level modules"])
def test_nothing_below_ui_draws_or_sleeps(package: str) -> None:
    paths = sorted((ROOT / "sandbox").glob("*.py")) if package == "top-level modules" \
        else sorted((ROOT / "sandbox" / package).rglob("*.py"))
    problems = []
    for path in paths:
        found = drawing_and_sleeping(path.read_text(encoding="utf-8"))
        if path.relative_to(ROOT).as_posix() in REAL_WAITS:  # waits on the network, not simulated time
            found = [f for f in found if not f.endswith("calls .sleep")]
        problems += [f"{path.relative_to(ROOT)} {p}" for p in found]
    assert problems == []
