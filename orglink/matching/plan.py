"""The pairing plan: all open needs at once, as a minimum-cost flow.

Network: source → need (capacity = quantity) → resource (for every fitting candidate within
the need's reach) → sink (capacity = remaining). A maximum flow of minimum cost meets as much
as possible; one resource is never promised beyond what it has left, and a need may be split
over several resources. Among the flows that meet the most, the cost of an edge orders them
lexicographically (:func:`edge_cost`): first urgency (紧急 before 较急 before 一般), then the
ladder (a grid need served inside its grid before its community: 小事不出网格), then hops,
then the keywords the need and the resource share (more shared words: the closer fit).
The weights make one unit of a more urgent need outweigh any saving of level, distance or
words, one level outweigh any saving of distance or words, one hop any number of words.

Worked example: one resource of capacity 1 two hops from an 一般 need and four hops from a
紧急 need. Costs: 一般 = 2·W_u + 2·W_h, 紧急 = 0·W_u + 4·W_h with W_u far above any hop
count times W_h, so the 紧急 need gets the unit although it is farther. Candidate edges come from the named
query ``plan_candidates`` and capacities from ``resource_supply``, so both backends feed the
same solver and get the same plan (same id, same JSON).

The flow network falls apart into independent pieces (needs and resources of one category
linked by candidate edges); each piece is solved on its own, which gives the same optimum.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from orglink import queries
from orglink.clock import CHINA_TZ, china_now
from orglink.graph.model import OPEN_STATUSES
from orglink.graph.store import NotFound, Store, StoreError
from orglink.matching.fit import explain_fit, fits
from orglink.matching.reasons import OUT_OF_SCOPE, REASONS, SHORTAGE, reason_code
from orglink.matching.types import Assignment, PlanResult, Unmet, Whistle
from orglink.settings import load_settings


@dataclass(frozen=True)
class PlanInput:
    """What the solver sees: needs, candidate edges and capacities (all sorted)."""

    needs: dict[str, dict[str, Any]]  # need_id -> {title, category, quantity, urgency, base, subtype, keywords}
    edges: dict[tuple[str, str], tuple[int, str, str]]  # (need, resource) -> (hops, unit_id, served_at)
    supply: dict[str, dict[str, Any]]  # resource_id -> {category, remaining, unit_id, …}

    def content_hash(self) -> str:
        """A short hash of everything the plan depends on (same state, same hash)."""
        doc = [
            sorted((k, v["category"], v.get("subtype"), v["quantity"], v.get("urgency"), v.get("base"),
                    v.get("title"), tuple(v.get("keywords") or ()))
                   for k, v in self.needs.items()),
            sorted((n, r, h, at) for (n, r), (h, _, at) in self.edges.items()),
            sorted((k, v["category"], v.get("subtype"), v["remaining"], v.get("title"),
                    tuple(v.get("keywords") or ())) for k, v in self.supply.items()),
        ]
        # repr of str/int/None tuples is canonical: same inputs, same text, on any run
        return hashlib.sha1(repr(doc).encode("utf-8")).hexdigest()[:10]


def read_input(store: Store) -> PlanInput:
    """Read open needs, candidate edges and resource capacities from the store."""
    supply: dict[str, dict[str, Any]] = {}
    for s in queries.resource_supply(store):
        supply.setdefault(s["resource_id"], {
            "category": s["category"], "remaining": max(0, s["remaining"] or 0),
            "unit_id": s["unit_id"], "unit_name": s["unit_name"], "title": s["resource_title"],
            "subtype": s.get("subtype"), "keywords": s.get("keywords"),
        })
    needs: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], tuple[int, str, str]] = {}
    for r in queries.plan_candidates(store, statuses=list(OPEN_STATUSES)):
        needs.setdefault(r["need_id"], {"title": r["need_title"], "category": r["category"],
                                        "quantity": max(0, r["quantity"] or 0),
                                        "base": r.get("scope") or "community"})
        if r["resource_id"] is None:
            continue
        key = (r["need_id"], r["resource_id"])
        served_at = r.get("served_at") or needs[r["need_id"]]["base"]
        if key not in edges or (LEVELS.index(served_at), r["hops"], r["unit_id"]) < \
                (LEVELS.index(edges[key][2]), edges[key][0], edges[key][1]):
            edges[key] = (r["hops"], r["unit_id"], served_at)
        supply.setdefault(r["resource_id"], {"category": r["category"],
                                             "remaining": max(0, r["remaining"] or 0),
                                             "unit_id": r["unit_id"], "unit_name": None, "title": None})
    for row in queries.plan_needs(store, need_ids=sorted(needs)):
        needs[row["need_id"]]["urgency"] = row["urgency"] or "normal"
        needs[row["need_id"]]["subtype"] = row.get("subtype")
        needs[row["need_id"]]["keywords"] = row.get("keywords")
    edges = {(n, r): e for (n, r), e in edges.items() if _fit(needs[n], supply[r])}  # never an unfitting one
    return PlanInput(needs=dict(sorted(needs.items())), edges=dict(sorted(edges.items())),
                     supply=dict(sorted(supply.items())))


def _fit(need: dict[str, Any], resource: dict[str, Any]) -> bool:
    """Whether ``resource`` fits ``need`` (category and sub-type, :func:`orglink.matching.fit.fits`)."""
    return fits(need["category"], need.get("subtype"), resource["category"], resource.get("subtype"))


LEVELS = ("grid", "community", "street")
"""The ladder of territory a need may be served from, lowest first (小事不出网格、大事不出社区)."""
URGENCY_ORDER = ("urgent", "pressing", "normal")
"""Urgency from most to least urgent (紧急, 较急, 一般): the first is served first."""


KEYWORD_CAP = 3
"""Shared words beyond this many do not make a fit closer (the keyword term of :func:`edge_cost`)."""


def edge_cost(urgency: str | None, base: str, served_at: str, hops: int, weights: tuple[int, int, int],
              shared: int = 0) -> int:
    """The cost of one unit of flow on a need→resource edge: ``W_u·urgency rank + W_l·levels
    climbed + W_h·hops + words missed`` (``weights`` = (W_u, W_l, W_h) from :func:`cost_weights`;
    words missed = :data:`KEYWORD_CAP` minus the ``shared`` words, at least 0)."""
    w_u, w_l, w_h = weights
    rank = URGENCY_ORDER.index(urgency) if urgency in URGENCY_ORDER else len(URGENCY_ORDER) - 1
    climbed = max(0, LEVELS.index(served_at) - LEVELS.index(base if base in LEVELS else "community"))
    return w_u * rank + w_l * climbed + w_h * hops + (KEYWORD_CAP - min(KEYWORD_CAP, shared))


def cost_weights(total_units: int, max_hops: int) -> tuple[int, int, int]:
    """(W_u, W_l, W_h) making the order strict. Over the whole flow the words-missed total
    varies by at most ``KEYWORD_CAP · total_units``, so one hop must weigh more than that; the
    hop term varies by at most ``max_hops · W_h · total_units``, so a level step must weigh more
    than that and the words together; an urgency step more than every level, hop and word."""
    n = total_units + 1
    w_h = (KEYWORD_CAP + 1) * n + 1
    w_l = (max_hops * w_h + KEYWORD_CAP + 1) * n + 1
    w_u = (2 * w_l + max_hops * w_h + KEYWORD_CAP + 1) * n + 1
    return w_u, w_l, w_h


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


def _pour(amount: int, quotas: dict[str, int], order: list[str]) -> list[tuple[str, int]]:
    """Split ``amount`` over ``order`` taking at most each one's quota (quotas are used up)."""
    out = []
    for k in order:
        if amount <= 0:
            break
        q = min(amount, quotas[k])
        if q > 0:
            quotas[k] -= q
            amount -= q
            out.append((k, q))
    return out


