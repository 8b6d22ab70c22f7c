"""Scripted trainees. Each plays the stages through the same public Session API a person
uses, so their scores show whether a scenario rewards care and punishes shortcuts."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sandbox.common.normalize import (
    check_card_number,
    check_id_number,
    clean_roster,
    suggest_id_fix,
)
from sandbox.session.session import Session

MEANS_TESTED = {"dibao", "tekun", "disabled_living"}
BAD_CARD_STATES = {"reported_lost", "closed"}


def _decision(entry_id: str, decision: str, reason: str = "", field: str = "", value: str = "") -> dict:
    return {"entry_id": entry_id, "decision": decision, "reason": reason, "field": field, "value": value,
            "note": ""}


class Evidence:
    """Registry tables turned into look-ups, fetched once through the session."""

    def __init__(self, session: Session) -> None:
        get = session.registries.get
        self.residents = get("residents").drop_duplicates("id_number").set_index("id_number")
        self.residents_by_name = get("residents").groupby("name")["id_number"].apply(list).to_dict()
        deaths = get("deaths")
        self.death_date = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"]), strict=True))
        self.payroll = set(get("payroll")["id_number"])
        self.cadre_relatives = set(get("cadre_relatives")["id_number"])
        self.vehicles = set(get("vehicles")["id_number"])
        self.businesses = set(get("businesses")["id_number"])
        self.cadres = set(get("cadres")["id_number"])
        land = get("land_contracts")
        self.land = land.groupby("id_number")["area_mu"].sum().to_dict()
        disability = get("disability")
        self.grade = dict(zip(disability["id_number"], disability["grade"], strict=True))
        cards = get("card_status")
        self.card_holder = dict(zip(cards["account_number"], cards["id_number"], strict=True))
        usable = cards[~cards["status"].isin(BAD_CARD_STATES)].copy()
        usable["rank"] = (usable["kind"] != "social_security_card").astype(int)
        usable = usable.sort_values(["id_number", "rank"], kind="stable")
        self.own_card = usable.drop_duplicates("id_number").set_index("id_number")[["account_number", "bank"]]
        programs = session.programs().set_index("program")
        self.fixed_amount = programs["amount"].dropna().to_dict()
        self.tiers = {code: [tuple(map(float, t.split(":"))) for t in str(text).split(";")]
                      for code, text in programs["tiers"].dropna().items()}
        brief = session.brief()
        self.period_start = pd.Timestamp(brief["period"].split(" ")[0])

    def age(self, id_number: str) -> int | None:
        if id_number not in self.residents.index:
            return None
        born = pd.Timestamp(self.residents.at[id_number, "birth_date"])
        start = self.period_start
        return start.year - born.year - ((start.month, start.day) < (born.month, born.day))

    def standard_amount(self, program: str, id_number: str) -> float | None:
        if program in self.fixed_amount:
            return float(self.fixed_amount[program])
        if program in self.tiers:
            age = self.age(id_number)
            reached = [amount for min_age, amount in self.tiers[program] if age is not None and age >= min_age]
            return reached[-1] if reached else None
        return None


def clean_forms(session: Session) -> pd.DataFrame:
    clean, _issues = clean_roster(session.collection.forms())
    return clean


def careful_decision(entry: dict, ev: Evidence, seen: set[tuple[str, str]], use_registries: bool) -> dict:
    """What a careful reviewer decides for one entry (with or without registry checks)."""
    entry_id, program = entry["entry_id"], entry["program"]
    id_number, account = entry["id_number"], entry["account_number"]
    if (id_number, program) in seen:
        return _decision(entry_id, "reject", "duplicate")
    seen.add((id_number, program))
    if not check_id_number(id_number).valid:
        if not use_registries:
            fix = suggest_id_fix(id_number)
            return _decision(entry_id, "correct", field="id_number", value=fix) if fix else _decision(entry_id, "refer")
        matches = ev.residents_by_name.get(entry["name"], [])
        if len(matches) == 1:
            return _decision(entry_id, "correct", field="id_number", value=matches[0])
        return _decision(entry_id, "refer")
    standard = ev.standard_amount(program, id_number) if use_registries or program in ev.fixed_amount else None
    if use_registries:
        died = ev.death_date.get(id_number)
        if died is not None and died < ev.period_start:
            return _decision(entry_id, "reject", "dead_payee")
        if program in MEANS_TESTED and id_number in ev.payroll:
            return _decision(entry_id, "reject", "public_employee")
        if program in MEANS_TESTED and id_number in ev.cadre_relatives and (
                id_number in ev.vehicles or id_number in ev.businesses):
            return _decision(entry_id, "reject", "cadre_relative")
        age = ev.age(id_number)
        if program == "basic_pension" and age is not None and age < 60:
            return _decision(entry_id, "reject", "ineligible")
        if program == "severe_disability_care" and ev.grade.get(id_number) not in (1, 2):
            return _decision(entry_id, "reject", "ineligible")
        if id_number in ev.residents.index and ev.residents.at[id_number, "name"] != entry["name"]:
            return _decision(entry_id, "correct", field="name", value=ev.residents.at[id_number, "name"])
        holder = ev.card_holder.get(account)
        if (holder is None or holder != id_number) and id_number in ev.own_card.index:
            return _decision(entry_id, "correct", field="account_number",
                             value=ev.own_card.at[id_number, "account_number"])
        if program == "farmland_fertility" and id_number in ev.land:
            contracted = float(ev.land[id_number])
            if float(entry["quantity"]) > contracted + 0.05:
                return _decision(entry_id, "correct", field="quantity", value=f"{contracted:.1f}")
    elif not check_card_number(account).valid:
        return _decision(entry_id, "refer")
    if standard is not None and abs(float(entry["amount"]) - standard) > 0.005:
        return _decision(entry_id, "correct", field="amount", value=f"{standard:.2f}")
    return _decision(entry_id, "approve")


def _review_carefully(session: Session, use_registries: bool) -> None:
    clean = clean_forms(session)
    session.collection.submit(clean)
    ev = Evidence(session)
    seen: set[tuple[str, str]] = set()
    roster = session.review.roster()
    decisions = [careful_decision(e, ev, seen, use_registries) for e in roster.to_dict("records")]
    session.review.submit(pd.DataFrame(decisions))
    _after_visits(session, ev, use_registries)
    _post_and_answer(session, uphold=use_registries)


def _after_visits(session: Session, ev: Evidence, use_registries: bool) -> None:
    """Read the home-visit reports and turn each referral into a final decision."""
    visits = session.review.wait_for_visits()
    final = []
    for visit in visits.to_dict("records"):
        finding = f"{visit['finding_zh']} {visit['finding_en']}"
        if "属实" in finding or "genuine" in finding:
            final.append(_decision(visit["entry_id"], "approve"))
        elif "正确的" in finding and "为" in finding:
            field, value = _finding_fix(visit["finding_en"])
            final.append(_decision(visit["entry_id"], "correct", field=field, value=value) if field
                         else _decision(visit["entry_id"], "approve"))
        else:
            final.append(_decision(visit["entry_id"], "reject", _reason_from(finding)))
    if final:
        session.review.submit(pd.DataFrame(final))


def _finding_fix(text: str) -> tuple[str, str]:
    marker = "The right "
    if marker not in text:
        return "", ""
    field, _, value = text.split(marker, 1)[1].partition(" is ")
    return field.strip(), value.strip().rstrip(".")


def _reason_from(text: str) -> str:
    for word, code in (("死亡", "dead_payee"), ("财政供养", "public_employee"), ("近亲属", "cadre_relative"),
                       ("未满", "ineligible"), ("残疾", "ineligible"), ("同一身份证号", "duplicate")):
        if word in text:
            return code
    return "ineligible"


def _post_and_answer(session: Session, uphold: bool) -> None:
    objections = session.review.post_notice()
    roster = session.review.roster().set_index("entry_id")
    for objection in objections.to_dict("records"):
        decided = roster.at[objection["entry_id"], "decision"]
        # A careful reviewer checked this entry already: keep the decision, say why.
        response = "dismiss" if decided in {"approve", "correct"} or not uphold else "uphold"
        session.review.respond(objection["objection_id"], response)
    session.review.finalize()


def pay_and_fix(session: Session, fixer: Callable[[Session, dict], tuple[str, str] | None],
                rounds: int = 3) -> None:
    """Send the request, then work the failure desk for a few rounds of re-issue."""
    session.payout.submit(session.payout.build_request(), progress=False)
    for _ in range(rounds):
        chosen = 0
        for line in session.failures.table().to_dict("records"):
            if line["fix"]:
                continue
            fix = fixer(session, line)
            if fix:
                session.failures.act(line["line_id"], fix[0], fix[1])
                chosen += fix[0] != "stop_recover"
        if not chosen:
            break
        session.failures.reissue()


def careful_fix(session: Session, line: dict) -> tuple[str, str] | None:
    """Look the payee up in the card register and pick the fix the return code calls for."""
    code = line["code"]
    if code == "MD07":
        return ("stop_recover", "")
    cards = session.failures.card_status(line["line_id"])
    this = cards[cards["account_number"] == line["account_number"]]
    status = this["status_now"].iloc[0] if len(this) else ""
    if code == "BE01":
        holder = this["holder_name"].iloc[0] if len(this) else ""
        return ("correct_name", holder) if holder else None
    if status in {"not_activated", "pin_locked", "frozen", "dormant", "reported_lost"}:
        return ("activate_card", "")
    others = cards[(cards["account_number"] != line["account_number"])
                   & ~cards["status_now"].isin(["reported_lost", "closed"])]
    if len(others):
        return ("pay_other_account", str(others["account_number"].iloc[0]))
    return ("new_card", "") if status == "closed" else None


def code_only_fix(session: Session, line: dict) -> tuple[str, str] | None:
    """Act on the return code alone, without looking anything up."""
    return ("activate_card", "") if line["code"] in {"AG01", "NOCM"} else None


def statement_from_results(session: Session) -> pd.DataFrame:
    """What a careful clerk writes: the banks' results summed, latest line per entry."""
    results = session.payout.results().drop_duplicates("entry_id", keep="last")
    statement = session.reconciliation.template().set_index("program")
    for status, column in (("credited", "paid"), ("returned", "returned"), ("pending", "pending")):
        sums = results[results["status"] == status].groupby("program")["amount"].sum()
        statement[column] = sums.reindex(statement.index, fill_value=0.0).round(2)
    statement["unspent"] = (statement["allocated"] - statement["paid"] - statement["returned"]
                            - statement["pending"]).round(2)
    return statement.reset_index()


