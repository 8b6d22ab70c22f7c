"""The final report of an attempt: total and stage scores, KPIs, misses grouped by
irregularity with evidence and tips, what to practise next, and charts — as data, text,
and a self-contained HTML file a trainee can keep or hand in."""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from pathlib import Path
from typing import Any

from sandbox.common.masking import scrub_text
from sandbox.irregularities import FAULTS
from sandbox.platform.stages.disclosure import CREDITED, ISSUES, issue_name, issue_tip
from sandbox.scenario import Masking

STAGE_WEIGHTS = {"collection": 10, "review": 40, "payout": 20, "reconciliation": 10,
                 "disclosure": 10, "supervision": 10}
STAGE_NAMES = {
    "collection": ("信息采集、录入", "Collection"), "review": ("审核、公示", "Review and posting"),
    "payout": ("发放与补发", "Payout and re-issue"), "reconciliation": ("对账", "Reconciliation"),
    "disclosure": ("信息公开", "Disclosure"), "supervision": ("监督检查", "Supervision"),
}
OTHER = {"zh": "en", "en": "zh"}
T = {
    "zh": {"title": "培训报告", "total": "总分", "stage": "环节", "score": "得分", "kpis": "关键指标",
           "misses": "问题与提示", "practise": "下一步练习", "not_done": "未完成", "evidence": "证据",
           "tip": "提示", "chart_scores": "各环节得分", "chart_money": "资金去向（元）",
           "chart_time": "按模拟日的发放进度", "withheld": "考试模式：详细反馈待培训老师发布",
           "miss": "问题", "more": "同类还有{n}条", "by_type": "审核：各类问题的查出率与准确率",
           "type": "问题类型", "planted": "实有", "caught": "查出", "recall": "查出率",
           "false_alarms": "误判", "precision": "准确率"},
    "en": {"title": "Training report", "total": "Total", "stage": "Stage", "score": "Score", "kpis": "KPIs",
           "misses": "What went wrong, and tips", "practise": "What to practise next", "not_done": "not done",
           "evidence": "evidence", "tip": "tip", "chart_scores": "Score by stage",
           "chart_money": "Where the money went (¥)", "chart_time": "Payments over simulated days",
           "withheld": "exam mode: detailed feedback is released by your trainer",
           "miss": "miss", "more": "{n} more of this type",
           "by_type": "Review: recall and precision per irregularity type", "type": "type",
           "planted": "planted", "caught": "caught", "recall": "recall", "false_alarms": "false alarms",
           "precision": "precision"},
}
KPI_LABELS = {
    "money_paid": ("实际入账金额（元）", "money credited (¥)"),
    "money_stopped": ("拦截的问题资金（元）", "improper money stopped (¥)"),
    "money_let_through": ("放过的问题资金（元）", "improper money let through (¥)"),
    "wrongful_denials": ("错误拒绝（人次）", "wrongful denials"),
    "first_pass_success_rate": ("首次发放成功率", "first-pass success rate"),
    "final_success_rate": ("最终发放成功率", "final success rate"),
    "social_security_card_share": ("社保卡占比", "social security card share"),
    "days_to_pay": ("全部发放用时（天）", "days to pay everyone"),
    "money_returned": ("退票金额（元）", "money returned (¥)"),
    "money_recovered": ("追回金额（元）", "money recovered (¥)"),
    "privacy_violations": ("隐私泄露（处）", "privacy violations"),
}
RATE_KPIS = {"first_pass_success_rate", "final_success_rate", "social_security_card_share"}
# Where the money went (chart order and colours): paid, stopped, let through, returned, recovered.
MONEY_FLOW = {"money_paid": "#3b7dd8", "money_stopped": "#2e9e5b", "money_let_through": "#d8453b",
              "money_returned": "#e0a030", "money_recovered": "#7b5ea7"}
SHOWN_PER_GROUP = 20


