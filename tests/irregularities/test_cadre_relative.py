"""cadre_relative (优亲厚友): means-tested aid for a cadre's relative with a car or a business, or a
farmland claim with no land contract; rejected."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

CODE = "cadre_relative"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_the_claimant_is_a_cadres_relative_with_a_car_or_business_and_not_on_the_payroll() -> None:
    attempt = planted(CODE, 0.05)
    registries = attempt.world.registries
    relatives = set(registries["cadre_relatives"]["id_number"])
    owners = set(registries["vehicles"]["id_number"]) | set(registries["businesses"]["id_number"])
    contracts = set(registries["land_contracts"]["id_number"])
    rows = faulty(attempt, CODE)
    assert len(rows) > 0 and rows["entry_id_number"].isin(relatives).all()
    farmland = rows["pattern"] == "farmland_no_contract"
    assert (rows.loc[farmland, "entry_program"] == "farmland_fertility").all()
    assert not rows.loc[farmland, "entry_id_number"].isin(contracts).any()
    assert rows.loc[~farmland, "entry_program"].isin(["dibao", "tekun", "disabled_living"]).all()
    assert rows.loc[~farmland, "entry_id_number"].isin(owners).all()
    assert rows["pattern"].nunique() >= 2
    assert not rows["entry_id_number"].isin(set(registries["payroll"]["id_number"])).any()


def test_the_careful_rule_rejects_it() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
