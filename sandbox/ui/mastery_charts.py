"""Mastery charts (docs/adaptive.md): one trainee's skills with their credible intervals
(notebook 06), and a class's heat map, trainees × skills (the class dashboard, `sandbox class
report --xlsx`). Labels in the trainee's language, drawn with the project's Chinese font."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from sandbox.platform.mastery import WEAK_BELOW, Mastery, weakest
from sandbox.ui.charts import figure

TEXT = {
    "zh": {"mastery": "掌握程度（平均值与90%可信区间）", "share": "估计答对的比例", "weak": "需加强",
           "heat": "全班各技能掌握程度", "trainee": "学员", "none": "还没有可以估计的练习"},
    "en": {"mastery": "Mastery (mean and 90% credible interval)", "share": "estimated share right",
           "weak": "weak", "heat": "Class mastery per skill", "trainee": "trainee", "none": "nothing to estimate yet"},
}


class Chart:
    """A figure that shows itself as a PNG in any notebook cell (no pyplot backend needed)."""

    def __init__(self, figure: Any) -> None:
        self.figure = figure

    def savefig(self, *args: Any, **kwargs: Any) -> None:
        self.figure.savefig(*args, **kwargs)

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()


def plot_trainee_mastery(mastery: Mapping[str, Mastery], lang: str = "zh") -> Any:
    """Horizontal bars, weakest on top: each skill's mean with its credible interval; a line
    where a skill counts as weak."""
    from sandbox.platform.skills import skill_name

    t = TEXT[lang]
    ranked = weakest(mastery)[::-1]
    fig = figure(7.5, 0.32 * max(len(ranked), 3) + 1.2)
    ax = fig.add_subplot()
    if not ranked:
        ax.text(0.5, 0.5, t["none"], ha="center", va="center")
        ax.set_axis_off()
        return fig
    means = np.array([m.mean for m in ranked])
    errors = np.array([[m.mean - m.low for m in ranked], [m.high - m.mean for m in ranked]])
    colours = ["#d8453b" if m.weak else "#3b7dd8" for m in ranked]
    labels = [f"{skill_name(m.skill, lang)}（{m.cases:g}）" if lang == "zh" else f"{skill_name(m.skill, lang)} ({m.cases:g})"
              for m in ranked]
    ax.barh(labels, means, xerr=errors, color=colours, capsize=2)
    ax.axvline(WEAK_BELOW, color="#888", linestyle="--", linewidth=1)
    ax.text(WEAK_BELOW, len(ranked) - 0.4, t["weak"], color="#888", ha="right", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel(t["share"])
    ax.set_title(t["mastery"])
    fig.tight_layout()
    return fig


def plot_class_mastery(table: pd.DataFrame, lang: str = "zh") -> Any:
    """A heat map: one row per trainee, one column per skill, each cell the mean mastery
    (blank where the trainee met no case of it)."""
    t = TEXT[lang]
    fig = figure(max(6.0, 0.45 * len(table.columns) + 2), 0.4 * max(len(table), 3) + 2)
    ax = fig.add_subplot()
    if table.empty:
        ax.text(0.5, 0.5, t["none"], ha="center", va="center")
        ax.set_axis_off()
        return fig
    values = table.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(values), cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(table.columns)), labels=list(table.columns), rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(table.index)), labels=list(table.index), fontsize=8)
    for (row, column), value in np.ndenumerate(values):
        if not np.isnan(value):
            ax.text(column, row, f"{value:.1f}", ha="center", va="center", fontsize=7)
    ax.set_title(t["heat"])
    fig.colorbar(image, ax=ax, fraction=0.03)
    fig.tight_layout()
    return fig
