"""Labels the desks show, in the session's language: Chinese for lang="zh"; English (with the
Chinese terms operators meet) for lang="en"."""

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
        "final_before": "⚠ 不可撤销：{what}。",
        "done_already": "这一步已经完成，下面是记录的结果。",
        "stage_score": "{stage}已记录，得分 {score}",
        "stage_recorded": "{stage}已记录",
        "sealed": "（考试或自测：分数待发布）",
        "verdict_withheld": "已记录（考试或自测：对错在发布后可见）",
        "reissue_result": "补发 {lines} 笔：入账 ¥{credited:,.2f}，再次退回 ¥{returned:,.2f}",
        "payment_result": "支付申请 {lines} 笔：入账 ¥{credited:,.2f}，退回 ¥{returned:,.2f}，成功率 {rate:.2%}",
        "line_credited": "✓ {line}：补发已入账",
        "line_returned": "✗ {line}：补发再次退回（{reason}）",
        "fix_ok": "✓ {line}：{action} — 与退回原因和卡状态一致",
        "fix_bad": "✗ {line}：{action} — {why}",
        "fix_name_bad": "户名应与该卡的开户名“{holder}”一致",
        "fix_stop_bad": "只有持卡人已死亡（MD07）才停发；这笔钱应补发给本人",
        "fix_stop_ok": "持卡人已死亡：停发并登记追回",
        "cards_now": "社保卡/账户状态（当前）",
        "actions_log": "处理记录",
        "recon_computed": "已按银行回盘（每户最后一笔）和指标算好各项，请逐项核对，需要时修改。",
        "recon_balanced": "✓ 各项目均平衡：指标 = 已发放 + 退回 + 在途 + 结余",
        "recon_unbalanced": "✗ 以下项目不平（指标 ≠ 已发放 + 退回 + 在途 + 结余），请改正后再提交：",
        "recon_row_off": "差 {diff:,.2f}",
        "recon_final": "对账单提交后发放即告结束，不能再补发，也不能再改对账单",
        "draft_warning": "底稿含完整身份证号、卡号和电话，不能直接公开：先按规定遮蔽，再自查。",
        "masked": "已按本地规定遮蔽（身份证号保留前{start}位和后{end}位，卡号保留后{card}位）。",
        "no_leaks": "✓ 自查通过：没有发现隐私泄露。",
        "leaks": "✗ 自查发现 {n} 处隐私泄露：",
        "to_publish_raw": "注意：要公开的是未遮蔽的底稿。",
        "published": "已公开。",
        "inspection_started": "检查日期 {inspection_date}；整改期限最迟 {rectification_due_by}。",
        "start_first": "请先点“开始检查”。",
        "finding_added": "已记为问题：{line}（{fault}，追回 ¥{amount:,.2f}）",
        "finding_removed": "已删除：{line}",
        "pick_line": "请先选择一笔支付明细",
        "pick_fault": "请先选择问题类型",
        "findings": "已认定的问题（{n} 条，追回合计 ¥{total:,.2f}）",
        "no_findings": "尚未认定问题；不认定任何问题直接提交，表示检查未发现问题资金。",
        "evidence": "检查时可见的登记记录",
        "no_evidence": "各登记中无此人记录",
        "hits_only": "只看登记中有记录的",
        "paid_twice": "同一项目重复入账",
        "line": "支付明细",
        "omitted_added": "已补录：{id}（{program}）",
        "visits_none": "没有入户核查报告。",
        "review_closed": "审核已结束，名单已送发放环节。",
        "payout_sent": "支付申请已发出，下面是银行回盘结果。",
        "nothing_yet": "还没有可处理的内容。",
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
        "final_before": "⚠ Cannot be undone: {what}.",
        "done_already": "This step is done already; below is what was recorded.",
        "stage_score": "{stage} recorded, score {score}",
        "stage_recorded": "{stage} recorded",
        "sealed": " (exam or self-test: the score is released later)",
        "verdict_withheld": "recorded (exam or self-test: right or wrong shows once released)",
        "reissue_result": "re-issue (补发) of {lines} lines: credited ¥{credited:,.2f}, returned again ¥{returned:,.2f}",
        "payment_result": "payment request of {lines} lines: credited ¥{credited:,.2f}, returned ¥{returned:,.2f}, "
                          "success {rate:.2%}",
        "line_credited": "✓ {line}: re-issue credited",
        "line_returned": "✗ {line}: re-issue returned again ({reason})",
        "fix_ok": "✓ {line}: {action} — fits the return code and the card register",
        "fix_bad": "✗ {line}: {action} — {why}",
        "fix_name_bad": "the name must be the card's holder name, “{holder}”",
        "fix_stop_bad": "stop only when the holder has died (MD07); this money is owed to the payee",
        "fix_stop_ok": "the holder has died: stop and recover",
        "cards_now": "the payee's cards and accounts now",
        "actions_log": "what you did",
        "recon_computed": "Filled in from the banks' results (each entry's latest line) and the allocation: "
                          "check every cell and change what is wrong.",
        "recon_balanced": "✓ every program balances: allocated = paid + returned + pending + unspent",
        "recon_unbalanced": "✗ these programs do not balance (allocated ≠ paid + returned + pending + unspent); "
                            "correct them before submitting:",
        "recon_row_off": "off by {diff:,.2f}",
        "recon_final": "once the statement is filed the payout is closed: no more re-issues, and the statement "
                       "cannot be changed",
        "draft_warning": "The draft carries full ID numbers, card numbers and phones: mask it, then check it.",
        "masked": "Masked by the local policy (ID: first {start} and last {end} characters; card: last {card}).",
        "no_leaks": "✓ Check passed: no privacy leak found.",
        "leaks": "✗ The check found {n} privacy leaks:",
        "to_publish_raw": "Note: the table to publish is the unmasked draft.",
        "published": "Published.",
        "inspection_started": "Inspection date {inspection_date}; rectification due by {rectification_due_by} at the latest.",
        "start_first": "Click “start inspection” first.",
        "finding_added": "finding recorded: {line} ({fault}, recover ¥{amount:,.2f})",
        "finding_removed": "removed: {line}",
        "pick_line": "choose a payment line first",
        "pick_fault": "choose the fault first",
        "findings": "findings ({n}, to recover ¥{total:,.2f} in all)",
        "no_findings": "No findings yet; submitting none reports that the inspection found no improper payment.",
        "evidence": "registry records the inspector can see",
        "no_evidence": "no record of this person in any registry",
        "hits_only": "only lines with registry records",
        "paid_twice": "credited twice in one program",
        "line": "payment line",
        "omitted_added": "added (补录): {id} ({program})",
        "visits_none": "No home-visit reports.",
        "review_closed": "Review is closed: the list went on to payout.",
        "payout_sent": "The payment request was sent; below are the banks' results.",
        "nothing_yet": "Nothing to handle yet.",
    },
}

