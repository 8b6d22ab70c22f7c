"""The careful play as a sequence of steps, one per stage, and the shortcut personas built from
it: each takes ONE shortcut — in review, or in one other stage — and plays every other step
exactly as the careful persona does, so the score difference is what that judgement is worth
(issue 12, docs/scoring.md).

A play is data (`Play`: named steps). Two plays that share their first steps reach the same
state after them (the platform is deterministic), which tests use to play a shared beginning
once (tests/test_score_skill.py).

The careful persona's own helpers live in sandbox.personas, which registers these plays in
PERSONAS; it hands its helpers in as a `Kit` (this module cannot import the package that
imports it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from sandbox.common.identifiers import check_card_number, check_id_number
from sandbox.personas.monthly import play_months
from sandbox.personas.omissions import add_omitted
from sandbox.personas.visits import refer_conflicts, settle_visits
from sandbox.session.session import Session

Step = Callable[[Session], None]
# Days a second 公示 (seven) and the banks' first pass need before the payment deadline.
REPOST_DAYS_NEEDED = 12
STEPS = ("collection", "review", "payout", "reconciliation", "disclosure", "supervision", "monthly")


@dataclass(frozen=True)
class Kit:
    """The careful persona's helpers, from sandbox.personas."""

    evidence: Callable[[Session], Any]           # Evidence: registry look-ups
    decide: Callable[..., dict]                   # careful_decision(entry, ev, seen, use_registries, weigh)
    after_visits: Callable[..., None]             # _after_visits(session, ev, use_registries)
    clean_forms: Callable[[Session], pd.DataFrame]
    pay_and_fix: Callable[..., None]              # pay_and_fix(session, fixer)
    careful_fix: Callable[..., Any]
    code_only_fix: Callable[..., Any]
    reconcile: Callable[[Session], None]          # reconcile_from_results
    disclose: Callable[..., None]                 # play_disclosure(session, careful)
    inspect: Callable[..., None]                  # play_supervision(session, careful, weigh=…)


def decision_row(entry_id: str, decision: str, reason: str = "") -> dict:
    return {"entry_id": entry_id, "decision": decision, "reason": reason, "field": "", "value": "", "note": ""}


@dataclass(frozen=True)
class Play:
    """A persona as named steps, in STEPS order."""

    steps: tuple[tuple[str, Step], ...]

    def __call__(self, session: Session) -> None:
        for _, step in self.steps:
            step(session)

    def but(self, **changed: Step) -> Play:
        """This play with some steps replaced (by stage name)."""
        unknown = set(changed) - set(STEPS)
        if unknown:
            raise ValueError(f"unknown steps {sorted(unknown)}; steps: {', '.join(STEPS)}")
        return Play(tuple((name, changed.get(name, step)) for name, step in self.steps))


# --- the careful steps -----------------------------------------------------------------------


def collect_clean(session: Session, kit: Kit) -> None:
    session.collection.submit(kit.clean_forms(session))


def _careful_decisions(session: Session, kit: Kit, ev: Any) -> pd.DataFrame:
    seen: set[tuple[str, str]] = set()
    roster = session.review.roster()
    decisions = pd.DataFrame([kit.decide(e, ev, seen, True, weigh=True) for e in roster.to_dict("records")])
    return refer_conflicts(session, decisions)


def review_careful(session: Session, kit: Kit) -> None:
    """Weigh the registries entry by entry, refer what they cannot settle, add (补录) the families
    left off, post the list (公示) while the visits are out, follow the reports, answer the
    objections, close."""
    ev = kit.evidence(session)
    session.review.submit(_careful_decisions(session, kit, ev))
    add_omitted(session)
    post_visit_answer(session, kit, ev, uphold=True)


def post_visit_answer(session: Session, kit: Kit, ev: Any, uphold: bool) -> None:
    """公示 (referred entries are on the posted list), the visits settled meanwhile, each report
    followed, each objection answered by the decision that stands, then close."""
    objections = session.review.post_notice()
    settle_visits(session)
    kit.after_visits(session, ev, ev is not None)
    answer_objections(session, objections, uphold)
    # A report's correction changed what the notice showed: post what is new for its own full
    # 公示 (with nothing new this shows the same notice and no day passes), answer what it brings
    # — unless another 公示 and the banks' days would push every family past the deadline: then
    # the few corrected entries go unposted, a smaller harm than everybody paid late.
    if session.brief()["days_left"] >= REPOST_DAYS_NEEDED:
        again = session.review.post_notice()
        answer_objections(session, again[~again["objection_id"].isin(objections["objection_id"])], uphold)
    close_review(session)


