"""Feedback on a submission, readable in a notebook, a terminal or as data."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

_LABELS = {
    "zh": {"score": "得分", "recorded": "已记录", "misses": "需要改进", "withheld": "考试模式：详细反馈待培训老师发布",
           "entry": "条目", "evidence": "证据", "rule": "规则", "tip": "下次怎么发现", "more": "还有{n}条"},
    "en": {"score": "score", "recorded": "recorded", "misses": "to improve",
           "withheld": "exam mode: detailed feedback is released by your trainer",
           "entry": "entry", "evidence": "evidence", "rule": "rule", "tip": "how to catch it next time",
           "more": "{n} more"},
}
SHOWN_MISSES = 15
# The header of a feedback: the step's title (the platform's stage titles; re-issue is its own step).
TITLES = {
    "collection": ("信息采集、录入", "Collection"), "review": ("审核、公示", "Review and posting"),
    "payout": ("资金发放", "Payout"), "reissue": ("补发", "Re-issue (补发)"),
    "failures": ("失败处理、补发", "Failures and re-issue"), "reconciliation": ("对账", "Reconciliation"),
    "disclosure": ("信息公开", "Disclosure"), "supervision": ("监督检查", "Supervision"),
    "monthly": ("月度增减变动", "Monthly changes"),
}
# What a payment run reports (payout and re-issue), in the order shown.
RUN_FIELDS = {
    "lines": ("发送明细", "lines sent"), "credited": ("已到账", "credited"), "returned": ("被退回", "returned"),
    "pending": ("处理中", "pending"), "success_rate": ("成功率", "success rate"),
    "today": ("今天（模拟日期）", "today (simulated)"),
}
MONEY_FIELDS = frozenset({"credited", "returned", "pending"})
AGAIN = ("这一步已经做过了，下面是当时记录的结果（重新运行不会再做一次）。",
         "This step was done already; here is the result recorded then (running it again does not do it twice).")


class Feedback(Mapping):
    """A read-only mapping (stage, score, metrics, misses…) with a readable display."""

    def __init__(self, data: dict, lang: str = "zh", step: str | None = None) -> None:
        self._data = data
        self.lang = lang
        self.step = step  # e.g. "reissue": a step shown under its own title

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    @property
    def score(self) -> float | None:
        return self._data.get("score")

    @property
    def misses(self) -> list[dict]:
        return self._data.get("misses", [])

    def _labels(self) -> dict[str, str]:
        return _LABELS["zh" if self.lang == "zh" else "en"]

    def title(self) -> str:
        """The step's title in the trainee's language (never a bare code like [payout])."""
        key = self.step or str(self._data.get("stage", ""))
        pick = 0 if self.lang == "zh" else 1
        return TITLES[key][pick] if key in TITLES else key

    def run_lines(self) -> list[str]:
        """A payment run's counts (payout, re-issue): lines sent, credited, returned, pending."""
        pick = 0 if self.lang == "zh" else 1
        sep = "：" if self.lang == "zh" else ": "
        lines = []
        for key, labels in RUN_FIELDS.items():
            if key in self._data:
                value = self._data[key]
                shown = ("—" if value is None or (isinstance(value, float) and value != value)  # NaN
                         else f"{value:.1%}" if key == "success_rate"
                         else f"¥{value:,.2f}" if key in MONEY_FIELDS and isinstance(value, int | float)
                         else str(value)[:16])
                lines.append(f"{labels[pick]}{sep}{shown}")
        return lines

    def again_note(self) -> str:
        return AGAIN[0 if self.lang == "zh" else 1] if self._data.get("again") else ""

    def __str__(self) -> str:
        t = self._labels()
        lines = [f"【{self.title()}】" if self.lang == "zh" else f"[{self.title()}]"]
        if self.again_note():
            lines.append(self.again_note())
        lines += self.run_lines()
        if "recorded" in self._data:
            lines.append(f"{t['recorded']}: {self._data['recorded']}")
        if self.score is not None:
            lines.append(f"{t['score']}: {self.score:.1f} / 100")
        if self._data.get("withheld"):
            lines.append(self._data.get("note") or t["withheld"])
        if self._data.get("warning"):  # e.g. review closed without a full 公示
            lines.append(f"! {self._data['warning']}")
        for miss in self.misses[:SHOWN_MISSES]:
            lines.append(f"- {miss['entry_id']} {miss['title']} (¥{miss['amount']:.2f})")
            lines.append(f"    {t['evidence']}: {miss['evidence']}")
            lines.append(f"    {t['tip']}: {miss['tip']}")
        if len(self.misses) > SHOWN_MISSES:
            lines.append(t["more"].format(n=len(self.misses) - SHOWN_MISSES))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        t = self._labels()
        parts = [f"<div><b>{html.escape(self.title())}</b>"]
        if self.score is not None:
            parts.append(f" — {t['score']}: <b>{self.score:.1f}</b> / 100")
        if self.again_note():
            parts.append(f"<p style='color:#555'><i>{html.escape(self.again_note())}</i></p>")
        if self.run_lines():
            parts.append("<p>" + " · ".join(html.escape(line) for line in self.run_lines()) + "</p>")
        if self._data.get("withheld"):
            parts.append(f"<p><i>{html.escape(self._data.get('note') or t['withheld'])}</i></p>")
        if self._data.get("warning"):
            parts.append(f"<p style='color:#b03a2e'>{html.escape(str(self._data['warning']))}</p>")
        if self.misses:
            parts.append(f"<p>{t['misses']}:</p><table><tr><th>{t['entry']}</th><th></th><th>¥</th>"
                         f"<th>{t['evidence']}</th><th>{t['tip']}</th></tr>")
            for miss in self.misses[:SHOWN_MISSES]:
                cells = (miss["entry_id"], miss["title"], f"{miss['amount']:.2f}", miss["evidence"], miss["tip"])
                parts.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
            parts.append("</table>")
            if len(self.misses) > SHOWN_MISSES:
                parts.append(f"<p>{t['more'].format(n=len(self.misses) - SHOWN_MISSES)}</p>")
        return "".join(parts) + "</div>"