def reconcile_from_results(session: Session) -> None:
    session.reconciliation.submit(statement_from_results(session))


def reconcile_lazily(session: Session) -> None:
    """Everything requested counted as paid: what a hurried clerk writes."""
    request = session.payout.results().groupby("program")["amount"].sum()
    statement = session.reconciliation.template().set_index("program")
    statement["paid"] = request.reindex(statement.index, fill_value=0.0)
    statement[["returned", "pending"]] = 0.0
    statement["unspent"] = statement["allocated"] - statement["paid"]
    session.reconciliation.submit(statement.reset_index())


def play_perfect(session: Session) -> None:
    _review_carefully(session, use_registries=True)
    pay_and_fix(session, careful_fix)
    reconcile_from_results(session)
    play_disclosure(session, careful=True)
    play_supervision(session, careful=True)


def play_no_registry_checks(session: Session) -> None:
    _review_carefully(session, use_registries=False)
    pay_and_fix(session, code_only_fix)
    reconcile_from_results(session)
    play_disclosure(session, careful=True)
    play_supervision(session, careful=True, use_registries=False)


def play_approve_all(session: Session) -> None:
    forms = session.collection.forms()
    session.collection.submit(forms)
    roster = session.review.roster()
    session.review.submit(pd.DataFrame([_decision(e, "approve") for e in roster["entry_id"]]))
    objections = session.review.post_notice()
    for objection_id in objections["objection_id"]:
        session.review.respond(objection_id, "dismiss")
    session.review.finalize()
    session.payout.submit(session.payout.build_request(), progress=False)
    reconcile_lazily(session)
    play_disclosure(session, careful=False)
    play_supervision(session, careful=False)


