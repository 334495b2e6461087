"""Organisation routes (issue 13): the chain of a community, the members of a 大工委 /
联合党委, 四位一体, the nearest station to a grid, 双报到 of a department, and the figures.

Every route takes the caller's :class:`~orglink.api.access.Area`. A community, grid, party
organisation or unit outside it answers 404 with the same text as a missing one; of a unit a
scoped token sees only the cadres, matters and answers of its area. The figures are
district-wide results (403 for scoped tokens, as plans and reports).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from orglink import queries
from orglink.api.access import Area, check_filter, require_whole_district, unit_in_area, unit_missing
from orglink.api.deps import AreaDep, StoreDep
from orglink.api.offload import read_with
from orglink.api.schemas import Id, Problem
from orglink.graph.store import NotFound, Store
from orglink.organisation import (
    committee_view,
    community_chain_view,
    department_view,
    linkage_view,
    nearest_station_view,
    stations_view,
)
from orglink.stats import document_figure_values, figure_table

router = APIRouter(tags=["organisation"])

ServiceQ = Annotated[str | None, Query(
    max_length=32,
    description="只列出提供该服务的驿站：免费饮水/热饭/手机充电/无线网络/远程教育电视（或简称，如 充电）；"
                "其他服务名按原文匹配")]


def _missing(what: str) -> dict[int | str, dict[str, Any]]:
    return {404: {"model": Problem, "description": f"{what}不存在或不在令牌范围内"}}


def community_missing(community_id: str) -> NotFound:
    """The one answer for a community that does not exist or lies outside the caller's area."""
    return NotFound(f"社区不存在或不在本令牌范围内：{community_id}")


# -- response shapes -------------------------------------------------------------------------
class Named(BaseModel):
    """A party organisation: id and name."""

    id: str
    name: str | None = None


class DistrictCommittee(Named):
    """The district committee (区委) with the number of district departments under it."""

    departments: int


class ChainLevel(BaseModel):
    """One level of the chain and how many organisations it has for the community."""

    level: str
    label: str
    count: int


class ChainOrg(BaseModel):
    """A party organisation below the community committee, with the one leading it."""

    id: str
    name: str | None = None
    level: str | None = None
    parent_id: str | None = None


class Chain(BaseModel):
    """区委 — 区直部门 — 街道党工委, and the five-level chain of one community."""

    community_id: str
    community_name: str | None = None
    street_id: str | None = None
    street_name: str | None = None
    district_committee: DistrictCommittee | None = None
    working_committee: Named | None = None
    committee: Named | None = None
    levels: list[ChainLevel]
    orgs: list[ChainOrg]


class MemberUnit(BaseModel):
    """A member unit of a 大工委 / 联合党委."""

    id: str
    name: str | None = None
    kind: str | None = None
    department: bool
    resident: bool


class Committee(BaseModel):
    """A party organisation with its member units (MEMBER_OF) and the communities it covers."""

    id: str
    name: str | None = None
    level: str | None = None
    count: int
    members: list[MemberUnit]
    communities: list[str]


class Body(BaseModel):
    """A residents' committee, owners' committee or property company (四位一体)."""

    id: str
    name: str | None = None
    kind: str
    members: int | None = None
    party_members: int | None = None
    share: float | None = None
    led: bool


class Linkage(BaseModel):
    """四位一体 of one community; ``district_owners_party_share`` for district-wide tokens only."""

    community_id: str
    community_name: str | None = None
    committee_id: str | None = None
    committee_name: str | None = None
    bodies: list[Body]
    owners_committees: int
    owners_party_share: float | None = None
    district_owners_party_share: float | None = None


class NearStation(BaseModel):
    """A station and how far it is from the grid (territory hops)."""

    station_id: str
    station_name: str | None = None
    kind: str | None = None
    services: list[str] | None = None
    services_canonical: list[str]
    served: int | None = None
    station_community_id: str | None = None
    station_community_name: str | None = None
    station_street_id: str | None = None
    hops: int
    distance: str


