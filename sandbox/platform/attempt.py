"""The simulated 一卡通 platform: the only holder of the truth (world, answer key, banks).

An `Attempt` is one trainee's run through the stages. Sessions reach it only through
`Attempt.handle(action, payload)` with plain data, in local and class mode alike.
"""

from __future__ import annotations

import datetime as dt
import inspect
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.common.calendar import BusinessCalendar
from sandbox.common.wire import encode
from sandbox.errors import SandboxError
from sandbox.platform import lookup
from sandbox.platform.clock import SimClock
from sandbox.platform.county_cache import county
from sandbox.platform.lookup import RegistryIndex
from sandbox.platform.procedure import deadline_brief
from sandbox.platform.repeats import FinalSteps
from sandbox.platform.sealing import seal_feedback, seal_scores
from sandbox.platform.stages.base import Action, action, declared_actions
from sandbox.platform.stages.lazy import LazyStages
from sandbox.platform.stages.sequence import SCORED, STAGES, stage_title
from sandbox.platform.study import StudyActions
from sandbox.platform.tries import StageTries
from sandbox.scenario.cached import load_for_start
from sandbox.scenario.frozen import is_scenario

if TYPE_CHECKING:
    from sandbox.platform.rosters import CollectionData
    from sandbox.platform.scoring import StageScore
    from sandbox.scenario import Scenario
    from sandbox.world import World


