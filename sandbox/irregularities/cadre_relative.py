"""优亲厚友: 低保 for a village cadre's close relative whose household owns a car or a business."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.irregularities.base import (
    MEANS_TESTED,
    Check,
    Irregularity,
    Money,
    Planting,
    Rate,
)

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import Evidence
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

    def plant(self, site: PlantingSite, rate: float) -> None:
        per_person = site.dibao_per_person()
        if per_person is None:
            return
        p = site.persons
        # Not also on the payroll, so the entry shows one irregularity, not two.
        candidates = p[site.adults_outside_dibao() & (p["cadre_relative_of"] != "")
                       & (p["owns_vehicle"] | p["owns_business"]) & ~p["public_employee"]]
        for pid in site.pick(candidates.index, site.count(rate)):
            person = p.loc[pid]
            entry, amount = site.dibao_claim(pid, per_person)
            cadre = p.loc[person["cadre_relative_of"]]
            owns = "车辆" if person["owns_vehicle"] else "工商登记的经营实体"
            owns_en = "a vehicle" if person["owns_vehicle"] else "a registered business"
            site.add(entry, self.code, amount, "cadre_relatives",
                     f"{person['name']}是村干部{cadre['name']}的近亲属，名下有{owns}，不符合低保条件",
                     f"{person['name']} is a relative of cadre {cadre['name']} and owns {owns_en}",
                     blatant=True)

    def proven_by_registry(self, evidence: Evidence, program: str, id_number: str) -> bool:
        return _favoured(evidence, program, id_number)


def _favoured(evidence: Evidence, program: str, id_number: str) -> bool:
    """Means-tested aid for a cadre's relative who owns a car or a business."""
    return (program in MEANS_TESTED and id_number in evidence.cadre_relatives
            and (id_number in evidence.vehicles or id_number in evidence.businesses))
