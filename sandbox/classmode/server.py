"""The platform as an HTTP API for a class (`sandbox serve CLASS`).

Trainees' notebooks hold only a token and `Session.connect(url, token)`; the worlds, the
answer keys and the banks live in this process. One generic endpoint carries every session
action, so local and class mode share one contract:

    POST /api/call {"action": "review.submit", "payload": {...}, "lang": "zh"}
         Authorization: Bearer <token>      -> {"result": ...}    (wire-encoded)
    GET  /api/me                            -> who the token belongs to, their attempt id
    GET  /api/attempts/{attempt_id}/report  -> that attempt's report (its owner only: 403)
    GET  /api/health                        -> {"ok": true}

A token reaches its own attempt only; user errors come back as 422 with the same message
a local session shows; an unknown token gets 401.

Nothing a trainee receives names their seed (a field called `seed` is dropped from every
response): with it, and the scenario, anyone could rebuild their world and its answer key on
their own machine. Their seed is an HMAC of the class secret (classroom.py), never shown.
In an exam, the platform seals every score and key-derived figure until the trainer releases
feedback (platform/sealing.py); `scrub_answer_key` here is the second line of defence.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from sandbox.classmode.classroom import Classroom
from sandbox.common.wire import FRAME, decode, encode
from sandbox.errors import SandboxError
from sandbox.gradebook.recording import replay
from sandbox.platform.attempt import Attempt, open_attempt
from sandbox.platform.rosters import KEY_COLUMNS, ROSTER_COLUMNS

log = logging.getLogger("sandbox.classmode.server")

# Columns only the answer key has: never sent while an exam's feedback is withheld.
ANSWER_KEY_FIELDS = frozenset(KEY_COLUMNS) - frozenset(ROSTER_COLUMNS) - {"entry_id", "person_id"}
# Fields never sent to a trainee in class mode, in any mode: the seed rebuilds the world.
SERVER_ONLY_FIELDS = frozenset({"seed"})
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# How long an idle keep-alive connection stays open. It must outlast every client's own idle
# expiry (httpx: 5 s, proxies: up to 60 s), so that the client, not the server, retires idle
# connections: with both at 5 s, a request sent just as the server closed the connection
# came back "Connection reset by peer" (seen in the fifty-trainee test under load).
KEEP_ALIVE_S = 75


class HttpError(Exception):
    """An HTTP status with a message for the client (401, 403, 404)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class CallRequest(BaseModel):
    action: str = Field(min_length=1, max_length=100)
    payload: dict[str, Any] = Field(default_factory=dict)
    lang: Literal["zh", "en"] | None = None


