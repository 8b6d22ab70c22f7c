"""public_employee (公职人员违规领取): 低保 for a household on the state payroll; rejected."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

from sandbox.irregularities import MEANS_TESTED

CODE = "public_employee"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_the_claimant_is_on_the_payroll_and_claims_aid_land_or_a_second_pension() -> None:
    attempt = planted(CODE, 0.05)
    payroll = attempt.world.registries["payroll"].set_index("id_number")["status"]
    contracts = set(attempt.world.registries["land_contracts"]["id_number"])
    rows = faulty(attempt, CODE)
    assert len(rows) > 0 and rows["entry_id_number"].isin(payroll.index).all()
    status = payroll.reindex(rows["entry_id_number"]).to_numpy()
    retired = (rows["pattern"] == "retired_pension").to_numpy()
    # retirees on the staff pension claim the residents' pension too; serving staff claim aid or land
    assert (rows.loc[retired, "entry_program"] == "basic_pension").all() and (status[retired] == "退休").all()
    serving = rows[~retired]
    assert (status[~retired] == "在职").all()
    land = serving["entry_program"] == "farmland_fertility"
    assert serving.loc[~land, "entry_program"].isin(MEANS_TESTED).all()
    assert not serving.loc[land, "entry_id_number"].isin(contracts).any()
    assert rows["pattern"].nunique() >= 2


def test_the_careful_rule_rejects_it() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
