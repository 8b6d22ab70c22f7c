"""The subsidy catalogue (一张清单管制度): the programs the sandbox simulates, read from the
programs list (programs/data/henan-2022.yaml, loaded by sandbox.programs.listing).

Standards are illustrative Henan/Zhoukou-like defaults for 2022; a scenario enables a
subset and overrides their standards (sandbox.programs.choices).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.programs.listing import (
    ListedProgram,
    conditions_of,
    departments,
    document_of,
    formula_of,
    listed_programs,
)
from sandbox.programs.rules import Condition, Formula, Frequency, Lang, Unit

# 主管部门 -> English, from the programs list (programs/data/henan-2022.yaml).
DEPARTMENTS: dict[str, str] = departments()

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


# The programs the village sandbox simulates: those of the list with a structured rule.
# Standards are illustrative Henan/Zhoukou-like defaults for 2022; a scenario overrides them.
# 文号 are invented in the style of a city finance bureau so nobody mistakes them for real ones.


def _simulated(entry: ListedProgram) -> Program:
    rule = entry.rule or {}
    return Program(entry.code, entry.zh, entry.en, entry.department, entry.frequency, rule["unit"],
                   conditions_of(rule.get("conditions", []), entry.code, "rule.conditions"),
                   formula_of(rule["amount"], entry.code), document_of(entry.code))


PROGRAMS: dict[str, Program] = {
    e.code: _simulated(e) for e in listed_programs(one_card_only=False) if e.rule is not None
}
DIBAO_STANDARD: float = PROGRAMS["dibao"].formula.standard  # ¥ per person a month, rural 低保

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
