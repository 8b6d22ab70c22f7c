"""A scenario's choices applied to the catalogue: which programs run, at which standards.

The scenario schema asks `check_programs` whether an override fits a program's amount
rule; the scenario is only a type here (imported for type checking), so the catalogue sits
below the scenario and there is no import cycle.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sandbox.errors import SandboxError, ScenarioError, ScenarioProblem
from sandbox.programs.catalogue import PROGRAMS, Program
from sandbox.programs.rules import Formula, MultipleOfStandard, TieredByAge

if TYPE_CHECKING:
    from sandbox.scenario import ProgramOverride, Scenario

# --- the scenario's effective catalogue -----------------------------------------------------


def _did_you_mean(word: str, choices: Iterable[str], lang: str = "en") -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    if not close:
        return ""
    return f"（是不是想写 {close[0]!r}？）" if lang == "zh" else f" — did you mean {close[0]!r}?"


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
        raise SandboxError(f"没有补贴项目代码 {code!r}" + _did_you_mean(code, PROGRAMS, "zh"),
                           f"unknown program code {code!r}" + _did_you_mean(code, PROGRAMS))
    found = next((p for p in catalogue(scenario) if p.code == code), None)
    if found is None:
        name = scenario.name if scenario else "default"
        raise SandboxError(f"补贴项目 {code!r} 在场景 {name!r} 中没有开通", f"program {code!r} is not enabled in scenario {name!r}")
    return found


