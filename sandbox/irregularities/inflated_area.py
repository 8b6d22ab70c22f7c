"""虚报面积: an area subsidy claimed for more 亩 than the records hold — farmland against the land
contract, grain against the contract plus land rented in, forest against the forest rights (the
form is the program, in the key's `pattern`). The claimant is entitled to the recorded area:
correct the quantity (核减), then approve."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import InspectionContext, ReviewContext
    from sandbox.irregularities.planting import PlantingSite

PROGRAM = "farmland_fertility"  # the rules-only reviewer checks this program alone
GRAIN, FOREST = "grain_growers", "ecological_forest"


class InflatedArea(Irregularity):
    code = "inflated_area"
    zh = "虚报面积"
    en = "inflated land area"
    keywords = ("虚报面积", "多报面积", "面积不符", "面积", "虚报", "多报", "亩数", "inflated area", "area")
    rule_zh = "按面积发放的补贴以土地承包登记面积为准，多报部分核减"
    rule_en = "area-based subsidies pay the contracted area on record; cut the excess (核减)"
    tip_zh = "把申报面积与土地承包登记逐户比对，改为登记面积后通过"
    tip_en = ("compare claimed mu with the land contract register household by household; "
              "correct to the registered area and approve")

    rate = Rate(default=0.01, description="claimed area above the contract (虚报面积)")
    harm = "money_lost"
    severity = 2
    money = Money.OVERPAID
    evidence = ("land_contracts", "land_transfers", "forest_rights")
    report_words = ()
    decision = "correct"
    fix_field = "quantity"

    blatant = False
    objection_zh = "村民反映：{name}家哪有这么多地。"
    objection_en = "A villager: {name}'s family has nowhere near that much land."
    rectification_zh = "追回多报面积对应资金，按土地承包登记面积核减"
    rectification_en = "recover the money of the excess area; cut the area to the land contract register"

    planting = Planting.CHANGE
    check = Check.RECORDS

    def plant(self, site: PlantingSite, rate: float) -> None:
        # Grain claims only where the grain area is all the land on record (contract plus land
        # rented in), so the records prove the excess; forest claims against the forest rights.
        h = site.households.loc[site.base["household_id"]]
        on_record = (h["farmland_mu"] + h["rented_in_mu"]).to_numpy()
        grain_ok = site.program_is(GRAIN) & (abs(site.base["quantity"].to_numpy() - on_record) < 0.05)
        allowed = site.program_is(PROGRAM, FOREST) | grain_ok
        for i in site.take_spread(site.count(rate), allowed):
            entry, key = site.entries[i], site.keys[i]
            program = entry["program"]
            true_q = float(entry["quantity"])
            factor = float(site.rng.uniform(1.3, 2.2))
            claimed_q = round(max(true_q * factor, true_q + 1.0), 1)
            per_mu = entry["amount"] / true_q if true_q else 0.0
            claimed = round(claimed_q * per_mu, 2)
            registry, zh, en = _record(program, true_q, claimed_q, float(h["rented_in_mu"].iloc[i]))
            key.update(fault=self.code, claimed_amount=claimed, true_amount=entry["amount"],
                       money_at_stake=round(claimed - entry["amount"], 2), fix_field=self.fix_field,
                       fix_value=f"{true_q:.1f}", evidence_registry=registry, evidence_zh=zh, evidence_en=en,
                       pattern=program)
            entry.update(quantity=claimed_q, amount=claimed)

    def review(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        land, id_number = context.evidence.land, entry["id_number"]
        if context.use_registries and entry["program"] == PROGRAM and id_number in land:
            contracted = float(land[id_number])
            if float(entry["quantity"]) > contracted + 0.05:
                return Verdict("correct", field=self.fix_field, value=f"{contracted:.1f}")
        return None

    def review_carefully(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        """Every area program against its record: farmland against the contract, grain against
        the contract plus land rented in (a transfer record explains grain above the contract),
        forest against the forest rights."""
        if not context.use_registries:
            return None
        evidence, program, id_number = context.evidence, entry["program"], entry["id_number"]
        record = {PROGRAM: evidence.land.get(id_number), GRAIN: evidence.farmed_area(id_number),
                  FOREST: evidence.forest.get(id_number)}.get(program)
        if record is not None and float(entry["quantity"]) > float(record) + 0.05:
            return Verdict("correct", field=self.fix_field, value=f"{float(record):.1f}")
        return None

    def inspect(self, line: Mapping[str, Any], context: InspectionContext) -> float | None:
        evidence, id_number = context.evidence, line["payee_id_number"]
        if evidence is None or line["program"] != PROGRAM or id_number not in evidence.land:
            return None
        amount = float(line["amount"])
        due = round(float(evidence.land[id_number]) * float(context.catalogue.rate_per_mu[PROGRAM]), 2)
        return amount - due if amount > due + 0.005 else None


def _record(program: str, true_q: float, claimed_q: float, rented: float) -> tuple[str, str, str]:
    """The registry that proves the excess, and the evidence in words."""
    if program == FOREST:
        return ("forest_rights", f"林权登记面积{true_q:.1f}亩，名册申报{claimed_q:.1f}亩",
                f"forest rights register: {true_q:.1f} mu; roster claims {claimed_q:.1f} mu")
    if program == GRAIN:
        rent_zh = f"（含流转入{rented:.1f}亩）" if rented else ""
        rent_en = f" (with {rented:.1f} mu rented in)" if rented else ""
        return ("land_contracts", f"承包和流转登记合计{true_q:.1f}亩{rent_zh}，名册申报种粮{claimed_q:.1f}亩",
                f"land contract and transfer records: {true_q:.1f} mu{rent_en}; roster claims {claimed_q:.1f} mu of grain")
    return ("land_contracts", f"土地承包登记面积{true_q:.1f}亩，名册申报{claimed_q:.1f}亩",
            f"land contract register: {true_q:.1f} mu; roster claims {claimed_q:.1f} mu")