class NearestStation(BaseModel):
    """The nearest station to a grid (``nearest``; null when none offers the service)."""

    grid_id: str
    grid_name: str | None = None
    community_id: str | None = None
    method: str = "territory_hops"
    method_zh: str = "按辖区层级跳数：同社区 2、同街道 4、全区 6（同跳数按驿站编号）"
    service: str | None = None
    nearest: NearStation | None = None
    candidates: list[NearStation]


class DeptCadre(BaseModel):
    """A cadre of the unit (masked name) and the community it reports to."""

    cadre_id: str
    name: str | None = None
    party_member: bool | None = None
    community_id: str | None = None
    community_name: str | None = None
    street_id: str | None = None
    handled: int


class DeptCommunity(BaseModel):
    """A community the unit's cadres report to, with how many and the matters handled there."""

    community_id: str
    community_name: str | None = None
    street_id: str | None = None
    cadres: int
    matters: int


class Matter(BaseModel):
    """A matter (need) a cadre of the unit handled, with the report-back text (双报告)."""

    need_id: str
    title: str | None = None
    category: str | None = None
    status: str | None = None
    cadre_id: str
    community_id: str | None = None
    community_name: str | None = None
    street_id: str | None = None
    report: str | None = None


class Answer(BaseModel):
    """An escalation (吹哨) the unit answered (报到)."""

    need_id: str
    title: str | None = None
    status: str | None = None
    community_id: str | None = None
    community_name: str | None = None
    street_id: str | None = None
    escalated: bool
    at: str | None = None
    by: str | None = None
    note: str | None = None


class Department(BaseModel):
    """双报到、双报告 of one unit."""

    unit_id: str
    unit_name: str | None = None
    kind: str | None = None
    department: bool
    under: list[Named]
    cadre_count: int
    party_members: int
    communities: list[DeptCommunity]
    cadres: list[DeptCadre]
    matters: list[Matter]
    answers: list[Answer]


class FigureRow(BaseModel):
    """One of the document's figures as the graph gives it, with its Chinese label."""

    key: str
    label: str
    value: float | int | None = None
    unit: str
    document: str | None = None


# -- routes ----------------------------------------------------------------------------------
@router.get("/chain/{community_id}", response_model=Chain, summary="社区组织链（区委—区直部门—街道党工委，五级组织体系）",
            responses=_missing("社区"))
async def chain(community_id: Id, store: StoreDep, area: AreaDep) -> dict:
    """The district committee (区委) with the number of district departments (区直部门) UNDER it
    and the street working committee it leads; then the community's chain 街道党工委 — 社区党委
    — 网格党支部 — 网格党小组 — 院落党小组 — 党员中心户 with counts per level."""
    return await read_with(store, _chain, store, area, community_id)


def _chain(store: Store, area: Area, community_id: str) -> dict:
    view = community_chain_view(store, community_id) if area.sees_community(community_id) else None
    if view is None:
        raise community_missing(community_id)
    return view


@router.get("/committees/{party_org_id}/members", response_model=Committee, summary="大工委、联合党委成员单位",
            responses=_missing("党组织"))
async def committee_members(party_org_id: Id, store: StoreDep, area: AreaDep) -> dict:
    """A party organisation (a street's 大工委, a community's 联合党委) and its member units. A
    scoped token sees an organisation whose area (the communities it covers) lies inside its own."""
    return await read_with(store, _committee, store, area, party_org_id)


def _committee(store: Store, area: Area, party_org_id: str) -> dict:
    view = committee_view(store, party_org_id)
    if view is None or not (area.whole or (view["communities"] and all(
            area.sees_community(c) for c in view["communities"]))):
        raise NotFound(f"党组织不存在或不在本令牌范围内：{party_org_id}")
    return view


@router.get("/communities/{community_id}/linkage", response_model=Linkage, summary="四位一体（社区党组织领导）",
            responses=_missing("社区"))
async def linkage(community_id: Id, store: StoreDep, area: AreaDep) -> dict:
    """The community party committee and the residents' committee, owners' committees and
    property companies in the community (each with members, party members, share, and whether
    the committee leads it). ``district_owners_party_share`` (the district's 业委会 share,
    computed from the members: 53.43 % in Huinong) is given to district-wide tokens only."""
    return await read_with(store, _linkage, store, area, community_id)


