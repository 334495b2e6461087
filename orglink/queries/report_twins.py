"""Embedded twins of ``report_resources.cypher`` (the pairing report's resources and their load)
and ``retired_dispatches.cypher`` (dispatches to resources the lists no longer hold)."""

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
                "subtype": r.get("subtype"),
                "keywords": r.get("keywords"),
                "capacity": 0 if capacity is None else capacity,
                "measure": r.get("measure"),
                "dispatched": dispatched,
            })
    rows.sort(key=lambda r: (r["unit_id"], r["resource_id"]))
    return rows




@twin("retired_dispatches", sees_retired=True)
def retired_dispatches(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Every dispatch to a retired resource (see the .cypher header)."""
    g = eg.g
    rows = []
    for rk in eg.nodes_of("Resource"):
        r = g.nodes[rk]
        if r.get("retired_on") is None:
            continue
        uk = min((u for u, _ in eg.in_edges(rk, "OFFERS") if "Unit" in g.nodes[u]["labels"]),
                 key=lambda k: g.nodes[k]["id"], default=None)
        for nk, d in eg.in_edges(rk, "DISPATCHED_TO"):
            n = g.nodes[nk]
            rows.append({"need_id": n["id"], "need_title": n.get("title"), "status": n.get("status"),
                         "need_retired": n.get("retired_on") is not None, "resource_id": r["id"],
                         "resource_title": r.get("title"),
                         "unit_name": g.nodes[uk].get("name") if uk is not None else None,
                         "quantity": d.get("quantity"), "retired_on": r.get("retired_on")})
    rows.sort(key=lambda x: (x["need_id"], x["resource_id"]))
    return rows
