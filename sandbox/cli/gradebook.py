"""`sandbox gradebook upgrade|current [URL]`: the gradebook's schema (Alembic migrations).

A SQLite gradebook upgrades itself when it is opened; a shared database (PostgreSQL for a
class server) is upgraded with `sandbox gradebook upgrade URL`, once, while no server uses
it (docs/deploy.md). Without URL: $SANDBOX_GRADEBOOK_URL, else your own local gradebook.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sandbox.gradebook.database import Database

T = TypeVar("T")


def cmd_upgrade(args: argparse.Namespace) -> int:
    from sandbox.gradebook.migrate import upgrade

    database = _open(args.url)
    result = _run(database, upgrade)
    if not result.changed:
        print(f"{database.shown_url}: already at revision {result.after}; nothing to do")
    elif result.before == result.after:
        print(f"{database.shown_url}: written before migrations, with the tables of revision "
              f"{result.after}; recorded that revision (no table changed)")
    elif result.before is None:
        print(f"{database.shown_url}: was empty; created the tables at revision {result.after}")
    else:
        unversioned = " (written before migrations)" if result.was_unversioned else ""
        print(f"{database.shown_url}: upgraded from revision {result.before}{unversioned} "
              f"to {result.after}")
    return 0


def cmd_current(args: argparse.Namespace) -> int:
    from sandbox.gradebook.migrate import head, known_revisions, status

    database = _open(args.url)
    state = _run(database, status)
    if state.revision == head():
        verdict = "up to date"
    elif state.revision is not None and state.revision not in known_revisions():
        verdict = f"newer than this sandbox ({head()}): update the sandbox"
    else:
        verdict = f"this sandbox needs {head()}: run `sandbox gradebook upgrade`"
    print(f"{database.shown_url}: {state.describe()} — {verdict}")
    return 0


def _run(database: Database, step: Callable[[Database], T]) -> T:
    """One step on the database, a connection failure said in one line, the engine disposed."""
    import sqlalchemy as sa

    from sandbox.gradebook.errors import GradebookError

    try:
        return step(database)
    except sa.exc.OperationalError as exc:
        raise GradebookError(f"cannot open the gradebook at {database.shown_url}: {exc.orig}") from None
    finally:
        database.dispose()


def _open(url: str | None) -> Database:
    """The database named on the command line, else $SANDBOX_GRADEBOOK_URL, else the local
    gradebook. A SQLite file that does not exist is an error, not a new empty gradebook."""
    import sqlalchemy as sa

    from sandbox.classmode.classfile import GRADEBOOK_ENV
    from sandbox.gradebook.database import Database, resolve_url
    from sandbox.gradebook.errors import GradebookError

    chosen = sa.make_url(resolve_url(url or os.environ.get(GRADEBOOK_ENV) or None))
    if chosen.get_backend_name() == "sqlite" and chosen.database not in (None, "", ":memory:"):
        if not Path(chosen.database).expanduser().is_file():
            raise GradebookError(f"no gradebook file at {chosen.database}")
    return Database(chosen.render_as_string(hide_password=False))


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gradebook", help="the gradebook's schema: upgrade it, or show its revision")
    gradebook_sub = p.add_subparsers(dest="gradebook_command", required=True)
    for name, func, text in (
        ("upgrade", cmd_upgrade, "upgrade a gradebook to this sandbox's schema (one transaction)"),
        ("current", cmd_current, "show a gradebook's schema revision and whether it is current"),
    ):
        q = gradebook_sub.add_parser(name, help=text)
        q.add_argument("url", nargs="?", default=None, metavar="URL",
                       help="a gradebook file or SQLAlchemy URL (default: $SANDBOX_GRADEBOOK_URL, "
                            "else your local gradebook)")
        q.set_defaults(func=func)
