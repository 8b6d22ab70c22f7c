"""The scenario schema: every section a trainer may write, its bounds and defaults.

The words of each field (`description`) are the docs: docs/authoring.md is generated from them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    create_model,
    field_validator,
    model_validator,
)

from sandbox.common.regions import ZHOUKOU_COUNTIES  # the city, as data
from sandbox.errors import ScenarioError, ScenarioProblem
from sandbox.irregularities import FAULTS
from sandbox.programs.catalogue import PROGRAM_CODES  # the catalogue's codes, defined once
from sandbox.scenario.base_models import Rate, SmallRate, Strict, Text, county_choices
from sandbox.scenario.city_section import CityRun
from sandbox.scenario.words import (
    FieldProblem,
    describe,
    did_you_mean,
    expected_for_field,
    number_text,
)

# About three million people: more would not fit a training machine's memory or patience.
MAX_HOUSEHOLDS = 1_000_000
MAX_FILE_BYTES = 1_000_000
MAX_EXTENDS_DEPTH = 5
MAX_SEED = 999_999_999_999  # twelve digits: plenty, and short enough to read in a message
# Budget of YAML values after anchors/aliases are expanded (guards against alias bombs).
MAX_YAML_VALUES = 50_000
EARLIEST_DATE = dt.date(1990, 1, 1)
SATURDAY = 5  # date.weekday()
LATEST_DATE = dt.date(2100, 12, 31)


def _check_date_range(value: dt.date, field: str) -> None:
    if not (EARLIEST_DATE <= value <= LATEST_DATE):
        raise FieldProblem(describe(value), f"a date from {EARLIEST_DATE} to {LATEST_DATE}", at=(field,))


class Calendar(Strict):
    """The scenario's own dates: nothing is ever computed from today's date."""

    as_of: dt.date = Field(description="the simulated 'today' when the exercise starts")
    period_start: dt.date = Field(description="first day of the payment period")
    period_end: dt.date = Field(description="last day of the payment period (at most 366 days after the start)")
    holidays: list[dt.date] = Field(
        default_factory=list, max_length=100, description="days the banks are closed besides weekends"
    )
    workdays: list[dt.date] = Field(
        default_factory=list, max_length=50,
        description="weekend days worked instead of a holiday (调休): the banks and offices are open",
        json_schema_extra={"expected": "a list of weekend dates YYYY-MM-DD (at most 50), e.g. [2022-01-29]"},
    )
    payment_deadline_workdays: int = Field(
        default=10, ge=1, le=60,
        description="发放时限: money must reach the card by this working day after the period ends "
                    "(10 = the tenth working day); home visits and 公示 take days out of that window",
    )

    @field_validator("workdays")
    @classmethod
    def _weekend_workdays(cls, workdays: list[dt.date]) -> list[dt.date]:
        for index, day in enumerate(workdays):
            if day.weekday() < SATURDAY:
                raise FieldProblem(
                    f"{day} (a {day:%A}, a working day anyway)",
                    "a Saturday or Sunday worked instead of a holiday (调休)",
                    at=(index,),
                )
        return workdays

    @model_validator(mode="after")
    def _ordered(self) -> Calendar:
        for name in ("as_of", "period_start", "period_end"):
            _check_date_range(getattr(self, name), name)
        for index, day in enumerate(self.workdays):
            if day in self.holidays:
                raise FieldProblem(
                    f"{day}, which is also listed in holidays",
                    "a day that is either a holiday or a working day, not both",
                    at=("workdays", index),
                )
        if self.period_end < self.period_start:
            raise FieldProblem(
                f"{self.period_end} (before period_start {self.period_start})",
                "a last day on or after period_start",
                at=("period_end",),
            )
        if (self.period_end - self.period_start).days > 366:
            raise FieldProblem(
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
                    f"({FULL_COUNTY_TOWNSHIPS}); city: the whole city at its 2020 census size (9,026,015 people), "
                    "generated and paid county by county (`sandbox calibrate … --scale city`, notebook 07)",
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
                raise FieldProblem(
                    f"unknown county {describe(item)}" + did_you_mean(key, choices),
                    f"one of Zhoukou's counties ({county_choices()})",
                    at=(index,),
                )
            if code in resolved:
                raise FieldProblem(
                    f"{describe(item)} a second time ({code} {ZHOUKOU_COUNTIES[code]})",
                    "each county listed once",
                    at=(index,),
                )
            resolved.append(code)
        return resolved

    @model_validator(mode="after")
    def _not_too_big(self) -> Region:
        if self.household_count > MAX_HOUSEHOLDS:
            raise FieldProblem(
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

    mean_household_size: float = Field(
        default=2.86, ge=1.5, le=6.0,
        description="average people per household (2020 census, Henan: 2.86; docs/calibration.md)")
    elderly_share: Rate = Field(
        default=0.20,
        description="share of people aged 60 and over (2020 census: Henan 18.08 %, its rural counties older)")
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
    # Grey material (issue 11): entitled people who look irregular. The defaults are realistic
    # guesses (docs/calibration.md); a teaching scenario may raise them.
    late_registration_share: Rate = Field(
        default=0.35, description="share of deaths before the period that reach the death register only after today "
        "(they show first in cremation or 医保 records)")
    renamed_share: Rate = Field(
        default=0.1, description="share of people 30+ whose 户籍 name changed (曾用名) while card and rosters keep the "
        "old one; older people likelier")
    retired_staff_share: Rate = Field(
        default=0.06, description="share of people 60+ who are retired public staff (off the payroll, on a staff pension)")
    farm_vehicle_dibao_share: Rate = Field(
        default=0.5, description="share of 低保 households owning a farm vehicle (三轮汽车/低速货车)")
    rented_in_share: Rate = Field(
        default=0.3, description="share of grain-growing households renting land in (土地流转)")


MAX_CARD_PROBLEM_RATE = 0.5


class CardStatusRates(Strict):
    """Share of cards in each non-active status; the rest are active.

    One field per status of sandbox.common.cards.PROBLEM_STATUSES, in its order (the
    statuses are defined there, once; a test holds these fields to them).
    """

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
            raise FieldProblem(
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
                raise FieldProblem(
                    f"min_age {tiers[index][0]} after min_age {tiers[index - 1][0]}",
                    "each tier's min_age higher than the one before",
                    at=(index, 0),
                )
        return tiers


def _check_program_code(code: Any, at: tuple[str | int, ...]) -> None:
    if code not in PROGRAM_CODES:
        raise FieldProblem(
            f"unknown program {describe(code)}" + did_you_mean(str(code), list(PROGRAM_CODES)),
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
                    raise FieldProblem(f"{describe(code)} a second time", "each program listed once", at=(index,))
        return value

    @field_validator("overrides", mode="before")
    @classmethod
    def _known_overrides(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for code in value:
                _check_program_code(code, at=(code,))
        return value


MAX_PLANTED_RATE = 0.6


class _IrregularityRates(Strict):
    """Share of roster entries carrying each planted irregularity."""

    @model_validator(mode="after")
    def _sum(self) -> _IrregularityRates:
        planted = sum(v for k, v in self.model_dump().items() if k != "messy_typing")
        if planted > MAX_PLANTED_RATE:
            raise FieldProblem(
                f"planted irregularity rates adding up to {planted:.3g}",
                f"a total of at most {MAX_PLANTED_RATE} (messy_typing not counted)",
            )
        return self


def _irregularity_fields() -> dict[str, Any]:
    """One rate per registered irregularity type, as its module declares it, then messy_typing."""
    fields: dict[str, Any] = {
        kind.code: (Annotated[float, Field(ge=0.0, le=kind.rate.maximum)],
                    Field(default=kind.rate.default, description=kind.rate.description))
        for kind in FAULTS.values()
    }
    fields["messy_typing"] = (Rate, Field(
        default=0.15, description="entries with harmless typing mess (spaces, full-width digits)"))
    return fields


# Built from the registry of irregularity types: a new type brings its own rate field.
Irregularities = create_model(
    "Irregularities", __base__=_IrregularityRates, __module__=__name__,
    __doc__=_IrregularityRates.__doc__, **_irregularity_fields(),
)


ShareOfRows = Annotated[float, Field(ge=0.0, le=0.3)]
# Which defect each registry can have (and so which fields a trainer may set on it).
DEFECT_REGISTRIES = (
    "residents", "deaths", "payroll", "cadres", "cadre_relatives", "vehicles", "businesses",
    "land_contracts", "disability", "dibao", "card_status",
)
DEFECT_KINDS_ALLOWED = {
    "lag_days": ("deaths", "vehicles", "businesses"),  # rows carry the date they were registered
    "stale_share": ("residents", "payroll", "cadres", "vehicles", "businesses", "dibao"),
    "conflict_share": ("residents", "deaths", "disability"),
}


class RegistryDefect(Strict):
    """Defects of one registry; every field is off (0) unless the scenario sets it."""

    lag_days: int = Field(
        default=0, ge=0, le=365,
        description="days before a change reaches the registry (deaths, vehicles, businesses): rows "
                    "registered in the last lag_days are not listed yet; the dates shown stay real")
    missing_share: ShareOfRows = Field(
        default=0.0, description="share of true rows absent from the registry (any registry)")
    stale_share: ShareOfRows = Field(
        default=0.0,
        description="rows still listed that should be gone, as a share of the registry's rows: a dead "
                    "person in residents, staff who left still on payroll, a former cadre, a scrapped "
                    "vehicle, a closed business, a stopped 低保 household (residents, payroll, cadres, "
                    "vehicles, businesses, dibao); they make entitled claimants look irregular")
    conflict_share: ShareOfRows = Field(
        default=0.0,
        description="rows contradicting another record, as a share of the registry's rows: a residents "
                    "birth date that differs from the ID number's; a death listed for a person alive in "
                    "residents; a second disability grade (民政 vs 残联 certificate). Only a home visit "
                    "settles them (residents, deaths, disability)")


class _RegistryDefectsBase(Strict):
    """Defects per registry (registries: {deaths: {lag_days: 30}, …}); a registry left out is perfect."""

    @model_validator(mode="after")
    def _kinds_fit(self) -> _RegistryDefectsBase:
        for name in DEFECT_REGISTRIES:
            defect = getattr(self, name)
            for kind, allowed in DEFECT_KINDS_ALLOWED.items():
                if getattr(defect, kind) and name not in allowed:
                    kinds = ["missing_share", *(k for k, a in DEFECT_KINDS_ALLOWED.items() if name in a)]
                    raise FieldProblem(
                        f"{kind} on registry {name!r}",
                        f"{kind} only on the registries {', '.join(allowed)}; {name} allows {', '.join(kinds)}",
                        at=(name, kind),
                    )
        return self

    def any(self) -> bool:
        """Whether any registry has a defect (a perfect scenario skips the work)."""
        return any(any(getattr(self, name).model_dump().values()) for name in DEFECT_REGISTRIES)


# One field per registry: an unknown registry name is an unknown key, answered with the known ones.
RegistryDefects = create_model(
    "RegistryDefects", __base__=_RegistryDefectsBase, __module__=__name__, __doc__=_RegistryDefectsBase.__doc__,
    **{name: (RegistryDefect, Field(default=RegistryDefect(), description=f"defects of the {name} registry"))
       for name in DEFECT_REGISTRIES},
)


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
            raise FieldProblem(
                f"{number_text(self.cutoff_hour)} (opening_hour is {number_text(self.opening_hour)})",
                "a cut-off later than the opening hour",
                at=("cutoff_hour",),
            )
        return self


class Review(Strict):
    home_visit_capacity_per_day: int = Field(default=3, ge=1, le=1000, description="home visits (入户核查) a day")
    home_visit_days: int = Field(default=2, ge=0, le=30, description="simulated days before a visit reports back")
    posting_days: int = Field(default=7, ge=1, le=30, description="days of public posting (公示)")
    objection_rate_blatant: Rate = Field(default=0.35, description="chance villagers object to a blatant irregularity")
    objection_rate_subtle: Rate = Field(default=0.1, description="chance villagers object to a subtle one")
    objection_rate_false: Rate = Field(default=0.01, description="objections against correct entries")
    objection_specific_share: Rate = Field(
        default=0.6, description="chance an objection names a concrete claim (a death, a car, a relative…) rather "
                                 "than generic words; the same for real and false objections, so the wording "
                                 "says nothing about the truth")
    visit_inconclusive_rate: Rate = Field(
        default=0.0, description="chance a home visit finds nobody home or cannot verify (家中无人/无法核实); "
                                 "the entry may be referred again, at the cost of another visit's days")
    omitted_share: SmallRate = Field(
        default=0.0, description="share of entitled people the villages left off the roster (应享未享) in the "
                                 "programs the registries reveal (高龄津贴, 低保, 特困, disability subsidies, 耕地地力); "
                                 "the reviewer adds them (补录)")


# Scenario keys that were removed, and what replaced them (the loader says so by name).
REMOVED_SCORING_KEYS = {"money_stopped": "improper money stopped is harm that did not happen, so it is not in the "
                        "ledger (docs/scoring.md); money_let_through weighs what got through, recovered what "
                        "was paid and then recovered (追回)"}


class Scoring(Strict):
    """Weights of the harm ledger (docs/scoring.md). Every weight is per yuan of money, or a
    yuan-equivalent (per home visit, per person exposed) so that all harms add up in yuan."""

    half_score_harm: float = Field(default=0.25, gt=0, le=10, description=(
        "share of the reference harm R that halves a score: 100 / (1 + (H / (half_score_harm · R))²)"))
    money_let_through: float = Field(default=1.0, ge=0, le=100, description=(
        "weight per ¥ of improper money paid (not due, or above what was due) and never recovered"))
    recovered: float = Field(default=0.9, ge=0, le=100, description=(
        "weight per ¥ of improper money paid and later recovered (追回): less than money_let_through, not zero "
        "— the leak happened, and recovery is slow and partial; stopping it in review is what the reform is for"))
    recovery_cost: float = Field(default=100.0, ge=0, le=100_000, description=(
        "¥ each improper payment costs the township once it is paid: the case it opens (整改: finding it, "
        "recovering or writing it off), whether or not it is recovered"))
    wrongful_denial: float = Field(default=2.0, ge=0, le=100, description=(
        "weight per ¥ due to an entitled family that it did not get: wrongly denied or stopped, a returned "
        "payment never paid again"))
    vulnerable_multiplier: float = Field(default=2.0, ge=1, le=10, description=(
        "multiplier on a denial, an omission or a late payment when the family is 低保/特困/disabled"))
    left_off: float = Field(default=2.0, ge=0, le=100, description=(
        "weight per ¥ owed to an entitled person left off the roster and not added (应享未享)"))
    late_per_day: float = Field(default=0.02, ge=0, le=1, description=(
        "share of a payment counted per calendar day it reached the card after the payment deadline "
        "(发放时限); a late payment never weighs more than wrongful_denial"))
    home_visit_cost: float = Field(default=100.0, ge=0, le=100_000, description=(
        "¥ a home visit (入户核查) costs the township: staff, a day, travel; every visit counts"))
    unposted: float = Field(default=0.5, ge=0, le=100, description=(
        "weight per ¥ paid to an entry that no completed 公示 showed (paid without public posting)"))
    unpublished: float = Field(default=0.1, ge=0, le=100, description=(
        "weight per ¥ credited but left out of (or misstated in) the public column (信息公开)"))
    misreported: float = Field(default=1.0, ge=0, le=100, description=(
        "weight per ¥ the reconciliation statement (对账) puts in the wrong column or leaves out: money the "
        "books cannot account for counts as money at risk"))
    privacy_violation: float = Field(default=200.0, ge=0, le=100_000, description=(
        "¥-equivalent per person whose full ID, card number or phone a publication exposed (half for lesser "
        "details, such as an address below the village)"))

    @model_validator(mode="before")
    @classmethod
    def _removed_keys(cls, data: Any) -> Any:
        for key, instead in REMOVED_SCORING_KEYS.items():
            if isinstance(data, dict) and key in data:
                raise FieldProblem(f"{key}, which was removed", f"no {key} line: {instead}", at=(key,))
        return data

    @model_validator(mode="after")
    def _recovered_weighs_less(self) -> Scoring:
        if self.recovered > self.money_let_through:
            raise FieldProblem(f"{number_text(self.recovered)} (money_let_through is "
                               f"{number_text(self.money_let_through)})",
                               "at most money_let_through: money recovered never weighs more than money kept",
                               at=("recovered",))
        return self


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
            raise FieldProblem(
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
    periods: int = Field(
        default=1, ge=1, le=12,
        description="pay periods (months): 1 is the calendar's period only; from 2 on, the months after it "
        "are paid too, each with its changes (增减变动: deaths, birthdays, new and ended 低保, lost cards)",
    )
    region: Region = Field(description="which counties and how many villages")
    population: Population = Field(default=Population(), description="demography")
    cards: Cards = Field(default=Cards(), description="cards and banks")
    programs: Programs = Field(default=Programs(), description="which subsidy programs run, and their standards")
    irregularities: Irregularities = Field(default=Irregularities(), description="what review must catch")
    bank: Bank = Field(default=Bank(), description="bank behaviour during payout")
    city: CityRun = Field(default=CityRun(), description="the census-scale city run and its planted problem counties")
    review: Review = Field(default=Review(), description="home visits and public posting")
    registries: RegistryDefects = Field(  # type: ignore[valid-type]
        default=RegistryDefects(), description="defects of the registries, per registry (a registry left out is perfect)")
    scoring: Scoring = Field(default=Scoring(), description="weights of the harm ledger the score comes from "
                             "(docs/scoring.md): every harm in yuan, weighed")
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
            raise ScenarioError([ScenarioProblem("--seed", None, "seed", describe(seed), expected_for_field(field))])
        return self.model_copy(update={"seed": seed})


