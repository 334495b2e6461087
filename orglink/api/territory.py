"""Territory and reference routes: streets, communities, grids, stations, cadres, units.

Every list is bounded by the caller's :class:`~orglink.api.access.Area`: a street token sees
its own street's communities, a community token its own community, a department the
communities its cadres report to. A unit outside the area answers 404, as a missing one.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from orglink import queries
from orglink.api.access import Area, check_filter, unit_in_area, unit_missing
from orglink.api.deps import AreaDep, StoreDep
from orglink.api.offload import read_with
from orglink.api.organisation import ServiceQ, station_rows
from orglink.api.schemas import (
    Cadre,
    Community,
    Grid,
    Id,
    ListItem,
    Problem,
    ResourceLoad,
    SafeLine,
    Station,
    Street,
    Unit,
    UnitRow,
)
from orglink.graph.personal import mask_name
from orglink.graph.query import Query as GraphQuery
from orglink.graph.store import NotFound, Store
from orglink.matching.reverse import UnitNeeds, needs_for_unit

router = APIRouter(tags=["territory"])

StreetQ = Annotated[Id | None, Query(description="街道编号")]
CommunityQ = Annotated[Id | None, Query(description="社区编号")]

_LISTS = {"共驻共建协议书": "agreements", "资源清单": "resources", "项目清单": "projects",
          "需求清单": "needs"}
UNIT_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "单位不存在或不在令牌范围内"}}


@router.get("/streets", response_model=list[Street], summary="街道列表")
async def streets(store: StoreDep, area: AreaDep) -> list[dict]:
    """The district's streets (a scoped token: the streets of its area)."""
    return await read_with(store, _streets, store, area)


def _streets(store: Store, area: Area) -> list[dict]:
    rows = queries.list_streets(store, street=None)
    return rows if area.whole else [r for r in rows if area.sees_street(r["id"])]


def _territory(store: Store, area: Area, query: GraphQuery[Any], street: str | None,
               community: str | None, key: str = "community") -> list[dict]:
    """``query``'s rows for the filter, checked against the area, and only the area's rows
    (``key``: the column holding each row's community id)."""
    check_filter(store, area, street, community)
    return area.keep(query(store, street=street, community=community), key)


@router.get("/communities", response_model=list[Community], summary="社区列表")
async def communities(store: StoreDep, area: AreaDep, street: StreetQ = None) -> list[dict]:
    """Communities, optionally of one street."""
    return await read_with(store, _territory, store, area, queries.list_communities, street, None, "id")


@router.get("/grids", response_model=list[Grid], summary="网格列表")
async def grids(store: StoreDep, area: AreaDep, street: StreetQ = None,
                community: CommunityQ = None) -> list[dict]:
    """Grids, optionally of one street or community."""
    return await read_with(store, _territory, store, area, queries.list_grids, street, community)


@router.get("/stations", response_model=list[Station], summary="驿站列表")
async def stations(store: StoreDep, area: AreaDep, street: StreetQ = None,
                   community: CommunityQ = None, service: ServiceQ = None) -> list[dict]:
    """暖"新"驿站, 司机之家 and 党群服务中心 with their services and the people served (服务人次);
    ``service`` keeps those offering it (its name or a short form: 充电 = 手机充电; named query
    ``stations_offering``); another word (政策咨询) is matched as written."""
    return await read_with(store, station_rows, store, area, street, community, service)


@router.get("/cadres", response_model=list[Cadre], summary="报到干部（脱敏）")
async def cadres(store: StoreDep, area: AreaDep,
                 community: Annotated[Id, Query(description="社区编号（必填）")]) -> list[dict]:
    """Cadres reporting to a community (双报到): masked names only, no contact data."""
    return await read_with(store, _cadres, store, area, community)


def _cadres(store: Store, area: Area, community: str) -> list[dict]:
    check_filter(store, area, None, community)
    return [{"id": r["cadre_id"], "name": mask_name(r["name"]), "party_member": r["party_member"],
             "unit_id": r["unit_id"], "unit_name": r["unit_name"], "handled": r["handled"]}
            for r in queries.community_cadres(store, community_id=community)]


