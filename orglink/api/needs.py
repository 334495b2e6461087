"""Need routes: list, order (点单), detail, matches, and the lifecycle actions.

Each action calls the function of :mod:`orglink.lifecycle` the CLI calls; the write itself is
one atomic named query, so a need in the wrong state is a 409 carrying its current state.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from orglink import lifecycle, queries
from orglink.api.access import (
    Area,
    check_filter,
    check_need_read,
    check_need_write,
    check_role,
    forbid,
    need_missing,
)
from orglink.api.deps import AreaDep, StoreDep, context
from orglink.api.offload import read_with
from orglink.api.schemas import (
    CATEGORY_NAMES,
    STATUS_NAMES,
    AnswerIn,
    CompleteIn,
    DispatchIn,
    EscalateIn,
    Id,
    NeedCreate,
    NeedDetail,
    NeedPage,
    Problem,
    SafeLine,
)
from orglink.assessment import due_policy
from orglink.clock import china_now
from orglink.deadlines import deadline
from orglink.graph.model import URGENCIES
from orglink.graph.store import NotFound, Store
from orglink.matching.nearest import NeedMatch, match_need

router = APIRouter(prefix="/needs", tags=["needs"])

ALL_ROWS = 1_000_000
"""A limit above any district's needs: the list is filtered and paged in Python."""

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": Problem, "description": "需求当前状态不允许此操作（current 为当前状态）"}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "需求不存在或不在令牌范围内"}}


def _query_error(field: str, exc: ValueError) -> HTTPException:
    return HTTPException(422, [{"loc": ["query", field], "msg": str(exc), "type": "value_error"}])


@router.get("", response_model=NeedPage, summary="需求列表（分页）")
async def list_needs(
    request: Request, store: StoreDep, area: AreaDep,
    status: Annotated[SafeLine | None, Query(max_length=20, description="状态：ordered/accepted/… 或中文",
                                             json_schema_extra={"enum": STATUS_NAMES})] = None,
    community: Annotated[Id | None, Query(description="社区编号")] = None,
    category: Annotated[SafeLine | None, Query(max_length=40, description="类别：中文名或英文名",
                                               json_schema_extra={"enum": CATEGORY_NAMES})] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    overdue: Annotated[bool, Query(description="只列逾期未办结的需求（督办）")] = False,
    street: Annotated[Id | None, Query(description="街道编号")] = None,
    urgency: Annotated[SafeLine | None, Query(
        max_length=10, description="紧急程度：urgent/pressing/normal 或中文（紧急/较急/一般）",
        json_schema_extra={"enum": [*URGENCIES, *URGENCIES.values()]})] = None,
    q: Annotated[SafeLine | None, Query(max_length=40, description="按需求名称检索（包含此文字）")] = None,
) -> dict:
    """Needs the caller may see, filtered and one page at a time (ordered by id), each with its
    deadline (``due_on``) and whether it is ``overdue``; ``overdue=true``: the 督办 list.
    ``street``, ``community``, ``status``, ``category``, ``urgency`` filter; ``q`` keeps the needs
    whose title contains it."""
    return await read_with(store, _list_needs, store, area, status, community, category, page, page_size,
                           overdue, context(request).clock(), street=street, urgency=urgency, text=q)


def overdue_items(store: Store, area: Area, now: dt.datetime | None = None) -> list[dict]:
    """Every overdue need the caller may see (督办), by id."""
    return _list_needs(store, area, None, None, None, 1, ALL_ROWS, True, now)["items"]


