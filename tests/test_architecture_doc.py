"""docs/architecture.md is written from the code: every module, package, test or function
it names exists, and every package of the sandbox has its row."""

from __future__ import annotations

import importlib
import re

import pytest
from conftest import ROOT

DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def named_paths(text: str) -> list[str]:
    return sorted(set(re.findall(r"`((?:sandbox|tests|docs|scripts)/[\w./<>-]*)`", text)))


def missing_paths(text: str) -> list[str]:
    return [p for p in named_paths(text) if "<" not in p and not (ROOT / p).exists()]


PATHS = named_paths(DOC)
DOTTED = sorted(set(re.findall(r"`(sandbox(?:\.\w+)+)(?:\(|`)", DOC)))


def test_every_path_it_names_exists():
    assert missing_paths(DOC) == []


@pytest.mark.parametrize("dotted", DOTTED)
def test_every_dotted_name_it_names_imports(dotted):
    module, _, attribute = dotted.rpartition(".")
    try:
        importlib.import_module(dotted)
    except ModuleNotFoundError:
        assert hasattr(importlib.import_module(module), attribute), dotted


def test_it_names_a_lot_and_the_checker_catches_a_missing_one():
    assert len(PATHS) > 40
    old_page = "| `sandbox/platform.py` | the only holder of the truth |\n| `sandbox/rng.py` | seeds |"
    assert missing_paths(old_page) == ["sandbox/platform.py"]


def test_every_package_has_its_row():
    packages = sorted(p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "sandbox").glob("*/__init__.py"))
    missing = [p for p in packages if f"`{p}/`" not in DOC]
    assert missing == []
