"""The workbench's overview (总览): the current plan of the caller's area and its overdue needs."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel

from orglink.api.access import Area
from orglink.api.deps import AreaDep, StoreDep, context
from orglink.api.needs import overdue_items
from orglink.api.offload import read_with
from orglink.api.schemas import NeedSummary
from orglink.graph.store import Store
from orglink.overview import PlanOverview, plan_overview

router = APIRouter(tags=["overview"])

OVERDUE_SHOWN = 20


class Overview(BaseModel):
    """The area's current plan (None for a department: it sees escalated needs, not a plan),
    and its overdue needs (督办): how many, and the first ones by id."""

    plan: PlanOverview | None
    overdue_total: int
    overdue: list[NeedSummary]


@router.get("/overview", response_model=Overview, summary="总览：本范围的配对情况与逾期事项")
async def overview(request: Request, store: StoreDep, area: AreaDep) -> Overview:
    """The current plan (planned now for the district, not written) restricted to the caller's
    area — per street for the district, per community for a street or community token — with
    the shortfall by category and the unmet needs by reason; and the overdue needs it sees."""
    return await read_with(store, _overview, store, area, context(request).clock())


def _overview(store: Store, area: Area, now: dt.datetime) -> Overview:
    plan = None if area.department else plan_overview(store, None if area.whole else area.communities)
    items = overdue_items(store, area, now)
    return Overview(plan=plan, overdue_total=len(items),
                    overdue=[NeedSummary(**i) for i in items[:OVERDUE_SHOWN]])
