"""Who may read and change what: one access layer every ``/api/v1`` route goes through.

A route takes the caller's :class:`Area` (dependency :data:`orglink.api.deps.AreaDep`): the
token's role and scope resolved against the store once per request into the communities,
streets and escalations it may see. ``create_app`` refuses to start when a route under
``/api/v1`` (other than ``/health``) does not depend on it (:func:`unguarded_routes`), so no
route can forget the check.

What each role sees (docs/api.md has the same table):

* ``district`` and an unscoped ``viewer``: the whole district;
* ``street`` (``street:ID``): its street and the communities in it;
* ``community`` (``community:ID``): its community (and the grids in it);
* ``department`` (``unit:ID``): the communities its cadres report to (双报到); of the needs,
  only those escalated (吹哨, by the API or recorded as 已吹哨 in the lists) that reach it: a
  whistle that called departments by name (CALLED) reaches those only, one that called none
  (recorded in the lists) every department of the streets of those communities;
* a scoped ``viewer``: as the scope, read only.

Out of the area and missing answer alike: a need or unit outside the caller's area is a 404
with the same text as one that does not exist (no existence oracle); a territory filter
outside it is a 403 whether or not the id exists. Refusals for the role (a viewer writing, a
street token planning) are 403 before any id is looked at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from orglink import queries
from orglink.auth import ROLES, Principal
from orglink.graph.store import NotFound, Store

NEED_WRITERS: dict[str, tuple[str, ...]] = {
    "create": ("district", "street", "community"),
    "accept": ("district", "street", "community"),
    "dispatch": ("district", "street", "community"),
    "complete": ("district", "street", "community"),
    "escalate": ("district", "street", "community"),
    "answer": ("district", "department"),
}
"""Lifecycle action -> roles that may take it (within their area)."""

_ACTION_ZH = {"create": "点单", "accept": "接单", "dispatch": "派单", "complete": "办结",
              "escalate": "吹哨", "answer": "报到"}

OPEN_ROUTES = frozenset({"/api/v1/health"})
"""Routes under /api/v1 that need no token and no area."""


def forbid(message: str) -> HTTPException:
    """A 403 with ``message``."""
    return HTTPException(403, message)


def who_text(p: Principal) -> str:
    """The token as a refusal names it, e.g. ``街道令牌（street:S01）``."""
    return f"{ROLES.get(p.role, p.role)}令牌" + (f"（{p.scope}）" if p.scope else "")


def need_missing(need_id: str) -> NotFound:
    """The one answer for a need that does not exist or lies outside the caller's area."""
    return NotFound(f"需求不存在或不在本令牌范围内：{need_id}")


def unit_missing(unit_id: str) -> NotFound:
    """The one answer for a unit that does not exist or has no tie to the caller's area."""
    return NotFound(f"单位不存在或不在本令牌范围内：{unit_id}")


@dataclass(frozen=True)
class Area:
    """What one caller may see: ``whole`` (the district), else the ``communities`` and
    ``streets`` of its scope and, for a department, the ``whistle_streets`` whose escalated
    needs reach it. Built by :func:`area_of`."""

    principal: Principal
    whole: bool
    communities: frozenset[str] = frozenset()
    streets: frozenset[str] = frozenset()
    whistle_streets: frozenset[str] = frozenset()

    @property
    def department(self) -> bool:
        """True for a token scoped to a unit (a district department: 部门报到)."""
        return self.principal.scope_kind == "unit"

    def sees_community(self, community: str | None) -> bool:
        """Whether territory data of ``community`` is inside the area."""
        return self.whole or (community is not None and community in self.communities)

    def sees_street(self, street: str | None) -> bool:
        """Whether ``street`` is inside the area (as a whole street, or holding one of its communities)."""
        return self.whole or (street is not None and street in self.streets)

    def sees_need(self, place: dict[str, Any]) -> bool:
        """Whether the need at ``place`` (a ``need_place`` row) is inside the area."""
        if self.whole:
            return True
        if self.department:
            if not place.get("escalated"):
                return False
            called = place.get("called") or []
            if called:  # an addressed whistle: only the departments it called
                return self.principal.scope_id in called
            return place.get("street") in self.whistle_streets
        return place.get("community") in self.communities

    def need_params(self) -> dict[str, Any]:
        """The scope parameters of the named query ``list_needs`` for this area."""
        if self.whole:
            return {"street_ids": None, "community_ids": None, "escalated_only": False}
        if self.department:
            return {"street_ids": sorted(self.whistle_streets), "community_ids": None, "escalated_only": True}
        return {"street_ids": None, "community_ids": sorted(self.communities), "escalated_only": False}

    def keep(self, rows: Iterable[dict[str, Any]], key: str = "community") -> list[dict[str, Any]]:
        """The rows whose ``key`` (a community id) lies inside the area (all when whole)."""
        return list(rows) if self.whole else [r for r in rows if self.sees_community(r.get(key))]


