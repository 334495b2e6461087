"""Embedded twins of the matching queries: ``need_context``, ``nearest_units``,
``plan_candidates`` and ``write_plan`` (``resource_supply`` and ``get_plan`` are generated
lookups; the Plan node and pruning part of ``write_plan`` is in :mod:`orglink.queries.plan_twins`).

Each gives the same rows as its ``.cypher`` file (see the file headers for the meaning). When
several shortest paths tie, both pick the smallest by (id, label) of its nodes, then by the
(type, direction) of its relationships (:meth:`LinkageIndex.canonical_path`). A need climbs the
网格→社区→街道 ladder (:func:`~orglink.queries.linkage.ladder`): each candidate is served at
the lowest level whose reach leads to it (``served_at``), with that level's hops and path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from orglink.graph.cypher_semantics import order_key
from orglink.graph.embedded import EmbeddedGraph, edge_key
from orglink.graph.model import MODEL
from orglink.queries.linkage import effective_scope, ladder, linkage_index
from orglink.queries.plan_twins import matched_edges, record_plan
from orglink.queries.registry import twin

_SECONDARY = frozenset(lab for n in MODEL.nodes for lab in (*n.extra_labels, *n.flag_labels))


# -- shared pieces -----------------------------------------------------------------------
def _supply(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Every (unit, resource) OFFERS pair with capacity, dispatched quantity and what remains."""

    def build() -> list[dict[str, Any]]:
        g = eg.g
        out = []
        for rk in eg.nodes_of("Resource"):
            r = g.nodes[rk]
            dispatched = 0
            for _, d in eg.in_edges(rk, "DISPATCHED_TO"):
                dispatched += d.get("quantity") or 0
            capacity = r.get("capacity") or 0
            for uk, _ in eg.in_edges(rk, "OFFERS"):
                if g.nodes[uk]["label"] != "Unit":
                    continue
                u = g.nodes[uk]
                out.append({
                    "resource_key": rk, "unit_key": uk,
                    "resource_id": r["id"], "resource_title": r.get("title"),
                    "category": r.get("category"), "capacity": capacity,
                    "dispatched": dispatched, "remaining": capacity - dispatched,
                    "unit_id": u["id"], "unit_name": u.get("name"),
                    "unit_lat": u.get("lat"), "unit_lon": u.get("lon"),
                })
        out.sort(key=lambda s: (s["resource_id"], s["unit_id"]))
        return out

    return eg.cached("resource_supply", build)


@dataclass(frozen=True)
class _Offers:
    """The supply entries with capacity left of one category in one linkage component."""

    units: frozenset[int]  # linkage-index indexes of the offering units
    by_unit: dict[int, list[dict[str, Any]]]  # unit index -> its entries


