"""dead_payee (冒领：已死亡人员): a pension for somebody who died before the period; rejected."""

from __future__ import annotations

import pandas as pd
from support import (
    caught_as_declared,
    faulty,
    planted,
    planted_only_when_its_rate_is_above_zero,
    tutorial,
)

CODE = "dead_payee"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_the_death_register_shows_a_death_before_the_period() -> None:
    attempt = planted(CODE, 0.05)
    deaths = attempt.world.registries["deaths"].set_index("id_number")
    start = pd.Timestamp(tutorial().calendar.period_start)
    rows = faulty(attempt, CODE)
    assert len(rows) > 0 and (rows["entry_program"] == "basic_pension").all()
    for id_number in rows["entry_id_number"]:
        assert pd.Timestamp(deaths.at[id_number, "death_date"]) < start


def test_the_careful_rule_rejects_it() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
