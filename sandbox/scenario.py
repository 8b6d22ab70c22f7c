"""Scenario files: the pydantic schema and a loader whose errors a trainer can act on.

Every error names the file, the line, the field, what was found and what was expected,
in words a trainer who does not program can follow ("a number from 0 to 0.5", not
"Input should be less than or equal to 0.5"). A scenario may ``extends:`` another file
(path relative to itself) and override fields; mappings merge key by key, everything
else (numbers, text, lists) replaces.

``docs/authoring.md`` carries a field table generated from this schema
(``python -m sandbox.scenario --fields-markdown``); a test keeps the two in step.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import annotated_types
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from sandbox.errors import ScenarioError, ScenarioProblem

# Zhoukou's county-level units (GB/T 2260), as in force from 2019.
ZHOUKOU_COUNTIES: dict[str, str] = {
    "411602": "川汇区",
    "411603": "淮阳区",
    "411621": "扶沟县",
    "411622": "西华县",
    "411623": "商水县",
    "411624": "沈丘县",
    "411625": "郸城县",
    "411627": "太康县",
    "411628": "鹿邑县",
    "411681": "项城市",
}

# The subsidy programs a scenario may enable or override (catalogue: sandbox/programs.py).
PROGRAM_CODES: tuple[str, ...] = (
    "farmland_fertility",
    "grain_growers",
    "basic_pension",
    "old_age_allowance",
    "dibao",
    "tekun",
    "disabled_living",
    "severe_disability_care",
    "orphans",
    "family_planning",
    "ecological_forest",
)

# About three million people: more would not fit a training machine's memory or patience.
MAX_HOUSEHOLDS = 1_000_000
MAX_FILE_BYTES = 1_000_000
MAX_EXTENDS_DEPTH = 5
MAX_SEED = 999_999_999_999  # twelve digits: plenty, and short enough to read in a message
# Budget of YAML values after anchors/aliases are expanded (guards against alias bombs).
MAX_YAML_VALUES = 50_000
EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)

DATE_EXPECTED = "a date written YYYY-MM-DD, e.g. 2022-05-31"
SECTION_EXPECTED = "a section of indented `key: value` lines"


class _Problem(ValueError):
    """Raised inside validators to say exactly what was found and expected.

    ``at`` extends the error location below the validated field or model, so that
    an error about a list item or a sibling field points at that item's line.
    """

    def __init__(self, found: str, expected: str, at: tuple[str | int, ...] = ()) -> None:
        super().__init__(f"found {found}; expected {expected}")
        self.found = found
        self.expected = expected
        self.at = at


def _is_number_annotation(annotation: Any) -> bool:
    return annotation in (int, float) or set(typing.get_args(annotation)) in ({int, type(None)}, {float, type(None)})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_yes_no_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        # pydantic would read `true` as 1; for a rate or a count that is always a slip.
        if isinstance(value, bool) and info.field_name:
            field = cls.model_fields[info.field_name]
            if _is_number_annotation(field.annotation):
                raise _Problem(_describe(value), _expected_for_field(field))
        return value


Rate = Annotated[float, Field(ge=0.0, le=1.0)]
SmallRate = Annotated[float, Field(ge=0.0, le=0.5)]


class Text(Strict):
    zh: str = Field(min_length=1, max_length=200, description="Chinese text, shown to operators")
    en: str = Field(min_length=1, max_length=200, description="English text")


def _check_date_range(value: dt.date, field: str) -> None:
    if not (EARLIEST_DATE <= value <= LATEST_DATE):
        raise _Problem(_describe(value), f"a date from {EARLIEST_DATE} to {LATEST_DATE}", at=(field,))


class Calendar(Strict):
    """The scenario's own dates: nothing is ever computed from today's date."""

    as_of: dt.date = Field(description="the simulated 'today' when the exercise starts")
    period_start: dt.date = Field(description="first day of the payment period")
    period_end: dt.date = Field(description="last day of the payment period (at most 366 days after the start)")
    holidays: list[dt.date] = Field(
        default_factory=list, max_length=100, description="days the banks are closed besides weekends"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Calendar:
        for name in ("as_of", "period_start", "period_end"):
            _check_date_range(getattr(self, name), name)
        if self.period_end < self.period_start:
            raise _Problem(
                f"{self.period_end} (before period_start {self.period_start})",
                "a last day on or after period_start",
                at=("period_end",),
            )
        if (self.period_end - self.period_start).days > 366:
            raise _Problem(
                f"{self.period_end} ({(self.period_end - self.period_start).days} days after period_start)",
                "a payment period of at most a year (366 days)",
                at=("period_end",),
            )
        return self

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%Y-%m}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _county_choices() -> str:
    return ", ".join(f"{code} {name}" for code, name in ZHOUKOU_COUNTIES.items())


FULL_COUNTY_TOWNSHIPS = 20  # a Zhoukou county has about twenty townships (乡镇)


class Region(Strict):
    counties: list[str] = Field(
        min_length=1,
        max_length=10,
        description="Zhoukou counties to simulate, by code or name",
        json_schema_extra={"expected": "a list of 1 to 10 of Zhoukou's county codes or names, e.g. [商水县]"},
    )
    townships_per_county: int = Field(default=1, ge=1, le=40, description="townships (乡镇) per county")
    villages_per_township: int = Field(default=1, ge=1, le=60, description="villages (行政村) per township")
    households_per_village: int = Field(default=60, ge=5, le=2000, description="households (户) per village")
    people_per_village: int | None = Field(
        default=None, ge=10, le=10_000,
        description="people (人口) per village; when given, it sets households_per_village "
                    "(people ÷ population.mean_household_size)",
    )
    scale: Literal["township", "county", "city"] = Field(
        default="township",
        description="township: the sizes as listed; county: each listed county with all its townships "
                    f"({FULL_COUNTY_TOWNSHIPS}); city: all ten counties with all their townships",
    )

    @model_validator(mode="before")
    @classmethod
    def _scale_up(cls, data: Any) -> Any:
        """One parameter turns a township scenario into a county or the whole city."""
        if not isinstance(data, dict) or data.get("scale") not in {"county", "city"}:
            return data
        scaled = dict(data)
        scaled["townships_per_county"] = FULL_COUNTY_TOWNSHIPS
        if data["scale"] == "city":
            scaled["counties"] = list(ZHOUKOU_COUNTIES)
        return scaled

    @field_validator("counties", mode="before")
    @classmethod
    def _resolve(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        by_name = {name: code for code, name in ZHOUKOU_COUNTIES.items()}
        resolved: list[str] = []
        for index, item in enumerate(value):
            key = str(item).strip()
            code = key if key in ZHOUKOU_COUNTIES else by_name.get(key)
            if code is None:
                choices = list(ZHOUKOU_COUNTIES) + list(by_name)
                raise _Problem(
                    f"unknown county {_describe(item)}" + _did_you_mean(key, choices),
                    f"one of Zhoukou's counties ({_county_choices()})",
                    at=(index,),
                )
            if code in resolved:
                raise _Problem(
                    f"{_describe(item)} a second time ({code} {ZHOUKOU_COUNTIES[code]})",
                    "each county listed once",
                    at=(index,),
                )
            resolved.append(code)
        return resolved

    @model_validator(mode="after")
    def _not_too_big(self) -> Region:
        if self.household_count > MAX_HOUSEHOLDS:
            raise _Problem(
                f"{self.household_count:,} households ({_count(len(self.counties), 'county', 'counties')} × "
                f"{_count(self.townships_per_county, 'township', 'townships')} × "
                f"{_count(self.villages_per_township, 'village', 'villages')} × "
                f"{self.households_per_village} households)",
                f"at most {MAX_HOUSEHOLDS:,} households in all; lower one of these numbers",
            )
        return self

    @property
    def household_count(self) -> int:
        return (
            len(self.counties)
            * self.townships_per_county
            * self.villages_per_township
            * self.households_per_village
        )


class Population(Strict):
    """Demography of the simulated countryside."""

    mean_household_size: float = Field(default=3.2, ge=1.5, le=6.0, description="average people per household")
    elderly_share: Rate = Field(default=0.22, description="share of people aged 60 and over")
    migrant_share: Rate = Field(default=0.35, description="share of working-age people working away")
    dead_share: SmallRate = Field(default=0.01, description="share of registered people who died recently")
    death_registration_lag_days: int = Field(
        default=20, ge=0, le=365, description="days between a death and its registration"
    )
    disability_share: SmallRate = Field(default=0.06, description="share of people with a disability certificate")
    dibao_household_share: SmallRate = Field(default=0.06, description="share of households receiving 低保")
    tekun_share: SmallRate = Field(default=0.006, description="share of people in 特困 support")
    public_employee_share: SmallRate = Field(default=0.03, description="share of adults on the state payroll")
    cadres_per_village: int = Field(default=4, ge=1, le=20, description="village cadres (村干部) per village")
    vehicle_share: Rate = Field(default=0.18, description="share of households owning a vehicle")
    business_share: Rate = Field(default=0.06, description="share of households running a registered business")
    farmland_mu_per_person: float = Field(
        default=1.3, ge=0.0, le=20.0, description="contracted farmland per person, in 亩"
    )
    forest_household_share: Rate = Field(default=0.08, description="share of households holding forest plots")


CardStatus = Literal[
    "active", "not_activated", "pin_locked", "reported_lost", "frozen", "dormant", "closed"
]

MAX_CARD_PROBLEM_RATE = 0.5


class CardStatusRates(Strict):
    """Share of cards in each non-active status; the rest are active."""

    not_activated: SmallRate = Field(default=0.012, description="cards never activated (bank returns AG01)")
    pin_locked: SmallRate = Field(default=0.002, description="cards locked after wrong PINs")
    reported_lost: SmallRate = Field(default=0.002, description="cards reported lost, replaced by a new card")
    frozen: SmallRate = Field(default=0.001, description="cards frozen by a court or the bank")
    dormant: SmallRate = Field(default=0.003, description="long-unused (dormant) accounts")
    closed: SmallRate = Field(default=0.002, description="closed accounts (bank returns AC04)")

    @model_validator(mode="after")
    def _sum(self) -> CardStatusRates:
        total = sum(self.model_dump().values())
        if total > MAX_CARD_PROBLEM_RATE:
            raise _Problem(
                f"rates adding up to {total:.3g}",
                f"a total of at most {MAX_CARD_PROBLEM_RATE} — most cards are active",
            )
        return self


class Cards(Strict):
    social_security_card_share: Rate = Field(
        default=0.985, description="share of payees paid to a social security card (社保卡)"
    )
    status_rates: CardStatusRates = Field(default=CardStatusRates(), description="cards in trouble, by status")
    banks: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=lambda: ["中国农业银行", "中国邮政储蓄银行", "河南农信社"],
        min_length=1,
        max_length=8,
        description="the contracted paying banks",
        json_schema_extra={"expected": "a list of 1 to 8 bank names"},
    )
    bank_knows_death_rate: Rate = Field(
        default=0.5, description="share of deaths the bank has been told of (returns MD07)"
    )


Age = Annotated[int, Field(ge=0, le=120)]
Yuan = Annotated[float, Field(ge=0, le=100_000)]
# Names of the two parts of each tier, for messages ("tiers[2].amount").
TIER_PARTS = ("min_age", "amount")
TIER_PART_EXPECTED = ("a whole number of years from 0 to 120", "a number of yuan from 0 to 100000")


class ProgramOverride(Strict):
    enabled: bool = Field(default=True, description="false switches the program off")
    amount: float | None = Field(default=None, ge=0, le=100_000, description="fixed amount per payment, ¥")
    rate_per_mu: float | None = Field(default=None, ge=0, le=10_000, description="¥ per 亩 for area-based programs")
    standard: float | None = Field(
        default=None, ge=0, le=100_000, description="¥ per person per month (低保/特困 standard)"
    )
    tiers: list[tuple[Age, Yuan]] | None = Field(
        default=None,
        min_length=1,
        max_length=10,
        description="[[min_age, amount], ...] for age-tiered programs (高龄津贴)",
        json_schema_extra={"expected": "a list of [min_age, amount] pairs with rising ages, e.g. [[80, 50], [90, 100]]"},
    )

    @field_validator("tiers")
    @classmethod
    def _rising(cls, tiers: list[tuple[int, float]] | None) -> list[tuple[int, float]] | None:
        for index in range(1, len(tiers or [])):
            assert tiers is not None
            if tiers[index][0] <= tiers[index - 1][0]:
                raise _Problem(
                    f"min_age {tiers[index][0]} after min_age {tiers[index - 1][0]}",
                    "each tier's min_age higher than the one before",
                    at=(index, 0),
                )
        return tiers


def _check_program_code(code: Any, at: tuple[str | int, ...]) -> None:
    if code not in PROGRAM_CODES:
        raise _Problem(
            f"unknown program {_describe(code)}" + _did_you_mean(str(code), list(PROGRAM_CODES)),
            "one of the program codes: " + ", ".join(PROGRAM_CODES),
            at=at,
        )


class Programs(Strict):
    enabled: list[str] = Field(
        default_factory=list,
        max_length=len(PROGRAM_CODES),
        description="program codes to run; an empty list runs them all",
        json_schema_extra={"expected": "a list of program codes, e.g. [dibao, old_age_allowance]; [] = all"},
    )
    overrides: dict[str, ProgramOverride] = Field(
        default_factory=dict,
        description="per-program changes, keyed by program code",
        json_schema_extra={"expected": "a section keyed by program code, each with the keys below"},
    )

    @field_validator("enabled", mode="before")
    @classmethod
    def _known_enabled(cls, value: Any) -> Any:
        if isinstance(value, list):
            for index, code in enumerate(value):
                _check_program_code(code, at=(index,))
                if code in value[:index]:
                    raise _Problem(f"{_describe(code)} a second time", "each program listed once", at=(index,))
        return value

    @field_validator("overrides", mode="before")
    @classmethod
    def _known_overrides(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for code in value:
                _check_program_code(code, at=(code,))
        return value


MAX_PLANTED_RATE = 0.6


class Irregularities(Strict):
    """Share of roster entries carrying each planted irregularity."""

    data_entry_id: SmallRate = Field(default=0.01, description="ID number typed wrong")
    data_entry_name: SmallRate = Field(default=0.01, description="name typed with a wrong character (户名不符)")
    data_entry_card: SmallRate = Field(default=0.008, description="card number typed wrong")
    dead_payee: SmallRate = Field(default=0.01, description="payee died before the period (冒领)")
    public_employee: SmallRate = Field(default=0.008, description="payee on the state payroll (公职人员)")
    cadre_relative: SmallRate = Field(default=0.006, description="cadre's relative who is not eligible (优亲厚友)")
    duplicate: SmallRate = Field(default=0.008, description="same person twice (重复发放)")
    inflated_area: SmallRate = Field(default=0.01, description="claimed area above the contract (虚报面积)")
    over_standard: SmallRate = Field(default=0.008, description="amount above the standard (超标准)")
    ineligible: SmallRate = Field(default=0.008, description="does not meet the program's rule (资格不符)")
    proxy_account: SmallRate = Field(default=0.005, description="paid to someone else's card (代领)")
    messy_typing: Rate = Field(default=0.15, description="entries with harmless typing mess (spaces, full-width digits)")

    @model_validator(mode="after")
    def _sum(self) -> Irregularities:
        planted = sum(v for k, v in self.model_dump().items() if k != "messy_typing")
        if planted > MAX_PLANTED_RATE:
            raise _Problem(
                f"planted irregularity rates adding up to {planted:.3g}",
                f"a total of at most {MAX_PLANTED_RATE} (messy_typing not counted)",
            )
        return self


class Outage(Strict):
    day: int = Field(ge=0, le=60, description="business day after submission, 0 = first")
    start_hour: float = Field(ge=0, le=24, description="hour the outage starts, e.g. 10.5 = 10:30")
    hours: float = Field(gt=0, le=24, description="how long it lasts, in hours")


class Bank(Strict):
    """How the simulated banks process a payment request."""

    cutoff_hour: float = Field(default=16.0, ge=0, le=24, description="lines arriving later wait for the next day")
    late_is_tm01: bool = Field(default=False, description="return late lines TM01 instead of waiting")
    capacity_per_hour: int = Field(default=20_000, ge=1, le=10_000_000, description="lines a bank processes per hour")
    opening_hour: float = Field(default=9.0, ge=0, le=24, description="hour processing starts each business day")
    return_lag_days: int = Field(default=2, ge=0, le=30, description="business days before failed lines come back")
    outages: list[Outage] = Field(
        default_factory=list,
        max_length=50,
        description="planned bank outages",
        json_schema_extra={"expected": "a list of outages, each with day, start_hour and hours"},
    )
    branch_capacity_per_day: int = Field(
        default=20, ge=1, le=10_000, description="card problems a branch can fix per day"
    )
    branch_travel_days: int = Field(default=1, ge=0, le=30, description="days for a villager to reach the branch")

    @model_validator(mode="after")
    def _open_before_cutoff(self) -> Bank:
        if self.cutoff_hour <= self.opening_hour:
            raise _Problem(
                f"{_number(self.cutoff_hour)} (opening_hour is {_number(self.opening_hour)})",
                "a cut-off later than the opening hour",
                at=("cutoff_hour",),
            )
        return self


class Review(Strict):
    home_visit_capacity_per_day: int = Field(default=3, ge=1, le=1000, description="home visits (入户核查) a day")
    home_visit_days: int = Field(default=2, ge=0, le=30, description="simulated days before a visit reports back")
    posting_days: int = Field(default=7, ge=1, le=30, description="days of public posting (公示)")
    objection_rate_blatant: Rate = Field(default=0.6, description="chance villagers object to a blatant irregularity")
    objection_rate_subtle: Rate = Field(default=0.15, description="chance villagers object to a subtle one")
    objection_rate_false: Rate = Field(default=0.01, description="objections against correct entries")


class Scoring(Strict):
    money_let_through: float = Field(default=1.0, ge=0, le=100, description="points lost per ¥ paid improperly")
    money_stopped: float = Field(default=1.0, ge=0, le=100, description="points won per improper ¥ stopped")
    wrongful_denial: float = Field(default=2.0, ge=0, le=100, description="points lost per ¥ wrongly denied")
    vulnerable_multiplier: float = Field(
        default=2.0, ge=1, le=10, description="multiplier when the family harmed is 低保/特困/disabled"
    )
    home_visit_cost: float = Field(default=0.2, ge=0, le=100, description="points per home visit")
    privacy_violation: float = Field(default=20.0, ge=0, le=100, description="points per personal-data leak")


MAX_ID_CHARS_SHOWN = 12


class Masking(Strict):
    """How published tables mask personal data."""

    id_keep_start: int = Field(default=6, ge=0, le=10, description="ID characters shown at the start")
    id_keep_end: int = Field(default=4, ge=0, le=6, description="ID characters shown at the end")
    card_keep_end: int = Field(default=4, ge=0, le=6, description="card digits shown at the end")
    show_name: bool = Field(default=True, description="false masks names too (张*)")

    @model_validator(mode="after")
    def _not_full(self) -> Masking:
        shown = self.id_keep_start + self.id_keep_end
        if shown > MAX_ID_CHARS_SHOWN:
            raise _Problem(
                f"{shown} of the 18 ID characters shown (id_keep_start {self.id_keep_start} + id_keep_end {self.id_keep_end})",
                f"at most {MAX_ID_CHARS_SHOWN} shown, so the published ID stays masked",
                at=("id_keep_end",),
            )
        return self


class Scenario(Strict):
    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$",
        description="short identifier used in file names and the gradebook",
        json_schema_extra={
            "expected": "a short name of lowercase letters a-z, digits, - and _ (up to 64, e.g. zhoukou-2022)"
        },
    )
    title: Text = Field(description="title shown to trainees (zh and en)")
    description: Text | None = Field(default=None, description="a paragraph for trainees (zh and en)")
    seed: int = Field(ge=0, le=MAX_SEED, description="random seed: same seed, same world")
    calendar: Calendar = Field(description="dates of the exercise")
    region: Region = Field(description="which counties and how many villages")
    population: Population = Field(default=Population(), description="demography")
    cards: Cards = Field(default=Cards(), description="cards and banks")
    programs: Programs = Field(default=Programs(), description="which subsidy programs run, and their standards")
    irregularities: Irregularities = Field(default=Irregularities(), description="what review must catch")
    bank: Bank = Field(default=Bank(), description="bank behaviour during payout")
    review: Review = Field(default=Review(), description="home visits and public posting")
    scoring: Scoring = Field(default=Scoring(), description="weights of the trainee's score")
    masking: Masking = Field(default=Masking(), description="masking of published personal data")
    mode: Literal["practice", "exam"] = Field(
        default="practice", description="practice shows feedback at once; exam only at the end"
    )
    calibration: dict[str, float] = Field(
        default_factory=dict,
        max_length=50,
        description="target KPIs for `sandbox calibrate`",
        json_schema_extra={"expected": "a section of `kpi_name: number` lines"},
    )

    @model_validator(mode="before")
    @classmethod
    def _households_from_people(cls, data: Any) -> Any:
        """A trainer may size villages by people (it wins over an inherited household count);
        the world is built of households."""
        region = data.get("region") if isinstance(data, dict) else None
        if not isinstance(region, dict) or region.get("people_per_village") is None:
            return data
        people = region["people_per_village"]
        population = data.get("population") if isinstance(data.get("population"), dict) else {}
        size = population.get("mean_household_size", Population.model_fields["mean_household_size"].default)
        if isinstance(people, int) and not isinstance(people, bool) and isinstance(size, int | float) and size > 0:
            region = {**region, "households_per_village": max(5, round(people / size))}
            return {**data, "region": region}
        return data  # the field validators will name what is wrong

    def with_seed(self, seed: int | None) -> Scenario:
        if seed is None:
            return self
        field = Scenario.model_fields["seed"]
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            raise ScenarioError([ScenarioProblem("--seed", None, "seed", _describe(seed), _expected_for_field(field))])
        return self.model_copy(update={"seed": seed})


# --- reading YAML with line numbers ---------------------------------------------------------


class _LinedDict(dict):
    """A mapping that remembers the line of each key and the file each key came from."""

    def __init__(self, data: dict, key_lines: dict[Any, int], line: int | None) -> None:
        super().__init__(data)
        self.key_lines = key_lines
        self.line = line
        self.sources: dict[Any, str] = {}


class _LinedList(list):
    def __init__(self, data: list, item_lines: list[int]) -> None:
        super().__init__(data)
        self.item_lines = item_lines


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping key and list item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LinedDict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:
            continue  # an unhashable key: PyYAML reports it below with its position
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"found the key {key!r} twice (first on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    lines = {loader.construct_object(k): k.start_mark.line + 1 for k, _ in node.value}
    return _LinedDict(mapping, lines, node.start_mark.line + 1)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LinedList:
    return _LinedList(loader.construct_sequence(node, deep=True), [n.start_mark.line + 1 for n in node.value])


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML raises a bare ValueError for 2022-13-01; keep the text so the schema reports it.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    # "old_age" for "old_age_allowance": a cut-short name is as likely as a typo
    close = close or [c for c in choices if len(word) >= 3 and c.startswith(word)][:1]
    return f" — did you mean {close[0]!r}?" if close else ""


def _file_problem(path: Path, found: str, expected: str, line: int | None = None) -> ScenarioError:
    return ScenarioError([ScenarioProblem(str(path), line, "", found, expected)])


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise _file_problem(path, "a folder", "a scenario YAML file (give the file inside the folder)")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _file_problem(path, f"a file of {size:,} bytes", f"a scenario file under {MAX_FILE_BYTES:,} bytes")
        return path.read_bytes()
    except FileNotFoundError:
        raise _file_problem(path, "no such file", "the path of a scenario YAML file") from None
    except PermissionError:
        raise _file_problem(path, "a file you may not read", "a readable scenario YAML file") from None
    except OSError as exc:
        raise _file_problem(path, f"a file that cannot be read ({exc.strerror})", "a scenario YAML file") from None


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 only: one encoding keeps shared scenario files readable everywhere.

    GBK files (Windows Notepad's "ANSI" on a Chinese system) are refused with the way
    to convert them, rather than guessed at: a wrong guess would silently garble names.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _file_problem(path, "UTF-16 text (Notepad's 'Unicode')", "UTF-8 text: save the file again choosing UTF-8")
    if b"\x00" in raw[:8192]:
        raise _file_problem(path, "a binary file, not text", "a scenario YAML text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            looks_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in raw.decode("gb18030"))
        except UnicodeDecodeError:
            looks_chinese = False
        if not looks_chinese:
            raise _file_problem(path, "bytes that are not UTF-8 text", "a UTF-8 YAML text file", line) from None
        raise _file_problem(
            path,
            "text saved in the GBK (GB18030) encoding",
            "UTF-8 text: in Notepad choose 另存为 → 编码 UTF-8, or run "
            f"`iconv -f GB18030 -t UTF-8 {path} > fixed.yaml`",
            line,
        ) from None


YAML_HINTS = (
    ("'\\t'", "a tab character where YAML expects spaces", "indentation with spaces, never tabs"),
    ("mapping values are not allowed", "a ':' YAML did not expect",
     "`key: value` with a space after the colon; put text containing ': ' in quotes"),
    ("could not find expected ':'", "a line that is not `key: value`", "a ':' after each key"),
    ("expected ',' or ']'", "a list [a, b] that is not closed", "a ']' at the end of the list"),
    ("expected ',' or '}'", "a section {a: 1} that is not closed", "a '}' at the end"),
    ("unacceptable character", "a control character", "plain text"),
)


def _yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, str, str]:
    """Line, found and expected for a YAML error, with a hint for the usual slips."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = str(getattr(exc, "problem", None) or exc)
    if problem.startswith("found the key"):
        return line, problem.removeprefix("found "), "each key once in its section"
    for clue, found, expected in YAML_HINTS:
        if clue in problem:
            return line, found, f"valid YAML: {expected}"
    return line, f"a YAML syntax error ({problem})", "valid YAML"


