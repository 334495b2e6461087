"""Community-worker routes: training classes (培训) and a community's work cycle (四点一线).

The training classes are district-wide (the organisation department's and the streets'
classes for every community worker): every role sees them. A community's 四点一线 is area
data: a scoped token sees only the communities of its area; another community answers 404,
with the same text as one that does not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from orglink.api.access import Area
from orglink.api.deps import AreaDep, StoreDep
from orglink.api.offload import read_with
from orglink.api.schemas import Id, Problem
from orglink.graph.store import NotFound, Store
from orglink.training import KIND_INPUT, TrainingInputError, training_kind, trainings, work_cycle

router = APIRouter(tags=["community workers"])

YearQ = Annotated[int | None, Query(ge=1900, le=2999, description="年度，如 2024")]


class Training(BaseModel):
    """A training class (培训班) with the unit or party organisation that organised it (主办)."""

    id: str
    title: str | None = None
    kind: str | None = None
    kind_zh: str | None = None
    held_on: str | None = None
    person_times: int | None = None
    organiser: str | None = None
    organiser_name: str | None = None
    organiser_kind: str | None = None


class TrainingTotal(BaseModel):
    """Classes and person-times (人次) of one kind of training."""

    kind: str
    kind_zh: str
    classes: int
    person_times: int


class TrainingList(BaseModel):
    """The classes asked for, by date, and the totals per kind."""

    kind: str | None = None
    year: int | None = None
    items: list[Training]
    totals: list[TrainingTotal]


class StageRecord(BaseModel):
    """One record of a stage: when it took place and what was done."""

    id: str
    held_on: str | None = None
    note: str | None = None


class Stage(BaseModel):
    """One stage of 四点一线, in order (1 年初抓计划 … 4 年底抓述职)."""

    position: int
    stage: str
    stage_zh: str
    done: bool
    records: list[StageRecord]


class WorkCycle(BaseModel):
    """A community's 四点一线 for one year, with the stages missing."""

    community: str
    community_name: str | None = None
    year: int | None = None
    stages: list[Stage]
    missing: list[str]
    missing_zh: list[str]


def community_missing(community_id: str) -> NotFound:
    """The one answer for a community that does not exist or lies outside the caller's area."""
    return NotFound(f"社区不存在或不在本令牌范围内：{community_id}")


@router.get("/trainings", response_model=TrainingList, summary="社区工作者培训（主题培训、考前培训）")
async def list_trainings(store: StoreDep, area: AreaDep,
                         kind: Annotated[str | None, Query(max_length=20,
                                                           description="themed/主题培训 或 exam/考前培训",
                                                           json_schema_extra={"enum": list(KIND_INPUT)})] = None,
                         year: YearQ = None) -> dict[str, Any]:
    """The training classes with their date, person-times and organiser, by date, and the
    classes and person-times per kind. District-wide: every role sees all of them."""
    del area  # district-wide data: the area is resolved (as for every route) but not needed
    try:
        wanted = training_kind(kind)
    except TrainingInputError as exc:
        raise HTTPException(422, [{"loc": ["query", "kind"], "msg": str(exc), "type": "value_error"}]) from None
    return await read_with(store, trainings, store, wanted, year)


@router.get("/communities/{community_id}/cycle", response_model=WorkCycle, summary="社区四点一线",
            responses={404: {"model": Problem, "description": "社区不存在或不在令牌范围内"}})
async def community_cycle(community_id: Id, store: StoreDep, area: AreaDep, year: YearQ = None) -> dict[str, Any]:
    """The community's 四点一线 (年初抓计划—年中抓自查—平时抓指导—年底抓述职) for ``year``
    (default: the latest year with records): the four stages in order with their records,
    and the stages missing."""
    return await read_with(store, _cycle, store, area, community_id, year)


def _cycle(store: Store, area: Area, community_id: str, year: int | None) -> dict[str, Any]:
    if not area.sees_community(community_id):
        raise community_missing(community_id)
    data = work_cycle(store, community_id, year)
    if data is None:
        raise community_missing(community_id)
    return data