def build_report(attempt) -> dict[str, Any]:
    """The report as plain data (what crosses to the session)."""
    stages = [s for s in STAGE_WEIGHTS if s in attempt.stages]
    scores = {s: round(attempt.scores[s].score, 2) for s in stages if s in attempt.scores}
    weight = sum(STAGE_WEIGHTS[s] for s in stages)
    total = sum(STAGE_WEIGHTS[s] * scores.get(s, 0.0) for s in stages) / weight if weight else 0.0
    released = attempt.feedback_released
    misses = [m.__dict__ | {"stage": s} for s, sc in attempt.scores.items() for m in sc.misses] if released else []
    return {
        "attempt_id": attempt.attempt_id, "trainee": attempt.trainee, "scenario": attempt.scenario.name,
        "seed": attempt.scenario.seed, "mode": attempt.mode, "lang": attempt.lang,
        "score": round(total, 2), "stages": {s: scores.get(s) for s in stages},
        "kpis": kpis(attempt), "misses": misses, "feedback_released": released,
        "practise_next": practise_next(misses, attempt.lang),
        # Per irregularity type: how many were planted is answer-key knowledge, so only once released.
        "review_by_type": attempt.scores["review"].metrics.get("by_type", {})
        if released and "review" in attempt.scores else {},
        "timeline": attempt.stages["payout"].timeline_records() if "payout" in attempt.stages else [],
    }


def kpis(attempt) -> dict[str, float | int | None]:
    review = attempt.scores.get("review")
    out: dict[str, float | int | None] = dict.fromkeys(KPI_LABELS)
    if review:
        # Money that would have been lost (fraud, error); data-entry delays are not counted.
        out["money_stopped"] = review.metrics.get("money_stopped", 0.0)
        out["money_let_through"] = review.metrics.get("money_let_through", 0.0)
        out["wrongful_denials"] = review.metrics.get("wrongful_denials", 0)
    for stage in ("payout", "reconciliation", "disclosure", "supervision"):
        score = attempt.scores.get(stage)
        if score:
            out.update({k: v for k, v in score.metrics.items() if k in KPI_LABELS})
    payout = attempt.stages.get("payout")
    if payout is not None and hasattr(payout, "payments"):
        payments = payout.payments()
        if not payments.empty:
            credited = payments.loc[payments["status"] == CREDITED, "amount"].astype(float)
            out["money_paid"] = round(float(credited.sum()), 2)
    return out


def group_code(miss: dict) -> str:
    """What a miss is grouped under: its irregularity, a stage issue, or its own title."""
    for code in (miss.get("fault") or "", miss.get("kind") or ""):
        if code in FAULTS or code in ISSUES:
            return code
    return miss["title"]


def practise_next(misses: list[dict], lang: str) -> list[str]:
    """The three types of miss that came up most often, as advice."""
    counts = Counter(group_code(m) for m in misses if m["entry_id"] != "…")
    advice = []
    for code, n in counts.most_common(3):
        name, tip = issue_name(code, lang), issue_tip(code, lang)
        if not tip:  # not a catalogued type: the first miss of the group has its own tip
            tip = next((m["tip"] for m in misses if group_code(m) == code), "")
        advice.append(f"{name}（{n}次）：{tip}" if lang == "zh" else f"{name} ({n}×): {tip}")
    return advice


