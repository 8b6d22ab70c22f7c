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

- `rules`: conditions and amount formulas; `catalogue`: the programs (data) and `explain`;
- `choices`: a scenario's enabled programs and overrides; `entitlements`: who is owed what.

The catalogue sits below the scenario: the schema reads `PROGRAM_CODES` and
`check_programs` from here, and nothing here imports the scenario at run time.
"""

from __future__ import annotations

from sandbox.programs.catalogue import (
    DEPARTMENTS,
    DIBAO_STANDARD,
    FREQUENCIES,
    PROGRAM_CODES,
    PROGRAMS,
    UNITS,
    Program,
    explain,
)
from sandbox.programs.choices import catalogue, check_programs, program
from sandbox.programs.entitlements import (
    ENTITLEMENT_COLUMNS,
    WorldLike,
    amount_for,
    beneficiary_frame,
    eligible_mask,
    entitlements,
    entitlements_of,
)
from sandbox.programs.rules import (
    ALIVE,
    FIELD_LABELS,
    HOUSEHOLD_COLUMNS,
    OPERATORS,
    Condition,
    Fixed,
    Formula,
    Frequency,
    GapToStandard,
    Lang,
    MultipleOfStandard,
    Operator,
    PerMu,
    TieredByAge,
    Unit,
)

__all__ = [
    "ALIVE", "DEPARTMENTS", "DIBAO_STANDARD", "ENTITLEMENT_COLUMNS", "FIELD_LABELS", "FREQUENCIES",
    "HOUSEHOLD_COLUMNS", "OPERATORS", "PROGRAMS", "PROGRAM_CODES", "UNITS", "Condition", "Fixed",
    "Formula", "Frequency", "GapToStandard", "Lang", "MultipleOfStandard", "Operator", "PerMu",
    "Program", "TieredByAge", "Unit", "WorldLike", "amount_for", "beneficiary_frame", "catalogue",
    "check_programs", "eligible_mask", "entitlements", "entitlements_of", "explain", "program",
]
