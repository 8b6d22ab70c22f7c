"""月度增减变动 (monthly changes): the pay periods after the first. Each month the operator
reads the change list (deaths reported, 低保 started or ended, tier changes, lost cards), checks
the standing roster against that month's registries, decides, and pays. A payee who died and
is still paid is 冒领: stop, and recover (追回) what was paid after the death.

Only scenarios with `periods` > 1 have this stage (StageInfo.applies, declared in sequence.py); the report skips it
elsewhere. Payments are simulated simply: credited unless the card is lost or closed.
"""

from __future__ import annotations

import pandas as pd

from sandbox.common.parsing import parse_amount
from sandbox.common.submissions import ROW, read_table
from sandbox.common.text import CleaningError, clean_text
from sandbox.errors import AlreadyFinal, RowProblem, SandboxError, SubmissionError
from sandbox.platform.harm import HarmItem, item
from sandbox.platform.harm_money import tainted_entries
from sandbox.platform.months import (
    CHANGE_COLUMNS,
    Ledger,
    build_changes,
    case_items,
    harm_miss,
    monthly_programs,
    never_due,
    score_months,
)
from sandbox.platform.reference import attempt_timeline, month_registries, month_view, reference
from sandbox.platform.scoring import records
from sandbox.platform.stages.base import Stage, action
from sandbox.platform.stages.sequence import STAGES

ENTRY_DECISIONS = ("continue", "stop", "stop_recover")
CHANGE_DECISIONS = ("approve", "reject")
ROSTER_COLUMNS = ["entry_id", "village", "name", "id_number", "program", "amount", "bank", "account_number",
                  "since", "months_paid", "paid_total"]
HISTORY_COLUMNS = ["period", "month", "month_start", "entry_id", "name", "id_number", "program", "amount",
                   "account_number", "status"]
FAILING_CARDS = {"reported_lost", "closed"}


