"""Benchmark: the embedded store and Neo4j side by side, in one run, on the Huinong data.

Run:  python benchmarks/bench_neo4j.py [--matches 200] [--repeat 5]
      python benchmarks/bench_neo4j.py --region connected --scale 10 [--repeat 2]

Without ``NEO4J_URI`` it starts its own Neo4j 5 Community server from Maven Central
(``tests/neo4j_server.py``: Java 17 + Maven); with ``NEO4J_URI`` (+ ``NEO4J_USERNAME``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) it uses that server, whose database must be empty.
Neo4j answers over Bolt on loopback; each figure is printed for both backends and as the
ratio Neo4j / embedded, measured in the same run:

* load cold — ``store.merge`` of the validated Huinong batch into an empty store, the first
  load after the server started (schema created, JIT cold);
* load warm — the same into the emptied database of the now warm server (the goal: < 5 s);
* reload — the same batch again onto the loaded data (MERGE finds everything);
* reload as orglink load — the same, stamped (``load_stamp``): the needs' listed states
  compared, the dataset's unstamped nodes retired, its stale relationships removed, in the
  same transaction;
* plan — ``run_plan(write=False)``: the candidates query, the supply query and the solver
  (best of ``--repeat``; goal: Neo4j ≤ 2 × embedded), and ``plan_candidates`` alone;
* match p50 / p95 — ``match_need`` (top 5) for a sample of open needs, after one warm-up pass
  over the same sample (a running server has its query plans and pages warm; goal: p95 < 20 ms).

With ``--region connected|disconnected --scale K`` it measures a synthetic region of ``K``
Huinong-shaped districts instead (``benchmarks/region.py``, generated into a temp folder and
validated as ``orglink load`` does), the load as a rate (records/s = (nodes + relationships) /
seconds; goal: ≥ 15 000 records/s on Neo4j) and the plan (goal: Neo4j ≤ 2 × embedded):

* schema — Neo4j only: ``ensure_schema`` (the constraints and indexes, once per database);
* load, empty, cold server — ``store.merge`` of the batch into an empty store (schema already
  there), the first load after the server started (query plans compiled, JIT cold);
* load, empty, warm server — the same into the emptied store (the goal's figure);
* load as orglink load, empty — the same stamped (``load_stamp``), into the emptied store;
* reload as orglink load — that stamped load again onto the loaded data;
* plan — ``run_plan(write=False)``, best of ``--repeat`` after one warm-up, and
  ``plan_candidates`` alone.

``--batch-size`` / ``--tx-limit`` override the store's rows per ``UNWIND`` and its
one-transaction limit (default: ``ORGLINK_NEO4J_BATCH_SIZE`` / ``ORGLINK_NEO4J_TX_LIMIT``).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orglink import queries  # noqa: E402
from orglink.data import HUINONG  # noqa: E402
from orglink.graph.embedded import EmbeddedStore  # noqa: E402
from orglink.graph.model import OPEN_STATUSES  # noqa: E402
from orglink.graph.neo4j_store import Neo4jSettings, Neo4jStore  # noqa: E402
from orglink.graph.store import Store  # noqa: E402
from orglink.loaders.build import Built, load_stamp, validate_dataset  # noqa: E402
from orglink.matching.nearest import nearest_units  # noqa: E402
from orglink.matching.plan import run_plan  # noqa: E402


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call of ``fn`` takes."""
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def best_of(n: int, fn: Callable[[], Any]) -> float:
    """The fastest of ``n`` calls, in seconds."""
    return min(timed(fn) for _ in range(n))


def clear(store: Neo4jStore) -> Neo4jStore:
    """Empty the Neo4j database (schema kept); the same store, for ``fresh``."""
    store._auto("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", "清空")
    return store


def match_times(store: Store, needs: list[str]) -> list[float]:
    """Sorted seconds of one ``nearest_units`` per need."""
    out = []
    for nid in needs:
        out.append(timed(lambda nid=nid: nearest_units(store, nid, top=5)))
    return sorted(out)


def pct(times: list[float], q: float) -> float:
    """The q-quantile of sorted ``times``, in ms."""
    return 1000 * times[min(len(times) - 1, int(q * len(times)))]


def measure(store: Store, built: Built, sample: list[str], repeat: int,
            fresh: Callable[[], Store]) -> dict[str, float]:
    """All figures for one backend (``fresh`` empties it between loads and gives the store to go on with)."""
    r: dict[str, float] = {}
    batch = built.batch
    r["load_cold"] = timed(lambda: store.merge(batch))
    store = fresh()
    r["load_warm"] = timed(lambda: store.merge(batch))
    r["reload"] = timed(lambda: store.merge(batch))
    store.merge(batch, stamp=load_stamp(built))  # the first stamped load stamps everything
    r["reload_stamped"] = timed(lambda: store.merge(batch, stamp=load_stamp(built)))
    run_plan(store, write=False)  # warm caches / query plans
    r["plan"] = best_of(repeat, lambda: run_plan(store, write=False))
    r["plan_candidates"] = best_of(repeat, lambda: queries.plan_candidates(store, statuses=list(OPEN_STATUSES)))
    match_times(store, sample)  # warm-up pass over the same needs (query plans, page cache, JIT)
    times = match_times(store, sample)
    r["match_p50"] = pct(times, 0.5)
    r["match_p95"] = pct(times, 0.95)
    return r


