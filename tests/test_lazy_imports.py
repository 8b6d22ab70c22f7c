"""A fast start is a property of what is imported, not a timing: starting a session imports
none of the heavy parts it does not use (benchmarks/bench_start.py measures the time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

HEAVY = ("sqlalchemy", "alembic", "matplotlib", "scipy", "faker", "fastapi", "httpx", "openpyxl",
         "ipywidgets", "IPython", "pydantic", "yaml", "simpy")
START = "from sandbox import Session\ns = Session.start('tutorial', trainee='x', lang='zh')\n"


def loaded_after(code: str, home: Path, wanted: str) -> set[str]:
    """The modules `wanted` (a Python expression over a module name `m`) picks out of
    sys.modules when a fresh `python -c code` ends."""
    report = f"import sys, json\nprint(json.dumps([m for m in sys.modules if {wanted}]))\n"
    env = {**os.environ, "SANDBOX_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("SANDBOX_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", code + report], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def imported_after(code: str, home: Path) -> set[str]:
    """The heavy top-level packages a fresh `python -c code` has imported when it ends."""
    return loaded_after(code, home, f"m in {HEAVY!r}")


def modules_after(code: str, home: Path, prefix: str) -> set[str]:
    """The modules under `prefix` a fresh `python -c code` has imported when it ends."""
    return loaded_after(code, home, f"m.startswith({prefix!r})")


def test_importing_sandbox_imports_nothing_heavy(tmp_path: Path) -> None:
    assert imported_after("import sandbox\n", tmp_path) == set()


def test_a_session_that_keeps_nothing_imports_no_gradebook_and_no_drawing(tmp_path: Path) -> None:
    first = imported_after(START, tmp_path)
    assert not {"sqlalchemy", "alembic", "matplotlib", "ipywidgets"} & first
    assert not {"fastapi", "httpx", "openpyxl", "scipy"} & first
    # Started again (scenario and county come back from the cache): not even Faker, pydantic, PyYAML or SimPy.
    assert imported_after(START, tmp_path) == set()


def test_the_own_gradebook_is_opened_without_sqlalchemy_until_the_first_record(tmp_path: Path) -> None:
    course = ("from sandbox import Session\n"
              "s = Session.start('tutorial', trainee='me', lang='zh', gradebook=True, label='01')\n"
              "s.brief()\n")
    assert {"sqlalchemy", "alembic"} <= imported_after(course, tmp_path)  # the first start makes the file
    assert imported_after(course, tmp_path) == set()  # a kernel restart: read with sqlite3
    record = course + "s.collection.submit(s.collection.forms())\n"
    assert "sqlalchemy" in imported_after(record, tmp_path)  # a record goes through the store…
    assert "alembic" not in imported_after(record, tmp_path)  # …at the newest schema, no Alembic


def test_a_gradebook_at_the_newest_schema_opens_without_alembic(tmp_path: Path) -> None:
    code = "from sandbox.gradebook.store import Gradebook\nGradebook(None).close()\n"
    assert "alembic" in imported_after(code, tmp_path)  # the first opening makes the tables
    assert "alembic" not in imported_after(code, tmp_path)


def test_the_imported_names_still_work(tmp_path: Path) -> None:
    """What was made lazy is still there when asked for."""
    code = ("import sandbox\n"
            "assert sandbox.Gradebook.__name__ == 'Gradebook'\n"
            "from sandbox.world.names import name_pools\n"
            "assert len(name_pools().surnames) > 100\n")
    assert {"sqlalchemy", "faker"} <= imported_after(code, tmp_path)


def test_the_quick_schema_check_knows_the_same_newest_revision_as_alembic() -> None:
    from sandbox.gradebook import migrate

    assert migrate.newest_revision_file() == migrate.head()


def test_a_notebook_start_imports_matplotlib_only_when_a_cell_draws(tmp_path: Path) -> None:
    setup = ("from types import SimpleNamespace\n"
             "from sandbox.ui.fonts import use_chinese_font_in_notebook\n"
             "hooks = []\n"
             "shell = SimpleNamespace(events=SimpleNamespace(register=lambda e, f: hooks.append(f)))\n"
             "use_chinese_font_in_notebook(shell)\n")
    assert "matplotlib" not in imported_after(setup + "hooks[0](SimpleNamespace(raw_cell='s.brief()'))\n",
                                              tmp_path)
    draws = setup + ("hooks[0](SimpleNamespace(raw_cell='roster.plot()'))\n"
                     "import matplotlib\nassert matplotlib.rcParams['font.sans-serif'][0] == 'Noto Sans SC'\n")
    assert "matplotlib" in imported_after(draws, tmp_path)


def test_a_start_loads_a_stage_and_the_irregularity_types_only_when_used(tmp_path: Path) -> None:
    """The attempt builds each stage when first called (platform/stages/lazy.py): a start from
    the cache, brief included, loads no stage's module and no irregularity type."""
    started = START + "s.brief()\n"
    imported_after(started, tmp_path)  # the first start fills the cache
    light = {"sandbox.platform.stages.base", "sandbox.platform.stages.sequence", "sandbox.platform.stages.lazy"}
    assert modules_after(started, tmp_path, "sandbox.platform.stages.") == light
    assert "sandbox.irregularities.registry" not in modules_after(started, tmp_path, "sandbox.irregularities.")
    used = modules_after(started + "s.collection.forms()\n", tmp_path, "sandbox.platform.stages.")
    assert used == light | {"sandbox.platform.stages.collection"}
