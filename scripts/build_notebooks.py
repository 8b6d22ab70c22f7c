"""Build every course and trainer notebook, in Chinese and English, from notebooks/src/.

    .venv/bin/python scripts/build_notebooks.py          # write the .ipynb editions
    .venv/bin/python scripts/build_notebooks.py --check  # fail if a committed one differs

Each source is a jupytext percent-format file (notebooks/src/README.md describes the marks):
one source gives a Chinese and an English edition, each for trainees (starters, no solutions)
and, for the course, for trainers (solutions and reference-score checks kept):

    notebooks/NN_*.ipynb                      Chinese, trainee      notebooks/en/NN_*.ipynb
    notebooks/trainer/course/NN_*.ipynb       Chinese, trainer      notebooks/en/trainer/course/…
    notebooks/trainer/*.ipynb                 Chinese trainer notebooks   notebooks/en/trainer/…

Cells get fixed ids, no outputs and the python3 kernelspec, so a rebuild changes only what a
source changes. Each notebook runs with cwd = its folder (JupyterLab and nbval both do).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
LANGS = ("zh", "en")
TRAINER_ONLY = ("class_dashboard", "previewing_difficulty", "writing_a_scenario")
# Our marks in a source cell's metadata; the built notebooks keep none of them.
OWN_METADATA = ("lang", "setup", "review", "scenario")
OWN_TAGS = ("solution", "starter", "check")
# A code line ending in marks belongs to the editions they name (the marks are removed):
# `#[zh]` or `#[en]` one language; `#[trainee]` or `#[trainer]` one edition (e.g. a cell's
# switch, off for trainees and on in the trainer edition); both kinds may end one line.
LINE_MARKS = re.compile(r"(?:\s*#\[(?:zh|en|trainee|trainer)\])+\s*$")
MARK = re.compile(r"#\[(zh|en|trainee|trainer)\]")
# `NAME = False  #[switch]`: a code cell's switch (sandbox.course.by_code). The cell does a
# stage's work only when it is on: off for trainees, who may do the step on a desk instead (and
# "run all cells" after a restart must not do it behind their back); on in the trainer edition.
SWITCH = re.compile(r"^(\s*)(\w+) = False\s*#\[switch\]\s*$")
SWITCH_TEXT = {
    ("zh", False): "{name} = False  # 改成 True 再运行这个单元格，就用代码做这一步；不写代码的，在操作台上做",
    ("en", False): "{name} = False  # True, then run this cell again: do this step by code (or on the desk)",
    ("zh", True): "{name} = True   # 教员版：参考答案用代码做这一步",
    ("en", True): "{name} = True   # trainer edition: the reference solution does this step by code",
}


@dataclass(frozen=True)
class Edition:
    lang: str      # "zh" or "en"
    trainer: bool  # solutions and reference-score checks kept


def output_path(stem: str, edition: Edition) -> Path:
    base = NOTEBOOKS if edition.lang == "zh" else NOTEBOOKS / "en"
    if stem in TRAINER_ONLY:
        return base / "trainer" / f"{stem}.ipynb"
    return base / "trainer" / "course" / f"{stem}.ipynb" if edition.trainer else base / f"{stem}.ipynb"


def editions_of(stem: str) -> list[Edition]:
    if stem in TRAINER_ONLY:
        return [Edition(lang, trainer=True) for lang in LANGS]
    return [Edition(lang, trainer) for trainer in (False, True) for lang in LANGS]


# --- the first code cell of a course notebook -------------------------------------------------
# ONE template for every course notebook: switch it to sandbox.course.begin here, and every
# notebook follows at the next build. USE_BEGIN = True writes `s = begin(...)` (one call: the
# kept session, resumed at the lesson, the trainee error handler) instead of Session.start +
# resume_at; the imports stay, so later cells keep pd, the desks and the helpers.
USE_BEGIN = True

SETUP_IMPORTS = """\
import pandas as pd
from IPython.display import HTML, display