def measure_region(store: Store, built: Built, repeat: int, fresh: Callable[[], Store]) -> dict[str, float]:
    """The region figures for one backend (``fresh`` empties it between loads and gives the store to go on with)."""
    r: dict[str, float] = {}
    batch = built.batch

    def note(key: str, seconds: float) -> None:  # as it goes, on stderr (a slow step shows)
        r[key] = seconds
        print(f"  {store.backend} {key}: {seconds:.2f} s", file=sys.stderr, flush=True)

    if isinstance(store, Neo4jStore):  # the constraints and indexes, created once per database
        note("schema", timed(store.ensure_schema))
    note("load_empty", timed(lambda: store.merge(batch)))  # cold: the first load after the start
    store = fresh()
    note("load_empty_warm", timed(lambda: store.merge(batch)))
    store = fresh()
    note("load_stamped_empty", timed(lambda: store.merge(batch, stamp=load_stamp(built))))
    note("reload_stamped", timed(lambda: store.merge(batch, stamp=load_stamp(built))))
    note("plan_first", timed(lambda: run_plan(store, write=False)))  # also warms caches / query plans
    note("plan", best_of(repeat, lambda: run_plan(store, write=False)))
    note("plan_candidates", best_of(repeat, lambda: queries.plan_candidates(store, statuses=list(OPEN_STATUSES))))
    return r


def region_built(kind: str, scale: int, tmp: Path) -> Built:
    """Generate the region into ``tmp`` and validate it as ``orglink load`` does."""
    import region

    out = tmp / f"region-{kind}-{scale}"
    region.write_region(kind, scale, out)
    return validate_dataset(out)


class FreshEmbedded:
    """An embedded store in ``path`` that :meth:`fresh` empties (closed, files removed, reopened)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = EmbeddedStore(path)

    def fresh(self) -> EmbeddedStore:
        """Empty the store: close it, remove its files, open it again (and return it)."""
        self.store.close()
        for f in self.path.iterdir():
            f.unlink()
        self.store = EmbeddedStore(self.path)
        return self.store


def empty_neo4j(settings: Neo4jSettings) -> Neo4jStore | None:
    """The Neo4j store of ``settings``, or None (said on stderr) if its database is not empty."""
    neo = Neo4jStore(settings)
    if queries.graph_nodes(neo):
        print(f"the Neo4j database {settings.where} is not empty: refusing to benchmark on it", file=sys.stderr)
        neo.close()
        return None
    return neo


def main() -> int:
    """Measure both backends and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--matches", type=int, default=200, help="needs matched for p50/p95")
    ap.add_argument("--repeat", type=int, default=None, help="plan runs (best is kept; default 5, region 2)")
    ap.add_argument("--region", choices=("huinong", "connected", "disconnected"), default="huinong",
                    help="the data: Huinong (default) or a synthetic region (benchmarks/region.py)")
    ap.add_argument("--scale", type=int, default=10, help="districts in the region (with --region)")
    ap.add_argument("--batch-size", type=int, default=None, help="rows per UNWIND on Neo4j")
    ap.add_argument("--tx-limit", type=int, default=None, help="records written in one transaction on Neo4j")
    args = ap.parse_args()
    if args.region != "huinong":
        return main_region(args)
    repeat = args.repeat or 5

    built = validate_dataset(HUINONG)
    batch = built.batch
    launched, settings = connect(args)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            emb = FreshEmbedded(Path(tmp) / "store")
            neo = empty_neo4j(settings)
            if neo is None:
                return 2
            open_needs = sorted(n.id for n in batch.nodes
                                if n.label == "Need" and n.props.get("status") in OPEN_STATUSES)
            sample = random.Random(7).sample(open_needs, min(args.matches, len(open_needs)))
            e = measure(emb.store, built, sample, repeat, emb.fresh)
            try:
                n = measure(neo, built, sample, repeat, lambda: clear(neo))
                info = neo.ping()
            finally:
                clear(neo)
                neo.close()
            emb.store.close()
    finally:
        if launched is not None:
            launched.stop()

    print(f"bench_neo4j: Huinong ({len(batch.nodes):,} nodes, {len(batch.rels):,} relationships, "
          f"{len(open_needs)} open needs); Neo4j {info['server']} at {settings.uri}; "
          f"embedded networkx; Python {sys.version.split()[0]}")
    rows = [("load, cold server", "load_cold", "s"), ("load, warm server", "load_warm", "s"),
            ("reload (same data)", "reload", "s"), ("reload as orglink load", "reload_stamped", "s"),
            ("plan (no write)", "plan", "s"),
            ("  plan_candidates", "plan_candidates", "s"), ("match p50", "match_p50", "ms"),
            ("match p95", "match_p95", "ms")]
    print(f"{'':22} {'embedded':>12} {'neo4j':>12} {'neo4j/embedded':>15}")
    for title, key, unit in rows:
        ratio = n[key] / e[key] if e[key] else float("nan")
        fmt = "{:10.3f} " + unit if unit == "s" else "{:9.2f} " + unit
        print(f"{title:22} {fmt.format(e[key]):>12} {fmt.format(n[key]):>12} {ratio:14.1f}×")
    goals = [("load warm < 5 s", n["load_warm"] < 5), ("plan ≤ 2× embedded", n["plan"] <= 2 * e["plan"]),
             ("match p95 < 20 ms", n["match_p95"] < 20)]
    print("goals: " + ", ".join(f"{g} {'met' if ok else 'NOT met'}" for g, ok in goals))
    return 0


