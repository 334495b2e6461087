"""Health route: which backend serves the API and whether it answers (no token needed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from orglink.api.deps import context
from orglink.api.schemas import Health
from orglink.graph.store import StoreUnavailable

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="健康检查",
            responses={503: {"model": Health, "description": "后端不可达"}})
def health(request: Request) -> Health | JSONResponse:
    """The backend and its reachability: 200 if it answers, 503 (reachable false) if not."""
    holder = context(request).holder
    try:
        info = holder.get().ping()
    except StoreUnavailable as exc:
        holder.invalidate()
        body = Health(status="unavailable", backend=holder.backend, reachable=False, detail=str(exc))
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", backend=holder.backend, reachable=True, detail=info)