def answer_objections(session: Session, objections: pd.DataFrame, uphold: bool) -> None:
    """Keep an approval (the entry was checked), uphold an objection to a rejected entry."""
    roster = session.review.roster().set_index("entry_id")
    for objection in objections.to_dict("records"):
        decided, reason = roster.loc[objection["entry_id"], ["decision", "reason"]]
        if decided in {"approve", "correct"} or not uphold:
            session.review.respond(objection["objection_id"], "dismiss")
        else:
            session.review.respond(objection["objection_id"], "uphold", reason or "ineligible")


def close_review(session: Session) -> None:
    session.review.finalize(confirm=True)


def pay_careful(session: Session, kit: Kit) -> None:
    kit.pay_and_fix(session, kit.careful_fix)


def reconcile_careful(session: Session, kit: Kit) -> None:
    kit.reconcile(session)


def disclose_careful(session: Session, kit: Kit) -> None:
    kit.disclose(session, careful=True)


def inspect_careful(session: Session, kit: Kit) -> None:
    kit.inspect(session, careful=True, weigh=True)


def months_careful(session: Session, kit: Kit) -> None:
    play_months(session, "careful")


# --- shortcuts in review -----------------------------------------------------------------------


def review_approve_all(session: Session, kit: Kit) -> None:
    roster = session.review.roster()
    session.review.submit(pd.DataFrame([decision_row(e, "approve") for e in roster["entry_id"]]))
    post_visit_answer(session, kit, None, uphold=False)


def review_rules_only(session: Session, kit: Kit) -> None:
    """The fixed rule script: every type's plain rule, one registry hit decides, no visits and
    no 补录; posted and closed as careful does."""
    ev = kit.evidence(session)
    seen: set[tuple[str, str]] = set()
    roster = session.review.roster()
    session.review.submit(pd.DataFrame([kit.decide(e, ev, seen, True) for e in roster.to_dict("records")]))
    post_visit_answer(session, kit, ev, uphold=True)


def review_no_registries(session: Session, kit: Kit) -> None:
    """No registry at all: approve the roster, then send every entry villagers object to during
    公示 for a home visit and decide as the report says."""
    roster = session.review.roster()
    session.review.submit(pd.DataFrame([decision_row(e, "approve") for e in roster["entry_id"]]))
    objections = session.review.post_notice()
    objected = sorted(set(objections["entry_id"]))
    if objected:
        session.review.submit(pd.DataFrame([decision_row(e, "refer") for e in objected]))
        settle_visits(session)
        kit.after_visits(session, None, False)
    answer_objections(session, objections, uphold=True)
    close_review(session)


def review_reject_suspicious(session: Session, kit: Kit) -> None:
    """Reject every entry with any registry hit (or a namesake, or a bad check digit)."""
    ev = kit.evidence(session)
    flagged = ev.payroll | ev.cadre_relatives | ev.cadres | ev.vehicles | ev.businesses | set(ev.death_date)
    roster = session.review.roster()
    namesakes = roster.groupby("name")["id_number"].nunique()
    rows = []
    for entry in roster.to_dict("records"):
        suspicious = (entry["id_number"] in flagged or namesakes[entry["name"]] > 1
                      or not check_id_number(entry["id_number"]).valid
                      or not check_card_number(entry["account_number"]).valid)
        rows.append(decision_row(entry["entry_id"], "reject", "ineligible") if suspicious
                    else decision_row(entry["entry_id"], "approve"))
    session.review.submit(pd.DataFrame(rows))
    post_visit_answer(session, kit, None, uphold=True)


def review_random(session: Session, kit: Kit, seed: int = 0) -> None:
    """Approve four entries in five at random, reject the rest."""
    rng = np.random.default_rng(seed)
    reasons = ["dead_payee", "duplicate", "ineligible", "public_employee"]
    roster = session.review.roster()
    rows = [decision_row(e, "approve") if rng.random() < 0.8 else decision_row(e, "reject", str(rng.choice(reasons)))
            for e in roster["entry_id"]]
    session.review.submit(pd.DataFrame(rows))
    post_visit_answer(session, kit, None, uphold=False)


