"""The pairing plan: all open needs at once, as a minimum-cost flow.

Network: source → need (capacity = quantity) → resource (cost = hops, for every in-scope
candidate) → sink (capacity = remaining). A maximum flow of minimum cost meets as much as
possible, then with the fewest total hops; one resource is never promised beyond what it has
left, and a need may be split over several resources. Candidate edges come from the named
query ``plan_candidates`` and capacities from ``resource_supply``, so both backends feed the
same solver and get the same plan (same id, same JSON).

The flow network falls apart into independent pieces (needs and resources of one category
linked by candidate edges); each piece is solved on its own, which gives the same optimum.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from orglink.graph.model import OPEN_STATUSES
from orglink.graph.store import Store, StoreError
from orglink.matching.reasons import REASONS, reason_code
from orglink.matching.types import Assignment, PlanResult, Unmet


@dataclass(frozen=True)
class PlanInput:
    """What the solver sees: needs, candidate edges and capacities (all sorted)."""

    needs: dict[str, dict[str, Any]]  # need_id -> {title, category, quantity}
    edges: dict[tuple[str, str], tuple[int, str]]  # (need_id, resource_id) -> (hops, unit_id)
    supply: dict[str, dict[str, Any]]  # resource_id -> {category, remaining, unit_id, …}

    def content_hash(self) -> str:
        """A short hash of everything the plan depends on (same state, same hash)."""
        doc = {
            "needs": sorted([k, v["category"], v["quantity"]] for k, v in self.needs.items()),
            "edges": sorted([n, r, h] for (n, r), (h, _) in self.edges.items()),
            "supply": sorted([k, v["category"], v["remaining"]] for k, v in self.supply.items()),
        }
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def read_input(store: Store) -> PlanInput:
    """Read open needs, candidate edges and resource capacities from the store."""
    supply: dict[str, dict[str, Any]] = {}
    for s in store.read("resource_supply"):
        supply.setdefault(s["resource_id"], {
            "category": s["category"], "remaining": max(0, s["remaining"] or 0),
            "unit_id": s["unit_id"], "unit_name": s["unit_name"], "title": s["resource_title"],
        })
    needs: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], tuple[int, str]] = {}
    for r in store.read("plan_candidates", statuses=list(OPEN_STATUSES)):
        needs.setdefault(r["need_id"], {"title": r["need_title"], "category": r["category"],
                                        "quantity": max(0, r["quantity"] or 0)})
        if r["resource_id"] is None:
            continue
        key = (r["need_id"], r["resource_id"])
        if key not in edges or (r["hops"], r["unit_id"]) < edges[key]:
            edges[key] = (r["hops"], r["unit_id"])
        supply.setdefault(r["resource_id"], {"category": r["category"],
                                             "remaining": max(0, r["remaining"] or 0),
                                             "unit_id": r["unit_id"], "unit_name": None, "title": None})
    return PlanInput(needs=dict(sorted(needs.items())), edges=dict(sorted(edges.items())),
                     supply=dict(sorted(supply.items())))


def _pieces(edges: Iterable[tuple[str, str]]) -> list[tuple[list[str], list[str]]]:
    """Connected pieces of the need–resource graph as (sorted needs, sorted resources)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for n, r in edges:
        a, b = find(("n", n)), find(("r", r))
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for x in sorted(parent):
        g = groups[find(x)]
        (g[0] if x[0] == "n" else g[1]).append(x[1])
    return [groups[k] for k in sorted(groups)]