from sandbox import Session
from sandbox.course import (NotebookDisplay, by_code, check_card_number, check_id_number,
                            check_published, clean_id_number, clean_roster, mask_card_number,
                            mask_id_number, my_report, parse_amount, parse_mu, publish_table,
                            recorded_summary, resume_at, sandbox_svg, suggest_id_fix, verdict_text,
                            workflow_svg)
from sandbox.errors import SandboxError
from sandbox.scenario import Masking
from sandbox.ui import (CollectionDesk, DisclosureDesk, FailureDesk, PaymentDesk, PostingDesk,
                        ReconciliationDesk, ReviewDesk, SupervisionDesk)"""

SETUP_TEXT = {
    "zh": {
        "lang": 'LANG = "zh"         # 反馈、操作台和报告的语言："zh" 中文，"en" English',
        "mode": 'MODE = "practice"   # 练习；"self-test" 自测：分数和反馈封存，直到 s.end_self_test()',
        "start_over": "START_OVER = False  # True：本笔记本从头开始",
        "kept": "# 你的工作保存在自己的成绩册里。内核重启后，点“运行 → 运行全部单元格”即可接着做\n"
                "# （断点续做）；这一课做完后再运行，就从头开始。",
        "first": "# {stage} 是第一个环节，前面没有要补做的",
        "intro": "**这个笔记本可以单独使用。** 下面第一个代码单元格为你打开教学县的会话，并由一位细心的"
                 "参考操作员替你做完前面的环节（`resume_at`），所以你正好从本课开始的地方做起。"
                 "你在这里做的事不影响其他笔记本，而且会被保存下来。\n\n"
                 "**内核重启或断线以后：** 点菜单 **运行 → 运行全部单元格**（Run → Run All Cells），"
                 "就能接着做。想从头开始：把 `START_OVER` 改成 `True` 再运行全部单元格。",
        "intro00": "**先运行下面这个单元格**（Shift+Enter）：它导入本课用到的一切，并为你打开一个"
                   "教学县的会话 `s`。内核重启以后，点 **运行 → 运行全部单元格** 即可。",
    },
    "en": {
        "lang": 'LANG = "en"         # language of feedback, desks and report: "zh" 中文 or "en"',
        "mode": 'MODE = "practice"   # "self-test" (自测): scores and feedback sealed until s.end_self_test()',
        "start_over": "START_OVER = False  # True: begin this notebook afresh / 重新开始",
        "kept": "# Your work is kept in your own gradebook: after a kernel restart, Run → Run All Cells\n"
                "# and you carry on where you left off (断点续做); once this notebook is done, it starts afresh.",
        "first": "# {stage} is the first stage: nothing to play before it",
        "intro": "*This notebook stands alone.* Its first code cell starts your session on the tutorial "
                 "county and lets a careful reference operator play the earlier stages (`resume_at`), "
                 "so you begin exactly where this lesson starts. Nothing you do here changes the other "
                 "notebooks, and your work here is kept.\n\n"
                 "**After a kernel restart:** Run → Run All Cells (运行全部单元格) and carry on. To begin "
                 "the notebook afresh, set `START_OVER = True` and run all cells.",
        "intro00": "**Run the cell below first** (Shift+Enter): it imports everything this lesson uses "
                   "and starts a session `s` on the tutorial county. After a kernel restart: Run → Run All "
                   "Cells.",
    },
}


CITY_IMPORTS = """\
import pandas as pd
from IPython.display import HTML, display

