"""资格不符: a claim from somebody the program's conditions exclude — a pension before 60, or the
severe-disability allowance without a grade 1 or 2 certificate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import InspectionContext, ReviewContext
    from sandbox.irregularities.planting import PlantingSite

PENSION, PENSION_AGE = "basic_pension", 60
CARE, CARE_GRADES = "severe_disability_care", (1, 2)


class Ineligible(Irregularity):
    code = "ineligible"
    zh = "资格不符"
    en = "not eligible"
    keywords = ("资格不符", "不符合条件", "不符合", "资格", "年龄不够", "年龄不足", "不足", "未满", "不满",
                "无残疾证", "条件不符", "ineligible", "not eligible")
    rule_zh = "申领人须满足项目条件（年龄、残疾等级、低保身份等）"
    rule_en = "the claimant must meet the program's conditions (age, disability grade, 低保 status…)"
    tip_zh = "对照项目条件逐条核对户籍年龄、残疾人证和低保登记"
    tip_en = "check each condition against the registered age, disability certificate and 低保 register"

    rate = Rate(default=0.008, description="does not meet the program's rule (资格不符)")
    harm = "money_lost"
    severity = 2
    money = Money.NOT_ENTITLED
    evidence = ("residents", "disability", "dibao")
    report_words = ("未满", "残疾")
    decision = "reject"
    fix_field = ""

    blatant = False
    objection_zh = "村民反映：{name}不够条件。"
    objection_en = "A villager: {name} does not qualify."
    rectification_zh = "停发并追回资金，按项目条件重新核定资格"
    rectification_en = "stop the payment and recover the money; check the entitlement against the program's conditions"

    planting = Planting.ADD
    check = Check.ENTITLEMENT

    def plant(self, site: PlantingSite, rate: float) -> None:
        k = site.count(rate)
        p = site.persons
        pension = site.typical_amount(PENSION)
        care = site.typical_amount(CARE)
        young = p[p["alive"] & (p["age"] >= 50) & (p["age"] < PENSION_AGE)]
        no_grade = p[p["alive"] & (p["age"] >= 18) & ~p["disability_grade"].isin(list(CARE_GRADES))]
        # Every other case claims the severe-disability allowance without grade 1 or 2.
        care_claimants = iter(site.pick(no_grade.index, k // 2) if care is not None else [])
        for n_done, pid in enumerate(site.pick(young.index, k)):
            use_care = care is not None and n_done % 2 == 1
            if use_care:
                pid = next(care_claimants, pid)
            person = p.loc[pid]
            if use_care:
                entry = site.entry_for(pid, CARE, care)
                zh = f"残疾人证登记中{person['name']}不是一、二级重度残疾"
                en = f"the disability register does not show {person['name']} at grade 1 or 2"
                registry = "disability"
            elif pension is not None:
                entry = site.entry_for(pid, PENSION, pension)
                zh = f"户籍登记{person['name']}出生于{person['birth_date']:%Y-%m-%d}，未满60周岁"
                en = f"residents register: {person['name']} was born {person['birth_date']:%Y-%m-%d}, under 60"
                registry = "residents"
            else:
                continue
            site.add(entry, self.code, entry["amount"], registry, zh, en, blatant=False)

    def review(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        if not context.use_registries:
            return None
        evidence, program, id_number = context.evidence, entry["program"], entry["id_number"]
        age = evidence.age(id_number)
        if program == PENSION and age is not None and age < PENSION_AGE:
            return Verdict("reject", self.code)
        if program == CARE and evidence.grade.get(id_number) not in CARE_GRADES:
            return Verdict("reject", self.code)
        return None

    def inspect(self, line: Mapping[str, Any], context: InspectionContext) -> float | None:
        evidence, program, id_number = context.evidence, line["program"], line["payee_id_number"]
        if evidence is None:
            return None
        too_young = program == PENSION and (evidence.age(id_number) or PENSION_AGE) < PENSION_AGE
        no_grade = (program == CARE and id_number in evidence.residents.index
                    and evidence.grade.get(id_number) not in CARE_GRADES)
        return float(line["amount"]) if too_young or no_grade else None
