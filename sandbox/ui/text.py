"""Labels the desks show, in the session's language (zh or en); buttons carry both."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "progress": "审核进度：已决定 {done} / {total} 条",
        "entry": "条目", "checks": "自动校验", "hits": "大数据比对结果", "no_hits": "各登记中无命中记录",
        "id_check": "身份证号校验", "card_check": "卡号校验", "rule": "项目规则",
        "same_id": "同一身份证号同一项目的其他条目", "visit": "入户核查结果",
        "current": "当前决定", "none": "尚未决定", "ok": "通过校验",
        "recorded": "已记录", "right": "✓ 与证据一致", "wrong": "✗ 需要改进",
        "referred": "已转入户核查，报告约在 {when} 返回",
        "withheld": "已记录（考试或自测：反馈在培训师发布或自测结束后可见）",
        "error": "未记录", "pick_reason": "请先选择拒绝理由", "pick_value": "请先填写正确的值",
        "decided_all": "全部条目都已决定，可以公示了。",
        "objection": "异议", "no_objections": "没有异议。", "posted": "公示结束，收到 {n} 条异议。",
        "visits_back": "入户核查报告已全部返回（{n} 份）。", "finalized": "审核结束，名单已送发放环节。",
        "collection_rows": "各村上报 {rows} 行；自动校验发现 {issues} 处问题。",
        "request": "支付申请", "lines": "笔", "total": "合计（元）",
        "failures_left": "待处理的失败笔数：{n}", "no_failures": "没有待处理的失败。",
        "tick_to_confirm": "这一步不能撤销：核对无误后勾选确认框，再点一次。",
    },
    "en": {
        "progress": "Review progress: {done} of {total} entries decided",
        "entry": "Entry", "checks": "Automatic checks", "hits": "Registry hits (大数据比对)",
        "no_hits": "no hit in any registry", "id_check": "ID number check", "card_check": "card number check",
        "rule": "program rule", "same_id": "other entries with this ID in this program",
        "visit": "home visit (入户核查) report", "current": "current decision", "none": "not decided yet",
        "ok": "passes", "recorded": "recorded", "right": "✓ consistent with the evidence",
        "wrong": "✗ to improve", "referred": "sent for a home visit; the report comes back about {when}",
        "withheld": "recorded (exam or self-test: feedback shows once released or the self-test ends)",
        "error": "not recorded", "pick_reason": "choose a reason for the rejection first",
        "pick_value": "type the right value first",
        "decided_all": "Every entry is decided: you can post the list (公示).",
        "objection": "objection", "no_objections": "No objections.",
        "posted": "Posting (公示) is over: {n} objections came in.",
        "visits_back": "Every home-visit report is back ({n}).",
        "finalized": "Review closed: the approved list goes on to payout.",
        "collection_rows": "The villages sent {rows} rows; the automatic checks found {issues} problems.",
        "request": "payment request (支付申请)", "lines": "lines", "total": "total (¥)",
        "failures_left": "failed lines still to handle: {n}", "no_failures": "No failed lines to handle.",
        "tick_to_confirm": "This step cannot be undone: when you have checked, tick the confirm box and click again.",
    },
}

# Buttons show both languages: operators know the Chinese term, the course is in English.
BUTTONS: dict[str, str] = {
    "previous": "◀ 上一条 previous", "next": "下一条 next ▶",
    "approve": "通过 approve", "reject": "不通过 reject", "correct": "更正 correct",
    "refer": "入户核查 refer",
    "check_rows": "校验 check rows", "submit_roster": "提交名单 submit roster",
    "wait_visits": "取回入户核查报告 collect visit reports", "post": "公示 post the list (7 days)",
    "uphold": "属实 uphold", "dismiss": "不属实 dismiss", "refer_objection": "核查 refer",
    "finalize": "结束审核（不可撤销） close review (final)",
    "build": "生成支付申请草稿 build draft request", "submit_request": "发送支付申请（不可撤销） send payment (final)",
    "results": "银行回盘 bank results", "apply": "处理 apply", "reissue": "补发（不可撤销） re-issue (final)",
    "reconcile": "对账 reconcile",
}
# The boxes an irreversible button needs ticked: the second, explicit confirmation.
CONFIRMS: dict[str, str] = {
    "finalize": "我已核对，确认结束审核 I have checked: close review",
    "submit_request": "我已核对，确认发送 I have checked: send the payment",
    "reissue": "我已核对，确认补发 I have checked: re-issue",
}


def label(lang: str, key: str, **values: object) -> str:
    table = LABELS["zh" if lang == "zh" else "en"]
    return table[key].format(**values) if values else table[key]
