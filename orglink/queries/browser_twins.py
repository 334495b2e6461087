"""Embedded twins of the Neo4j Browser guide's own queries.

``unit_lists.cypher`` (一书三单 of one unit) and ``unmet_by_street.cypher`` (unmet needs per
street); ``community_cadres`` is a generated lookup. Each mirrors its
``.cypher`` file exactly, ordering included (Cypher sorts nulls last).
"""

from __future__ import annotations

from typing import Any

from orglink.graph.cypher_semantics import order_key
from orglink.graph.embedded import EmbeddedGraph, node_key
from orglink.queries.registry import twin

UNMET_STATUSES = ("ordered", "accepted", "escalated")
"""Statuses of a need that nobody has been dispatched to yet (see unmet_by_street.cypher)."""


def _targets(eg: EmbeddedGraph, key: str, type_: str, label: str) -> list[str]:
    return sorted({v for v, _ in eg.out_edges(key, type_) if label in eg.g.nodes[v]["labels"]})


def _sources(eg: EmbeddedGraph, key: str, type_: str, label: str) -> list[str]:
    return sorted({u for u, _ in eg.in_edges(key, type_) if label in eg.g.nodes[u]["labels"]})


def _places(eg: EmbeddedGraph, community: str) -> list[str]:
    """A community and what lies directly in it (its grids): where its needs are raised."""
    inside = {u for u, _ in eg.in_edges(community, "IN")
              if {"Grid", "Community"} & set(eg.g.nodes[u]["labels"])}
    return [community, *sorted(inside)]


def _needs_at(eg: EmbeddedGraph, community: str) -> list[str]:
    """Needs raised at a community or at one of its grids (each once)."""
    return sorted({n for p in _places(eg, community) for n in _sources(eg, p, "RAISED_AT", "Need")})


@twin("unit_lists")
def unit_lists(eg: EmbeddedGraph, unit_id: str) -> list[dict[str, Any]]:
    """一书三单 of one unit (see unit_lists.cypher)."""
    g = eg.g
    u = node_key("Unit", unit_id)
    if u not in g:
        return []
    items: list[dict[str, Any]] = []

    def item(seq: int, list_: str, d: dict[str, Any], **cols: Any) -> None:
        row = {"list": list_, "id": d["id"], "title": None, "category": None, "quantity": None,
               "status": None, "community": None, "community_id": None, "signed_on": None}
        row.update(cols)
        items.append({"seq": seq, **row})

    for a in _targets(eg, u, "SIGNED", "Agreement"):
        ad = g.nodes[a]
        communities: list[str | None] = [*_targets(eg, a, "WITH", "Community")] or [None]
        for c in communities:
            item(1, "共驻共建协议书", ad, community=g.nodes[c].get("name") if c else None,
                 community_id=g.nodes[c]["id"] if c else None, signed_on=ad.get("signed_on"))
    for r in _targets(eg, u, "OFFERS", "Resource"):
        rd = g.nodes[r]
        item(2, "资源清单", rd, title=rd.get("title"), category=rd.get("category"),
             quantity=rd.get("capacity"))
    for p in _sources(eg, u, "BY", "ServiceProject"):
        pd = g.nodes[p]
        project_communities: list[str | None] = [*_targets(eg, p, "FOR", "Community")] or [None]
        for c in project_communities:
            item(3, "项目清单", pd, title=pd.get("title"), status=pd.get("status"),
                 community=g.nodes[c].get("name") if c else None,
                 community_id=g.nodes[c]["id"] if c else None)
    seen: set[tuple[str, str]] = set()
    for a in _targets(eg, u, "SIGNED", "Agreement"):
        for c in _targets(eg, a, "WITH", "Community"):
            for n in _needs_at(eg, c):
                if (n, c) in seen:
                    continue
                seen.add((n, c))
                nd = g.nodes[n]
                item(4, "需求清单", nd, title=nd.get("title"), category=nd.get("category"),
                     quantity=nd.get("quantity"), status=nd.get("status"),
                     community=g.nodes[c].get("name"), community_id=g.nodes[c]["id"])
    items.sort(key=lambda r: (r["seq"], order_key(r["id"]), order_key(r["community"])))
    for row in items:
        del row["seq"]
    return items


@twin("unmet_by_street")
def unmet_by_street(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Unmet needs per street (see unmet_by_street.cypher)."""
    g = eg.g
    rows = []
    for s in eg.nodes_of("Street"):
        needs: set[str] = set()
        communities: set[str] = set()
        for c in _sources(eg, s, "IN", "Community"):
            unmet = [n for n in _needs_at(eg, c) if g.nodes[n].get("status") in UNMET_STATUSES]
            if unmet:
                communities.add(c)
                needs.update(unmet)
        rows.append({
            "street_id": g.nodes[s]["id"],
            "street_name": g.nodes[s].get("name"),
            "unmet_needs": len(needs),
            "urgent_needs": sum(1 for n in needs if g.nodes[n].get("urgency") == "urgent"),
            "communities": len(communities),
        })
    rows.sort(key=lambda r: (-r["unmet_needs"], r["street_id"]))
    return rows