class Report:
    """The report on the trainee's side: text, notebook display, HTML file."""

    def __init__(self, data: dict, lang: str = "zh") -> None:
        self.data = data
        self.lang = lang if lang in T else "zh"

    def summary(self) -> dict:
        return self.data

    @property
    def score(self) -> float:
        return self.data["score"]

    def _stage_name(self, stage: str) -> str:
        names = STAGE_NAMES.get(stage, (stage, stage))
        return names[0 if self.lang == "zh" else 1]

    def short_text(self) -> str:
        t = T[self.lang]
        parts = [f"{t['total']}: {self.score:.1f}"]
        for stage, score in self.data["stages"].items():
            parts.append(f"{self._stage_name(stage)}: {'—' if score is None else f'{score:.1f}'}")
        return " | ".join(parts)

    def text(self) -> str:
        t = T[self.lang]
        lines = [f"{t['title']} — {self.data['scenario']} (seed {self.data['seed']}, {self.data['trainee']})",
                 self.short_text(), "", t["kpis"] + ":"]
        for key, value in self.data["kpis"].items():
            if value is not None:
                lines.append(f"  {KPI_LABELS[key][0 if self.lang == 'zh' else 1]}: {_fmt(value, key)}")
        if not self.data["feedback_released"]:
            lines += ["", t["withheld"]]
        groups = self._grouped()
        if groups:
            lines += ["", t["misses"] + ":"]
            for code, misses in groups.items():
                lines.append(f"  {issue_name(code, self.lang)} ×{len(misses)}")
                for miss in misses[:5]:
                    lines.append(f"    [{self._stage_name(miss['stage'])}] {miss['title']} · {miss['entry_id']} "
                                 f"¥{miss['amount']:.2f} — {_masked(miss['evidence'])}")
                if len(misses) > 5:
                    lines.append("    " + t["more"].format(n=len(misses) - 5))
                lines.append(f"    {t['tip']}: {misses[0]['tip']}")
        by_type = self._by_type_rows()
        if by_type:
            lines += ["", t["by_type"] + ":"]
            lines += [f"  {name}: {caught}/{planted} · {t['recall']} {recall} · {t['precision']} {precision}"
                      for name, planted, caught, recall, _alarms, precision in by_type]
        if self.data["practise_next"]:
            lines += ["", t["practise"] + ":"] + [f"  - {a}" for a in self.data["practise_next"]]
        return "\n".join(lines)

    def _by_type_rows(self) -> list[tuple[str, int, str, str, int, str]]:
        """Review's recall and precision per irregularity type, worst recall first."""
        rows = []
        for code, m in sorted(self.data.get("review_by_type", {}).items(),
                              key=lambda item: (item[1].get("recall") is None, item[1].get("recall") or 0)):
            def pct(value: float | None) -> str:
                return "—" if value is None else f"{value:.0%}"
            rows.append((issue_name(code, self.lang), int(m["planted"]), f"{m['caught']:g}", pct(m.get("recall")),
                         int(m.get("false_alarms", 0)), pct(m.get("precision"))))
        return rows

    __str__ = text

    def _grouped(self) -> dict[str, list[dict]]:
        """Misses by irregularity type (across stages), most frequent type first."""
        groups: dict[str, list[dict]] = {}
        for miss in self.data["misses"]:
            groups.setdefault(group_code(miss), []).append(miss)
        return dict(sorted(groups.items(), key=lambda item: -len(item[1])))

    def _both(self, zh: str, en: str) -> str:
        """A label in the report's language, then the other one (the report is bilingual)."""
        first, second = (zh, en) if self.lang == "zh" else (en, zh)
        return first if first == second else f"{first} / {second}"

    # --- charts and HTML -------------------------------------------------------------------
    def charts(self) -> dict[str, str]:
        """PNG charts as base64 strings (matplotlib, no display needed): score by stage, where
        the money went, and payments over simulated days."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import font_manager

        # Without a font for Chinese glyphs the charts are labelled in English.
        lang = self.lang if _use_cjk_font(plt, font_manager) else "en"
        pick = 0 if lang == "zh" else 1
        t = T[lang]
        charts = {}
        stages = list(self.data["stages"])
        fig, ax = plt.subplots(figsize=(6, 2.8))
        ax.barh([STAGE_NAMES.get(s, (s, s))[pick] for s in stages], [self.data["stages"][s] or 0 for s in stages],
                color="#3b7dd8")
        ax.set_xlim(0, 100)
        ax.set_title(t["chart_scores"])
        charts["scores"] = _png(fig, plt)
        money = {k: float(self.data["kpis"].get(k) or 0.0) for k in MONEY_FLOW}
        if any(money.values()):
            fig, ax = plt.subplots(figsize=(6, 3.2))
            ax.bar([KPI_LABELS[k][pick] for k in money], list(money.values()), color=list(MONEY_FLOW.values()))
            ax.set_title(t["chart_money"])
            ax.tick_params(axis="x", labelsize=7, rotation=15)
            charts["money"] = _png(fig, plt)
        timeline = self.data.get("timeline") or []
        if timeline:
            fig, ax = plt.subplots(figsize=(6, 2.8))
            days = [row["day"] for row in timeline]
            ax.plot(days, [row["credited_cumulative"] for row in timeline], label=("已入账", "credited")[pick])
            ax.plot(days, [row["returned_cumulative"] for row in timeline], label=("退票", "returned")[pick])
            ax.legend()
            ax.set_title(t["chart_time"])
            charts["timeline"] = _png(fig, plt)
        return charts

    def _label(self, key: str) -> str:
        return self._both(T["zh"][key], T["en"][key])

    def html(self) -> str:
        """One self-contained page (charts inlined as data: URIs), labelled in both languages."""
        t = T[self.lang]
        esc = html.escape
        label = self._label
        rows = "".join(f"<tr><td>{esc(self._both(*STAGE_NAMES.get(s, (s, s))))}</td>"
                       f"<td>{'—' if v is None else f'{v:.1f}'}</td></tr>" for s, v in self.data["stages"].items())
        kpi_rows = "".join(f"<tr><td>{esc(self._both(*KPI_LABELS[k]))}</td><td>{esc(_fmt(v, k))}</td></tr>"
                           for k, v in self.data["kpis"].items() if v is not None)
        charts = "".join(f'<figure><img alt="{esc(k)}" src="data:image/png;base64,{v}"></figure>'
                         for k, v in self.charts().items())
        miss_html = self._misses_html() if self.data["feedback_released"] else f"<p><i>{esc(label('withheld'))}</i></p>"
        practise = "".join(f"<li>{esc(a)}</li>" for a in self.data["practise_next"])
        return f"""<!DOCTYPE html>