@router.get("/units", response_model=list[UnitRow], summary="单位列表（按名称检索）")
async def units(store: StoreDep, area: AreaDep, street: StreetQ = None,
                q: Annotated[SafeLine | None, Query(max_length=40, description="按单位名称检索（包含此文字）")] = None,
                ) -> list[dict]:
    """Units located in ``street`` (all: none given) whose name contains ``q``, with their
    coordinates and what they offer. A scoped token sees the units tied to its area (as
    ``GET /units/{unit_id}``: an agreement, project or reporting cadre there)."""
    return await read_with(store, _units, store, area, street, q)


def _units(store: Store, area: Area, street: str | None, text: str | None) -> list[dict]:
    check_filter(store, area, street, None)
    rows = queries.list_units(store, street=street)
    text = text.strip() if text else None
    if text:
        rows = [r for r in rows if text in (r.get("name") or "")]
    if area.whole or not rows:
        return rows
    lists = store.read_many([queries.unit_lists.bind(unit_id=r["id"]) for r in rows])
    return [r for r, ls in zip(rows, lists) if unit_in_area(store, area, r["id"], ls)]


@router.get("/units/{unit_id}", response_model=Unit, summary="单位与一书三单", responses=UNIT_NOT_FOUND)
async def unit(unit_id: Id, store: StoreDep, area: AreaDep) -> dict:
    """A unit with its co-building agreements and its three lists (一书三单). A scoped token
    sees a unit tied to its area (an agreement, project or reporting cadre there), and of its
    lists only the rows of its area (resources: all, they are what the unit offers)."""
    return await read_with(store, _unit, store, area, unit_id)


def _unit(store: Store, area: Area, unit_id: str) -> dict:
    brief = queries.unit_brief(store, unit_id=unit_id)
    lists = queries.unit_lists(store, unit_id=unit_id) if brief else []
    if not brief or not unit_in_area(store, area, unit_id, lists):
        raise unit_missing(unit_id)
    out: dict = {**brief[0], **{k: [] for k in _LISTS.values()}}
    needs = [r["id"] for r in lists if _LISTS.get(r["list"]) == "needs"]
    places = {rows[0]["id"]: rows[0] for rows in store.read_many(
        [queries.need_place.bind(need_id=n) for n in needs]) if rows} if area.department and needs else {}
    for r in lists:
        key = _LISTS.get(r["list"])
        if key is None:
            raise HTTPException(500, f"未知的清单：{r['list']}")
        if key != "resources" and not area.whole:
            if key == "needs" and area.department:
                if not area.sees_need(places.get(r["id"], {})):
                    continue
            elif not area.sees_community(r.get("community_id")):
                continue
        out[key].append(ListItem(**{k: v for k, v in r.items() if k not in ("list", "community_id")}))
    usage = store.read_many([queries.resource_usage.bind(resource_id=i.id) for i in out["resources"]])
    out["load"] = [ResourceLoad(id=u[0]["id"], title=u[0]["title"], category=u[0]["category"],
                                capacity=u[0]["capacity"], used=u[0]["used"] or 0,
                                remaining=max(0, u[0]["remaining"] or 0)) for u in usage if u]
    return out


@router.get("/units/{unit_id}/needs", response_model=UnitNeeds, summary="单位可满足的待办需求（反向匹配）",
            responses=UNIT_NOT_FOUND)
async def unit_needs(unit_id: Id, store: StoreDep, area: AreaDep,
                     top: Annotated[int, Query(ge=1, le=200, description="最多列出的需求数")] = 10) -> UnitNeeds:
    """The open needs (待接单、已接单、已吹哨) the unit could meet, nearest first (hops, then
    urgency, then need id), each with the unit's resource it would use, the capacity left and
    the path (as ``orglink match --unit --json``). Only the needs inside the token's area are
    listed, and ``total`` counts those; a unit with no tie to the area answers 404."""
    return await read_with(store, _unit_needs, store, area, unit_id, top)


def _unit_needs(store: Store, area: Area, unit_id: str, top: int) -> UnitNeeds:
    brief = queries.unit_brief(store, unit_id=unit_id)
    if brief and not area.whole and not unit_in_area(store, area, unit_id, queries.unit_lists(store, unit_id=unit_id)):
        raise unit_missing(unit_id)

    def visible(row: dict[str, Any]) -> bool:
        place = {"id": row["need_id"], "street": row.get("street_id"), "community": row.get("community_id"),
                 "escalated": row.get("status") == "escalated"}
        return area.sees_need(place)

    try:
        return needs_for_unit(store, unit_id, top=top, visible=visible)
    except NotFound:  # the same answer for a missing unit as for one outside the area
        raise unit_missing(unit_id) from None
