"""The subsidy catalogue (一张清单管制度) as data: structured eligibility and amount rules.

Nothing here evaluates text. A program is a frozen dataclass whose eligibility is a tuple of
`Condition(field, op, value)` over the person and household columns of
docs/architecture.md, and whose amount is one of a few tagged formula types. A scenario
enables a subset of programs and overrides their standards; `catalogue(scenario)` applies
that, and `entitlements(world, scenario)` computes the true entitlements of the period with
boolean masks over whole frames.

Periods: a scenario's period is one payment batch. Monthly programs pay one month; yearly
programs (耕地地力保护补贴, 生态公益林补偿, 计划生育奖励扶助) pay their whole yearly amount in
the period they are enabled for, which is how counties batch them in practice; one-off
programs pay once. So 计划生育奖励扶助 pays ¥960 in one line, not ¥80 a month.

Who is alive: everyone must be alive at the start of the period. A person who died before
`period_start` is not entitled (paying them is 冒领); one who died during or after the
period is entitled for it (payment stops from the next period).

Per-household programs are evaluated on the head's (户主) row and paid to the head's card.
If the head died before the period the household gets nothing this period: the record needs
a change of head (户主变更) before it can be paid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

from sandbox.errors import SandboxError, ScenarioError, ScenarioProblem
from sandbox.scenario import ProgramOverride, Scenario

Lang = Literal["zh", "en"]
Unit = Literal["person", "household"]
Frequency = Literal["monthly", "yearly", "one_off"]
Operator = Literal[">=", ">", "<=", "<", "==", "!=", "in", "true", "false"]

OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<", "==", "!=", "in", "true", "false")

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

# Columns a condition may name, with the words feedback uses for them (zh, en).
# Person and household columns are those of docs/architecture.md; the last two are derived
# by `beneficiary_frame`.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    # persons
    "age": ("年龄", "age"),
    "sex": ("性别", "sex"),
    "relation": ("与户主关系", "relation to head"),
    "disability_grade": ("残疾等级", "disability grade"),
    "tekun": ("特困人员", "destitute (特困) person"),
    "public_employee": ("公职人员", "public employee"),
    "cadre": ("村干部", "village cadre"),
    "owns_vehicle": ("有车辆", "owns a vehicle"),
    "owns_business": ("有工商登记", "owns a business"),
    "migrant": ("外出务工", "migrant worker"),
    "pension_insured": ("参加城乡居民养老保险", "insured in the residents' pension"),
    "orphan": ("孤儿", "orphan"),
    "family_planning": ("计划生育奖励扶助对象", "family-planning reward holder"),
    # households
    "size": ("家庭人口", "household size"),
    "farmland_mu": ("承包耕地面积", "contracted farmland area"),
    "grain_mu": ("实际种粮面积", "grain-growing area"),
    "forest_mu": ("公益林面积", "ecological forest area"),
    "dibao": ("低保户", "in a 低保 household"),
    "income_per_person": ("家庭人均月收入", "household income per person a month"),
    # derived
    "alive_at_period_start": ("发放期开始时健在", "alive at the start of the period"),
    "is_head": ("户主", "head of household"),
}

HOUSEHOLD_COLUMNS: tuple[str, ...] = (
    "head_person_id", "size", "farmland_mu", "grain_mu", "forest_mu", "dibao", "income_per_person",
)


# --- conditions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """One eligibility test: `field op value`, e.g. Condition("age", ">=", 60)."""

    field: str
    op: Operator
    value: Any = None

    def __post_init__(self) -> None:
        if self.field not in FIELD_LABELS:
            raise ValueError(f"condition on unknown field {self.field!r}")
        if self.op not in OPERATORS:
            raise ValueError(f"unknown operator {self.op!r}; expected one of {OPERATORS}")
        if self.op not in ("true", "false") and self.value is None:
            raise ValueError(f"operator {self.op!r} needs a value")
        if self.op == "in":
            object.__setattr__(self, "value", tuple(self.value))

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        column = _column(frame, self.field)
        if self.op in ("true", "false"):
            flags = column.fillna(False).astype(bool)
            return flags if self.op == "true" else ~flags
        if self.op == "in":
            return column.isin(list(self.value))
        compare = {
            ">=": column.ge, ">": column.gt, "<=": column.le,
            "<": column.lt, "==": column.eq, "!=": column.ne,
        }[self.op]
        return compare(self.value).fillna(False).astype(bool)

    def text(self, lang: Lang) -> str:
        zh, en = FIELD_LABELS[self.field]
        label = zh if lang == "zh" else en
        if self.op == "true":
            return label
        if self.op == "false":
            return f"非{label}" if lang == "zh" else f"not {label}"
        if self.op == "in":
            joiner = "或" if lang == "zh" else " or "
            values = joiner.join(_fmt_value(v) for v in self.value)
            return f"{label}为{values}" if lang == "zh" else f"{label} is {values}"
        symbol = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}.get(self.op, self.op)
        return f"{label} {symbol} {_fmt_value(self.value)}"


ALIVE = Condition("alive_at_period_start", "true")


def _fmt_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _column(frame: pd.DataFrame, field: str) -> pd.Series:
    if field not in frame.columns:
        raise SandboxError(
            f"the frame has no column {field!r}, which the rule needs; build it with "
            "sandbox.programs.beneficiary_frame(persons, households, period_start)"
        )
    return frame[field]


def _yuan(amount: float) -> str:
    return f"¥{amount:,.2f}"


# --- amount formulas ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixed:
    """The same amount for every beneficiary."""

    amount: float
    kind: Literal["fixed"] = "fixed"

    def amounts(self, frame: pd.DataFrame) -> pd.Series:
        return pd.Series(self.amount, index=frame.index, dtype=float)

    def quantity(self, frame: pd.DataFrame) -> pd.Series:
        return pd.Series(1.0, index=frame.index)

    def implied(self) -> tuple[Condition, ...]:
        return ()

    def text(self, lang: Lang) -> str:
        return _yuan(self.amount)


@dataclass(frozen=True)
class PerMu:
    """A rate per mu of an area column (contracted farmland, grain, forest)."""

    field: str
    rate: float
    kind: Literal["per_mu"] = "per_mu"

    def amounts(self, frame: pd.DataFrame) -> pd.Series:
        return _column(frame, self.field).fillna(0).astype(float) * self.rate

    def quantity(self, frame: pd.DataFrame) -> pd.Series:
        return _column(frame, self.field).fillna(0).astype(float)

    def implied(self) -> tuple[Condition, ...]:
        return (Condition(self.field, ">", 0),)

    def text(self, lang: Lang) -> str:
        zh, en = FIELD_LABELS[self.field]
        return f"{_yuan(self.rate)}/亩 × {zh}" if lang == "zh" else f"{_yuan(self.rate)}/mu × {en}"


@dataclass(frozen=True)
class TieredByAge:
    """Amount by age band: tiers are (min_age, amount), the highest band reached applies."""

    tiers: tuple[tuple[int, float], ...]
    kind: Literal["tiered_by_age"] = "tiered_by_age"

    def __post_init__(self) -> None:
        tiers = tuple((int(age), float(amount)) for age, amount in self.tiers)
        ages = [age for age, _ in tiers]
        if not tiers or ages != sorted(set(ages)):
            raise ValueError("tiers must be non-empty with strictly increasing ages")
        object.__setattr__(self, "tiers", tiers)

    def amounts(self, frame: pd.DataFrame) -> pd.Series:
        age = _column(frame, "age")
        # np.select takes the first match, so test the highest band first.
        bands = list(reversed(self.tiers))
        chosen = np.select([age.ge(a).to_numpy() for a, _ in bands], [amt for _, amt in bands], 0.0)
        return pd.Series(chosen, index=frame.index, dtype=float)

    def quantity(self, frame: pd.DataFrame) -> pd.Series:
        return pd.Series(1.0, index=frame.index)

    def implied(self) -> tuple[Condition, ...]:
        return (Condition("age", ">=", self.tiers[0][0]),)

    def text(self, lang: Lang) -> str:
        if lang == "zh":
            return "；".join(f"{age}岁及以上 {_yuan(amt)}" for age, amt in self.tiers)
        return "; ".join(f"{age}+ {_yuan(amt)}" for age, amt in self.tiers)


@dataclass(frozen=True)
class GapToStandard:
    """(standard − income per person) × household size: the 低保 top-up."""

    standard: float
    income_field: str = "income_per_person"
    size_field: str = "size"
    kind: Literal["gap_to_standard"] = "gap_to_standard"

    def amounts(self, frame: pd.DataFrame) -> pd.Series:
        income = _column(frame, self.income_field).fillna(0).astype(float)
        size = _column(frame, self.size_field).fillna(0).astype(float)
        return (self.standard - income).clip(lower=0) * size

    def quantity(self, frame: pd.DataFrame) -> pd.Series:
        return _column(frame, self.size_field).fillna(0).astype(float)

    def implied(self) -> tuple[Condition, ...]:
        return (Condition(self.income_field, "<", self.standard),)

    def text(self, lang: Lang) -> str:
        inc_zh, inc_en = FIELD_LABELS[self.income_field]
        size_zh, size_en = FIELD_LABELS[self.size_field]
        if lang == "zh":
            return f"（低保标准 {_yuan(self.standard)} − {inc_zh}）× {size_zh}"
        return f"(standard {_yuan(self.standard)} − {inc_en}) × {size_en}"


@dataclass(frozen=True)
class MultipleOfStandard:
    """A multiple of another program's standard (特困 = 1.3 × 低保 standard).

    `standard` None means "the effective standard of `of_program`", resolved by `catalogue`.
    """

    multiple: float
    of_program: str = "dibao"
    standard: float | None = None
    kind: Literal["multiple_of_standard"] = "multiple_of_standard"

    def amounts(self, frame: pd.DataFrame) -> pd.Series:
        if self.standard is None:
            raise SandboxError(f"the {self.of_program} standard is not resolved; use catalogue()")
        return pd.Series(self.multiple * self.standard, index=frame.index, dtype=float)

    def quantity(self, frame: pd.DataFrame) -> pd.Series:
        return pd.Series(1.0, index=frame.index)

    def implied(self) -> tuple[Condition, ...]:
        return ()

    def text(self, lang: Lang) -> str:
        base = "?" if self.standard is None else _yuan(self.standard)
        if lang == "zh":
            return f"{self.multiple:g} × 低保标准 {base}"
        return f"{self.multiple:g} × the 低保 standard {base}"


Formula = Fixed | PerMu | TieredByAge | GapToStandard | MultipleOfStandard


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


# --- the scenario's effective catalogue -----------------------------------------------------


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" — did you mean {close[0]!r}?" if close else ""


def _unknown_code(field: str, code: str) -> ScenarioProblem:
    return ScenarioProblem(
        "scenario", None, field,
        f"unknown program code {code!r}" + _did_you_mean(code, PROGRAMS),
        "one of: " + ", ".join(PROGRAMS),
    )


def check_programs(scenario: Scenario, file: str = "scenario") -> list[ScenarioProblem]:
    """Problems with scenario.programs: unknown codes, overrides that do not fit the rule."""
    problems = [
        dataclasses.replace(_unknown_code(f"programs.enabled[{i}]", code), file=file)
        for i, code in enumerate(scenario.programs.enabled) if code not in PROGRAMS
    ]
    for code, override in scenario.programs.overrides.items():
        if code not in PROGRAMS:
            problems.append(dataclasses.replace(_unknown_code(f"programs.overrides.{code}", code), file=file))
            continue
        try:
            _apply_override(PROGRAMS[code], override)
        except ValueError as exc:
            problems.append(ScenarioProblem(file, None, f"programs.overrides.{code}", str(exc), _fits(PROGRAMS[code])))
    return problems


# Which override key sets the standard of each formula type.
_OVERRIDE_KEY: dict[str, str] = {
    "fixed": "amount",
    "per_mu": "rate_per_mu",
    "tiered_by_age": "tiers",
    "gap_to_standard": "standard",
    "multiple_of_standard": "standard",
}


def _fits(program: Program) -> str:
    return f"only `{_OVERRIDE_KEY[program.formula.kind]}` (and `enabled`) for {program.code}"


def _apply_override(program: Program, override: ProgramOverride) -> Program:
    """The program with the override's standard; ValueError if the key does not fit."""
    given = {k for k in ("amount", "rate_per_mu", "standard", "tiers") if getattr(override, k) is not None}
    allowed = _OVERRIDE_KEY[program.formula.kind]
    wrong = sorted(given - {allowed})
    if wrong:
        raise ValueError(
            f"`{wrong[0]}` does not apply: {program.code} pays {program.formula.text('en')}"
        )
    if not given:
        return program
    value = getattr(override, allowed)
    if allowed == "tiers":
        if any(not 0 <= age <= 150 or amount < 0 for age, amount in value):
            raise ValueError("tiers need ages 0–150 and amounts ≥ 0")
        formula: Formula = TieredByAge(tuple(value))
    else:
        field = {"amount": "amount", "rate_per_mu": "rate", "standard": "standard"}[allowed]
        formula = dataclasses.replace(program.formula, **{field: float(value)})
    return dataclasses.replace(program, formula=formula)


