"""`sandbox world SCENARIO --out DIR [--seed N]`: generate the county and write it as CSV."""

from __future__ import annotations

import argparse

from sandbox.cli.scenarios import scenario_argument
from sandbox.errors import SandboxError


def cmd_world(args: argparse.Namespace) -> int:
    from sandbox.scenario import load_scenario
    from sandbox.world import generate_world
    from sandbox.world.export import format_summary, summarize, write_world

    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise SandboxError(f"--seed {args.seed}: expected a whole number from 0 to 2**63 - 1")
    scenario = load_scenario(args.scenario, seed=args.seed)
    world = generate_world(scenario)
    paths = write_world(world, args.out)
    print(format_summary(summarize(world)))
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("world", help="generate the synthetic county (ground truth) as CSV files")
    scenario_argument(p)
    p.add_argument("--out", required=True, help="output directory (created if missing)")
    p.add_argument("--seed", type=int, default=None, help="override the scenario's seed")
    p.set_defaults(func=cmd_world)
