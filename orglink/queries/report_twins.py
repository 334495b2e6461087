"""Embedded twin of ``report_resources.cypher`` (the pairing report's resources and their load)."""

from __future__ import annotations

from typing import Any

from orglink.graph.embedded import EmbeddedGraph
from orglink.queries.registry import twin


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


