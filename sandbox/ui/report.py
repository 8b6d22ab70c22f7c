"""The report as a self-contained HTML page a trainee can keep or hand in: stage scores,
KPIs, charts (inlined as data: URIs), misses grouped by irregularity, advice — labelled in
both languages."""

from __future__ import annotations

import html
from pathlib import Path

from sandbox.platform.report import KPI_LABELS
from sandbox.platform.stages.disclosure import issue_name
from sandbox.platform.stages.sequence import stage_title
from sandbox.session.report import Report, T, fmt, masked
from sandbox.ui.charts import figure, png_base64, use_cjk_font

OTHER = {"zh": "en", "en": "zh"}
# Where the money went (chart order and colours): paid, stopped, let through, returned, recovered.
MONEY_FLOW = {"money_paid": "#3b7dd8", "money_stopped": "#2e9e5b", "money_let_through": "#d8453b",
              "money_returned": "#e0a030", "money_recovered": "#7b5ea7"}
SHOWN_PER_GROUP = 20


def report_html(report: Report) -> str:
    """One self-contained page (charts inlined as data: URIs), labelled in both languages."""
    data, lang = report.data, report.lang
    t = T[lang]
    esc = html.escape
    tries = {s: t for s, t in (data.get("tries") or {}).items()} if data.get("mode") == "practice" else {}
    rows = "".join(f"<tr><td>{esc(_stage_both(s, lang))}</td>"
                   f"<td>{'—' if v is None else f'{v:.1f}'}</td>{_tries_cells(tries, s)}</tr>"
                   for s, v in data["stages"].items())
    tries_head = "".join(f"<th>{esc(_label(k, lang))}</th>" for k in ("first", "best")) if tries else ""
    kpi_rows = "".join(f"<tr><td>{esc(_both(*KPI_LABELS[k], lang))}</td><td>{esc(fmt(v, k))}</td></tr>"
                       for k, v in data["kpis"].items() if v is not None)
    charts = "".join(f'<figure><img alt="{esc(k)}" src="data:image/png;base64,{v}"></figure>'
                     for k, v in report_charts(report).items())
    miss_html = _misses_html(report) if data["feedback_released"] \
        else f"<p><i>{esc(report.sealed_note or _label('withheld', lang))}</i></p>"
    total = "—" if report.score is None else f"{report.score:.1f}"
    practise = "".join(f"<li>{esc(a)}</li>" for a in data["practise_next"])
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(_label('title', lang))} — {esc(data['scenario'])}</title>
<style>body{{font-family:sans-serif;max-width:56em;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em}}img{{max-width:100%}}
li small{{color:#666}}</style>
</head><body>
<h1>{esc(_label('title', lang))}</h1>
<p>{esc(' · '.join([str(data['scenario']), *report.about()]))}</p>
<h2>{esc(_label('total', lang))}: {total} / 100</h2>
<table><tr><th>{esc(_label('stage', lang))}</th><th>{esc(_label('score', lang))}</th>{tries_head}</tr>{rows}</table>
<h2>{esc(_label('kpis', lang))}</h2><table>{kpi_rows}</table>
{_harm_html(report)}
{charts}
{_by_type_html(report)}
<h2>{esc(_label('misses', lang))}</h2>{miss_html}
<h2>{esc(_label('practise', lang))}</h2><ul>{practise}</ul>
<p><small>{esc(t['title'])} · {esc(T[OTHER[lang]]['title'])}</small></p>
</body></html>"""


def save_html(report: Report, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(report_html(report), encoding="utf-8")
    return path


def report_charts(report: Report) -> dict[str, str]:
    """PNG charts as base64 strings: score by stage, where the money went, and payments over
    simulated days (no screen needed)."""
    data = report.data
    # Without a font for Chinese glyphs the charts are labelled in English.
    lang = report.lang if use_cjk_font() else "en"
    pick = 0 if lang == "zh" else 1
    t = T[lang]
    charts = {}
    stages = list(data["stages"])
    if any(v is not None for v in data["stages"].values()):  # none while sealed: no empty bars
        fig = figure(6, 2.8)
        ax = fig.subplots()
        ax.barh([stage_title(s, lang) for s in stages], [data["stages"][s] or 0 for s in stages], color="#3b7dd8")
        ax.set_xlim(0, 100)
        ax.set_title(t["chart_scores"])
        charts["scores"] = png_base64(fig)
    money = {k: float(data["kpis"].get(k) or 0.0) for k in MONEY_FLOW}
    if any(money.values()):
        fig = figure(6, 3.2)
        ax = fig.subplots()
        ax.bar([KPI_LABELS[k][pick] for k in money], list(money.values()), color=list(MONEY_FLOW.values()))
        ax.set_title(t["chart_money"])
        ax.tick_params(axis="x", labelsize=7, rotation=15)
        charts["money"] = png_base64(fig)
    timeline = data.get("timeline") or []
    if timeline:
        fig = figure(6, 2.8)
        ax = fig.subplots()
        days = [row["day"] for row in timeline]
        ax.plot(days, [row["credited_cumulative"] for row in timeline], label=("已入账", "credited")[pick])
        ax.plot(days, [row["returned_cumulative"] for row in timeline], label=("退票", "returned")[pick])
        ax.legend()
        ax.set_title(t["chart_time"])
        charts["timeline"] = png_base64(fig)
    return charts


def _tries_cells(tries: dict, stage: str) -> str:
    """Practice: the stage's first try and best beside its score (empty cells if not scored)."""
    if not tries:
        return ""
    done = tries.get(stage)
    if done is None:
        return "<td>—</td><td>—</td>"
    return f"<td>{done['first']:.1f}</td><td>{done['best']:.1f}</td>"


def _both(zh: str, en: str, lang: str) -> str:
    """A label in the report's language, then the other one (the page is bilingual)."""
    first, second = (zh, en) if lang == "zh" else (en, zh)
    return first if first == second else f"{first} / {second}"


def _label(key: str, lang: str) -> str:
    return _both(T["zh"][key], T["en"][key], lang)


def _stage_both(stage: str, lang: str) -> str:
    return _both(stage_title(stage, "zh"), stage_title(stage, "en"), lang)


def _harm_html(report: Report) -> str:
    """The harm ledger per stage and kind, uncapped (absent while an exam's feedback is sealed)."""
    harm = report.data.get("harm") or {}
    if not harm:
        return ""
    esc = html.escape
    lang = report.lang
    head = "".join(f"<th>{esc(_label(k, lang))}</th>" for k in ("stage", "harm", "families", "weighted"))
    body = "".join(f"<tr><td>{esc(stage)}</td><td>{esc(kind)} ¥{yuan:,.2f}</td><td>{families}</td>"
                   f"<td>¥{weighted:,.2f}</td></tr>" for stage, kind, yuan, families, weighted in report.harm_rows())
    total = (f"<p>{esc(_label('harm_total', lang))}: ¥{harm['weighted_total']:,.2f} · {esc(_label('families', lang))} "
             f"{harm['families_total']} · {esc(_label('reference', lang))} ¥{harm['reference']['value']:,.2f}</p>")
    return f"<h2>{esc(_label('harm', lang))}</h2>{total}<table><tr>{head}</tr>{body}</table>"


def _by_type_html(report: Report) -> str:
    rows = report.by_type_rows()
    if not rows:
        return ""
    esc = html.escape
    head = "".join(f"<th>{esc(_label(k, report.lang))}</th>" for k in
                   ("type", "planted", "caught", "recall", "false_alarms", "precision"))
    body = "".join("<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<h2>{esc(_label('by_type', report.lang))}</h2><table><tr>{head}</tr>{body}</table>"


def _misses_html(report: Report) -> str:
    t = T[report.lang]
    esc = html.escape
    parts = []
    for code, misses in report.grouped().items():
        names = (issue_name(code, "zh"), issue_name(code, "en"))
        items = "".join(f"<li>[{esc(report.stage_name(m['stage']))}] {esc(m['title'])} · {esc(m['entry_id'])} "
                        f"¥{m['amount']:.2f}<br><small>{esc(t['evidence'])}: {esc(masked(m['evidence']))}</small></li>"
                        for m in misses[:SHOWN_PER_GROUP])
        more = (f"<p>{esc(t['more'].format(n=len(misses) - SHOWN_PER_GROUP))}</p>"
                if len(misses) > SHOWN_PER_GROUP else "")
        parts.append(f"<h3>{esc(_both(*names, report.lang))} ×{len(misses)}</h3><ul>{items}</ul>{more}"
                     f"<p><b>{esc(t['tip'])}:</b> {esc(misses[0]['tip'])}</p>")
    return "".join(parts)
