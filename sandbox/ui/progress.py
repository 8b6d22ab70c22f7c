"""The trainee's progress as a chart: each stage's score over their attempts, in the order the
attempts were made (notebook 06, sandbox.course.my_report).

One solid point per attempt and stage: the best that attempt reached. Where a practice stage
was tried again inside the attempt, a hollow point below it marks the first try. A sealed
attempt (a self-test not yet ended, an exam not yet released) gets no point, only a note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.platform.stages.sequence import SCORED, stage_title
from sandbox.ui.charts import figure, use_cjk_font

TEXT = {
    "zh": {"title": "我的进步：各环节得分（按练习先后）", "y": "得分", "x": "第几次练习（笔记本）",
           "tick": "第{n}次", "first": "空心点：同一次里的第一次提交", "sealed": "待公布",
           "none": "还没有练习记录"},
    "en": {"title": "My progress: score per stage over my attempts", "y": "score",
           "x": "attempt (notebook)", "tick": "#{n}", "first": "hollow: the first try within an attempt",
           "sealed": "sealed", "none": "no attempts yet"},
}
DODGE = 0.05  # how far apart, in attempts, two stages' points of one attempt sit
COLOURS = ("#3b7dd8", "#2e9e5b", "#e0a030", "#d8453b", "#7b5ea7", "#1b9aaa", "#8c564b")


def progress_chart(attempts: Sequence[Mapping[str, Any]], lang: str = "zh") -> Any:
    """A matplotlib Figure of score per stage over attempts.

    attempts, oldest first: {"number": 1, "tick": "01", "sealed": False,
    "stages": {stage: {"first": 57.2, "best": 100.0}}} (tick: a short name under the number,
    e.g. the notebook's; a sealed attempt's stages are ignored). Each stage's line has the
    stage code as its gid, so its points can be read back whatever the labels' language (x is
    the attempt's number, moved by at most a quarter so two stages' points do not overlap)."""
    # FONT: at merge this becomes sandbox.ui.fonts.use_chinese_font() (Chinese on every route).
    lang = lang if lang in TEXT and use_cjk_font() else "en"  # no CJK font: English, not boxes
    text = TEXT[lang]
    fig = figure(7.5, 3.4)
    ax = fig.subplots()
    numbers = [int(a["number"]) for a in attempts]
    any_tried = False
    for index, stage in enumerate(SCORED):
        done = [(int(a["number"]), a["stages"][stage]) for a in attempts
                if not a.get("sealed") and a["stages"].get(stage)]
        if not done:
            continue
        colour = COLOURS[index % len(COLOURS)]
        # Stages side by side around their attempt, so equal scores do not hide one another.
        dodge = (index - (len(SCORED) - 1) / 2) * DODGE
        done = [(x + dodge, s) for x, s in done]
        xs, best = [x for x, _ in done], [float(s["best"]) for _, s in done]
        line, = ax.plot(xs, best, marker="o", color=colour, label=stage_title(stage, lang))
        line.set_gid(stage)
        tried = [(x, float(s["first"]), float(s["best"])) for x, s in done if float(s["first"]) < float(s["best"])]
        if tried:
            any_tried = True
            ax.vlines([x for x, _, _ in tried], [f for _, f, _ in tried], [b for _, _, b in tried],
                      colors=colour, linestyles=":", linewidth=1)
            ax.scatter([x for x, _, _ in tried], [f for _, f, _ in tried], facecolors="none",
                       edgecolors=colour, zorder=3).set_gid(f"{stage}:first")
    for attempt in attempts:
        if attempt.get("sealed"):
            ax.text(int(attempt["number"]), 50, text["sealed"], rotation=90, ha="center", va="center",
                    color="#888888", fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel(text["y"])
    if numbers:
        ax.set_xlim(min(numbers) - 0.5, max(numbers) + 0.5)
        ax.set_xticks(numbers, [text["tick"].format(n=a["number"]) + (f"\n{a['tick']}" if a.get("tick") else "")
                                for a in attempts], fontsize=8)
        ax.set_xlabel(text["x"])
    else:
        ax.set_xticks([])
        ax.text(0.5, 0.5, text["none"], transform=ax.transAxes, ha="center", va="center", color="#888888")
    ax.set_title(text["title"])
    ax.grid(axis="y", alpha=0.3)
    handles, _labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                  title=text["first"] if any_tried else None, title_fontsize=7)
    fig.tight_layout()
    return fig