class MonthlyStage(Stage):
    info = STAGES["monthly"]

    def __init__(self, attempt) -> None:
        super().__init__(attempt)
        self.timeline = None
        self.period = 0                    # the month open now (2..N); 0 before the first
        self.standing: pd.DataFrame | None = None
        self.changes: pd.DataFrame = pd.DataFrame(columns=CHANGE_COLUMNS)
        self.decisions: dict[str, tuple[str, float]] = {}
        self.history: list[dict] = []
        self.ledger = Ledger()
        self.view = None
        self.due: pd.Series | None = None  # the month's money due, by (program, payee)
        self.tainted: set[str] = set()  # entries collection left wrong: their failed months are its harm

    # --- opening a month ---------------------------------------------------------------------
    def _open(self) -> None:
        if self.period:
            return
        review = self.attempt.stages["review"]
        if not review.state.final:
            raise SandboxError("月度变动从最终名单开始：请先结束审核（s.review.close(confirm=True)）",
                               "the monthly changes start from the final roster: close review first "
                               "(s.review.close(confirm=True))")
        self.timeline = attempt_timeline(self.attempt)
        final = review.final_table()
        self.tainted = tainted_entries(self.attempt, final.set_index("entry_id"))
        self.standing = self._standing_from_review(final)
        self._start_month(2)

    def _standing_from_review(self, final: pd.DataFrame) -> pd.DataFrame:
        """Period 1's approved entries of monthly programs, carried forward."""
        codes = {p.code for p in monthly_programs(self.attempt.scenario)}
        approved = final[final["decision"].isin(["approve", "correct"]) & final["program"].isin(codes)]
        truth = self.attempt.data.truth.set_index("entry_id")
        key = self.attempt.data.key.set_index("entry_id")
        persons = self.attempt.world.persons
        # The card period 1 was finally paid to (a fix at the failure desk may have changed it).
        latest = self.attempt.stages["payout"].latest() if "payout" in self.attempt.stages else pd.DataFrame()
        paid_to = (dict(zip(latest["entry_id"], latest["account_number"].astype(str), strict=True))
                   if len(latest) else {})
        person_of_id = dict(zip(persons["id_number"], persons["person_id"], strict=True))
        household_of = dict(zip(persons["person_id"], persons["household_id"], strict=True))
        rows = []
        for entry in approved.to_dict("records"):
            eid = entry["entry_id"]
            payee = truth.at[eid, "payee_person_id"] if eid in truth.index else person_of_id.get(entry["id_number"], "")
            fault = str(key.at[eid, "fault"]) if eid in key.index else ""
            rows.append({"entry_id": eid, "village": entry["village"], "name": entry["name"],
                         "id_number": entry["id_number"], "program": entry["program"],
                         "amount": round(float(entry["amount"]), 2), "bank": entry["bank"],
                         "account_number": paid_to.get(eid, str(entry["account_number"])),
                         "payee_person_id": payee,
                         "household_id": household_of.get(payee, ""), "fault": fault,
                         "vulnerable": bool(key.at[eid, "vulnerable"]) if eid in key.index else True,
                         "since": self.attempt.scenario.calendar.period_label, "active": True})
        return pd.DataFrame(rows)

    def _start_month(self, period: int) -> None:
        self.period = period
        month = self.timeline.months[period - 1]
        self.view, self.due = month_view(self.attempt, period)
        self.attempt.registry_view = month_registries(self.attempt, period)
        self.attempt.clock.advance_to(pd.Timestamp(month.as_of).to_pydatetime().replace(hour=9))
        carried = self.changes[self.changes["status"] == "pending"]  # undecided items wait on
        fresh = pd.DataFrame(build_changes(self.attempt, self.timeline, month, self.standing, self.view),
                             columns=CHANGE_COLUMNS)
        self.changes = pd.concat([carried, fresh], ignore_index=True) if len(carried) else fresh
        self.decisions = {}

    # --- views -------------------------------------------------------------------------------
    @action("brief", read_only=False)  # opens the first month (the clock moves to its date)
    def brief(self) -> dict:
        """The month open now: its dates, how many payees stand and how many changes wait."""
        self._open()
        if self.period > len(self.timeline.months):
            return self._done_brief()
        month = self.timeline.months[self.period - 1]
        return {"period": self.period, "periods": len(self.timeline.months), "month": month.label,
                "period_start": month.start.isoformat(), "period_end": month.end.isoformat(),
                "as_of": month.as_of.isoformat(), "standing": int(self.standing["active"].sum()),
                "changes": int((self.changes["status"] == "pending").sum()), "done": False}

    def _done_brief(self) -> dict:
        return {"period": None, "periods": len(self.timeline.months), "done": True,
                "standing": int(self.standing["active"].sum())}

    @action("roster", read_only=False)  # opens the first month
    def roster(self) -> pd.DataFrame:
        """The standing roster: last month's payees carried forward, with what they were paid."""
        self._open()
        active = self.standing[self.standing["active"]]
        paid = pd.DataFrame(self.history, columns=HISTORY_COLUMNS)
        credited = paid[paid["status"] == "credited"] if len(paid) else paid
        months = credited.groupby("entry_id").size() if len(credited) else pd.Series(dtype=int)
        totals = credited.groupby("entry_id")["amount"].sum() if len(credited) else pd.Series(dtype=float)
        out = active.assign(months_paid=active["entry_id"].map(months).fillna(0).astype(int),
                            paid_total=active["entry_id"].map(totals).fillna(0.0).round(2))
        return out[ROSTER_COLUMNS].reset_index(drop=True)

    @action("changes", read_only=False)  # opens the first month
    def change_list(self) -> pd.DataFrame:
        """增减变动: this month's change items (and any left pending last month)."""
        self._open()
        return self.changes[CHANGE_COLUMNS].reset_index(drop=True)

    @action("history", read_only=True)
    def payment_history(self) -> pd.DataFrame:
        """Every monthly payment made so far (months 2..): what a recovery is computed from."""
        return pd.DataFrame(self.history, columns=HISTORY_COLUMNS)

    @action("template", read_only=True)
    def template(self) -> pd.DataFrame:
        return pd.DataFrame(columns=["id", "decision", "recover_amount"])

    # --- decisions ---------------------------------------------------------------------------
    @action("decide", read_only=False)
    def decide(self, decisions: pd.DataFrame, source: str = "decisions") -> dict:
        """Decisions for this month: standing entries (continue | stop | stop_recover with
        recover_amount) and change items (approve | reject). A later decision replaces an earlier."""
        self._open()
        if self.period > len(self.timeline.months):
            raise AlreadyFinal("每个月都已发放，月度变动环节已经结束", "every month has been paid; the monthly stage is closed")
        frame, name = read_table(decisions, name=source)
        entries = set(self.standing.loc[self.standing["active"], "entry_id"])
        changes = set(self.changes.loc[self.changes["status"] == "pending", "change_id"])
        problems: list[RowProblem] = []
        accepted: dict[str, tuple[str, float]] = {}
        for record in frame.to_dict("records"):
            row = int(record.get(ROW, 0) or 0)
            item = clean_text(record.get("id") or record.get("entry_id") or record.get("change_id") or "")
            decision = clean_text(record.get("decision", "")).lower()
            if item in entries:
                allowed = ENTRY_DECISIONS
            elif item in changes:
                allowed = CHANGE_DECISIONS
            else:
                problems.append(RowProblem(row, "id", f"{item!r} is neither a standing entry nor a pending change",
                                           zh=f"{item!r} 既不是在册条目，也不是待处理的变动"))
                continue
            if decision not in allowed:
                problems.append(RowProblem(row, "decision", f"{decision!r}; expected one of {', '.join(allowed)}",
                                           zh=f"无法识别的决定 {decision!r}；可选：{'、'.join(allowed)}"))
                continue
            amount = 0.0
            if decision == "stop_recover":
                try:
                    amount = parse_amount(record.get("recover_amount", ""))
                except CleaningError as exc:
                    problems.append(RowProblem.of(row, "recover_amount", exc))
                    continue
                if amount < 0:
                    problems.append(RowProblem(row, "recover_amount", f"{amount:.2f} is negative", zh=f"{amount:.2f} 是负数"))
                    continue
            accepted[item] = (decision, round(amount, 2))
        if problems:
            raise SubmissionError(name, problems)
        self.decisions.update(accepted)
        return {"stage": "monthly", "period": self.period, "recorded": len(accepted),
                "decided": len(self.decisions)}

    # --- paying the month --------------------------------------------------------------------
    @action("pay", read_only=False)
    def pay(self) -> dict:
        """Apply this month's decisions, pay the standing roster, and open the next month;
        after the last month the stage is scored."""
        self._open()
        if self.period > len(self.timeline.months):
            raise AlreadyFinal("每个月都已发放，月度变动环节已经结束", "every month has been paid; the monthly stage is closed")
        month = self.timeline.months[self.period - 1]
        due = self.due
        self._apply_changes(month, due)
        summary = self._pay_standing(month, due)
        if self.period == len(self.timeline.months):
            self.period += 1
            self.attempt.registry_view = None
            feedback = self.attempt.finish_stage(score_months(self.ledger, len(self.timeline.months) - 1,
                                                              self.attempt.lang))
            return {**summary, "done": True, "feedback": feedback}
        self._start_month(self.period + 1)
        return {**summary, "done": False, "next_month": self.timeline.months[self.period - 1].label}

    def harm_items(self, sent: bool) -> list[HarmItem]:
        """The months' harms; months not paid yet weigh the money due in them (as it stands,
        nobody is paid in a month nobody paid)."""
        scoring = self.attempt.scenario.scoring
        items = list(self.ledger.items) + case_items(self.ledger, scoring)
        months = reference(self.attempt)["months_due"]
        first_unpaid = self.period if self.period else 2
        unpaid = sum(due for period, due in months.items() if period >= first_unpaid)
        if unpaid > 0.005:
            items.append(item(scoring, "monthly", "denied", "months", unpaid, families=0,
                              note=("以后各月未发放", "later months not paid")))
        return items

    def _harm(self, stage: str, kind: str, ref: str, amount: float, factor: float = 1.0) -> None:
        self.ledger.items.append(item(self.attempt.scenario.scoring, stage, kind, ref, amount, factor=factor))

    def _apply_changes(self, month, due: pd.Series) -> None:
        lang = self.attempt.lang
        multiplier = self.attempt.scenario.scoring.vulnerable_multiplier
        months_left = len(self.timeline.months) - month.period + 1
        for index, change in self.changes.iterrows():
            if change["status"] != "pending":
                continue
            decision = self.decisions.get(change["change_id"], ("", 0.0))[0]
            kind = change["kind"]
            if kind == "application":
                owed = self._application_due(change, due)
                if decision == "approve":
                    self._add_entry(change, month)
                elif owed > 0:  # rejected: no month paid from now on; pending: this month not paid
                    self._harm("monthly", "denied", change["change_id"],
                               owed * (months_left if decision == "reject" else 1), multiplier)
                    self.ledger.misses.append(harm_miss(change["change_id"], "wrongful_rejection" if decision == "reject"
                                                        else "left_pending", owed, lang, change["evidence_zh"],
                                                        change["evidence_en"]))
            elif decision == "approve":
                self._apply_to_entry(change)
            if decision:
                self.changes.at[index, "status"] = "approved" if decision == "approve" else "rejected"

    def _application_due(self, change: pd.Series, due: pd.Series) -> float:
        person = self.view.persons.loc[self.view.persons["id_number"] == change["id_number"], "person_id"]
        if not len(person):
            return 0.0
        return float(due.get((change["program"], person.iloc[0]), 0.0))

    def _add_entry(self, change: pd.Series, month) -> None:
        persons = self.view.persons.set_index("id_number")
        who = persons.loc[change["id_number"]]
        row = {"entry_id": f"N{month.period}-{change['change_id'].split('-')[1]}", "village": change["village"],
               "name": change["name"], "id_number": change["id_number"], "program": change["program"],
               "amount": round(float(change["amount"]), 2), "bank": self._bank_of(change["account_number"]),
               "account_number": change["account_number"], "payee_person_id": who["person_id"],
               "household_id": who["household_id"], "fault": "", "vulnerable": True, "since": month.label,
               "active": True}
        self.standing = pd.concat([self.standing, pd.DataFrame([row])], ignore_index=True)

    def _bank_of(self, account_number: str) -> str:
        accounts = self.view.accounts
        match = accounts.loc[accounts["account_number"] == account_number, "bank"]
        return str(match.iloc[0]) if len(match) else ""

    def _apply_to_entry(self, change: pd.Series) -> None:
        rows = self.standing.index[self.standing["entry_id"] == change["entry_id"]]
        if change["kind"] == "stop_report":
            self.decisions.setdefault(change["entry_id"], ("stop", 0.0))
        elif change["kind"] == "tier_change":
            self.standing.loc[rows, "amount"] = float(change["amount"])
        elif change["kind"] == "card_change":
            self.standing.loc[rows, "account_number"] = change["account_number"]

    def _pay_standing(self, month, due: pd.Series) -> dict:
        status = self.view.accounts.set_index("account_number")["status"]
        status = status[~status.index.duplicated(keep="last")]
        credited = returned = stopped = 0
        amount_paid = 0.0
        active = self.standing[self.standing["active"]]
        owed_of = due.to_dict()  # (program, payee) -> amount, looked up entry by entry
        for index, entry in zip(active.index, records(active), strict=True):
            owed = 0.0 if never_due(entry["fault"]) else float(owed_of.get((entry["program"], entry["payee_person_id"]), 0.0))
            decision, recover = self.decisions.get(entry["entry_id"], ("continue", 0.0))
            judged = entry["fault"] in {"", "dead_payee"}  # other planted faults are review's to catch
            if judged:
                self.ledger.due_total += owed
                self._track_case(entry, owed, month)
            if decision in {"stop", "stop_recover"}:
                stopped += 1
                self.standing.at[index, "active"] = False
                if judged:
                    self._stop(entry, owed, recover if decision == "stop_recover" else 0.0, month)
                continue
            ok = status.get(entry["account_number"], "closed") not in FAILING_CARDS
            paid = float(entry["amount"]) if ok else 0.0
            credited += ok
            returned += not ok
            amount_paid += paid
            self._record(entry, month, "credited" if ok else "returned")
            if judged:
                self._judge_payment(entry, owed, paid, ok, month)
            elif ok:
                self._review_let_through(entry, owed)
        return {"stage": "monthly", "period": month.period, "month": month.label, "credited": credited,
                "returned": returned, "stopped": stopped, "amount_paid": round(amount_paid, 2)}

    def _record(self, entry: pd.Series, month, status: str) -> None:
        self.history.append({"period": month.period, "month": month.label, "month_start": month.start.isoformat(),
                             "entry_id": entry["entry_id"], "name": entry["name"], "id_number": entry["id_number"],
                             "program": entry["program"], "amount": round(float(entry["amount"]), 2),
                             "account_number": entry["account_number"], "status": status})

    def _track_case(self, entry: pd.Series, owed: float, month) -> None:
        """An entry becomes a case the first month it is due nothing while standing."""
        if owed > 0 or entry["entry_id"] in self.ledger.cases:
            return
        fault = entry["fault"] or self._why_not_due(entry, month)
        person = self._person(entry["payee_person_id"])
        died = person is not None and pd.notna(person["death_date"]) and person["death_date"] < pd.Timestamp(month.start)
        why_zh = f"{entry['name']}已于{person['death_date']:%Y-%m-%d}死亡" if died else "不再符合条件"
        why_en = f"{entry['name']} died on {person['death_date']:%Y-%m-%d}" if died else "no longer eligible"
        self.ledger.cases[entry["entry_id"]] = {
            "entry_id": entry["entry_id"], "fault": fault, "from": month.period, "from_label": month.label,
            "paid": 0.0, "recovered": 0.0, "stopped_at": None, "why_zh": why_zh, "why_en": why_en}
        months_left = len(self.timeline.months) - month.period + 1
        self.ledger.exposure += float(entry["amount"]) * months_left

    def _person(self, person_id: str) -> pd.Series | None:
        """The payee as the month's world holds them (the persons indexed once per month)."""
        if not person_id:
            return None
        indexed = getattr(self, "_persons", None)
        if indexed is None or indexed[0] is not self.view:
            indexed = self._persons = (self.view, self.view.persons.set_index("person_id"))
        return indexed[1].loc[person_id]

    def _why_not_due(self, entry: pd.Series, month) -> str:
        person = self._person(entry["payee_person_id"])
        if person is not None and pd.notna(person["death_date"]) and person["death_date"] < pd.Timestamp(month.start):
            return "dead_payee"
        household = self.view.persons[self.view.persons["household_id"] == entry["household_id"]]
        if entry["program"] == "dibao" and household["public_employee"].any():
            return "public_employee"  # an approved application from a household on the payroll
        return "ineligible"

    def _review_let_through(self, entry: pd.Series, owed: float) -> None:
        """A planted irregularity review approved keeps being paid each month: review's harm."""
        improper = max(0.0, float(entry["amount"]) - owed)
        if improper > 0.005:
            stage = "collection" if entry["entry_id"] in self.tainted else "review"
            self._harm(stage, "improper_paid", entry["entry_id"], improper)
            self._harm(stage, "not_recovered", entry["entry_id"], improper)

    def _judge_payment(self, entry: pd.Series, owed: float, paid: float, ok: bool, month) -> None:
        lang = self.attempt.lang
        vulnerable = self.attempt.scenario.scoring.vulnerable_multiplier if entry["vulnerable"] else 1.0
        case = self.ledger.cases.get(entry["entry_id"])
        if case is not None and case["stopped_at"] is None:
            case["paid"] = round(case["paid"] + paid, 2)
            self.ledger.improper_paid += paid
            return
        if not ok and owed > 0:  # returned, and the monthly run pays no month twice: not paid
            stage = "collection" if entry["entry_id"] in self.tainted else "monthly"
            self._harm(stage, "denied", entry["entry_id"], owed, vulnerable)
            if entry["account_number"] in set(self.timeline.new_accounts["replaces"]):  # a card change left unapplied
                self.ledger.misses.append(harm_miss(entry["entry_id"], "card_not_updated", owed, lang,
                                                    f"{month.label}发往已挂失的卡{entry['account_number']}，被退回",
                                                    f"{month.label}: paid to lost card {entry['account_number']}, returned"))
        elif ok and owed - paid > 0.005:
            self._harm("monthly", "denied", entry["entry_id"], owed - paid, vulnerable)
            self.ledger.misses.append(harm_miss(entry["entry_id"], "underpaid", owed - paid, lang,
                                                f"{month.label}应发{owed:.2f}元，实发{paid:.2f}元",
                                                f"{month.label}: due ¥{owed:.2f}, paid ¥{paid:.2f}"))
        elif ok and paid - owed > 0.005 and owed > 0:
            self.ledger.improper_paid += paid - owed
            self.ledger.exposure += paid - owed
            self._harm("monthly", "improper_paid", entry["entry_id"], paid - owed)
            self._harm("monthly", "not_recovered", entry["entry_id"], paid - owed)

    def _stop(self, entry: pd.Series, owed: float, recover: float, month) -> None:
        lang = self.attempt.lang
        case = self.ledger.cases.get(entry["entry_id"])
        if case is not None:
            case["stopped_at"] = month.period
            true = case["paid"]
            case["recovered"] = round(min(recover, true), 2)
            self.ledger.recovered += min(recover, true)
            over = max(0.0, recover - true)
        else:
            over = recover
            multiplier = self.attempt.scenario.scoring.vulnerable_multiplier if entry["vulnerable"] else 1.0
            months_left = len(self.timeline.months) - month.period + 1
            if owed > 0:  # stopped for the rest of the months
                self._harm("monthly", "denied", entry["entry_id"], owed * months_left, multiplier)
            self.ledger.wrongful_stops += 1
            self.ledger.misses.append(harm_miss(entry["entry_id"], "wrongful_stop", owed, lang,
                                                f"{entry['name']}仍健在且符合条件，{month.label}起被停发",
                                                f"{entry['name']} is alive and entitled; stopped from {month.label}"))
        if over > 0.005:
            self.ledger.over_recovered += over
            multiplier = self.attempt.scenario.scoring.vulnerable_multiplier if entry["vulnerable"] else 1.0
            self._harm("monthly", "wrongly_accused", entry["entry_id"], over, multiplier)
            self.ledger.misses.append(harm_miss(entry["entry_id"], "over_recovery", over, lang,
                                                f"追回{recover:.2f}元，多于死亡后实发金额",
                                                f"recovered ¥{recover:.2f}, more than was paid after the death"))
