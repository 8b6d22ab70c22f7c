"""Scenario files: the pydantic schema and a loader whose errors a trainer can act on.

Every error names the file, the line, the field, what was found and what was expected.
A scenario may ``extends:`` another file (path relative to itself) and override fields;
mappings merge key by key, everything else replaces.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sandbox.errors import ScenarioError, ScenarioProblem

Rate = Annotated[float, Field(ge=0.0, le=1.0)]
SmallRate = Annotated[float, Field(ge=0.0, le=0.5)]

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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    zh: str = Field(min_length=1, max_length=200)
    en: str = Field(min_length=1, max_length=200)


class Calendar(Strict):
    """The scenario's own dates: nothing is ever computed from today's date."""

    as_of: dt.date = Field(description="the simulated 'today' when the exercise starts")
    period_start: dt.date = Field(description="first day of the payment period")
    period_end: dt.date = Field(description="last day of the payment period")
    holidays: list[dt.date] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _ordered(self) -> Calendar:
        if self.period_end < self.period_start:
            raise ValueError("period_end must not be before period_start")
        if not (dt.date(1990, 1, 1) <= self.period_start <= dt.date(2100, 1, 1)):
            raise ValueError("period_start must lie between 1990 and 2100")
        return self

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%Y-%m}"


class Region(Strict):
    counties: list[str] = Field(min_length=1, max_length=10, description="county codes or names")
    townships_per_county: int = Field(default=1, ge=1, le=40)
    villages_per_township: int = Field(default=1, ge=1, le=60)
    households_per_village: int = Field(default=60, ge=5, le=2000)

    @field_validator("counties", mode="before")
    @classmethod
    def _resolve(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        by_name = {name: code for code, name in ZHOUKOU_COUNTIES.items()}
        resolved = []
        for item in value:
            key = str(item).strip()
            if key in ZHOUKOU_COUNTIES:
                resolved.append(key)
            elif key in by_name:
                resolved.append(by_name[key])
            else:
                choices = list(ZHOUKOU_COUNTIES) + list(by_name)
                raise ValueError(
                    f"unknown county {key!r}; expected one of Zhoukou's county codes or names "
                    f"({', '.join(f'{c} {n}' for c, n in ZHOUKOU_COUNTIES.items())})"
                    + _did_you_mean(key, choices)
                )
        if len(set(resolved)) != len(resolved):
            raise ValueError("a county is listed twice")
        return resolved

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

    mean_household_size: float = Field(default=3.2, ge=1.5, le=6.0)
    elderly_share: Rate = Field(default=0.22, description="share aged 60 and over")
    migrant_share: Rate = Field(default=0.35, description="working-age people working away")
    dead_share: SmallRate = Field(default=0.01, description="registered people who died recently")
    death_registration_lag_days: int = Field(default=20, ge=0, le=365)
    disability_share: SmallRate = Field(default=0.06)
    dibao_household_share: SmallRate = Field(default=0.06)
    tekun_share: SmallRate = Field(default=0.006)
    public_employee_share: SmallRate = Field(default=0.03)
    cadres_per_village: int = Field(default=4, ge=1, le=20)
    vehicle_share: Rate = Field(default=0.18)
    business_share: Rate = Field(default=0.06)
    farmland_mu_per_person: float = Field(default=1.3, ge=0.0, le=20.0)
    forest_household_share: Rate = Field(default=0.08)


CardStatus = Literal[
    "active", "not_activated", "pin_locked", "reported_lost", "frozen", "dormant", "closed"
]


class CardStatusRates(Strict):
    not_activated: SmallRate = 0.012
    pin_locked: SmallRate = 0.002
    reported_lost: SmallRate = 0.002
    frozen: SmallRate = 0.001
    dormant: SmallRate = 0.003
    closed: SmallRate = 0.002

    @model_validator(mode="after")
    def _sum(self) -> CardStatusRates:
        if sum(self.model_dump().values()) > 0.5:
            raise ValueError("card status rates add up to more than 0.5; most cards are active")
        return self


class Cards(Strict):
    social_security_card_share: Rate = Field(
        default=0.985, description="share of payees paid to a social security card"
    )
    status_rates: CardStatusRates = CardStatusRates()
    banks: list[str] = Field(
        default_factory=lambda: ["中国农业银行", "中国邮政储蓄银行", "河南农信社"],
        min_length=1,
        max_length=8,
    )
    bank_knows_death_rate: Rate = Field(
        default=0.5, description="share of deaths the bank has been told of (MD07)"
    )


class ProgramOverride(Strict):
    enabled: bool = True
    amount: float | None = Field(default=None, ge=0, le=100_000, description="fixed amount, ¥")
    rate_per_mu: float | None = Field(default=None, ge=0, le=10_000)
    standard: float | None = Field(default=None, ge=0, le=100_000, description="¥ per person")
    tiers: list[tuple[int, float]] | None = Field(
        default=None, description="[[min_age, amount], ...] for age-tiered programs"
    )


class Programs(Strict):
    enabled: list[str] = Field(default_factory=list, description="program codes; empty = all")
    overrides: dict[str, ProgramOverride] = Field(default_factory=dict)


class Irregularities(Strict):
    """Share of roster entries carrying each planted irregularity."""

    data_entry_id: SmallRate = 0.01
    data_entry_name: SmallRate = 0.01
    data_entry_card: SmallRate = 0.008
    dead_payee: SmallRate = 0.01
    public_employee: SmallRate = 0.008
    cadre_relative: SmallRate = 0.006
    duplicate: SmallRate = 0.008
    inflated_area: SmallRate = 0.01
    over_standard: SmallRate = 0.008
    ineligible: SmallRate = 0.008
    proxy_account: SmallRate = 0.005
    look_alikes: SmallRate = Field(default=0.02, description="correct entries that look wrong")
    messy_typing: Rate = Field(default=0.15, description="entries with harmless typing mess")

    @model_validator(mode="after")
    def _sum(self) -> Irregularities:
        planted = sum(v for k, v in self.model_dump().items() if k not in {"look_alikes", "messy_typing"})
        if planted > 0.6:
            raise ValueError(f"irregularity rates add up to {planted:.2f}; at most 0.6 is allowed")
        return self


class Outage(Strict):
    day: int = Field(ge=0, le=60, description="business day after submission, 0 = first")
    start_hour: float = Field(ge=0, le=24)
    hours: float = Field(gt=0, le=24)


class Bank(Strict):
    cutoff_hour: float = Field(default=16.0, ge=0, le=24)
    late_is_tm01: bool = Field(default=False, description="return late lines TM01 instead of waiting")
    capacity_per_hour: int = Field(default=20_000, ge=1, le=10_000_000)
    opening_hour: float = Field(default=9.0, ge=0, le=24)
    return_lag_days: int = Field(default=2, ge=0, le=30)
    outages: list[Outage] = Field(default_factory=list, max_length=50)
    branch_capacity_per_day: int = Field(default=20, ge=1, le=10_000)
    branch_travel_days: int = Field(default=1, ge=0, le=30)


class Review(Strict):
    home_visit_capacity_per_day: int = Field(default=3, ge=1, le=1000)
    home_visit_days: int = Field(default=2, ge=0, le=30)
    posting_days: int = Field(default=7, ge=1, le=30)
    objection_rate_blatant: Rate = 0.6
    objection_rate_subtle: Rate = 0.15
    objection_rate_false: Rate = Field(default=0.01, description="objections against correct entries")


class Scoring(Strict):
    money_let_through: float = Field(default=1.0, ge=0, le=100, description="per ¥ paid improperly")
    money_stopped: float = Field(default=1.0, ge=0, le=100)
    wrongful_denial: float = Field(default=2.0, ge=0, le=100, description="weight per ¥ wrongly denied")
    vulnerable_multiplier: float = Field(default=2.0, ge=1, le=10, description="低保/特困/disabled")
    home_visit_cost: float = Field(default=0.2, ge=0, le=100, description="points per visit")
    privacy_violation: float = Field(default=20.0, ge=0, le=100, description="points per leak")


class Masking(Strict):
    id_keep_start: int = Field(default=6, ge=0, le=10)
    id_keep_end: int = Field(default=4, ge=0, le=6)
    card_keep_end: int = Field(default=4, ge=0, le=6)
    show_name: bool = True

    @model_validator(mode="after")
    def _not_full(self) -> Masking:
        if self.id_keep_start + self.id_keep_end > 12:
            raise ValueError("the policy would reveal more than 12 of the 18 ID characters")
        return self


class Scenario(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$")
    title: Text
    description: Text | None = None
    seed: int = Field(ge=0, le=2**63 - 1)
    calendar: Calendar
    region: Region
    population: Population = Population()
    cards: Cards = Cards()
    programs: Programs = Programs()
    irregularities: Irregularities = Irregularities()
    bank: Bank = Bank()
    review: Review = Review()
    scoring: Scoring = Scoring()
    masking: Masking = Masking()
    mode: Literal["practice", "exam"] = "practice"
    calibration: dict[str, float] = Field(
        default_factory=dict, description="target KPIs for `sandbox calibrate`"
    )

    def with_seed(self, seed: int | None) -> Scenario:
        return self if seed is None else self.model_copy(update={"seed": seed})


# --- loading -------------------------------------------------------------------------------

MAX_EXTENDS_DEPTH = 5


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping key and value."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        lines[key] = (key_node.start_mark.line + 1, value_node)
    return _LinedDict(mapping, lines, node.start_mark.line + 1)


class _LinedDict(dict):
    def __init__(self, data: dict, lines: dict, line: int) -> None:
        super().__init__(data)
        self.key_lines = {k: v[0] for k, v in lines.items()}
        self.line = line


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> list:
    return _LinedList(loader.construct_sequence(node, deep=True), [n.start_mark.line + 1 for n in node.value])


class _LinedList(list):
    def __init__(self, data: list, lines: list[int]) -> None:
        super().__init__(data)
        self.item_lines = lines


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" — did you mean {close[0]!r}?" if close else ""


def _read_yaml(path: Path) -> _LinedDict:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([ScenarioProblem(str(path), None, "", "file not found", "a scenario YAML file")]) from None
    except UnicodeDecodeError:
        raise ScenarioError(
            [ScenarioProblem(str(path), None, "", "a file that is not UTF-8 text", "a UTF-8 YAML file")]
        ) from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise ScenarioError(
            [ScenarioProblem(str(path), line, "", f"YAML syntax error: {exc.problem}", "valid YAML")]
        ) from None
    if data is None:
        raise ScenarioError([ScenarioProblem(str(path), None, "", "an empty file", "a scenario mapping")])
    if not isinstance(data, dict):
        raise ScenarioError(
            [ScenarioProblem(str(path), 1, "", f"a {type(data).__name__}", "a mapping of scenario fields")]
        )
    return data


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = _LinedDict(dict(base), {}, getattr(override, "line", 1))
        merged.key_lines = {**getattr(base, "key_lines", {}), **getattr(override, "key_lines", {})}
        merged.sources = {**getattr(base, "sources", {}), **getattr(override, "sources", {})}
        for key, value in override.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    return override


def _tag_sources(data: Any, source: str) -> None:
    """Remember which file each mapping key came from (for errors in extended files)."""
    if isinstance(data, dict):
        data.sources = {k: source for k in data}
        for value in data.values():
            _tag_sources(value, source)
    elif isinstance(data, list):
        for value in data:
            _tag_sources(value, source)


def _load_raw(path: Path, depth: int = 0) -> _LinedDict:
    data = _read_yaml(path)
    _tag_sources(data, str(path))
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if depth >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            [ScenarioProblem(str(path), data.key_lines.get("extends"), "extends",
                             f"more than {MAX_EXTENDS_DEPTH} levels of extends", "a shorter chain (is it circular?)")]
        )
    if not isinstance(parent, str):
        raise ScenarioError(
            [ScenarioProblem(str(path), data.key_lines.get("extends"), "extends", repr(parent), "a file name")]
        )
    base = _load_raw((path.parent / parent), depth + 1)
    return _merge(base, data)


def _locate(data: Any, loc: tuple, default_file: str) -> tuple[str, int | None]:
    """Follow a pydantic error location through the lined YAML to a file and line."""
    file, line = default_file, getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = node.key_lines.get(part, line) if hasattr(node, "key_lines") else line
            file = getattr(node, "sources", {}).get(part, file)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            lines = getattr(node, "item_lines", None)
            if lines and part < len(lines):
                line = lines[part]
            node = node[part]
        else:
            break
    return file, line


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _problems(exc: ValidationError, data: dict, path: Path) -> list[ScenarioProblem]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        field = ".".join(str(p) for p in loc)
        file, line = _locate(data, loc, str(path))
        kind = err["type"]
        if kind == "extra_forbidden":
            parent_model = _model_at(Scenario, loc[:-1])
            choices = list(parent_model.model_fields) if parent_model else []
            expected = "one of: " + ", ".join(choices) if choices else "no such key"
            problems.append(
                ScenarioProblem(file, line, field, f"unknown key {loc[-1]!r}" + _did_you_mean(str(loc[-1]), choices), expected)
            )
        elif kind == "missing":
            problems.append(ScenarioProblem(file, line, field, "nothing (the field is missing)", "a value for this required field"))
        else:
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(ScenarioProblem(file, line, field, _describe(err.get("input")), msg))
    return problems


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        nested = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if nested is None:
            return None
        model = nested
    return model


def load_scenario(path: str | Path, seed: int | None = None) -> Scenario:
    """Load and validate a scenario file; raise ScenarioError naming file, line and field."""
    path = Path(path)
    data = _load_raw(path)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems(exc, data, path)) from None
    return scenario.with_seed(seed)
