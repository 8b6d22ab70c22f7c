"""The city office's 督导 desk (notebook 07): small multiples of one KPI for the ten counties
by month, and a form to name each problem county — problem, evidence, owner, deadline,
person, task (定时间、定人员、定责任、定任务) — then the score on problems found and wrong
blame avoided (sandbox/city/supervision.py)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from sandbox.city.problems import OWNERS, PROBLEM_KINDS
from sandbox.city.supervision import (
    EVIDENCE_KEYS,
    FINDING_COLUMNS,
    INSPECTION_DATE,
    CityOffice,
    SupervisionResult,
    kpi_label,
)
from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.errors import SandboxError
from sandbox.ui.charts import figure, png_base64
from sandbox.ui.common import button, message_html, table_html

RATES = {"success_rate", "activation_rate", "recovery_rate", "posting_rate"}
WORDS = {
    "kpi": ("指标", "KPI"), "county": ("县区", "county"), "problem": ("问题", "problem"),
    "evidence": ("证据指标", "evidence"), "owner": ("责任主体", "owner"),
    "deadline": ("整改时限（如 2022-07-08）", "deadline (e.g. 2022-07-08)"),
    "person": ("责任人（姓名或岗位）", "person responsible"), "task": ("整改任务", "rectification task"),
    "add": ("添加发现", "Add finding"), "remove": ("删除最后一条", "Remove last"),
    "submit": ("提交督导报告", "Submit the report"), "none": ("还没有发现", "no findings yet"),
    "added": ("已添加：{name} {problem}", "added: {name}, {problem}"),
    "month": ("月份", "month"),
    "last": ("上次提交的督导报告（已保存）：", "The report you submitted last (saved):"),
}


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def county_month_chart(kpis: pd.DataFrame, key: str, lang: str = "zh") -> Any:
    """Small multiples: one panel per county, the KPI by month (same scale in every panel)."""
    fig = figure(12.0, 4.6)
    axes = fig.subplots(2, 5, sharex=True, sharey=True)
    low, high = float(kpis[key].min()), float(kpis[key].max())
    pad = (high - low) * 0.1 or 0.01
    for ax, (code, frame) in zip(axes.flat, kpis.sort_values("month").groupby("county", sort=True), strict=True):
        ax.plot(frame["month"], frame[key], marker="o", color="#1f4e79")
        ax.set_title(ZHOUKOU_COUNTIES[code], fontsize=10)
        ax.set_ylim(low - pad, high + pad)
        ax.set_xticks([1, 2, 3, 4, 5])
        ax.grid(alpha=0.3)
        if key in RATES:
            ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}" if high - low > 0.05 else f"{v:.1%}")
    for ax in axes[1]:
        ax.set_xlabel(word("month", lang))
    fig.suptitle(kpi_label(key, lang) + ("（2022年1—5月，各县区）" if lang == "zh" else " (January–May 2022, by county)"))
    return fig


def chart_html(kpis: pd.DataFrame, key: str, lang: str = "zh") -> str:
    return f'<img src="data:image/png;base64,{png_base64(county_month_chart(kpis, key, lang))}" style="max-width:100%">'


class CitySupervisionDesk:
    """`CitySupervisionDesk(office)`: choose a KPI to see the counties month by month, add
    findings, submit (as often as you like; each submission is scored)."""

    def __init__(self, office: CityOffice) -> None:
        self.office, self.lang = office, office.lang
        lang = self.lang
        # Restored after a kernel restart: the findings drafted and the last report's score.
        self.findings: list[dict] = [dict(f) for f in office.saved.draft]
        self.result: SupervisionResult | None = office.last
        wide = widgets.Layout(width="24em")
        self.kpi = widgets.Dropdown(options=[(kpi_label(k, lang), k) for k in EVIDENCE_KEYS],
                                    description=word("kpi", lang), layout=wide)
        self.chart = widgets.HTML()
        self.county = widgets.Dropdown(options=[(n, c) for c, n in ZHOUKOU_COUNTIES.items()],
                                       description=word("county", lang), layout=wide)
        self.problem = widgets.Dropdown(options=[(k.zh if lang == "zh" else f"{k.en} ({k.zh})", c)
                                                 for c, k in PROBLEM_KINDS.items()],
                                        description=word("problem", lang), layout=wide)
        self.evidence = widgets.Dropdown(options=[(kpi_label(k, lang), k) for k in EVIDENCE_KEYS],
                                         description=word("evidence", lang), layout=wide)
        self.owner = widgets.Dropdown(options=[(zh if lang == "zh" else f"{en} ({zh})", c)
                                               for c, (zh, en) in OWNERS.items()],
                                      description=word("owner", lang), layout=wide)
        style = {"description_width": "initial"}
        self.deadline = widgets.Text(description=word("deadline", lang), style=style, layout=wide)
        self.person = widgets.Text(description=word("person", lang), style=style, layout=wide)
        self.task = widgets.Text(description=word("task", lang), style=style, layout=widgets.Layout(width="40em"))
        self.add_button = button(word("add", lang), "warning")
        self.remove_button = button(word("remove", lang))
        self.submit_button = button(word("submit", lang), "primary")
        self.findings_view = widgets.HTML()
        self.message = widgets.HTML()
        self.kpi.observe(lambda _: self._draw_chart(), names="value")
        self.add_button.on_click(lambda _: self.add())
        self.remove_button.on_click(lambda _: self.remove_last())
        self.submit_button.on_click(lambda _: self.submit())
        self.widget = widgets.VBox([
            self.kpi, self.chart,
            widgets.HBox([self.county, self.problem]), widgets.HBox([self.evidence, self.owner]),
            widgets.HBox([self.deadline, self.person]), self.task,
            widgets.HBox([self.add_button, self.remove_button, self.submit_button]),
            self.findings_view, self.message])
        self._draw_chart()
        self._draw_findings()
        if self.result is not None:
            self.message.value = message_html(word("last", lang) + "\n" + self.result.text(), "info")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _draw_chart(self) -> None:
        self.chart.value = chart_html(self.office.kpis(), self.kpi.value, self.lang)

    def _draw_findings(self) -> None:
        if not self.findings:
            self.findings_view.value = message_html(word("none", self.lang))
            return
        frame = self.table()
        self.findings_view.value = table_html(frame, max_rows=50, lang=self.lang)

    def table(self) -> pd.DataFrame:
        """The findings so far, in the trainee's language."""
        lang = self.lang
        rows = [{word("county", lang): ZHOUKOU_COUNTIES[f["county"]],
                 word("problem", lang): PROBLEM_KINDS[f["problem"]].zh,
                 word("evidence", lang): kpi_label(f["evidence"], lang),
                 word("owner", lang): OWNERS[f["owner"]][0],
                 word("deadline", lang).split("（")[0].split(" (")[0]: f["deadline"],
                 word("person", lang).split("（")[0]: f["person"], word("task", lang): f["task"]} for f in self.findings]
        return pd.DataFrame(rows)

    def add(self) -> None:
        finding = {"county": self.county.value, "problem": self.problem.value, "evidence": self.evidence.value,
                   "owner": self.owner.value, "deadline": self.deadline.value.strip(),
                   "person": self.person.value.strip(), "task": self.task.value.strip()}
        self.findings.append(finding)
        self.office.saved.keep_draft(self.findings)
        self.message.value = message_html(WORDS["added"][0 if self.lang == "zh" else 1].format(
            name=ZHOUKOU_COUNTIES[finding["county"]], problem=PROBLEM_KINDS[finding["problem"]].zh), "ok")
        self._draw_findings()

    def remove_last(self) -> None:
        if self.findings:
            self.findings.pop()
            self.office.saved.keep_draft(self.findings)
        self._draw_findings()

    def findings_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.findings, columns=FINDING_COLUMNS)

    def submit(self) -> SupervisionResult | None:
        try:
            self.result = self.office.submit(self.findings_frame())
        except SandboxError as error:
            self.message.value = message_html(error.message(self.lang), "error")
            return None
        kind = "ok" if self.result.score >= 99.95 else "info"
        self.message.value = message_html(self.result.text(), kind)
        return self.result


__all__ = ["INSPECTION_DATE", "CitySupervisionDesk", "chart_html", "county_month_chart"]