def _count_values(data: Any, budget: int) -> int:
    """Count values, following aliases, but stop once past the budget."""
    count = 1
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    for child in children:
        count += _count_values(child, budget - count)
        if count > budget:
            break
    return count


def _read_yaml(path: Path) -> _LinedDict:
    text = _decode(path, _read_bytes(path))
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        line, found, expected = _yaml_problem(exc)
        raise _file_problem(path, found, expected, line) from None
    except RecursionError:
        raise _file_problem(path, "structures nested too deeply", "a scenario YAML file") from None
    if data is None:
        raise _file_problem(path, "an empty file", "scenario fields such as name, title, seed, calendar, region")
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else f"a single value {_describe(data)}"
        raise _file_problem(path, f"{found} at the top level", "a mapping of scenario fields (`name: ...` lines)", 1)
    try:
        too_big = _count_values(data, MAX_YAML_VALUES) > MAX_YAML_VALUES
    except RecursionError:  # an alias inside itself: `a: &a [*a]`
        too_big = True
    if too_big:
        raise _file_problem(path, f"more than {MAX_YAML_VALUES:,} values (YAML aliases?)", "a small scenario file")
    return data


# --- extends: merging a scenario onto its parent --------------------------------------------


def _merge(base: Any, override: Any) -> Any:
    """Mappings merge key by key (remembering each key's line and file); all else replaces."""
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return override
    merged = _LinedDict(dict(base), {}, getattr(override, "line", None))
    merged.key_lines = {**getattr(base, "key_lines", {}), **getattr(override, "key_lines", {})}
    merged.sources = {**getattr(base, "sources", {}), **getattr(override, "sources", {})}
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if key in base else value
    return merged


