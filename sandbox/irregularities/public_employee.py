"""公职人员违规领取: 低保 claimed by a household of somebody on the state payroll."""

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


class PublicEmployee(Irregularity):
    code = "public_employee"
    zh = "公职人员违规领取"
    en = "public employee claiming means-tested aid"
    keywords = ("公职人员", "财政供养", "吃财政", "公务员", "事业编", "在编", "工资", "public employee",
                "civil servant", "payroll")
    rule_zh = "财政供养人员及其家庭不得享受低保等救助类补贴"
    rule_en = "people on the state payroll and their households may not receive 低保 or other means-tested aid"
    tip_zh = "救助类项目逐人比对财政供养人员名单"
    tip_en = "check every claimant of means-tested aid against the state payroll"

    rate = Rate(default=0.008, description="payee on the state payroll (公职人员)")
    harm = "money_lost"
    severity = 3
    money = Money.NOT_ENTITLED
    evidence = ("payroll",)
    report_words = ("财政供养",)
    decision = "reject"
    fix_field = ""

    blatant = True
    objection_zh = "村民反映：{name}在单位上班吃财政饭，还吃低保。"
    objection_en = "A villager: {name} is on the state payroll and still gets 低保."
    rectification_zh = "停发并追回违规领取资金，取消救助资格，与财政供养人员名单比对"
    rectification_en = ("stop the payment and recover the money, end the aid, "
                        "compare with the state payroll")

    planting = Planting.ADD
    check = Check.ENTITLEMENT

    def plant(self, site: PlantingSite, rate: float) -> None:
        per_person = site.dibao_per_person()
        if per_person is None:
            return
        p = site.persons
        candidates = p[site.adults_outside_dibao() & p["public_employee"]]
        for pid in site.pick(candidates.index, site.count(rate)):
            name = p.at[pid, "name"]
            entry, amount = site.dibao_claim(pid, per_person)
            site.add(entry, self.code, amount, "payroll",
                     f"财政供养人员名单中有{name}，公职人员家庭不得享受低保",
                     f"{name} is on the state payroll; public employees' households may not get 低保",
                     blatant=True)

    def proven_by_registry(self, evidence: Evidence, program: str, id_number: str) -> bool:
        return _on_payroll(evidence, program, id_number)


def _on_payroll(evidence: Evidence, program: str, id_number: str) -> bool:
    return program in MEANS_TESTED and id_number in evidence.payroll