def _is_enabled(code: str, scenario: Scenario) -> bool:
    listed = not scenario.programs.enabled or code in scenario.programs.enabled
    override = scenario.programs.overrides.get(code)
    return listed and (override is None or override.enabled)


def catalogue(scenario: Scenario | None = None) -> list[Program]:
    """The effective programs of a scenario (all defaults when None), in catalogue order.

    Raises ScenarioError naming any unknown program code (with a did-you-mean) or an
    override key that does not fit the program's amount rule.
    """
    if scenario is None:
        return [_resolve(p, {}) for p in PROGRAMS.values()]
    problems = check_programs(scenario, file=f"scenario {scenario.name!r}")
    if problems:
        raise ScenarioError(problems)
    overridden = {
        code: _apply_override(p, scenario.programs.overrides[code])
        if code in scenario.programs.overrides else p
        for code, p in PROGRAMS.items()
    }
    return [_resolve(p, overridden) for code, p in overridden.items() if _is_enabled(code, scenario)]


def _resolve(program: Program, overridden: dict[str, Program]) -> Program:
    """Fill a multiple-of-standard's base from the referenced program's effective standard."""
    formula = program.formula
    if not isinstance(formula, MultipleOfStandard) or formula.standard is not None:
        return program
    base = overridden.get(formula.of_program, PROGRAMS[formula.of_program]).formula
    return dataclasses.replace(program, formula=dataclasses.replace(formula, standard=base.standard))


