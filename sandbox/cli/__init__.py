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
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sandbox", description="一卡通 operator training sandbox"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check scenario files")
    p.add_argument("files", nargs="+", metavar="SCENARIO",
                   help="scenario YAML files (or shipped names, e.g. tutorial)")
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
