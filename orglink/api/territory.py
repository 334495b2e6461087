"""Territory and reference routes: streets, communities, grids, stations, cadres, units.

Lists are bounded by the caller's scope: a street token sees its own street's communities,
a community token its own community.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from orglink import queries
from orglink.api.access import need_readable, territory_filter
from orglink.api.deps import Caller, StoreDep
from orglink.api.offload import read_with
from orglink.api.schemas import Cadre, Community, Grid, Id, ListItem, Problem, Station, Street, Unit
from orglink.auth import Principal
from orglink.graph.query import Query as GraphQuery
from orglink.graph.store import NotFound, Store
from orglink.matching.reverse import UnitNeeds, needs_for_unit

router = APIRouter(tags=["territory"])

StreetQ = Annotated[Id | None, Query(description="街道编号")]
CommunityQ = Annotated[Id | None, Query(description="社区编号")]

_LISTS = {"共驻共建协议书": "agreements", "资源清单": "resources", "项目清单": "projects",
          "需求清单": "needs"}


def mask_name(name: str | None) -> str:
    """A cadre's name as the API shows it: kept if already masked (contains ``*``), else the
    first character followed by one ``*`` per remaining character."""
    if not name:
        return "*"
    if "*" in name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


@router.get("/streets", response_model=list[Street], summary="街道列表")
async def streets(store: StoreDep, who: Caller) -> list[dict]:
    """The district's streets (a street or community token: its own street)."""
    return await read_with(store, _streets, store, who)


def _streets(store: Store, who: Principal) -> list[dict]:
    street, community = territory_filter(store, who, None, None)
    if community is not None:
        rows = queries.list_communities(store, street=None, community=community)
        street = rows[0]["street"] if rows else None
        if street is None:
            return []
    return queries.list_streets(store, street=street)


def _territory(store: Store, who: Principal, query: GraphQuery[Any], street: str | None,
               community: str | None) -> list[dict]:
    street, community = territory_filter(store, who, street, community)
    return query(store, street=street, community=community)


@router.get("/communities", response_model=list[Community], summary="社区列表")
async def communities(store: StoreDep, who: Caller, street: StreetQ = None) -> list[dict]:
    """Communities, optionally of one street."""
    return await read_with(store, _territory, store, who, queries.list_communities, street, None)


@router.get("/grids", response_model=list[Grid], summary="网格列表")
async def grids(store: StoreDep, who: Caller, street: StreetQ = None,
                community: CommunityQ = None) -> list[dict]:
    """Grids, optionally of one street or community."""
    return await read_with(store, _territory, store, who, queries.list_grids, street, community)


@router.get("/stations", response_model=list[Station], summary="驿站列表")
async def stations(store: StoreDep, who: Caller, street: StreetQ = None,
                   community: CommunityQ = None) -> list[dict]:
    """暖"新"驿站, 司机之家 and 党群服务中心 with their services."""
    return await read_with(store, _territory, store, who, queries.list_stations, street, community)


@router.get("/cadres", response_model=list[Cadre], summary="报到干部（脱敏）")
async def cadres(store: StoreDep, who: Caller,
                 community: Annotated[Id, Query(description="社区编号（必填）")]) -> list[dict]:
    """Cadres reporting to a community (双报到): masked names only, no contact data."""
    return await read_with(store, _cadres, store, who, community)


def _cadres(store: Store, who: Principal, community: str) -> list[dict]:
    territory_filter(store, who, None, community)
    return [{"id": r["cadre_id"], "name": mask_name(r["name"]), "party_member": r["party_member"],
             "unit_id": r["unit_id"], "unit_name": r["unit_name"], "handled": r["handled"]}
            for r in queries.community_cadres(store, community_id=community)]


@router.get("/units/{unit_id}", response_model=Unit, summary="单位与一书三单")
async def unit(unit_id: Id, store: StoreDep, who: Caller) -> dict:
    """A unit with its co-building agreements and its three lists (一书三单)."""
    return await read_with(store, _unit, store, unit_id)


def _unit(store: Store, unit_id: str) -> dict:
    brief = queries.unit_brief(store, unit_id=unit_id)
    if not brief:
        raise NotFound(f"单位不存在：{unit_id}")
    out: dict = {**brief[0], **{k: [] for k in _LISTS.values()}}
    for r in queries.unit_lists(store, unit_id=unit_id):
        key = _LISTS.get(r["list"])
        if key is None:
            raise HTTPException(500, f"未知的清单：{r['list']}")
        out[key].append(ListItem(**{k: v for k, v in r.items() if k != "list"}))
    return out


@router.get("/units/{unit_id}/needs", response_model=UnitNeeds, summary="单位可满足的待办需求（反向匹配）",
            responses={404: {"model": Problem, "description": "单位不存在"}})
async def unit_needs(unit_id: Id, store: StoreDep, who: Caller,
                     top: Annotated[int, Query(ge=1, le=200, description="最多列出的需求数")] = 10) -> UnitNeeds:
    """The open needs (待接单、已接单) the unit could meet, nearest first (hops, then urgency,
    then need id), each with the unit's resource it would use, the capacity left and the path
    (as ``orglink match --unit --json``). Only the needs the token may read are listed (a street
    or community token: those inside its area); ``total`` counts those."""
    return await read_with(store, _unit_needs, store, who, unit_id, top)


def _unit_needs(store: Store, who: Principal, unit_id: str, top: int) -> UnitNeeds:
    def visible(row: dict[str, Any]) -> bool:
        place = {"id": row["need_id"], "street": row.get("street_id"), "community": row.get("community_id"),
                 "escalated": row.get("status") == "escalated"}
        return need_readable(who, place)

    return needs_for_unit(store, unit_id, top=top, visible=visible)
