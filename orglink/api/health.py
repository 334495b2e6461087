"""Health route: which backend serves the API and whether it answers (no token needed).

The route is open, so it tells nothing private: no store path, no file path, no server URI
or user. ``detail`` keeps only harmless keys of :meth:`Store.ping` (the Neo4j server's
version, whether the embedded store has a file); a failure gives its short reason only
("无法连接 Neo4j"), and the full message goes to the server's log.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from orglink.api.deps import context
from orglink.api.schemas import Health
from orglink.graph.store import StoreError, StoreUnavailable

router = APIRouter(tags=["health"])
log = logging.getLogger("orglink.api")

SAFE_DETAIL_KEYS = ("server", "exists")
"""The keys of a store's ping() shown to anyone: the server's agent string
(``Neo4j/5.26.0``) and whether the embedded store's file exists."""

UNAVAILABLE = "图存储暂不可用"
"""The reason given when the failure's own short reason might name a place."""

_PRIVATE = re.compile(r"://|@|\\|(^|[\s(（：:=])[/~]")
_REASON_END = re.compile(r"[：（；(]")


def safe_detail(info: dict[str, Any]) -> dict[str, Any]:
    """The harmless part of a ping() result: :data:`SAFE_DETAIL_KEYS` with plain values that
    do not look like a path or URI."""
    out: dict[str, Any] = {}
    for key in SAFE_DETAIL_KEYS:
        value = info.get(key)
        if isinstance(value, bool | int) or (isinstance(value, str) and not _PRIVATE.search(value)):
            out[key] = value
    return out


def safe_reason(exc: Exception) -> str:
    """The short head of a store error ("无法连接 Neo4j", "Neo4j 认证失败"), or
    :data:`UNAVAILABLE` when that head could name a path, address, URI or user."""
    head = _REASON_END.split(str(exc), maxsplit=1)[0].strip()
    if not head or len(head) > 40 or any(c in head for c in "/\\:@，,"):
        return UNAVAILABLE
    return head


@router.get("/health", response_model=Health, summary="健康检查",
            responses={503: {"model": Health, "description": "后端不可达"}})
def health(request: Request) -> Health | JSONResponse:
    """The backend and its reachability: 200 if it answers, 503 (reachable false) if not or if
    the store cannot be read. Never a path, URI or credential (see the module)."""
    holder = context(request).holder
    try:
        info = holder.get().ping()
    except StoreError as exc:
        log.warning("健康检查失败：%s", exc)
        unavailable = isinstance(exc, StoreUnavailable)
        if unavailable:
            holder.invalidate()
        body = Health(status="unavailable" if unavailable else "error", backend=holder.backend,
                      reachable=False, detail=safe_reason(exc))
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", backend=holder.backend, reachable=True, detail=safe_detail(info))