def _adopt(data: Any, source: str) -> Any:
    """Make plain dicts/lists carry line (unknown) and source tags, like loaded YAML."""
    if isinstance(data, dict):
        lined = data if isinstance(data, _LinedDict) else _LinedDict(
            {k: _adopt(v, source) for k, v in data.items()}, {}, None
        )
        lined.sources = {key: source for key in lined}
        if lined is data:
            for value in lined.values():
                _adopt(value, source)
        return lined
    if isinstance(data, list):
        if isinstance(data, _LinedList):
            for value in data:
                _adopt(value, source)
            return data
        return [_adopt(v, source) for v in data]
    return data


def _display(path: Path) -> Path:
    return Path(os.path.normpath(path))


def _with_parent(data: _LinedDict, source: str, base_dir: Path, chain: tuple[Path, ...]) -> _LinedDict:
    """Pop ``extends`` from a scenario mapping and merge it onto the file it names."""
    parent = data.pop("extends", None)
    if parent is None:
        return data
    line = data.key_lines.get("extends")

    def refuse(found: str, expected: str) -> ScenarioError:
        return ScenarioError([ScenarioProblem(source, line, "extends", found, expected)])

    if not isinstance(parent, str) or not parent.strip():
        raise refuse(_describe(parent), "the path of another scenario file, relative to this one")
    parent_path = _display(base_dir / parent.strip())
    if not parent_path.is_file():
        what = "a folder" if parent_path.is_dir() else "no such file"
        raise refuse(f"{parent!r} ({what}: {parent_path})", "the path of another scenario file, relative to this one")
    resolved = parent_path.resolve()
    if resolved in chain:
        loop = " → ".join(p.name for p in (*chain[chain.index(resolved):], resolved))
        raise refuse(f"a circle of extends ({loop})", "a chain of extends that ends in a file without extends")
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise refuse(f"more than {MAX_EXTENDS_DEPTH} levels of extends", "a shorter chain of extends")
    return _merge(_load_raw(parent_path, chain), data)


