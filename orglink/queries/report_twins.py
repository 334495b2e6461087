"""Embedded twins of ``report_needs.cypher`` and ``report_resources.cypher`` (the pairing report)."""

from __future__ import annotations

from typing import Any

from orglink.graph.embedded import EmbeddedGraph, node_key
from orglink.queries.registry import twin


@twin("report_needs")
def report_needs(eg: EmbeddedGraph, need_ids: list[str]) -> list[dict[str, Any]]:
    """Each named need with its place, community and street (see the .cypher header)."""
    g = eg.g
    rows = []
    for need_id in need_ids:
        k = node_key("Need", need_id)
        if k not in g:
            continue
        n = g.nodes[k]
        place = eg.first_out(k, "RAISED_AT", "Grid") or eg.first_out(k, "RAISED_AT", "Community")
        community: str | None = None
        if place is not None:
            community = place if "Community" in g.nodes[place]["labels"] else \
                eg.first_out(place, "IN", "Community")
        street = eg.first_out(community, "IN", "Street") if community else None

        def attr(key: str | None, prop: str) -> Any:
            return g.nodes[key].get(prop) if key is not None else None

        quantity = n.get("quantity")
        rows.append({
            "need_id": n["id"],
            "title": n.get("title"),
            "category": n.get("category"),
            "quantity": 1 if quantity is None else quantity,
            "status": n.get("status"),
            "urgency": n.get("urgency"),
            "scope": n.get("scope"),
            "place_id": attr(place, "id"),
            "place_name": attr(place, "name"),
            "community_id": attr(community, "id"),
            "community_name": attr(community, "name"),
            "street_id": attr(street, "id"),
            "street_name": attr(street, "name"),
        })
    rows.sort(key=lambda r: r["need_id"])
    return rows


@twin("report_resources")
def report_resources(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Every resource with its unit and dispatched quantity (see the .cypher header)."""
    g = eg.g
    rows = []
    for uk in eg.nodes_of("Unit"):
        u = g.nodes[uk]
        for rk, _ in eg.out_edges(uk, "OFFERS"):
            r = g.nodes[rk]
            dispatched = 0
            for nk, d in eg.in_edges(rk, "DISPATCHED_TO"):
                q = d.get("quantity")
                if q is None:
                    q = g.nodes[nk].get("quantity")
                dispatched += 1 if q is None else q
            capacity = r.get("capacity")
            rows.append({
                "unit_id": u["id"],
                "unit_name": u.get("name"),
                "unit_kind": u.get("kind"),
                "resource_id": r["id"],
                "resource_title": r.get("title"),
                "category": r.get("category"),
                "capacity": 0 if capacity is None else capacity,
                "measure": r.get("measure"),
                "dispatched": dispatched,
            })
    rows.sort(key=lambda r: (r["unit_id"], r["resource_id"]))
    return rows


@twin("report_places")
def report_places(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Every community with its street (see the .cypher header)."""
    g = eg.g
    rows = []
    for ck in eg.nodes_of("Community"):
        streets = sorted(v for v, _ in eg.out_edges(ck, "IN") if "Street" in g.nodes[v]["labels"])
        street_keys: list[str | None] = [*streets] or [None]
        for sk in street_keys:
            s = g.nodes[sk] if sk is not None else {}
            rows.append({
                "street_id": s.get("id"),
                "street_name": s.get("name"),
                "community_id": g.nodes[ck]["id"],
                "community_name": g.nodes[ck].get("name"),
            })
    # Neo4j sorts nulls last in ascending order
    rows.sort(key=lambda r: (r["street_id"] is None, r["street_id"] or "", r["community_id"]))
    return rows
