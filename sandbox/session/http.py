"""The trainee's side of class mode: a Session backend that talks to `sandbox serve`.

`Session.connect(url, token)` uses it; the notebook then calls exactly what it calls in
local mode. A user error on the server comes back as the same SandboxError message.

Every call carries an `Idempotency-Key` of its own, sent again unchanged when the call is
retried after a dropped connection, a timeout, a server restart or a proxy's "unavailable" page
(JupyterHub's proxy answers 503 while a replica restarts): the server answers a key it has seen
with the first answer and runs nothing twice (classmode/server.py).
"""

from __future__ import annotations

import json
import time
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from sandbox.common.limits import DEFAULT_MAX_BODY_MB
from sandbox.common.wire import decode, encode
from sandbox.errors import SandboxError

# Connecting is quick or broken; an action (a payout run) may compute for a while.
TIMEOUT = httpx.Timeout(120.0, connect=5.0)
# Waits before each retry of a call that never got an answer (a restart takes a few seconds).
RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0)
IDEMPOTENCY_HEADER = "Idempotency-Key"
# What a proxy in front (JupyterHub's configurable-http-proxy, an ingress) answers by itself,
# as a web page, when the class server behind it is down or restarting.
PROXY_UNAVAILABLE = frozenset({502, 503, 504})


class ClassServerError(SandboxError):
    """The class server refused or failed a request (bad token, not yours, unreachable)."""


class HttpBackend:
    """`Backend` over HTTP: POST /api/call with the trainee's bearer token."""

    def __init__(self, url: str, token: str, lang: str = "zh",
                 transport: httpx.BaseTransport | None = None, max_body_mb: float = DEFAULT_MAX_BODY_MB) -> None:
        token = "".join(unicodedata.normalize("NFKC", token or "").split())  # as typed or pasted
        if not token:
            raise ClassServerError("没有填写令牌（token）：请用培训老师发的单子上的令牌",
                                   "no token given; use the token from the sheet your trainer handed out")
        if not token.isascii():
            raise ClassServerError("令牌只有英文字母、数字和 - _：请照培训老师发的单子重新输入",
                                   "a token holds only letters, digits, - and _; type it again from the "
                                   "sheet your trainer handed out")
        self.url = url.rstrip("/")
        self.lang = lang
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS_S
        self.max_body_bytes = int(max_body_mb * 1024 * 1024)
        self._http = httpx.Client(base_url=self.url, timeout=TIMEOUT, transport=transport,
                                  headers={"Authorization": f"Bearer {token}"})

    def call(self, action: str, payload: dict | None = None) -> Any:
        body = json.dumps({"action": action, "payload": encode(payload or {}), "lang": self.lang},
                          ensure_ascii=False).encode("utf-8")
        if len(body) > self.max_body_bytes:  # refused here: nothing is uploaded, let alone retried
            size, limit = len(body) / 1024 / 1024, self.max_body_bytes / 1024 / 1024
            raise ClassServerError(f"要发送的内容有 {size:.1f} MB，超过班级服务器的上限 {limit:g} MB：请只发送需要的列和行",
                                   f"this request is {size:.1f} MB, over the class server's limit of {limit:g} MB; "
                                   "send only the columns and rows needed")
        key = uuid.uuid4().hex  # one per call, the same on every retry of it
        return decode(self._request("POST", "/api/call", content=body,
                                    headers={IDEMPOTENCY_HEADER: key, "Content-Type": "application/json"})["result"])

    def me(self) -> dict:
        """Who the token belongs to, and the id of their attempt once it exists."""
        return self._request("GET", "/api/me")

    def attempt_report(self, attempt_id: str) -> dict:
        return decode(self._request("GET", f"/api/attempts/{attempt_id}/report")["result"])

    def on_response(self, hook: Callable[[httpx.Response], None]) -> None:
        """Call `hook` with every response the server sends (an audit of what left the server)."""
        self._http.event_hooks["response"].append(hook)

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._send(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ClassServerError(f"连不上班级服务器 {self.url}（{exc}）：请核对地址，或问培训老师服务器是否在运行",
                                   f"cannot reach the class server at {self.url} ({exc}); "
                                   "check the address, or ask your trainer whether it runs") from None
        if response.status_code == 200:
            return response.json()
        raise _error_for(response, self.url)


    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The request, sent again while no answer comes back from the class server (no
        connection, or only a proxy's "unavailable" page): safe, since a POST carries its
        idempotency key and a GET changes nothing."""
        for delay in self.retry_delays:
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError:
                time.sleep(delay)
                continue
            if not _proxy_unavailable(response):
                return response
            time.sleep(delay)
        return self._http.request(method, path, **kwargs)


def _error_for(response: httpx.Response, url: str) -> SandboxError:
    message = _message(response)
    status = response.status_code
    if status == 413 and not _both(response)[0]:  # a proxy's own size limit, as a web page
        return SandboxError("要发送的内容超过了班级服务器前面的代理接受的上限（HTTP 413）：请发送小一些的表，"
                            "或请培训老师调高上限",
                            "what you sent is larger than the proxy in front of the class server "
                            "accepts (HTTP 413); send a smaller table, or ask your trainer to raise the limit")
    if status in (400, 413, 422):
        zh, en = _both(response)
        return SandboxError(zh, en) if zh else SandboxError(message)  # the words a local session shows
    if status in (401, 403):
        return ClassServerError(message)
    if _proxy_unavailable(response):
        return ClassServerError(
            f"班级服务器 {url} 暂时没有回应（HTTP {status}，可能正在重启）：请等半分钟再运行这个单元格；"
            "已经记下的工作都在",
            f"the class server at {url} did not answer (HTTP {status} from the proxy in front of "
            "it; it may be restarting); wait half a minute and run the cell again — your work so "
            "far is kept")
    if status == 503:  # not recorded, nothing changed: the server's own words say so (zh/en)
        zh, en = _both(response)
        return ClassServerError(zh, en) if zh else ClassServerError(message)
    return ClassServerError(f"班级服务器 {url} 出错（HTTP {status}）：{message}；你的工作已保存，请告诉培训老师",
                            f"the class server at {url} failed (HTTP {status}): {message}; "
                            "your work so far is kept — tell your trainer")


def _proxy_unavailable(response: httpx.Response) -> bool:
    """A 502/503/504 that is not the class server's own answer (that is JSON): the proxy in
    front got none from it. The call may still have run (a 504 while it computed); sent again
    with its key, it runs at most once and brings back its answer."""
    if response.status_code not in PROXY_UNAVAILABLE:
        return False
    return not response.headers.get("content-type", "").startswith("application/json")


def _both(response: httpx.Response) -> tuple[str, str]:
    """The error in Chinese and in English, as the server sent them ("" when it did not)."""
    try:
        body = response.json()
    except ValueError:
        return "", ""
    if isinstance(body, dict) and isinstance(body.get("zh"), str) and isinstance(body.get("en"), str):
        return body["zh"], body["en"]
    return "", ""


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:500] or response.reason_phrase
    if isinstance(body, dict) and "error" in body:
        return str(body["error"])
    if isinstance(body, dict) and "detail" in body:  # FastAPI's own request validation
        detail = body["detail"]
        if isinstance(detail, list):
            return "; ".join(f"{'.'.join(map(str, d.get('loc', [])))}: {d.get('msg')}" for d in detail)
        return str(detail)
    return str(body)[:500]