def area_of(store: Store, p: Principal) -> Area:
    """Resolve ``p``'s scope against ``store`` into its :class:`Area` (see the module docstring).
    A scope naming something the store no longer holds resolves to an empty area."""
    if p.whole_district:
        return Area(p, whole=True)
    if p.scope_kind == "street":
        rows = queries.list_communities(store, street=p.scope_id, community=None)
        return Area(p, whole=False, communities=frozenset(r["id"] for r in rows),
                    streets=frozenset(queries_street(store, p.scope_id)))
    if p.scope_kind == "community":
        rows = queries.list_communities(store, street=None, community=p.scope_id)
        return Area(p, whole=False, communities=frozenset(r["id"] for r in rows),
                    streets=frozenset(r["street"] for r in rows if r["street"]))
    if p.scope_kind == "unit" and p.scope_id:
        rows = queries.unit_communities(store, unit_id=p.scope_id)
        streets = frozenset(r["street_id"] for r in rows if r["street_id"])
        return Area(p, whole=False, communities=frozenset(r["community_id"] for r in rows),
                    streets=streets, whistle_streets=streets)
    return Area(p, whole=False)


def queries_street(store: Store, street: str | None) -> list[str]:
    """``[street]`` if the store holds that street, else ``[]``."""
    return [r["id"] for r in queries.list_streets(store, street=street)] if street else []


# -- needs -----------------------------------------------------------------------------------
def check_need_read(area: Area, place: dict[str, Any]) -> None:
    """404 (as for a missing need) unless the need at ``place`` is inside ``area``."""
    if not area.sees_need(place):
        raise need_missing(place["id"])


def check_role(area: Area, action: str) -> None:
    """403 unless the caller's role may take lifecycle ``action`` at all (checked before any id)."""
    p = area.principal
    if p.role not in NEED_WRITERS[action]:
        raise forbid(f"{who_text(p)}无权{_ACTION_ZH[action]}")


def check_need_write(area: Area, action: str, place: dict[str, Any]) -> None:
    """403 unless the role may take ``action``; then 404 unless the need is inside ``area``."""
    check_role(area, action)
    check_need_read(area, place)


# -- territory -------------------------------------------------------------------------------
def require_whole_district(area: Area) -> None:
    """Only district tokens and unscoped viewers see district-wide results (plans, reports)."""
    if not area.whole:
        raise forbid(f"{who_text(area.principal)}无权查看全区结果（方案、报告）")


def require_district(area: Area) -> None:
    """Only district tokens may run district-wide writes (the pairing plan)."""
    if area.principal.role != "district":
        raise forbid(f"{who_text(area.principal)}无权执行此操作，需要区级令牌")


def _unknown(field: str, text: str) -> HTTPException:
    return HTTPException(422, [{"loc": ["query", field], "msg": text, "type": "value_error"}])


def check_filter(store: Store, area: Area, street: str | None, community: str | None,
                 where: str = "query") -> None:
    """A territory filter (query ``street`` / ``community``) the caller may use.

    Whole district: an id the store does not hold is 422 naming the field. Scoped: an id
    outside the area is 403, whether or not it exists (the same text either way)."""
    if area.whole:
        if street is not None and not queries.list_streets(store, street=street):
            raise _unknown("street", f"街道不存在：{street}")
        if community is not None and not queries.list_communities(store, street=None, community=community):
            raise _unknown("community", f"社区不存在：{community}")
        return
    if street is not None and not area.sees_street(street):
        raise forbid(f"街道 {street} 不在{who_text(area.principal)}的范围内")
    if community is not None and not area.sees_community(community):
        raise forbid(f"社区 {community} 不在{who_text(area.principal)}的范围内")


# -- units -----------------------------------------------------------------------------------
def unit_in_area(store: Store, area: Area, unit_id: str, lists: list[dict[str, Any]]) -> bool:
    """Whether unit ``unit_id`` has a tie to ``area``: whole district; a department's own unit;
    an agreement, project or needs-list row (``lists``: its ``unit_lists`` rows) in a
    community of the area; or a cadre of it reporting to one (双报到)."""
    if area.whole or (area.department and unit_id == area.principal.scope_id):
        return True
    if any(area.sees_community(r.get("community_id")) for r in lists if r.get("community_id")):
        return True
    return any(area.sees_community(r["community_id"]) for r in queries.unit_communities(store, unit_id=unit_id))


# -- by construction -------------------------------------------------------------------------
def _calls(dep: Dependant) -> Iterable[Any]:
    yield dep.call
    for sub in dep.dependencies:
        yield from _calls(sub)


def unguarded_routes(app: FastAPI, guard: Any, prefix: str = "/api/v1") -> list[str]:
    """``METHOD path`` of every route under ``prefix`` (but :data:`OPEN_ROUTES`) whose
    dependencies do not include ``guard`` (the area dependency): the routes that could forget
    the caller's scope. ``create_app`` refuses to build an app where this is not empty.
    Included routers are walked through (FastAPI's ``iter_route_contexts``)."""
    out: list[str] = []
    for rc in iter_route_contexts(app.routes):
        route, path = rc.original_route, rc.path or ""
        if (isinstance(route, APIRoute) and path.startswith(prefix) and path not in OPEN_ROUTES
                and guard not in set(_calls(route.dependant))):
            out.extend(f"{m} {path}" for m in sorted(route.methods or ()))
    return out
