"""Review and posting (审核、公示) on the platform side: decisions, home visits (入户核查)
and the seven days of public posting during which villagers object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.errors import SandboxError
from sandbox.irregularities import FAULTS
from sandbox.platform.clock import SimClock
from sandbox.platform.objections import BLATANT_FAULTS as BLATANT_FAULTS  # re-exported for callers
from sandbox.platform.objections import claim_weights, objection_chance, word_objection
from sandbox.platform.posting import Notice
from sandbox.rng import rng_for

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

HOURS_PER_DAY = 24.0
# A visit that settles nothing (家中无人/无法核实): the entry may be referred again. Drawn for
# every kind of entry alike (visit_inconclusive), entitled or not.
INCONCLUSIVE = ("入户核查：家中无人，无法核实，可再次转入户核查。",
                "Visit: nobody at home, nothing could be verified; refer the entry again.")


@dataclass(frozen=True)
class Decision:
    entry_id: str
    decision: str  # approve | reject | correct | refer
    reason: str = ""
    field: str = ""
    value: str = ""
    note: str = ""
    at: str = ""  # simulated time
    corrections: tuple[tuple[str, str], ...] = ()  # every (field, value) of a correct decision


@dataclass(frozen=True)
class Visit:
    entry_id: str
    requested_at: dt.datetime
    returns_at: dt.datetime
    finding_zh: str
    finding_en: str
    inconclusive: bool = False
    number: int = 1  # the entry's first, second … visit


@dataclass(frozen=True)
class Objection:
    objection_id: str
    entry_id: str
    arrived_at: dt.datetime
    text_zh: str
    text_en: str
    notice: int = 1  # which 公示 it came in on


def visit_finding(key_row: Mapping[str, Any], truth_row: Mapping[str, Any],
                  defects: pd.DataFrame | None = None) -> tuple[str, str]:
    """What a home visit finds out: the truth about this entry, in plain words, and what it
    settles about the registries that disagree on this person (`defects`: their rows)."""
    zh, en = _entry_finding(key_row, truth_row)
    if defects is not None and len(defects):  # first: the entry's finding ends the report
        zh = "登记核实：" + "；".join(defects["detail_zh"]) + "。" + zh
        en = "Registries checked: " + "; ".join(defects["detail_en"]) + ". " + en
    return zh, en


def _entry_finding(key_row: Mapping[str, Any], truth_row: Mapping[str, Any]) -> tuple[str, str]:
    fault = key_row["fault"]
    name = truth_row["name"]
    if not fault:
        return (f"入户核实：{name}情况属实，信息无误。", f"Visit: {name}'s claim is genuine and the data are right.")
    if FAULTS[fault].correctable:  # the entry is due: the visit says what the right value is
        return (f"入户核实：{key_row['evidence_zh']}。正确的{key_row['fix_field']}为{key_row['fix_value']}。",
                f"Visit: {key_row['evidence_en']}. The right {key_row['fix_field']} is {key_row['fix_value']}.")
    return (f"入户核实：{key_row['evidence_zh']}。", f"Visit: {key_row['evidence_en']}.")


def visit_inconclusive(scenario: Scenario, entry_id: str, number: int) -> bool:
    """Whether this visit finds nobody home: a draw of its own per entry and visit number,
    so replaying an attempt, or visiting in another order, gives the same answer."""
    rate = scenario.review.visit_inconclusive_rate
    return rate > 0 and rng_for(scenario.seed, "review", "visit_inconclusive", entry_id, number).random() < rate


def schedule_visits(entry_ids: list[str], clock: SimClock, scenario: Scenario,
                    booked_hours: Sequence[float] = ()) -> dict[str, dt.datetime]:
    """When each referred entry's visit report comes back (SimPy: limited visiting teams).

    `booked_hours`: team time still owed to visits referred earlier; they keep their place
    in the queue, so referring one household at a time gets no more teams than a batch.
    """
    import simpy  # here: SimPy finds its version with importlib.metadata (~10 ms), which a start needs not

    env = simpy.Environment()
    teams = simpy.Resource(env, capacity=scenario.review.home_visit_capacity_per_day)
    returns: dict[str, float] = {}

    def earlier(hours: float):
        with teams.request() as request:
            yield request
            yield env.timeout(hours)

    for hours in booked_hours:
        env.process(earlier(hours))

    def visit(entry_id: str):
        with teams.request() as request:
            yield request
            yield env.timeout(HOURS_PER_DAY)  # one team spends a day on a household
        yield env.timeout(scenario.review.home_visit_days * HOURS_PER_DAY)  # the written report
        returns[entry_id] = env.now

    for entry_id in entry_ids:
        env.process(visit(entry_id))
    env.run()
    return {entry_id: clock.at_hours(hours) for entry_id, hours in returns.items()}


def draw_objections(posted: pd.DataFrame, key: pd.DataFrame, clock: SimClock, scenario: Scenario,
                    notice: int = 1, first_number: int = 1) -> list[Objection]:
    """The posting days of one 公示 (SimPy): villagers object, blatant cases more often; the
    wording is drawn apart from the truth (sandbox/platform/objections.py). `posted`: the
    entries on this notice (entry_id, name, program); `notice`: the 公示's number (a later one
    posts what the earlier ones did not show); objection ids go on from `first_number`."""
    # The first notice keeps its old purpose, so the same list draws the same objections.
    rng = rng_for(scenario.seed, "review", "objections", *(() if notice == 1 else (notice,)))
    days = scenario.review.posting_days
    key = key.set_index("entry_id")
    claims = claim_weights(posted, key, scenario)
    import simpy

    env = simpy.Environment()
    objections: list[Objection] = []

    def villager(entry: dict, fault: str, delay: float):
        yield env.timeout(delay)
        words = word_objection(entry["name"], fault, claims[str(entry["program"])], scenario, notice,
                               entry["entry_id"])
        objections.append(Objection(
            objection_id=f"O{first_number + len(objections):03d}", entry_id=entry["entry_id"],
            arrived_at=clock.at_hours(env.now), text_zh=words.zh, text_en=words.en, notice=notice))

    draws = rng.random(len(posted))
    delays = rng.uniform(0, days * HOURS_PER_DAY, len(posted))
    for i, entry in enumerate(posted.to_dict("records")):
        known = entry["entry_id"] in key.index
        fault = str(key.at[entry["entry_id"], "fault"]) if known else ""
        blatant = bool(key.at[entry["entry_id"], "blatant"]) if known else False
        if draws[i] < objection_chance(fault, blatant, scenario):
            env.process(villager(entry, fault, float(delays[i])))
    env.run(until=days * HOURS_PER_DAY)
    return sorted(objections, key=lambda o: (o.arrived_at, o.objection_id))


class ReviewState:
    """Decisions, visits and objections of one attempt; each action is all-or-nothing."""

    def __init__(self) -> None:
        self.decisions: dict[str, Decision] = {}
        self.visits: dict[str, Visit] = {}       # the latest visit of each entry
        self.visit_count = 0                     # every visit made, repeats included
        self.visit_days_waited = 0.0             # simulated days the clock moved waiting for reports
        self.additions: dict[str, str] = {}      # 补录: added entry_id -> program
        self.objections: list[Objection] = []
        self.objection_responses: dict[str, str] = {}
        self.notices: list[Notice] = []          # every 公示 run, in order
        self.final = False
        self.closed_at: dt.datetime | None = None  # simulated time review closed
        self.version = 0                         # bumped by every change of the decisions

    @property
    def posted(self) -> bool:
        """Whether any 公示 has run (which entries it covered: sandbox/platform/posting.py)."""
        return bool(self.notices)

    def record(self, decisions: list[Decision]) -> None:
        if self.final:
            raise SandboxError("审核已经结束，通过的名单已送去发放，不能再改", "review is closed: the approved list has gone to payout")
        for decision in decisions:
            self.decisions[decision.entry_id] = decision
        self.version += 1

    def decisions_frame(self) -> pd.DataFrame:
        columns = ["entry_id", "decision", "reason", "field", "value", "note", "at"]
        rows = [(d.entry_id, d.decision, d.reason, d.field, d.value, d.note, d.at) for d in self.decisions.values()]
        return pd.DataFrame(rows, columns=columns)

    def visits_frame(self, now: dt.datetime) -> pd.DataFrame:
        rows = []
        for visit in self.visits.values():
            done = visit.returns_at <= now
            rows.append({
                "entry_id": visit.entry_id, "requested_at": visit.requested_at,
                "returns_at": visit.returns_at, "status": "done" if done else "pending",
                "finding_zh": visit.finding_zh if done else "", "finding_en": visit.finding_en if done else "",
                "visit_no": visit.number, "inconclusive": bool(done and visit.inconclusive),
            })
        return pd.DataFrame(rows, columns=["entry_id", "requested_at", "returns_at", "status",
                                           "finding_zh", "finding_en", "visit_no", "inconclusive"])

    def may_visit(self, entry_id: str, now: dt.datetime) -> bool:
        """A first referral, or another after an inconclusive visit that has reported back."""
        visit = self.visits.get(entry_id)
        return visit is None or (visit.inconclusive and visit.returns_at <= now)

    def objections_frame(self) -> pd.DataFrame:
        rows = [{**asdict(o), "response": self.objection_responses.get(o.objection_id, "")}
                for o in self.objections]
        return pd.DataFrame(rows, columns=["objection_id", "entry_id", "notice", "arrived_at", "text_zh",
                                           "text_en", "response"])
