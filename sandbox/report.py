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

from sandbox.faults import FAULTS

STAGE_WEIGHTS = {"collection": 10, "review": 40, "payout": 20, "reconciliation": 10,
                 "disclosure": 10, "supervision": 10}
STAGE_NAMES = {
    "collection": ("信息采集、录入", "Collection"), "review": ("审核、公示", "Review and posting"),
    "payout": ("发放与补发", "Payout and re-issue"), "reconciliation": ("对账", "Reconciliation"),
    "disclosure": ("信息公开", "Disclosure"), "supervision": ("监督检查", "Supervision"),
}
T = {
    "zh": {"title": "培训报告", "total": "总分", "stage": "环节", "score": "得分", "kpis": "关键指标",
           "misses": "问题与提示", "practise": "下一步练习", "not_done": "未完成", "evidence": "证据",
           "tip": "提示", "chart_scores": "各环节得分", "chart_money": "资金去向（元）",
           "chart_time": "按模拟日的发放进度", "withheld": "考试模式：详细反馈待培训老师发布"},
    "en": {"title": "Training report", "total": "Total", "stage": "Stage", "score": "Score", "kpis": "KPIs",
           "misses": "What went wrong, and tips", "practise": "What to practise next", "not_done": "not done",
           "evidence": "evidence", "tip": "tip", "chart_scores": "Score by stage",
           "chart_money": "Where the money went (¥)", "chart_time": "Payments over simulated days",
           "withheld": "exam mode: detailed feedback is released by your trainer"},
}
KPI_LABELS = {
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
        "timeline": attempt.stages["payout"].timeline_records() if "payout" in attempt.stages else [],
    }


def kpis(attempt) -> dict[str, float | int | None]:
    review = attempt.scores.get("review")
    out: dict[str, float | int | None] = dict.fromkeys(KPI_LABELS)
    if review:
        improper = review.metrics.get("money_improper", 0.0)
        share = review.metrics.get("money_stopped_share", 0.0)
        out["money_stopped"] = round(improper * share, 2)
        out["money_let_through"] = round(improper * (1 - share), 2)
        out["wrongful_denials"] = review.metrics.get("wrongful_denials", 0)
    for stage in ("payout", "reconciliation", "disclosure", "supervision"):
        score = attempt.scores.get(stage)
        if score:
            out.update({k: v for k, v in score.metrics.items() if k in KPI_LABELS})
    return out


