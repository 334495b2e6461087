"""The orglink HTTP API: ``create_app(store_config, tokens)`` builds the FastAPI application.

Everything lives under ``/api/v1``; OpenAPI at ``/docs`` (and ``/openapi.json``). Routes are
thin: they check the caller's role and scope and call the functions the CLI calls. Errors:

* no or unknown token → 401; outside the token's role or scope → 403;
* unknown need/unit/plan → 404; bad body or query (pydantic, or an unknown community, grid,
  category, resource, unit) → 422 naming the field; a body over 64 KB → 413;
* a need in the wrong state, or a resource without capacity left → 409 with ``current``;
* the backend unreachable → 503 (the store is reopened on the next request).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from orglink.api import health, needs, plans, territory
from orglink.api.deps import Context, StoreHolder
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

    app = FastAPI(
        title="orglink API",
        version="1",
        summary="党建引领基层治理：需求—资源就近配对（居民点单、网格接单、党组织派单）",
        description=(__doc__ or "").split("\n\n", 1)[1],
        docs_url="/docs",
        redoc_url=None,
        max_body_size=MAX_BODY_BYTES,
        lifespan=lifespan,
    )
    app.state.ctx = Context(holder=holder, tokens=token_file, clock=clock, keep_plans=config.keep_plans)

    api = APIRouter(prefix=API_PREFIX)
    for module in (health, territory, needs, plans):
        api.include_router(module.router)
    app.include_router(api)
    _install_error_handlers(app, holder)
    return app


def _problem(status: int, detail: object, **extra: object) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status)


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

    @app.exception_handler(ReportError)
    async def report_error(request: Request, exc: ReportError) -> JSONResponse:
        return _problem(409, str(exc))

    @app.exception_handler(TokenError)
    async def token_error(request: Request, exc: TokenError) -> JSONResponse:
        return _problem(500, f"令牌文件有误：{exc}")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        return _problem(500, str(exc))


def app_from_env() -> FastAPI:
    """The app configured from the environment only (``ORGLINK_BACKEND``, ``ORGLINK_STORE``,
    ``NEO4J_*``, ``ORGLINK_TOKENS``): the factory uvicorn worker processes import
    (``uvicorn --factory orglink.api.app:app_from_env``)."""
    return create_app(load_settings(), None)
