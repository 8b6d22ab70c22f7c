"""Notebooks are committed clean: a trainee opens them fresh, git diffs stay readable,
nothing of an author's machine leaks, and JupyterLab starts their kernel without asking
(a missing kernelspec opens a "Select Kernel" dialog that blocks the browser test)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
COURSE_PREFIXES = [f"{n:02d}_" for n in range(7)]  # 00_start_here … 06_…

# Absolute paths of someone's machine: /root, /home/<user>, /work, /Users/<user>, C:\Users.
PERSONAL_PATH = re.compile(r"(?<![\w.~-])(/root\b|/home/|/work\b|/Users/|[A-Za-z]:\\Users\\)")


def find_notebooks() -> list[Path]:
    return sorted(
        p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


def notebook_params() -> list:
    found = find_notebooks()
    if not found:
        return [pytest.param(None, marks=pytest.mark.skip(reason="no notebooks committed yet"))]
    return [pytest.param(p, id=str(p.relative_to(ROOT))) for p in found]


def problems_in(notebook: dict) -> list[str]:
    """Everything that makes a notebook not clean, one message per problem."""
    problems: list[str] = []
    kernelspec = notebook.get("metadata", {}).get("kernelspec", {})
    if kernelspec.get("name") != "python3":
        problems.append(f"metadata.kernelspec.name is {kernelspec.get('name')!r}, not 'python3'")
    if "widgets" in notebook.get("metadata", {}):
        problems.append("saved widget state in metadata.widgets (clear it before committing)")
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        where = f"cell {number}"
        if cell.get("cell_type") == "code":
            if cell.get("outputs"):
                problems.append(f"{where}: has outputs")
            if cell.get("execution_count") is not None:
                problems.append(f"{where}: execution_count is {cell['execution_count']}")
        source = "".join(cell.get("source", ""))
        for match in PERSONAL_PATH.finditer(source):
            problems.append(f"{where}: absolute personal path {match.group(0)!r}")
    return problems


@pytest.mark.parametrize("path", notebook_params())
def test_notebook_is_committed_clean(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    nbformat.validate(nbformat.from_dict(raw))
    problems = problems_in(raw)
    assert not problems, f"{path.relative_to(ROOT)} is not clean:\n  " + "\n  ".join(problems)


def test_course_has_one_notebook_per_step() -> None:
    if not (NOTEBOOKS / "00_start_here.ipynb").exists():
        pytest.skip("the course starts once notebooks/00_start_here.ipynb exists")
    names = [p.name for p in NOTEBOOKS.glob("*.ipynb")]
    for prefix in COURSE_PREFIXES:
        matching = [n for n in names if n.startswith(prefix)]
        assert len(matching) == 1, f"expected one notebooks/{prefix}*.ipynb, found {matching}"


def clean_notebook(**changes: object) -> dict:
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [
            {"cell_type": "code", "id": "a", "metadata": {}, "source": "x = 1",
             "outputs": [], "execution_count": None},
        ],
    }
    notebook.update(changes)
    return notebook


def test_checker_accepts_a_clean_notebook_and_names_each_problem() -> None:
    assert problems_in(clean_notebook()) == []
    dirty_cell = {
        "cell_type": "code", "id": "b", "metadata": {},
        "source": "open('/home/zhang/roster.xlsx')  # C:\\Users\\li\\x",
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}],
        "execution_count": 3,
    }
    problems = problems_in(clean_notebook(metadata={}, cells=[dirty_cell]))
    assert any("kernelspec" in p for p in problems)
    assert "cell 1: has outputs" in problems
    assert "cell 1: execution_count is 3" in problems
    assert sum("personal path" in p for p in problems) == 2


def test_checker_allows_paths_inside_the_repository_and_urls() -> None:
    ok_cell = {
        "cell_type": "markdown", "id": "c", "metadata": {},
        "source": "See scenarios/tutorial.yaml or https://example.org/work/home/ and ~/work",
    }
    assert problems_in(clean_notebook(cells=[ok_cell])) == []
