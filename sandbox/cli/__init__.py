"""The `sandbox` command. Each sub-command is one small function; user errors print
a clear message and exit 2, never a traceback."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from sandbox.errors import SandboxError

Command = Callable[[argparse.Namespace], int]


def cmd_validate(args: argparse.Namespace) -> int:
    """Print `FILE: ok` or each problem (file:line: field: found; expected); exit 2 if any."""
    from sandbox.errors import ScenarioError
    from sandbox.scenario import load_scenario

    status = 0
    for path in args.files:
        try:
            load_scenario(path)
        except ScenarioError as exc:
            status = 2
            count = len(exc.problems)
            print(f"{path}: {count} problem{'s' if count != 1 else ''}")
            for problem in exc.problems:
                print(f"  {problem}")
        except SandboxError as exc:
            status = 2
            print(f"{path}: {exc}")
        else:
            print(f"{path}: ok")
            if not args.quick:
                _warn_unmet_rates(load_scenario(path))
    return status


def _warn_unmet_rates(scenario) -> None:
    """Build the scenario's world and roster; name each rate it cannot meet (asked, possible).
    A warning, not an error: the file is valid, but the trainer should know."""
    from sandbox.personas.preview import planting_report, shortfall_heading, shortfalls

    found = shortfalls(planting_report(scenario), scenario.seed)
    if found:
        print(f"  {shortfall_heading(scenario.seed)}")
        for item in found:
            print(f"  {item['message_zh']}\n    {item['message_en']}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sandbox", description="一卡通 operator training sandbox"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check scenario files")
    p.add_argument("files", nargs="+", metavar="SCENARIO",
                   help="scenario YAML files (or shipped names, e.g. tutorial)")
    p.add_argument("--quick", action="store_true",
                   help="check the file only; skip building the world to see whether its rates can be met")
    p.set_defaults(func=cmd_validate)

    # Sub-commands of other modules register themselves here (one line each).
    from sandbox.cli import commands as cli_commands

    cli_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SandboxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