# Buttons in English sessions carry the Chinese term operators meet; Chinese sessions read Chinese.
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
    "reconcile": "提交对账单（不可撤销） file statement (final)", "recompute": "按银行回盘重算 recompute",
    "bank_totals": "银行回盘汇总 bank totals",
    "mask": "按规定遮蔽 mask", "check_leaks": "自查 check for leaks", "publish": "公开（不可撤销） publish (final)",
    "start_inspection": "开始检查 start inspection", "add_finding": "记为问题 record finding",
    "remove_finding": "删除 remove", "submit_findings": "提交检查报告（不可撤销） submit report (final)",
    "add_omitted": "补录 add",
}
BUTTONS_ZH: dict[str, str] = {
    "previous": "◀ 上一条", "next": "下一条 ▶",
    "approve": "通过", "reject": "不通过", "correct": "更正", "refer": "入户核查",
    "check_rows": "校验", "submit_roster": "提交名单",
    "wait_visits": "取回入户核查报告", "post": "公示（7天）",
    "uphold": "属实", "dismiss": "不属实", "refer_objection": "核查",
    "finalize": "结束审核（不可撤销）",
    "build": "生成支付申请草稿", "submit_request": "发送支付申请（不可撤销）",
    "results": "银行回盘", "apply": "处理", "reissue": "补发（不可撤销）",
    "reconcile": "提交对账单（不可撤销）", "recompute": "按银行回盘重算", "bank_totals": "银行回盘汇总",
    "mask": "按规定遮蔽", "check_leaks": "自查", "publish": "公开（不可撤销）",
    "start_inspection": "开始检查", "add_finding": "记为问题", "remove_finding": "删除",
    "submit_findings": "提交检查报告（不可撤销）", "add_omitted": "补录",
}
# The boxes an irreversible button needs ticked: the second, explicit confirmation.
CONFIRMS: dict[str, str] = {
    "finalize": "我已核对，确认结束审核 I have checked: close review",
    "submit_request": "我已核对，确认发送 I have checked: send the payment",
    "reissue": "我已核对，确认补发 I have checked: re-issue",
    "reconcile": "我已核对，确认提交对账单 I have checked: file the statement",
    "publish": "我已核对，确认公开 I have checked: publish",
    "submit_findings": "我已核对，确认提交检查报告 I have checked: submit the report",
}
CONFIRMS_ZH: dict[str, str] = {
    "finalize": "我已核对，确认结束审核（不可撤销）", "submit_request": "我已核对，确认发送（不可撤销）",
    "reissue": "我已核对，确认补发（不可撤销）", "reconcile": "我已核对，确认提交对账单（不可撤销）",
    "publish": "我已核对，确认公开（不可撤销）", "submit_findings": "我已核对，确认提交检查报告（不可撤销）",
}
# Texts a few widgets carry that are not buttons (placeholders, checkbox labels, headings).
WIDGETS: dict[str, tuple[str, str]] = {
    "reason": ("— 拒绝理由 —", "— 拒绝理由 reason —"),
    "fault": ("— 问题类型 —", "— 问题类型 fault —"),
    "right_value": ("正确的值", "正确的值 right value"),
    "undecided_only": ("只看未决定", "只看未决定 undecided only"),
    "name_or_card": ("户名或卡号", "户名或卡号 name or card number"),
    "recover": ("追回金额（元）", "recover (¥)"),
    "rectification": ("整改要求", "rectification"),
    "responsible": ("整改责任单位", "responsible"),
    "due_date": ("整改期限", "due date"),
    "id_number": ("身份证号", "ID number"),
    "program": ("补贴项目", "program"),
}


def label(lang: str, key: str, **values: object) -> str:
    table = LABELS["zh" if lang == "zh" else "en"]
    return table[key].format(**values) if values else table[key]


def button_text(lang: str, key: str) -> str:
    return BUTTONS_ZH[key] if lang == "zh" else BUTTONS[key]


def confirm_text(lang: str, key: str) -> str:
    return CONFIRMS_ZH[key] if lang == "zh" else CONFIRMS[key]


def widget_text(lang: str, key: str) -> str:
    return WIDGETS[key][0 if lang == "zh" else 1]
