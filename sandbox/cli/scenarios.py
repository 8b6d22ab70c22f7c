"""`sandbox scenarios [list|copy NAME DEST]`: the scenarios shipped with the sandbox.

Every command that takes a scenario takes a shipped name or a path; `scenario_argument`
gives them one wording, so `sandbox play --help` and `sandbox world --help` agree.
"""

from __future__ import annotations

import argparse

SCENARIO_HELP = "a shipped scenario's name (see `sandbox scenarios`) or the path of a YAML file"


def scenario_argument(parser: argparse.ArgumentParser, *, optional: bool = False,
                      extra: str = "") -> None:
    """The positional SCENARIO argument, worded the same in every command."""
    parser.add_argument("scenario", metavar="SCENARIO", nargs="?" if optional else None,
                        help=SCENARIO_HELP + extra)


def cmd_list(args: argparse.Namespace) -> int:
    from sandbox.scenario.library import GROUPS, shipped_scenarios

    shipped = shipped_scenarios()
    width = max(len(name) for name in shipped)
    for group, meaning in GROUPS.items():
        print(f"{meaning}:")
        for entry in (s for s in shipped.values() if s.group == group):
            print(f"  {entry.name:<{width}}  {entry.title(args.lang)}")
    print("\nuse a name wherever a scenario is asked for (sandbox play tutorial --persona perfect);\n"
          "start your own from one: sandbox scenarios copy zhoukou-2022 my-scenario.yaml")
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    from sandbox.scenario.library import copy_scenario

    target = copy_scenario(args.name, args.destination)
    print(f"copied {args.name} to {target}; change it, then check it: sandbox validate {target}")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scenarios", help="list the shipped scenarios, or copy one to change it")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the titles")
    p.set_defaults(func=cmd_list)
    actions = p.add_subparsers(dest="scenarios_command")
    q = actions.add_parser("list", help="the shipped scenarios and their titles (the default)")
    # SUPPRESS: `sandbox scenarios --lang en list` keeps the language given before `list`
    q.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help="language of the titles")
    q.set_defaults(func=cmd_list)
    q = actions.add_parser("copy", help="copy a shipped scenario to a file you can change")
    q.add_argument("name", metavar="NAME", help="a shipped scenario's name, e.g. zhoukou-2022")
    q.add_argument("destination", metavar="DEST", help="a new file, or a folder to copy into")
    q.set_defaults(func=cmd_copy)
