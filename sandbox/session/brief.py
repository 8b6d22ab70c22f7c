"""The brief as a card: where the trainee is, what is due, by which simulated date, what next.

`s.brief()` stays a dict (callers index it: `s.brief()["days_left"]`); in a notebook it shows
as a small card, and `print(s.brief())` gives the same lines, in the session's language."""

from __future__ import annotations

import html
import unicodedata

# What to do next, per stage still to do (the call a trainee types).
NEXT_STEP: dict[str, tuple[str, str]] = {
    "collection": ("清洗村里录入的表，交回名册：s.collection.submit(clean)",
                   "clean what the villages typed and hand in the roster: s.collection.submit(clean)"),
    "review": ("逐条审核（可入户核查），公示 7 天，然后结束审核：s.review.submit(…)、s.review.post_notice()、"
               "s.review.close(confirm=True)",
               "decide each entry (home visits if needed), post the list (公示), then close review: "
               "s.review.submit(…), s.review.post_notice(), s.review.close(confirm=True)"),
    "payout": ("生成并发送支付申请：s.payout.submit(s.payout.build_request(), confirm=True)",
               "build and send the payment request: s.payout.submit(s.payout.build_request(), confirm=True)"),
    # Payout is scored with the statement: once the request is sent, the step left is this one.
    "reconciliation": ("处理退回的明细并补发（s.failures），然后交对账单：s.reconciliation.submit(statement)",
                       "fix the returned lines and re-issue (s.failures), then hand in the statement: "
                       "s.reconciliation.submit(statement)"),
    "disclosure": ("公开发放结果（身份证号、卡号要脱敏）：s.disclosure.publish(table, confirm=True)",
                   "publish the results, IDs and card numbers masked: s.disclosure.publish(table, confirm=True)"),
    "supervision": ("提交检查报告：s.supervision.submit(findings, confirm=True)",
                    "hand in the inspection report: s.supervision.submit(findings, confirm=True)"),
    "monthly": ("处理以后各月的增减变动：s.monthly.changes()、s.monthly.decide(t)、s.monthly.pay()",
                "handle the later months' changes: s.monthly.changes(), s.monthly.decide(t), s.monthly.pay()"),
}
ALL_DONE = ("全部环节已完成：看看你的报告 s.report()", "every stage is done: read your report, s.report()")

_LABELS = {
    "zh": {"title": "任务简报", "today": "今天（模拟日期）", "due": "待办", "deadline": "发放时限",
           "days_left": "剩余天数", "days": "{d} 天（{w} 个工作日）", "late": "已超过 {d} 天", "next": "下一步",
           "paid": "—（已发放，时限不再计算）",
           "done": "已完成", "none": "（还没有）", "mode": {"practice": "练习", "self-test": "自测", "exam": "考试"}},
    "en": {"title": "Brief", "today": "today (simulated)", "due": "due now", "deadline": "payment deadline (发放时限)",
           "days_left": "days left", "days": "{d} days ({w} working days)", "late": "{d} days past", "next": "next step",
           "paid": "— (paid: the deadline no longer counts down)",
           "done": "done", "none": "(nothing yet)", "mode": {"practice": "practice", "self-test": "self-test",
                                                            "exam": "exam"}},
}


class Brief(dict):
    """The brief's data (a dict, as before) that shows itself as a readable card."""

    def __init__(self, data: dict, lang: str = "zh") -> None:
        super().__init__(data)
        self.lang = "zh" if lang == "zh" else "en"

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines of the card, in the session's language."""
        t = _LABELS[self.lang]
        pick = 0 if self.lang == "zh" else 1
        titles = self.get("stage_titles", {})
        upcoming = self.get("next_stage")
        due = titles.get(upcoming, upcoming) if upcoming else "—"
        next_step = self.get("next_step", upcoming)  # a stage can be half done (payout sent)
        step = NEXT_STEP.get(next_step, ALL_DONE)[pick] if next_step else ALL_DONE[pick]
        late = _days_late(self)
        left = (t["paid"] if "payout" in self.get("stages_done", [])  # the deadline was for the payment
                else t["late"].format(d=late) if late
                else t["days"].format(d=self.get("days_left", "?"), w=self.get("working_days_left", "?")))
        done = [titles.get(s, s) for s in self.get("stages_done", [])]
        return [
            (t["today"], str(self.get("today", ""))[:16]),
            (t["due"], due),
            (t["deadline"], str(self.get("payment_deadline", ""))),
            (t["days_left"], left),
            (t["next"], step),
            (t["done"], ("；" if self.lang == "zh" else "; ").join(done) or t["none"]),  # titles hold "、"
        ]

    def heading(self) -> str:
        t = _LABELS[self.lang]
        mode = t["mode"].get(str(self.get("mode")), str(self.get("mode", "")))
        return f"{t['title']} · {self.get('title', self.get('scenario', ''))} · {self.get('trainee', '')} · {mode}"

    def __str__(self) -> str:
        rows = self.rows()
        width = max(_width(label) for label, _ in rows)
        return "\n".join([self.heading()] + [f"  {label}{' ' * (width - _width(label))}  {value}" for label, value in rows])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        cells = "".join(f"<tr><th style='text-align:left;padding:2px 12px 2px 0;white-space:nowrap'>"
                        f"{html.escape(label)}</th><td style='text-align:left'>{html.escape(value)}</td></tr>"
                        for label, value in self.rows())
        return ("<div style='border:1px solid #ccc;border-radius:6px;padding:8px 12px;margin:4px 0;"
                f"display:inline-block'><b>{html.escape(self.heading())}</b><table>{cells}</table></div>")


def _width(text: str) -> int:
    """Columns a text takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _days_late(brief: dict) -> int:
    """Days past the deadline (days_left stops at 0)."""
    return int(brief.get("days_late") or 0)
