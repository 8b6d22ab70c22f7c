"""资格不符: a claim from somebody the program's conditions exclude. Forms: a pension before 60
(`pension_under_60`), the severe-disability allowance without a grade 1 or 2 certificate
(`care_without_grade`), the old-age allowance before 80 (`allowance_under_80`), the living
subsidy for disabled people outside 低保/特困 (`disabled_outside_dibao`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import InspectionContext, ReviewContext
    from sandbox.irregularities.planting import PlantingSite

PENSION, PENSION_AGE = "basic_pension", 60
CARE, CARE_GRADES = "severe_disability_care", (1, 2)
ALLOWANCE, ALLOWANCE_AGE = "old_age_allowance", 80
LIVING = "disabled_living"  # 困难残疾人生活补贴: disabled and in a 低保 household


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
        p = site.persons
        living_adult = p["alive"] & (p["age"] >= 18)
        poor = p["household_id"].isin(site.dibao_members) | p["tekun"]
        pools = {
            "pension_under_60": (PENSION, p["alive"] & (p["age"] >= 50) & (p["age"] < PENSION_AGE)),
            "care_without_grade": (CARE, living_adult & ~p["disability_grade"].isin(list(CARE_GRADES))),
            "allowance_under_80": (ALLOWANCE, p["alive"] & (p["age"] >= 72) & (p["age"] < ALLOWANCE_AGE)),
            "disabled_outside_dibao": (LIVING, living_adult & (p["disability_grade"] > 0) & ~poor),
        }
        usable = {form: p.index[pool] for form, (program, pool) in pools.items()
                  if site.has_program(program) and site.typical_amount(program) is not None}

        def plant(form: str, pid: str) -> bool:
            program = pools[form][0]
            amount = site.typical_amount(program)
            registry, zh, en = _evidence(form, p.loc[pid])
            site.add(site.entry_for(pid, program, amount), self.code, amount, registry, zh, en,
                     blatant=False, pattern=form)
            return True

        # the forms this world can show, taken in turn; a form with no candidate left gives way
        site.plant_forms(usable, site.count(rate), plant)

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

    def review_carefully(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        """The plain rules, the old-age allowance before 80, the living subsidy outside 低保/特困,
        and a farmland claim with no land on record at all; a care claim with no certificate on
        record is visited rather than rejected."""
        if not context.use_registries:
            return None
        evidence, program, id_number = context.evidence, entry["program"], entry["id_number"]
        if program == CARE and id_number not in evidence.grade:
            # No certificate on record at all: a row the 残联 list may simply lack. A visit
            # sees the certificate (or its absence); one low grade on record is proof enough.
            return Verdict("refer")
        verdict = self.review(entry, context)
        if verdict is not None:
            return verdict
        age = evidence.age(id_number)
        if program == ALLOWANCE and age is not None and age < ALLOWANCE_AGE:
            return Verdict("reject", self.code)
        if program == LIVING and id_number in evidence.residents.index and not _poor(evidence, id_number):
            return Verdict("reject", self.code)
        if program == "farmland_fertility" and evidence.farmed_area(id_number) is None:
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


def _poor(evidence: Any, id_number: str) -> bool:
    """In a 低保 household (the register lists the head) or 特困 themselves."""
    if "特困" in evidence.dibao_kind.get(id_number, set()):
        return True
    household = evidence.residents.at[id_number, "household_id"]
    return household in evidence.dibao_households


def _evidence(form: str, person: Any) -> tuple[str, str, str]:
    name = person["name"]
    if form == "care_without_grade":
        return ("disability", f"残疾人证登记中{name}不是一、二级重度残疾",
                f"the disability register does not show {name} at grade 1 or 2")
    if form == "disabled_outside_dibao":
        return ("dibao", f"{name}家庭不在低保、特困登记中，不符合困难残疾人生活补贴条件",
                f"{name}'s household is on neither the 低保 nor the 特困 register")
    limit = PENSION_AGE if form == "pension_under_60" else ALLOWANCE_AGE
    return ("residents", f"户籍登记{name}出生于{person['birth_date']:%Y-%m-%d}，未满{limit}周岁",
            f"residents register: {name} was born {person['birth_date']:%Y-%m-%d}, under {limit}")
