"""The truth of the later pay periods (platform only): who is due what each month, the change
list (增减变动) the operator sees, and the harm ledger of the monthly stage (its score comes
from it: sandbox.platform.harm_ledger).

A standing entry is due, in month p, what the program's rule gives its payee on the month's
first day (alive then, still eligible, at the tier of their age); an entry planted as not
entitled (or as a second copy) is due nothing in any month.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

import sandbox.programs as program_catalogue
from sandbox.irregularities import FAULTS, Money
from sandbox.platform.harm import HarmItem, item, priced
from sandbox.platform.scoring import Miss, StageScore
from sandbox.rng import rng_for
from sandbox.world.timeline import Month, Timeline

VILLAGE_REPORTS_DEATH = 0.4   # a village hears of a payee's death and reports it (停发报告)
LATE_STOP_CREDIT = 0.5        # a case stopped late without recovering what was paid after death
CHANGE_COLUMNS = ["change_id", "kind", "entry_id", "village", "name", "id_number", "program", "amount",
                  "account_number", "members", "evidence_zh", "evidence_en", "status"]
KIND_TITLES = {
    "stop_report": ("停发报告", "stop report"), "application": ("新增申请", "new application"),
    "tier_change": ("高龄津贴档次调整", "allowance tier change"), "card_change": ("换卡", "card replaced"),
}


def monthly_programs(scenario) -> list:
    return [p for p in program_catalogue.catalogue(scenario) if p.frequency == "monthly"]


def due_table(view, scenario, month: Month) -> pd.Series:
    """Amount due in `month`, indexed by (program, payee_person_id)."""
    frame = program_catalogue.beneficiary_frame(view.persons, view.households, month.start)
    table = program_catalogue.entitlements_of(monthly_programs(scenario), frame)
    return table.groupby(["program", "payee_person_id"])["amount"].sum()


def never_due(fault: str) -> bool:
    """A planted entry that is due nothing in any month (not entitled, or a second copy)."""
    return bool(fault) and FAULTS[fault].money in (Money.NOT_ENTITLED, Money.SECOND_PAYMENT, Money.WRONG_ACCOUNT)


# --- the change list ---------------------------------------------------------------------------


def build_changes(attempt, timeline: Timeline, month: Month, standing: pd.DataFrame, view) -> list[dict]:
    """The 增减变动 list of one month, from the timeline's events that touch the standing roster
    (deaths reported by villages, 低保 ended, tier changes, lost cards) or add to it."""
    p = month.period
    events = timeline.of(p)
    persons = view.persons.set_index("person_id")
    active = standing[standing["active"]]
    by_payee = active.groupby("payee_person_id")["entry_id"].apply(list).to_dict()
    rng = rng_for(attempt.scenario.seed, "monthly", "village_reports", p)
    rows: list[dict] = []

    def add(kind: str, entry: dict | None, person: str, zh: str, en: str, **values) -> None:
        who = persons.loc[person]
        row = {"change_id": f"C{p}-{len(rows) + 1:03d}", "kind": kind, "entry_id": entry["entry_id"] if entry else "",
               "village": who["village"], "name": who["name"], "id_number": who["id_number"],
               "program": entry["program"] if entry else "", "amount": entry["amount"] if entry else 0.0,
               "account_number": entry["account_number"] if entry else "", "members": "",
               "evidence_zh": zh, "evidence_en": en, "status": "pending"}
        row.update(values)
        rows.append(row)

    entries = active.set_index("entry_id")
    for event in events.to_dict("records"):
        kind, person = event["kind"], event["person_id"]
        mine = [dict(entries.loc[e], entry_id=e) for e in by_payee.get(person, [])]
        if kind == "death" and mine and rng.random() < VILLAGE_REPORTS_DEATH:
            for entry in mine:
                add("stop_report", entry, person, f"村委会报告：{entry['name']}已去世，请停发",
                    f"village committee: {entry['name']} has died; stop the payment")
        elif kind == "dibao_ended":
            household = event["household_id"]
            for entry in active[(active["household_id"] == household)
                                & active["program"].isin(["dibao", "disabled_living"])].to_dict("records"):
                add("stop_report", entry, entry["payee_person_id"],
                    f"民政：该户人均收入已升至{float(event['detail']):.0f}元，自{month.label}起停保",
                    f"civil affairs: income now ¥{float(event['detail']):.0f} a person; 低保 ends from {month.label}")
        elif kind == "birthday":
            _birthday(add, event, mine, person, view, attempt.scenario, month)
        elif kind in {"dibao_new", "dibao_claim"}:
            _application(add, event, view, attempt.scenario, month)
        elif kind == "card_lost" and mine:
            new = timeline.new_accounts
            card = new[new["replaces"] == event["detail"]]
            for entry in mine:
                if entry["account_number"] == event["detail"] and len(card):
                    add("card_change", entry, person, f"社保卡挂失补卡：原卡{event['detail']}已挂失",
                        f"card reported lost ({event['detail']}); a new card was issued",
                        account_number=str(card["account_number"].iloc[0]))
    return rows


def _birthday(add, event: dict, mine: list[dict], person: str, view, scenario, month: Month) -> None:
    tier = int(event["detail"])
    program = program_catalogue.program("old_age_allowance", scenario)
    if program.code not in {p.code for p in monthly_programs(scenario)}:
        return
    amount = dict(program.formula.tiers)[tier]
    allowance = [e for e in mine if e["program"] == "old_age_allowance"]
    if allowance:
        for entry in allowance:
            add("tier_change", entry, person, f"{month.start:%Y年%m月}起满{tier}周岁，高龄津贴调为{amount:.0f}元",
                f"turned {tier}: the allowance becomes ¥{amount:.0f} from {month.label}", amount=amount)
    elif tier == 80:
        card = _primary_card(view, person)
        add("application", {"entry_id": "", "program": "old_age_allowance", "amount": amount, **card}, person,
            f"高龄津贴申请：{event['date']:%Y-%m-%d}满80周岁", f"old-age allowance: turned 80 on {event['date']:%Y-%m-%d}")


def _application(add, event: dict, view, scenario, month: Month) -> None:
    household = event["household_id"]
    members = view.persons[view.persons["household_id"] == household]
    income = float(event["detail"])
    standard = program_catalogue.program("dibao", scenario).formula.standard
    amount = round(max(0.0, standard - income) * len(members), 2)
    card = _primary_card(view, event["person_id"])
    add("application", {"entry_id": "", "program": "dibao", "amount": amount, **card}, event["person_id"],
        f"低保申请：家庭{len(members)}人，申报人均月收入{income:.0f}元，村民代表评议通过",
        f"低保 application: {len(members)} members, declared income ¥{income:.0f} a person, approved by the village",
        members=";".join(members["id_number"]))


def _primary_card(view, person: str) -> dict:
    cards = view.accounts[(view.accounts["person_id"] == person) & view.accounts["primary"]]
    if not len(cards):
        return {"account_number": "", "bank": ""}
    return {"account_number": str(cards["account_number"].iloc[0]), "bank": str(cards["bank"].iloc[0])}


# --- scoring -----------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What happened, month by month: improper money paid and at stake, harms, recoveries."""

    improper_paid: float = 0.0
    exposure: float = 0.0
    due_total: float = 0.0
    recovered: float = 0.0
    over_recovered: float = 0.0
    items: list[HarmItem] = field(default_factory=list)     # harms as they happened (cases aside)
    cases: dict[str, dict] = field(default_factory=dict)   # entry_id -> case (first improper month…)
    misses: list[Miss] = field(default_factory=list)
    wrongful_stops: int = 0


