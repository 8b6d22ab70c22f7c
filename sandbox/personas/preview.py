"""`sandbox preview SCENARIO`: what a class will face, before the class faces it.

Counts, programmes, the planted irregularities (read from the answer key: a trainer-side
tool), and how the scripted trainees score over a few seeds — so a trainer sees whether a
careful trainee can do well and a careless one cannot, before handing the scenario out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import sandbox.programs as program_catalogue
from sandbox.errors import SandboxError
from sandbox.irregularities import FAULTS
from sandbox.irregularities.planting import PlantingCount
from sandbox.personas import PERSONAS
from sandbox.platform.attempt import Attempt, open_attempt
from sandbox.platform.report import build_report
from sandbox.platform.rosters import build_collection
from sandbox.rng import derive_seed
from sandbox.scenario import MAX_SEED, Scenario, load_scenario
from sandbox.session.session import LocalBackend, Session
from sandbox.world import generate_world


@dataclass
class Preview:
    scenario: str
    seeds: list[int]
    counts: dict[str, int]              # people, households, entries (of the first seed)
    programs: pd.DataFrame              # program, name, entries, amount
    irregularities: pd.DataFrame        # fault, zh, en, mean per seed, min, max
    difficulty: pd.DataFrame            # persona, mean, std, min, max (total score, 0–100)
    failures: list[str]                 # personas that stopped with an error (a scenario bug)
    shortfalls: list[dict[str, Any]]    # rates the world could not meet: seed, code, asked, planted

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "seeds": self.seeds, "counts": self.counts,
                "programs": self.programs.to_dict("records"),
                "irregularities": self.irregularities.to_dict("records"),
                "difficulty": self.difficulty.to_dict("records"), "failures": self.failures,
                "shortfalls": self.shortfalls}

    def text(self) -> str:
        counts = ", ".join(f"{k} {v:,}" for k, v in self.counts.items())
        seeds = ", ".join(map(str, self.seeds))
        return "\n".join([
            f"{self.scenario} — seeds {seeds}", counts, "",
            "programs (first seed):", _indent(self.programs.to_string(index=False)), "",
            "planted irregularities per seed:", _indent(self.irregularities.to_string(index=False)), "",
            "difficulty — total score by persona over the seeds (0–100):",
            _indent(self.difficulty.to_string(index=False)),
            *(["", "personas that stopped with an error:"] + [f"  {f}" for f in self.failures]
              if self.failures else []),
            *(["", shortfall_heading()] + [f"  {s['message_zh']}（种子 seed {s['seed']}）\n    {s['message_en']}"
                                            for s in self.shortfalls] if self.shortfalls else []),
        ])


def shortfall_heading(seed: int | None = None) -> str:
    """The warning above the rates a world cannot meet (zh, then en)."""
    at_zh, at_en = ("", "") if seed is None else (f"（种子 {seed}）", f" (seed {seed})")
    return (f"警告：以下比例超出这个世界能生成的数量，名册里的条数少于要求{at_zh} / "
            f"warning: the world cannot supply what these rates ask for{at_en}")


def planting_report(scenario: Scenario) -> tuple[PlantingCount, ...]:
    """Per irregularity type, how many entries its rate asks for and how many the world of
    this scenario (its own seed) lets it plant: the world and roster, without a session."""
    world = generate_world(scenario)
    return build_collection(world, scenario, program_catalogue.entitlements(world, scenario)).planting


def shortfalls(report: tuple[PlantingCount, ...], seed: int) -> list[dict[str, Any]]:
    """The report's lines where fewer were planted than asked, as plain records."""
    return [{"seed": seed, "code": c.code, "asked": c.asked, "planted": c.planted,
             "message_zh": c.message("zh"), "message_en": c.message("en")} for c in report if c.short]


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def preview_seeds(scenario_seed: int, count: int) -> list[int]:
    """The scenario's own seed first (what a local trainee gets), then stable derived ones."""
    if count < 1:
        raise SandboxError(f"--seeds: found {count}; expected 1 or more")
    extra = [derive_seed(scenario_seed, "preview", i) % (MAX_SEED + 1) for i in range(1, count)]
    return [scenario_seed, *extra]


def preview(scenario: str | Path, seeds: int = 3, personas: list[str] | None = None) -> Preview:
    loaded = load_scenario(scenario)
    # every persona once: an old name of the same play (perfect = careful) is not played twice
    seen: set[int] = set()
    chosen = personas or [n for n, play in PERSONAS.items() if not (id(play) in seen or seen.add(id(play)))]
    unknown = [p for p in chosen if p not in PERSONAS]
    if unknown:
        raise SandboxError(f"unknown persona(s) {', '.join(unknown)}; personas: {', '.join(PERSONAS)}")
    seed_list = preview_seeds(loaded.seed, seeds)
    fault_counts, scores, failures, short = [], [], [], []
    first: Attempt | None = None
    for seed in seed_list:
        base = open_attempt(loaded, trainee="preview", seed=seed)
        first = first or base
        fault_counts.append(base.data.key["fault"].replace("", pd.NA).dropna().value_counts())
        short += shortfalls(base.data.planting, seed)
        for persona in chosen:
            try:
                score = _play(base, persona)
            except SandboxError as exc:  # say which persona and seed, keep previewing
                failures.append(f"{persona} (seed {seed}): {exc}")
                score = float("nan")
            scores.append({"persona": persona, "seed": seed, "score": score})
    assert first is not None
    return Preview(
        scenario=loaded.name, seeds=seed_list,
        counts={"people": len(first.world.persons), "households": len(first.world.households),
                "entries": len(first.data.typed)},
        programs=_programs(first), irregularities=_irregularities(fault_counts),
        difficulty=_difficulty(pd.DataFrame(scores), chosen), failures=failures, shortfalls=short,
    )


def _play(base: Attempt, persona: str) -> float:
    """One persona on a private copy of the seed's attempt (generation is done once)."""
    attempt = copy.deepcopy(base)
    attempt.trainee = f"persona:{persona}"
    session = Session(LocalBackend(attempt), lang=attempt.lang)
    PERSONAS[persona](session)
    return float(build_report(attempt, trainer=True)["score"])  # a scenario in exam mode too


def _programs(attempt: Attempt) -> pd.DataFrame:
    names = attempt.programs().set_index("program")["name"]
    typed = attempt.data.truth.groupby("program").agg(entries=("entry_id", "size"), amount=("amount", "sum"))
    typed["name"] = [names.get(code, code) for code in typed.index]
    typed["amount"] = typed["amount"].astype(float).round(2)
    return typed.reset_index()[["program", "name", "entries", "amount"]]


def _irregularities(per_seed: list[pd.Series]) -> pd.DataFrame:
    table = pd.concat(per_seed, axis=1).fillna(0).astype(int)
    rows = [{"fault": code, "zh": FAULTS[code].zh if code in FAULTS else code,
             "en": FAULTS[code].en if code in FAULTS else code,
             "mean": round(float(counts.mean()), 1), "min": int(counts.min()), "max": int(counts.max())}
            for code, counts in table.iterrows()]
    columns = ["fault", "zh", "en", "mean", "min", "max"]
    return pd.DataFrame(rows, columns=columns).sort_values(["mean", "fault"], ascending=[False, True],
                                                           ignore_index=True)


def _difficulty(scores: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    stats = scores.groupby("persona")["score"].agg(["mean", "std", "min", "max"]).reindex(order)
    stats["std"] = stats["std"].fillna(0.0)
    return stats.round(1).reset_index()
