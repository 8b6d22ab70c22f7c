"""How long does the census city take, and how much memory? The five monthly batches of
Zhoukou at its 2020 census size (9,026,015 people, county by county), as
`sandbox calibrate zhoukou-2022 --scale city` runs them, with its wall time, CPU time and the
process's peak resident set size. Goal on the project's 2-core machine: under 2 minutes and
8 GB. The CPU time says how much of the wall time was this run's own work on a shared machine.

    .venv/bin/python benchmarks/bench_city.py                 # the whole city
    .venv/bin/python benchmarks/bench_city.py --fraction 0.1  # a tenth of every county
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox.city.figures import city_figures  # noqa: E402
from sandbox.city.run import run_city  # noqa: E402
from sandbox.scenario import load_scenario  # noqa: E402

GOAL_SECONDS = 120
GOAL_MB = 8 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="share of every county's census size")
    args = parser.parse_args()
    scenario = load_scenario("zhoukou-2022")
    wall, cpu = time.perf_counter(), time.process_time()
    run = run_city(scenario, args.fraction)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = sum(f.ok for f in city_figures(run))
    within = "within" if wall < GOAL_SECONDS and peak_mb < GOAL_MB else "OUTSIDE"
    print(f"city run: {run.people:>9,} people, 5 months, {run.totals.credited:,} payments in {wall:6.1f} s "
          f"(CPU {cpu:.1f} s), peak RSS {peak_mb:,.0f} MB — {within} the goal of {GOAL_SECONDS} s and "
          f"{GOAL_MB // 1024} GB; {ok}/5 figures within tolerance")


if __name__ == "__main__":
    main()
