"""Issue 14, route 2 is real: a real JupyterHub (from PyPI) with its real proxy
(configurable-http-proxy from npm, scripts/install_hub.sh), started with the shipped
deploy/jupyterhub_config.py, runs the class server as two hub-managed services (replicas) on
one PostgreSQL gradebook. A trainee logs in through the hub with the class password, then
plays the collection stage through the proxy's /services/yikatong-sandbox/ route and reviews
through the second replica's route; the gradebook holds one attempt and one log.

Skips with a note where node or the proxy is missing (bash scripts/install_hub.sh installs
it) or PostgreSQL is not running; in CI (CI=true) these fail instead.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pandas as pd
import pytest
from test_two_servers import free_port, make_class, postgres_schema  # noqa: F401 - a fixture

from sandbox.classmode.classroom import Classroom
from sandbox.cli.classmode import where_to_serve
from sandbox.errors import SandboxError
from sandbox.personas import Evidence, careful_decision, clean_forms
from sandbox.session.http import ClassServerError, HttpBackend
from sandbox.session.session import Session, backend_of

ROOT = Path(__file__).resolve().parent.parent
HUB_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
LOCAL_PROXY = ROOT / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"
SERVICE = "yikatong-sandbox"
PASSWORD = "class-password-2022"  # SharedPasswordAuthenticator wants 8 characters or more
START_WITHIN_S = 60


def missing(what: str) -> None:
    """Skip on a laptop without it; fail in CI, where `make test` installs everything."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI must run the JupyterHub route test)")
    pytest.skip(what)


def proxy_command() -> str:
    if shutil.which("node") is None:
        missing("node is not installed: the JupyterHub route test needs configurable-http-proxy "
                "(bash scripts/install_hub.sh installs node, npm and the proxy)")
    found = str(LOCAL_PROXY) if LOCAL_PROXY.exists() else shutil.which("configurable-http-proxy")
    if found is None:
        missing("configurable-http-proxy is not installed; run: bash scripts/install_hub.sh")
    return str(found)


@dataclass
class Hub:
    url: str                      # the proxy's public address, as a trainee's browser sees it
    services: list[str]           # each replica's public route
    process: subprocess.Popen
    log: Path


def wait_until_served(hub: Hub, within_s: float) -> None:
    """Until the proxy answers for the hub and for every replica (each service's health)."""
    deadline = time.monotonic() + within_s
    pending = [f"{hub.url}/hub/health"] + [f"{service}/api/health" for service in hub.services]
    while pending:
        if hub.process.poll() is not None:
            raise RuntimeError(f"JupyterHub stopped; its log:\n{hub.log.read_text()[-4000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"not served within {within_s} s: {pending}; the hub's log:\n"
                               f"{hub.log.read_text()[-4000:]}")
        try:
            if httpx.get(pending[0], timeout=2).status_code == 200:
                pending.pop(0)
                continue
        except httpx.TransportError:
            pass
        time.sleep(0.3)


def stop(hub: Hub) -> None:
    """SIGTERM, as an operator stops it: the hub stops its services and its proxy."""
    hub.process.send_signal(signal.SIGTERM)
    try:
        hub.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        hub.process.kill()
        hub.process.wait()


@pytest.fixture
def hub(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Hub, Classroom, list[str]]]:
    proxy = proxy_command()
    if importlib.util.find_spec("jupyterhub") is None:
        missing("JupyterHub is not installed; it comes with the test extras: pip install -e '.[test]'")
    if not os.environ.get("SANDBOX_TEST_POSTGRES_URL"):
        missing("SANDBOX_TEST_POSTGRES_URL is not set (make test starts PostgreSQL with "
                "scripts/postgres.sh and sets it)")
    gradebook = request.getfixturevalue("postgres_schema")  # a schema of its own, dropped after
    classroom, class_file, tokens = make_class(tmp_path, gradebook)
    state = tmp_path / "hub"
    state.mkdir()
    public_port = free_port()
    service_ports = [free_port(), free_port()]
    env = os.environ | {
        "PYTHONPATH": str(ROOT),  # the services run this checkout's sandbox
        "PATH": f"{Path(proxy).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "SANDBOX_CLASS_FILE": str(class_file),
        "SANDBOX_GRADEBOOK_URL": gradebook,
        "SANDBOX_HUB_PASSWORD": PASSWORD,
        "SANDBOX_HUB_USERS": "w000,w001",
        "SANDBOX_HUB_URL": f"http://127.0.0.1:{public_port}",
        "SANDBOX_HUB_API_PORT": str(free_port()),
        "SANDBOX_PROXY_API_PORT": str(free_port()),
        "SANDBOX_SERVICE_PORTS": ",".join(map(str, service_ports)),
        "SANDBOX_SERVICE_WORKERS": "2",  # two replicas of two processes each, on one gradebook
        "SANDBOX_HUB_STATE": str(state),
    }
    env.pop("JUPYTERHUB_API_TOKEN", None)  # none of an outer hub's settings leak in
    log = tmp_path / "jupyterhub.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG)],
                                   cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT)
    public = f"http://127.0.0.1:{public_port}"
    running = Hub(public, [f"{public}/services/{SERVICE}", f"{public}/services/{SERVICE}-2"],
                  process, log)
    try:
        wait_until_served(running, START_WITHIN_S)
        yield running, classroom, tokens
    finally:
        stop(running)
        classroom.close()
    for port in service_ports:  # the hub stopped what it started: nothing lingers
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)


