"""Scripted trainees. Each plays the stages through the same public Session API a person
uses, so their scores show whether a scenario rewards care and punishes shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd

from sandbox.common.normalize import clean_roster
from sandbox.irregularities import FAULTS, Check
from sandbox.irregularities import MEANS_TESTED as MEANS_TESTED  # re-exported for the course
from sandbox.irregularities.evidence import Catalogue, InspectionContext, ReviewContext
from sandbox.irregularities.evidence import Evidence as RegistryEvidence
from sandbox.personas.omissions import add_omitted
from sandbox.personas.shortcuts import Kit, Play, plays, review_blind_to
from sandbox.personas.visits import refer_conflicts, settle_visits
from sandbox.session.session import Session

# The order a careful reviewer works in: the roster itself, check characters, who is entitled
# at all, the fields against the registries, then the amount against the standard.
REVIEW_ORDER = (Check.ROSTER, Check.CHECK_DIGITS, Check.ENTITLEMENT, Check.RECORDS, Check.STANDARD)
# A careful inspector's sweeps over the credited lines; a line is named once, by its first finding.
INSPECTION_SWEEPS = ((Check.ROSTER,), (Check.STANDARD,), (Check.ENTITLEMENT, Check.RECORDS))
# A visit report that names no type's words: the claimant is not entitled, for some reason.
UNREADABLE_FINDING = "ineligible"


def decision_row(entry_id: str, decision: str, reason: str = "", field: str = "", value: str = "") -> dict:
    return {"entry_id": entry_id, "decision": decision, "reason": reason, "field": field, "value": value,
            "note": ""}


def catalogue_of(session: Session) -> Catalogue:
    """The program catalogue's standards and the period, as the session shows them."""
    period_start = pd.Timestamp(session.brief()["period"].split(" ")[0])
    return Catalogue.from_programs(session.programs(), period_start)


class Evidence(RegistryEvidence):
    """Registry tables turned into look-ups, fetched once through the session."""

    def __init__(self, session: Session) -> None:
        super().__init__(session.registries.get, catalogue_of(session))


def clean_forms(session: Session) -> pd.DataFrame:
    clean, _issues = clean_roster(session.collection.forms())
    return clean


def careful_decision(entry: dict, ev: Evidence, seen: set[tuple[str, str]], use_registries: bool,
                     weigh: bool = False) -> dict:
    """What a reviewer decides for one entry (with or without registry checks): the first
    irregularity type whose rule fires, in REVIEW_ORDER; else approve. The rule is each type's
    `review` (the rules-only script), or with `weigh` its `review_carefully` (conflicting
    evidence weighed: a farm vehicle is not a car, a retiree is not on the payroll…)."""
    context = ReviewContext(ev, use_registries, seen)
    for irregularity in FAULTS.checked_in(*REVIEW_ORDER):
        rule = irregularity.review_carefully if weigh else irregularity.review
        verdict = rule(entry, context)
        if verdict is not None:
            return decision_row(entry["entry_id"], verdict.decision, verdict.reason, verdict.field, verdict.value)
    return decision_row(entry["entry_id"], "approve")


def review_carefully(session: Session, use_registries: bool, weigh: bool = False) -> None:
    clean = clean_forms(session)
    session.collection.submit(clean)
    ev = Evidence(session)
    seen: set[tuple[str, str]] = set()
    roster = session.review.roster()
    decisions = [careful_decision(e, ev, seen, use_registries, weigh) for e in roster.to_dict("records")]
    if use_registries and weigh:  # refer what conflicting registries cannot settle
        decisions = refer_conflicts(session, pd.DataFrame(decisions)).to_dict("records")
    session.review.submit(pd.DataFrame(decisions))
    settle_visits(session)  # refer again the visits that found nobody home
    _after_visits(session, ev, use_registries)
    if use_registries and weigh:  # 补录 the entitled people left off the roster
        add_omitted(session)
    _post_and_answer(session, uphold=use_registries)


def _after_visits(session: Session, ev: Evidence, use_registries: bool) -> None:
    """Read the home-visit reports and turn each referral into a final decision."""
    visits = session.review.wait_for_visits()
    final = []
    for visit in visits.to_dict("records"):
        finding = f"{visit['finding_zh']} {visit['finding_en']}"
        if "属实" in finding or "genuine" in finding:
            final.append(decision_row(visit["entry_id"], "approve"))
        elif "正确的" in finding and "为" in finding:
            field, value = _finding_fix(visit["finding_en"])
            final.append(decision_row(visit["entry_id"], "correct", field=field, value=value) if field
                         else decision_row(visit["entry_id"], "approve"))
        else:
            final.append(decision_row(visit["entry_id"], "reject", _reason_from(finding)))
    if final:
        session.review.submit(pd.DataFrame(final))


def _finding_fix(text: str) -> tuple[str, str]:
    marker = "The right "
    if marker not in text:
        return "", ""
    field, _, value = text.split(marker, 1)[1].partition(" is ")
    return field.strip(), value.strip().rstrip(".")


def _reason_from(text: str) -> str:
    """The type a visit report names, by the words of its evidence (its type's report_words)."""
    for irregularity in FAULTS.values():
        if any(word in text for word in irregularity.report_words):
            return irregularity.code
    return UNREADABLE_FINDING


