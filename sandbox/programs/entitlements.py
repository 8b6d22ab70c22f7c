"""True entitlements of a period: who is owed what, computed over whole frames."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

import pandas as pd

from sandbox.programs.catalogue import Program
from sandbox.programs.choices import catalogue
from sandbox.programs.rules import ALIVE, HOUSEHOLD_COLUMNS

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

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