def _offers(eg: EmbeddedGraph) -> dict[tuple[Any, int], _Offers]:
    """Supply entries with capacity left, by (category, linkage component of the unit).

    Units outside the linkage graph are left out: nothing can reach them.
    """

    def build() -> dict[tuple[Any, int], _Offers]:
        idx = linkage_index(eg)
        out: dict[tuple[Any, int], dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for s in _supply(eg):
            i = idx.index.get(s["unit_key"])
            if s["remaining"] > 0 and i is not None:
                out[(s["category"], idx.component[i])][i].append(s)
        return {k: _Offers(frozenset(v), dict(v)) for k, v in out.items()}

    return eg.cached("offers_by_component", build)


def _locations(eg: EmbeddedGraph, need_key: str) -> list[str]:
    """The grid(s) or community(ies) a need was raised at."""
    return sorted(v for v, _ in eg.out_edges(need_key, "RAISED_AT")
                  if eg.g.nodes[v]["label"] in ("Grid", "Community"))


def _primary(labels: tuple[str, ...]) -> str:
    return next(lab for lab in labels if lab not in _SECONDARY)


def _need_key(eg: EmbeddedGraph, need_id: str) -> str | None:
    n = eg.node("Need", need_id)
    return None if n is None else f"Need:{need_id}"


def _scope_of(eg: EmbeddedGraph, need: dict[str, Any], loc: str) -> str:
    return effective_scope(need.get("scope"), eg.g.nodes[loc]["label"])


def _ladder_of(eg: EmbeddedGraph, need: dict[str, Any], loc: str) -> tuple[str, ...]:
    return ladder(need.get("scope"), eg.g.nodes[loc]["label"], need.get("status"))


# -- read queries ------------------------------------------------------------------------
@twin("need_context")
def need_context(eg: EmbeddedGraph, need_id: str) -> list[dict[str, Any]]:
    """One row per place the need was raised: the need, its location and its category's supply."""
    nk = _need_key(eg, need_id)
    if nk is None:
        return []
    g = eg.g
    n = g.nodes[nk]
    cat = n.get("category")
    rems = [s["remaining"] for s in _supply(eg) if s["category"] == cat]
    rows = []
    for loc in _locations(eg, nk):
        ld = g.nodes[loc]
        if ld["label"] == "Grid":
            points = [] if ld.get("lat") is None or ld.get("lon") is None else [[ld["lat"], ld["lon"]]]
        else:
            grids = sorted((g.nodes[u]["id"], g.nodes[u]) for u, _ in eg.in_edges(loc, "IN")
                           if g.nodes[u]["label"] == "Grid")
            points = [[d["lat"], d["lon"]] for _, d in grids
                      if d.get("lat") is not None and d.get("lon") is not None]
        rows.append({
            "need_id": n["id"], "title": n.get("title"), "category": cat,
            "quantity": 1 if n.get("quantity") is None else n["quantity"],
            "status": n.get("status"), "scope": _scope_of(eg, n, loc),
            "location_id": ld["id"], "location_label": ld["label"], "location_name": ld.get("name"),
            "loc_points": points,
            "offered": len(rems), "available": sum(1 for r in rems if r > 0),
        })
    rows.sort(key=lambda r: (r["location_label"], r["location_id"]))
    return rows


@twin("nearest_units")
def nearest_units(eg: EmbeddedGraph, need_id: str) -> list[dict[str, Any]]:
    """Units offering the need's category with capacity left, reachable up the need's ladder,
    each with the level it is served at and that level's shortest path."""
    nk = _need_key(eg, need_id)
    if nk is None:
        return []
    g = eg.g
    n = g.nodes[nk]
    idx = linkage_index(eg)
    by_comp = _offers(eg)
    rows = []
    for loc in _locations(eg, nk):
        comp = idx.component_of(loc)
        offers = by_comp.get((n.get("category"), comp)) if comp is not None else None
        if offers is None:
            continue
        rungs, served = idx.climb(loc, _ladder_of(eg, n, loc), offers.units, len(offers.units))
        per_rung: dict[int, dict[str, int]] = defaultdict(dict)
        for ui, r in served.items():
            per_rung[r][idx.keys[ui]] = rungs[r].found.dist[ui]
        paths = {uk: p for r, dsts in per_rung.items()
                 for uk, p in idx.canonical_paths(loc, dsts, idx.reach_keys(rungs[r].roots)).items()}
        for ui, r in served.items():
            rung = rungs[r]
            hops = rung.found.dist[ui]
            uk = idx.keys[ui]
            path = paths[uk] or idx.path(rung.found, uk)
            nodes = [g.nodes[p.key] for p in path]
            for s in offers.by_unit[ui]:
                rows.append({
                    "need_id": n["id"], "unit_id": s["unit_id"], "unit_name": s["unit_name"],
                    "unit_lat": s["unit_lat"], "unit_lon": s["unit_lon"],
                    "resource_id": s["resource_id"], "resource_title": s["resource_title"],
                    "category": s["category"], "remaining": s["remaining"],
                    "hops": hops, "served_at": rung.level,
                    "path_ids": [d["id"] for d in nodes],
                    "path_labels": [_primary(d["labels"]) for d in nodes],
                    "path_names": [d.get("name") for d in nodes],
                    "path_rels": [p.rel for p in path[:-1]],
                    "path_forward": [p.forward for p in path[:-1]],
                })
    rows.sort(key=lambda r: (r["hops"], -r["remaining"], r["unit_id"], r["resource_id"]))
    return rows


@twin("plan_candidates")
def plan_candidates(eg: EmbeddedGraph, statuses: list[str]) -> list[dict[str, Any]]:
    """Every open need with each (resource, unit, hops, served_at) candidate up its ladder, or
    one empty row."""
    g = eg.g
    wanted = set(statuses)
    by_comp = _offers(eg)
    idx = linkage_index(eg)
    groups: dict[tuple[str, str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for nk in eg.nodes_of("Need"):
        n = g.nodes[nk]
        if n.get("status") not in wanted:
            continue
        for loc in _locations(eg, nk):
            groups[(loc, _scope_of(eg, n, loc), _ladder_of(eg, n, loc))].append(n)
    rows = []
    unions: dict[tuple[frozenset[Any], int | None], frozenset[int]] = {}
    for (loc, scope, levels), needs in groups.items():
        comp = idx.component_of(loc)
        avail = {c: o for c in {n.get("category") for n in needs}
                 if comp is not None and (o := by_comp.get((c, comp))) is not None}
        mix = (frozenset(avail), comp)
        targets = unions.get(mix)
        if targets is None:  # the categories of a group repeat: one union per mix, not per group
            targets = unions[mix] = frozenset().union(*(o.units for o in avail.values()))
        rungs, served = idx.climb(loc, levels, targets, len(targets)) if targets else ([], {})
        # per category: (entry, hops, level) of each reached offering unit, computed once per group
        hits_of: dict[Any, list[tuple[dict[str, Any], int, str]]] = {}
        for cat, o in avail.items():
            hits_of[cat] = [(s, rungs[r].found.dist[ui], rungs[r].level)
                            for ui, r in served.items() if ui in o.units for s in o.by_unit[ui]]
        loc_id = g.nodes[loc]["id"]
        for n in needs:
            nid, title, cat = n["id"], n.get("title"), n.get("category")
            qty = 1 if n.get("quantity") is None else n["quantity"]
            hits = hits_of.get(cat)
            if not hits:
                rows.append({"need_id": nid, "need_title": title, "category": cat, "quantity": qty,
                             "location_id": loc_id, "scope": scope, "resource_id": None, "unit_id": None,
                             "remaining": None, "hops": None, "served_at": None})
                continue
            for s, hops, level in hits:
                rows.append({"need_id": nid, "need_title": title, "category": cat, "quantity": qty,
                             "location_id": loc_id, "scope": scope,
                             "resource_id": s["resource_id"], "unit_id": s["unit_id"],
                             "remaining": s["remaining"], "hops": hops, "served_at": level})
    rows.sort(key=lambda r: (r["need_id"], order_key(r["resource_id"]), order_key(r["unit_id"]),
                             r["location_id"]))
    return rows


# -- write query -------------------------------------------------------------------------
@twin("write_plan", write=True)
def write_plan(eg: EmbeddedGraph, plan_id: str, rows: list[dict[str, Any]], created_at: str,
               input_hash: str, needs: int, met: int, unmet: int, keep: int) -> list[dict[str, Any]]:
    """Replace the MATCHED_TO relationships of ``plan_id`` by ``rows``, record its Plan node and
    prune the plans beyond the newest ``keep``; one row per relationship created."""
    old = [(nk, rk, k) for nk, rk, k, _ in matched_edges(eg, plan_id)]
    for nk, rk, k in old:
        eg.remove_edge(nk, rk, k)
    pruned = record_plan(eg, plan_id, {"created_at": created_at, "input_hash": input_hash,
                                       "needs": needs, "met": met, "unmet": unmet}, keep)
    out = []
    for row in rows:
        nk, rk = f"Need:{row['need_id']}", f"Resource:{row['resource_id']}"
        if not eg.is_live(nk) or not eg.is_live(rk):
            continue
        # a null value sets no property in Neo4j's CREATE, so none is stored here either
        props = {"plan_id": plan_id, **{k: row[k] for k in ("rank", "hops", "quantity")
                                        if row.get(k) is not None}}
        eg.add_edge(nk, rk, edge_key("MATCHED_TO", props), type="MATCHED_TO", **props)
        out.append({"need_id": row["need_id"], "resource_id": row["resource_id"], "deleted": len(old),
                    "pruned": pruned})
    out.sort(key=lambda r: (r["need_id"], r["resource_id"]))
    return out
