"""Who may read and change what: the role and scope rules of :mod:`orglink.auth`, applied.

Refusals are 403 with a Chinese message saying what the token may do.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from orglink import queries
from orglink.auth import ROLES, Principal
from orglink.graph.store import Store

NEED_WRITERS: dict[str, tuple[str, ...]] = {
    "create": ("district", "street", "community"),
    "accept": ("district", "street", "community"),
    "dispatch": ("district", "street", "community"),
    "complete": ("district", "street", "community"),
    "escalate": ("district", "street", "community"),
    "answer": ("district", "department"),
}
"""Lifecycle action -> roles that may take it (within their scope)."""


def forbid(message: str) -> HTTPException:
    """A 403 with ``message``."""
    return HTTPException(403, message)


def _who(p: Principal) -> str:
    return f"{ROLES.get(p.role, p.role)}令牌" + (f"（{p.scope}）" if p.scope else "")


def require_whole_district(p: Principal) -> None:
    """Only district tokens and unscoped viewers see district-wide results (plans, reports)."""
    if not p.whole_district:
        raise forbid(f"{_who(p)}无权查看全区结果（方案、报告）")


def require_district(p: Principal) -> None:
    """Only district tokens may run district-wide writes (the pairing plan)."""
    if p.role != "district":
        raise forbid(f"{_who(p)}无权执行此操作，需要区级令牌")


def sees_place(p: Principal, street: str | None, community: str | None) -> bool:
    """True if ``p`` may read territory data of ``community`` in ``street``."""
    if p.whole_district or p.role == "department":
        return True
    if p.scope_kind == "street":
        return street == p.scope_id
    if p.scope_kind == "community":
        return community == p.scope_id
    return False


def need_readable(p: Principal, place: dict[str, Any]) -> bool:
    """True if ``p`` may read the need at ``place`` (a ``need_place`` row)."""
    if p.role == "department":
        return bool(place.get("escalated"))
    return sees_place(p, place.get("street"), place.get("community"))


def check_need_read(p: Principal, place: dict[str, Any]) -> None:
    """403 unless ``p`` may read the need at ``place``."""
    if not need_readable(p, place):
        if p.role == "department":
            raise forbid(f"{_who(p)}只能查看已吹哨（街道吹哨）的需求：{place['id']}")
        raise forbid(f"需求 {place['id']} 不在{_who(p)}的范围内")


def check_need_write(p: Principal, action: str, place: dict[str, Any]) -> None:
    """403 unless ``p`` may take lifecycle ``action`` on the need at ``place``."""
    if p.role not in NEED_WRITERS[action]:
        raise forbid(f"{_who(p)}无权{_ACTION_ZH[action]}")
    if p.role == "department":
        check_need_read(p, place)
    elif not sees_place(p, place.get("street"), place.get("community")):
        raise forbid(f"需求 {place['id']} 不在{_who(p)}的范围内")


_ACTION_ZH = {"create": "点单", "accept": "接单", "dispatch": "派单", "complete": "办结",
              "escalate": "吹哨", "answer": "报到"}


def territory_filter(store: Store, p: Principal, street: str | None,
                     community: str | None) -> tuple[str | None, str | None]:
    """The (street, community) filter a territory list runs with: what was asked, bounded by
    the caller's scope. Unknown filters are 422 naming the query field; asking outside the
    scope is 403."""
    if street is not None and not queries.list_streets(store, street=street):
        raise HTTPException(422, [{"loc": ["query", "street"], "msg": f"街道不存在：{street}",
                                   "type": "value_error"}])
    if community is not None:
        rows = queries.list_communities(store, street=None, community=community)
        if not rows:
            raise HTTPException(422, [{"loc": ["query", "community"], "msg": f"社区不存在：{community}",
                                       "type": "value_error"}])
        if not sees_place(p, rows[0]["street"], community):
            raise forbid(f"社区 {community} 不在{_who(p)}的范围内")
    if street is not None and not sees_place(p, street, None) and p.scope_kind != "community":
        raise forbid(f"街道 {street} 不在{_who(p)}的范围内")
    if p.scope_kind == "street":
        return p.scope_id, community
    if p.scope_kind == "community":
        if street is not None:
            own = queries.list_communities(store, street=street, community=p.scope_id)
            if not own:
                raise forbid(f"街道 {street} 不在{_who(p)}的范围内")
        return street, p.scope_id
    return street, community


def need_scope_params(p: Principal) -> dict[str, Any]:
    """The scope parameters of ``list_needs`` for ``p``."""
    if p.role == "department":
        return {"street_ids": None, "community_ids": None, "escalated_only": True}
    if p.scope_kind == "street":
        return {"street_ids": [p.scope_id], "community_ids": None, "escalated_only": False}
    if p.scope_kind == "community":
        return {"street_ids": None, "community_ids": [p.scope_id], "escalated_only": False}
    return {"street_ids": None, "community_ids": None, "escalated_only": False}