def _load_raw(path: Path, chain: tuple[Path, ...] = ()) -> _LinedDict:
    data = _adopt(_read_yaml(path), str(path))
    return _with_parent(data, str(path), path.parent, (*chain, path.resolve()))


# --- turning pydantic errors into a trainer's words ----------------------------------------


def _unwrap_optional(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def _model_of(annotation: Any) -> type[BaseModel] | None:
    annotation = _unwrap_optional(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _walk(loc: tuple) -> tuple[Any, FieldInfo | None]:
    """The annotation at ``loc`` and, if its last part names a model field, that field."""
    annotation: Any = Scenario
    field: FieldInfo | None = None
    for part in loc:
        model = _model_of(annotation)
        if model is not None and isinstance(part, str) and part in model.model_fields:
            field = model.model_fields[part]
            annotation = field.annotation
            continue
        origin = typing.get_origin(_unwrap_optional(annotation))
        args = typing.get_args(_unwrap_optional(annotation))
        if origin is list and args:
            annotation = args[0]
        elif origin is dict and len(args) == 2:
            annotation = args[1]
        else:
            return None, None
        field = None
    return annotation, field


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _bounds(field: FieldInfo) -> str:
    lo = hi = lo_open = None
    for meta in field.metadata:
        if isinstance(meta, annotated_types.Ge):
            lo = meta.ge
        elif isinstance(meta, annotated_types.Gt):
            lo_open = meta.gt
        elif isinstance(meta, annotated_types.Le):
            hi = meta.le
    if lo is not None and hi is not None:
        return f" from {_number(lo)} to {_number(hi)}"
    if lo_open is not None and hi is not None:
        return f" above {_number(lo_open)} and at most {_number(hi)}"
    if lo is not None:
        return f" of at least {_number(lo)}"
    return f" of at most {_number(hi)}" if hi is not None else ""


def _length(field: FieldInfo) -> tuple[int | None, int | None]:
    lo = next((m.min_length for m in field.metadata if isinstance(m, annotated_types.MinLen)), None)
    hi = next((m.max_length for m in field.metadata if isinstance(m, annotated_types.MaxLen)), None)
    return lo, hi


def _expected_for_field(field: FieldInfo) -> str:
    """What a field accepts, in words; used in error messages and in docs/authoring.md."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and "expected" in extra:
        return str(extra["expected"])
    annotation = _unwrap_optional(field.annotation)
    optional = " (or leave it out)" if annotation is not field.annotation else ""
    lo, hi = _length(field)
    if annotation is bool:
        text = "true or false"
    elif annotation is int:
        text = "a whole number" + _bounds(field)
    elif annotation is float:
        text = "a number" + _bounds(field)
    elif annotation is dt.date:
        text = DATE_EXPECTED
    elif annotation is str:
        text = f"text of {lo or 0} to {hi} characters" if hi else "text"
    elif typing.get_origin(annotation) is Literal:
        text = "one of: " + ", ".join(map(str, typing.get_args(annotation)))
    elif typing.get_origin(annotation) is list and typing.get_args(annotation) == (dt.date,):
        text = f"a list of dates YYYY-MM-DD (at most {hi}), e.g. [2022-06-03]"
    elif (model := _model_of(annotation)) is not None:
        text = _section_expected(model)
    else:
        text = str(annotation)
    return text + optional


def _section_expected(model: type[BaseModel]) -> str:
    keys = list(model.model_fields)
    shown = ", ".join(keys[:4]) + (", ..." if len(keys) > 4 else "")
    return f"a section of indented lines with keys {shown}"


GENERIC_EXPECTED = {
    "finite": "an ordinary number (not .inf or .nan)",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": DATE_EXPECTED,
    "string": "text",
    "list": "a list, e.g. [a, b]",
    "tuple": "a pair [min_age, amount]",
    "dict": SECTION_EXPECTED,
    "model": SECTION_EXPECTED,
}


def _expected_from_error(err: dict, loc: tuple, field: FieldInfo | None) -> str:
    kind: str = err["type"]
    ctx = err.get("ctx") or {}
    if field is not None and loc and isinstance(loc[-1], str):
        return _expected_for_field(field)
    if (model := _model_of(_walk(loc)[0])) is not None:  # e.g. one item of bank.outages
        return _section_expected(model)
    if len(loc) >= 2 and loc[-3:-2] == ("tiers",) and isinstance(loc[-1], int) and loc[-1] < 2:
        return TIER_PART_EXPECTED[loc[-1]]
    if kind == "less_than_equal":
        return f"a number of at most {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"a number of at least {ctx.get('ge')}"
    if kind == "greater_than":
        return f"a number above {ctx.get('gt')}"
    if kind in ("too_short", "too_long"):
        return f"{ctx.get('min_length', 0)} to {ctx.get('max_length', 'any number of')} items"
    for prefix, text in GENERIC_EXPECTED.items():
        if kind.startswith(prefix):
            return text
    return err["msg"]


def _describe(value: Any) -> str:
    """A found value as the trainer wrote it (YAML spelling, short)."""
    if value is None:
        return "nothing (the key has no value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = f"'{value}'"
    elif isinstance(value, dict):
        text = "a section with keys " + ", ".join(map(str, value)) if value else "an empty section {}"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(_describe(v) for v in value) + "]"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _field_path(loc: tuple) -> str:
    """Dotted field path; list items count from 1 as a trainer counts, tier parts by name."""
    out = ""
    for index, part in enumerate(loc):
        if isinstance(part, int):
            if index >= 2 and loc[index - 2] == "tiers" and part < len(TIER_PARTS):
                out += f".{TIER_PARTS[part]}"
            else:
                out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _locate(data: Any, loc: tuple, default_file: str) -> tuple[str, int | None]:
    """Follow an error location through the lined YAML to a file and line."""
    file, line = default_file, getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = getattr(node, "key_lines", {}).get(part, line)
            file = getattr(node, "sources", {}).get(part, file)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            lines = getattr(node, "item_lines", [])
            line = lines[part] if part < len(lines) else line
            node = node[part]
        else:
            break
    return file, line


def _value_at(data: Any, loc: tuple) -> Any:
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def _unknown_key(loc: tuple) -> tuple[str, str]:
    model = _model_of(_walk(loc[:-1])[0])
    key = str(loc[-1])
    choices = list(model.model_fields) if model else []
    hint = _did_you_mean(key, choices)
    if not hint:
        home = next((p.rsplit(".", 1)[0] for p, _ in _field_paths(Scenario, "") if p.rsplit(".", 1)[-1] == key), None)
        hint = f" — it belongs under '{home}:'" if home and "." not in key else ""
    section = _field_path(loc[:-1]) or "the top level"
    return f"unknown key {key!r}{hint}", f"one of the keys of {section}: " + ", ".join(choices)


def _problem(err: dict, data: dict, source: str) -> ScenarioProblem:
    if err["type"] == "invalid_key" or "[key]" in err["loc"]:  # YAML read `1:` or `yes:` as a key
        loc = tuple(p for p in err["loc"] if p != "[key]")
        file, line = _locate(data, loc, source)
        return ScenarioProblem(file, line, _field_path(loc[:-1]), f"the key {_describe(loc[-1])}",
                               "keys written as words (put a number or yes/no key in quotes)")
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-"))))
    custom = (err.get("ctx") or {}).get("error")
    if isinstance(custom, _Problem):
        loc = loc + custom.at
    file, line = _locate(data, loc, source)
    path = _field_path(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        found, expected = _unknown_key(loc)
    elif isinstance(custom, _Problem):
        found, expected = custom.found, custom.expected
    elif kind == "missing" and isinstance(loc[-1], int):
        # only a tier pair has positional parts
        found, expected = _describe(_value_at(data, loc[:-1])), GENERIC_EXPECTED["tuple"]
        path = _field_path(loc[:-1])
    elif kind == "missing":
        _, field = _walk(loc)
        what = f": {_expected_for_field(field)}" if field is not None else ""
        found, expected = f"no {loc[-1]!s}", f"a value for {loc[-1]!s}, which is required{what}"
    else:
        found = _describe(_value_at(data, loc) if _value_at(data, loc) is not None else err.get("input"))
        expected = _expected_from_error(err, loc, _walk(loc)[1])
        if kind == "literal_error" and isinstance(err.get("input"), str):
            choices = [str(c).strip("'") for c in str((err.get("ctx") or {}).get("expected", "")).split(" or ")]
            found += _did_you_mean(err["input"], [c for part in choices for c in part.split(", ")])
    return ScenarioProblem(file, line, path, found, expected)


def _problems(exc: ValidationError, data: dict, source: str) -> list[ScenarioProblem]:
    problems = [_problem(err, data, source) for err in exc.errors()]
    unique = list(dict.fromkeys(problems))  # a union can report one slip twice
    return sorted(unique, key=lambda p: (p.file != source, p.file, p.line or 0))


def _catalogue_problems(scenario: Scenario, data: dict, source: str) -> list[ScenarioProblem]:
    """Overrides that do not fit a program's amount rule (e.g. `amount` for a per-亩 program).

    Which key fits which program is a fact of the catalogue (sandbox/programs.py), so it is
    asked there; the problems it returns are given the file and line of the override.
    """
    try:
        from sandbox.programs import check_programs
    except ImportError:  # a checkout without the catalogue still loads scenarios
        return []
    located = []
    for problem in check_programs(scenario, file=source):
        loc: tuple = tuple(problem.field.split(".")) if problem.field else ()
        given = _value_at(data, loc)
        key = next((k for k in given if f"`{k}`" in problem.found), None) if isinstance(given, dict) else None
        loc = (*loc, key) if key else loc
        file, line = _locate(data, loc, source)
        located.append(ScenarioProblem(file, line, _field_path(loc), problem.found, problem.expected))
    return located


def _validate(data: _LinedDict, source: str) -> Scenario:
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems(exc, data, source)) from None
    problems = _catalogue_problems(scenario, data, source)
    if problems:
        raise ScenarioError(problems)
    return scenario


# --- public entry points --------------------------------------------------------------------


def load_scenario(path: str | Path, seed: int | None = None) -> Scenario:
    """Load and validate a scenario file; raise ScenarioError naming file, line and field."""
    path = Path(path)
    return _validate(_load_raw(path), str(path)).with_seed(seed)


def scenario_from_dict(data: dict, source: str = "<dict>") -> Scenario:
    """Validate a scenario given as a dict (notebooks, tests), with the same error messages.

    ``extends`` is resolved relative to the folder of ``source`` when it names a file,
    else relative to the current folder. The caller's dict is not changed.
    """
    if not isinstance(data, dict):
        raise ScenarioError([ScenarioProblem(source, None, "", _describe(data), "a dict of scenario fields")])
    try:
        lined = _adopt(copy.deepcopy(data), source)
    except RecursionError:
        raise ScenarioError([ScenarioProblem(source, None, "", "a dict that contains itself", "plain nested data")]) from None
    base_dir = Path(source).parent if not source.startswith("<") else Path.cwd()
    chain = (Path(source).resolve(),) if not source.startswith("<") else ()
    return _validate(_with_parent(lined, source, base_dir, chain), source)


# --- the field reference in docs/authoring.md -------------------------------------------------


@dataclass(frozen=True)
class FieldDoc:
    path: str
    expected: str
    default: str
    meaning: str


def _default_text(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    value = field.default_factory() if field.default_factory is not None else field.default  # type: ignore[call-arg]
    if value is PydanticUndefined or isinstance(value, BaseModel):
        return ""
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dict):
        return "{}" if not value else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _field_paths(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, FieldInfo]]:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path, field
        annotation = _unwrap_optional(field.annotation)
        args = typing.get_args(annotation)
        nested = _model_of(annotation)
        if nested is not None:
            yield from _field_paths(nested, path + ".")
        elif typing.get_origin(annotation) is list and args and _model_of(args[0]):
            yield from _field_paths(_model_of(args[0]), path + "[].")  # type: ignore[arg-type]
        elif typing.get_origin(annotation) is dict and len(args) == 2 and _model_of(args[1]):
            yield from _field_paths(_model_of(args[1]), path + ".<program>.")  # type: ignore[arg-type]


def schema_fields() -> list[FieldDoc]:
    """Every field a scenario may set, with what it accepts, its default and meaning."""
    return [
        FieldDoc(path, _expected_for_field(field), _default_text(field), field.description or "")
        for path, field in _field_paths(Scenario, "")
    ]


FIELDS_START = "<!-- fields:start (generated by `python -m sandbox.scenario --fields-markdown`) -->"
FIELDS_END = "<!-- fields:end -->"


def fields_markdown() -> str:
    """The field table of docs/authoring.md, between its start and end markers."""
    rows = [FIELDS_START, "", "| field | expected | default | meaning |", "|---|---|---|---|"]
    for doc in schema_fields():
        cells = (f"`{doc.path}`", doc.expected, doc.default, doc.meaning)
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join([*rows, "", FIELDS_END])


if __name__ == "__main__":
    if sys.argv[1:] == ["--fields-markdown"]:
        print(fields_markdown())
    else:
        print("usage: python -m sandbox.scenario --fields-markdown", file=sys.stderr)
        raise SystemExit(2)
