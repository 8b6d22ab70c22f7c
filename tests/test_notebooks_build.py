"""The notebooks are built from notebooks/src/ (scripts/build_notebooks.py): the committed
editions match their sources, the Chinese course is in Chinese, trainees get starters and no
solutions, and the first code cell restores everything later cells import.

nbval runs every edition (make test); the trainer editions carry the asserts on reference scores.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SCRIPT = ROOT / "scripts" / "build_notebooks.py"
COURSE = [f"{n:02d}_" for n in range(9)]  # 00_start_here … 08_monthly_changes
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

spec = importlib.util.spec_from_file_location("build_notebooks", SCRIPT)
build = importlib.util.module_from_spec(spec)
sys.modules["build_notebooks"] = build  # dataclasses look their module up while the class is built
spec.loader.exec_module(build)


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text(cell: dict) -> str:
    return "".join(cell["source"])


def course_notebooks(folder: Path) -> list[Path]:
    found = sorted(p for p in folder.glob("*.ipynb") if p.name[:3] in COURSE)
    assert len(found) == len(COURSE), f"expected {len(COURSE)} course notebooks in {folder}, found {found}"
    return found


def test_committed_notebooks_match_their_sources() -> None:
    """Edit notebooks/src/*.py, not the .ipynb: a rebuild would silently drop the change."""
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_every_source_has_both_languages_and_both_roles() -> None:
    paths = {p.relative_to(NOTEBOOKS).as_posix() for p in build.built()}
    for stem in build.stems():
        if stem in build.TRAINER_ONLY:
            assert {f"trainer/{stem}.ipynb", f"en/trainer/{stem}.ipynb"} <= paths
        else:
            assert {f"{stem}.ipynb", f"en/{stem}.ipynb", f"trainer/course/{stem}.ipynb",
                    f"en/trainer/course/{stem}.ipynb"} <= paths


@pytest.mark.parametrize("folder", ["", "trainer/course"])
def test_chinese_course_markdown_is_mostly_chinese(folder: str) -> None:
    for path in course_notebooks(NOTEBOOKS / folder):
        markdown = "".join(text(c) for c in cells(path) if c["cell_type"] == "markdown")
        chars = re.sub(r"\s", "", markdown)
        share = len(CJK.findall(chars)) / len(chars)
        assert share >= 0.5, f"{path.name}: only {share:.0%} of its markdown is Chinese"


def test_the_english_edition_stays_english_and_each_edition_sets_its_language() -> None:
    for lang, folder in (("zh", NOTEBOOKS), ("en", NOTEBOOKS / "en")):
        for path in course_notebooks(folder):
            setup = next(text(c) for c in cells(path) if c["cell_type"] == "code")
            assert f'LANG = "{lang}"' in setup, path
            if lang == "en":
                markdown = "".join(text(c) for c in cells(path) if c["cell_type"] == "markdown")
                chars = re.sub(r"\s", "", markdown)
                assert len(CJK.findall(chars)) / len(chars) < 0.2, path


def test_trainees_get_starters_and_trainers_get_solutions() -> None:
    for stem in build.stems():
        if stem in build.TRAINER_ONLY:
            continue
        source = build.jupytext.read(build.SOURCES / f"{stem}.py", fmt="py:percent")
        tagged = {tag: [build.localise(c.source, "zh") for c in source.cells if tag in c.metadata.get("tags", [])]
                  for tag in ("solution", "starter", "check")}
        trainee = {text(c) for c in cells(NOTEBOOKS / f"{stem}.ipynb")}
        trainer = {text(c) for c in cells(NOTEBOOKS / "trainer" / "course" / f"{stem}.ipynb")}
        for solution in tagged["solution"] + tagged["check"]:
            assert solution not in trainee and solution in trainer, (stem, solution[:60])
        for starter in tagged["starter"]:
            assert starter in trainee and starter not in trainer, (stem, starter[:60])
            assert starter not in tagged["solution"], f"{stem}: a starter identical to its solution"


def test_every_exercise_with_a_solution_has_a_starter_and_reference_checks_exist() -> None:
    for stem in build.stems():
        source = build.jupytext.read(build.SOURCES / f"{stem}.py", fmt="py:percent")
        tags = [c.metadata.get("tags", []) for c in source.cells]
        solutions = sum("solution" in t for t in tags)
        assert solutions == sum("starter" in t for t in tags), stem
        if solutions:
            assert any("check" in t for t in tags), f"{stem}: solutions but no reference check"


def imported_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
    return names


@pytest.mark.parametrize("edition", ["", "en"])
def test_the_first_code_cell_restores_the_imports_later_cells_use(edition: str) -> None:
    """After a kernel restart, the first code cell alone must bring back pd, the desks and the
    helpers: a later cell may not rely on a name that only another later cell imports."""
    for path in course_notebooks(NOTEBOOKS / edition):
        code = [text(c) for c in cells(path) if c["cell_type"] == "code"]
        first = imported_names(code[0])
        if "begin_city(" in code[0]:  # 07: the city office, no session of the trainee's county
            assert {"pd", "SandboxError", "begin_city"} <= first, path
        else:
            assert {"pd", "Session", "SandboxError", "resume_at"} <= first, path
            assert "s = Session.start(" in code[0] or "begin(" in code[0], path
        for number, cell in enumerate(code[1:], start=2):
            used = {n.id for n in ast.walk(ast.parse(cell)) if isinstance(n, ast.Name)}
            elsewhere = set().union(*(imported_names(c) for c in code[1:] if c is not cell))
            missing = (used & elsewhere) - first - imported_names(cell)
            assert not missing, f"{path.name}, code cell {number}: {sorted(missing)} is imported by another cell only"


def test_line_marks_keep_one_language_and_drop_the_mark() -> None:
    source = 'x = 1\nprint("对")  #[zh]\nprint("right")  #[en]\n# 注释  #[zh]'
    assert build.localise(source, "zh") == 'x = 1\nprint("对")\n# 注释'
    assert build.localise(source, "en") == 'x = 1\nprint("right")'


def test_a_switch_is_off_for_trainees_and_on_for_trainers_and_edition_marks_keep_one_role() -> None:
    source = 'SUBMIT = False  #[switch]\nprint("学员")  #[zh] #[trainee]\nprint("trainer")  #[trainer]'
    trainee, trainer = build.localise(source, "zh"), build.localise(source, "en", trainer=True)
    assert trainee.startswith("SUBMIT = False  # 改成 True") and trainee.endswith('print("学员")')
    assert trainer.startswith("SUBMIT = True") and trainer.endswith('print("trainer")') and "学员" not in trainer


# A session call that does a stage's work: a submission, a decision, a fix, or a final step
# confirmed. The later months (07) have no desk: code is their only way, so they are not here.
DOES_WORK = re.compile(r"\bs\.(collection\.submit|review\.(submit|add|respond|post_notice|wait_for_visits)"
                       r"|failures\.act|reconciliation\.submit)\(|\bs\.\w+\.\w+\([^()]*(\([^()]*\))?[^()]*confirm=True")


@pytest.mark.parametrize("edition", ["", "en"])
def test_every_trainee_cell_that_does_desk_work_waits_for_its_switch(edition: str) -> None:
    """Run All after a kernel restart must not do, by code, what the trainee does on a desk:
    each such cell in the trainee edition acts only through by_code(s, SUBMIT, …) with SUBMIT
    off, and the trainer edition turns it on."""
    def without_switch(code: str) -> str:
        return "\n".join(line for line in code.split("\n") if not line.startswith("SUBMIT = "))

    for path in course_notebooks(NOTEBOOKS / edition):
        switched_on = {without_switch(text(c)) for c in cells(path.parent / "trainer" / "course" / path.name)
                       if "SUBMIT = True" in text(c)}
        for cell in cells(path):
            code = text(cell)
            if cell["cell_type"] != "code" or not DOES_WORK.search(code) or "begin(" in code:
                continue
            assert "SUBMIT = False" in code and "by_code(s, SUBMIT," in code, f"{path.name}: {code[:200]}"
            assert without_switch(code) in switched_on, f"{path.name}: no trainer cell with the switch on: {code[:120]}"


def test_sources_are_as_jupytext_saves_them() -> None:
    """Saving a source from JupyterLab (jupytext, with notebooks/src/jupytext.toml) changes
    nothing: the cell marks survive and git shows only what the trainer edited."""
    from jupytext.config import load_jupytext_config

    config = load_jupytext_config(str(build.SOURCES))
    assert config is not None and config.formats == ["py:percent"]
    for stem in build.stems():
        path = build.SOURCES / f"{stem}.py"
        notebook = build.jupytext.read(path, fmt="py:percent")
        assert build.jupytext.writes(notebook, fmt="py:percent", config=config) == path.read_text(encoding="utf-8"), path
