"""The orglink HTTP API: ``create_app(store_config, tokens)`` builds the FastAPI application.

Everything lives under ``/api/v1``; OpenAPI at ``/docs`` (and ``/openapi.json``). Routes are
thin: they check the caller's role and scope and call the functions the CLI calls. Errors:

* no or unknown token → 401; outside the token's role or scope → 403;
* unknown need/unit/plan → 404; bad body or query (pydantic, or an unknown community, grid,
  category, resource, unit; a control character or lone surrogate in a text) → 422 naming
  the field, whatever the input holds; a body that is not UTF-8 → 400; a body over 64 KB → 413;
* a need in the wrong state, or a resource without capacity left → 409 with ``current``;
* the token file unreadable, or the backend unreachable → 503 (the store is reopened on the next
  request).

Every operation documents these statuses with the bodies really sent (``orglink.api.errors``):
``{"detail": "…"}``, and for 422 a list of issues each naming its field in ``loc``.
"""

from __future__ import annotations

import math
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from orglink.api import assessment, health, me, needs, organisation, overview, plans, territory, training, web
from orglink.api.access import unguarded_routes
from orglink.api.deps import Context, StoreHolder, caller_area
from orglink.api.errors import COMMON_RESPONSES, BodyGuard, install_http_problems
from orglink.auth import TokenError, TokenFile
from orglink.clock import Clock, china_now
from orglink.graph.backends import backend_name, open_store
from orglink.graph.store import Conflict, NotFound, Store, StoreError, StoreUnavailable
from orglink.lifecycle import InputError
from orglink.report import ReportError
from orglink.settings import Settings, load_settings

API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 64 * 1024
"""Request bodies larger than this are refused with 413."""


def create_app(settings: Settings | None = None,
               tokens: TokenFile | str | os.PathLike | None = None, *,
               store_factory: Callable[[], Store] | None = None,
               clock: Clock = china_now) -> FastAPI:
    """The API over the store ``settings`` name (default: the environment's,
    :mod:`orglink.settings`), accepting the tokens in ``tokens``.

    ``tokens`` is a :class:`~orglink.auth.TokenFile` or its path (default ``settings.tokens``:
    ``$ORGLINK_TOKENS`` or ``./orglink-tokens.json``). ``store_factory`` (tests) replaces
    opening the store; ``clock`` gives the time stamped on lifecycle actions.
    """
    config = settings or load_settings()
    backend = backend_name(config)
    factory = store_factory or (lambda: open_store(config))
    token_file = tokens if isinstance(tokens, TokenFile) else TokenFile(
        Path(tokens) if tokens is not None else config.tokens)
    holder = StoreHolder(factory, backend)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        holder.close()

    # /docs and /redoc from the Swagger UI and ReDoc files packaged with fastapi-offline: no CDN
    app = FastAPIOffline(
        title="orglink API",
        version="1",
        summary="党建引领基层治理：需求—资源就近配对（居民点单、网格接单、党组织派单）",
        description=(__doc__ or "").split("\n\n", 1)[1],
        docs_url="/docs",
        redoc_url="/redoc",
        static_url="/static-docs",
        lifespan=lifespan,
    )
    app.state.ctx = Context(holder=holder, tokens=token_file, clock=clock, keep_plans=config.keep_plans,
                            office=config.office)

    api = APIRouter(prefix=API_PREFIX)
    api.include_router(health.router)  # open: documents only what it answers (200, 503)
    for module in (me, overview, territory, needs, plans, training, assessment, organisation):
        api.include_router(module.router, responses=COMMON_RESPONSES)
    app.include_router(api)
    web.install(app)  # the workbench page at / (static files only: every datum comes from /api/v1)
    forgotten = unguarded_routes(app, caller_area, API_PREFIX)
    if forgotten:  # every route goes through the access layer: one that does not is a bug
        raise RuntimeError("routes without the caller's area (orglink.api.deps.AreaDep): " + ", ".join(forgotten))
    _install_error_handlers(app, holder)
    install_http_problems(app)
    app.add_middleware(BodyGuard, max_bytes=MAX_BODY_BYTES)
    return app


def _problem(status: int, detail: object, **extra: object) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status)


_JSON_DEPTH = 32
"""How deep :func:`json_safe` follows nested input; deeper parts are replaced by a marker."""


def json_safe(value: object, depth: int = 0) -> object:
    """``value`` as plain JSON that encodes as UTF-8: dicts, lists, strings, finite numbers,
    booleans and ``None`` are kept; a string with a lone surrogate and bytes that are not UTF-8
    get backslash escapes; anything else (an exception in ``ctx``, NaN, a set) becomes its text."""
    if depth > _JSON_DEPTH:
        return "…"
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "backslashreplace")
    if isinstance(value, dict):
        return {str(json_safe(k if isinstance(k, str) else repr(k), depth + 1)): json_safe(v, depth + 1)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v, depth + 1) for v in value]
    if isinstance(value, BaseException):
        return json_safe(str(value), depth + 1)
    return json_safe(repr(value), depth + 1)


def validation_problem(exc: RequestValidationError) -> JSONResponse:
    """The 422 of a request pydantic refused: its errors (``loc`` naming the field) made
    :func:`json_safe`, so echoing hostile input cannot fail. Never raises."""
    try:
        return _problem(422, json_safe(list(exc.errors())))
    except Exception:  # the answer must not become a 500 whatever the errors hold
        return _problem(422, [{"loc": ["body"], "msg": "请求无效", "type": "value_error"}])


def _install_error_handlers(app: FastAPI, holder: StoreHolder) -> None:
    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        holder.invalidate()
        return _problem(503, f"图存储暂不可用：{exc}", backend=holder.backend)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return _problem(404, str(exc))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, exc: Conflict) -> JSONResponse:
        return _problem(409, str(exc), current=exc.current)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> JSONResponse:
        return _problem(422, [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_problem(exc)

    @app.exception_handler(ReportError)
    async def report_error(request: Request, exc: ReportError) -> JSONResponse:
        return _problem(409, str(exc))

    @app.exception_handler(TokenError)
    async def token_error(request: Request, exc: TokenError) -> JSONResponse:
        # the message names the token file: it goes to the server's log, never to the caller
        import logging

        logging.getLogger("orglink.api").error("令牌文件无法读取：%s", exc)
        return _problem(503, "令牌文件无法读取，请联系管理员")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        return _problem(500, str(exc))


def app_from_env() -> FastAPI:
    """The app configured from the environment only (``ORGLINK_BACKEND``, ``ORGLINK_STORE``,
    ``NEO4J_*``, ``ORGLINK_TOKENS``): the factory uvicorn worker processes import
    (``uvicorn --factory orglink.api.app:app_from_env``)."""
    return create_app(load_settings(), None)