def practise_next(misses: list[dict], lang: str) -> list[str]:
    """The three kinds of miss that cost most, as advice."""
    counts = Counter(m["fault"] or m["kind"] for m in misses)
    advice = []
    for code, n in counts.most_common(3):
        if code in FAULTS:
            f = FAULTS[code]
            advice.append(f"{f.zh}（{n}次）：{f.tip_zh}" if lang == "zh" else f"{f.en} ({n}×): {f.tip_en}")
        else:
            advice.append(f"{code}（{n}次）" if lang == "zh" else f"{code} ({n}×)")
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
        return STAGE_NAMES[stage][0 if self.lang == "zh" else 1]

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
                lines.append(f"  {KPI_LABELS[key][0 if self.lang == 'zh' else 1]}: {_fmt(value)}")
        if not self.data["feedback_released"]:
            lines += ["", t["withheld"]]
        groups = self._grouped()
        if groups:
            lines += ["", t["misses"] + ":"]
            for title, misses in groups.items():
                lines.append(f"  {title} ×{len(misses)}")
                for miss in misses[:5]:
                    lines.append(f"    {miss['entry_id']} ¥{miss['amount']:.2f} — {miss['evidence']}")
                lines.append(f"    {t['tip']}: {misses[0]['tip']}")
        if self.data["practise_next"]:
            lines += ["", t["practise"] + ":"] + [f"  - {a}" for a in self.data["practise_next"]]
        return "\n".join(lines)

    __str__ = text

    def _grouped(self) -> dict[str, list[dict]]:
        groups: dict[str, list[dict]] = {}
        for miss in self.data["misses"]:
            groups.setdefault(miss["title"], []).append(miss)
        return groups

    # --- charts and HTML -------------------------------------------------------------------
    def charts(self) -> dict[str, str]:
        """PNG charts as base64 strings (matplotlib, no display needed)."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import font_manager

        t = T[self.lang]
        _use_cjk_font(plt, font_manager)
        charts = {}
        stages = list(self.data["stages"])
        fig, ax = plt.subplots(figsize=(6, 2.8))
        ax.barh([self._stage_name(s) for s in stages], [self.data["stages"][s] or 0 for s in stages],
                color="#3b7dd8")
        ax.set_xlim(0, 100)
        ax.set_title(t["chart_scores"])
        charts["scores"] = _png(fig, plt)
        money = {k: self.data["kpis"].get(k) for k in ("money_stopped", "money_let_through", "money_returned",
                                                        "money_recovered")}
        money = {k: v for k, v in money.items() if v}
        if money:
            fig, ax = plt.subplots(figsize=(6, 2.8))
            ax.bar([KPI_LABELS[k][0 if self.lang == "zh" else 1] for k in money], list(money.values()),
                   color=["#2e9e5b", "#d8453b", "#e0a030", "#7b5ea7"][: len(money)])
            ax.set_title(t["chart_money"])
            ax.tick_params(axis="x", labelsize=7)
            charts["money"] = _png(fig, plt)
        timeline = self.data.get("timeline") or []
        if timeline:
            fig, ax = plt.subplots(figsize=(6, 2.8))
            days = [row["day"] for row in timeline]
            ax.plot(days, [row["credited_cumulative"] for row in timeline], label="credited / 已入账")
            ax.plot(days, [row["returned_cumulative"] for row in timeline], label="returned / 退票")
            ax.legend()
            ax.set_title(t["chart_time"])
            charts["timeline"] = _png(fig, plt)
        return charts

    def html(self) -> str:
        t = T[self.lang]
        esc = html.escape
        rows = "".join(f"<tr><td>{esc(self._stage_name(s))}</td><td>{'—' if v is None else f'{v:.1f}'}</td></tr>"
                       for s, v in self.data["stages"].items())
        kpi_rows = "".join(
            f"<tr><td>{esc(KPI_LABELS[k][0 if self.lang == 'zh' else 1])}</td><td>{esc(_fmt(v))}</td></tr>"
            for k, v in self.data["kpis"].items() if v is not None)
        charts = "".join(f'<img alt="{k}" src="data:image/png;base64,{v}">' for k, v in self.charts().items())
        miss_html = ""
        for title, misses in self._grouped().items():
            items = "".join(f"<li>{esc(m['entry_id'])} ¥{m['amount']:.2f} — {esc(m['evidence'])}</li>"
                            for m in misses[:20])
            miss_html += (f"<h3>{esc(title)} ×{len(misses)}</h3><ul>{items}</ul>"
                          f"<p><b>{t['tip']}:</b> {esc(misses[0]['tip'])}</p>")
        if not self.data["feedback_released"]:
            miss_html = f"<p><i>{esc(t['withheld'])}</i></p>"
        practise = "".join(f"<li>{esc(a)}</li>" for a in self.data["practise_next"])
        return f"""<!DOCTYPE html>
<html lang="{self.lang}"><head><meta charset="utf-8"><title>{t['title']}</title>
<style>body{{font-family:sans-serif;max-width:56em;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em}}img{{max-width:100%}}</style>
</head><body>
<h1>{t['title']}</h1>
<p>{esc(self.data['scenario'])} · seed {self.data['seed']} · {esc(str(self.data['trainee']))} · {esc(self.data['mode'])}</p>
<h2>{t['total']}: {self.score:.1f} / 100</h2>
<table><tr><th>{t['stage']}</th><th>{t['score']}</th></tr>{rows}</table>
<h2>{t['kpis']}</h2><table>{kpi_rows}</table>
{charts}
<h2>{t['misses']}</h2>{miss_html}
<h2>{t['practise']}</h2><ul>{practise}</ul>
</body></html>"""

    def save_html(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        body = self.html()
        return body[body.index("<body>") + 6: body.index("</body>")]

    def __repr__(self) -> str:
        return self.short_text()


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2%}" if 0 < value < 1 else f"{value:,.2f}"
    return str(value)


def _png(fig, plt) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _use_cjk_font(plt, font_manager) -> None:
    """Use a font with Chinese glyphs when the machine has one (labels are bilingual anyway)."""
    for name in ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC"):
        if any(f.name == name for f in font_manager.fontManager.ttflist):
            plt.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
            return
