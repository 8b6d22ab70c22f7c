"""Tables as a trainee reads them: Chinese headers and values for lang="zh".

Headers come from the project's one column vocabulary (sandbox.common.columns.header_zh),
plus the few columns only a desk shows (status, bank result columns, statement columns).
Values that are codes — programs, decisions, faults, payment and card statuses, fixes — are
shown by their Chinese names from the catalogues that define them. With lang="en" a table is
shown as the platform returns it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sandbox.bank.codes import RETURN_CODES
from sandbox.common.columns import canonical_column, header_zh
from sandbox.irregularities import FAULTS
from sandbox.platform.stages.failures import FAILURE_ACTIONS

# Columns a desk shows that the input vocabulary does not name (it names what trainees type).
DESK_HEADERS_ZH: dict[str, str] = {
    "status": "状态", "status_now": "当前状态", "code": "退回代码", "reason_zh": "退回原因",
    "what_to_do": "处理办法", "fix": "已选处理", "processed_at": "处理时间", "credited_at": "入账时间",
    "returned_at": "退回时间", "sms_sent": "已发短信", "sms_at": "短信时间", "run": "批次",
    "allocated": "指标", "paid": "已发放", "returned": "退回", "pending": "在途", "unspent": "结余",
    "lines": "笔数", "requested": "申请金额", "balance": "平衡", "program_code": "项目代码",
    "evidence": "登记记录", "registry": "登记", "finding_zh": "核查结果", "returns_at": "报告返回时间",
    "inconclusive": "未见到本人", "visited_at": "核查日期", "response": "答复", "text_zh": "异议内容",
    "objection_id": "异议编号", "first_pass_success_rate": "首次成功率", "final_success_rate": "最终成功率",
    "social_security_card_share": "社保卡发放占比", "days_to_pay": "发放用时（天）",
    "money_returned": "退回金额", "outcome": "结果", "at": "时间", "kind": "类别", "shown": "内容",
    "column": "列", "row": "行", "problem": "问题", "where": "位置", "stage": "环节", "score": "得分",
    "credited": "已入账", "issue": "问题", "message": "说明",
}
# Registry columns (大数据比对 tables), as the offices' own forms call them.
DESK_HEADERS_ZH.update({
    "death_date": "死亡日期", "registered_date": "登记日期", "source": "来源", "cremation_date": "火化日期",
    "funeral_home": "殡仪馆", "employer": "工作单位", "position": "职务", "plate": "车牌号",
    "vehicle_type": "车辆类型", "business_name": "企业名称", "business_type": "企业类型", "post": "职务",
    "cadre_id_number": "村干部身份证号", "cadre_name": "村干部姓名", "members": "人数", "grade": "等级",
    "former_name": "曾用名", "sex": "性别", "contract_no": "合同编号", "area_mu": "面积(亩)",
    "changed_date": "变更日期", "transfer_no": "备案编号", "from_id_number": "转出方身份证号",
    "from_name": "转出方姓名", "start_date": "起始日期", "certificate_no": "证书编号",
})
# In a registry row these mean something else than in the input vocabulary.
REGISTRY_HEADERS_ZH = {"reason": "变更原因", "relation": "关系"}
# The bank result's reason text in the other language is not shown to a Chinese reader.
HIDDEN_ZH = ("reason_en", "text_en", "finding_en")

DECISIONS_ZH = {"approve": "通过", "reject": "不通过", "correct": "更正", "refer": "入户核查"}
CARD_STATUSES_ZH = {"active": "正常", "not_activated": "未激活", "pin_locked": "密码锁定", "reported_lost": "已挂失",
                    "frozen": "冻结", "dormant": "久悬", "closed": "已销户"}
# A payment line's status, or (in the card register) an account's.
STATUSES_ZH = {"credited": "已入账", "returned": "已退回", "pending": "在途", "sent": "已发送", **CARD_STATUSES_ZH}
KINDS_ZH = {"social_security_card": "社保卡", "bank_account": "银行账户"}
# What the collection checks (sandbox.common.normalize, identifiers) call each problem.
ISSUES_ZH = {"blank": "空白", "old_15_digit": "旧15位身份证号", "wrong_length": "位数错误", "bad_format": "格式错误",
             "bad_check_char": "校验码错误", "impossible_birth_date": "出生日期不存在",
             "unknown_address_code": "地址码不存在", "not_digits": "含非数字字符", "not_unionpay": "非银联卡号",
             "bad_luhn": "校验位错误", "negative": "负数", "unreadable": "无法识别", "duplicate": "序号重复"}
RESPONSES_ZH = {"uphold": "属实", "dismiss": "不属实", "refer": "核查", "reject": "不通过", "approve": "通过"}
FIELDS_ZH = {"name": "姓名", "id_number": "身份证号", "account_number": "卡号", "quantity": "数量", "amount": "金额",
             "bank": "银行"}
BOOLEANS_ZH = {True: "是", False: "否"}


def fault_name(code: str, lang: str) -> str:
    return FAULTS[code].name(lang) if code in FAULTS else code


def action_name(code: str, lang: str) -> str:
    names = FAILURE_ACTIONS.get(code)
    return (names[0] if lang == "zh" else names[1]) if names else code


def _mapped(series: pd.Series, names: Mapping) -> pd.Series:
    return series.map(lambda v: names.get(v, v) if isinstance(v, (str, bool)) else v)


def column_header_zh(column: str) -> str:
    if column in DESK_HEADERS_ZH:
        return DESK_HEADERS_ZH[column]
    canonical = canonical_column(column)
    return header_zh(canonical) if canonical else column


def localise(frame: pd.DataFrame, lang: str, programs: Mapping[str, str] | None = None,
             headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The frame to show: with lang="zh", codes as Chinese names and Chinese headers.

    programs: program code → Chinese name (the catalogue's); headers: a desk's own headers
    for columns whose meaning differs there (the failure table's `reason` is the bank's)."""
    if lang != "zh" or frame.empty and not len(frame.columns):
        return frame
    out = frame.drop(columns=[c for c in HIDDEN_ZH if c in frame.columns]).copy()
    faults = {code: f.zh for code, f in FAULTS.items()}
    values: dict[str, Mapping] = {
        "program": dict(programs or {}), "decision": DECISIONS_ZH, "reason": faults, "fault": faults,
        "status": STATUSES_ZH, "status_now": CARD_STATUSES_ZH, "kind": KINDS_ZH, "issue": ISSUES_ZH, "fix": {k: v[0] for k, v in FAILURE_ACTIONS.items()},
        "field": FIELDS_ZH, "response": RESPONSES_ZH, "code": {c: f"{c} {r.zh}" for c, r in RETURN_CODES.items()},
    }
    for column in out.columns:
        key = column if column in values else canonical_column(column)
        if key in values:
            out[column] = _mapped(out[column], values[key])
        elif out[column].dtype == bool:
            out[column] = _mapped(out[column], BOOLEANS_ZH)
    own = dict(headers or {})
    return out.rename(columns={c: own.get(c) or column_header_zh(str(c)) for c in out.columns})
