"""What the course notebooks share: start a session at any stage of the lesson.

Each notebook stands alone: `resume_at("payout", s)` plays the stages before payout the way
a careful operator would (the reference reviewer in `sandbox.personas`), through the same
public Session API a trainee uses, so the notebook starts where its lesson begins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from sandbox.common.identifiers import check_card_number
from sandbox.errors import SandboxError
from sandbox.platform.stages.sequence import SCORED
from sandbox.platform.stages.sequence import STAGES as DECLARED_STAGES
from sandbox.session.session import Session

# Where a notebook can begin, in order: every stage as the platform declares it, then the report.
STAGES: tuple[str, ...] = (*DECLARED_STAGES, "report")
# Each course notebook and the stage it begins at; its work runs until the next one begins.
LESSONS: dict[str, str] = {
    "01_collection": "collection", "02_review_and_posting": "review", "03_payout": "payout",
    "04_failures_and_reconciliation": "failures", "05_disclosure_and_supervision": "disclosure",
    "06_my_report": "report", "08_monthly_changes": "monthly",
}


def lesson_of(stage: str) -> str:
    """The notebook that begins at `stage`."""
    for notebook, first in LESSONS.items():
        if first == stage:
            return notebook
    raise SandboxError(f"没有从“{stage}”开始的课程笔记本；笔记本从这些环节开始：{'、'.join(LESSONS.values())}",
                       f"no notebook begins at {stage!r}; notebooks begin at {', '.join(LESSONS.values())}")


def lesson_until(notebook: str) -> str:
    """The scored stage that ends a notebook's work: the last one before the next notebook
    begins (running a finished notebook again starts afresh)."""
    starts = [STAGES.index(first) for first in LESSONS.values()]
    begins = STAGES.index(LESSONS[notebook])
    ends = min((s for s in starts if s > begins), default=len(STAGES))
    return [s for s in STAGES[:ends] if s in SCORED][-1]


REVIEW_STYLES = ("careful", "typos_left", "no_registry_checks")


def resume_at(stage: str, session: Session, review: str = "careful") -> Session:
    """Play every stage before `stage` carefully, so the session starts at `stage`.

    review: how the earlier review is played —
      "careful"            the reference reviewer (registries, home visits, objections);
      "typos_left"         careful, but typed names and mistyped card numbers approved as
                           they are, so the banks return those lines (for the failure desk);
      "no_registry_checks" no 大数据比对: frauds get paid (for the inspectors to find).
    Stages already done in this session are skipped, so calling it twice is harmless.
    """
    if stage not in STAGES:
        raise SandboxError(f"没有“{stage}”这个环节；环节有：{'、'.join(STAGES)}", f"unknown stage {stage!r}; stages: {', '.join(STAGES)}")
    if review not in REVIEW_STYLES:
        raise SandboxError(f"没有“{review}”这种审核方式，可用：{'、'.join(REVIEW_STYLES)}",
                           f"unknown review style {review!r}; expected one of {', '.join(REVIEW_STYLES)}")
    for earlier in STAGES[: STAGES.index(stage)]:
        if earlier == "review":
            _play_review(session, review)
        else:
            _PLAYERS[earlier](session)
    return session


def _done(session: Session, stage: str) -> bool:
    return stage in session.brief()["stages_done"]


def _play_collection(session: Session) -> None:
    from sandbox.personas import clean_forms

    if not _done(session, "collection"):
        session.collection.submit(clean_forms(session))


def _play_review(session: Session, style: str = "careful") -> None:
    from sandbox.personas import Evidence, _after_visits, _post_and_answer, careful_decision

    if _done(session, "review"):
        return
    if style == "careful":  # the careful persona's own review: weighed, visits, 补录, 公示 answered
        from sandbox.personas import PERSONAS

        dict(PERSONAS["careful"].steps)["review"](session)
        return
    use_registries = style != "no_registry_checks"
    evidence = Evidence(session)
    seen: set[tuple[str, str]] = set()
    roster = session.review.roster()
    decisions = [careful_decision(e, evidence, seen, use_registries=use_registries)
                 for e in roster.to_dict("records")]
    if style == "typos_left":
        decisions = [_hurried(d, e) for d, e in zip(decisions, roster.to_dict("records"), strict=True)]
    session.review.submit(pd.DataFrame(decisions))
    _after_visits(session, evidence, use_registries=use_registries)
    _post_and_answer(session, uphold=use_registries)


def _hurried(decision: dict, entry: dict) -> dict:
    """Approve as typed what a careful reviewer would have corrected for a typo."""
    typo_in_card = decision["field"] == "account_number" and not check_card_number(entry["account_number"]).valid
    if decision["decision"] == "correct" and (decision["field"] == "name" or typo_in_card):
        return {**decision, "decision": "approve", "field": "", "value": ""}
    return decision


def _desk(session: Session, name: str) -> Any:
    found = getattr(session, name, None)
    if found is None:
        raise SandboxError(f"这个平台还没有 session.{name} 工作台，请更新沙盘",
                           f"this platform has no session.{name} desk yet; update the sandbox")
    return found


def _play_payout(session: Session) -> None:
    payout = _desk(session, "payout")
    if payout.results().empty:
        payout.submit(payout.build_request(), progress=False, confirm=True)


def _play_failures(session: Session) -> None:
    from sandbox.personas import careful_fix

    failures = _desk(session, "failures")
    if _done(session, "reconciliation"):
        return
    for _ in range(3):  # a few rounds: a re-issued line can come back again
        chosen = 0
        for line in failures.table().to_dict("records"):
            fix = None if line["fix"] else careful_fix(session, line)
            if fix:
                failures.act(line["line_id"], fix[0], fix[1])
                chosen += fix[0] != "stop_recover"
        if not chosen:
            break
        failures.reissue(confirm=True)


def _play_reconciliation(session: Session) -> None:
    from sandbox.personas import reconcile_from_results

    _desk(session, "reconciliation")
    if not _done(session, "reconciliation"):
        reconcile_from_results(session)


def _play_disclosure(session: Session) -> None:
    from sandbox.common.masking import publish_table
    from sandbox.scenario import Masking

    disclosure = _desk(session, "disclosure")
    if not _done(session, "disclosure"):
        disclosure.publish(publish_table(disclosure.draft(), Masking(**disclosure.policy())), confirm=True)


def _play_supervision(session: Session) -> None:
    supervision = _desk(session, "supervision")
    if not _done(session, "supervision"):
        supervision.submit(inspection_findings(session), confirm=True)


def _play_monthly(session: Session) -> None:
    """The later months, played carefully (nothing to do in a one-period scenario)."""
    from sandbox.personas.monthly import play_months

    if not _done(session, "monthly"):
        play_months(session, "careful")


def inspection_findings(session: Session) -> pd.DataFrame:
    """What a careful inspector finds in the period's credited payments: paid to the dead
    (death register as of the inspection), public employees and cadres' relatives in
    means-tested aid, and the same ID paid twice in one program."""
    from sandbox.personas import MEANS_TESTED

    dates = session.supervision.start()
    period_start = pd.Timestamp(session.brief()["period"].split(" ")[0])
    paid = session.supervision.payments()
    paid = paid[paid["status"] == "credited"]
    registry = session.supervision.registries
    deaths = registry("deaths")
    died = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"]), strict=False))
    payroll = set(registry("payroll")["id_number"])
    owners = set(registry("vehicles")["id_number"]) | set(registry("businesses")["id_number"])
    favoured = set(registry("cadre_relatives")["id_number"]) & owners
    rows = []
    for line in paid.to_dict("records"):
        person, means_tested = line["payee_id_number"], line["program"] in MEANS_TESTED
        fault = ("dead_payee" if person in died and died[person] < period_start
                 else "public_employee" if means_tested and person in payroll
                 else "cadre_relative" if means_tested and person in favoured else "")
        if fault:
            rows.append(_finding(line, fault, dates["rectification_due_by"]))
    twice = paid[paid.duplicated(["payee_id_number", "program"], keep="first")]
    flagged = {r["line_id"] for r in rows}
    rows += [_finding(line, "duplicate", dates["rectification_due_by"])
             for line in twice.to_dict("records") if line["line_id"] not in flagged]
    return pd.DataFrame(rows, columns=["line_id", "fault", "recover_amount", "rectification", "responsible",
                                       "due_date"])


def _finding(line: dict, fault: str, due: str) -> dict:
    return {"line_id": line["line_id"], "fault": fault, "recover_amount": line["amount"],
            "rectification": "停发并追回资金，补充审核 stop, recover and re-review",
            "responsible": "乡镇审核岗 township review desk", "due_date": due}


_PLAYERS: dict[str, Callable[[Session], None]] = {
    "collection": _play_collection,
    "review": _play_review,
    "payout": _play_payout,
    "failures": _play_failures,
    "reconciliation": _play_reconciliation,
    "disclosure": _play_disclosure,
    "supervision": _play_supervision,
    "monthly": _play_monthly,
}


def decided_count(session: Session) -> int:
    return len(session.review.decisions())


def recorded_summary(session: Session) -> str:
    """One line per recorded decision, as the platform has it (used to check the desks)."""
    decisions = session.review.decisions()
    lines = [f"recorded decisions: {len(decisions)}"]
    for row in decisions.to_dict("records"):
        detail = row["reason"] or (f"{row['field']}={row['value']}" if row["field"] else "")
        lines.append(f"  {row['entry_id']} {row['decision']} {detail}".rstrip())
    return "\n".join(lines)