class ClassServer:
    """Attempts of one class, created lazily per trainee and kept in memory."""

    def __init__(self, classroom: Classroom) -> None:
        self.classroom = classroom
        self.gradebook = classroom.gradebook
        self.class_info = classroom.info()  # fails early for a class that was never created
        self.scenario = classroom.scenario
        self._attempts: dict[str, Attempt] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # --- who is calling --------------------------------------------------------------------
    def trainee(self, authorization: str | None) -> dict[str, Any]:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HttpError(401, "no token: send the header 'Authorization: Bearer <your token>'")
        trainee = self.gradebook.trainee_for_token(token.strip())
        if trainee is None or trainee["class_id"] != self.classroom.class_id:
            raise HttpError(401, "this token is not known in this class; check it against the "
                                 "tokens sheet your trainer handed out")
        return trainee

    def _lock(self, trainee_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(trainee_id, threading.Lock())

    # --- attempts --------------------------------------------------------------------------
    def attempt_of(self, trainee_id: str) -> Attempt | None:
        """The trainee's attempt held in this process, if any (for the trainer's tools and tests)."""
        return self._attempts.get(trainee_id)

    def _attempt(self, trainee: dict[str, Any], lang: str | None) -> Attempt:
        """The trainee's attempt; the caller holds the trainee's lock."""
        trainee_id = trainee["trainee_id"]
        attempt = self._attempts.get(trainee_id)
        if attempt is None:
            seed, mode = self.classroom.seed_for(trainee_id), self.class_info["mode"]
            # After a server restart, the trainee's unfinished attempt is replayed, not lost.
            previous = self.gradebook.open_attempt_of(trainee_id, self.class_info["scenario"], seed, mode,
                                                      class_id=self.classroom.class_id)
            attempt = open_attempt(self.scenario, trainee=trainee["name"], lang=lang or "zh",
                                   seed=seed, mode=mode, attempt_id=previous)
            if previous is None:
                self.gradebook.register_attempt(attempt, class_id=self.classroom.class_id,
                                                trainee=trainee_id,
                                                scenario=self.class_info["scenario"])
            else:
                attempt.resumed_actions = replay(attempt, self.gradebook.actions(previous))
                self.gradebook.attach(attempt)
            self._attempts[trainee_id] = attempt
            log.info("attempt %s %s for %s", attempt.attempt_id, "resumed" if previous else "opened",
                     trainee_id)
        if not attempt.feedback_released and self.gradebook.feedback_released(self.classroom.class_id):
            attempt.feedback_released = True  # the trainer ran `sandbox class release-feedback`
        return attempt

    def call(self, trainee: dict[str, Any], request: CallRequest) -> Any:
        with self._lock(trainee["trainee_id"]):
            attempt = self._attempt(trainee, request.lang)
            payload = decode(request.payload)
            _check_arguments(attempt, request.action, payload)
            result = attempt.handle(request.action, payload)
            return self._outgoing(attempt, encode(result))

    def me(self, trainee: dict[str, Any]) -> dict[str, Any]:
        attempt = self._attempts.get(trainee["trainee_id"])
        return {"trainee_id": trainee["trainee_id"], "name": trainee["name"],
                "class": self.class_info["name"], "mode": self.class_info["mode"],
                "attempt_id": attempt.attempt_id if attempt else None,
                "feedback_released": attempt.feedback_released if attempt else None}

    def report(self, trainee: dict[str, Any], attempt_id: str) -> Any:
        with self._lock(trainee["trainee_id"]):
            attempt = self._attempts.get(trainee["trainee_id"])
            if attempt is None or attempt.attempt_id != attempt_id:
                # The same answer for "someone else's" and "no such attempt": ids stay secret.
                raise HttpError(403, f"attempt {attempt_id!r} is not yours; your token reads "
                                     "your own attempt only")
            attempt = self._attempt(trainee, None)
            return self._outgoing(attempt, encode(attempt.report()))

    def _outgoing(self, attempt: Attempt, data: Any) -> Any:
        data = without_server_fields(data)
        if attempt.mode == "exam" and not attempt.feedback_released:
            return scrub_answer_key(data)
        return data


def without_server_fields(data: Any) -> Any:
    """An encoded result without the fields only the server may know (the seed)."""
    if isinstance(data, list):
        return [without_server_fields(v) for v in data]
    if not isinstance(data, dict) or (FRAME in data and len(data) == 1):
        return data
    return {k: without_server_fields(v) for k, v in data.items() if k not in SERVER_ONLY_FIELDS}


def _check_arguments(attempt: Attempt, action: str, payload: dict) -> None:
    """A payload that does not fit the action is the caller's mistake (422), not a crash."""
    declared = attempt.actions.get(action)
    if declared is None:
        return  # Attempt.handle names the unknown action
    try:
        inspect.signature(declared.handler).bind(**payload)
    except TypeError as exc:
        raise SandboxError(f"action {action!r}: {exc}") from None


def scrub_answer_key(data: Any) -> Any:
    """Drop answer-key fields and feedback details from an encoded result (defence in depth:
    the stages already withhold them in exam mode; this catches a stage that forgets)."""
    if isinstance(data, list):
        return [scrub_answer_key(v) for v in data]
    if not isinstance(data, dict):
        return data
    if FRAME in data and len(data) == 1:
        return {FRAME: _scrub_frame(data[FRAME])}
    clean = {}
    for key, value in data.items():
        if key in ANSWER_KEY_FIELDS:
            log.warning("withheld answer-key field %r from an exam response", key)
            continue
        clean[key] = [] if key in {"misses", "practise_next"} else scrub_answer_key(value)
    return clean


def _scrub_frame(frame: dict) -> dict:
    keep = [i for i, c in enumerate(frame["columns"]) if c not in ANSWER_KEY_FIELDS]
    if len(keep) == len(frame["columns"]):
        return frame
    log.warning("withheld answer-key columns from an exam response")
    return {"columns": [frame["columns"][i] for i in keep],
            "data": [[row[i] for i in keep] for row in frame["data"]]}


# --- the web app -------------------------------------------------------------------------------


def create_app(classroom: Classroom, prefix: str = "") -> FastAPI:
    """The class's web app. `prefix` is the path the API lives under, e.g.
    ``/services/yikatong-sandbox`` behind JupyterHub's proxy (which keeps the prefix)."""
    server = ClassServer(classroom)
    app = FastAPI(title="一卡通 training sandbox — class server", docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.class_server = server
    router = APIRouter()

    @app.exception_handler(HttpError)
    def _http_error(_request: Request, exc: HttpError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=exc.status)

    @app.exception_handler(SandboxError)
    def _user_error(_request: Request, exc: SandboxError) -> JSONResponse:
        return JSONResponse({"error": str(exc), "zh": exc.zh, "en": exc.en, "kind": type(exc).__name__},
                            status_code=422)

    @app.exception_handler(Exception)
    def _crash(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error")
        return JSONResponse({"error": f"internal error ({type(exc).__name__}); the trainer can "
                                      "find it in the server log"}, status_code=500)

    # Sync endpoints run in FastAPI's thread pool: one slow trainee does not stall the rest.
    @router.get("/api/health")
    def health() -> dict:
        return {"ok": True, "class": server.class_info["name"]}

    @router.get("/api/me")
    def me(authorization: str | None = Header(default=None)) -> dict:
        return server.me(server.trainee(authorization))

    @router.post("/api/call")
    def call(request: CallRequest, authorization: str | None = Header(default=None)) -> Response:
        return _json_result(server.call(server.trainee(authorization), request))

    @router.get("/api/attempts/{attempt_id}/report")
    def report(attempt_id: str, authorization: str | None = Header(default=None)) -> Response:
        return _json_result(server.report(server.trainee(authorization), attempt_id))

    app.include_router(router, prefix="/" + prefix.strip("/") if prefix.strip("/") else "")
    return app


def _json_result(data: Any) -> Response:
    """The wire data is JSON-ready already; FastAPI's generic encoder would walk every cell
    of every frame again (several times slower on registry tables)."""
    body = json.dumps({"result": data}, ensure_ascii=False, allow_nan=False)
    return Response(content=body.encode("utf-8"), media_type="application/json")


def serve(classroom: Classroom, host: str = "127.0.0.1", port: int = 8765, prefix: str | None = None) -> None:
    """Run the class server until interrupted (Ctrl-C). As a JupyterHub service the API
    lives under $JUPYTERHUB_SERVICE_PREFIX unless `prefix` says otherwise."""
    import uvicorn

    if prefix is None:
        prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "")

    if host not in LOOPBACK_HOSTS:
        log.warning("listening on %s: tokens travel in plain HTTP; put the server behind "
                    "TLS (e.g. the JupyterHub proxy, see docs/deploy.md)", host)
    uvicorn.run(create_app(classroom, prefix), host=host, port=port, log_level="info",
                timeout_keep_alive=KEEP_ALIVE_S)


@contextmanager
def background_server(target: Classroom | FastAPI, lifetime_s: float = 300.0) -> Iterator[str]:
    """Serve a class (or an app from `create_app`) on a free loopback port in a thread; yields
    the base URL. The server stops when the block ends, or by itself after `lifetime_s` (so a
    forgotten one never lingers)."""
    import uvicorn

    # Port 0: the system picks a free port. (Handing uvicorn a socket of our own made every
    # request wait ~40 ms for a delayed ACK.)
    app = target if isinstance(target, FastAPI) else create_app(target)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off", timeout_keep_alive=KEEP_ALIVE_S)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name="class-server")
    timer = threading.Timer(lifetime_s, lambda: setattr(server, "should_exit", True))
    timer.daemon = True
    thread.start()
    timer.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the class server did not start")
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        timer.cancel()
        server.should_exit = True
        thread.join(timeout=10)
