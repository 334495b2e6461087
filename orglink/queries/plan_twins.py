"""Embedded twins of the stored-plan queries ``list_plans`` and ``delete_plan``, and the part
of ``write_plan`` (its twin is in :mod:`orglink.queries.matching_twins`) that records the
``Plan`` node and prunes the plans beyond the newest ``keep``.

A stored plan is a ``Plan`` node (id, created_at, input_hash, needs, met, unmet) plus the
``MATCHED_TO`` relationships carrying its id as ``plan_id``. A plan id found only on
``MATCHED_TO`` relationships (written before Plan nodes existed) is a plan too: listed last,
with null figures, pruned first, and deletable by id. Each twin gives the same rows as its
``.cypher`` file (see the file headers for the meaning).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from orglink.graph.embedded import EmbeddedGraph, node_key
from orglink.graph.store import NodeRec
from orglink.queries.registry import twin

PLAN_FIGURES = ("created_at", "input_hash", "needs", "met", "unmet")
"""The properties of a Plan node besides its id (what ``write_plan`` sets)."""


def matched_edges(eg: EmbeddedGraph, plan_id: str | None = None) -> list[tuple[str, str, Any, dict[str, Any]]]:
    """Every (need)-[:MATCHED_TO]->(resource) as (need key, resource key, edge key, attributes),
    only those of ``plan_id`` when it is given."""
    g = eg.g
    return [(nk, rk, k, d) for nk in eg.nodes_of("Need")
            for _, rk, k, d in g.out_edges(nk, keys=True, data=True)
            if d["type"] == "MATCHED_TO" and "Resource" in g.nodes[rk]["labels"]
            and (plan_id is None or d.get("plan_id") == plan_id)]


def newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (with ``id`` and ``created_at``) as Cypher's
    ``ORDER BY created_at IS NULL, created_at DESC, id DESC`` orders them."""
    out = sorted(rows, key=lambda r: r["id"], reverse=True)
    out.sort(key=lambda r: r["created_at"] or "", reverse=True)  # stable: ties keep id order
    out.sort(key=lambda r: r["created_at"] is None)
    return out


def _plans(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Every stored plan (Plan nodes, then plan ids found only on MATCHED_TO), unordered, with
    its figures and how many MATCHED_TO relationships it holds."""
    g = eg.g
    counts = Counter(d.get("plan_id") for *_, d in matched_edges(eg))
    rows = []
    known = set()
    for pk in eg.nodes_of("Plan"):
        p = g.nodes[pk]
        known.add(p["id"])
        rows.append({"id": p["id"], **{k: p.get(k) for k in PLAN_FIGURES},
                     "assignments": counts.get(p["id"], 0)})
    for pid, n in counts.items():
        if pid is not None and pid not in known:
            rows.append({"id": pid, **dict.fromkeys(PLAN_FIGURES), "assignments": n})
    return rows


def record_plan(eg: EmbeddedGraph, plan_id: str, figures: dict[str, Any], keep: int) -> list[str]:
    """MERGE the Plan node of ``plan_id`` with ``figures`` (a null removes a property), then
    delete every plan but this one and the ``keep - 1`` newest others (their Plan nodes and
    MATCHED_TO relationships). Returns the ids of the plans deleted, newest first."""
    eg.merge_node(NodeRec("Plan", plan_id, {k: figures[k] for k in PLAN_FIGURES}))
    others = [r["id"] for r in newest_first([r for r in _plans(eg) if r["id"] != plan_id])]
    pruned = others[keep - 1:]  # keep - 1 <= 0 slices from the end, as Cypher's list[-1..] does
    gone = set(pruned)
    for nk, rk, k, d in matched_edges(eg):
        if d.get("plan_id") in gone:
            eg.remove_edge(nk, rk, k)
    for pid in pruned:
        pk = node_key("Plan", pid)
        if pk in eg.g:
            eg.remove_node(pk)
    return pruned


@twin("list_plans")
def list_plans(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Every stored plan, newest first, with its figures and number of assignments."""
    return newest_first(_plans(eg))


@twin("delete_plan", write=True)
def delete_plan(eg: EmbeddedGraph, plan_id: str) -> list[dict[str, Any]]:
    """Delete plan ``plan_id`` (Plan node and MATCHED_TO); one row, or none if there is no such plan."""
    rels = matched_edges(eg, plan_id)
    pk = node_key("Plan", plan_id)
    plans = 1 if pk in eg.g else 0
    if not plans and not rels:
        return []
    for nk, rk, k, _ in rels:
        eg.remove_edge(nk, rk, k)
    if plans:
        eg.remove_node(pk)
    return [{"id": plan_id, "plans": plans, "deleted": len(rels)}]
