"""The report on the trainee's side: the platform's report data, read as text.

Its HTML page and charts are drawn by the session's display (sandbox.ui), only when the
session was started with one: `Session.start(..., display=NotebookDisplay())`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.common.masking import scrub_text
from sandbox.errors import SandboxError
from sandbox.platform.harm import HARM_KINDS
from sandbox.platform.modes import PRACTICE, mode_name
from sandbox.platform.report import KPI_LABELS, RATE_KPIS, group_code
from sandbox.platform.stages.disclosure import issue_name
from sandbox.platform.stages.sequence import stage_title

if TYPE_CHECKING:
    from sandbox.session.display import Display

T = {
    "zh": {"title": "培训报告", "total": "总分", "stage": "环节", "score": "得分", "kpis": "关键指标",
           "misses": "问题与提示", "practise": "下一步练习", "not_done": "未完成", "evidence": "证据",
           "tip": "提示", "chart_scores": "各环节得分", "chart_money": "资金去向（元）",
           "chart_time": "按模拟日的发放进度", "withheld": "考试模式：详细反馈待培训老师发布",
           "miss": "问题", "more": "同类还有{n}条", "by_type": "审核：各类问题的查出率与准确率",
           "type": "问题类型", "planted": "实有", "caught": "查出", "recall": "查出率",
           "false_alarms": "误判", "precision": "准确率", "tries": "每个环节：第一次与最好成绩",
           "first": "第一次", "best": "最好", "times": "{n}次",
           "harm": "损害（元，按情景权重折算）", "harm_total": "合计", "reference": "参照：不作任何核查照单发放",
           "families": "涉及家庭", "weighted": "折算"},
    "en": {"title": "Training report", "total": "Total", "stage": "Stage", "score": "Score", "kpis": "KPIs",
           "misses": "What went wrong, and tips", "practise": "What to practise next", "not_done": "not done",
           "evidence": "evidence", "tip": "tip", "chart_scores": "Score by stage",
           "chart_money": "Where the money went (¥)", "chart_time": "Payments over simulated days",
           "withheld": "exam mode: detailed feedback is released by your trainer",
           "miss": "miss", "more": "{n} more of this type",
           "by_type": "Review: recall and precision per irregularity type", "type": "type",
           "planted": "planted", "caught": "caught", "recall": "recall", "false_alarms": "false alarms",
           "precision": "precision", "tries": "Each stage: first try and best",
           "first": "first", "best": "best", "times": "{n} tries",
           "harm": "Harm (¥, weighed as the scenario sets)", "harm_total": "total",
           "reference": "reference: the roster paid unchecked", "families": "families", "weighted": "weighted"},
}
MISSES_IN_TEXT = 5  # per type; the HTML page shows more


class Report:
    """The report of an attempt: `.summary()` (data), `.text()`, `.short_text()`; with a
    display also `.html()`, `.save_html(path)` and a rich view in a notebook."""

    def __init__(self, data: dict, lang: str = "zh", display: Display | None = None) -> None:
        self.data = data
        self.lang = lang if lang in T else "zh"
        self.display = display

    def summary(self) -> dict:
        return self.data

    @property
    def score(self) -> float | None:
        """The total; None while an exam or self-test is sealed (see `sealed_note`)."""
        return self.data["score"]

    @property
    def sealed_note(self) -> str | None:
        """Why scores are blank, and when they will show; None once released."""
        return self.data.get("sealed_note") if self.data.get("sealed") else None

    def about(self) -> list[str]:
        """Mode, seed (never in class mode: the server keeps it) and trainee."""
        about = [mode_name(str(self.data.get("mode", "")), self.lang)]
        if self.data.get("seed") is not None:
            about.append(f"seed {self.data['seed']}")
        return about + [str(self.data["trainee"])]

    def header(self) -> str:
        return f"{T[self.lang]['title']} — {self.data['scenario']} ({', '.join(self.about())})"

    def stage_name(self, stage: str) -> str:
        return stage_title(stage, self.lang)

    def short_text(self) -> str:
        t = T[self.lang]
        parts = [f"{t['total']}: {'—' if self.score is None else f'{self.score:.1f}'}"]
        for stage, score in self.data["stages"].items():
            parts.append(f"{self.stage_name(stage)}: {'—' if score is None else f'{score:.1f}'}")
        return " | ".join(parts)

    def text(self) -> str:
        t = T[self.lang]
        lines = [self.header(), self.short_text()]
        if self.sealed_note:
            lines.append(self.sealed_note)
        lines += self.tries_lines()
        lines += ["", t["kpis"] + ":"]
        for key, value in self.data["kpis"].items():
            if value is not None:
                lines.append(f"  {KPI_LABELS[key][0 if self.lang == 'zh' else 1]}: {fmt(value, key)}")
        lines += self.harm_lines()
        if not self.data["feedback_released"] and not self.sealed_note:
            lines += ["", t["withheld"]]
        groups = self.grouped()
        if groups:
            lines += ["", t["misses"] + ":"]
            for code, misses in groups.items():
                lines.append(f"  {issue_name(code, self.lang)} ×{len(misses)}")
                for miss in misses[:MISSES_IN_TEXT]:
                    lines.append(f"    [{self.stage_name(miss['stage'])}] {miss['title']} · {miss['entry_id']} "
                                 f"¥{miss['amount']:.2f} — {masked(miss['evidence'])}")
                if len(misses) > MISSES_IN_TEXT:
                    lines.append("    " + t["more"].format(n=len(misses) - MISSES_IN_TEXT))
                lines.append(f"    {t['tip']}: {misses[0]['tip']}")
        by_type = self.by_type_rows()
        if by_type:
            lines += ["", t["by_type"] + ":"]
            lines += [f"  {name}: {caught}/{planted} · {t['recall']} {recall} · {t['precision']} {precision}"
                      for name, planted, caught, recall, _alarms, precision in by_type]
        if self.data["practise_next"]:
            lines += ["", t["practise"] + ":"] + [f"  - {a}" for a in self.data["practise_next"]]
        return "\n".join(lines)

    def tries_lines(self) -> list[str]:
        """In practice: each stage's first try beside its best (and how many tries)."""
        tries = self.data.get("tries") or {}
        if self.data.get("mode") != PRACTICE or not tries:
            return []
        t = T[self.lang]
        lines = ["", t["tries"] + ":"]
        for stage, done in tries.items():
            lines.append(f"  {self.stage_name(stage)}: {t['first']} {done['first']:.1f} · {t['best']} "
                         f"{done['best']:.1f}" + (f" ({t['times'].format(n=done['tries'])})" if done["tries"] > 1 else ""))
        return lines

    def harm_rows(self) -> list[tuple[str, str, float, int, float]]:
        """The harm ledger in full (uncapped), per stage and kind: stage, kind, yuan, families,
        weighted yuan. Empty when the report carries none (an exam before release)."""
        pick = 0 if self.lang == "zh" else 1
        return [(self.stage_name(r["stage"]), HARM_KINDS.get(r["kind"], (r["kind"], r["kind"]))[pick], r["yuan"],
                 r["families"], r["weighted"]) for r in (self.data.get("harm") or {}).get("rows", [])]

    def harm_lines(self) -> list[str]:
        harm = self.data.get("harm") or {}
        if not harm:
            return []
        t = T[self.lang]
        lines = ["", f"{t['harm']}: {t['harm_total']} ¥{harm['weighted_total']:,.2f} · {t['families']} "
                 f"{harm['families_total']} · {t['reference']} ¥{harm['reference']['value']:,.2f}"]
        lines += [f"  [{stage}] {kind}: ¥{yuan:,.2f} · {t['families']} {families} · {t['weighted']} ¥{weighted:,.2f}"
                  for stage, kind, yuan, families, weighted in self.harm_rows()]
        return lines

    def by_type_rows(self) -> list[tuple[str, int, str, str, int, str]]:
        """Review's recall and precision per irregularity type, worst recall first."""
        rows = []
        for code, m in sorted(self.data.get("review_by_type", {}).items(),
                              key=lambda item: (item[1].get("recall") is None, item[1].get("recall") or 0)):
            def pct(value: float | None) -> str:
                return "—" if value is None else f"{value:.0%}"
            rows.append((issue_name(code, self.lang), int(m["planted"]), f"{m['caught']:g}", pct(m.get("recall")),
                         int(m.get("false_alarms", 0)), pct(m.get("precision"))))
        return rows

    def grouped(self) -> dict[str, list[dict]]:
        """Misses by irregularity type (across stages), most frequent type first."""
        groups: dict[str, list[dict]] = {}
        for miss in self.data["misses"]:
            groups.setdefault(group_code(miss), []).append(miss)
        return dict(sorted(groups.items(), key=lambda item: -len(item[1])))

    __str__ = text

    def __repr__(self) -> str:
        return self.short_text()

    # --- what the display draws ---------------------------------------------------------------
    def html(self) -> str:
        """One self-contained HTML page with charts, drawn by the session's display."""
        if self.display is None:
            raise SandboxError("这份报告没有显示界面，画不出网页：请用 Session.start(..., display=sandbox.ui.NotebookDisplay()) "
                               "开始，或调用 sandbox.ui.report.report_html(report)",
                               "this report has no display to draw its HTML page: start the session with "
                               "Session.start(..., display=sandbox.ui.NotebookDisplay()), or call "
                               "sandbox.ui.report.report_html(report)")
        return self.display.report_html(self)

    def save_html(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str | None:
        """In a notebook: the HTML page's body when a display was chosen, else the text repr."""
        if self.display is None:
            return None
        body = self.html()
        return body[body.index("<body>") + 6: body.index("</body>")]


def masked(text: object) -> str:
    """A report leaves the platform (kept, handed in): no full ID or card number in it."""
    from sandbox.scenario import Masking  # here: pydantic loads when a report shows

    return scrub_text(text, Masking())


def fmt(value: object, key: str = "") -> str:
    """A KPI value as shown: rates as percentages, money with thousands separators."""
    if key in RATE_KPIS and isinstance(value, int | float):
        return f"{value:.2%}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