def _post_and_answer(session: Session, uphold: bool) -> None:
    objections = session.review.post_notice()
    roster = session.review.roster().set_index("entry_id")
    for objection in objections.to_dict("records"):
        decided = roster.at[objection["entry_id"], "decision"]
        # A careful reviewer checked this entry already: keep the decision, say why.
        response = "dismiss" if decided in {"approve", "correct"} or not uphold else "uphold"
        session.review.respond(objection["objection_id"], response)
    session.review.finalize(confirm=True)


def pay_and_fix(session: Session, fixer: Callable[[Session, dict], tuple[str, str] | None],
                rounds: int = 3) -> None:
    """Send the request, then work the failure desk for a few rounds of re-issue."""
    session.payout.submit(session.payout.build_request(), progress=False, confirm=True)
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
        session.failures.reissue(confirm=True)


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


PERSONAS: dict[str, Callable[[Session], None]] = {}  # filled at the end of this module


# --- disclosure and supervision (信息公开、监督检查) ------------------------------------------


def play_disclosure(session: Session, careful: bool) -> None:
    """Publish the results: masked with the project's export helper, or the raw draft."""
    from sandbox.common.masking import publish_table
    from sandbox.scenario import Masking

    draft = session.disclosure.draft()
    table = publish_table(draft, Masking(**session.disclosure.policy())) if careful else draft
    session.disclosure.publish(table, confirm=True)


def play_supervision(session: Session, careful: bool, use_registries: bool = True,
                     weigh: bool = False) -> None:
    """Inspect the period's payments; without care, report nothing found. With registries the
    inspector reads them as the offices confirm them on the inspection date; with `weigh` each
    type's careful rule decides (a retiree, a farm vehicle, a cremation record are weighed)."""
    if not careful:
        session.supervision.submit(pd.DataFrame(), confirm=True)
        return
    inspection = session.supervision.start()["inspection_date"]
    payments = session.supervision.payments()
    credited = payments[payments["status"] == "credited"]
    catalogue = catalogue_of(session)
    ev = RegistryEvidence(session.supervision.registries, catalogue) if use_registries else None
    context = InspectionContext.of(credited, catalogue, ev)
    found = _inspected_lines(credited, context, weigh)
    seen: set[str] = set()
    unique = [f for f in found if not (f["line_id"] in seen or seen.add(f["line_id"]))]
    session.supervision.submit(_findings_table(session, unique, inspection), confirm=True)


def _line_finding(line: dict, fault: str, recover: float) -> dict:
    return {"line_id": line["line_id"], "fault": fault, "recover_amount": round(float(recover), 2),
            "program": line["program"]}


def _inspected_lines(credited: pd.DataFrame, context: InspectionContext, weigh: bool = False) -> list[dict]:
    """Sweep by sweep, each credited line with the first careful rule that names it."""
    found = []
    lines = credited.to_dict("records")
    for sweep in INSPECTION_SWEEPS:
        irregularities = FAULTS.checked_in(*sweep)
        for line in lines:
            for irregularity in irregularities:
                recover = (irregularity.inspect_carefully if weigh else irregularity.inspect)(line, context)
                if recover is not None:
                    found.append(_line_finding(line, irregularity.code, recover))
                    break
    return found


def _findings_table(session: Session, found: list[dict], inspection: str) -> pd.DataFrame:
    departments = session.programs().set_index("program")["department"].to_dict()
    due = (pd.Timestamp(inspection) + pd.Timedelta(days=30)).date().isoformat()
    rows = [{"line_id": f["line_id"], "fault": f["fault"], "recover_amount": f"{f['recover_amount']:.2f}",
             "rectification": FAULTS[f["fault"]].rectification_zh, "responsible": f"{departments.get(f['program'], '')}主管部门",
             "due_date": due} for f in found]
    return pd.DataFrame(rows, columns=["line_id", "fault", "recover_amount", "rectification", "responsible",
                                       "due_date"])


# --- the personas: careful as steps, and every shortcut of one step (sandbox/personas/shortcuts.py)

KIT = Kit(evidence=Evidence, decide=careful_decision, after_visits=_after_visits,
          clean_forms=clean_forms, pay_and_fix=pay_and_fix, careful_fix=careful_fix,
          code_only_fix=code_only_fix, reconcile=reconcile_from_results,
          disclose=play_disclosure, inspect=play_supervision)
PERSONAS.update(plays(KIT))
PERSONAS["perfect"] = PERSONAS["careful"]  # the old name of the careful persona, kept for old callers
PERSONAS["skip-公示"] = PERSONAS["skip-posting"]  # as issue 12 names it
play_careful = PERSONAS["careful"]
play_approve_all = PERSONAS["approve-all"]  # what notebook 06 plays as the hurried trainee


def play_blind_to(fault: str) -> Play:
    """The careful play by someone blind to one irregularity type (approves all of it)."""
    if fault not in FAULTS:
        raise ValueError(f"unknown irregularity type {fault!r}; types: {', '.join(FAULTS)}")
    return PERSONAS["careful"].but(review=partial(review_blind_to, kit=KIT, fault=fault))