<html lang="{self.lang}"><head><meta charset="utf-8"><title>{esc(label('title'))} — {esc(self.data['scenario'])}</title>
<style>body{{font-family:sans-serif;max-width:56em;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em}}img{{max-width:100%}}
li small{{color:#666}}</style>
</head><body>
<h1>{esc(label('title'))}</h1>
<p>{esc(self.data['scenario'])} · seed {self.data['seed']} · {esc(str(self.data['trainee']))} · {esc(self.data['mode'])}</p>
<h2>{esc(label('total'))}: {self.score:.1f} / 100</h2>
<table><tr><th>{esc(label('stage'))}</th><th>{esc(label('score'))}</th></tr>{rows}</table>
<h2>{esc(label('kpis'))}</h2><table>{kpi_rows}</table>
{charts}
{self._by_type_html()}
<h2>{esc(label('misses'))}</h2>{miss_html}
<h2>{esc(label('practise'))}</h2><ul>{practise}</ul>
<p><small>{esc(t['title'])} · {esc(T[OTHER[self.lang]]['title'])}</small></p>
</body></html>"""

    def _by_type_html(self) -> str:
        rows = self._by_type_rows()
        if not rows:
            return ""
        esc = html.escape
        head = "".join(f"<th>{esc(self._label(k))}</th>" for k in
                       ("type", "planted", "caught", "recall", "false_alarms", "precision"))
        body = "".join("<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>" for row in rows)
        return f"<h2>{esc(self._label('by_type'))}</h2><table><tr>{head}</tr>{body}</table>"

    def _misses_html(self) -> str:
        t = T[self.lang]
        esc = html.escape
        parts = []
        for code, misses in self._grouped().items():
            names = (issue_name(code, "zh"), issue_name(code, "en"))
            items = "".join(f"<li>[{esc(self._stage_name(m['stage']))}] {esc(m['title'])} · {esc(m['entry_id'])} "
                            f"¥{m['amount']:.2f}<br><small>{esc(t['evidence'])}: {esc(_masked(m['evidence']))}</small></li>"
                            for m in misses[:SHOWN_PER_GROUP])
            more = (f"<p>{esc(t['more'].format(n=len(misses) - SHOWN_PER_GROUP))}</p>"
                    if len(misses) > SHOWN_PER_GROUP else "")
            parts.append(f"<h3>{esc(self._both(*names))} ×{len(misses)}</h3><ul>{items}</ul>{more}"
                         f"<p><b>{esc(t['tip'])}:</b> {esc(misses[0]['tip'])}</p>")
        return "".join(parts)

    def save_html(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        body = self.html()
        return body[body.index("<body>") + 6: body.index("</body>")]

    def __repr__(self) -> str:
        return self.short_text()


def _masked(text: object) -> str:
    """A report leaves the platform (kept, handed in): no full ID or card number in it."""
    return scrub_text(text, Masking())


def _fmt(value: object, key: str = "") -> str:
    if key in RATE_KPIS and isinstance(value, int | float):
        return f"{value:.2%}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _png(fig, plt) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _use_cjk_font(plt, font_manager) -> bool:
    """Use a font with Chinese glyphs when the machine has one; False when it has none."""
    for name in ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC"):
        if any(f.name == name for f in font_manager.fontManager.ttflist):
            plt.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
            return True
    return False
