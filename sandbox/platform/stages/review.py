"""Review and posting (审核、公示): look-ups, decisions, home visits, objections."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from sandbox.common.identifiers import check_clean_card, check_clean_id
from sandbox.common.submissions import read_decisions
from sandbox.errors import RowProblem, SandboxError, SubmissionError
from sandbox.irregularities import parse_reason
from sandbox.irregularities.planting import KEY_COLUMNS
from sandbox.platform.additions import Additions, working_rows
from sandbox.platform.harm_ledger import review_interim
from sandbox.platform.posting import PROPOSED, Notice, public_faces, unposted
from sandbox.platform.procedure import (
    require_confirmation,
    unposted_after_closing,
    unposted_warning,
)
from sandbox.platform.scoring import score_review
from sandbox.platform.stages.base import Stage, action
from sandbox.platform.stages.collection import canonical
from sandbox.platform.stages.sequence import STAGES
from sandbox.platform.visits import (
    INCONCLUSIVE,
    Decision,
    ReviewState,
    Visit,
    draw_objections,
    schedule_visits,
    visit_finding,
    visit_inconclusive,
)

CORRECTABLE_FIELDS = ("name", "id_number", "account_number", "quantity", "amount", "bank")
OBJECTION_RESPONSES = {"uphold": "reject", "dismiss": "approve", "reject": "reject", "approve": "approve",
                       "refer": "refer", "属实": "reject", "不属实": "approve", "核查": "refer",
                       "驳回": "approve", "采纳": "reject"}


class ReviewStage(Stage):
    info = STAGES["review"]

    def __init__(self, attempt) -> None:
        super().__init__(attempt)
        self.state = ReviewState()
        self._final: tuple | None = None  # (decisions version, working roster, final table)

    # --- what the reviewer sees ------------------------------------------------------------
    @action("roster", read_only=True)
    def roster(self) -> pd.DataFrame:
        """The roster under review, with the current decision beside each entry."""
        working = self.attempt.working.copy()
        decisions = self.state.decisions_frame()[["entry_id", "decision", "reason"]]
        return working.merge(decisions, on="entry_id", how="left").fillna({"decision": "", "reason": ""})

    @action("lookup", read_only=True)
    def lookup(self, entry_id: str) -> dict:
        """One entry with every registry hit beside it, and the automatic checks — on the values
        as the platform holds them: an ID left in full-width digits matches no registry row."""
        entry = self._entry(entry_id)
        hits = self.attempt.registry_index.hits(entry)
        same_id = self.attempt.working[
            (self.attempt.working["id_number"] == entry["id_number"])
            & (self.attempt.working["program"] == entry["program"])
            & (self.attempt.working["entry_id"] != entry_id)
        ]
        if not same_id.empty:
            hits["roster"] = same_id.reset_index(drop=True)
        id_check = check_clean_id(str(entry["id_number"]).strip())
        card_check = check_clean_card(str(entry["account_number"]).strip())
        checks = {
            "id_valid": id_check.valid, "id_problem": id_check.reason or "",
            "card_valid": card_check.valid, "card_problem": card_check.reason or "",
            "rule": self.attempt.program_rule(entry["program"]),
            "same_id_same_program": same_id["entry_id"].tolist(),
        }
        visit = self.state.visits.get(entry_id)
        if visit and visit.returns_at <= self.attempt.clock.now:
            checks["home_visit"] = visit.finding_zh if self.attempt.lang == "zh" else visit.finding_en
        return {"entry": entry, "hits": hits, "checks": checks,
                "decision": self.state.decisions.get(entry_id).__dict__ if entry_id in self.state.decisions else None}

    @action("decisions", read_only=True)
    def decisions(self) -> pd.DataFrame:
        return self.state.decisions_frame()

    @action("visits", read_only=True)
    def visits(self) -> pd.DataFrame:
        return self.state.visits_frame(self.attempt.clock.now)

    @action("objections", read_only=True)
    def objections(self) -> pd.DataFrame:
        return self.state.objections_frame()

    # --- what the reviewer does ------------------------------------------------------------
    @action("submit", read_only=False)
    def submit(self, decisions: pd.DataFrame, source: str = "decisions") -> dict:
        """Record a batch of decisions, all or nothing; later batches replace earlier ones."""
        self._require_open()
        table = read_decisions(decisions, set(self.attempt.working["entry_id"]), parse_reason,
                               allowed_fields=CORRECTABLE_FIELDS, source=source)
        problems = [RowProblem(int(r["_row"]), "value", f"{r['field']} {r['value']!r} is not a valid value",
                               zh=f"{r['field']} 的值 {r['value']!r} 不合格式")
                    for r in table.to_dict("records")
                    if r["decision"] == "correct" and not _valid_value(r["field"], r["value"])]
        if problems:
            raise SubmissionError(source, problems)
        batch = _decisions_of(table, self.attempt.clock.now.isoformat(sep=" "))
        now = self.attempt.clock.now
        referrals = [d.entry_id for d in batch if d.decision == "refer" and self.state.may_visit(d.entry_id, now)]
        self.state.record(batch)
        self._schedule(referrals)
        counts = table["decision"].value_counts().to_dict()
        return self.attempt.progress_feedback("review", counts, self._interim_score(),
                                              entry_ids={d.entry_id for d in batch})

    @action("wait_for_visits", read_only=False)
    def wait_for_visits(self) -> pd.DataFrame:
        """Let simulated days pass until every home-visit report is back."""
        if self.state.visits:
            start = self.attempt.clock.now
            self.attempt.clock.advance_to(max(v.returns_at for v in self.state.visits.values()))
            self.state.visit_days_waited += max(0.0, (self.attempt.clock.now - start) / dt.timedelta(days=1))
        return self.visits()

    @action("add", read_only=False)
    def add(self, table: pd.DataFrame, source: str = "补录") -> dict:
        """补录: add entitled people the villages left off (id_number, program; name, bank and
        account_number optional). They go on the working roster as approved."""
        self._require_open()
        attempt = self.attempt
        added = Additions(attempt).read(table, source, start=len(self.state.additions) + 1)
        if not added:
            raise SandboxError("补录表是空的", "the table of additions has no rows")
        entries = [entry for entry, _ in added]
        keys = pd.DataFrame([key for _, key in added])[KEY_COLUMNS]
        attempt.working = pd.concat([attempt.working, working_rows(entries)[attempt.working.columns]],
                                    ignore_index=True)
        truth = pd.DataFrame(entries).assign(quantity=keys["true_quantity"].astype(float).to_numpy(),
                                             amount=keys["claimed_amount"].astype(float).to_numpy())
        attempt.data = replace(attempt.data, truth=pd.concat([attempt.data.truth, truth[attempt.data.truth.columns]],
                                                             ignore_index=True),
                               key=pd.concat([attempt.data.key, keys], ignore_index=True))
        now = attempt.clock.now.isoformat(sep=" ")
        self.state.record([Decision(e["entry_id"], "approve", note="补录", at=now) for e in entries])
        self.state.additions.update({e["entry_id"]: e["program"] for e in entries})
        return attempt.progress_feedback("review", {"added": len(entries)}, self._interim_score(),
                                         entry_ids={e["entry_id"] for e in entries})

    @action("post_notice", read_only=False)
    def post_notice(self) -> pd.DataFrame:
        """Post the list in the village for the full posting days; objections come in. The list is
        every entry proposed for payment (拟发放名单): approved, corrected, and those still out
        for a home visit, so visits and 公示 run in the same days. Posting
        again posts only what no earlier 公示 showed as it now stands (approved or added since,
        or corrected), for another full posting period; with nothing new it shows the same."""
        self._require_open()
        now = self.attempt.clock.now
        final = self.final_table()
        due = unposted(final, self.state.notices, now, PROPOSED)
        if not due:
            if self.state.notices:  # running the cell again shows the same 公示 and its objections
                return self.objections()
            raise SandboxError("还没有通过的条目：请先作出审核决定再公示。", "nothing is approved yet: decide the "
                               "entries before posting (公示)")
        posted = final[final["entry_id"].isin(due)]
        number = len(self.state.notices) + 1
        self.state.objections += draw_objections(posted, self.attempt.data.key, self.attempt.clock,
                                                 self.attempt.scenario, notice=number,
                                                 first_number=len(self.state.objections) + 1)
        ends = now + dt.timedelta(days=self.attempt.scenario.review.posting_days)
        self.attempt.clock.advance_to(ends)
        faces = public_faces(posted, PROPOSED)
        self.state.notices.append(Notice(number, now, ends, faces))
        return self.objections()

    @action("respond", read_only=False)
    def respond(self, objection_id: str, response: str, reason: str = "") -> dict:
        """Answer an objection: uphold (reject the entry), dismiss (keep it) or refer."""
        self._require_open()
        objection = next((o for o in self.state.objections if o.objection_id == objection_id), None)
        if objection is None:
            known = ", ".join(o.objection_id for o in self.state.objections) or "none yet"
            raise SandboxError(f"没有编号为 {objection_id!r} 的异议；现有异议：{known}",
                               f"unknown objection {objection_id!r}; objections: {known}")
        decision = OBJECTION_RESPONSES.get(str(response).strip().lower())
        if decision is None:
            raise SandboxError(f"无法识别的答复 {response!r}；请填 属实、不属实 或 核查",
                               f"unknown response {response!r}; expected uphold, dismiss or refer (属实/不属实/核查)")
        current = self.state.decisions.get(objection.entry_id)
        kept = {"approve": {"approve", "correct"}, "reject": {"reject"}}.get(decision, set())
        keeps = current is not None and current.decision in kept
        if not keeps:  # dismissing keeps an approval (and its corrections), upholding a rejection
            row = {"entry_id": objection.entry_id, "decision": decision, "reason": reason, "field": "",
                   "value": "", "note": f"objection {objection_id}"}
            self.submit(pd.DataFrame([row]), source=f"response to {objection_id}")
        self.state.objection_responses[objection_id] = decision
        return {"objection_id": objection_id, "entry_id": objection.entry_id, "decision": decision}

    @action("finalize", read_only=False)
    def finalize(self, confirm: bool = False) -> dict:
        """Close review (结束审核): the approved list (with corrections) goes on to payout, and
        cannot be changed again. Asks for confirm=True first; says so if 公示 is missing."""
        if self.state.final:
            return self._closing_answer()
        missing = len(self.unposted_entry_ids())
        days = self.attempt.scenario.review.posting_days
        require_confirmation("review.finalize", confirm, *(unposted_warning(missing, days) if missing else ()))
        score = self._score()
        self.state.final = True
        self.state.closed_at = self.attempt.clock.now
        self.attempt.finish_stage(score)
        return self._closing_answer()

    @action("close", read_only=False)
    def close(self, confirm: bool = False) -> dict:
        """结束审核: the same step as finalize, under the name the course uses."""
        return self.finalize(confirm=confirm)

    def _closing_answer(self) -> dict:
        feedback = self.attempt.feedback_for("review")
        missing = len(self.unposted_entry_ids())
        if missing:  # said before confirming, and said again now
            feedback["warning"] = unposted_after_closing(missing, self.attempt.scenario.review.posting_days,
                                                         self.attempt.lang)
        return feedback

    # --- internals ---------------------------------------------------------------------------
    def posting_complete(self) -> bool:
        """A 公示 ran its full posting days before review closed, and showed every approved
        entry as it is paid (the law requires it)."""
        return self.state.posted and not self.unposted_entry_ids()

    def unposted_entry_ids(self) -> set[str]:
        """Entries approved (or corrected) that no completed 公示 showed as they stand: paying
        them breaks the rules. Before review closes: what would be unposted if it closed now."""
        closed_by = self.state.closed_at or self.attempt.clock.now
        return unposted(self.final_table(), self.state.notices, closed_by)

    def final_table(self) -> pd.DataFrame:
        """Each entry's decision and its values after corrections (what payout receives).
        Kept until the decisions or the working roster change (the ledger reads it often)."""
        cached = self._final
        if cached is not None and cached[0] == self.state.version and cached[1] is self.attempt.working:
            return cached[2].copy()
        working = self.attempt.working.set_index("entry_id").copy()
        decisions = self.state.decisions
        working["decision"] = "none"
        working["reason"] = ""
        if decisions:
            ids = list(decisions)
            working.loc[ids, "decision"] = [d.decision for d in decisions.values()]
            working.loc[ids, "reason"] = [d.reason for d in decisions.values()]
        for entry_id, d in decisions.items():
            for field, value in d.corrections:
                self._apply_correction(working, entry_id, field, value)
        final = working.reset_index()
        self._final = (self.state.version, self.attempt.working, final)
        return final.copy()

    def _apply_correction(self, working: pd.DataFrame, entry_id: str, field: str, value: str) -> None:
        old_quantity = float(working.at[entry_id, "quantity"] or 0)
        working.at[entry_id, field] = canonical(field, value)
        if field == "quantity" and old_quantity > 0:
            # Per-unit programs: the amount follows the corrected quantity at the same rate.
            rate = float(working.at[entry_id, "amount"]) / old_quantity
            working.at[entry_id, "amount"] = f"{float(canonical('quantity', value)) * rate:.2f}"

    def _score(self):
        ignored = sum(1 for o in self.state.objections if o.objection_id not in self.state.objection_responses)
        score = score_review(self.attempt.data.key, self.final_table(), self.attempt.scenario,
                             visits=self.state.visit_count, ignored_objections=ignored,
                             lang=self.attempt.lang, omitted=self.attempt.data.omitted,
                             visit_days=self.state.visit_days_waited)
        score.metrics["objections"] = self._objections_answered({m.entry_id for m in score.misses})
        return score

    def _objections_answered(self, missed: set[str]) -> dict[str, int]:
        """How many objections came, and how many were answered and left their entry as it
        should be, with no miss on it (the mastery of 公示, platform/skills.py)."""
        answered = [o for o in self.state.objections if o.objection_id in self.state.objection_responses]
        return {"raised": len(self.state.objections),
                "answered_right": sum(o.entry_id not in missed for o in answered)}

    def _interim_score(self):
        if self.attempt.mode != "practice":
            return None
        score = self._score()
        score.score = review_interim(self.attempt)  # as if review closed now
        return score

    def _schedule(self, entry_ids: list[str]) -> None:
        if not entry_ids:
            return
        wanted = set(entry_ids)
        key = self.attempt.data.key
        key = {row["entry_id"]: row for row in key[key["entry_id"].isin(wanted)].to_dict("records")}
        truth = self.attempt.data.truth
        truth = {row["entry_id"]: row for row in truth[truth["entry_id"].isin(wanted)].to_dict("records")}
        returns = schedule_visits(entry_ids, self.attempt.clock, self.attempt.scenario, self._booked_hours())
        defects = self.attempt.world.defects
        payees = {truth[e]["payee_person_id"] for e in entry_ids}
        by_person = dict(tuple(defects[defects["person_id"].isin(payees)].groupby("person_id")))
        for entry_id in entry_ids:
            earlier = self.state.visits.get(entry_id)
            number = earlier.number + 1 if earlier else 1
            inconclusive = visit_inconclusive(self.attempt.scenario, entry_id, number)
            if inconclusive:
                zh, en = INCONCLUSIVE
            else:
                person = by_person.get(truth[entry_id]["payee_person_id"], defects.iloc[0:0])
                zh, en = visit_finding(key[entry_id], truth[entry_id], person)
            self.state.visits[entry_id] = Visit(entry_id, self.attempt.clock.now, returns[entry_id], zh, en,
                                                inconclusive, number)
            self.state.visit_count += 1

    def _booked_hours(self) -> list[float]:
        """Team time earlier referrals still need (a visit's day ends before its write-up)."""
        now = self.attempt.clock.now
        write_up = dt.timedelta(days=self.attempt.scenario.review.home_visit_days)
        ends = sorted(v.returns_at - write_up for v in self.state.visits.values())
        return [min(24.0, (end - now) / dt.timedelta(hours=1)) for end in ends if end > now]

    def _entry(self, entry_id: str) -> dict:
        rows = self.attempt.working[self.attempt.working["entry_id"] == entry_id]
        if rows.empty:
            raise SandboxError(f"名单上没有序号为 {entry_id!r} 的条目，请核对序号", f"unknown entry {entry_id!r}")
        return rows.iloc[0].to_dict()

    def _require_open(self) -> None:
        if self.state.final:
            raise SandboxError("审核已经结束，通过的名单已送去发放，不能再改", "review is closed: the approved list has gone to payout")


def _decisions_of(table: pd.DataFrame, now: str) -> list[Decision]:
    """One Decision per entry; several corrections of one entry are kept together."""
    by_entry: dict[str, list[dict]] = {}
    for row in table.to_dict("records"):  # in order of first appearance, as groupby(sort=False)
        by_entry.setdefault(row["entry_id"], []).append(row)
    batch = []
    for entry_id, rows in by_entry.items():
        first = rows[0]
        corrections = tuple((str(r["field"]), str(r["value"])) for r in rows if r["decision"] == "correct")
        batch.append(Decision(str(entry_id), str(first["decision"]), str(first["reason"] or ""),
                              str(first["field"] or ""), str(first["value"] or ""),
                              str(first["note"] or ""), now, corrections))
    return batch


def _valid_value(field: str, value: object) -> bool:
    text = "" if value is None else str(value).strip()
    if not text:
        return False
    if field in {"quantity", "amount"}:
        try:
            return float(canonical(field, text)) >= 0
        except ValueError:
            return False
    return True
