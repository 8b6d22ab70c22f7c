"""How fast is a class server under a whole class? N trainees play full attempts at once against
a real `sandbox serve` process over real HTTP.

    .venv/bin/python benchmarks/bench_class.py                          # 50 trainees, SQLite
    .venv/bin/python benchmarks/bench_class.py --gradebook postgresql+psycopg://u:p@host/db
    .venv/bin/python benchmarks/bench_class.py --trainees 10 --workers 2 --gradebook postgresql+…

What it does, as a trainer and a class would:

1. writes a class file and a roster of N trainees in a scratch folder and runs
   `sandbox class new` (which builds every trainee's world into the class's world cache);
2. starts `sandbox serve CLASS --gradebook URL [--workers W]` as its own process and waits
   for /api/health;
3. every trainee, each in a thread of one of a few client processes, connects with their own
   token (`Session.connect`) and plays every stage the way a careful trainee does (the
   `careful` persona, sandbox/personas), pausing between calls as a person does (`--think`);
4. prints, per call type (the action, e.g. review.submit), the count and p50/p95/p99 latency of
   the HTTP round trip, then all calls together, the errors, the wall time and the CPU time of
   the server and of the trainees' clients;
5. checks the gradebook: one finished attempt per trainee, every stage scored, a gap-free log,
   and two attempts rebuilt from their logs scoring what the gradebook holds.

Each pause is a uniform draw in [0, 2·think] seconds (seeded: a run draws the same pauses
again); trainees arrive over `--spread` seconds. The defaults (2 s, 30 s) have each trainee do
the whole course in about five minutes, far busier than a room of people; `--think 0` has every
trainee fire the next call the moment the last one answers, a stress test. A PostgreSQL run
works in a scratch schema of its own, dropped afterwards.

The exit code is 0 when every call succeeded, every trainee finished and the gradebook checks
out; the latencies are measured, not judged (the goal, p99 ≤ 500 ms for 50 trainees on a 2-core
machine, is printed beside the figure). `run_bench` is what tests/test_class_fifty.py calls.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOAL_P99_MS = 500.0
CLIENT_PROCESSES = 4  # trainees are spread over this many client processes (the client's GIL)


@dataclass
class BenchResult:
    """What a run measured: latencies in ms per call type, errors, and where the class lives."""

    trainees: int
    gradebook: str
    workers: int
    wall_s: float
    latencies: dict[str, list[float]]
    errors: list[str]
    finished: int  # trainees whose whole play ran without an error
    class_file: Path
    tokens: dict[str, str] = field(default_factory=dict)
    server_cpu_s: float = 0.0
    clients_cpu_s: float = 0.0

    def all_latencies(self) -> list[float]:
        return [ms for values in self.latencies.values() for ms in values]

    def table(self) -> str:
        rows = [f"{'call':<28}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"]
        for action in sorted(self.latencies):
            rows.append(_row(action, self.latencies[action]))
        rows.append(_row("all calls", self.all_latencies()))
        p99 = percentile(self.all_latencies(), 99)
        rows.append(f"{self.trainees} trainees, {_label(self.gradebook)}, {self.workers} worker(s): "
                    f"{self.finished} finished, {len(self.errors)} errors, wall {self.wall_s:.1f} s; "
                    f"p99 {p99:.0f} ms (goal ≤ {GOAL_P99_MS:.0f} ms: {'met' if p99 <= GOAL_P99_MS else 'NOT met'})")
        rows.append(f"CPU: server {self.server_cpu_s:.1f} s ({self.server_cpu_s / self.trainees:.2f} s a trainee), "
                    f"trainees' clients {self.clients_cpu_s:.1f} s")
        rows.extend(f"  error: {e}" for e in self.errors[:10])
        return "\n".join(rows)

    def to_dict(self) -> dict[str, Any]:
        stats = {a: _stats(v) for a, v in sorted(self.latencies.items())}
        return {"trainees": self.trainees, "gradebook": _label(self.gradebook), "workers": self.workers,
                "wall_s": round(self.wall_s, 2), "finished": self.finished,
                "server_cpu_s": round(self.server_cpu_s, 1), "clients_cpu_s": round(self.clients_cpu_s, 1), "errors": self.errors,
                "calls": stats, "all": _stats(self.all_latencies())}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile by the nearest-rank method (no interpolation between two calls)."""
    if not values:
        return 0.0
    ranked = sorted(values)
    return ranked[max(0, min(len(ranked) - 1, -(-len(ranked) * q // 100) - 1))]


def _stats(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": round(percentile(values, 50), 1), "p95": round(percentile(values, 95), 1),
            "p99": round(percentile(values, 99), 1), "max": round(max(values, default=0.0), 1)}


def _row(name: str, values: list[float]) -> str:
    s = _stats(values)
    return f"{name:<28}{s['n']:>6}{s['p50']:>9.0f}{s['p95']:>9.0f}{s['p99']:>9.0f}{s['max']:>9.0f}"


def _label(gradebook: str) -> str:
    return gradebook.split(":", 1)[0].split("+", 1)[0]


# --- the class and its server ----------------------------------------------------------------


def make_class(directory: Path, trainees: int, gradebook: str, scenario: str = "tutorial",
               mode: str = "practice") -> tuple[Path, dict[str, str]]:
    """A class of `trainees` in `directory` (`sandbox class new`, in this process); its file and
    tokens by trainee id."""
    from sandbox.classmode.classroom import create_class, read_tokens
    from sandbox.scenario import scenario_path

    class_file = directory / "class.yaml"
    class_file.write_text(f"name: 压测班\nscenario: {scenario_path(scenario)}\nmode: {mode}\n", encoding="utf-8")
    roster = directory / "roster.csv"
    roster.write_text("姓名,工号\n" + "".join(f"学员{i:03d},B{i:03d}\n" for i in range(trainees)),
                      encoding="utf-8")
    classroom, tokens_file = create_class(class_file, roster, gradebook=gradebook)
    classroom.close()
    return class_file, read_tokens(tokens_file)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    url: str
    cpu_s: float = 0.0  # the server's CPU time (its workers' too), known once it stopped


def _reaped_cpu(process: subprocess.Popen) -> float:
    """Wait for a terminated process (killing it after 20 s) and return its CPU seconds with
    those of the children it waited for (uvicorn's workers)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        pid, _status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = _status
            return usage.ru_utime + usage.ru_stime
        time.sleep(0.1)
    process.kill()
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = _status
    return usage.ru_utime + usage.ru_stime


@contextmanager
def served(class_file: Path, gradebook: str, workers: int = 1, log: Path | None = None,
           env: dict[str, str] | None = None) -> Iterator[Served]:
    """`sandbox serve CLASS` as its own process (its own SANDBOX_HOME from `env`); yields its URL,
    and its CPU time once the block ends."""
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = log or class_file.with_name("server.log")
    command = [sys.executable, "-m", "sandbox", "serve", str(class_file), "--gradebook", gradebook,
               "--port", str(port), "--workers", str(workers)]
    environment = os.environ | {"PYTHONPATH": str(ROOT)} | (env or {})
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
        run = Served(url)
        try:
            deadline = time.monotonic() + 90
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the class server stopped: {log.read_text(errors='replace')[-2000:]}")
                try:
                    if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the class server did not start; see {log}")
                time.sleep(0.2)
            yield run
        finally:
            process.terminate()
            run.cpu_s = _reaped_cpu(process)


@contextmanager
def scratch_gradebook(url: str) -> Iterator[str]:
    """A PostgreSQL gradebook URL on a schema of its own (dropped afterwards), so a run neither
    sees nor touches other tables in the database; any other URL is used as it is."""
    if not url.startswith("postgres"):
        yield url
        return
    from sandbox.gradebook.schemas import scratch_schema

    with scratch_schema(url, "bench") as scoped:
        yield scoped


# --- the trainees ----------------------------------------------------------------------------


def _play(url: str, trainee_id: str, token: str, persona: str, think_s: float, seed: int,
          latencies: dict[str, list[float]], errors: list[str], lock: threading.Lock) -> bool:
    """One trainee's whole attempt; each HTTP round trip timed under its action's name."""
    from sandbox.personas import PERSONAS
    from sandbox.session.session import Session, backend_of

    pause = random.Random(seed)
    session = Session.connect(url, token, lang="zh")
    backend = backend_of(session)
    send = backend._send

    def timed_send(method: str, path: str, **kwargs: Any) -> Any:
        if think_s > 0:
            time.sleep(pause.uniform(0, 2 * think_s))
        name = kwargs.get("json", {}).get("action") if method == "POST" else f"GET {path.split('/')[2]}"
        started = time.perf_counter()
        response = send(method, path, **kwargs)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.setdefault(str(name), []).append(elapsed)
            if response.status_code >= 500:
                errors.append(f"{trainee_id} {name}: HTTP {response.status_code} {response.text[:200]}")
        return response

    backend._send = timed_send  # type: ignore[method-assign]
    try:
        PERSONAS[persona](session)
        return True
    except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
        with lock:
            errors.append(f"{trainee_id}: {type(exc).__name__}: {exc} "
                          f"[{traceback.format_exc(limit=3).splitlines()[-3].strip()}]")
        return False
    finally:
        backend.close()


def _client(url: str, tokens: list[tuple[str, str]], persona: str, think_s: float,
            start_spread_s: float, queue: Any) -> None:
    """One client process: its share of the trainees, one thread each; sends its measurements."""
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    finished = [0]

    def trainee(index: int, trainee_id: str, token: str) -> None:
        time.sleep(random.Random(f"join {trainee_id}").uniform(0, start_spread_s))  # people arrive
        if _play(url, trainee_id, token, persona, think_s, index, latencies, errors, lock):
            with lock:
                finished[0] += 1

    threads = [threading.Thread(target=trainee, args=(i, tid, tok), daemon=True)
               for i, (tid, tok) in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors, finished[0], time.process_time()))


def play_class(url: str, tokens: dict[str, str], persona: str = "careful", think_s: float = 1.0,
               start_spread_s: float = 5.0, processes: int = CLIENT_PROCESSES
               ) -> tuple[dict[str, list[float]], list[str], int, float, float]:
    """Every trainee plays at once from `processes` client processes; (latencies, errors,
    trainees finished, wall seconds, the clients' CPU seconds)."""
    context = multiprocessing.get_context("spawn")  # no threads or sockets inherited
    queue = context.Queue()
    items = sorted(tokens.items())
    shares = [items[i::processes] for i in range(min(processes, len(items)))]
    started = time.perf_counter()
    clients = [context.Process(target=_client, args=(url, share, persona, think_s, start_spread_s, queue))
               for share in shares]
    for client in clients:
        client.start()
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    finished, clients_cpu = 0, 0.0
    for _ in clients:
        while True:  # a client that died without reporting is an error, not a wait for ever
            try:
                got_latencies, got_errors, got_finished, got_cpu = queue.get(timeout=5)
                break
            except Empty:
                dead = [c for c in clients if c.exitcode not in (None, 0)]
                if dead:
                    raise RuntimeError(f"{len(dead)} client process(es) died (exit codes "
                                       f"{[c.exitcode for c in dead]})") from None
        clients_cpu += got_cpu
        for action, values in got_latencies.items():
            latencies.setdefault(action, []).extend(values)
        errors.extend(got_errors)
        finished += got_finished
    for client in clients:
        client.join(timeout=30)
    return latencies, errors, finished, time.perf_counter() - started, clients_cpu


def run_bench(trainees: int, gradebook: str | None = None, workers: int = 1, persona: str = "careful",
              think_s: float = 2.0, start_spread_s: float = 30.0, directory: Path | None = None,
              scenario: str = "tutorial") -> BenchResult:
    """Create a class, serve it, play it; the class stays in `directory` for checking. The
    class's worlds go to $SANDBOX_HOME, or to `directory`/home when it is not set."""
    directory = directory or Path(tempfile.mkdtemp(prefix="bench-class-"))
    home = directory / "home"
    os.environ.setdefault("SANDBOX_HOME", str(home))  # class new's world cache, read by the server
    gradebook = gradebook or f"sqlite:///{directory / 'gradebook.sqlite'}"
    class_file, tokens = make_class(directory, trainees, gradebook, scenario)
    with served(class_file, gradebook, workers, env={"SANDBOX_HOME": os.environ["SANDBOX_HOME"]}) as server:
        latencies, errors, finished, wall, clients_cpu = play_class(server.url, tokens, persona, think_s,
                                                                    start_spread_s)
    return BenchResult(trainees, gradebook, workers, wall, latencies, errors, finished, class_file, tokens,
                       server_cpu_s=server.cpu_s, clients_cpu_s=clients_cpu)


def check_class(class_file: Path, gradebook: str, tokens: dict[str, str], replayed: int = 2) -> list[str]:
    """What is wrong with the class as its gradebook holds it after the run (nothing: []):
    one attempt per trainee, each finished with a score for every scored stage, each log
    numbered 1..n without a gap and ending at the attempt's version, and for the first
    `replayed` trainees, the attempt rebuilt from its log (as a restarted server does) scoring
    what the gradebook's report of it says. (Its stage_scores rows keep each stage's score as
    the stage closed; a later stage may still move it, e.g. supervision recovering money.)"""
    from sandbox.classmode.classroom import Classroom
    from sandbox.classmode.server import ClassServer
    from sandbox.gradebook.recorder import trainer_report
    from sandbox.platform.stages.sequence import SCORED

    classroom = Classroom.open(class_file, gradebook)
    book, problems = classroom.gradebook, []
    try:
        attempts = book.attempts(class_id=classroom.class_id)
        if sorted(attempts["trainee"]) != sorted(tokens):
            problems.append(f"attempts per trainee: {attempts['trainee'].value_counts().to_dict()}")
        scores = book.stage_scores(class_id=classroom.class_id)
        server = ClassServer(classroom)
        for number, record in enumerate(attempts.to_dict("records")):
            attempt_id, trainee_id = record["attempt_id"], record["trainee"]
            if record["finished_at"] is None or str(record["finished_at"]) in ("NaT", "None"):
                problems.append(f"{trainee_id}: attempt {attempt_id} not finished")
            stored = scores[scores["attempt_id"] == attempt_id].set_index("stage")["score"]
            if number == 0:
                expected = {s for s in SCORED if s in server._load(
                    book.trainee_for_token(tokens[trainee_id]), "zh").stages}
            if set(stored.index) != expected:
                problems.append(f"{trainee_id}: stages scored {sorted(stored.index)}, expected {sorted(expected)}")
            seqs = book.actions(attempt_id, calls=False)["seq"].tolist()
            if seqs != list(range(1, len(seqs) + 1)) or book.last_seq(attempt_id) != len(seqs):
                problems.append(f"{trainee_id}: log of {len(seqs)} actions is not 1..n ending at "
                                f"the attempt's version {book.last_seq(attempt_id)}")
            if number < replayed:  # the report the gradebook keeps is the attempt's as it ended
                rebuilt = trainer_report(server._load(book.trainee_for_token(tokens[trainee_id]), "zh"))
                kept = book.report_data(attempt_id, full=True)
                if (rebuilt["score"], rebuilt["stages"]) != (kept["score"], kept["stages"]):
                    problems.append(f"{trainee_id}: replayed from the log {rebuilt['score']} "
                                    f"{rebuilt['stages']}, the gradebook's report {kept['score']} {kept['stages']}")
    finally:
        classroom.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=50)
    parser.add_argument("--gradebook", default=None,
                        help="a SQLAlchemy URL (default: a SQLite file in a scratch folder); "
                             "e.g. postgresql+psycopg://sandbox:sandbox@127.0.0.1:5432/sandbox_test")
    parser.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL only for > 1)")
    parser.add_argument("--persona", default="careful")
    parser.add_argument("--think", type=float, default=2.0,
                        help="a trainee's mean pause before each call, in seconds (0: a stress test)")
    parser.add_argument("--spread", type=float, default=30.0, help="trainees join over this many seconds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    with scratch_gradebook(args.gradebook) if args.gradebook else nullcontext(None) as gradebook:
        result = run_bench(args.trainees, gradebook, args.workers, args.persona, args.think, args.spread)
        print(result.table())
        problems = check_class(result.class_file, result.gradebook, result.tokens)
    print("gradebook: every attempt complete and consistent" if not problems else
          "gradebook problems:\n  " + "\n  ".join(problems))
    print(f"load average now: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs")
    if args.json:
        print(json.dumps(result.to_dict() | {"gradebook_problems": problems}, ensure_ascii=False))
    return 0 if not result.errors and result.finished == result.trainees and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
