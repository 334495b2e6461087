"""Embedded twins of the territory lists the API serves: ``list_streets``,
``list_communities``, ``list_grids`` and ``list_stations`` (see their ``.cypher`` files)."""

from __future__ import annotations

from typing import Any

from orglink.graph.embedded import EmbeddedGraph
from orglink.queries.registry import twin


def _count_in(eg: EmbeddedGraph, key: str, label: str) -> int:
    return sum(1 for u, _ in eg.in_edges(key, "IN") if label in eg.g.nodes[u]["labels"])


@twin("list_streets")
def list_streets(eg: EmbeddedGraph, street: str | None) -> list[dict[str, Any]]:
    """Streets with their community counts (see list_streets.cypher)."""
    rows = []
    for sk in eg.nodes_of("Street"):
        d = eg.g.nodes[sk]
        if street is not None and d["id"] != street:
            continue
        rows.append({"id": d["id"], "name": d.get("name"), "kind": d.get("kind"),
                     "communities": _count_in(eg, sk, "Community")})
    return sorted(rows, key=lambda r: r["id"])


@twin("list_communities")
def list_communities(eg: EmbeddedGraph, street: str | None, community: str | None) -> list[dict[str, Any]]:
    """Communities with street and grid count (see list_communities.cypher)."""
    rows = []
    for ck in eg.nodes_of("Community"):
        d = eg.g.nodes[ck]
        if community is not None and d["id"] != community:
            continue
        sk = eg.first_out(ck, "IN", "Street")
        if street is not None and eg.id_of(sk) != street:
            continue
        rows.append({"id": d["id"], "name": d.get("name"), "street": eg.id_of(sk),
                     "street_name": eg.g.nodes[sk].get("name") if sk else None,
                     "grids": _count_in(eg, ck, "Grid")})
    return sorted(rows, key=lambda r: r["id"])


@twin("list_grids")
def list_grids(eg: EmbeddedGraph, street: str | None, community: str | None) -> list[dict[str, Any]]:
    """Grids with community and coordinates (see list_grids.cypher)."""
    rows = []
    for gk in eg.nodes_of("Grid"):
        d = eg.g.nodes[gk]
        ck = eg.first_out(gk, "IN", "Community")
        sk = eg.first_out(ck, "IN", "Street")
        if community is not None and eg.id_of(ck) != community:
            continue
        if street is not None and eg.id_of(sk) != street:
            continue
        rows.append({"id": d["id"], "name": d.get("name"), "community": eg.id_of(ck),
                     "lat": d.get("lat"), "lon": d.get("lon")})
    return sorted(rows, key=lambda r: r["id"])


@twin("list_stations")
def list_stations(eg: EmbeddedGraph, street: str | None, community: str | None) -> list[dict[str, Any]]:
    """Stations with services, community and operators (see list_stations.cypher)."""
    rows = []
    for tk in eg.nodes_of("Station"):
        d = eg.g.nodes[tk]
        ck = eg.first_out(tk, "LOCATED_IN", "Community")
        sk = eg.first_out(ck, "IN", "Street")
        if community is not None and eg.id_of(ck) != community:
            continue
        if street is not None and eg.id_of(sk) != street:
            continue
        run_by = sorted(eg.g.nodes[u]["id"] for u, _ in eg.in_edges(tk, "RUNS")
                        if "Unit" in eg.g.nodes[u]["labels"])
        rows.append({"id": d["id"], "name": d.get("name"), "kind": d.get("kind"),
                     "services": d.get("services"), "community": eg.id_of(ck),
                     "community_name": eg.g.nodes[ck].get("name") if ck else None,
                     "run_by": run_by})
    return sorted(rows, key=lambda r: r["id"])
