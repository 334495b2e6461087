"""The errors every ``/api/v1`` route may answer, documented once, and the framework's own
errors made to look like ours.

:data:`COMMON_RESPONSES` is passed where ``create_app`` includes the routers, so every guarded
route documents 400, 401, 403, 413, 422 and 503 with the body the handlers really send; the
route-specific ones (404 for ids, 409 for lifecycle writes and stale reports) stay on the
routes. Every error body is ``{"detail": "..."}`` (:class:`~orglink.api.schemas.Problem`) but
422, whose ``detail`` is a list of issues each naming its field in ``loc``
(:class:`~orglink.api.schemas.ValidationProblem`).

Framework errors are answered in Chinese and as JSON too: a body that is not UTF-8 or that the
JSON parser gives up on (400; :class:`BodyGuard` for the first), an unknown path (404), a method
the path does not take (405, with an ``Allow`` header listing every method of the path, not only
those of its first route) and a body over the limit (413, :class:`BodyGuard`, in place of
Starlette's plain-text answer).
"""

from __future__ import annotations

import codecs
import json
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orglink.api.schemas import Problem, ValidationProblem

NOT_UTF8 = "请求体不是 UTF-8 编码，无法解析"
UNPARSABLE = "请求体无法解析（JSON 嵌套过深或读取失败）"
TOO_LARGE = "请求体过大：不得超过 {limit} KB"

COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "请求体无法解析：不是 UTF-8 编码，或 JSON 嵌套过深"},
    401: {"model": Problem, "description": "缺少令牌，或令牌无效、已过期",
          "headers": {"WWW-Authenticate": {"description": "Bearer（令牌无效时带 error=\"invalid_token\"）",
                                           "required": True, "schema": {"type": "string"}}}},
    403: {"model": Problem, "description": "超出令牌的角色或范围"},
    413: {"model": Problem, "description": "请求体超过 64 KB"},
    422: {"model": ValidationProblem, "description": "请求体或查询参数无效（loc 指明字段）"},
    503: {"model": Problem, "description": "令牌文件无法读取，或图存储暂不可用（下一次请求会重新打开存储）"},
}
"""The statuses every route under ``/api/v1`` but ``/health`` may answer, with their bodies."""

_FRAMEWORK_TEXT = {400: UNPARSABLE, 404: "路径不存在", 405: "该路径不支持此请求方法"}
"""Chinese text for the errors the framework raises itself, with English text: a body its JSON
parser gives up on (400: nested too deep), an unknown path (404), a method the path does not
take (405). The app's own errors already speak Chinese."""


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method the routes of ``app`` take at ``path``, sorted (FastAPI's routes do not add
    HEAD to a GET, so neither does this)."""
    methods: set[str] = set()
    for rc in iter_route_contexts(app.routes):
        route = rc.original_route
        if isinstance(route, APIRoute) and rc.path and compile_path(rc.path)[0].match(path):
            methods |= set(route.methods or ())
    return sorted(methods)


async def http_problem(request: Request, exc: Exception) -> Response:
    """An :class:`HTTPException` as ``{"detail": ...}``: the framework's own 400, 404 and 405 in
    Chinese (405 with an ``Allow`` naming every method of the path), the rest as FastAPI
    answers them (their headers, e.g. ``WWW-Authenticate``, kept)."""
    assert isinstance(exc, StarletteHTTPException)
    text = _FRAMEWORK_TEXT.get(exc.status_code)
    if text is None or not (isinstance(exc.detail, str) and exc.detail.isascii()):
        return await http_exception_handler(request, exc)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
    return JSONResponse({"detail": text}, status_code=exc.status_code, headers=headers)


def install_http_problems(app: FastAPI) -> None:
    """Answer every :class:`HTTPException` with :func:`http_problem`."""
    app.add_exception_handler(StarletteHTTPException, http_problem)


class BodyTooLarge(HTTPException):
    """Raised while a route reads a body over the limit (answered 413 by :func:`http_problem`)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, TOO_LARGE.format(limit=limit // 1024))


class BodyNotUtf8(HTTPException):
    """Raised while a route reads a body that is not UTF-8 (answered 400)."""

    def __init__(self) -> None:
        super().__init__(400, NOT_UTF8)


class BodyGuard:
    """ASGI middleware guarding what a route reads of the request body.

    * over ``max_bytes``: 413, as soon as the route reads it (at once when ``Content-Length``
      already says so, else when the bytes received pass the limit);
    * not UTF-8 (JSON's only encoding, RFC 8259): 400, whatever the bytes (a UTF-16 body with
      its byte-order mark too, which Python's JSON parser would take). An encoded surrogate is
      let through as the parser lets it through, to be refused as a lone surrogate (422 naming
      the field);
    * UTF-8 that the parser would take for UTF-16 or UTF-32 (a NUL among the first four bytes):
      not JSON, so the 422 of any other UTF-8 body that is not JSON.

    A route that takes no body never reads one, so it never answers either (``/health``
    included)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a ``receive`` that counts and decodes the body's bytes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        received = 0
        utf8 = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        head = b""

        async def guarded() -> Message:
            nonlocal received, head
            if declared is not None and declared > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
                final = not message.get("more_body", False)
                try:
                    utf8.decode(chunk, final=final)
                except UnicodeDecodeError:
                    raise BodyNotUtf8() from None
                if len(head) < 4:
                    head += chunk[:4 - len(head)]
                    if (len(head) == 4 or final) and head and json.detect_encoding(head) not in ("utf-8", "utf-8-sig"):
                        raise _not_json()
            return message

        await self.app(scope, guarded, send)


def _not_json() -> HTTPException:
    """The 422 of a UTF-8 body with a NUL among its first bytes, which Python's JSON parser would
    read as UTF-16 or UTF-32: as UTF-8 it is not JSON (FastAPI's own ``json_invalid`` error)."""
    return HTTPException(422, [{"type": "json_invalid", "loc": ["body", 0], "msg": "JSON decode error",
                                "input": {}, "ctx": {"error": "请求体不是 JSON（开头含 NUL 字符）"}}])


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
