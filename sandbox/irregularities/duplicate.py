"""重复发放: a clean entry entered a second time — in the same village (`same_village`), under
another village (`two_villages`) or paid to the person's other card (`other_card`, 一人多卡). The
pair is one case: stopping either copy is right."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict, in_turn

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import InspectionContext, ReviewContext
    from sandbox.irregularities.planting import PlantingSite


class Duplicate(Irregularity):
    code = "duplicate"
    zh = "重复发放"
    en = "duplicate payment"
    keywords = ("重复发放", "重复领取", "重复", "重报", "两次", "多次", "duplicate", "twice")
    rule_zh = "同一项目同一期每个身份证号只能发放一次"
    rule_en = "each ID may be paid once per program and period"
    tip_zh = "按项目和身份证号查重，包括跨村重复"
    tip_en = "de-duplicate by program and ID number, across villages too"

    rate = Rate(default=0.008, description="same person twice (重复发放)")
    harm = "money_lost"
    severity = 2
    money = Money.SECOND_PAYMENT
    evidence = ("residents",)
    report_words = ("同一身份证号",)
    decision = "reject"
    fix_field = ""

    blatant = False
    objection_zh = "村民反映：{name}好像领了两份。"
    objection_en = "A villager: {name} seems to be paid twice."
    rectification_zh = "追回重复发放资金，按身份证号查重后再发放"
    rectification_en = "recover the second payment; de-duplicate by ID number before paying"

    planting = Planting.COPY
    check = Check.ROSTER

    def plant(self, site: PlantingSite, rate: float) -> None:
        clean = [i for i, key in enumerate(site.keys) if not key["fault"]]
        villages = site.village_names
        k = site.count(rate)
        # every clean entry in a random order, then the first of each program, the second…:
        # copies fall in several programs and take the forms in turn
        shuffled = [clean[j] for j in site.forms_rng.permutation(len(clean))]
        programs = [site.entries[i]["program"] for i in shuffled]
        rank: dict[str, int] = {}
        order: list[tuple[int, int, int]] = []
        for i, program in zip(shuffled, programs, strict=True):
            rank[program] = rank.get(program, -1) + 1
            order.append((rank[program], len(order), i))
        ranked = [i for _, _, i in sorted(order)]
        chosen = ranked[:k]
        other = site.other_accounts
        forms = in_turn(["same_village", *(["two_villages"] if len(villages) > 1 else []), "other_card"], len(chosen))
        # a copy to the person's other card needs a person with one: swap in the next who has
        spare = [i for i in ranked[k:] if site.entries[i]["payee_person_id"] in other]
        for slot, form in enumerate(forms):
            if form == "other_card" and site.entries[chosen[slot]]["payee_person_id"] not in other:
                if spare:
                    chosen[slot] = spare.pop(0)
                else:
                    forms[slot] = "same_village"
        for i, form in sorted(zip(chosen, forms, strict=True)):
            entry = dict(site.entries[i])
            if form == "two_villages":
                entry["village"] = str(site.rng.choice([v for v in villages if v != entry["village"]]))
            elif form == "other_card":  # 一人多卡: the same person again, paid to a savings account
                entry["account_number"], entry["bank"] = other[entry["payee_person_id"]]
            key = site.key_row(entry, self.code, true_amount=0.0, money_at_stake=entry["amount"],
                               evidence_registry="roster", pattern=form)
            site.copy(i, entry, key)

    def numbered(self, key: dict[str, Any]) -> None:
        key["evidence_zh"] = f"同一身份证号在同一项目中已有记录（{key['duplicate_of']}）"
        key["evidence_en"] = f"the same ID already has an entry for this program ({key['duplicate_of']})"

    def review(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        seen = (entry["id_number"], entry["program"])
        if seen in context.seen:
            return Verdict("reject", self.code)
        context.seen.add(seen)
        return None

    def inspect(self, line: Mapping[str, Any], context: InspectionContext) -> float | None:
        return float(line["amount"]) if line["line_id"] in context.repeated_lines else None
