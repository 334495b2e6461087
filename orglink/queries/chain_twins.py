"""Embedded twin of ``community_chain.cypher``: the organisation chain of one community."""

from __future__ import annotations

from typing import Any

from orglink.graph.embedded import EmbeddedGraph, node_key
from orglink.queries.registry import twin


def _first(eg: EmbeddedGraph, keys: list[str]) -> dict[str, Any] | None:
    return eg.g.nodes[min(keys, key=lambda k: eg.g.nodes[k]["id"])] if keys else None


@twin("community_chain")
def community_chain(eg: EmbeddedGraph, community_id: str) -> list[dict[str, Any]]:
    """Community, street, district, committees, party orgs below and grids (one row)."""
    g = eg.g
    ck = node_key("Community", community_id)
    if ck not in g:
        return []
    c = g.nodes[ck]
    street = _first(eg, [v for v, _ in eg.out_edges(ck, "IN") if g.nodes[v]["label"] == "Street"])
    district = None
    if street:
        sk = node_key("Street", street["id"])
        district = _first(eg, [v for v, _ in eg.out_edges(sk, "IN") if g.nodes[v]["label"] == "District"])
    cc_keys = [u for u, _ in eg.in_edges(ck, "RESPONSIBLE_FOR") if g.nodes[u]["label"] == "CommunityCommittee"]
    cc = _first(eg, cc_keys)
    wc = None
    orgs: set[tuple[str, str, str]] = set()
    if cc:
        cck = node_key("CommunityCommittee", cc["id"])
        wc = _first(eg, [u for u, _ in eg.in_edges(cck, "LEADS") if g.nodes[u]["label"] == "WorkingCommittee"])
        frontier = {cck}
        parents: set[str] = set(frontier)
        for _ in range(2):  # LEADS*0..2 to the parent
            frontier = {v for k in frontier for v, _ in eg.out_edges(k, "LEADS")}
            parents |= frontier
        for p in parents:
            for v, _ in eg.out_edges(p, "LEADS"):
                if g.nodes[v]["label"] in ("GridBranch", "PartyGroup"):
                    orgs.add((g.nodes[v]["id"], g.nodes[p]["id"], v))
    org_rows = [{"id": oid, "name": g.nodes[k].get("name"), "label": g.nodes[k]["label"],
                 "level": g.nodes[k].get("level"), "parent_id": pid}
                for oid, pid, k in sorted(orgs)]
    grids = sorted(({"id": g.nodes[u]["id"], "name": g.nodes[u].get("name")}
                    for u, _ in eg.in_edges(ck, "IN") if g.nodes[u]["label"] == "Grid"),
                   key=lambda r: r["id"])

    def get(n: dict[str, Any] | None, p: str) -> Any:
        return n.get(p) if n else None

    return [{
        "community_id": c["id"], "community_name": c.get("name"),
        "street_id": get(street, "id"), "street_name": get(street, "name"),
        "district_id": get(district, "id"), "district_name": get(district, "name"),
        "committee_id": get(cc, "id"), "committee_name": get(cc, "name"),
        "working_committee_id": get(wc, "id"), "working_committee_name": get(wc, "name"),
        "orgs": org_rows, "grids": grids,
    }]
