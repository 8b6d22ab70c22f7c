"""Five monthly batches (January–May 2022) of one county, vectorised over its residents.

Each month the platform pays who it believes entitled on the month's first day: the programs
of the list (programs/data/henan-2022.yaml) due that month, by their structured rule or, for
programs whose payees the model does not trace trait by trait, a stable judgement share. Between
months come the 增减变动: deaths (known to the platform one to three months late), birthdays
into a new 高龄津贴 tier, 低保 households leaving and joining, cards activated or fixed after a
return. The bank returns lines by card state (sandbox/bank/codes.py codes) and wrong names or
card numbers typed at collection; fixed lines are re-issued (补发) the next month; money paid
after a death is recovered (追回) once the death is known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sandbox.city import problems as P
from sandbox.city.people import ACTIVE_STATUS, CountyPeople
from sandbox.common.cards import PROBLEM_STATUSES
from sandbox.programs import catalogue, eligible_mask
from sandbox.programs.listing import PAY_MONTHS, ListedProgram, listed_programs
from sandbox.rng import rng_for
from sandbox.scenario.schema import FULL_COUNTY_TOWNSHIPS

# Card state -> the code the bank returns (sandbox/bank/codes.py); active cards are credited.
STATUS_CODES = {"not_activated": "AG01", "pin_locked": "AC06", "reported_lost": "AC06", "frozen": "AC06",
                "dormant": "NOCM", "closed": "AC04"}
RETURN_CODES = ("AG01", "AC06", "NOCM", "AC04", "BE01", "AC01", "MD07")
GOMPERTZ_SLOPE = 0.085   # mortality rises ~8.5 % a year of age (adult human mortality)
REGISTRATION_LAG_MONTHS = (1, 2, 3)  # months from a death to the platform knowing it
HOUSEHOLD_COLUMNS = ("size", "dibao", "income_per_person", "farmland_mu", "grain_mu", "forest_mu")


@dataclass
class CountyTotals:
    """What the city figures add up over the five months."""

    paid: float = 0.0            # ¥ credited, re-issues included
    credited: int = 0            # lines credited (人次), re-issues included
    first_sent: int = 0          # first-pass lines sent
    first_credited: int = 0      # first-pass lines credited
    social_card_lines: int = 0   # first-pass lines to a social security card
    programs_paid: set[str] = field(default_factory=set)


def month_start(month: int) -> dt.date:
    return dt.date(2022, month, 1)


class CountyMonths:
    """The five months of one county: `run()` gives one KPI row per month and the totals."""

    def __init__(self, scenario, people: CountyPeople) -> None:
        self.scenario, self.people = scenario, people
        self.code = people.code
        self.kinds = {p.kind for p in scenario.city.problems if p.county == self.code}
        self.rules = {p.code: p for p in catalogue(scenario)}
        self.listed = [p for p in listed_programs() if p.city.months]
        persons = people.persons
        self.n = len(persons)
        self.head_of = np.flatnonzero(persons["is_head"].to_numpy())
        self.household = persons["household"].to_numpy()
        self.frame = persons.drop(columns=["household", "card_status", "social_security_card", "address_code",
                                           "birth_year"])
        self.hh = people.households.copy()
        self._draw_fates()
        self.card_status = persons["card_status"].to_numpy().copy()
        if "lagging_activation" in self.kinds:  # cards handed out, never activated: many more here
            extra = self.scenario.cards.status_rates.not_activated * (P.UNACTIVATED_IF_LAGGING - 1.0)
            more = (self.card_status == ACTIVE_STATUS) & (self.rng("lagging").random(self.n) < extra)
            self.card_status[more] = PROBLEM_STATUSES.index("not_activated")
        self.social_card = persons["social_security_card"].to_numpy()
        self.previous: dict[str, np.ndarray] = {}
        self.pending_reissue = pd.DataFrame({"payee": np.array([], dtype=np.int64), "amount": np.array([]),
                                             "program": np.array([], dtype=object)})
        self.unrecovered = 0.0  # ¥ credited after deaths, not yet recovered
        self.totals = CountyTotals()

    def rng(self, *labels: object) -> np.random.Generator:
        return rng_for(self.scenario.seed, "city", self.code, *labels)

    # --- who dies, who is known dead, whose roster data is wrong ---------------------------------
    def _draw_fates(self) -> None:
        city, age = self.scenario.city, self.frame["age_years"].to_numpy()
        hazard = np.exp(GOMPERTZ_SLOPE * (age - 60.0))
        monthly = np.clip(city.death_rate_per_year * self.n / hazard.sum() * hazard / 12.0, 0.0, 0.5)
        self.death_month = self.rng("deaths").geometric(monthly)  # > 5: alive through May
        late = self.scenario.population.late_registration_share
        lag = self.rng("death_lag").choice(REGISTRATION_LAG_MONTHS, self.n, p=[1 - late, late * 0.7, late * 0.3])
        self.known_dead_from = self.death_month + lag  # the first month the platform no longer pays
        self.bank_knows = self.rng("bank_knows").random(self.n) < self.scenario.cards.bank_knows_death_rate
        errors = self.scenario.irregularities
        name_rate = errors.data_entry_name * (P.NAME_ERRORS_IF_MISMATCH if "name_mismatch" in self.kinds else 1.0)
        draws = self.rng("roster_errors").random(self.n)
        self.name_wrong = draws < name_rate
        self.card_wrong = (draws >= name_rate) & (draws < name_rate + errors.data_entry_card)
        self.share_draw: dict[str, np.ndarray] = {}

    # --- one month --------------------------------------------------------------------------------
    def _month_frame(self, month: int) -> pd.DataFrame:
        frame = self.frame.copy(deep=False)
        frame["age"] = np.floor(frame["age_years"].to_numpy() + (month - 1) / 12.0).astype(np.int64)
        frame["alive_at_period_start"] = self.known_dead_from > month  # the platform's view
        for column in HOUSEHOLD_COLUMNS:
            frame[column] = self.hh[column].to_numpy()[self.household]
        return frame

    def _churn_dibao(self, month: int) -> None:
        """增减变动 of 低保: some households' income rises above the standard, as many needy join."""
        if month == PAY_MONTHS[0]:
            return
        rng = self.rng("dibao_churn", month)
        dibao = self.hh["dibao"].to_numpy().copy()
        k = rng.binomial(int(dibao.sum()), self.scenario.city.dibao_churn_per_month)
        leaving = rng.choice(np.flatnonzero(dibao), size=k, replace=False) if k else np.array([], dtype=np.int64)
        candidates = np.flatnonzero(~dibao & ~self.hh["tekun_household"].to_numpy())
        joining = rng.choice(candidates, size=min(k, len(candidates)), replace=False)
        income = self.hh["income_per_person"].to_numpy().copy()
        dibao[leaving], dibao[joining] = False, True
        income[leaving] = 600.0 + rng.uniform(0, 400, len(leaving))
        income[joining] = rng.uniform(0, 380.0, len(joining))
        self.hh["dibao"], self.hh["income_per_person"] = dibao, np.round(income, 2)

    def _payees(self, program: ListedProgram, frame: pd.DataFrame, heads: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(person rows, amounts) the platform pays this month for one program."""
        if program.city.who == "rule":
            rule = self.rules[program.code]
            rows = frame if rule.unit == "person" else heads
            amount = rule.formula.amounts(rows).round(2).to_numpy() * program.city.batch_months
            keep = eligible_mask(rule, rows).to_numpy() & (amount > 0)
            index = rows.index.to_numpy()[keep]
            on_card = self._stable_draw(program.code)[index] < program.city.card_share
            return index[on_card], amount[keep][on_card]
        keep = frame["alive_at_period_start"].to_numpy() & (self._stable_draw(program.code) < program.city.share)
        for condition in program.city.base:
            keep &= condition.mask(frame).to_numpy()
        index = np.flatnonzero(keep)
        return index, np.full(len(index), program.city.amount)

    def _stable_draw(self, code: str) -> np.ndarray:
        """One uniform draw per person and program: the same people month after month."""
        if code not in self.share_draw:
            self.share_draw[code] = self.rng("share", code).random(self.n)
        return self.share_draw[code]

    def month(self, month: int) -> dict:
        self._churn_dibao(month)
        frame = self._month_frame(month)
        heads = frame.iloc[self.head_of]
        payee_parts, amount_parts, program_parts = [], [], []
        additions = stops = 0
        for program in self.listed:
            if month not in program.city.months:
                continue
            payees, amounts = self._payees(program, frame, heads)
            now = np.zeros(self.n, dtype=bool)
            now[payees] = True
            before = self.previous.get(program.code)
            if before is not None:
                additions += int((now & ~before).sum())
                stops += int((before & ~now).sum())
            self.previous[program.code] = now
            payee_parts.append(payees)
            amount_parts.append(amounts)
            program_parts.append(np.full(len(payees), program.code, dtype=object))
        payee = np.concatenate(payee_parts) if payee_parts else np.array([], dtype=np.int64)
        amount = np.concatenate(amount_parts) if amount_parts else np.array([])
        program = np.concatenate(program_parts) if program_parts else np.array([], dtype=object)
        return self._settle(month, payee, amount, program, additions, stops, len(payee_parts))

    def _codes(self, payee: np.ndarray, month: int) -> np.ndarray:
        """The bank's answer per line: '' credited, else a return code."""
        code = np.full(len(payee), "", dtype=object)
        status = self.card_status[payee]
        for position, name in enumerate(PROBLEM_STATUSES):
            code[status == position] = STATUS_CODES[name]
        code[self.card_wrong[payee]] = "AC01"
        code[self.name_wrong[payee]] = "BE01"
        dead = self.death_month[payee] < month
        code[dead & self.bank_knows[payee]] = "MD07"
        return code

    def _settle(self, month: int, payee: np.ndarray, amount: np.ndarray, program: np.ndarray,
                additions: int, stops: int, batches: int) -> dict:
        city, rng = self.scenario.city, self.rng("settle", month)
        code = self._codes(payee, month)
        credited = code == ""
        reissue = self.pending_reissue
        re_code = self._codes(reissue["payee"].to_numpy(), month)
        re_ok = re_code == ""
        dead_paid = credited & (self.death_month[payee] < month)
        improper = float(amount[dead_paid].sum() + reissue["amount"].to_numpy()[
            re_ok & (self.death_month[reissue["payee"].to_numpy()] < month)].sum())
        self.unrecovered += improper
        share = city.recovery_share * (P.RECOVERY_IF_UNRECOVERED if "unrecovered" in self.kinds else 1.0)
        # each month the department works the outstanding cases: `share` of what is owed comes back
        known = float(self.unrecovered)
        recovered = round(known * share * (month >= 2), 2)
        self.unrecovered -= recovered
        t = self.totals
        t.paid += float(amount[credited].sum() + reissue["amount"].to_numpy()[re_ok].sum())
        t.credited += int(credited.sum() + re_ok.sum())
        t.first_sent += len(payee)
        t.first_credited += int(credited.sum())
        t.social_card_lines += int(self.social_card[payee].sum())
        t.programs_paid |= set(program[credited].tolist())
        # after the returns: holders activate or fix cards, townships correct the roster
        self._after_returns(payee, code, month)
        fixable = (code != "") & (code != "MD07")
        retry = pd.DataFrame({"payee": payee[fixable], "amount": amount[fixable], "program": program[fixable]})
        self.pending_reissue = retry[self._fixed(retry["payee"].to_numpy())].reset_index(drop=True)
        days = city.payment_days + (P.EXTRA_DAYS_IF_LATE if "late_payment" in self.kinds else 0)
        posting = P.POSTING_IF_MISSING if "no_posting" in self.kinds else P.POSTING_USUAL
        due = batches * FULL_COUNTY_TOWNSHIPS
        posted = int(rng.binomial(due, posting))
        unpaid = int((~credited).sum())
        # complaints (judgement): a few anyway, more for money that did not arrive, came late or
        # was paid without 公示
        complaints = int(rng.poisson(0.5 + unpaid / 800 + (days - city.payment_days) * len(payee) / 400_000
                                     + (due - posted) / 10))
        social = self.social_card[payee]
        row = {
            "county": self.code, "county_name": self.people.name, "month": month,
            "payees": len(payee), "credited": int(credited.sum()), "amount_paid": round(float(amount[credited].sum()), 2),
            "reissued": int(re_ok.sum()), "reissued_amount": round(float(reissue["amount"].to_numpy()[re_ok].sum()), 2),
            "success_rate": float(credited.mean()) if len(payee) else 1.0,
            "activation_rate": float((self.card_status[payee][social] != PROBLEM_STATUSES.index("not_activated")).mean())
            if social.any() else 1.0,
            **{f"returns_{c}": int((code == c).sum()) for c in RETURN_CODES},
            "days_to_pay": round(float(days + rng.poisson(1.0, max(1, int(credited.sum()))).mean() - 1.0), 2),
            "paid_after_death": round(improper, 2), "recovered": recovered,
            "recovery_rate": round(recovered / known, 4) if known > 0.005 else 1.0,
            "batches_due": due, "posted": posted, "posting_rate": round(posted / due, 4) if due else 1.0,
            "complaints": complaints, "additions": additions, "stops": stops,
        }
        return row

    def _after_returns(self, payee: np.ndarray, code: np.ndarray, month: int) -> None:
        city = self.scenario.city
        rng = self.rng("after_returns", month)
        activation = city.activation_per_month * (P.ACTIVATION_IF_LAGGING if "lagging_activation" in self.kinds else 1.0)
        returned = payee[(code != "") & (code != "MD07") & (code != "BE01") & (code != "AC01")]
        returned = np.unique(returned)
        not_activated = self.card_status[returned] == PROBLEM_STATUSES.index("not_activated")
        chance = np.where(not_activated, activation, city.fix_per_month)
        self.card_status[returned[rng.random(len(returned)) < chance]] = ACTIVE_STATUS
        for wrong, c in ((self.name_wrong, "BE01"), (self.card_wrong, "AC01")):
            hit = np.unique(payee[code == c])
            wrong[hit[rng.random(len(hit)) < city.fix_per_month]] = False

    def _fixed(self, payee: np.ndarray) -> np.ndarray:
        return (self.card_status[payee] == ACTIVE_STATUS) & ~self.name_wrong[payee] & ~self.card_wrong[payee]

    def run(self) -> tuple[list[dict], CountyTotals]:
        rows = [self.month(m) for m in PAY_MONTHS]
        return rows, self.totals