def play_reject_suspicious(session: Session) -> None:
    clean = clean_forms(session)
    session.collection.submit(clean)
    ev = Evidence(session)
    flagged = ev.payroll | ev.cadre_relatives | ev.cadres | ev.vehicles | ev.businesses | set(ev.death_date)
    roster = session.review.roster()
    namesakes = roster.groupby("name")["id_number"].nunique()  # different people, one name
    decisions = []
    for entry in roster.to_dict("records"):
        suspicious = (entry["id_number"] in flagged or namesakes[entry["name"]] > 1
                      or not check_id_number(entry["id_number"]).valid
                      or not check_card_number(entry["account_number"]).valid)
        decisions.append(_decision(entry["entry_id"], "reject", "ineligible") if suspicious
                         else _decision(entry["entry_id"], "approve"))
    session.review.submit(pd.DataFrame(decisions))
    objections = session.review.post_notice()
    for objection_id in objections["objection_id"]:
        session.review.respond(objection_id, "uphold", "ineligible")
    session.review.finalize()
    pay_and_fix(session, lambda _s, _line: ("stop_recover", ""))
    reconcile_from_results(session)
    play_disclosure(session, careful=True)
    play_supervision_suspicious(session)


def play_random(session: Session, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    forms = session.collection.forms()
    session.collection.submit(forms)
    roster = session.review.roster()
    reasons = ["dead_payee", "duplicate", "ineligible", "public_employee"]
    decisions = []
    for entry_id in roster["entry_id"]:
        roll = rng.random()
        if roll < 0.7:
            decisions.append(_decision(entry_id, "approve"))
        else:
            decisions.append(_decision(entry_id, "reject", str(rng.choice(reasons))))
    session.review.submit(pd.DataFrame(decisions))
    session.review.post_notice()
    session.review.finalize()
    pay_and_fix(session, lambda _s, line: ("activate_card", "") if rng.random() < 0.5 and line["code"] == "AG01"
                else None)
    reconcile_lazily(session)
    play_disclosure(session, careful=bool(rng.random() < 0.5))
    play_supervision_random(session, rng)


PERSONAS: dict[str, Callable[[Session], None]] = {
    "perfect": play_perfect,
    "no-registry-checks": play_no_registry_checks,
    "approve-all": play_approve_all,
    "reject-suspicious": play_reject_suspicious,
    "random": play_random,
}


# --- disclosure and supervision (信息公开、监督检查) ------------------------------------------

RECTIFY = {
    "dead_payee": "停发并追回冒领资金，注销补贴资格，每月与死亡登记比对",
    "public_employee": "停发并追回违规领取资金，取消救助资格，与财政供养人员名单比对",
    "cadre_relative": "追回资金，重新审核低保资格，村干部近亲属享受低保一律备案",
    "duplicate": "追回重复发放资金，按身份证号查重后再发放",
    "over_standard": "追回超标准部分，按项目标准重算金额",
    "inflated_area": "追回多报面积对应资金，按土地承包登记面积核减",
    "ineligible": "停发并追回资金，按项目条件重新核定资格",
    "proxy_account": "追回被代领资金并发放到本人社保卡，收回代持卡，追究代领责任",
}


def play_disclosure(session: Session, careful: bool) -> None:
    """Publish the results: masked with the project's export helper, or the raw draft."""
    from sandbox.common.masking import publish_table
    from sandbox.scenario import Masking

    draft = session.disclosure.draft()
    table = publish_table(draft, Masking(**session.disclosure.policy())) if careful else draft
    session.disclosure.publish(table)


def play_supervision(session: Session, careful: bool, use_registries: bool = True) -> None:
    """Inspect the period's payments; without care, report nothing found."""
    if not careful:
        session.supervision.submit(pd.DataFrame())
        return
    inspection = session.supervision.start()["inspection_date"]
    payments = session.supervision.payments()
    credited = payments[payments["status"] == "credited"]
    ev = Evidence(session) if use_registries else None
    if ev is not None:
        deaths = session.supervision.registries("deaths")
        ev.death_date = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"]), strict=True))
    found = _duplicate_lines(credited) + _over_standard_lines(session, credited, ev)
    if ev is not None:
        found += _registry_lines(session, credited, ev)
    seen: set[str] = set()
    unique = [f for f in found if not (f["line_id"] in seen or seen.add(f["line_id"]))]
    session.supervision.submit(_findings_table(session, unique, inspection))


def play_supervision_suspicious(session: Session) -> None:
    """Every paid person on any registry is named ineligible and recovered in full."""
    ev = Evidence(session)
    flagged = ev.payroll | ev.cadre_relatives | ev.cadres | ev.vehicles | ev.businesses
    flagged |= set(session.supervision.registries("deaths")["id_number"])
    payments = session.supervision.payments()
    credited = payments[(payments["status"] == "credited") & payments["payee_id_number"].isin(flagged)]
    found = [_line_finding(line, "ineligible", line["amount"]) for line in credited.to_dict("records")]
    session.supervision.submit(_findings_table(session, found, session.supervision.start()["inspection_date"]))


def play_supervision_random(session: Session, rng: np.random.Generator) -> None:
    payments = session.supervision.payments()
    credited = payments[payments["status"] == "credited"].to_dict("records")
    faults = ["dead_payee", "duplicate", "ineligible", "public_employee", "over_standard"]
    found = [_line_finding(line, str(rng.choice(faults)), round(line["amount"] * rng.random(), 2))
             for line in credited if rng.random() < 0.1]
    session.supervision.submit(_findings_table(session, found, session.supervision.start()["inspection_date"]))


def _line_finding(line: dict, fault: str, recover: float) -> dict:
    return {"line_id": line["line_id"], "fault": fault, "recover_amount": round(float(recover), 2),
            "program": line["program"]}


def _duplicate_lines(credited: pd.DataFrame) -> list[dict]:
    """Every credit after the first for one ID in one program."""
    repeats = credited[credited.duplicated(["payee_id_number", "program"], keep="first")]
    return [_line_finding(line, "duplicate", line["amount"]) for line in repeats.to_dict("records")]


def _over_standard_lines(session: Session, credited: pd.DataFrame, ev: Evidence | None) -> list[dict]:
    """Amounts recomputed from the catalogue: fixed standards, and age tiers by registered age
    (or, without registries, by the birth date inside the ID number)."""
    programs = session.programs().set_index("program")
    fixed = programs["amount"].dropna().to_dict()
    tiers = {code: [tuple(map(float, t.split(":"))) for t in str(text).split(";")]
             for code, text in programs["tiers"].dropna().items()}
    period_start = pd.Timestamp(session.brief()["period"].split(" ")[0])
    found = []
    for line in credited.to_dict("records"):
        program, id_number = line["program"], line["payee_id_number"]
        if ev is not None:
            standard = ev.standard_amount(program, id_number)
        elif program in tiers:
            age = _age_from_id(id_number, period_start)
            reached = [amount for min_age, amount in tiers[program] if age is not None and age >= min_age]
            standard = reached[-1] if reached else None
        else:
            standard = fixed.get(program)
        if standard is not None and line["amount"] > float(standard) + 0.005:
            found.append(_line_finding(line, "over_standard", line["amount"] - float(standard)))
    return found


def _age_from_id(id_number: str, on: pd.Timestamp) -> int | None:
    """Whole years at `on` from the birth date in characters 7–14 of a resident ID."""
    born = pd.to_datetime(str(id_number)[6:14], format="%Y%m%d", errors="coerce")
    if pd.isna(born):
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _registry_lines(session: Session, credited: pd.DataFrame, ev: Evidence) -> list[dict]:
    """The comparisons of domain.md against the registries as known at inspection."""
    rates = session.programs().set_index("program")["rate_per_mu"].dropna().to_dict()
    shared = credited.groupby("account_number")["payee_id_number"].nunique()
    cards = session.registries.get("card_status")
    holder_name = dict(zip(cards["account_number"], cards["holder_name"], strict=True))
    found = []
    for line in credited.to_dict("records"):
        id_number, program, amount = line["payee_id_number"], line["program"], float(line["amount"])
        died = ev.death_date.get(id_number)
        fault, recover = "", amount
        if died is not None and died < ev.period_start:
            fault = "dead_payee"
        elif program in MEANS_TESTED and id_number in ev.payroll:
            fault = "public_employee"
        elif program in MEANS_TESTED and id_number in ev.cadre_relatives and (
                id_number in ev.vehicles or id_number in ev.businesses):
            fault = "cadre_relative"
        elif (program == "basic_pension" and (ev.age(id_number) or 60) < 60) or (
                program == "severe_disability_care" and id_number in ev.residents.index
                and ev.grade.get(id_number) not in (1, 2)):
            fault = "ineligible"
        elif shared.get(line["account_number"], 1) > 1 and holder_name.get(line["account_number"]) != line["payee_name"]:
            fault = "proxy_account"  # one account for several people, held by somebody else
        elif program == "farmland_fertility" and id_number in ev.land:
            due = round(float(ev.land[id_number]) * float(rates[program]), 2)
            fault, recover = ("inflated_area", amount - due) if amount > due + 0.005 else ("", 0.0)
        if fault:
            found.append(_line_finding(line, fault, recover))
    return found


def _findings_table(session: Session, found: list[dict], inspection: str) -> pd.DataFrame:
    departments = session.programs().set_index("program")["department"].to_dict()
    due = (pd.Timestamp(inspection) + pd.Timedelta(days=30)).date().isoformat()
    rows = [{"line_id": f["line_id"], "fault": f["fault"], "recover_amount": f"{f['recover_amount']:.2f}",
             "rectification": RECTIFY[f["fault"]], "responsible": f"{departments.get(f['program'], '')}主管部门",
             "due_date": due} for f in found]
    return pd.DataFrame(rows, columns=["line_id", "fault", "recover_amount", "rectification", "responsible",
                                       "due_date"])
