"""Plan and report routes: run the pairing plan, read a stored one, download the report."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from orglink.api.access import require_district, require_whole_district
from orglink.api.deps import AreaDep, StoreDep, context
from orglink.api.schemas import Id, PlanDeleted, PlanIn, Problem, StoredPlan
from orglink.matching.plan import delete_stored_plan, run_plan, stored_plans
from orglink.matching.types import PlanResult
from orglink.matching.whatif import Scenario, WhatIf, what_if
from orglink.report import HTML_NAME, XLSX_NAME, write_report
from orglink.report.stored import stored_plan

router = APIRouter(tags=["plans"])

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLAN_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "方案不存在"}}
STALE_PLAN: dict[int | str, dict[str, Any]] = {
    409: {"model": Problem, "description": "已存方案与图中当前数据不符，无法生成报告"}}


@router.post("/plans", response_model=PlanResult, summary="生成配对方案")
def create_plan(request: Request, store: StoreDep, area: AreaDep, body: PlanIn | None = None) -> PlanResult:
    """Pair every open need at once (min-cost flow); stored unless ``write`` is false (the store
    then keeps the newest ``ORGLINK_KEEP_PLANS`` plans)."""
    require_district(area)
    body = body or PlanIn()
    ctx = context(request)
    result = run_plan(store, plan_id=body.plan_id, write=body.write, now=ctx.clock(), keep=ctx.keep_plans)
    # a plan not stored has no id to read back (GET /plans/{plan_id} would be 404)
    return result if body.write else result.model_copy(update={"plan_id": None})


@router.get("/plans", response_model=list[StoredPlan], summary="已存方案列表")
def list_plans(store: StoreDep, area: AreaDep) -> list[StoredPlan]:
    """The stored plans, newest first: when each was made, its needs met and unmet, its assignments."""
    require_whole_district(area)
    return [StoredPlan(**row) for row in stored_plans(store)]


@router.delete("/plans/{plan_id}", response_model=PlanDeleted, summary="删除方案",
               responses=PLAN_NOT_FOUND)
def delete_plan(plan_id: Id, store: StoreDep, area: AreaDep) -> PlanDeleted:
    """Delete a stored plan: its record and all its assignments (MATCHED_TO)."""
    require_district(area)
    return PlanDeleted(id=plan_id, deleted=delete_stored_plan(store, plan_id))


@router.get("/plans/{plan_id}", response_model=PlanResult, summary="已存方案",
            responses=PLAN_NOT_FOUND)
def get_plan(plan_id: Id, store: StoreDep, area: AreaDep) -> PlanResult:
    """A stored plan: its assignments and what it leaves unmet."""
    require_whole_district(area)
    return stored_plan(store, plan_id)


@router.post("/whatif", response_model=WhatIf, summary="推演：撤出单位、调整容量、需求激增")
def whatif(body: Scenario, store: StoreDep, area: AreaDep) -> WhatIf:
    """Plan the scenario (units withdrawn, capacities set, categories' demand multiplied)
    without writing anything and compare it with the current plan: needs newly unmet (with
    the reason) and newly met, needs reassigned, and totals per street and category before
    and after (as ``orglink whatif --json``). District-wide tokens only."""
    require_whole_district(area)
    try:
        return what_if(store, body)
    except ValueError as exc:
        raise HTTPException(422, [{"loc": ["body"], "msg": str(exc), "type": "value_error"}]) from None


PlanQ = Annotated[Id | None, Query(description="已存方案编号；不给则按当前数据规划（不写入）")]


def _report(store: StoreDep, plan_id: str | None, name: str) -> bytes:
    plan = stored_plan(store, plan_id) if plan_id is not None else run_plan(store, write=False)
    with tempfile.TemporaryDirectory(prefix="orglink-report-") as tmp:
        write_report(store, plan, tmp)
        return (Path(tmp) / name).read_bytes()


@router.get("/reports/pairing.xlsx", summary="配对报告（Excel）", response_class=Response,
            responses={200: {"content": {XLSX_TYPE: {}}}, **PLAN_NOT_FOUND, **STALE_PLAN})
def report_xlsx(store: StoreDep, area: AreaDep, plan_id: PlanQ = None) -> Response:
    """The pairing report workbook of a stored plan, or of planning the current data now."""
    require_whole_district(area)
    return Response(_report(store, plan_id, XLSX_NAME), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="pairing-report.xlsx"'})


@router.get("/reports/pairing.html", summary="配对报告（网页）", response_class=Response,
            responses={200: {"content": {"text/html": {}}}, **PLAN_NOT_FOUND, **STALE_PLAN})
def report_html(store: StoreDep, area: AreaDep, plan_id: PlanQ = None) -> Response:
    """The pairing report page of a stored plan, or of planning the current data now."""
    require_whole_district(area)
    return Response(_report(store, plan_id, HTML_NAME), media_type="text/html; charset=utf-8")