class Attempt:
    """One trainee's attempt at a scenario: state, log and scores."""

    def __init__(self, scenario: Scenario, trainee: str = "trainee", lang: str = "zh",
                 mode: str | None = None, attempt_id: str | None = None,
                 on_action: Callable[[dict], None] | None = None, worlds: Path | None = None) -> None:
        if lang not in {"zh", "en"}:
            raise SandboxError(f"没有“{lang}”这种语言，可用 'zh'（中文）或 'en'（英文）",
                               f"unknown language {lang!r}; expected 'zh' or 'en'")
        self.scenario = scenario
        self.trainee = trainee
        self.lang = lang
        self.mode = mode or scenario.mode
        self.attempt_id = attempt_id or uuid.uuid4().hex[:12]
        self.feedback_released = self.mode == "practice"
        self.on_action = on_action
        self.resumed_actions = 0  # actions replayed from a gradebook when the attempt was resumed
        # Built once per scenario and code, then read back from disk (platform/county_cache.py);
        # `worlds`: a class's own folder of its trainees' counties (county_cache.class_worlds).
        self.world: World
        self.data: CollectionData
        # Until collection hands in a roster, the platform holds the villages' forms as imported.
        self.world, self.entitlements, self.data, self.working = county(scenario, worlds)
        self.registry_index = RegistryIndex(self.world.registries)
        self.calendar = BusinessCalendar.of(scenario.calendar)  # the attempt's one calendar …
        self.clock = SimClock.starting(scenario.calendar.as_of, self.calendar)  # … and one clock
        self.scores: dict[str, StageScore] = {}
        self.tries = StageTries()  # each stage's first try beside its best (platform/tries.py)
        self.log: list[dict] = []
        self.final_steps = FinalSteps()  # final steps are safe to re-run (platform/repeats.py)
        # Built when first used (stages/lazy.py): a start loads no stage's code it does not need.
        self.stages = LazyStages(self, [name for name, info in STAGES.items() if info.applies_to(scenario)])
        # The registries the trainee sees: the exercise date's, or a later month's (stages/monthly.py).
        self.registry_view: dict[str, pd.DataFrame] | None = None
        self._actions: dict[str, Action] = declared_actions(self)  # brief, programs, registries…
        self._actions.update(declared_actions(StudyActions(self)))  # self_test.end, practice.retry

    # --- dispatch ---------------------------------------------------------------------------
    @property
    def actions(self) -> dict[str, Action]:
        """Every action a session may call, by name, with whether it only reads (every stage built)."""
        for stage in self.stages.values():
            self._actions.update(stage.actions())
        return dict(self._actions)

    def changes_state(self, name: str) -> bool:
        """Whether an action changes the attempt (and so is logged and replayed on resume)."""
        return not self._declared(name).read_only

    def handle(self, name: str, payload: dict | None = None) -> Any:
        declared = self._declared(name)
        payload = payload or {}
        try:
            inspect.signature(declared.handler).bind(**payload)
        except TypeError as exc:  # a malformed call from a client: say so, do not crash
            raise SandboxError(f"{name} 的参数不对：{exc}", f"{name}: {exc}") from None
        sim_before = self.clock.now
        # A final step run again with the same data answers as it did, and is not logged twice.
        result, repeated = self.final_steps.run(name, payload, lambda: declared.handler(**payload))
        if repeated and _sealed_then(result) and self.feedback_released and result["stage"] in self.scores:
            # a self-test ended since: the stage's feedback shows now
            result = {**self.feedback_for(result["stage"]), "again": True}
        if name == "practice.retry":
            self.final_steps.reopen(payload.get("stage", ""))
        if not declared.read_only and not repeated:
            self._log(name, payload, sim_before)
        return result

    def _declared(self, name: str) -> Action:
        declared = self._actions.get(name)
        stage = name.partition(".")[0]
        if declared is None and stage in self.stages:  # a stage's first call builds it
            self._actions.update(self.stages[stage].actions())
            declared = self._actions.get(name)
        if declared is None:
            raise SandboxError(f"没有“{name}”这个操作，请检查拼写或更新沙盘", f"unknown action {name!r}")
        return declared

    def _log(self, name: str, payload: dict, sim_time: dt.datetime) -> None:
        entry = {"attempt_id": self.attempt_id, "seq": len(self.log) + 1, "action": name,
                 "stage": name.split(".")[0], "payload": _summarise(payload), "call": encode(payload),
                 "sim_time": sim_time.isoformat(sep=" "), "wall_time": time.time()}
        self.log.append(entry)
        if self.on_action:
            self.on_action(entry)

    # --- shared views -----------------------------------------------------------------------
    @action("brief", read_only=True)
    def brief(self) -> dict:
        cal = self.scenario.calendar
        done = [s for s in SCORED if s in self.scores]
        upcoming = [s for s in SCORED if s not in self.scores and s in self.stages]
        return {
            "scenario": self.scenario.name,
            "title": getattr(self.scenario.title, self.lang),
            "trainee": self.trainee, "mode": self.mode, "lang": self.lang,
            "attempt_id": self.attempt_id, "resumed_actions": self.resumed_actions,
            "today": self.clock.now.isoformat(sep=" "),
            "period": f"{cal.period_start} – {cal.period_end}",
            "periods": self.scenario.periods,
            "villages": sorted(self.data.typed["village"].unique().tolist()),
            "entries": len(self.data.typed),
            "stages_done": done,
            "next_stage": upcoming[0] if upcoming else None,
            "next_step": self._next_step(upcoming[0]) if upcoming else None,
            "stage_titles": {s: stage_title(s, self.lang) for s in SCORED if s in self.stages},
            # 发放时限, the days left to it, and the steps that cannot be undone (Chinese first)
            **deadline_brief(cal, self.calendar, self.clock.now),
        }

    def _next_step(self, stage: str) -> str:
        """What to do next within the next stage: payout is scored only with the statement, so
        once the payment request is sent the step left is reconciliation (fix, re-issue, file)."""
        if stage == "payout" and self.stages.built("payout") is not None and self.stages["payout"].runs:
            return "reconciliation"
        return stage

    @action("programs", read_only=True)
    def programs(self) -> pd.DataFrame:
        import sandbox.programs as program_catalogue  # here: the catalogue's rules, when asked

        rows = []
        for p in program_catalogue.catalogue(self.scenario):
            formula = p.formula
            rows.append({"program": p.code, "name": p.zh if self.lang == "zh" else p.en,
                         "department": p.department, "unit": p.unit, "formula": formula.kind,
                         "amount": getattr(formula, "amount", None) if formula.kind == "fixed"
                         else (formula.multiple * formula.standard if formula.kind == "multiple_of_standard" else None),
                         "rate_per_mu": getattr(formula, "rate", None),
                         "tiers": ";".join(f"{a}:{v:g}" for a, v in getattr(formula, "tiers", ())) or None,
                         "standard": getattr(formula, "standard", None),
                         "rule": program_catalogue.explain(p, self.lang)})
        return pd.DataFrame(rows)

    def program_rule(self, code: str) -> str:
        import sandbox.programs as program_catalogue

        try:
            return program_catalogue.explain(program_catalogue.program(code, self.scenario), self.lang)
        except SandboxError:
            return ""

    @action("registries.list", read_only=True)
    def registry_list(self) -> pd.DataFrame:
        titles = lookup.REGISTRY_TITLES
        rows = [{"registry": key, "zh": titles.get(key, (key, key))[0],
                 "en": titles.get(key, (key, key))[1], "rows": len(frame)}
                for key, frame in self.current_registries().items()]
        return pd.DataFrame(rows)

    def current_registries(self) -> dict[str, pd.DataFrame]:
        return self.registry_view if self.registry_view is not None else self.world.registries

    @action("registries.get", read_only=True)
    def registry(self, name: str) -> pd.DataFrame:
        registries = self.current_registries()
        if name not in registries:
            known = ", ".join(registries)
            raise SandboxError(f"没有“{name}”这个登记库；可查的库：{known}", f"unknown registry {name!r}; registries: {known}")
        return registries[name].copy()

    # --- scores and feedback -----------------------------------------------------------------
    def finish_stage(self, score: StageScore) -> dict:
        from sandbox.platform.harm_ledger import rescore  # here: the ledger reads every stage

        self.scores[score.stage] = score
        rescore(self)  # every closed stage's score from the harm ledger as it stands now
        self.tries.record(self.scores[score.stage])
        if self.on_action:
            self.on_action({"attempt_id": self.attempt_id, "stage_score": score.to_dict()})
        return self.feedback_for(score.stage)

    def feedback_for(self, stage: str) -> dict:
        score = self.scores.get(stage)
        if score is None:
            raise SandboxError(f"“{stage_title(stage, 'zh')}”环节还没有提交，还没有得分",
                               f"stage {stage!r} has not been scored yet")
        return seal_feedback(self, score.to_dict())  # exam, self-test: nothing from the key yet

    def progress_feedback(self, stage: str, counts: dict, interim: StageScore | None,
                          entry_ids: set[str] | None = None) -> dict:
        """Feedback on one batch: the score so far and the misses among the entries just decided
        (the undecided rest would only drown them)."""
        data: dict[str, Any] = {"stage": stage, "recorded": counts}
        if interim is not None and self.feedback_released:
            misses = [m for m in interim.misses if entry_ids is None or m.entry_id in entry_ids]
            data.update(score=round(interim.score, 2), metrics=interim.metrics,
                        misses=[m.__dict__ for m in misses])
        return seal_feedback(self, data)

    @action("scores", read_only=True)
    def score_table(self) -> pd.DataFrame:
        table = pd.DataFrame([{"stage": s, "score": round(v.score, 2)} for s, v in self.scores.items()])
        return seal_scores(self, table)  # exam, self-test: which stages are done, not their scores

    @action("report", read_only=True)
    def report(self) -> dict:
        from sandbox.platform.report import build_report  # here: not needed to start

        return build_report(self)


def _sealed_then(result: Any) -> bool:
    """A recorded answer given while feedback was sealed (its stage's feedback may show now)."""
    return isinstance(result, dict) and bool(result.get("withheld")) and isinstance(result.get("stage"), str)


def _summarise(payload: dict) -> dict:
    """What goes in the action log: small values as they are, tables by size."""
    out = {}
    for key, value in payload.items():
        if isinstance(value, pd.DataFrame):
            out[key] = {"rows": len(value), "columns": list(map(str, value.columns))}
        elif isinstance(value, str | int | float | bool) or value is None:
            out[key] = value
        else:
            out[key] = str(value)[:200]
    return out


def open_attempt(scenario: str | Path | Scenario, trainee: str = "trainee", lang: str = "zh",
                 seed: int | None = None, mode: str | None = None, **kwargs: Any) -> Attempt:
    loaded = scenario.with_seed(seed) if is_scenario(scenario) else load_for_start(scenario, seed)
    return Attempt(loaded, trainee=trainee, lang=lang, mode=mode, **kwargs)