def entry_verdicts(feedback: Feedback, entry_ids: Iterable[str]) -> pd.DataFrame:
    """For each entry: is its current decision right, and if not, the evidence and a tip.

    Uses only the feedback the platform returned (practice mode). In exam mode the platform
    withholds misses, so every verdict is "recorded" and `ok` is None.
    """
    ids = list(dict.fromkeys(entry_ids))
    withheld = bool(feedback.get("withheld")) or "score" not in feedback
    misses = {m["entry_id"]: m for m in feedback.misses}
    rows = []
    for entry_id in ids:
        miss = misses.get(entry_id)
        rows.append({"entry_id": entry_id, "ok": None if withheld else miss is None,
                     "title": miss["title"] if miss else "", "evidence": miss["evidence"] if miss else "",
                     "tip": miss["tip"] if miss else ""})
    return pd.DataFrame(rows, columns=["entry_id", "ok", "title", "evidence", "tip"])


def verdict_text(feedback: Feedback, entry_ids: Iterable[str], lang: str = "en") -> str:
    """The verdicts as lines a trainee reads right after an exercise."""
    verdicts = entry_verdicts(feedback, entry_ids)
    right = {"zh": "✓ 正确", "en": "✓ right"}["zh" if lang == "zh" else "en"]
    recorded = {"zh": "已记录", "en": "recorded"}["zh" if lang == "zh" else "en"]
    lines = []
    for row in verdicts.to_dict("records"):
        if row["ok"] is None:
            lines.append(f"{row['entry_id']}: {recorded}")
        elif row["ok"]:
            lines.append(f"{row['entry_id']}: {right}")
        else:
            lines.append(f"{row['entry_id']}: ✗ {row['title']} — {row['evidence']} → {row['tip']}")
    return "\n".join(lines)
