"""inflated_area (虚报面积): farmland claimed above the contract; corrected to the registered area."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

CODE = "inflated_area"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_the_claim_is_above_the_contracted_area_at_the_same_rate_per_mu() -> None:
    attempt = planted(CODE, 0.05)
    registries = attempt.world.registries
    contract = registries["land_contracts"].groupby("id_number")["area_mu"].sum()
    rented = registries["land_transfers"].groupby("id_number")["area_mu"].sum()
    forest = registries["forest_rights"].groupby("id_number")["area_mu"].sum()
    rows = faulty(attempt, CODE)
    assert len(rows) > 0 and set(rows["entry_program"]) == {"farmland_fertility", "grain_growers", "ecological_forest"}
    true_area = rows["fix_value"].astype(float)
    assert (rows["entry_quantity"] > true_area).all()
    # the area the records hold: the contract, the contract plus land rented in, the forest rights
    for row, area in zip(rows.to_dict("records"), true_area, strict=True):
        ids = row["entry_id_number"]
        record = {"farmland_fertility": contract.get(ids, 0.0),
                  "grain_growers": contract.get(ids, 0.0) + rented.get(ids, 0.0),
                  "ecological_forest": forest.get(ids, 0.0)}[row["entry_program"]]
        assert abs(record - area) < 0.05, row
    assert (rows["money_at_stake"] - (rows["claimed_amount"] - rows["true_amount"])).abs().max() < 0.01
    per_mu_claimed = rows["claimed_amount"] / rows["entry_quantity"]
    per_mu_true = rows["true_amount"] / true_area
    assert (per_mu_claimed - per_mu_true).abs().max() < 0.05


def test_the_careful_rule_corrects_the_area() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
