"""优亲厚友: a village cadre's close relative who owns a car or a business on 低保 — already
enrolled with income understated (`dibao_understated_income`) or newly claimed (`dibao_claim`) —
or on 特困 (`tekun_claim`), or claiming farmland they hold no contract for (`farmland_no_contract`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from sandbox.irregularities.base import (
    MEANS_TESTED,
    Check,
    Irregularity,
    Money,
    Planting,
    Rate,
    Verdict,
)

if TYPE_CHECKING:
    import pandas as pd

    from sandbox.irregularities.evidence import Evidence, ReviewContext
    from sandbox.irregularities.planting import PlantingSite


class CadreRelative(Irregularity):
    code = "cadre_relative"
    zh = "优亲厚友"
    en = "cadre favouring relatives"
    keywords = ("优亲厚友", "村干部亲属", "干部亲属", "人情保", "关系保", "近亲属", "亲属", "有车", "车辆",
                "经商", "nepotism", "cadre relative", "relative")
    rule_zh = "村干部近亲属享受低保须备案并从严审核；有车辆或经营实体的家庭一般不符合低保条件"
    rule_en = ("低保 for a cadre's close relative needs a declared, strict review; "
               "a household with a car or business usually does not qualify")
    tip_zh = "把低保名单与村干部近亲属名单比对，命中者再查车辆和工商登记"
    tip_en = "match the 低保 list against cadres' relatives, then check hits in the vehicle and business registers"

    rate = Rate(default=0.006, description="cadre's relative who is not eligible (优亲厚友)")
    harm = "money_lost"
    severity = 3
    money = Money.NOT_ENTITLED
    evidence = ("cadre_relatives", "cadres", "vehicles", "businesses")
    report_words = ("近亲属",)
    decision = "reject"
    fix_field = ""

    blatant = True
    objection_zh = "村民反映：{name}是村干部的亲戚，家里有车有买卖，凭什么吃低保？"
    objection_en = "A villager: {name} is a cadre's relative with a car or business — why 低保?"
    rectification_zh = "追回资金，重新审核低保资格，村干部近亲属享受低保一律备案"
    rectification_en = "recover the money, review the 低保 again, declare every cadre's relative on 低保"

    planting = Planting.ADD
    check = Check.ENTITLEMENT

    def reserved_rows(self, site: PlantingSite) -> np.ndarray:
        """Means-tested aid paid to a cadre's relative who owns a vehicle or business: the world
        made these irregular, so no other type may alter them first."""
        payee_wealthy = _wealthy(site.persons).reindex(site.base["payee_person_id"]).to_numpy()
        return (site.program_is(*MEANS_TESTED) & payee_wealthy).nonzero()[0]

    def plant(self, site: PlantingSite, rate: float) -> None:
        p = site.persons
        k = site.count(rate)
        # Already on 低保 with a car or business hidden (income understated): the 低保 register
        # does not flag them, the relatives list and the vehicle or business register do. Every
        # such entry is a case, or the key would call a proven irregularity clean.
        wealthy = _wealthy(p)
        for i in site.take_rows(self.reserved_rows(site)):
            entry, key = site.entries[i], site.keys[i]
            person = p.loc[entry["payee_person_id"]]
            zh, en = _words(p, person, "registered")
            key.update(fault=self.code, true_amount=0.0, money_at_stake=entry["amount"], blatant=True,
                       evidence_registry="cadre_relatives", evidence_zh=zh, evidence_en=en,
                       pattern="dibao_understated_income")
            k -= 1
        relatives = site.adults_outside_dibao() & (p["cadre_relative_of"] != "") & ~(p["public_employee"] | p["retired_staff"])
        without_land = site.without_land()
        # Not also on the payroll, so the entry shows one irregularity, not two.
        pools = {form: p.index[relatives & (without_land if form == "farmland_no_contract" else wealthy)]
                 for form, program in FORMS.items() if site.has_program(program)}

        def plant(form: str, pid: str) -> bool:
            claim = site.claim(pid, FORMS[form])
            if claim is None:
                return False
            entry, amount = claim
            zh, en = _words(p, p.loc[pid], form)
            site.add(entry, self.code, amount, "cadre_relatives", zh, en, blatant=True, pattern=form)
            return True

        # the forms this world can show, taken in turn; at least two cases, so two forms show
        site.plant_forms(pools, max(k, min(site.count(rate), 2)), plant)

    def proven_by_registry(self, evidence: Evidence, program: str, id_number: str) -> bool:
        return _favoured(evidence, program, id_number)

    def review_carefully(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        """A car (not a farm vehicle) or a business behind means-tested aid, or a farmland claim
        with no land on record, for a cadre's relative."""
        if not context.use_registries:
            return None
        evidence, program, id_number = context.evidence, entry["program"], entry["id_number"]
        if id_number not in evidence.cadre_relatives:
            return None
        wealthy = id_number in evidence.cars or id_number in evidence.businesses
        if (program in MEANS_TESTED and wealthy) or (
                program == "farmland_fertility" and evidence.farmed_area(id_number) is None):
            return Verdict("reject", self.code)
        return None


FORMS = {"dibao_claim": "dibao", "tekun_claim": "tekun", "farmland_no_contract": "farmland_fertility"}


def _words(p: Any, person: Any, form: str) -> tuple[str, str]:
    cadre = p.loc[person["cadre_relative_of"]]
    if form == "farmland_no_contract":
        return (f"{person['name']}是村干部{cadre['name']}的近亲属，土地承包登记中没有其承包地，却申领耕地地力保护补贴",
                f"{person['name']} is a relative of cadre {cadre['name']} and holds no land contract, "
                "yet claims the farmland subsidy")
    owns = "车辆" if person["owns_vehicle"] else "工商登记的经营实体"
    owns_en = "a car" if person["owns_vehicle"] else "a registered business"
    what = {"registered": "已在低保名单中，收入申报不实", "dibao_claim": "不符合低保条件",
            "tekun_claim": "不符合特困供养条件"}[form]
    return (f"{person['name']}是村干部{cadre['name']}的近亲属，名下有{owns}，{what}",
            f"{person['name']} is a relative of cadre {cadre['name']} and owns {owns_en}")


def _favoured(evidence: Evidence, program: str, id_number: str) -> bool:
    """Means-tested aid for a cadre's relative who owns a car or a business."""
    return (program in MEANS_TESTED and id_number in evidence.cadre_relatives
            and (id_number in evidence.vehicles or id_number in evidence.businesses))


def _wealthy(p: pd.DataFrame) -> pd.Series:
    """Cadres' relatives (not on the payroll) who own a vehicle or business."""
    on_payroll = p["public_employee"] | p["retired_staff"]
    return (p["owns_vehicle"] | p["owns_business"]) & (p["cadre_relative_of"] != "") & ~on_payroll