def program(code: str, scenario: Scenario | None = None) -> Program:
    """One effective program by code; SandboxError with a did-you-mean when unknown or off."""
    if code not in PROGRAMS:
        raise SandboxError(f"unknown program code {code!r}" + _did_you_mean(code, PROGRAMS))
    found = next((p for p in catalogue(scenario) if p.code == code), None)
    if found is None:
        name = scenario.name if scenario else "default"
        raise SandboxError(f"program {code!r} is not enabled in scenario {name!r}")
    return found


# --- eligibility and amounts over frames ----------------------------------------------------


class WorldLike(Protocol):
    persons: pd.DataFrame
    households: pd.DataFrame


def beneficiary_frame(
    persons: pd.DataFrame, households: pd.DataFrame, period_start: dt.date
) -> pd.DataFrame:
    """Persons with their household's columns, `alive_at_period_start` and `is_head`."""
    extra = [c for c in HOUSEHOLD_COLUMNS if c in households.columns and c not in persons.columns]
    frame = persons.merge(households[["household_id", *extra]], on="household_id", how="left")
    frame.index = persons.index
    death = pd.to_datetime(frame["death_date"]) if "death_date" in frame else pd.Series(pd.NaT, index=frame.index)
    frame["alive_at_period_start"] = death.isna() | (death >= pd.Timestamp(period_start))
    if "head_person_id" in frame:
        frame["is_head"] = frame["person_id"] == frame["head_person_id"]
    return frame


