"""The subsidy catalogue (一张清单管制度) as data: each program's rule, amount and document.

Standards are illustrative Henan/Zhoukou-like defaults for 2022; a scenario enables a
subset and overrides their standards (sandbox.programs.choices).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.programs.rules import (
    Condition,
    Fixed,
    Formula,
    Frequency,
    GapToStandard,
    Lang,
    MultipleOfStandard,
    PerMu,
    TieredByAge,
    Unit,
)

DEPARTMENTS: dict[str, str] = {
    "农业农村": "agriculture and rural affairs",
    "人社": "human resources and social security",
    "民政": "civil affairs",
    "残联": "disabled persons' federation",
    "卫健": "health commission",
    "林业": "forestry",
}

FREQUENCIES: dict[str, tuple[str, str]] = {
    "monthly": ("按月", "monthly"),
    "yearly": ("按年", "yearly"),
    "one_off": ("一次性", "one-off"),
}

UNITS: dict[str, tuple[str, str]] = {
    "person": ("按人，发至本人卡", "per person, to their own card"),
    "household": ("按户，发至户主卡", "per household, to the head's card"),
}

# --- programs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Program:
    code: str
    zh: str
    en: str
    department: str  # a key of DEPARTMENTS
    frequency: Frequency
    unit: Unit
    conditions: tuple[Condition, ...]
    formula: Formula
    document: str  # 文号 of the (illustrative) policy document

    @property
    def all_conditions(self) -> tuple[Condition, ...]:
        """Stated conditions plus those the amount rule implies (e.g. 80+ for tiers)."""
        return self.conditions + self.formula.implied()

    def rule(self, lang: Lang = "zh") -> str:
        """The eligibility rule in a few words, e.g. '年龄 ≥ 60 且 参加城乡居民养老保险'."""
        joiner = " 且 " if lang == "zh" else " and "
        return joiner.join(c.text(lang) for c in self.all_conditions)

    def amount_text(self, lang: Lang = "zh") -> str:
        """The amount rule with its unit and period, e.g. '¥118.00 每人每月'."""
        unit = {"person": ("每人", "per person"), "household": ("每户", "per household")}[self.unit]
        period = {"monthly": ("每月", "a month"), "yearly": ("每年", "a year"),
                  "one_off": ("一次性", "once")}[self.frequency]
        if lang == "zh":
            return f"{self.formula.text('zh')}（{unit[0]}{period[0]}）"
        return f"{self.formula.text('en')} ({unit[1]}, {period[1]})"


# Standards are illustrative Henan/Zhoukou-like defaults for 2022; a scenario overrides them.
# 文号 are invented in the style of a city finance bureau so nobody mistakes them for real ones.
DIBAO_STANDARD = 400.0  # ¥ per person a month, rural 低保

PROGRAMS: dict[str, Program] = {
    p.code: p
    for p in (
        Program(
            "farmland_fertility", "耕地地力保护补贴", "farmland fertility protection subsidy",
            "农业农村", "yearly", "household", (),
            PerMu("farmland_mu", 105.0), "周财农〔2022〕11号",
        ),
        Program(
            "grain_growers", "实际种粮农民一次性补贴", "one-off subsidy to actual grain growers",
            "农业农村", "one_off", "household", (),
            PerMu("grain_mu", 14.0), "周财农〔2022〕17号",
        ),
        Program(
            "basic_pension", "城乡居民基础养老金", "residents' basic pension",
            "人社", "monthly", "person",
            (Condition("age", ">=", 60), Condition("pension_insured", "true")),
            Fixed(118.0), "周人社〔2022〕5号",
        ),
        Program(
            "old_age_allowance", "高龄津贴", "old-age allowance",
            "民政", "monthly", "person", (),
            TieredByAge(((80, 50.0), (90, 100.0), (100, 300.0))), "周民〔2022〕8号",
        ),
        Program(
            "dibao", "城乡低保", "minimum living allowance (低保)",
            "民政", "monthly", "household",
            (Condition("dibao", "true"), Condition("public_employee", "false")),
            GapToStandard(DIBAO_STANDARD), "周民〔2022〕3号",
        ),
        Program(
            "tekun", "特困人员救助供养", "support for destitute persons (特困)",
            "民政", "monthly", "person",
            (Condition("tekun", "true"), Condition("public_employee", "false")),
            MultipleOfStandard(1.3), "周民〔2022〕4号",
        ),
        Program(
            "disabled_living", "困难残疾人生活补贴", "living subsidy for disabled people in need",
            "民政", "monthly", "person",
            (Condition("disability_grade", ">=", 1), Condition("dibao", "true")),
            Fixed(90.0), "周民〔2022〕12号",
        ),
        Program(
            "severe_disability_care", "重度残疾人护理补贴", "care subsidy for severely disabled people",
            "残联", "monthly", "person",
            (Condition("disability_grade", "in", (1, 2)),),
            Fixed(90.0), "周残联〔2022〕2号",
        ),
        Program(
            "orphans", "孤儿基本生活费", "basic living allowance for orphans",
            "民政", "monthly", "person",
            (Condition("orphan", "true"), Condition("age", "<", 18)),
            Fixed(600.0), "周民〔2022〕15号",
        ),
        Program(
            "family_planning", "计划生育奖励扶助", "family-planning reward",
            "卫健", "yearly", "person",
            (Condition("family_planning", "true"), Condition("age", ">=", 60)),
            Fixed(960.0), "周卫健〔2022〕6号",
        ),
        Program(
            "ecological_forest", "生态公益林补偿", "ecological forest compensation",
            "林业", "yearly", "household", (),
            PerMu("forest_mu", 13.0), "周林〔2022〕9号",
        ),
    )
}

# The program codes a scenario may enable or override, in catalogue order.
PROGRAM_CODES: tuple[str, ...] = tuple(PROGRAMS)


# --- words for people -----------------------------------------------------------------------


def explain(program: Program, lang: Lang = "zh") -> str:
    """A few lines a trainee reads: who pays, to whom, the rule and the amount."""
    freq = FREQUENCIES[program.frequency][0 if lang == "zh" else 1]
    unit = UNITS[program.unit][0 if lang == "zh" else 1]
    if lang == "zh":
        return "\n".join([
            f"{program.zh}（{program.code}）— 主管部门：{program.department}；文号：{program.document}",
            f"发放：{freq}，{unit}",
            f"条件：{program.rule('zh')}；发放期开始前死亡的人员不得享受",
            f"标准：{program.amount_text('zh')}",
        ])
    return "\n".join([
        f"{program.en} ({program.code}) — department: {DEPARTMENTS[program.department]} "
        f"({program.department}); document {program.document}",
        f"Frequency: {freq}; paid {unit}",
        f"Eligible if: {program.rule('en')}; nobody who died before the period starts",
        f"Amount: {program.amount_text('en')}",
    ])
