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

Log, then apply (issue 14): a state-changing call counts only once the gradebook has it. The
call runs on the attempt held in memory, what it records is collected, and one transaction
writes it with the call's answer under the client's `Idempotency-Key`, if the attempt's log
still ends where this process last read it. If the write fails, the attempt in memory is
dropped (the next call rebuilds it from the log, where nothing of this call is) and the
trainee gets 503: not recorded, do it again. A retry with the same key gets the first answer
and runs nothing. The attempt in memory is only a cache: before every call its version (the
log's last seq) is checked, and actions another server process logged are replayed first, so
any process can serve any trainee (docs/deploy.md).

Sealed by construction: the token is checked before a byte of the body is read; a body over
the limit (`max_body_mb`, `sandbox serve --max-body-mb`) is refused with 413 while it is read;
a payload is data (payloads.py checks frames and each argument's kind, and a table is never a
file name: the trainee's own files are read on their side); a crash is answered with a 500
that leaves the connection open.

Nothing a trainee receives names their seed (a field called `seed` is dropped from every
response): with it, and the scenario, anyone could rebuild their world and its answer key on
their own machine. Their seed is an HMAC of the class secret (classroom.py), never shown.
In an exam, the platform seals every score and key-derived figure until the trainer releases
feedback (platform/sealing.py); `scrub_answer_key` here is the second line of defence.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from sandbox.classmode.classroom import Classroom, typed_token
from sandbox.classmode.payloads import check_arguments, decode_payload
from sandbox.common.limits import DEFAULT_MAX_BODY_MB
from sandbox.common.wire import FRAME, encode
from sandbox.errors import SandboxError
from sandbox.gradebook.errors import NotRecorded, StaleAttempt
from sandbox.gradebook.recording import replay
from sandbox.irregularities.planting import KEY_COLUMNS
from sandbox.platform.attempt import Attempt, open_attempt
from sandbox.platform.county_cache import class_worlds
from sandbox.platform.rosters import ROSTER_COLUMNS

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
# A call whose log lost the race to another process is run again on the caller's refreshed
# attempt; this many tries, then the trainee is told it was not recorded.
COMMIT_TRIES = 3
CALL_KEY_MAX = 64  # an idempotency key: the client sends a uuid4 hex (32)
# The largest request body read (a whole county's roster is a few MB); larger is refused (413)
# while it is read, never held whole. `sandbox serve --max-body-mb` changes it.


class HttpError(Exception):
    """An HTTP status with a message for the client (401, 403, 404, 413, 422)."""

    def __init__(self, status: int, message: str, zh: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.zh = zh


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
        self.worlds = class_worlds(classroom.class_id)  # each trainee's county, built once (class new)
        self._attempts: dict[str, Attempt] = {}
        self._trainees: dict[str, dict[str, Any]] = {}  # token -> trainee, as the gradebook said
        self._seen_seq: dict[str, int] = {}  # trainee -> the log's last seq their attempt reflects
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # --- who is calling --------------------------------------------------------------------
    def trainee(self, authorization: str | None) -> dict[str, Any]:
        scheme, _, token = (authorization or "").partition(" ")
        token = typed_token(token)
        if scheme.lower() != "bearer" or not token:
            raise HttpError(401, "no token: send the header 'Authorization: Bearer <your token>'")
        trainee = self._trainees.get(token)
        if trainee is None:
            trainee = self.gradebook.trainee_for_token(token)
            if trainee is not None and trainee["class_id"] == self.classroom.class_id:
                self._trainees[token] = trainee  # a class's tokens do not change while it runs
        if trainee is None or trainee["class_id"] != self.classroom.class_id:
            raise HttpError(401, "this token is not known in this class; check it against the "
                                 "tokens sheet your trainer handed out")
        return trainee

    def known_trainee(self, authorization: str | None) -> dict[str, Any] | None:
        """The trainee of a bearer token this process has checked before, or None (then `trainee`
        asks the gradebook)."""
        scheme, _, token = (authorization or "").partition(" ")
        return self._trainees.get(typed_token(token)) if scheme.lower() == "bearer" else None

    def _lock(self, trainee_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(trainee_id, threading.Lock())

    # --- attempts --------------------------------------------------------------------------
    def attempt_of(self, trainee_id: str) -> Attempt | None:
        """The trainee's attempt held in this process, if any (for the trainer's tools and tests)."""
        return self._attempts.get(trainee_id)

    def _attempt(self, trainee: dict[str, Any], lang: str | None) -> Attempt:
        """The trainee's attempt, up to date with the gradebook's log; the caller holds the
        trainee's lock."""
        trainee_id = trainee["trainee_id"]
        attempt = self._attempts.get(trainee_id)
        if attempt is None:
            attempt = self._load(trainee, lang)
        else:
            self._catch_up(trainee_id, attempt)
        if not attempt.feedback_released and self.gradebook.feedback_released(self.classroom.class_id):
            attempt.feedback_released = True  # the trainer ran `sandbox class release-feedback`
        return attempt

    def _load(self, trainee: dict[str, Any], lang: str | None) -> Attempt:
        """The trainee's one attempt in the class, finished or not, rebuilt from its log; on their
        first call, a new one (one only, even when two processes take that first call at once)."""
        trainee_id, class_id = trainee["trainee_id"], self.classroom.class_id
        seed, mode = self.classroom.seed_for(trainee_id), self.class_info["mode"]
        attempt_id = self.gradebook.class_attempt_of(class_id, trainee_id)
        if attempt_id is None:  # a gradebook from before class_attempts: the latest attempt counts
            attempt_id = self.gradebook.open_attempt_of(trainee_id, self.class_info["scenario"], seed,
                                                        mode, class_id=class_id, finished_too=True)
            if attempt_id is not None:
                attempt_id = self.gradebook.claim_class_attempt(class_id, trainee_id, attempt_id=attempt_id)
        if attempt_id is None:
            fresh = open_attempt(self.scenario, trainee=trainee["name"], lang=lang or "zh",
                                 seed=seed, mode=mode, worlds=self.worlds)
            attempt_id = self.gradebook.claim_class_attempt(class_id, trainee_id, attempt=fresh,
                                                            scenario=self.class_info["scenario"])
            if attempt_id == fresh.attempt_id:
                log.info("attempt %s opened for %s", attempt_id, trainee_id)
                return self._keep(trainee_id, fresh, 0)
        attempt = open_attempt(self.scenario, trainee=trainee["name"], lang=lang or "zh",
                               seed=seed, mode=mode, attempt_id=attempt_id, worlds=self.worlds)
        seq = self.gradebook.last_seq(attempt_id)
        attempt.resumed_actions = replay(attempt, self.gradebook.actions(attempt_id))
        log.info("attempt %s resumed for %s", attempt_id, trainee_id)
        return self._keep(trainee_id, attempt, seq)

    def _keep(self, trainee_id: str, attempt: Attempt, seq: int) -> Attempt:
        self._attempts[trainee_id] = attempt
        self._seen_seq[trainee_id] = seq
        return attempt

    def _forget(self, trainee_id: str) -> None:
        """Drop an attempt whose memory may differ from its log: the next call rebuilds it."""
        self._attempts.pop(trainee_id, None)
        self._seen_seq.pop(trainee_id, None)

    def _catch_up(self, trainee_id: str, attempt: Attempt) -> None:
        """Replay what other processes logged since this one last read the attempt's log."""
        seen, seq = self._seen_seq[trainee_id], self.gradebook.last_seq(attempt.attempt_id)
        if seq != seen:
            try:
                replay(attempt, self.gradebook.actions_after(attempt.attempt_id, seen))
            except Exception:
                self._forget(trainee_id)  # half replayed: rebuilt whole on the next call
                raise
            self._seen_seq[trainee_id] = seq

    def call(self, trainee: dict[str, Any], request: CallRequest, call_key: str | None = None) -> Any:
        if call_key is not None and not 0 < len(call_key) <= CALL_KEY_MAX:
            raise HttpError(422, f"the Idempotency-Key header must be 1 to {CALL_KEY_MAX} characters")
        trainee_id = trainee["trainee_id"]
        with self._lock(trainee_id):
            try:
                return self._call(trainee, request, call_key)
            except sa.exc.SQLAlchemyError:  # the gradebook unreachable before the call ran
                log.exception("the gradebook failed during %s for %s", request.action, trainee_id)
                self._forget(trainee_id)
                raise NotRecorded() from None

    def _call(self, trainee: dict[str, Any], request: CallRequest, call_key: str | None) -> Any:
        """`call`, under the trainee's lock."""
        trainee_id = trainee["trainee_id"]
        for _ in range(COMMIT_TRIES):
            attempt = self._attempt(trainee, request.lang)
            payload = decode_payload(request.payload)  # malformed frames: 422, not a crash
            check_arguments(attempt.actions.get(request.action), request.action, payload)
            if request.action in attempt.actions and not attempt.changes_state(request.action):
                return self._outgoing(attempt, encode(attempt.handle(request.action, payload)))
            if call_key is not None:
                answered = self.gradebook.call_result(attempt.attempt_id, call_key)
                if answered is not None:
                    return self._outgoing(attempt, self._answer_again(request.action, answered))
            try:
                return self._outgoing(attempt, self._apply(trainee_id, attempt, request.action,
                                                           payload, call_key))
            except StaleAttempt:
                log.info("attempt %s moved on in another process; running the call again",
                         attempt.attempt_id)
        raise NotRecorded()

    def _apply(self, trainee_id: str, attempt: Attempt, action: str, payload: dict,
               call_key: str | None) -> Any:
        """Run a state-changing call and log it; it counts only if the log is written."""
        recorded: list[dict[str, Any]] = []
        # Kept with the simulated time it happened at: the log is written after the whole call.
        attempt.on_action = lambda entry: recorded.append({**entry, "sim_now": attempt.clock.now})
        try:
            result = encode(attempt.handle(action, payload))
        except SandboxError:
            if recorded:  # refused halfway, after recording something: trust the log only
                self._forget(trainee_id)
            raise
        except Exception:
            self._forget(trainee_id)
            raise
        finally:
            attempt.on_action = None
        try:
            self._seen_seq[trainee_id] = self.gradebook.commit_call(
                attempt, recorded, self._seen_seq[trainee_id], call_key, action, result)
        except StaleAttempt:
            self._forget(trainee_id)
            raise
        except sa.exc.SQLAlchemyError:
            log.exception("the gradebook refused the log of %s for %s: not applied", action, trainee_id)
            self._forget(trainee_id)
            raise NotRecorded() from None
        return result

    @staticmethod
    def _answer_again(action: str, answered: tuple[str, Any]) -> Any:
        first_action, result = answered
        if first_action != action:
            raise HttpError(422, f"this Idempotency-Key was sent with {first_action!r} before; "
                                 "send a new key with every new call")
        return result

    def me(self, trainee: dict[str, Any]) -> dict[str, Any]:
        attempt = self._attempts.get(trainee["trainee_id"])
        attempt_id = attempt.attempt_id if attempt else self.gradebook.class_attempt_of(
            self.classroom.class_id, trainee["trainee_id"])
        return {"trainee_id": trainee["trainee_id"], "name": trainee["name"],
                "class": self.class_info["name"], "mode": self.class_info["mode"],
                "attempt_id": attempt_id,
                "feedback_released": attempt.feedback_released if attempt else None}

    def report(self, trainee: dict[str, Any], attempt_id: str) -> Any:
        trainee_id = trainee["trainee_id"]
        with self._lock(trainee_id):
            own = self._attempts.get(trainee_id)
            own_id = own.attempt_id if own else self.gradebook.class_attempt_of(
                self.classroom.class_id, trainee_id)
            if own_id is None or own_id != attempt_id:
                # The same answer for "someone else's" and "no such attempt": ids stay secret.
                raise HttpError(403, f"attempt {attempt_id!r} is not yours; your token reads "
                                     "your own attempt only")
            attempt = self._attempt(trainee, None)  # after a restart: rebuilt from the log
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


class _CrashSafeRoute(APIRoute):
    """A route whose crash is answered with a 500 *inside* the app. (Starlette's handler for
    `Exception` answers, then raises again to the server, which drops the connection: the
    client's next call failed with "cannot reach the class server".)"""

    def get_route_handler(self):  # noqa: ANN201 (Starlette's own callable type)
        handler = super().get_route_handler()

        async def crash_safe(request: Request) -> Response:
            try:
                return await handler(request)
            except (HttpError, SandboxError, HTTPException, RequestValidationError):
                raise  # answered by their own handlers (4xx)
            except Exception as exc:
                log.exception("internal error")
                return JSONResponse({"error": f"internal error ({type(exc).__name__}); the trainer "
                                              "can find it in the server log"}, status_code=500)

        return crash_safe


def create_app(classroom: Classroom, prefix: str = "", max_body_mb: float = DEFAULT_MAX_BODY_MB) -> FastAPI:
    """The class's web app. `prefix` is the path the API lives under, e.g.
    ``/services/yikatong-sandbox`` behind JupyterHub's proxy (which keeps the prefix).
    `max_body_mb`: the largest request body read (413 beyond it)."""
    server = ClassServer(classroom)
    max_body = int(max_body_mb * 1024 * 1024)
    app = FastAPI(title="一卡通 training sandbox — class server", docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.class_server = server
    router = APIRouter(route_class=_CrashSafeRoute)

    @app.exception_handler(HttpError)
    def _http_error(_request: Request, exc: HttpError) -> JSONResponse:
        body = {"error": str(exc)} | ({"zh": exc.zh, "en": str(exc)} if exc.zh else {})
        # A body left unread (401, 413) cannot be skipped on a kept-alive connection: close it.
        headers = {"Connection": "close"} if exc.status in (401, 413) else None
        return JSONResponse(body, status_code=exc.status, headers=headers)

    @app.exception_handler(SandboxError)
    def _user_error(_request: Request, exc: SandboxError) -> JSONResponse:
        return JSONResponse({"error": str(exc), "zh": exc.zh, "en": exc.en, "kind": type(exc).__name__},
                            status_code=422)

    @app.exception_handler(NotRecorded)
    def _not_recorded(_request: Request, exc: NotRecorded) -> JSONResponse:
        # 503: nothing happened, the same call may be sent again (with the same key: answered once)
        return JSONResponse({"error": str(exc), "zh": exc.zh, "en": exc.en, "kind": "NotRecorded",
                             "retry": True}, status_code=503, headers={"Retry-After": "5"})

    # Sync endpoints run in FastAPI's thread pool: one slow trainee does not stall the rest.
    @router.get("/api/health")
    def health() -> dict:
        return {"ok": True, "class": server.class_info["name"]}

    @router.get("/api/me")
    def me(authorization: str | None = Header(default=None)) -> dict:
        return server.me(server.trainee(authorization))

    @router.post("/api/call")
    async def call(request: Request) -> Response:
        # The token first, then the body: a caller without a token sends nothing we read. A
        # token seen before is checked in memory, on the event loop; a new one asks the gradebook.
        authorization = request.headers.get("authorization")
        trainee = server.known_trainee(authorization) or await run_in_threadpool(server.trainee, authorization)
        body = await read_body(request, max_body)
        key = request.headers.get("idempotency-key")  # a retry sends the first call's key again

        def parse_and_call() -> Response:  # parsing MBs and the call: off the event loop, one hop
            return _json_result(server.call(trainee, _call_request(body), key))

        return await run_in_threadpool(parse_and_call)

    @router.get("/api/attempts/{attempt_id}/report")
    def report(attempt_id: str, authorization: str | None = Header(default=None)) -> Response:
        return _json_result(server.report(server.trainee(authorization), attempt_id))

    app.include_router(router, prefix="/" + prefix.strip("/") if prefix.strip("/") else "")
    return app


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, read piece by piece and refused (413) as soon as it passes `limit`
    bytes: an oversized body is never held whole."""
    too_large = HttpError(413, f"the request is larger than this class server accepts "
                               f"({limit / 1024 / 1024:g} MB); send a smaller table, or ask your "
                               "trainer to raise the limit (sandbox serve --max-body-mb)",
                          zh=f"请求超过了班级服务器的上限（{limit / 1024 / 1024:g} MB）：请发送小一些的表，"
                             "或请培训老师调高上限（sandbox serve --max-body-mb）")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _call_request(body: bytes) -> CallRequest:
    """The call, checked: a body that is not one is the caller's mistake (422)."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise HttpError(422, "the request body is not JSON; send "
                             '{"action": ..., "payload": {...}} (Session.connect does this for you)',
                        zh='请求内容不是 JSON：应发送 {"action": ..., "payload": {...}}（Session.connect 会替你发）') from None
    try:
        return CallRequest.model_validate(data)
    except ValidationError as exc:
        wrong = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise HttpError(422, f"the call is not well formed ({wrong}); send "
                             '{"action": "review.submit", "payload": {...}, "lang": "zh"}',
                        zh=f"请求的格式不对（{wrong}）：应发送 "
                           '{"action": "review.submit", "payload": {...}, "lang": "zh"}') from None


def _json_result(data: Any) -> Response:
    """The wire data is JSON-ready already; FastAPI's generic encoder would walk every cell
    of every frame again (several times slower on registry tables)."""
    body = json.dumps({"result": data}, ensure_ascii=False, allow_nan=False)
    return Response(content=body.encode("utf-8"), media_type="application/json")


# How `sandbox serve --workers N` hands each worker process its class: uvicorn starts the workers
# from an import string, and they inherit these variables (the class file and the gradebook URL
# as the command line gave them) from the process that started them.
SERVE_ENV = {"class_file": "SANDBOX_SERVE_CLASS_FILE", "gradebook": "SANDBOX_SERVE_GRADEBOOK",
             "prefix": "SANDBOX_SERVE_PREFIX", "max_body_mb": "SANDBOX_SERVE_MAX_BODY_MB"}


class SqliteWorkersError(SandboxError):
    """`sandbox serve --workers N` (N > 1) asked of a SQLite gradebook."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"多个服务进程（--workers）只能共用 PostgreSQL 成绩册，{url} 是 SQLite 文件：请用 --workers 1，"
            "或用 --gradebook postgresql+psycopg://… 指定 PostgreSQL（见 docs/deploy.md）",
            f"several server processes (--workers) need a PostgreSQL gradebook and {url} is a SQLite "
            "file; serve it with --workers 1, or give --gradebook postgresql+psycopg://… "
            "(see docs/deploy.md)")


def check_workers(classroom: Classroom, workers: int) -> None:
    """Several processes share one class through its gradebook's log, which only PostgreSQL
    serialises across processes: SQLite is refused with more than one (SqliteWorkersError)."""
    if workers > 1 and classroom.gradebook.is_sqlite:
        raise SqliteWorkersError(classroom.gradebook.url)


def serve(classroom: Classroom, host: str = "127.0.0.1", port: int = 8765, prefix: str | None = None,
          max_body_mb: float = DEFAULT_MAX_BODY_MB, workers: int = 1) -> None:
    """Run the class server until interrupted (Ctrl-C). As a JupyterHub service the API
    lives under $JUPYTERHUB_SERVICE_PREFIX unless `prefix` says otherwise. With `workers` > 1,
    that many processes serve the class from one PostgreSQL gradebook (any of them any trainee:
    the gradebook's log is the truth, each process's attempts only a cache of it)."""
    import uvicorn

    if prefix is None:
        prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "")
    check_workers(classroom, workers)
    if host not in LOOPBACK_HOSTS:
        log.warning("listening on %s: tokens travel in plain HTTP; put the server behind "
                    "TLS (e.g. the JupyterHub proxy, see docs/deploy.md)", host)
    if workers == 1:
        uvicorn.run(create_app(classroom, prefix, max_body_mb), host=host, port=port, log_level="info",
                    timeout_keep_alive=KEEP_ALIVE_S)
        return
    os.environ.update({SERVE_ENV["class_file"]: str(classroom.config.path),
                       SERVE_ENV["gradebook"]: classroom.config.gradebook_url,
                       SERVE_ENV["prefix"]: prefix, SERVE_ENV["max_body_mb"]: repr(max_body_mb)})
    uvicorn.run("sandbox.classmode.server:app_from_environment", factory=True, workers=workers,
                host=host, port=port, log_level="info", timeout_keep_alive=KEEP_ALIVE_S)


def app_from_environment() -> FastAPI:
    """The class's app in one of `sandbox serve --workers N`'s processes (uvicorn's factory)."""
    classroom = Classroom.open(os.environ[SERVE_ENV["class_file"]], os.environ[SERVE_ENV["gradebook"]])
    return create_app(classroom, os.environ[SERVE_ENV["prefix"]], float(os.environ[SERVE_ENV["max_body_mb"]]))


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