from sandbox.course import begin_city
from sandbox.errors import SandboxError
from sandbox.ui import CitySupervisionDesk
from sandbox.ui.city import chart_html"""

CITY_TEXT = {
    "zh": {"intro": "**这个笔记本可以单独使用。** 下面第一个代码单元格按2020年普查规模的 2% 生成周口市十个县区，"
                    "跑完2022年1—5月五个月的发放，给出各县区各月的指标（几秒钟）。同一场景、同一随机种子，"
                    "指标每次都一样。\n\n**内核重启以后：** 点 **运行 → 运行全部单元格** 即可。",
           "office": "# 你是市“一卡通”管理办公室：city 里是各县区五个月的指标和督导报告的提交"},
    "en": {"intro": "*This notebook stands alone.* Its first code cell generates Zhoukou's ten counties at 2 % of "
                    "their 2020 census size, pays the five months of January–May 2022 and gives the KPIs of every "
                    "county and month (a few seconds). The same scenario and seed give the same KPIs every time.\n\n"
                    "**After a kernel restart:** Run → Run All Cells (运行全部单元格).",
           "office": "# You are the city's 一卡通 office: `city` holds the counties' KPIs and takes your report"},
}


def city_setup_cells(lang: str, scenario: str) -> list[tuple[str, str]]:
    """The first code cell of 07: the city office (sandbox.course.begin_city), no county session."""
    text = CITY_TEXT[lang]
    scenario_arg = f', scenario="{scenario}"' if scenario != "zhoukou-2022" else ""
    lines = [SETUP_TEXT[lang]["lang"], "", CITY_IMPORTS, "", text["office"],
             f"city = begin_city(lang=LANG{scenario_arg})", "city.table().head(10)"]
    return [("markdown", text["intro"]), ("code", "\n".join(lines))]


def setup_cells(stem: str, lang: str, stage: str | None, review: str = "careful",
                scenario: str = "tutorial") -> list[tuple[str, str]]:
    """The standalone note and the first code cell: every import later cells need, the session.

    stage None (00_start_here): a fresh practice session with no gradebook. Otherwise the
    trainee's kept session, resumed at `stage` (which notebook ends where comes from
    sandbox.course.lessons)."""
    from sandbox.course.lessons import STAGES, lesson_until

    if stage == "city":
        return city_setup_cells(lang, scenario)
    text = SETUP_TEXT[lang]
    lines = [text["lang"], text["mode"]]
    if stage is None:
        lines += ["", SETUP_IMPORTS, "",
                  f's = Session.start("{scenario}", trainee="me", lang=LANG, mode=MODE)', "s.brief()"]
        return [("markdown", text["intro00"]), ("code", "\n".join(lines))]
    review_arg = f', review="{review}"' if review != "careful" else ""
    if USE_BEGIN:
        scenario_arg = f', scenario="{scenario}"' if scenario != "tutorial" else ""
        lines += [text["start_over"], "", SETUP_IMPORTS.replace("resume_at,", "begin, resume_at,"), "",
                  text["kept"],
                  f's = begin("{stem}", lang=LANG, mode=MODE, start_over=START_OVER{scenario_arg}{review_arg})',
                  "s.brief()"]
        return [("markdown", text["intro"]), ("code", "\n".join(lines))]
    resume = (f'resume_at("{stage}", s{review_arg})' if stage != STAGES[0]
              else text["first"].format(stage=stage))
    lines += [text["start_over"], "", SETUP_IMPORTS, "", text["kept"],
              f's = Session.start("{scenario}", trainee="me", lang=LANG, mode=MODE,',
              f'                  gradebook=True, label="{stem}", until="{lesson_until(stem)}",',
              "                  resume=not START_OVER, display=NotebookDisplay())",
              resume, "s.brief()"]
    return [("markdown", text["intro"]), ("code", "\n".join(lines))]


TRAINER_BANNER = {
    "zh": "> **教员版**：含参考答案（“参考答案”单元格）和参考分数核对（`assert`）。"
          "学员版在 `notebooks/` 下，只有起始代码。不要把这一版发给学员。",
    "en": "> **Trainer edition**: with the reference solutions and checks of the reference scores "
          "(`assert`). The trainee edition, with starters only, is in `notebooks/en/`. Do not hand "
          "this one out.",
}


# --- from a source to an edition --------------------------------------------------------------

def localise(source: str, lang: str, trainer: bool = False) -> str:
    """The code of one edition: lines marked for another language or edition left out."""
    role = "trainer" if trainer else "trainee"
    kept = []
    for line in source.split("\n"):
        switch = SWITCH.match(line)
        if switch:
            indent, name = switch.groups()
            line = indent + SWITCH_TEXT[(lang, trainer)].format(name=name)
        tail = LINE_MARKS.search(line)
        if tail:
            marks = set(MARK.findall(tail.group(0)))
            langs, roles = marks & set(LANGS), marks - set(LANGS)
            if (langs and lang not in langs) or (roles and role not in roles):
                continue
            line = line[: tail.start()]
        kept.append(line)
    return "\n".join(kept).strip("\n")


def wanted(cell: nbformat.NotebookNode, edition: Edition) -> bool:
    tags = set(cell.metadata.get("tags", []))
    if cell.metadata.get("lang", edition.lang) != edition.lang:
        return False
    if edition.trainer:
        return "starter" not in tags
    return not tags & {"solution", "check"}


def edition_cells(stem: str, source: nbformat.NotebookNode, edition: Edition) -> list[tuple[str, str, dict]]:
    cells: list[tuple[str, str, dict]] = []
    for cell in source.cells:
        if not wanted(cell, edition):
            continue
        meta = cell.metadata
        if "setup" in meta:
            stage = meta["setup"] or None
            for kind, text in setup_cells(stem, edition.lang, None if stage == "none" else stage,
                                          meta.get("review", "careful"), meta.get("scenario", "tutorial")):
                cells.append((kind, text, {}))
            continue
        text = (localise(cell.source, edition.lang, edition.trainer) if cell.cell_type == "code"
                else cell.source.strip("\n"))
        if not text.strip():
            continue
        tags = [t for t in meta.get("tags", []) if t not in OWN_TAGS]
        cells.append((cell.cell_type, text, {"tags": tags} if tags else {}))
    if edition.trainer and stem not in TRAINER_ONLY:
        cells.insert(1, ("markdown", TRAINER_BANNER[edition.lang], {}))  # under the title
    return cells


def render(stem: str, edition: Edition) -> str:
    source = jupytext.read(SOURCES / f"{stem}.py", fmt="py:percent")
    notebook = new_notebook(metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    prefix = stem.replace("_", "-")[:40]
    for number, (kind, text, metadata) in enumerate(edition_cells(stem, source, edition), start=1):
        cell_id = f"{prefix}-{number:02d}"
        cell = (new_markdown_cell(text, id=cell_id) if kind == "markdown"
                else new_code_cell(text, id=cell_id))
        cell.metadata.update(metadata)
        notebook.cells.append(cell)
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def stems() -> list[str]:
    return sorted(p.stem for p in SOURCES.glob("*.py"))


def built() -> dict[Path, str]:
    """Every edition of every source: path -> notebook text."""
    return {output_path(stem, edition): render(stem, edition)
            for stem in stems() for edition in editions_of(stem)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a notebook differs from its source")
    args = parser.parse_args(argv)
    notebooks = built()
    stale = []
    for path, text in notebooks.items():
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print("wrote", path.relative_to(ROOT))
    # A built notebook whose source is gone is stale too: it would keep running under nbval.
    orphans = sorted(p for p in NOTEBOOKS.rglob("*.ipynb")
                     if ".ipynb_checkpoints" not in p.parts and p not in notebooks)
    if orphans and args.check:
        stale += [str(p.relative_to(ROOT)) for p in orphans]
    elif orphans:
        for path in orphans:
            path.unlink()
            print("removed", path.relative_to(ROOT))
    if stale:
        print("out of date (edit notebooks/src/, then run scripts/build_notebooks.py):",
              ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