def _group(signatures: dict[str, tuple]) -> dict[str, list[str]]:
    """Members with the same signature, keyed by their first (smallest) member."""
    by_sig: dict[tuple, list[str]] = defaultdict(list)
    for k in sorted(signatures):
        by_sig[signatures[k]].append(k)
    return {members[0]: members for members in by_sig.values()}


def _solve_piece(needs: dict[str, int], edges: dict[tuple[str, str], int],
                 capacity: dict[str, int], ns: list[str], rs: list[str]) -> dict[tuple[str, str], int]:
    """Max flow of min cost on one connected piece, with networkx's network simplex.

    A bypass source → sink of cost M (more than any augmenting path can cost) carries what
    cannot be met, so the minimum-cost flow meets the most first, then with the fewest hops.
    """
    out_edges: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (n, r), h in edges.items():
        out_edges[n].append((r, h))
    total = sum(needs[n] for n in ns)
    big = max(edges.values()) * (len(ns) + len(rs) + 2) + 1
    g = nx.DiGraph()
    g.add_node("source", demand=-total)
    g.add_nodes_from(("n", n) for n in ns)
    g.add_nodes_from(("r", r) for r in rs)
    g.add_node("sink", demand=total)
    g.add_edge("source", "sink", capacity=total, weight=big)
    for n in ns:
        g.add_edge("source", ("n", n), capacity=needs[n], weight=0)
        for r, h in sorted(out_edges[n]):
            g.add_edge(("n", n), ("r", r), capacity=needs[n], weight=h)
    for r in rs:
        g.add_edge(("r", r), "sink", capacity=capacity[r], weight=0)
    flow = nx.min_cost_flow(g)
    return {(n, r): q for n in ns for (_, r), q in sorted(flow[("n", n)].items()) if q > 0}


