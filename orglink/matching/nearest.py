"""Nearest units for one need: candidates with their paths, ordered the same on every backend.

The store answers the named queries ``need_context`` and ``nearest_units`` (Cypher on Neo4j,
the networkx twin embedded); ordering, distances and the ``top`` cut happen here, so both
backends give the same list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from orglink import queries
from orglink.graph.model import MODEL
from orglink.graph.store import NotFound, Store
from orglink.matching.geo import centre, distance_km
from orglink.matching.reasons import REASONS, reason_code
from orglink.matching.types import Candidate, PathStep


class NeedMatch(BaseModel):
    """One need, its nearest candidates and, when there is none, why (reason code and text)."""

    need_id: str
    title: str | None = None
    category: str | None = None
    quantity: int = 1
    status: str | None = None
    scope: str  # the scope matching used (grid, community, street)
    location_id: str
    location_label: str
    location_name: str | None = None
    candidates: list[Candidate]
    reason_code: str | None = None  # no_resource | capacity_used | out_of_scope when no candidate
    reason: str | None = None


def need_rows(store: Store, need_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The need's ``need_context`` rows (one per place it was raised) and its ``nearest_units``
    rows, read in one transaction; raise NotFound if the need has no context."""
    if not isinstance(need_id, str) or not need_id.strip():
        raise NotFound("需求编号为空")
    ctx, rows = store.read_many([queries.need_context.bind(need_id=need_id),
                                 queries.nearest_units.bind(need_id=need_id)])
    if not ctx:
        raise NotFound(f"需求不存在（或未登记提出网格/社区）：{need_id}")
    return ctx, rows


def sort_key(c: Candidate) -> tuple:
    """Candidate order: hops, more capacity left, shorter distance (unknown last), unit, resource."""
    return (c.hops, -c.remaining, c.distance_km is None, c.distance_km or 0.0, c.unit_id, c.resource_id)


def candidates_from_rows(rows: list[dict[str, Any]], origins: dict[str, tuple[float, float] | None]) -> list[Candidate]:
    """Turn ``nearest_units`` rows into sorted candidates (one per unit and resource)."""
    best: dict[tuple[str, str], Candidate] = {}
    for r in rows:
        ids = r["path_ids"]
        steps = [
            PathStep(id=ids[i], label=r["path_labels"][i], name=r["path_names"][i],
                     rel=r["path_rels"][i] if i < len(ids) - 1 else None,
                     forward=r["path_forward"][i] if i < len(ids) - 1 else None)
            for i in range(len(ids))
        ]
        c = Candidate(
            need_id=r["need_id"], unit_id=r["unit_id"], unit_name=r["unit_name"] or r["unit_id"],
            resource_id=r["resource_id"], resource_title=r["resource_title"] or r["resource_id"],
            category=r["category"], hops=r["hops"], remaining=r["remaining"],
            distance_km=distance_km(origins.get(ids[0]), r["unit_lat"], r["unit_lon"]),
            path=steps,
        )
        key = (c.unit_id, c.resource_id)
        if key not in best or sort_key(c) < sort_key(best[key]):
            best[key] = c
    return sorted(best.values(), key=sort_key)


def match_need(store: Store, need_id: str, top: int | None = 5) -> NeedMatch:
    """The need, its ``top`` nearest candidates (all if None) and the reason when there is none."""
    if top is not None and (not isinstance(top, int) or top < 1):
        raise ValueError("top must be a positive integer or None")
    ctx, rows = need_rows(store, need_id)
    origins = {r["location_id"]: centre(r["loc_points"]) for r in ctx}
    cands = candidates_from_rows(rows, origins)
    first = ctx[0]
    code = None
    if not cands:
        code = reason_code(first["offered"], first["available"])
    return NeedMatch(
        need_id=first["need_id"], title=first["title"], category=first["category"],
        quantity=first["quantity"], status=first["status"], scope=first["scope"],
        location_id=first["location_id"], location_label=first["location_label"],
        location_name=first["location_name"],
        candidates=cands if top is None else cands[:top],
        reason_code=code, reason=REASONS[code] if code else None,
    )


def nearest_units(store: Store, need_id: str, top: int | None = 5) -> list[Candidate]:
    """The ``top`` nearest units that can meet need ``need_id``, each with its path.

    Raises :class:`~orglink.graph.store.NotFound` for an unknown need. An empty list means no
    unit within the need's scope can meet it (see :func:`match_need` for why).
    """
    return match_need(store, need_id, top).candidates


def path_text(path: Sequence[PathStep]) -> str:
    """A path as planners read it, e.g. ``网格一 →属于→ 春晖社区 ←共建← 某小学``."""
    parts: list[str] = []
    for step in path:
        parts.append(step.name or step.id)
        if step.rel is None:
            break
        zh = MODEL.rel(step.rel).zh
        parts.append(f"→{zh}→" if step.forward else f"←{zh}←")
    return " ".join(parts)

