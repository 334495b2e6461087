"""督办 and 考核 routes: the monthly assessment of departments and communities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from orglink.api.deps import AreaDep, StoreDep, context
from orglink.api.offload import read_with
from orglink.assessment import assessment, month_value
from orglink.graph.store import Store

router = APIRouter(tags=["assessment"])


@router.get("/assessment", summary="月度考核（部门与社区）")
async def monthly_assessment(request: Request, store: StoreDep, area: AreaDep,
                             month: Annotated[str, Query(min_length=7, max_length=7, pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                                                         description="考核月份 YYYY-MM")]) -> dict[str, Any]:
    """Per department and community, of the needs raised in ``month``: received, closed, closed
    on time, average days, overdue, evaluations (as ``orglink assessment --json``). A district
    token sees every row; a street or community token the rows of its communities; a
    department token its own row."""
    try:
        month = month_value(month)
    except ValueError as exc:
        raise HTTPException(422, [{"loc": ["query", "month"], "msg": str(exc), "type": "value_error"}]) from None
    today = context(request).clock().date()
    result = await read_with(store, _assessment, store, month, today)
    if not area.whole:
        own = area.principal.scope_id if area.department else None
        result["departments"] = [r for r in result["departments"] if r["id"] == own]
        result["communities"] = [r for r in result["communities"] if area.sees_community(r["id"])]
    return result


def _assessment(store: Store, month: str, today: Any) -> dict[str, Any]:
    return assessment(store, month, today=today)