def _list_needs(store: Store, area: Area, status: str | None, community: str | None,
                category: str | None, page: int, page_size: int, overdue: bool = False,
                now: dt.datetime | None = None, *, street: str | None = None,
                urgency: str | None = None, text: str | None = None) -> dict:
    try:
        status = lifecycle.status_value(status) if status is not None else None
    except ValueError as exc:
        raise _query_error("status", exc) from None
    try:
        category = lifecycle.category_value(category) if category is not None else None
    except ValueError as exc:
        raise _query_error("category", exc) from None
    try:
        urgency = lifecycle.urgency_value(urgency) if urgency is not None else None
    except ValueError as exc:
        raise _query_error("urgency", exc) from None
    if community is not None or street is not None:
        check_filter(store, area, street, community)
    text = text.strip() if text else None
    # filters the query cannot express: page here
    in_python = overdue or area.department or urgency is not None or bool(text)
    skip, limit = (0, ALL_ROWS) if in_python else ((page - 1) * page_size, page_size)
    scope = area.need_params()
    if street is not None:  # within the area's own restriction: both hold
        scope["street_ids"] = [street] if scope["street_ids"] is None else sorted({street} & set(scope["street_ids"]))
    [row] = queries.list_needs(store, status=status, community=community, category=category,
                               skip=skip, limit=limit, **scope)
    items = row["items"]
    if urgency is not None:
        items = [i for i in items if i.get("urgency") == urgency]
    if text:
        items = [i for i in items if text in (i.get("title") or "")]
    if area.department:  # an addressed whistle reaches only the departments it called
        items = [i for i in items if area.sees_need({**i, "escalated": True})]
    policy, today = due_policy(), (now or china_now()).date()
    timelines = {r["id"]: r for r in queries.need_timelines(store)} if items else {}
    for i in items:
        d = deadline(timelines.get(i["id"], i), policy)
        i["due_on"], i["overdue"] = (d.due_on.isoformat() if d.due_on else None), d.overdue(today)
    if overdue:
        items = [i for i in items if i["overdue"]]
    total = len(items) if in_python else row["total"]
    if in_python:
        items = items[(page - 1) * page_size: page * page_size]
    return {"total": total, "page": page, "page_size": page_size, "items": items}


def _place_for(store: Store, area: Area, need_id: str, action: str | None = None) -> dict:
    """The need's place once the caller may act on it: 403 for a role that may not take
    ``action`` (before the id is looked at), 404 alike for a missing need and one outside the area."""
    if action is not None:
        check_role(area, action)
    try:
        place = lifecycle.need_place(store, need_id)
    except NotFound:
        raise need_missing(need_id) from None
    if action is None:
        check_need_read(area, place)
    else:
        check_need_write(area, action, place)
    return place


@router.post("", response_model=NeedDetail, status_code=201, summary="点单：居民提出需求")
def create_need(body: NeedCreate, request: Request, store: StoreDep, area: AreaDep) -> dict:
    """A resident's order (点单) raised at a grid of a community, or at the community itself.

    The new need's id is the next ``N-YYYYMMDD-####`` of the day."""
    who = area.principal
    check_role(area, "create")
    if not area.whole and not area.sees_community(body.community):
        raise forbid(f"社区 {body.community} 不在本令牌的范围内")
    row = lifecycle.create_need(store, title=body.title, category=body.category,
                                community=body.community, grid=body.grid, quantity=body.quantity,
                                urgency=body.urgency, scope=body.scope, by=who.actor,
                                now=context(request).clock())
    return lifecycle.need_detail(store, row["id"])


@router.get("/{need_id}", response_model=NeedDetail, summary="需求详情与流转记录",
            responses=NOT_FOUND)
async def get_need(need_id: Id, store: StoreDep, area: AreaDep) -> dict:
    """One need with its place, dispatches, escalations, answers and audit trail."""
    return await read_with(store, _get_need, store, area, need_id)


def _get_need(store: Store, area: Area, need_id: str) -> dict:
    _place_for(store, area, need_id)
    return lifecycle.need_detail(store, need_id)


@router.get("/{need_id}/matches", response_model=NeedMatch, summary="最近的可办单位",
            responses=NOT_FOUND)
async def matches(need_id: Id, store: StoreDep, area: AreaDep,
                  top: Annotated[int, Query(ge=1, le=50, description="单位数（resources=true 时为行数）")] = 5,
                  resources: Annotated[bool, Query(description="每个（单位，资源）一行，而非每个单位一行")] = False,
                  ) -> NeedMatch:
    """The need and its nearest units, each with its best resource, capacity left (after
    dispatches; ``planned``: promised by the newest stored plan) and path — the JSON of
    ``orglink match --json`` (``resources=true``: of ``--resources``)."""
    return await read_with(store, _matches, store, area, need_id, top, resources)