def service_pids(name: str) -> list[int]:
    """The processes of service `name`: the one the hub started and its workers (JupyterHub names
    the service in the environment, which the workers inherit)."""
    marker = f"JUPYTERHUB_SERVICE_NAME={name}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in (entry / "environ").read_bytes().split(b"\0"):
                pids.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    assert pids, f"no process of service {name}"
    return pids


def log_in(hub_url: str, user: str, password: str) -> httpx.Client:
    """The hub's login form, as a browser fills it in (with its XSRF field)."""
    client = httpx.Client(base_url=hub_url, timeout=30)
    form = client.get("/hub/login")
    assert form.status_code == 200
    xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', form.text)
    assert xsrf, "the hub's login form has an _xsrf field"
    client.post("/hub/login", data={"username": user, "password": password,
                                    "_xsrf": xsrf.group(1)})
    return client


@pytest.mark.postgres
@pytest.mark.slow
def test_a_trainee_logs_in_and_plays_through_the_hubs_proxy(hub) -> None:
    running, classroom, tokens = hub
    trainee = log_in(running.url, "w000", PASSWORD)
    home = trainee.get("/hub/home")
    assert home.status_code == 200 and "w000" in home.text  # logged in: the hub's own page
    stranger = log_in(running.url, "w000", "not-the-password")
    assert stranger.get("/hub/home").status_code in (302, 303)  # sent back to the login form
    assert not stranger.get("/hub/home", follow_redirects=True).url.path.endswith("/hub/home")
    trainee.close()
    stranger.close()

    # Through the proxy to replica 1: the class token decides whose attempt it is.
    first, second = (Session.connect(f"{service}/", tokens[0], lang="zh")
                     for service in running.services)
    collected = first.collection.submit(clean_forms(first))
    assert httpx.post(f"{running.services[0]}/api/call", json={"action": "brief"}).status_code == 401

    # Replica 2 carries on with the same attempt: it sees the collection, then takes the review.
    evidence, seen = Evidence(second), set()
    roster = second.review.roster()
    decisions = pd.DataFrame([careful_decision(entry, evidence, seen, use_registries=True)
                              for entry in roster.to_dict("records")])
    second.review.submit(decisions)
    assert first.review.decisions()["entry_id"].tolist() == decisions["entry_id"].tolist()
    assert first.brief()["attempt_id"] == second.brief()["attempt_id"]

    # A body over the service's limit (20 MB) is refused behind the proxy too. The proxy turns
    # the service's early 413 into a 503 (it loses the upload): hence a limit in front of the hub
    # that answers 413 itself (docs/deploy.md). Either way nothing is read, and the class goes on.
    too_big = httpx.post(f"{running.services[0]}/api/call", content=b"x" * (21 * 1024 * 1024),
                         headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=60)
    assert too_big.status_code in (413, 503)
    assert second.brief()["attempt_id"] == first.brief()["attempt_id"]

    # Replica 1 dies, every process of it (the hub restarts it within its 30 s poll): through its route the proxy
    # answers with a web page; the trainee reads a plain sentence, and replica 2 has all their work.
    pids = service_pids(SERVICE)
    assert len(pids) >= 3  # the replica's supervisor and its two workers
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    backend_of(first).retry_delays = (0.2, 0.2)
    with pytest.raises(ClassServerError) as down:
        first.brief()
    assert "可能正在重启" in down.value.message("zh") and "<" not in down.value.message("zh")
    assert second.review.decisions()["entry_id"].tolist() == decisions["entry_id"].tolist()

    book = classroom.gradebook
    attempts = book.attempts(classroom.class_id)
    assert attempts["trainee"].tolist() == ["W000"]
    attempt_id = attempts["attempt_id"].iloc[0]
    scores = book.stage_scores(attempt_id=attempt_id).set_index("stage")
    assert scores.loc["collection", "score"] == pytest.approx(collected["score"])
    logged = book.actions(attempt_id)
    assert logged["seq"].tolist() == list(range(1, len(logged) + 1))
    assert {"collection.submit", "review.submit"} <= set(logged["action"])