def _all_at_nearest(ns: list[str], by_need: dict[str, list[tuple[int, str]]], needs: dict[str, int],
                    capacity: dict[str, int]) -> dict[tuple[str, str], int] | None:
    """Serve every need fully from resources at its own smallest hop count, if that works out.

    Such a flow meets all demand (the most possible) at the least cost any flow could have,
    so it is optimal and the flow solver is not needed. Needs with fewer nearest resources
    go first. Returns None when some need cannot be served that way.
    """
    nearest: dict[str, list[str]] = {}
    for n in ns:
        best = min(h for h, _ in by_need[n])
        nearest[n] = sorted(r for h, r in by_need[n] if h == best)
    cap = {r: capacity[r] for rs in nearest.values() for r in rs}
    flows: dict[tuple[str, str], int] = {}
    for n in sorted(ns, key=lambda n: (len(nearest[n]), n)):
        left = needs[n]
        for r in nearest[n]:
            q = min(left, cap[r])
            if q > 0:
                flows[(n, r)] = q
                cap[r] -= q
                left -= q
        if left > 0:
            return None
    return flows


def solve(needs: dict[str, int], edges: dict[tuple[str, str], int],
          capacity: dict[str, int]) -> dict[tuple[str, str], int]:
    """Maximum flow of minimum cost: ``{(need, resource): quantity}`` for positive flows.

    ``needs``: quantity per need; ``edges``: hops per candidate (need, resource);
    ``capacity``: remaining per resource. Deterministic: the network is built in sorted order.
    Interchangeable resources (same candidate edges) and then interchangeable needs are
    merged before solving and split again afterwards in id order; that leaves the optimum
    unchanged and makes the network smaller.
    """
    edges = {k: h for k, h in edges.items() if needs.get(k[0], 0) > 0 and capacity.get(k[1], 0) > 0}
    res_sig: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (n, r), h in sorted(edges.items()):
        res_sig[r].append((n, h))
    res_groups = _group({r: tuple(v) for r, v in res_sig.items()})
    res_of = {r: g for g, members in res_groups.items() for r in members}
    need_sig: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for (n, r), h in edges.items():
        need_sig[n].add((res_of[r], h))
    need_groups = _group({n: tuple(sorted(v)) for n, v in need_sig.items()})
    agg_need = {g: sum(needs[n] for n in members) for g, members in need_groups.items()}
    agg_cap = {g: sum(capacity[r] for r in members) for g, members in res_groups.items()}
    agg_edges = {(gn, r): h for gn in need_groups for r, h in need_sig[gn]}
    by_need: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_res: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (n, r), h in agg_edges.items():
        by_need[n].append((h, r))
        by_res[r].append((h, n))
    agg_flows: dict[tuple[str, str], int] = {}
    for ns, rs in _pieces(agg_edges):
        if len(ns) == 1 or len(rs) == 1:
            # a star: filling the cheapest edges first is optimal
            left = {n: agg_need[n] for n in ns}
            cap = {r: agg_cap[r] for r in rs}
            order = ([(h, ns[0], r) for h, r in sorted(by_need[ns[0]])] if len(ns) == 1
                     else [(h, n, rs[0]) for h, n in sorted(by_res[rs[0]])])
            for _h, n, r in order:
                q = min(left[n], cap[r])
                if q > 0:
                    agg_flows[(n, r)] = q
                    left[n] -= q
                    cap[r] -= q
            continue
        easy = _all_at_nearest(ns, by_need, agg_need, agg_cap)
        if easy is not None:
            agg_flows.update(easy)
            continue
        sub = {(n, r): agg_edges[(n, r)] for n in ns for _h, r in by_need[n]}
        agg_flows.update(_solve_piece(agg_need, sub, agg_cap, ns, rs))
    # split merged needs, then merged resources, in id order
    need_left = {n: needs[n] for members in need_groups.values() for n in members}
    out_of: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for (gn, gr), q in agg_flows.items():
        out_of[gn].append((agg_edges[(gn, gr)], gr, q))
    per_res: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for gn in sorted(out_of):
        for _h, gr, q in sorted(out_of[gn]):
            for n, x in _pour(q, need_left, need_groups[gn]):
                per_res[gr].append((n, x))
    cap_left = {r: capacity[r] for members in res_groups.values() for r in members}
    flows: dict[tuple[str, str], int] = defaultdict(int)
    for gr in sorted(per_res):
        for n, q in sorted(per_res[gr]):
            for r, x in _pour(q, cap_left, res_groups[gr]):
                flows[(n, r)] += x
    return dict(sorted(flows.items()))