def case_credit(case: dict) -> float:
    if case["stopped_at"] is None:
        return 0.0
    if case["paid"] <= 0.005 or abs(case["recovered"] - case["paid"]) <= 0.01:
        return 1.0
    return LATE_STOP_CREDIT


def case_items(ledger: Ledger, scoring) -> list[HarmItem]:
    """Money paid to payees due nothing: all of it weighs `recovered`, what was not recovered the
    rest of money_let_through (the monthly stage both pays and recovers)."""
    out = []
    for case in ledger.cases.values():
        if case["paid"] > 0.005:
            out.append(item(scoring, "monthly", "improper_paid", case["entry_id"], case["paid"]))
            out.append(priced(scoring, "monthly", "recovery", case["entry_id"], 1, families=1))
            if case["paid"] - case["recovered"] > 0.005:
                out.append(item(scoring, "monthly", "not_recovered", case["entry_id"], case["paid"] - case["recovered"]))
    return out


def score_months(ledger: Ledger, months: int, lang: str) -> StageScore:
    """Misses and metrics of the months (the score comes from the harm ledger)."""
    cases = list(ledger.cases.values())
    lost = max(0.0, ledger.improper_paid - ledger.recovered)
    misses = list(ledger.misses)
    for case in cases:
        if case_credit(case) < 1.0:
            misses.append(case_miss(case, lang))
    metrics = {"months": months, "cases": len(cases), "caught": round(sum(case_credit(c) for c in cases), 2),
               "money_paid_after_death": round(sum(c["paid"] for c in cases if c["fault"] == "dead_payee"), 2),
               "money_improper_paid": round(ledger.improper_paid, 2), "money_at_stake": round(ledger.exposure, 2),
               "money_recovered": round(ledger.recovered, 2), "money_over_recovered": round(ledger.over_recovered, 2),
               "money_lost": round(lost, 2), "wrongful_stops": ledger.wrongful_stops}
    return StageScore("monthly", 100.0, metrics, misses)


