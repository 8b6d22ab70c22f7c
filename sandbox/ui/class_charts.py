"""The class dashboard's charts (`ClassReport.plot_*`): what the class misses most, stage
scores and time per stage. Labels are bilingual when the machine has a Chinese font."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from sandbox.platform.stages.sequence import SCORED, stage_title
from sandbox.ui.charts import pyplot

if TYPE_CHECKING:
    from sandbox.classmode.class_report import ClassReport


def plot_problems(report: ClassReport, top: int = 10, ax: Any = None) -> Any:
    """Horizontal bars: how many trainees missed each problem (most missed on top)."""
    plt, cjk = pyplot()
    data = report.problems.head(top).iloc[::-1]
    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 0.4 * max(len(data), 3) + 1))
    # Without a Chinese font the names would be boxes: label by code then.
    labels = [f"{_stage_short(s, cjk, report.lang)}: {p if cjk else ''} [{c}]"
              for s, p, c in zip(data["stage"], data["problem"], data["code"], strict=True)]
    ax.barh(labels, data["trainees"], color="#d8453b")
    ax.set_xlabel(_label("trainees who missed it", "漏查人数", cjk))
    ax.set_title(_label("What the class misses most", "全班最常漏查的问题", cjk))
    ax.figure.tight_layout()
    return ax.figure


def plot_stage_scores(report: ClassReport, ax: Any = None) -> Any:
    plt, cjk = pyplot()
    stages = [s for s in SCORED if s in report.progress.columns]
    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 3))
    values = [report.progress[s].dropna().astype(float) for s in stages]
    ax.boxplot(values, tick_labels=[_stage_short(s, cjk, report.lang) for s in stages])
    ax.set_ylim(0, 105)
    ax.set_title(_label("Stage scores", "各环节得分", cjk))
    ax.figure.tight_layout()
    return ax.figure


def plot_stage_times(report: ClassReport, ax: Any = None) -> Any:
    plt, cjk = pyplot()
    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 3))
    median = report.stage_times.groupby("stage", sort=False)["minutes"].median()
    ax.bar([_stage_short(s, cjk, report.lang) for s in median.index], median.to_numpy(), color="#3b7dd8")
    ax.set_ylabel(_label("median minutes", "分钟（中位数）", cjk))
    ax.set_title(_label("Time per stage", "各环节用时", cjk))
    ax.figure.tight_layout()
    return ax.figure


def add_chart_sheet(book: Any, figure: Any, title: str = "图表 chart") -> None:
    """Put a figure on a new sheet of an openpyxl workbook (and close it)."""
    from openpyxl.drawing.image import Image

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    pyplot()[0].close(figure)
    buffer.seek(0)
    sheet = book.create_sheet(title)
    sheet.add_image(Image(buffer), "A1")


def _label(en: str, zh: str, cjk: bool) -> str:
    return f"{en} / {zh}" if cjk else en


def _stage_short(stage: str, cjk: bool, lang: str) -> str:
    return stage_title(stage, lang if cjk else "en")
