"""公职人员违规领取: somebody on the state payroll claims 低保 (`dibao_claim`), 特困
(`tekun_claim`) or a farmland subsidy for land they hold no contract for (`farmland_no_contract`);
or a retiree drawing a staff pension also claims the residents' basic pension (`retired_pension`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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
    from sandbox.irregularities.evidence import Evidence, ReviewContext
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
        p = site.persons
        serving = site.adults_outside_dibao() & p["public_employee"]
        without_land = site.without_land()
        # Retired staff draw a staff pension: the residents' basic pension is a second one (重复领取).
        retired = p["alive"] & p["retired_staff"] & (p["age"] >= 60)
        pools = {"dibao_claim": serving, "tekun_claim": serving, "farmland_no_contract": serving & without_land,
                 "retired_pension": retired}
        # the forms this world can show, taken in turn; a form with no candidate left gives way
        usable = {form: p.index[pool] for form, pool in pools.items() if site.has_program(FORMS[form])}

        def plant(form: str, pid: str) -> bool:
            claim = site.claim(pid, FORMS[form])
            if claim is None:
                return False
            entry, amount = claim
            zh, en = _words(form, p.at[pid, "name"])
            site.add(entry, self.code, amount, "payroll", zh, en, blatant=True, pattern=form)
            return True

        site.plant_forms(usable, site.count(rate), plant)

    def proven_by_registry(self, evidence: Evidence, program: str, id_number: str) -> bool:
        return _on_payroll(evidence, program, id_number)

    def review_carefully(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        """Only staff still serving (a retiree is not on the payroll), on means-tested aid or on
        a farmland claim without land on record."""
        if not context.use_registries:
            return None
        evidence, program, id_number = context.evidence, entry["program"], entry["id_number"]
        if program == PENSION and id_number in evidence.payroll:
            if id_number in evidence.serving:
                # "serving" at pension age: a row the payroll office has not cleared (stale), or
                # staff past retirement — the registers cannot tell; a visit can
                return Verdict("refer")
            return Verdict("reject", self.code)  # retired: a staff pension already
        if id_number not in evidence.serving:
            return None
        if program in MEANS_TESTED or (program == "farmland_fertility" and evidence.farmed_area(id_number) is None):
            return Verdict("reject", self.code)
        return None


PENSION = "basic_pension"
FORMS = {  # form: the program it claims
    "dibao_claim": "dibao", "tekun_claim": "tekun", "retired_pension": PENSION,
    "farmland_no_contract": "farmland_fertility"}
PROGRAM_ZH = {"dibao": "低保", "tekun": "特困供养", "farmland_fertility": "耕地地力保护补贴"}


def _words(form: str, name: str) -> tuple[str, str]:
    if form == "farmland_no_contract":
        return (f"财政供养人员名单中有{name}（在职），土地承包登记中没有其承包地，却申领耕地地力保护补贴",
                f"{name} is on the state payroll and holds no land contract, yet claims the farmland subsidy")
    if form == "retired_pension":
        return (f"财政供养人员名单中{name}为退休人员，已领取机关事业单位养老金，不得再领城乡居民基础养老金",
                f"{name} is a retiree on the state payroll drawing a staff pension; "
                "the residents' basic pension would be a second one")
    return (f"财政供养人员名单中有{name}，公职人员家庭不得享受{PROGRAM_ZH[FORMS[form]]}",
            f"{name} is on the state payroll; public employees' households may not get {FORMS[form]}")


def _on_payroll(evidence: Evidence, program: str, id_number: str) -> bool:
    return program in MEANS_TESTED and id_number in evidence.payroll