def test_sandbox_serve_listens_where_the_hub_tells_its_service() -> None:
    hub_env = {"JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:9123",
               "JUPYTERHUB_SERVICE_PREFIX": "/services/yikatong-sandbox/"}
    assert where_to_serve(None, None, None, hub_env) == ("127.0.0.1", 9123, "/services/yikatong-sandbox/")
    # The options win over the hub's word; without either, this machine only, at the root.
    assert where_to_serve("0.0.0.0", 8000, "", hub_env) == ("0.0.0.0", 8000, "")
    assert where_to_serve(None, None, None, {}) == ("127.0.0.1", 8765, "")


def proxy_page(status: int) -> httpx.Response:
    return httpx.Response(status, html="<html><body><h1>Service Unavailable</h1></body></html>")


def backend_answering(*responses: httpx.Response) -> tuple[HttpBackend, list[str]]:
    """A backend whose transport gives these answers in turn (then the class server's own)."""
    keys: list[str] = []
    queue = list(responses)

    def answer(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        return queue.pop(0) if queue else httpx.Response(200, json={"result": {"entries": 3}})

    backend = HttpBackend("http://hub.example.org/services/yikatong-sandbox", "t0ken",
                          transport=httpx.MockTransport(answer))
    backend.retry_delays = (0.0, 0.0, 0.0)
    return backend, keys


def test_a_call_the_proxy_could_not_deliver_is_sent_again_with_its_own_key() -> None:
    backend, keys = backend_answering(proxy_page(503), proxy_page(502))
    assert backend.call("brief") == {"entries": 3}
    assert len(keys) == 3 and len(set(keys)) == 1  # one call, its key each time: it runs once


def test_a_proxy_that_stays_unavailable_reads_as_one_plain_sentence() -> None:
    backend, keys = backend_answering(*[proxy_page(503)] * 4)
    with pytest.raises(ClassServerError) as down:
        backend.call("brief")
    assert len(keys) == 4
    assert down.value.message("zh").startswith("班级服务器") and "<" not in down.value.message("zh")
    assert "restarting" in down.value.message("en")


def test_the_class_servers_own_not_recorded_answer_is_not_sent_again() -> None:
    """Its 503 (JSON) says the call did not count: the trainee decides to do it again."""
    backend, keys = backend_answering(httpx.Response(503, json={
        "error": "not recorded", "zh": "这一步没有记进成绩册", "en": "not recorded", "retry": True}))
    with pytest.raises(ClassServerError) as refused:
        backend.call("brief")
    assert len(keys) == 1 and refused.value.message("zh") == "这一步没有记进成绩册"


def test_a_proxys_own_size_limit_reads_as_one_plain_sentence() -> None:
    """nginx's or an ingress's 413 is a web page; the class server's own 413 says the same in JSON."""
    backend, keys = backend_answering(httpx.Response(
        413, html="<html><head><title>413 Request Entity Too Large</title></head></html>"))
    with pytest.raises(SandboxError) as refused:
        backend.call("review.submit", {"decisions": "…"})
    assert len(keys) == 1  # refused for its size: sending it again would not help
    assert "上限" in refused.value.message("zh") and "<" not in refused.value.message("zh")


def test_a_request_over_the_servers_limit_is_refused_before_anything_is_uploaded() -> None:
    """Behind a proxy the server's early 413 becomes a bare 503, which a retry would upload again:
    the client checks the size first, and says it in one sentence."""
    backend, keys = backend_answering(httpx.Response(200, json={"result": {}}))
    backend.max_body_bytes = 1024 * 1024  # as Session.connect(..., max_body_mb=1) sets it
    table = pd.DataFrame({"note": ["很长的备注" * 30] * 4000})  # about 1.8 MB once encoded
    with pytest.raises(ClassServerError) as refused:
        backend.call("review.submit", {"decisions": table})
    assert keys == []  # nothing went out
    assert "超过班级服务器的上限 1 MB" in refused.value.message("zh")
    assert backend.call("brief") == {}  # a small call still goes through