def case_miss(case: dict, lang: str) -> Miss:
    fault = FAULTS[case["fault"]]
    if case["stopped_at"] is None:
        zh, en = "持续发放未停发", "kept paying"
    else:
        zh, en = "停发但未足额追回", "stopped without recovering what was paid"
    title = f"{zh}：{fault.zh}" if lang == "zh" else f"{en}: {fault.en}"
    evidence = (f"{case['why_zh']}；{case['from_label']}起不应发放，已发{case['paid']:.2f}元，追回{case['recovered']:.2f}元"
                if lang == "zh" else f"{case['why_en']}; not due from {case['from_label']}, paid ¥{case['paid']:.2f}, "
                f"recovered ¥{case['recovered']:.2f}")
    tip = ("每月发放前比对死亡登记、火化和医保停保记录；死亡后已发的钱要追回"
           if lang == "zh" else "each month before paying, compare deaths, cremations and stopped medical insurance; "
           "recover what was paid after a death")
    return Miss(case["entry_id"], "kept_paying" if case["stopped_at"] is None else "not_recovered", fault.code,
                title, round(case["paid"] - case["recovered"], 2), evidence, fault.rule(lang), tip)


def harm_miss(entry_id: str, kind: str, amount: float, lang: str, zh: str, en: str) -> Miss:
    titles = {"wrongful_stop": ("错误停发", "stopped an entitled payee"),
              "wrongful_rejection": ("错误驳回申请", "rejected an entitled application"),
              "left_pending": ("申请未处理", "application left pending"),
              "underpaid": ("未按新档次发放", "paid below the new tier"),
              "card_not_updated": ("未更新新卡，发放失败", "payment to a lost card failed"),
              "over_recovery": ("追回金额过多", "recovered more than was paid after death")}
    t_zh, t_en = titles[kind]
    rule = "合规对象应按月足额发放" if lang == "zh" else "an entitled family is paid in full every month"
    tip = ("停发或驳回前先找到登记中的证据" if lang == "zh" else "find the registry evidence before stopping or rejecting")
    return Miss(entry_id, kind, "", t_zh if lang == "zh" else t_en, round(amount, 2), zh if lang == "zh" else en,
                rule, tip)