def review_refer_everything(session: Session, kit: Kit) -> None:
    """Send every household a home visit, wait, and decide as each report says."""
    roster = session.review.roster()
    session.review.submit(pd.DataFrame([decision_row(e, "refer") for e in roster["entry_id"]]))
    post_visit_answer(session, kit, kit.evidence(session), uphold=True)


def review_skip_posting(session: Session, kit: Kit) -> None:
    """Careful review, closed without posting the list (公示)."""
    ev = kit.evidence(session)
    session.review.submit(_careful_decisions(session, kit, ev))
    add_omitted(session)
    settle_visits(session)
    kit.after_visits(session, ev, True)
    close_review(session)


def review_blind_to(session: Session, kit: Kit, fault: str) -> None:
    """Careful review by someone who never learnt one irregularity type: every entry the careful
    rules reject as that type is approved (adaptive practice's test trainee, docs/adaptive.md)."""
    ev = kit.evidence(session)
    decisions = _careful_decisions(session, kit, ev)
    blind = decisions["reason"] == fault
    decisions.loc[blind, "decision"] = "approve"
    decisions.loc[blind, "reason"] = ""
    session.review.submit(decisions)
    add_omitted(session)
    post_visit_answer(session, kit, ev, uphold=True)


# --- shortcuts in the other stages ---------------------------------------------------------------


def collect_raw(session: Session, kit: Kit) -> None:
    """Hand in the villages' forms as typed."""
    session.collection.submit(session.collection.forms())


def reconcile_bank_totals(session: Session, kit: Kit) -> None:
    """The statement from the banks' own result files: every line they report, as they report
    it (a line returned and later re-issued counts as returned, its re-issue as paid)."""
    files = session.payout.result_files()
    lines = pd.concat(files.values(), ignore_index=True) if files else pd.DataFrame(columns=["line_id", "amount"])
    program = session.payout.results().set_index("line_id")["program"]
    lines = lines.assign(program=lines["line_id"].map(program))
    statement = session.reconciliation.template().set_index("program")
    for result, column in (("成功", "paid"), ("失败", "returned")):
        sums = lines[lines["result"] == result].groupby("program")["amount"].sum()
        statement[column] = sums.reindex(statement.index, fill_value=0.0).round(2)
    statement["pending"] = 0.0
    statement["unspent"] = (statement["allocated"] - statement["paid"] - statement["returned"]).round(2)
    session.reconciliation.submit(statement.reset_index())


def disclose_unchecked(session: Session, kit: Kit) -> None:
    """Publish the draft as it comes: full IDs, cards and phones."""
    kit.disclose(session, careful=False)


def pay_reissue_unfixed(session: Session, kit: Kit) -> None:
    """Re-issue returned lines on the return code alone, without looking anything up."""
    kit.pay_and_fix(session, kit.code_only_fix)


def inspect_nothing(session: Session, kit: Kit) -> None:
    """Report that the inspection found nothing."""
    kit.inspect(session, careful=False)


CAREFUL_STEPS = (("collection", collect_clean), ("review", review_careful), ("payout", pay_careful),
                 ("reconciliation", reconcile_careful), ("disclosure", disclose_careful),
                 ("supervision", inspect_careful), ("monthly", months_careful))
REVIEW_SHORTCUTS = {"rules-only": review_rules_only, "approve-all": review_approve_all, "no-registry-checks": review_no_registries,
                    "reject-suspicious": review_reject_suspicious, "random": review_random,
                    "refer-everything": review_refer_everything, "skip-posting": review_skip_posting}
STAGE_SHORTCUTS = {"raw-forms": ("collection", collect_raw), "reissue-unfixed": ("payout", pay_reissue_unfixed),
                   "bank-totals": ("reconciliation", reconcile_bank_totals),
                   "publish-unchecked": ("disclosure", disclose_unchecked),
                   "supervision-unchecked": ("supervision", inspect_nothing)}


def plays(kit: Kit) -> dict[str, Play]:
    """careful, and every shortcut: careful with one step replaced (steps shared by identity)."""
    careful = Play(tuple((name, partial(step, kit=kit)) for name, step in CAREFUL_STEPS))
    out = {"careful": careful}
    out.update({name: careful.but(review=partial(step, kit=kit)) for name, step in REVIEW_SHORTCUTS.items()})
    out.update({name: careful.but(**{stage: partial(step, kit=kit)}) for name, (stage, step) in STAGE_SHORTCUTS.items()})
    return out
