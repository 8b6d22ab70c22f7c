"""Eligibility conditions and amount formulas: the vocabulary the catalogue is written in.

Nothing here evaluates text. A condition is `Condition(field, op, value)` over the person
and household columns of docs/architecture.md; an amount is one of a few tagged formula
types. Both apply to whole frames with boolean masks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from sandbox.errors import SandboxError

Lang = Literal["zh", "en"]
Unit = Literal["person", "household"]
Frequency = Literal["monthly", "yearly", "one_off"]
Operator = Literal[">=", ">", "<=", "<", "==", "!=", "in", "true", "false"]

OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<", "==", "!=", "in", "true", "false")

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


# --- conditions ----------------------------------------------------------------------------


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
