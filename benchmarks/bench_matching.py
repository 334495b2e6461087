"""Benchmark of matching on the embedded store: load, one match, the full plan — at scale.

Run:  python benchmarks/bench_matching.py [--scales 1,10,50] [--matches 300]

Scale ×k is k districts of Huinong's shape: the bundled Huinong sample (validated once)
copied k times with every id prefixed, so each copy keeps the sample's exact counts, degrees
and gaps (×1 is the Huinong sample itself). Each scale runs in its own process so its peak
memory (max RSS) is its own. For each scale it prints:

* load — ``store.merge`` of the whole batch into a fresh embedded store (saved to disk);
* index — building the reduced linkage index (once per graph version, cached);
* match p50/p95 — ``nearest_units`` for many open needs (index warm);
* plan — ``run_plan(write=False)`` on a warm index, and ``plan+write`` (``write=True``);
* floor — one multi-source breadth-first search per category over the whole linkage
  subgraph (networkx ``bfs_layers`` from every unit offering that category), the least
  work any exact nearest-unit answer for all needs needs; and plan / floor as a ratio.

Goals: plan ≤ 3 × floor; Huinong (×1) plan < 1 s; ×50 plan < 30 s and < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import networkx as nx

from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.model import MODEL, OPEN_STATUSES
from orglink.graph.store import GraphBatch, NodeRec, RelRec
from orglink.loaders.build import validate_dataset
from orglink.matching.nearest import nearest_units
from orglink.matching.plan import run_plan
from orglink.queries.linkage import linkage_index


def scaled_batch(base: GraphBatch, k: int) -> GraphBatch:
    """``k`` copies of ``base`` with ids prefixed ``d<i>-`` (×1 keeps the ids as they are)."""
    if k == 1:
        return base
    out = GraphBatch()
    for i in range(k):
        p = f"d{i}-"
        out.nodes.extend(NodeRec(n.label, p + n.id, n.props) for n in base.nodes)
        out.rels.extend(RelRec(r.type, r.src_label, p + r.src_id, r.dst_label, p + r.dst_id, r.props)
                        for r in base.rels)
    return out


def floor_seconds(store: EmbeddedStore) -> tuple[float, float]:
    """(time to build the undirected linkage graph, time of one multi-source BFS per category)."""
    with store.reading() as eg:
        t0 = time.perf_counter()
        g = nx.Graph()
        linkage = set(MODEL.linkage_types)
        g.add_edges_from((u, v) for u, v, t in eg.g.edges(data="type") if t in linkage)
        by_cat: dict[str, set[str]] = defaultdict(set)
        for rk in eg.nodes_of("Resource"):
            for uk, _ in eg.in_edges(rk, "OFFERS"):
                if uk in g:
                    by_cat[eg.g.nodes[rk]["category"]].add(uk)
        t1 = time.perf_counter()
        for cat in sorted(by_cat):
            for _layer in nx.bfs_layers(g, by_cat[cat]):
                pass
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def one_scale(k: int, matches: int) -> dict:
    """Measure one scale; return the figures as a dict."""
    t = time.perf_counter()
    base = validate_dataset(HUINONG).batch
    validate_s = time.perf_counter() - t
    batch = scaled_batch(base, k)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        t = time.perf_counter()
        store.merge(batch)
        load_s = time.perf_counter() - t
        counts = store.counts()
        with store.reading() as eg:
            t = time.perf_counter()
            linkage_index(eg)
            index_s = time.perf_counter() - t
            open_needs = [eg.g.nodes[n]["id"] for n in eg.nodes_of("Need")
                          if eg.g.nodes[n].get("status") in OPEN_STATUSES]
        rng = random.Random(7)
        sample = rng.sample(open_needs, min(matches, len(open_needs)))
        times = []
        for nid in sample:
            t = time.perf_counter()
            nearest_units(store, nid, top=5)
            times.append(time.perf_counter() - t)
        times.sort()
        t = time.perf_counter()
        plan = run_plan(store, write=False)
        plan_s = time.perf_counter() - t
        t = time.perf_counter()
        run_plan(store, write=False)
        plan2_s = time.perf_counter() - t
        t = time.perf_counter()
        run_plan(store, write=True)
        write_s = time.perf_counter() - t
        graph_s, floor_s = floor_seconds(store)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "scale": k,
        "nodes": sum(counts["nodes"].get(n.label, 0) for n in MODEL.nodes),
        "relationships": sum(counts["relationships"].values()),
        "open_needs": len(open_needs),
        "assignments": len(plan.assignments),
        "unmet": len(plan.unmet),
        "validate_huinong_s": validate_s,
        "load_s": load_s,
        "index_s": index_s,
        "match_p50_ms": 1000 * statistics.median(times),
        "match_p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))],
        "plan_s": min(plan_s, plan2_s),
        "plan_write_s": write_s,
        "floor_graph_s": graph_s,
        "floor_s": floor_s,
        "peak_mb": peak_mb,
    }


def report(r: dict) -> str:
    """One scale's figures as printed lines."""
    ratio = r["plan_s"] / r["floor_s"] if r["floor_s"] else float("nan")
    return "\n".join([
        f"×{r['scale']}: {r['nodes']:,} nodes, {r['relationships']:,} relationships, "
        f"{r['open_needs']:,} open needs → {r['assignments']:,} assignments, {r['unmet']:,} unmet",
        f"  load (merge + save)   {r['load_s']:8.2f} s",
        f"  linkage index         {r['index_s']:8.3f} s   (once per graph version)",
        f"  one match p50 / p95   {r['match_p50_ms']:8.2f} / {r['match_p95_ms']:.2f} ms",
        f"  plan (no write)       {r['plan_s']:8.3f} s   floor {r['floor_s']:.3f} s"
        f"  → plan/floor = {ratio:.2f}×",
        f"  plan + write          {r['plan_write_s']:8.3f} s",
        f"  floor graph build     {r['floor_graph_s']:8.3f} s   (not counted in the floor)",
        f"  peak memory (max RSS) {r['peak_mb']:8.0f} MB",
    ])


def main() -> None:
    """Run each scale in its own process and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--scales", default="1,10,50", help="comma-separated scale factors")
    ap.add_argument("--matches", type=int, default=300, help="needs matched for p50/p95")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(one_scale(args.one, args.matches)))
        return
    print(f"bench_matching: embedded store, Python {sys.version.split()[0]}, networkx {nx.__version__}")
    for k in (int(x) for x in args.scales.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(k), "--matches", str(args.matches)],
                             check=True, capture_output=True, text=True)
        print(report(json.loads(out.stdout.strip().splitlines()[-1])), flush=True)


if __name__ == "__main__":
    main()
