"""Embedded twins of ``graph_nodes.cypher`` and ``graph_relationships.cypher``: the whole graph.

Rows carry sorted labels and every property (``id`` included, as ``properties(n)`` gives it in
Neo4j), so a digest of both lists identifies the graph's content on either backend.
"""

from __future__ import annotations

import copy
from typing import Any

from orglink.graph.embedded import EmbeddedGraph
from orglink.queries.registry import twin

_NODE_BOOKKEEPING = ("label", "labels")


@twin("graph_nodes")
def graph_nodes(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Every node: ``labels`` (sorted), ``id`` and ``props`` (all properties), ordered."""
    rows = []
    for _, d in eg.g.nodes(data=True):
        props = {k: copy.deepcopy(v) for k, v in d.items() if k not in _NODE_BOOKKEEPING}
        rows.append({"labels": sorted(d["labels"]), "id": d["id"], "props": props})
    rows.sort(key=lambda r: (r["labels"], r["id"]))
    return rows


@twin("graph_relationships")
def graph_relationships(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Every relationship: endpoints' sorted labels and ids, ``type`` and ``props``, ordered."""
    g = eg.g
    rows = []
    for u, v, d in g.edges(data=True):
        a, b = g.nodes[u], g.nodes[v]
        rows.append({
            "src_labels": sorted(a["labels"]), "src_id": a["id"], "type": d["type"],
            "dst_labels": sorted(b["labels"]), "dst_id": b["id"],
            "props": {k: copy.deepcopy(x) for k, x in d.items() if k != "type"},
        })
    # the Cypher's order, nulls last; what it leaves tied is ordered by all properties here
    rows.sort(key=lambda r: (r["src_labels"], r["src_id"], r["type"], r["dst_labels"], r["dst_id"],
                             r["props"].get("plan_id") is None, r["props"].get("plan_id") or "",
                             repr(sorted(r["props"].items()))))
    return rows
