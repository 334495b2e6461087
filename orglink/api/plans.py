"""Plan and report routes: run the pairing plan, read a stored one, download the report.

The report is the district's plan (made now, or a stored one), of the whole district or
restricted to a street or community (``?street=`` / ``?community=``): a district token or an
unscoped viewer chooses any area (default: the district); a street token its street (the
default) or a community in it; a community token its community; a department token none.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from orglink.api.access import Area, check_filter, forbid, require_district, require_whole_district, who_text
from orglink.api.deps import AreaDep, StoreDep, context
from orglink.api.schemas import Id, PlanDeleted, PlanIn, Problem, StoredPlan
from orglink.graph.store import Store
from orglink.matching.plan import delete_stored_plan, run_plan, stored_plans
from orglink.matching.types import PlanResult
from orglink.matching.whatif import Scenario, WhatIf, what_if
from orglink.report import AreaError, ReportArea, resolve_area, write_report
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
StreetQ = Annotated[Id | None, Query(description="只报告这个街道（编号）；街道令牌默认为本街道")]
CommunityQ = Annotated[Id | None, Query(description="只报告这个社区（编号）；社区令牌默认为本社区")]


def report_area(store: Store, area: Area, street: str | None, community: str | None) -> ReportArea | None:
    """The area a report may show the caller (None: the whole district).

    Whole district: the street or community asked, an unknown id 422 (as every territory
    filter), a community outside the street also asked 422. A street or community token (or
    a viewer scoped so): its own area by default, a part of it on request, anything else 403
    whether or not it exists. A department token: 403."""
    if area.department:
        raise forbid(f"{who_text(area.principal)}无权查看配对报告")
    check_filter(store, area, street, community)
    p = area.principal
    if not area.whole:
        if street is not None and (p.scope_kind != "street" or street != p.scope_id) and community is None:
            raise forbid(f"街道 {street} 不在{who_text(p)}的范围内")  # a community token asking for its street
        if street is None and community is None:
            street, community = (p.scope_id, None) if p.scope_kind == "street" else (None, p.scope_id)
    try:
        return resolve_area(store, street=street, community=community)
    except AreaError as exc:
        if not area.whole:  # its own scope is gone from the store: nothing it may see
            raise forbid(f"{who_text(p)}的范围在库中不存在") from None
        raise HTTPException(422, [{"loc": ["query", exc.field], "msg": str(exc), "type": "value_error"}]) from None


def _report(request: Request, store: Store, plan_id: str | None, where: ReportArea | None,
            html: bool) -> tuple[bytes, str]:
    """The report file's bytes and its dated name (``pairing-report[-AREA]-YYYY-MM-DD.xlsx``)."""
    plan = stored_plan(store, plan_id) if plan_id is not None else run_plan(store, write=False)
    with tempfile.TemporaryDirectory(prefix="orglink-report-") as tmp:
        ctx = context(request)
        files = write_report(store, plan, tmp, now=ctx.clock(), area=where, office=ctx.office)
        path = Path(files.dated_html if html else files.dated_xlsx)
        return path.read_bytes(), path.name


def _disposition(kind: str, name: str) -> dict[str, str]:
    return {"Content-Disposition": f'{kind}; filename="{name}"'}


@router.get("/reports/pairing.xlsx", summary="配对报告（Excel）", response_class=Response,
            responses={200: {"content": {XLSX_TYPE: {}}}, **PLAN_NOT_FOUND, **STALE_PLAN})
def report_xlsx(request: Request, store: StoreDep, area: AreaDep, plan_id: PlanQ = None,
                street: StreetQ = None, community: CommunityQ = None) -> Response:
    """The pairing report workbook of a stored plan, or of planning the current data now: of
    the district, or of the street or community asked (a street or community token: its own
    by default)."""
    where = report_area(store, area, street, community)
    body, name = _report(request, store, plan_id, where, html=False)
    return Response(body, media_type=XLSX_TYPE, headers=_disposition("attachment", name))


@router.get("/reports/pairing.html", summary="配对报告（网页）", response_class=Response,
            responses={200: {"content": {"text/html": {}}}, **PLAN_NOT_FOUND, **STALE_PLAN})
def report_html(request: Request, store: StoreDep, area: AreaDep, plan_id: PlanQ = None,
                street: StreetQ = None, community: CommunityQ = None) -> Response:
    """The pairing report page of a stored plan, or of planning the current data now: of the
    district, or of the street or community asked (as the workbook)."""
    where = report_area(store, area, street, community)
    body, name = _report(request, store, plan_id, where, html=True)
    return Response(body, media_type="text/html; charset=utf-8", headers=_disposition("inline", name))
