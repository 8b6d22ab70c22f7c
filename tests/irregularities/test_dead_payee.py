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


def test_the_death_register_or_another_office_shows_a_death_before_the_period() -> None:
    attempt = planted(CODE, 0.05)
    deaths = attempt.world.registries["deaths"].set_index("id_number")
    start = pd.Timestamp(tutorial().calendar.period_start)
    registries = attempt.world.registries
    cremated = registries["cremations"].set_index("id_number")["death_date"]
    insurance = registries["medical_insurance"]
    ended = insurance[(insurance["status"] == "终止") & (insurance["reason"] == "死亡")].set_index("id_number")
    rows = faulty(attempt, CODE)
    assert len(rows) > 0
    assert rows["entry_program"].isin(["basic_pension", "old_age_allowance", "severe_disability_care", "dibao"]).all()
    assert set(rows["pattern"]) == {"registered_death", "late_registration"}
    for id_number, pattern in zip(rows["entry_id_number"], rows["pattern"], strict=True):
        if pattern == "registered_death":
            assert pd.Timestamp(deaths.at[id_number, "death_date"]) < start
            continue
        # registered late: not in the death register, but another office shows the death
        assert id_number not in deaths.index
        shown = [pd.Timestamp(cremated[id_number])] if id_number in cremated.index else []
        shown += [pd.Timestamp(ended.at[id_number, "changed_date"])] if id_number in ended.index else []
        assert shown and min(shown) < start


def test_the_careful_rule_rejects_it() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