def connect(args: argparse.Namespace) -> tuple[Any, Neo4jSettings]:
    """The server to measure: ``NEO4J_URI`` if set, else one started here (and its settings)."""
    sizes: dict[str, int] = {}
    if args.batch_size:
        sizes["batch_size"] = args.batch_size
    if args.tx_limit:
        sizes["tx_limit"] = args.tx_limit
    if os.environ.get("NEO4J_URI"):
        return None, Neo4jSettings(uri=os.environ["NEO4J_URI"],
                                   username=os.environ.get("NEO4J_USERNAME") or "neo4j",
                                   password=os.environ.get("NEO4J_PASSWORD"),
                                   database=os.environ.get("NEO4J_DATABASE") or None, **sizes)
    from tests.neo4j_server import Neo4jServer

    launched = Neo4jServer()
    t = time.perf_counter()
    launched.start(log=lambda line: print(line, file=sys.stderr))
    print(f"started Neo4j (own server, {launched.uri}) in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)
    return launched, Neo4jSettings(uri=launched.uri, username=launched.username,
                                   password=launched.password, **sizes)


def main_region(args: argparse.Namespace) -> int:
    """``--region``: load rates and plan times on a synthetic region, both backends."""
    repeat = args.repeat or 2
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        built = region_built(args.region, args.scale, Path(tmp))
        print(f"generated and validated the region in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        batch = built.batch
        records = len(batch)
        open_needs = sum(1 for n in batch.nodes if n.label == "Need" and n.props.get("status") in OPEN_STATUSES)
        launched, settings = connect(args)
        try:
            emb = FreshEmbedded(Path(tmp) / "store")
            neo = empty_neo4j(settings)
            if neo is None:
                return 2
            e = measure_region(emb.store, built, repeat, emb.fresh)
            emb.store.close()
            try:
                n = measure_region(neo, built, repeat, lambda: clear(neo))
                info = neo.ping()
            finally:
                clear(neo)
                neo.close()
        finally:
            if launched is not None:
                launched.stop()

    print(f"bench_neo4j: region {args.region} ×{args.scale} ({len(batch.nodes):,} nodes, "
          f"{len(batch.rels):,} relationships, {open_needs:,} open needs); Neo4j {info['server']} at "
          f"{settings.uri} (batch {settings.batch_size:,} rows, one transaction up to "
          f"{settings.tx_limit:,} records); embedded networkx; Python {sys.version.split()[0]}")
    print(f"{'':30} {'embedded':>20} {'neo4j':>20} {'neo4j/embedded':>15}")
    if "schema" in n:
        print(f"{'schema (Neo4j, once)':30} {'':>20} {n['schema']:18.2f} s")
    for title, key in (("load, empty, cold server", "load_empty"), ("load, empty, warm server", "load_empty_warm"),
                       ("load as orglink load, empty", "load_stamped_empty"),
                       ("reload as orglink load", "reload_stamped")):
        cells = [f"{r[key]:7.2f} s {records / r[key]:7,.0f}/s" for r in (e, n)]
        print(f"{title:30} {cells[0]:>20} {cells[1]:>20} {n[key] / e[key]:14.1f}×")
    for title, key in (("plan (no write), first", "plan_first"), ("plan (no write)", "plan"),
                       ("  plan_candidates", "plan_candidates")):
        print(f"{title:30} {e[key]:18.2f} s {n[key]:18.2f} s {n[key] / e[key]:14.1f}×")
    rate = records / n["load_empty_warm"]
    goals = [("Neo4j load (warm) ≥ 15,000 records/s", rate >= 15_000), ("plan ≤ 2× embedded", n["plan"] <= 2 * e["plan"])]
    print("goals: " + ", ".join(f"{g} {'met' if ok else 'NOT met'}" for g, ok in goals))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
