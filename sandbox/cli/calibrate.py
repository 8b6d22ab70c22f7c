"""`sandbox calibrate`: simulated KPIs beside the seed article's figures.

With `--scale city` the whole city runs at its census size, five monthly batches, and the
article's five figures are compared (sandbox/city/figures.py); otherwise, as below.

A careful operator's payment request (every entitled person, right data) goes to the
banks; what comes back depends only on the world (card states, deaths the bank knows of)
and the bank model, so the first-pass success rate measures the scenario itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass

import pandas as pd

import sandbox.programs as programs
from sandbox.bank import AccountBook, draw_bank_knows_death, simulate_payout
from sandbox.cli.scenarios import scenario_argument
from sandbox.platform.rosters import build_collection
from sandbox.scenario import Scenario, load_scenario
from sandbox.world import generate_world

# Zhoukou, first five months of 2022 (the seed article).
SEED_FIGURES = {"first_pass_success_rate": 0.9738, "social_security_card_share": 0.985}
TOLERANCE = {"first_pass_success_rate": 0.005, "social_security_card_share": 0.003}
LABELS = {"first_pass_success_rate": "补贴发放成功率 first-pass success",
          "social_security_card_share": "社保卡占比 social security card share"}


@dataclass(frozen=True)
class SeedKpis:
    seed: int
    lines: int
    first_pass_success_rate: float
    social_security_card_share: float


def careful_request(world, scenario: Scenario) -> pd.DataFrame:
    """Every entitled line with the right name, ID and account: what a careful operator sends."""
    data = build_collection(world, scenario, programs.entitlements(world, scenario))
    legit = data.truth[(data.key["fault"] == "").to_numpy()]
    return pd.DataFrame({
        "line_id": legit["entry_id"].to_numpy(), "program": legit["program"].to_numpy(),
        "payee_id_number": legit["id_number"].to_numpy(), "payee_name": legit["name"].to_numpy(),
        "account_number": legit["account_number"].to_numpy(), "bank": legit["bank"].to_numpy(),
        "amount": legit["amount"].to_numpy(), "source_line_id": "",
    })


def kpis_for_seed(scenario: Scenario) -> SeedKpis:
    world = generate_world(scenario)
    request = careful_request(world, scenario)
    book = AccountBook.from_world(world.accounts, world.persons, draw_bank_knows_death(world.persons, scenario))
    submitted = dt.datetime.combine(scenario.calendar.as_of, dt.time(10))
    run = simulate_payout(request, book, scenario, submitted)
    kinds = world.accounts.set_index("account_number")["kind"]
    settled = run.outcomes[run.outcomes["status"] != "pending"]
    return SeedKpis(
        seed=scenario.seed, lines=len(request),
        first_pass_success_rate=float((settled["status"] == "credited").mean()),
        social_security_card_share=float((request["account_number"].map(kinds) == "social_security_card").mean()),
    )


def calibrate(scenario: Scenario, seeds: int) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    rows = [kpis_for_seed(scenario.with_seed(scenario.seed + i)).__dict__ for i in range(seeds)]
    table = pd.DataFrame(rows)
    targets = {**SEED_FIGURES, **{k: v for k, v in scenario.calibration.items() if k in SEED_FIGURES}}
    verdict = {}
    for kpi, target in targets.items():
        mean = float(table[kpi].mean())
        verdict[kpi] = {"simulated": mean, "target": target, "tolerance": TOLERANCE[kpi],
                        "spread": float(table[kpi].std(ddof=0)), "ok": bool(abs(mean - target) <= TOLERANCE[kpi])}
    return table, verdict


def cmd_calibrate_city(scenario: Scenario, fraction: float) -> int:
    """Five monthly batches of the census city, county by county, beside the article."""
    import time

    from sandbox.city.figures import city_figures, tolerance_text
    from sandbox.city.run import run_city

    start = time.perf_counter()
    run = run_city(scenario, fraction, progress=lambda line: print(f"  {line}", flush=True))
    seconds = time.perf_counter() - start
    print(f"{scenario.name}: 周口市 {run.people:,} 人（普查规模 × {fraction:g}），2022年1—5月 5 个月批次，"
          f"用时 {seconds:.1f} 秒 / {run.people:,} people (census size × {fraction:g}), five monthly batches")
    print(f"{'figure':<44}{'simulated':>22}{'seed article':>22}{'tolerance':>11}  ok")
    figures = city_figures(run)
    for fig in figures:
        label = f"{fig.zh} {fig.en}"
        print(f"{label:<44}{fig.text_simulated:>22}{fig.text_target:>22}{tolerance_text(fig):>11}  "
              f"{'✓' if fig.ok else '✗ out of tolerance'}")
    if not all(fig.ok for fig in figures):
        print("calibration out of tolerance: adjust the scenario's city section or the programs list "
              "(sandbox/programs/data/henan-2022.yaml)", file=sys.stderr)
        return 1
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    if args.scale == "city" or scenario.region.scale == "city":
        return cmd_calibrate_city(scenario, args.fraction)
    table, verdict = calibrate(scenario, args.seeds)
    print(f"{scenario.name}: {args.seeds} seeds from {scenario.seed}, {int(table['lines'].mean())} lines each")
    print(f"{'KPI':<44}{'simulated':>10}{'± spread':>10}{'seed article':>14}{'tolerance':>11}  ok")
    for kpi, v in verdict.items():
        print(f"{LABELS[kpi]:<44}{v['simulated']:>10.2%}{v['spread']:>10.2%}{v['target']:>14.2%}"
              f"{v['tolerance'] * 100:>10.1f}pt  {'✓' if v['ok'] else '✗ out of tolerance'}")
    ok = all(v["ok"] for v in verdict.values())
    if not ok:
        print("calibration out of tolerance: adjust cards.status_rates or cards.social_security_card_share",
              file=sys.stderr)
    return 0 if ok else 1


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a number above 0 and at most 1, e.g. 0.02")
    return value


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calibrate", help="simulated KPIs beside the seed article's figures")
    scenario_argument(p)
    p.add_argument("--seeds", type=int, default=5, choices=range(1, 101), metavar="N")
    p.add_argument("--scale", choices=("scenario", "city"), default="scenario",
                   help="city: the whole city at its 2020 census size, five monthly batches (January–May 2022), "
                        "beside the seed article's five figures")
    p.add_argument("--fraction", type=_fraction, default=1.0, metavar="F",
                   help="with --scale city: run every county at this share of its census size (default 1)")
    p.set_defaults(func=cmd_calibrate)



