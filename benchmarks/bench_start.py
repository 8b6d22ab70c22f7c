"""How fast does a tutorial session start? Whole processes, against a bare
`python -c "import pandas, numpy"` measured in the same run (the goal: at most 1.3×).

    .venv/bin/python benchmarks/bench_start.py             # 7 runs of each, interleaved
    .venv/bin/python benchmarks/bench_start.py --runs 15

Cases, each a fresh `python -c` (so imports, world generation and the gradebook all count):

- baseline: `import pandas, numpy`, what any pandas notebook pays;
- start: `Session.start('tutorial', trainee='x', lang='zh')`, a session that keeps nothing;
- course: what the course notebooks' first cell does (scripts/build_notebooks.py): imports
  `sandbox.course` and the desks, starts with the trainee's own gradebook (`gradebook=True`) and resumes
  the unfinished attempt kept there (a private SANDBOX_HOME, made before the timed runs);
- course-warm: the same, with IPython and ipywidgets imported first, as a Jupyter kernel has
  them before the first cell runs (their cost belongs to the kernel, not to the sandbox), so
  it is compared with kernel: `import IPython, ipywidgets, pandas, numpy`.

The warm-up runs fill the caches under the private SANDBOX_HOME (the validated scenario,
sandbox/scenario/cached.py, and the county, sandbox/platform/county_cache.py), so the timed runs
measure what every start after a course's first one does.

Prints the median wall time of each and its ratio to the baseline, and the same for CPU time
(user + system of the child process): on a machine shared with other work, CPU time varies
less than wall time. A line per case also says which heavy libraries the case imported
(sys.modules at the end), as a hint of where time goes.

Exit status 1 when a tutorial session's start takes more than GOAL times the baseline, in
wall time as issue 13 measures it; 0 otherwise. A course notebook's first cell against the
kernel's own imports is printed beside it, as information.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.3
# Each start against its baseline; the goal holds for those in GATED.
COMPARED = {"start": "baseline", "course-warm": "kernel"}
GATED = ("start",)
HEAVY = ("sqlalchemy", "alembic", "matplotlib", "scipy", "faker", "pydantic", "yaml", "simpy",
         "ipywidgets", "IPython", "fastapi", "httpx", "openpyxl")

START = "from sandbox import Session; s = Session.start('tutorial', trainee='x', lang='zh')"
COURSE = ("import pandas as pd\n"
          "from sandbox import Session\n"
          "from sandbox.course import NotebookDisplay, resume_at, verdict_text\n"
          "from sandbox.ui import CollectionDesk, ReviewDesk\n"
          "s = Session.start('tutorial', trainee='me', lang='zh', mode='practice', gradebook=True,\n"
          "                  label='01_collection', until='collection', resume=True,\n"
          "                  display=NotebookDisplay())\n"
          "s.brief()\n")
CASES = {
    "baseline": "import pandas, numpy",
    "start": START,
    "course": COURSE,
    "course-warm": "import IPython, ipywidgets\n" + COURSE,
    "kernel": "import IPython, ipywidgets, pandas, numpy",
}
REPORT_MODULES = f"import sys; print(' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"


def run(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one whole `python -c code`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def imported(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", code + "\n" + REPORT_MODULES], env=env, check=True,
                          cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each case (median reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-start-") as home:
        env = {**os.environ, "SANDBOX_HOME": home, "PYTHONPATH": str(ROOT),
               "MPLBACKEND": "Agg"}
        # Warm-up: byte-code compiled, OS file cache filled, the gradebook made once and an
        # attempt kept in it (what a trainee's restarted kernel finds).
        for code in CASES.values():
            run(code, env)
        walls: dict[str, list[float]] = {name: [] for name in CASES}
        cpus: dict[str, list[float]] = {name: [] for name in CASES}
        for _ in range(args.runs):  # interleaved, so a busy moment hits every case alike
            for name, code in CASES.items():
                wall, cpu = run(code, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        base_wall, base_cpu = statistics.median(walls["baseline"]), statistics.median(cpus["baseline"])
        print(f"python {sys.version.split()[0]}, {args.runs} runs each, medians of whole processes "
              f"(goal: at most {GOAL}× the baseline)")
        print(f"{'':<12} {'wall':>8} {'ratio':>6}   {'cpu':>8} {'ratio':>6}")
        for name, code in CASES.items():
            wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
            print(f"{name:<12} {wall:6.3f} s {wall / base_wall:5.2f}×   {cpu:6.3f} s {cpu / base_cpu:5.2f}×")
            if name not in ("baseline", "kernel"):
                print(f"{'':<12} imports: {imported(code, env) or '-'}")
        over = []
        for name, against in COMPARED.items():
            ratio = statistics.median(walls[name]) / statistics.median(walls[against])
            goal = f"goal: at most {GOAL}×" if name in GATED else "for information"
            print(f"{name} / {against}: {ratio:.2f}× ({goal})")
            if name in GATED and ratio > GOAL:
                over.append(f"{name} {ratio:.2f}× {against}")
    if over:
        print(f"FAIL: slower than {GOAL}×: {', '.join(over)}")
        return 1
    print("ok: every start within the goal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
