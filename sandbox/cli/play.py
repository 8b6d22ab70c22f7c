"""`sandbox play SCENARIO --persona NAME`: a scripted trainee plays every stage.

SCENARIO is a shipped name (`sandbox play tutorial --persona perfect` works from any
folder) or the path of a YAML file."""

from __future__ import annotations

import argparse
import json
import sys

from sandbox.cli.scenarios import scenario_argument
from sandbox.errors import SandboxError
from sandbox.gradebook.store import Gradebook
from sandbox.personas import PERSONAS
from sandbox.session.display import Display
from sandbox.session.session import Session


def play(scenario: str, persona: str, seed: int | None = None, lang: str = "zh",
         gradebook: Gradebook | None = None, display: Display | None = None) -> Session:
    if persona not in PERSONAS:
        raise SandboxError(f"unknown persona {persona!r}; personas: {', '.join(PERSONAS)}")
    session = Session.start(scenario, trainee=f"persona:{persona}", lang=lang, seed=seed,
                            gradebook=gradebook, resume=False, display=display)
    PERSONAS[persona](session)
    return session


def cmd_play(args: argparse.Namespace) -> int:
    book = Gradebook(args.save or None) if args.save is not None else None
    display = None
    if args.html:  # the report as an HTML page; nothing else is drawn
        from sandbox.ui import HtmlDisplay

        display = HtmlDisplay()
    session = play(args.scenario, args.persona, args.seed, args.lang, book, display)
    report = session.report()
    if args.json:
        json.dump(report.summary(), sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    elif args.report:
        print(report.text())
    else:
        print(report.short_text())
    if args.html:
        report.save_html(args.html)
        print(f"report saved to {args.html}", file=sys.stderr)
    if book is not None:
        attempt_id = report.summary()["attempt_id"]
        print(f"attempt {attempt_id} saved in {book.url}; "
              f"see it again with: sandbox report {attempt_id} --gradebook {book.url} --html FILE",
              file=sys.stderr)
        book.close()
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="run a whole session with a scripted trainee (persona)")
    scenario_argument(p)
    p.add_argument("--persona", required=True, choices=sorted(PERSONAS))
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--json", action="store_true", help="machine-readable; the total is under 'score'")
    p.add_argument("--report", action="store_true", help="print the full report")
    p.add_argument("--html", metavar="FILE", help="also save the report as a self-contained HTML file")
    p.add_argument("--save", nargs="?", const="", metavar="GRADEBOOK", default=None,
                   help="record the attempt in a gradebook (default: your own, ~/.yikatong-sandbox)")
    p.set_defaults(func=cmd_play)
