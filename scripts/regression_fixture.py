"""Capture or check the behaviour fixture: every persona's report and the world export,
for the shipped scenarios and seeds 1-5.

    python scripts/regression_fixture.py capture   # write tests/fixtures/regression.json
    python scripts/regression_fixture.py check     # compare the whole grid (a few minutes)

A refactor must leave this fixture byte-identical; a change of behaviour regenerates it
in the same commit, and the diff of the fixture shows what changed.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "regression.json"
SCENARIOS = ("tutorial", "zhoukou-2022")  # shipped scenarios, by name
SEEDS = (1, 2, 3, 4, 5)
PERSONAS = ("careful", "rules-only", "no-registry-checks", "approve-all", "reject-suspicious", "random")
# Differ from run to run by design.
VOLATILE = {"attempt_id"}


def persona_case(scenario: str, seed: int, persona: str) -> dict:
    """The report summary of one persona's attempt, without its random id."""
    from sandbox.cli.play import play

    summary = play(scenario, persona, seed).report().summary()
    return digest({key: value for key, value in summary.items() if key not in VOLATILE})


def digest(summary: dict) -> dict:
    """The scores in the open, and a hash of the whole summary (misses, timeline and all)."""
    whole = json.loads(json.dumps(summary, ensure_ascii=False, default=str))
    text = json.dumps(whole, ensure_ascii=False, sort_keys=True)
    shown = {key: whole[key] for key in ("score", "stages", "kpis") if key in whole}
    return {**shown, "summary_sha256": hashlib.sha256(text.encode()).hexdigest()}


def world_case(scenario: str, seed: int) -> dict[str, str]:
    """SHA-256 of every file `sandbox world` writes."""
    from sandbox.scenario import load_scenario
    from sandbox.world import generate_world
    from sandbox.world.export import write_world

    world = generate_world(load_scenario(scenario, seed=seed))
    with tempfile.TemporaryDirectory() as out:
        paths = write_world(world, out)
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(paths)}


def case_key(scenario: str, seed: int, persona: str | None) -> str:
    return f"{scenario}/{seed}/{persona or 'world'}"


def run_case(args: tuple[str, int, str | None]) -> tuple[str, object]:
    scenario, seed, persona = args
    value = world_case(scenario, seed) if persona is None else persona_case(scenario, seed, persona)
    # A JSON round trip so that floats and keys compare the way the file stores them.
    return case_key(*args), json.loads(json.dumps(value, ensure_ascii=False, default=str))


def all_cases(scenarios: tuple[str, ...] = SCENARIOS, seeds: tuple[int, ...] = SEEDS,
              personas: tuple[str, ...] = PERSONAS) -> list[tuple[str, int, str | None]]:
    return [(sc, seed, persona) for sc in scenarios for seed in seeds
            for persona in (None, *personas)]


def compute(cases: list[tuple[str, int, str | None]], workers: int = 2) -> dict[str, object]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(run_case, cases))


def main(argv: list[str]) -> int:
    mode = argv[1] if len(argv) > 1 else "check"
    results = compute(all_cases())
    if mode == "capture":
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                           encoding="utf-8")
        print(f"wrote {len(results)} cases to {FIXTURE}")
        return 0
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    changed = [key for key in expected if results.get(key) != expected[key]]
    for key in changed:
        print(f"changed: {key}")
    print(f"{len(expected) - len(changed)} of {len(expected)} cases unchanged")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
