"""Trainer commands: `sandbox preview`, `sandbox class new|release-feedback|report`,
`sandbox serve` and `sandbox report ATTEMPT --html`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from sandbox.session.display import Display

from sandbox.cli.scenarios import scenario_argument
from sandbox.common.limits import DEFAULT_MAX_BODY_MB

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765


def cmd_preview(args: argparse.Namespace) -> int:
    from sandbox.personas.preview import preview

    result = preview(args.scenario, seeds=args.seeds, personas=args.persona or None)
    if args.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    else:
        print(result.text())
    return 0


def cmd_class_new(args: argparse.Namespace) -> int:
    from sandbox.classmode.classroom import create_class
    from sandbox.platform.county_cache import class_worlds

    classroom, tokens = create_class(args.class_file, args.roster, gradebook=args.gradebook,
                                     tokens_path=args.tokens)
    count = len(classroom.gradebook.trainees(classroom.class_id))
    print(f"class {classroom.class_id!r} created in {classroom.gradebook.url} with {count} trainees "
          f"({classroom.config.mode})")
    print(f"tokens written to {tokens}: hand each trainee their own line, keep the file private")
    print(f"each trainee's world built into {class_worlds(classroom.class_id)} (the server reads them "
          "from there; keep the folder private, it holds the answer keys)")
    classroom.close()
    return 0


def cmd_class_release(args: argparse.Namespace) -> int:
    from sandbox.classmode.classroom import Classroom

    classroom = Classroom.open(args.class_file, args.gradebook)
    classroom.release_feedback()
    print(f"feedback released for class {classroom.class_id!r}: trainees see their scores and "
          "misses on their next action")
    classroom.close()
    return 0


def cmd_class_report(args: argparse.Namespace) -> int:
    from sandbox.classmode.class_report import class_report
    from sandbox.classmode.classroom import Classroom

    classroom = Classroom.open(args.class_file, args.gradebook)
    report = class_report(classroom.gradebook, classroom.class_id, lang=args.lang)
    print(report.text(top=args.top))
    if args.xlsx:
        print(f"\nworkbook saved to {report.to_excel(args.xlsx)}", file=sys.stderr)
    if args.heatmap:
        report.plot_mastery().savefig(args.heatmap, dpi=110)
        print(f"mastery heat map saved to {args.heatmap}", file=sys.stderr)
    classroom.close()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import logging

    from sandbox.classmode.classroom import Classroom
    from sandbox.classmode.server import check_workers, serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    classroom = Classroom.open(args.class_file, args.gradebook)
    classroom.info()  # a clear error now if `sandbox class new` was not run
    check_workers(classroom, args.workers)  # … or if several processes would share a SQLite file
    host, port, prefix = where_to_serve(args.host, args.port, args.prefix, os.environ)
    url = f"http://{host}:{port}{prefix.rstrip('/')}"
    print(f"serving class {classroom.class_id!r} on {url} — trainees use "
          f"Session.connect('{url}', token)", file=sys.stderr)
    serve(classroom, host=host, port=port, prefix=prefix, max_body_mb=args.max_body_mb, workers=args.workers)
    return 0


def where_to_serve(host: str | None, port: int | None, prefix: str | None,
                   env: Mapping[str, str]) -> tuple[str, int, str]:
    """Host, port and URL prefix for `sandbox serve`: the options given, else what JupyterHub
    tells a service it manages (its `url` as $JUPYTERHUB_SERVICE_URL, its route
    /services/<name>/ as $JUPYTERHUB_SERVICE_PREFIX), else 127.0.0.1:8765 at the root. The
    hub's config then names the port once, in the service's `url`."""
    hub_url = urlsplit(env.get("JUPYTERHUB_SERVICE_URL", ""))
    return (host or hub_url.hostname or DEFAULT_HOST,
            port or hub_url.port or DEFAULT_PORT,
            env.get("JUPYTERHUB_SERVICE_PREFIX", "") if prefix is None else prefix)


def cmd_report(args: argparse.Namespace) -> int:
    from sandbox.classmode.classroom import Classroom
    from sandbox.gradebook.store import Gradebook
    from sandbox.session.report import Report

    if args.class_file:
        book = Classroom.open(args.class_file, args.gradebook).gradebook
    else:
        book = Gradebook(args.gradebook)
    data = book.report_data(args.attempt, full=args.full)
    report = Report(data, args.lang or data.get("lang", "zh"), display=_html_display(args.html))
    print(report.short_text())
    if args.html:
        print(f"report saved to {report.save_html(args.html)}", file=sys.stderr)
    book.close()
    return 0


def _html_display(wanted: str | None) -> Display | None:
    """The HTML page display when an --html file was asked for; else none (nothing drawn)."""
    if not wanted:
        return None
    from sandbox.ui import HtmlDisplay

    return HtmlDisplay()


def _positive_mb(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of MB") from None
    if not 0 < value <= 10_000:
        raise argparse.ArgumentTypeError(f"{text!r}: give a size above 0 and at most 10000 MB")
    return value


def _worker_count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of processes from 1 to 64")
    return int(text)


def _gradebook_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gradebook", metavar="URL", default=None,
                        help="a gradebook file or SQLAlchemy URL (default: the class file's, or "
                             "$SANDBOX_GRADEBOOK_URL)")


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("preview", help="what a scenario holds and how hard the personas find it")
    scenario_argument(p)
    p.add_argument("--seeds", type=int, default=3, help="how many seeds to play (default 3)")
    p.add_argument("--persona", action="append", help="only these personas (repeatable)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("class", help="run a class: create it, release feedback, report")
    class_sub = p.add_subparsers(dest="class_command", required=True)
    q = class_sub.add_parser("new", help="create a class from CLASS.yaml and a roster (CSV/XLSX)")
    q.add_argument("class_file", metavar="CLASS.yaml")
    q.add_argument("--roster", required=True, help="trainees: 姓名 and optionally 工号/身份证号")
    q.add_argument("--tokens", help="where to write the tokens (default: <class>-tokens.csv)")
    _gradebook_option(q)
    q.set_defaults(func=cmd_class_new)
    q = class_sub.add_parser("release-feedback", help="let an exam class see its scores and feedback (sealed until then)")
    q.add_argument("class_file", metavar="CLASS.yaml")
    _gradebook_option(q)
    q.set_defaults(func=cmd_class_release)
    q = class_sub.add_parser("report", help="what the class misses most, then who is where")
    q.add_argument("class_file", metavar="CLASS.yaml")
    q.add_argument("--xlsx", metavar="FILE", help="also save an Excel workbook")
    q.add_argument("--top", type=int, default=10, help="problems to list (default 10)")
    q.add_argument("--heatmap", metavar="FILE.png", help="also save the class's mastery heat map (trainees × skills)")
    q.add_argument("--lang", choices=["zh", "en"], default="zh")
    _gradebook_option(q)
    q.set_defaults(func=cmd_class_report)

    p = sub.add_parser("serve", help="serve a class over HTTP (trainees: Session.connect)")
    p.add_argument("class_file", metavar="CLASS.yaml")
    p.add_argument("--host", default=None, help=f"default: the host of $JUPYTERHUB_SERVICE_URL, "
                   f"else {DEFAULT_HOST} (this machine only)")
    p.add_argument("--port", type=int, default=None, help="default: the port of "
                   f"$JUPYTERHUB_SERVICE_URL, else {DEFAULT_PORT}")
    p.add_argument("--prefix", default=None, help="URL path of the API (default: "
                   "$JUPYTERHUB_SERVICE_PREFIX, else none)")
    p.add_argument("--max-body-mb", type=_positive_mb, default=DEFAULT_MAX_BODY_MB, metavar="MB",
                   help=f"the largest request accepted, in MB (default {DEFAULT_MAX_BODY_MB}); "
                        "larger ones are refused while they are read")
    p.add_argument("--workers", type=_worker_count, default=1, metavar="N",
                   help="server processes (default 1); more than one needs a PostgreSQL gradebook")
    _gradebook_option(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("report", help="a stored attempt's report from the gradebook")
    p.add_argument("attempt", metavar="ATTEMPT", help="the attempt id")
    p.add_argument("--html", metavar="FILE", help="save as a self-contained HTML file")
    p.add_argument("--class", dest="class_file", metavar="CLASS.yaml", help="use this class's gradebook")
    p.add_argument("--full", action="store_true", help="the trainer's view: scores and misses even while an exam is sealed "
                   "(a self-test not yet ended stored none)")
    p.add_argument("--lang", choices=["zh", "en"], default=None)
    _gradebook_option(p)
    p.set_defaults(func=cmd_report)