def build_plan(inp: PlanInput, plan_id: str | None = None) -> PlanResult:
    """Solve the plan for ``inp`` (no store access)."""
    pid = plan_id if plan_id is not None else "plan-" + inp.content_hash()
    quantities = {k: v["quantity"] for k, v in inp.needs.items()}
    caps = {k: v["remaining"] for k, v in inp.supply.items()}
    weights = cost_weights(sum(quantities.values()), max((h for h, _, _ in inp.edges.values()), default=0))
    fit = {k: explain_fit(inp.needs[k[0]], inp.supply[k[1]]) for k in inp.edges}
    costs = {(n, r): edge_cost(inp.needs[n].get("urgency"), inp.needs[n].get("base", "community"), at, h, weights,
                               len(fit[(n, r)].keywords))
             for (n, r), (h, _, at) in inp.edges.items()}
    flows = solve(quantities, costs, caps)
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
            _, unit_id, served_at = inp.edges[(n, r)]
            assignments.append(Assignment(
                need_id=n, resource_id=r, unit_id=unit_id, quantity=q, hops=h,
                rank=rank, need_title=need["title"], unit_name=s.get("unit_name"),
                resource_title=s.get("title"), category=need["category"], served_at=served_at,
                fit=fit[(n, r)]))
    return PlanResult(plan_id=pid, assignments=assignments, unmet=_unmet(inp, met, used))


def _unmet(inp: PlanInput, met: dict[str, int], used: dict[str, int]) -> list[Unmet]:
    """One :class:`Unmet` per need the plan leaves (partly) unmet, with its one true reason
    (:mod:`orglink.matching.reasons`)."""
    demand: dict[tuple[str, str | None], int] = defaultdict(int)  # fit group -> open quantity
    for need in inp.needs.values():
        demand[(need["category"], need.get("subtype"))] += need["quantity"]
    reachable = {n for n, _ in inp.edges}
    # per fit group, computed once (they depend on the group only): the fitting resources, their
    # supply, what the plan leaves spare of them and the units to whistle for
    of_group: dict[tuple[str, str | None], tuple[int, int, int, list[Whistle]]] = {}
    unmet: list[Unmet] = []
    for n, need in inp.needs.items():
        left = need["quantity"] - met[n]
        if left <= 0:
            continue
        cat, group = need["category"], (need["category"], need.get("subtype"))
        if group not in of_group:
            fitting = [r for r, s in inp.supply.items() if _fit(need, s)]
            spare = [(r, inp.supply[r]["remaining"] - used[r]) for r in fitting
                     if inp.supply[r]["remaining"] > used[r]]
            whistles = [Whistle(unit_id=inp.supply[r]["unit_id"], unit_name=inp.supply[r].get("unit_name"),
                                resource_id=r, spare=q) for r, q in spare]
            of_group[group] = (len(fitting), sum(inp.supply[r]["remaining"] for r in fitting),
                               sum(q for _, q in spare), whistles)
        n_fitting, supply, spare_total, whistles = of_group[group]
        code = reason_code(n_fitting, spare_total, reachable=n in reachable,
                           demand=demand[group], supply=supply)
        extra: dict[str, Any] = {}
        if code == SHORTAGE:
            extra = {"demand": demand[group], "supply": supply, "shortfall": demand[group] - supply}
        elif code == OUT_OF_SCOPE:
            extra = {"whistle": list(whistles)}
        unmet.append(Unmet(need_id=n, reason=REASONS[code], reason_code=code, quantity=left,
                           need_title=need["title"], category=cat, met_quantity=met[n], **extra))
    return unmet


