"""`sandbox programs [SCENARIO]`: print the subsidy catalogue a scenario pays;
`sandbox programs --list`: the whole 补贴项目清单 paid through 一卡通 (programs/data/henan-2022.yaml)."""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from sandbox.cli.scenarios import scenario_argument
from sandbox.programs import DEPARTMENTS, FREQUENCIES, UNITS, Lang, Program, catalogue


def format_program(program: Program, langs: Iterable[Lang]) -> str:
    """One block per program: names, department, frequency and unit, rule, amount."""
    langs = list(langs)
    names = " / ".join(program.zh if lang == "zh" else program.en for lang in langs)
    lines = [f"{program.code}  {names}"]
    facts = []
    for lang in langs:
        i = 0 if lang == "zh" else 1
        dept = program.department if lang == "zh" else DEPARTMENTS[program.department]
        facts.append(f"{dept} · {FREQUENCIES[program.frequency][i]} · {UNITS[program.unit][i]}")
    lines.append("  " + " | ".join(facts))
    lines.append("  " + ("条件 rule: " if len(langs) > 1 else "")
                 + " | ".join(program.rule(lang) for lang in langs))
    lines.append("  " + ("标准 amount: " if len(langs) > 1 else "")
                 + " | ".join(program.amount_text(lang) for lang in langs))
    lines.append(f"  文号 {program.document}")
    return "\n".join(lines)


def format_listed(lang: Lang) -> str:
    """The programs list, one line each: name, department, frequency, paid in January–May 2022."""
    from sandbox.programs.listing import LIST_FREQUENCY_WORDS, listed_programs

    listed = listed_programs()
    paid = sum(p.paid_jan_may for p in listed)
    if lang == "zh":
        head = f"补贴项目清单：{len(listed)} 个项目通过“一卡通”发放，2022年1—5月已发放 {paid} 个"
    else:
        head = f"programs list: {len(listed)} programs paid through 一卡通, {paid} paid in January–May 2022"
    lines = [head, ""]
    for p in listed:
        mark = ("已发放" if p.paid_jan_may else "未发放") if lang == "zh" else ("paid" if p.paid_jan_may else "not yet")
        name = p.zh if lang == "zh" else f"{p.en} ({p.zh})"
        basis = f" · {p.legal_basis}" if p.legal_basis else ""
        frequency = LIST_FREQUENCY_WORDS[p.frequency][0 if lang == "zh" else 1]
        lines.append(f"{p.code:<26} {name} · {p.department} · {frequency} · {mark}{basis}")
    return "\n".join(lines)


def cmd_programs(args: argparse.Namespace) -> int:
    if args.list:
        print(format_listed("en" if args.lang == "en" else "zh"))
        return 0
    scenario = None
    if args.scenario:
        from sandbox.scenario import load_scenario

        scenario = load_scenario(args.scenario)
    langs: list[Lang] = ["zh", "en"] if args.lang == "both" else [args.lang]
    programs = catalogue(scenario)
    title = f"scenario {scenario.name}" if scenario else "default catalogue"
    print(f"{len(programs)} programs ({title})\n")
    print("\n\n".join(format_program(p, langs) for p in programs))
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "programs", help="list the subsidy programs (补贴项目清单) a scenario pays"
    )
    scenario_argument(p, optional=True, extra="; default: the built-in catalogue")
    p.add_argument("--lang", choices=["zh", "en", "both"], default="both")
    p.add_argument("--list", action="store_true",
                   help="the whole programs list paid through 一卡通 in Henan, 2022 (department, frequency, "
                        "paid in January–May)")
    p.set_defaults(func=cmd_programs)