def _linkage(store: Store, area: Area, community_id: str) -> dict:
    view = linkage_view(store, community_id) if area.sees_community(community_id) else None
    if view is None:
        raise community_missing(community_id)
    district = queries.document_figures(store)[0].get("owners_party_share") if area.whole else None
    return {**view, "district_owners_party_share": district}


@router.get("/grids/{grid_id}/nearest-station", response_model=NearestStation, summary="离网格最近的驿站",
            responses=_missing("网格"))
async def nearest_station(grid_id: Id, store: StoreDep, area: AreaDep, service: ServiceQ = None,
                          top: Annotated[int, Query(ge=1, le=50, description="最多列出的驿站数")] = 3) -> dict:
    """The station nearest to a grid by territory hops — same community 2, same street 4,
    elsewhere in the district 6; ties by station id — offering ``service`` when given. A scoped
    token gets only stations in its area; a grid outside it is 404."""
    return await read_with(store, _nearest, store, area, grid_id, service, top)


def _nearest(store: Store, area: Area, grid_id: str, service: str | None, top: int) -> dict:
    grid = next((g for g in queries.list_grids(store, street=None, community=None) if g["id"] == grid_id), None)
    if grid is None or not area.sees_community(grid["community"]):
        raise NotFound(f"网格不存在或不在本令牌范围内：{grid_id}")
    rows = nearest_station_view(store, grid_id, service, None if area.whole else sorted(area.communities), top)
    return {"grid_id": grid_id, "grid_name": grid["name"], "community_id": grid["community"], "service": service,
            "nearest": rows[0] if rows else None, "candidates": rows}


@router.get("/departments/{unit_id}", response_model=Department, summary="双报到、双报告（部门视图）",
            responses=_missing("单位"))
async def department(unit_id: Id, store: StoreDep, area: AreaDep) -> dict:
    """A unit (a district department, 区直部门) with its cadres (masked names) and the
    communities they report to (counts per community), the matters they handled with the
    report-back text (双报告), and the escalations it answered (部门报到). A scoped token sees a
    unit tied to its area, and of it only the cadres, matters and answers of its area."""
    return await read_with(store, _department, store, area, unit_id)


def _department(store: Store, area: Area, unit_id: str) -> dict:
    brief = queries.unit_brief(store, unit_id=unit_id)
    if not brief or not unit_in_area(store, area, unit_id, queries.unit_lists(store, unit_id=unit_id)):
        raise unit_missing(unit_id)

    def visible(a: dict[str, Any]) -> bool:
        return area.sees_need({"id": a["need_id"], "street": a["street_id"], "community": a["community_id"],
                               "escalated": a["escalated"]})

    view = department_view(store, unit_id, None if area.whole else area.communities,
                           None if area.whole else visible)
    if view is None:
        raise unit_missing(unit_id)
    return view


@router.get("/figures", response_model=list[FigureRow], summary="文件数字核对",
            responses={403: {"model": Problem, "description": "仅区级令牌或不限范围的只读令牌"}})
async def figures(store: StoreDep, area: AreaDep) -> list[dict]:
    """The source document's figures as found in the graph, each with its Chinese label and
    unit and what the document says (the ``figures`` of ``orglink stats --json``): territory
    (40 communities, 202 grids, 38 grid branches, 244 grid party groups), 45 departments,
    1,500+ party members, 660 matters, 24+1 stations offering the five services, the people
    they served, 4 owners' committees and their party share (computed: 53.43 %). District-wide
    results: district tokens and unscoped viewers only."""
    require_whole_district(area)
    return await read_with(store, _figures, store)


def _figures(store: Store) -> list[dict]:
    counts = store.counts()
    return figure_table(document_figure_values(store)) if counts["nodes"] else []


def station_rows(store: Store, area: Area, street: str | None, community: str | None,
                 service: str | None) -> list[dict]:
    """The rows of ``GET /stations``: the area's stations (offering ``service`` when given),
    after checking the territory filter against the area."""
    check_filter(store, area, street, community)
    return area.keep(stations_view(store, service, street, community))