def run_plan(store: Store, plan_id: str | None = None, write: bool = True, *,
             keep: int | None = None, now: dt.datetime | None = None) -> PlanResult:
    """Plan the pairing of every open need; store it unless ``write`` is False.

    A stored plan is a ``Plan`` node (made at ``now``, default :func:`orglink.clock.china_now`;
    the hash of its inputs; needs planned, met in full, left unmet) and its ``MATCHED_TO``
    relationships. In the same transaction the store is pruned to the newest ``keep`` plans
    (default ``settings.keep_plans``, ``ORGLINK_KEEP_PLANS``); this one is always kept.

    ``plan_id`` defaults to ``plan-`` + a hash of the inputs, so planning the same state again
    gives the same id (and rewriting it replaces, not duplicates, its relationships and node,
    moving its created_at to now).
    """
    if plan_id is not None and (not isinstance(plan_id, str) or not plan_id.strip()):
        raise StoreError("方案编号不能为空")
    kept = (load_settings().keep_plans if keep is None else keep) if write else 1
    if not isinstance(kept, int) or isinstance(kept, bool) or kept < 1:
        raise StoreError(f"保留方案数应为正整数：{kept!r}")
    inp = read_input(store)
    result = build_plan(inp, plan_id)
    if write:
        rows = [{"need_id": a.need_id, "resource_id": a.resource_id, "rank": a.rank,
                 "hops": a.hops, "quantity": a.quantity} for a in result.assignments]
        unmet = len({u.need_id for u in result.unmet})
        when = now or china_now()  # stored as China-time ISO text, so the text sorts as the time
        written = queries.write_plan(store, plan_id=result.plan_id or "", rows=rows,
                                     created_at=(when.astimezone(CHINA_TZ) if when.tzinfo else when).isoformat(),
                                     input_hash=inp.content_hash(), needs=len(inp.needs),
                                     met=len(inp.needs) - unmet, unmet=unmet, keep=kept)
        if len(written) != len(rows):
            raise StoreError(f"方案 {result.plan_id} 只写入了 {len(written)}/{len(rows)} 条配对："
                             "有需求或资源在规划期间被删除，请重新规划")
    return result


def stored_assignments(store: Store, plan_id: str) -> list[Assignment]:
    """The assignments stored for ``plan_id`` (empty if there is no such plan)."""
    return [Assignment(need_id=r["need_id"], resource_id=r["resource_id"], unit_id=r["unit_id"] or "",
                       quantity=r["quantity"] or 0, hops=r["hops"] or 0, rank=r["rank"],
                       need_title=r["need_title"], unit_name=r["unit_name"],
                       resource_title=r["resource_title"], category=r["category"])
            for r in queries.get_plan(store, plan_id=plan_id)]


def stored_plans(store: Store) -> list[dict[str, Any]]:
    """Every stored plan, newest first: ``id``, ``created_at``, ``input_hash``, ``needs``,
    ``met``, ``unmet`` and ``assignments`` (its MATCHED_TO count; named query ``list_plans``)."""
    return queries.list_plans(store)


def delete_stored_plan(store: Store, plan_id: str) -> int:
    """Delete plan ``plan_id`` (its Plan node and MATCHED_TO relationships) and return how many
    relationships went; raise :class:`NotFound` if the store has no such plan."""
    rows = queries.delete_plan(store, plan_id=plan_id)
    if not rows:
        raise NotFound(f"方案不存在：{plan_id}")
    return int(rows[0]["deleted"])