def solve(needs: dict[str, int], edges: dict[tuple[str, str], int],
          capacity: dict[str, int]) -> dict[tuple[str, str], int]:
    """Maximum flow of minimum cost: ``{(need, resource): quantity}`` for positive flows.

    ``needs``: quantity per need; ``edges``: hops per candidate (need, resource);
    ``capacity``: remaining per resource. Deterministic: the network is built in sorted order.
    """
    flows: dict[tuple[str, str], int] = {}
    by_need: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_res: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (n, r), h in edges.items():
        by_need[n].append((h, r))
        by_res[r].append((h, n))
    for ns, rs in _pieces(edges):
        if len(ns) == 1 or len(rs) == 1:
            # a star: filling the cheapest edges first is optimal
            if len(ns) == 1:
                left = {ns[0]: needs.get(ns[0], 0)}
                order = [(h, ns[0], r) for h, r in sorted(by_need[ns[0]])]
            else:
                left = {n: needs.get(n, 0) for n in ns}
                order = [(h, n, rs[0]) for h, n in sorted(by_res[rs[0]])]
            cap = {r: capacity.get(r, 0) for r in rs}
            for _h, n, r in order:
                q = min(left[n], cap[r])
                if q > 0:
                    flows[(n, r)] = q
                    left[n] -= q
                    cap[r] -= q
            continue
        g = nx.DiGraph()
        g.add_node("source")
        g.add_nodes_from(("n", n) for n in ns)
        g.add_nodes_from(("r", r) for r in rs)
        g.add_node("sink")
        for n in ns:
            g.add_edge("source", ("n", n), capacity=needs.get(n, 0), weight=0)
            for h, r in sorted(by_need[n], key=lambda e: (e[1], e[0])):
                g.add_edge(("n", n), ("r", r), capacity=needs.get(n, 0), weight=h)
        for r in rs:
            g.add_edge(("r", r), "sink", capacity=capacity.get(r, 0), weight=0)
        flow = nx.max_flow_min_cost(g, "source", "sink")
        for n in ns:
            for (_, r), q in flow[("n", n)].items():
                if q > 0:
                    flows[(n, r)] = q
    return dict(sorted(flows.items()))


def build_plan(inp: PlanInput, plan_id: str | None = None) -> PlanResult:
    """Solve the plan for ``inp`` (no store access)."""
    pid = plan_id if plan_id is not None else "plan-" + inp.content_hash()
    quantities = {k: v["quantity"] for k, v in inp.needs.items()}
    caps = {k: v["remaining"] for k, v in inp.supply.items()}
    flows = solve(quantities, {k: h for k, (h, _) in inp.edges.items()}, caps)
    met: dict[str, int] = defaultdict(int)
    used: dict[str, int] = defaultdict(int)
    per_need: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for (n, r), q in flows.items():
        met[n] += q
        used[r] += q
        per_need[n].append((inp.edges[(n, r)][0], r, q))
    assignments: list[Assignment] = []
    for n in sorted(per_need):
        need = inp.needs[n]
        for rank, (h, r, q) in enumerate(sorted(per_need[n]), start=1):
            s = inp.supply.get(r, {})
            assignments.append(Assignment(
                need_id=n, resource_id=r, unit_id=inp.edges[(n, r)][1], quantity=q, hops=h,
                rank=rank, need_title=need["title"], unit_name=s.get("unit_name"),
                resource_title=s.get("title"), category=need["category"]))
    offered: dict[str, int] = defaultdict(int)
    spare: dict[str, int] = defaultdict(int)
    for r, s in inp.supply.items():
        offered[s["category"]] += 1
        spare[s["category"]] += s["remaining"] - used[r]
    unmet: list[Unmet] = []
    for n, need in inp.needs.items():
        left = need["quantity"] - met[n]
        if left <= 0:
            continue
        code = reason_code(offered[need["category"]], spare[need["category"]])
        unmet.append(Unmet(need_id=n, reason=REASONS[code], reason_code=code, quantity=left,
                           need_title=need["title"], category=need["category"]))
    return PlanResult(plan_id=pid, assignments=assignments, unmet=unmet)


def run_plan(store: Store, plan_id: str | None = None, write: bool = True) -> PlanResult:
    """Plan the pairing of every open need; store it as MATCHED_TO relationships unless ``write`` is False.

    ``plan_id`` defaults to ``plan-`` + a hash of the inputs, so planning the same state again
    gives the same id (and rewriting it replaces, not duplicates, its relationships).
    """
    if plan_id is not None and (not isinstance(plan_id, str) or not plan_id.strip()):
        raise StoreError("方案编号不能为空")
    result = build_plan(read_input(store), plan_id)
    if write:
        rows = [{"need_id": a.need_id, "resource_id": a.resource_id, "rank": a.rank,
                 "hops": a.hops, "quantity": a.quantity} for a in result.assignments]
        store.write("write_plan", plan_id=result.plan_id, rows=rows)
    return result


def stored_assignments(store: Store, plan_id: str) -> list[Assignment]:
    """The assignments stored for ``plan_id`` (empty if there is no such plan)."""
    return [Assignment(need_id=r["need_id"], resource_id=r["resource_id"], unit_id=r["unit_id"] or "",
                       quantity=r["quantity"] or 0, hops=r["hops"] or 0, rank=r["rank"],
                       need_title=r["need_title"], unit_name=r["unit_name"],
                       resource_title=r["resource_title"], category=r["category"])
            for r in store.read("get_plan", plan_id=plan_id)]
