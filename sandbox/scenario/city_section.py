"""The scenario's `city:` section: the census-scale city run (`sandbox calibrate --scale city`)
and the problem counties the 督导 exercise of notebook 07 plants."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.scenario.base_models import Rate, SmallRate, Strict, county_choices
from sandbox.scenario.words import FieldProblem, describe, did_you_mean

# What a planted problem county shows in the city run's KPIs (sandbox/city/problems.py says
# who is responsible for each).
CITY_PROBLEM_KINDS = ("lagging_activation", "late_payment", "name_mismatch", "unrecovered", "no_posting")


class PlantedProblem(Strict):
    county: str = Field(description="the county (code or name) that has the problem",
                        json_schema_extra={"expected": "one of Zhoukou's counties, e.g. 郸城县"})
    kind: Literal[CITY_PROBLEM_KINDS] = Field(  # type: ignore[valid-type]
        description="lagging_activation (cards not activated), late_payment (paid days late), name_mismatch "
                    "(many BE01 returns), unrecovered (money paid after death not recovered), no_posting "
                    "(公示 missing)")

    @field_validator("county", mode="before")
    @classmethod
    def _county_code(cls, value: Any) -> Any:
        key = str(value).strip()
        by_name = {name: code for code, name in ZHOUKOU_COUNTIES.items()}
        code = key if key in ZHOUKOU_COUNTIES else by_name.get(key)
        if code is None:
            raise FieldProblem(f"unknown county {describe(value)}" + did_you_mean(key, [*ZHOUKOU_COUNTIES, *by_name]),
                               f"one of Zhoukou's counties ({county_choices()})")
        return code


class CityRun(Strict):
    """The census-scale city run (`sandbox calibrate --scale city`, the 督导 exercise): five
    monthly batches of January–May 2022 across the ten counties."""

    problems: list[PlantedProblem] = Field(
        default_factory=list, max_length=10,
        description="problem counties the supervision exercise plants (督导: find them, name who is responsible)",
        json_schema_extra={"expected": "a list of `- {county: 郸城县, kind: lagging_activation}` items"})
    activation_per_month: Rate = Field(
        default=0.6, description="share of unactivated cards whose holders activate them in the month after a "
                                 "return (AG01); a lagging county activates far fewer")
    fix_per_month: Rate = Field(
        default=0.8, description="share of returned lines (wrong name or card number) corrected and re-issued "
                                 "(补发) the month after")
    payment_days: int = Field(default=4, ge=1, le=30,
                              description="days from a month's batch opening to the money on the card")
    recovery_share: Rate = Field(
        default=0.85, description="share of money paid after a death that is recovered (追回) once the death is known")
    death_rate_per_year: SmallRate = Field(
        default=0.0082, description="deaths a year per resident (Zhoukou 2021: 8.20‰)")
    dibao_household_share: SmallRate | None = Field(
        default=None, description="share of the city's households on 低保 (empty: population.dibao_household_share)")
    dibao_churn_per_month: SmallRate = Field(
        default=0.01, description="share of 低保 households leaving (and as many entering) each month: 增减变动")
