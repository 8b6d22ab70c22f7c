"""The problem counties of the 督导 exercise: what each planted problem does to a county's
monthly run, what in the KPIs shows it, and who is responsible for fixing it.

督导组 "不讲成绩，只看问题": the trainee (the city's 一卡通 office) names each problem county,
the problem, the KPI that proves it and the owner who must fix it (定时间、定人员、定责任、定任务).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemKind:
    code: str
    zh: str
    en: str
    evidence: str        # the KPI column (sandbox/city/kpis.py) that shows it
    owner: str           # a key of OWNERS: who must fix it
    task_zh: str         # the rectification task (定任务)
    task_en: str


# Who can be made responsible (定责任): the parties of a county's 一卡通 work.
OWNERS: dict[str, tuple[str, str]] = {
    "bank": ("代发银行", "the paying bank"),
    "finance": ("县财政局", "the county finance bureau"),
    "township": ("乡镇信息采集员", "township data-collection staff"),
    "department": ("主管部门", "the program's department"),
    "village": ("村委会", "the village committee"),
}

PROBLEM_KINDS: dict[str, ProblemKind] = {k.code: k for k in (
    ProblemKind("lagging_activation", "社保卡激活滞后", "cards not activated", "activation_rate", "bank",
                "代发银行组织网点上门激活，每月报送激活进度", "the bank activates cards door to door and reports monthly"),
    ProblemKind("late_payment", "资金发放不及时", "money paid late", "days_to_pay", "finance",
                "县财政局按月按时拨付，批次开放后5个工作日内到账", "the finance bureau releases funds on time, on cards within 5 working days"),
    ProblemKind("name_mismatch", "户名不符退票多", "many name-mismatch returns", "returns_BE01", "township",
                "乡镇以身份证和银行户名为准重新核对采集信息", "townships re-check collected names against ID cards and bank records"),
    ProblemKind("unrecovered", "死亡冒领资金未追回", "money paid after death not recovered", "recovery_rate",
                "department", "主管部门逐笔追回死亡后发放的资金，按月销号",
                "the department recovers every payment made after a death and closes each case"),
    ProblemKind("no_posting", "未按规定公示", "batches paid without 公示", "posting_rate", "village",
                "村委会每批发放前在公示栏和线上专栏公示7天", "villages post every batch for 7 days before it is paid"),
)}

# How a planted problem changes its county's run (multipliers of the scenario's `city` rates).
ACTIVATION_IF_LAGGING = 0.1     # of the usual activation_per_month
UNACTIVATED_IF_LAGGING = 3.0    # times the scenario's share of cards never activated
EXTRA_DAYS_IF_LATE = 16         # days later than payment_days
NAME_ERRORS_IF_MISMATCH = 10.0  # times the scenario's data_entry_name rate
RECOVERY_IF_UNRECOVERED = 0.1   # of the usual recovery_share
POSTING_IF_MISSING = 0.4        # share of batches posted (others: POSTING_USUAL)
POSTING_USUAL = 0.99