def eligible_mask(program: Program, frame: pd.DataFrame) -> pd.Series:
    """True where the row meets every condition (alive at period start included)."""
    mask = pd.Series(True, index=frame.index)
    for condition in (ALIVE, *program.all_conditions):
        mask &= condition.mask(frame)
    return mask


def amount_for(program: Program, frame: pd.DataFrame) -> pd.Series:
    """The amount each row would get, rounded to the fen (eligibility not applied)."""
    return program.formula.amounts(frame).round(2)


ENTITLEMENT_COLUMNS = ["program", "person_id", "household_id", "payee_person_id", "quantity", "amount"]


def entitlements_of(programs: list[Program], frame: pd.DataFrame) -> pd.DataFrame:
    """Entitlements of the given programs over a prepared `beneficiary_frame`."""
    parts = []
    heads = frame[frame["is_head"]] if "is_head" in frame else frame.iloc[0:0]
    for prog in programs:
        rows = frame if prog.unit == "person" else heads
        amount = amount_for(prog, rows)
        keep = eligible_mask(prog, rows) & amount.gt(0)
        chosen = rows[keep]
        payee = chosen["person_id"] if prog.unit == "person" else chosen["head_person_id"]
        parts.append(pd.DataFrame({
            "program": prog.code,
            "person_id": chosen["person_id"].to_numpy(),
            "household_id": chosen["household_id"].to_numpy(),
            "payee_person_id": payee.to_numpy(),
            "quantity": prog.formula.quantity(chosen).to_numpy(dtype=float),
            "amount": amount[keep].to_numpy(dtype=float),
        }))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("quantity", "amount") else str)
                             for c in ENTITLEMENT_COLUMNS})
    # Catalogue order, then ids: a fixed order whatever the input order was.
    result = pd.concat(parts, ignore_index=True)
    order = {p.code: i for i, p in enumerate(programs)}
    result = result.sort_values(
        ["program", "household_id", "person_id"],
        key=lambda s: s.map(order) if s.name == "program" else s,
        kind="stable",
    )
    return result.reset_index(drop=True)[ENTITLEMENT_COLUMNS]


def entitlements(world: WorldLike, scenario: Scenario) -> pd.DataFrame:
    """The true entitlements of the scenario's period: one row per program and beneficiary.

    Columns: program, person_id, household_id, payee_person_id (the head for per-household
    programs), quantity (mu, household size or 1), amount (¥, rounded to the fen).
    """
    frame = beneficiary_frame(world.persons, world.households, scenario.calendar.period_start)
    return entitlements_of(catalogue(scenario), frame)


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
