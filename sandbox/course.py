"""Helpers the course notebooks share: start a session at any stage, read feedback entry by
entry, and draw the workflow.

Each notebook stands alone: `resume_at("payout", s)` plays the stages before payout the way
a careful operator would (the reference reviewer in `sandbox.personas`), through the same
public Session API a trainee uses, so the notebook starts where its lesson begins.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from sandbox.errors import SandboxError
from sandbox.feedback import Feedback
from sandbox.normalize import check_card_number
from sandbox.session import Session

# The course's stages in order; a notebook resumes at one of them.
STAGES = ("collection", "review", "payout", "failures", "reconciliation", "disclosure",
          "supervision", "report")


REVIEW_STYLES = ("careful", "typos_left", "no_registry_checks")


def resume_at(stage: str, session: Session, review: str = "careful") -> Session:
    """Play every stage before `stage` carefully, so the session starts at `stage`.

    review: how the earlier review is played —
      "careful"            the reference reviewer (registries, home visits, objections);
      "typos_left"         careful, but typed names and mistyped card numbers approved as
                           they are, so the banks return those lines (for the failure desk);
      "no_registry_checks" no 大数据比对: frauds get paid (for the inspectors to find).
    Stages already done in this session are skipped, so calling it twice is harmless.
    """
    if stage not in STAGES:
        raise SandboxError(f"unknown stage {stage!r}; stages: {', '.join(STAGES)}")
    if review not in REVIEW_STYLES:
        raise SandboxError(f"unknown review style {review!r}; expected one of {', '.join(REVIEW_STYLES)}")
    for earlier in STAGES[: STAGES.index(stage)]:
        if earlier == "review":
            _play_review(session, review)
        else:
            _PLAYERS[earlier](session)
    return session


def _done(session: Session, stage: str) -> bool:
    return stage in session.brief()["stages_done"]


def _play_collection(session: Session) -> None:
    from sandbox.personas import clean_forms

    if not _done(session, "collection"):
        session.collection.submit(clean_forms(session))


def _play_review(session: Session, style: str = "careful") -> None:
    from sandbox.personas import Evidence, _after_visits, _post_and_answer, careful_decision

    if _done(session, "review"):
        return
    use_registries = style != "no_registry_checks"
    evidence = Evidence(session)
    seen: set[tuple[str, str]] = set()
    roster = session.review.roster()
    decisions = [careful_decision(e, evidence, seen, use_registries=use_registries)
                 for e in roster.to_dict("records")]
    if style == "typos_left":
        decisions = [_hurried(d, e) for d, e in zip(decisions, roster.to_dict("records"), strict=True)]
    session.review.submit(pd.DataFrame(decisions))
    _after_visits(session, evidence, use_registries=use_registries)
    _post_and_answer(session, uphold=use_registries)


def _hurried(decision: dict, entry: dict) -> dict:
    """Approve as typed what a careful reviewer would have corrected for a typo."""
    typo_in_card = decision["field"] == "account_number" and not check_card_number(entry["account_number"]).valid
    if decision["decision"] == "correct" and (decision["field"] == "name" or typo_in_card):
        return {**decision, "decision": "approve", "field": "", "value": ""}
    return decision


def _desk(session: Session, name: str) -> Any:
    found = getattr(session, name, None)
    if found is None:
        raise SandboxError(f"this platform has no session.{name} desk yet; update the sandbox")
    return found


def _play_payout(session: Session) -> None:
    payout = _desk(session, "payout")
    if payout.results().empty:
        payout.submit(payout.build_request(), progress=False)


def _play_failures(session: Session) -> None:
    from sandbox.personas import careful_fix

    failures = _desk(session, "failures")
    if _done(session, "reconciliation"):
        return
    for _ in range(3):  # a few rounds: a re-issued line can come back again
        chosen = 0
        for line in failures.table().to_dict("records"):
            fix = None if line["fix"] else careful_fix(session, line)
            if fix:
                failures.act(line["line_id"], fix[0], fix[1])
                chosen += fix[0] != "stop_recover"
        if not chosen:
            break
        failures.reissue()


def _play_reconciliation(session: Session) -> None:
    from sandbox.personas import reconcile_from_results

    _desk(session, "reconciliation")
    if not _done(session, "reconciliation"):
        reconcile_from_results(session)


def _play_disclosure(session: Session) -> None:
    from sandbox.masking import publish_table
    from sandbox.scenario import Masking

    disclosure = _desk(session, "disclosure")
    if not _done(session, "disclosure"):
        disclosure.publish(publish_table(disclosure.draft(), Masking(**disclosure.policy())))


def _play_supervision(session: Session) -> None:
    supervision = _desk(session, "supervision")
    if not _done(session, "supervision"):
        supervision.submit(inspection_findings(session))


def inspection_findings(session: Session) -> pd.DataFrame:
    """What a careful inspector finds in the period's credited payments: paid to the dead
    (death register as of the inspection), public employees and cadres' relatives in
    means-tested aid, and the same ID paid twice in one program."""
    from sandbox.personas import MEANS_TESTED

    dates = session.supervision.start()
    period_start = pd.Timestamp(session.brief()["period"].split(" ")[0])
    paid = session.supervision.payments()
    paid = paid[paid["status"] == "credited"]
    registry = session.supervision.registries
    deaths = registry("deaths")
    died = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"]), strict=False))
    payroll = set(registry("payroll")["id_number"])
    owners = set(registry("vehicles")["id_number"]) | set(registry("businesses")["id_number"])
    favoured = set(registry("cadre_relatives")["id_number"]) & owners
    rows = []
    for line in paid.to_dict("records"):
        person, means_tested = line["payee_id_number"], line["program"] in MEANS_TESTED
        fault = ("dead_payee" if person in died and died[person] < period_start
                 else "public_employee" if means_tested and person in payroll
                 else "cadre_relative" if means_tested and person in favoured else "")
        if fault:
            rows.append(_finding(line, fault, dates["rectification_due_by"]))
    twice = paid[paid.duplicated(["payee_id_number", "program"], keep="first")]
    flagged = {r["line_id"] for r in rows}
    rows += [_finding(line, "duplicate", dates["rectification_due_by"])
             for line in twice.to_dict("records") if line["line_id"] not in flagged]
    return pd.DataFrame(rows, columns=["line_id", "fault", "recover_amount", "rectification", "responsible",
                                       "due_date"])


def _finding(line: dict, fault: str, due: str) -> dict:
    return {"line_id": line["line_id"], "fault": fault, "recover_amount": line["amount"],
            "rectification": "停发并追回资金，补充审核 stop, recover and re-review",
            "responsible": "乡镇审核岗 township review desk", "due_date": due}


_PLAYERS: dict[str, Callable[[Session], None]] = {
    "collection": _play_collection,
    "review": _play_review,
    "payout": _play_payout,
    "failures": _play_failures,
    "reconciliation": _play_reconciliation,
    "disclosure": _play_disclosure,
    "supervision": _play_supervision,
}


# --- feedback, entry by entry --------------------------------------------------------------

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


def decided_count(session: Session) -> int:
    return len(session.review.decisions())


def recorded_summary(session: Session) -> str:
    """One line per recorded decision, as the platform has it (used to check the desks)."""
    decisions = session.review.decisions()
    lines = [f"recorded decisions: {len(decisions)}"]
    for row in decisions.to_dict("records"):
        detail = row["reason"] or (f"{row['field']}={row['value']}" if row["field"] else "")
        lines.append(f"  {row['entry_id']} {row['decision']} {detail}".rstrip())
    return "\n".join(lines)


# --- the workflow as a picture -------------------------------------------------------------

WORKFLOW = (
    ("补贴项目管理", "program set-up", "主管部门·财政"),
    ("信息采集、录入", "collection and entry", "村·乡镇"),
    ("审核、公示", "review and posting", "乡镇·部门·财政"),
    ("发放", "payout", "国库·代发银行"),
    ("失败处理、补发、对账", "failures, re-issue, reconciliation", "部门·财政·银行"),
    ("信息公开、监督检查", "disclosure and supervision", "公开专栏·督导组"),
)
LEAKS = (("冒领", "false claims"), ("截留", "withholding"), ("挪用", "diversion"), ("梗阻", "blockages"))


def workflow_svg(highlight: str | None = None) -> str:
    """The 一卡通 workflow as a self-contained SVG (no network, no plotting library)."""
    box_w, box_h, gap, top = 150, 86, 22, 48
    width = len(WORKFLOW) * (box_w + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="250" '
             f'viewBox="0 0 {width} 250" font-family="sans-serif">',
             '<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" '
             'orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#555"/></marker></defs>',
             '<text x="12" y="26" font-size="15" font-weight="bold">惠民惠农补贴“一卡通” — '
             'one list, one platform, one card</text>']
    for i, (zh, en, who) in enumerate(WORKFLOW):
        x = gap + i * (box_w + gap)
        fill = "#ffe9a8" if highlight and highlight in (zh, en) else "#e8f0fb"
        parts.append(f'<rect x="{x}" y="{top}" width="{box_w}" height="{box_h}" rx="8" '
                     f'fill="{fill}" stroke="#3b7dd8"/>')
        parts.append(f'<text x="{x + box_w / 2}" y="{top + 24}" font-size="14" text-anchor="middle" '
                     f'font-weight="bold">{html.escape(zh)}</text>')
        parts.append(f'<text x="{x + box_w / 2}" y="{top + 44}" font-size="11" '
                     f'text-anchor="middle">{html.escape(en)}</text>')
        parts.append(f'<text x="{x + box_w / 2}" y="{top + 68}" font-size="11" fill="#666" '
                     f'text-anchor="middle">{html.escape(who)}</text>')
        if i:
            parts.append(f'<line x1="{x - gap}" y1="{top + box_h / 2}" x2="{x - 2}" '
                         f'y2="{top + box_h / 2}" stroke="#555" stroke-width="2" '
                         'marker-end="url(#arrow)"/>')
    y = top + box_h + 40
    parts.append(f'<text x="12" y="{y}" font-size="13">Status chain 状态: 待审核 → 待整改 → 待推送 → '
                 '已推送 → 待发放 → 发放中 → 已发放 / 发放失败 (退票 → 补发)</text>')
    leaks = "   ".join(f"{zh} {en}" for zh, en in LEAKS)
    parts.append(f'<text x="12" y="{y + 30}" font-size="13" fill="#b03a2e">What the checks stop: '
                 f'{html.escape(leaks)}</text>')
    parts.append(f'<text x="12" y="{y + 56}" font-size="12" fill="#555">大数据比对 registry '
                 'matching · 入户核查 home visits · 公示 7-day posting · 退票 bank returns · '
                 '补发 re-issue · 对账 reconciliation</text>')
    parts.append("</svg>")
    return "".join(parts)


def sandbox_svg() -> str:
    """How the sandbox is built: the answer key stays on the platform's side."""
    steps = (("scenario.yaml", "what the trainer sets"), ("World", "people, cards, registries"),
             ("Platform", "holds the truth + banks"), ("Session", "what you see and do"),
             ("Report", "scores and tips"))
    box_w, gap = 150, 26
    width = len(steps) * (box_w + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="150" '
             f'viewBox="0 0 {width} 150" font-family="sans-serif">']
    for i, (title, note) in enumerate(steps):
        x = gap + i * (box_w + gap)
        fill = "#fdecea" if title == "Platform" else "#eef7ee"
        parts.append(f'<rect x="{x}" y="20" width="{box_w}" height="64" rx="8" fill="{fill}" '
                     'stroke="#555"/>')
        parts.append(f'<text x="{x + box_w / 2}" y="46" font-size="14" font-weight="bold" '
                     f'text-anchor="middle">{title}</text>')
        parts.append(f'<text x="{x + box_w / 2}" y="66" font-size="11" text-anchor="middle">'
                     f'{html.escape(note)}</text>')
        if i:
            parts.append(f'<text x="{x - gap + 4}" y="58" font-size="16">→</text>')
    parts.append('<text x="12" y="120" font-size="12" fill="#b03a2e">The answer key never leaves the '
                 'Platform: your Session only sees what an operator sees (forms, registries, bank '
                 'files).</text></svg>')
    return "".join(parts)