def _matches(store: Store, area: Area, need_id: str, top: int, resources: bool) -> NeedMatch:
    _place_for(store, area, need_id)
    return match_need(store, need_id, top=top, per_unit=not resources)


@router.post("/{need_id}/accept", response_model=NeedDetail, summary="接单",
             responses={**NOT_FOUND, **CONFLICT})
def accept(need_id: Id, request: Request, store: StoreDep, area: AreaDep) -> dict:
    """接单: the grid takes an ordered need."""
    who = area.principal
    _place_for(store, area, need_id, "accept")
    lifecycle.accept(store, need_id, by=who.actor, now=context(request).clock())
    return lifecycle.need_detail(store, need_id)


@router.post("/{need_id}/dispatch", response_model=NeedDetail, summary="派单",
             responses={**NOT_FOUND, **CONFLICT})
def dispatch(need_id: Id, body: DispatchIn, request: Request, store: StoreDep, area: AreaDep) -> dict:
    """派单: assign the need to a resource; 409 if the resource has not enough capacity left."""
    who = area.principal
    _place_for(store, area, need_id, "dispatch")
    if body.override_reason is not None and who.role != "district":
        raise forbid("只有区级令牌可以越出服务范围派单")
    lifecycle.dispatch(store, need_id, body.resource_id, body.quantity, by=who.actor,
                       now=context(request).clock(), override=body.override_reason)
    return lifecycle.need_detail(store, need_id)


@router.post("/{need_id}/complete", response_model=NeedDetail, summary="办结（双报告）",
             responses={**NOT_FOUND, **CONFLICT})
def complete(need_id: Id, body: CompleteIn, request: Request, store: StoreDep, area: AreaDep) -> dict:
    """办结 with the report-back text (双报告)."""
    who = area.principal
    _place_for(store, area, need_id, "complete")
    lifecycle.complete(store, need_id, body.report, by=who.actor, evaluation=body.evaluation,
                       evaluation_note=body.evaluation_note, now=context(request).clock())
    return lifecycle.need_detail(store, need_id)


@router.post("/{need_id}/escalate", response_model=NeedDetail, summary="吹哨：上报街道",
             responses={**NOT_FOUND, **CONFLICT})
def escalate(need_id: Id, request: Request, store: StoreDep, area: AreaDep,
             body: EscalateIn | None = None) -> dict:
    """吹哨: raise the need to its street, which calls the departments in."""
    who = area.principal
    _place_for(store, area, need_id, "escalate")
    lifecycle.escalate(store, need_id, by=who.actor, note=body.note if body else None,
                       departments=body.departments if body else None, now=context(request).clock())
    return lifecycle.need_detail(store, need_id)


@router.post("/{need_id}/answer", response_model=NeedDetail, summary="部门报到",
             responses={**NOT_FOUND, **CONFLICT})
def answer(need_id: Id, request: Request, store: StoreDep, area: AreaDep,
           body: AnswerIn | None = None) -> dict:
    """报到: a district department answers an escalated need (one escalated in a street its
    cadres report to, for a department token)."""
    who = area.principal
    _place_for(store, area, need_id, "answer")
    unit_id = body.unit_id if body else None
    if who.role == "department":
        if unit_id is not None and unit_id != who.scope_id:
            raise forbid(f"区直部门令牌只能以本单位 {who.scope_id} 报到")
        unit_id = who.scope_id
    if unit_id is None:
        raise HTTPException(422, [{"loc": ["body", "unit_id"], "msg": "需要报到单位 unit_id",
                                   "type": "missing"}])
    lifecycle.answer(store, need_id, unit_id, by=who.actor, note=body.note if body else None,
                     now=context(request).clock())
    return lifecycle.need_detail(store, need_id)
