"""Benchmark of the embedded store's write-ahead journal on the bundled Huinong data.

Run:  python benchmarks/bench_journal.py [--writes 200] [--records 500]

For each mode — ``journal`` (the default store: a lifecycle write appends to ``journal.bin``
and fsyncs it) and ``rewrite`` (``EmbeddedStore(path, journal=False)``: every write pickles
the whole graph, the behaviour before issue 15) — a fresh store is loaded with Huinong and
``--writes`` lifecycle writes are timed one by one: pairs of 点单 (``create_need``) and 接单
(``accept``) of the need just created, each the whole call a user waits for (its reads
included), and the part of it spent in ``store.write``. It prints the medians and p95s of
接单 and 点单 in both modes and the before / after (rewrite / journal) ratios, in one run.

Then the open time of a store (``EmbeddedStore(path)``: snapshot load plus journal replay)
with an empty journal and with ``--records`` journal records (median of 5 opens).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from orglink import lifecycle
from orglink.clock import CHINA_TZ
from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.journal import JOURNAL_FILE
from orglink.loaders.build import load_dataset

NOW = dt.datetime(2025, 3, 1, 9, 0, tzinfo=CHINA_TZ)


def p95(xs: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    s = sorted(xs)
    return s[max(0, round(0.95 * len(s)) - 1)]


def lifecycle_writes(store: EmbeddedStore, n: int, community: str) -> dict[str, list[float]]:
    """Time ``n`` lifecycle writes, 点单 then 接单 of that need, alternately: ms per call
    (``create``, ``accept``: the whole call a user waits for, its reads included) and ms spent
    in ``store.write`` (``create_write``, ``accept_write``: lock, twin, persist)."""
    out: dict[str, list[float]] = {k: [] for k in ("create", "accept", "create_write", "accept_write")}
    write = store.write
    current = ["create"]

    def timed(query, **params):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return write(query, **params)
        finally:
            out[current[0] + "_write"].append((time.perf_counter() - t) * 1000)

    store.write = timed  # type: ignore[method-assign]
    need = ""
    for i in range(n):
        current[0] = "create" if i % 2 == 0 else "accept"
        t = time.perf_counter()
        if i % 2 == 0:
            need = lifecycle.create_need(store, title=f"测试需求{i}", category="便民服务", community=community,
                                         by="网格员", now=NOW)["id"]
        else:
            lifecycle.accept(store, need, by="网格员", now=NOW)
        out[current[0]].append((time.perf_counter() - t) * 1000)
    return out


def open_ms(path: Path, times: int = 5) -> float:
    """Median time to open the store at ``path``, in ms."""
    xs = []
    for _ in range(times):
        t = time.perf_counter()
        EmbeddedStore(path)
        xs.append((time.perf_counter() - t) * 1000)
    return statistics.median(xs)


def main() -> None:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writes", type=int, default=200)
    ap.add_argument("--records", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stats: dict[str, dict[str, list[float]]] = {}
        for mode in ("rewrite", "journal"):
            # verify=False: the test suite's check (ORGLINK_JOURNAL_VERIFY) doubles a write's cost
            store = EmbeddedStore(Path(tmp) / mode, journal=mode == "journal", verify=False)
            load_dataset(HUINONG, store)
            community = store.graph.g.nodes[store.graph.nodes_of("Community")[0]]["id"]
            stats[mode] = lifecycle_writes(store, args.writes, community)
        n = store.graph.g.number_of_nodes(), store.graph.g.number_of_edges()
        print(f"Huinong: {n[0]} nodes, {n[1]} relationships; {args.writes} lifecycle writes "
              f"({args.writes // 2} 点单 + {args.writes // 2} 接单) per mode")
        print(f"{'':<22}{'rewrite (before)':>18}{'journal (after)':>18}{'before / after':>16}")
        for key, what in (("accept", "接单 call"), ("accept_write", "接单 store.write"),
                          ("create", "点单 call"), ("create_write", "点单 store.write")):
            for stat, f in (("median", statistics.median), ("p95", p95)):
                r, j = f(stats["rewrite"][key]), f(stats["journal"][key])
                label = f"{what} {stat}"
                print(f"{label:<22}{r:>15.2f} ms{j:>15.2f} ms{r / j:>15.1f}×")

        path = Path(tmp) / "open"
        store = EmbeddedStore(path, verify=False)
        load_dataset(HUINONG, store)
        empty = open_ms(path)
        store.compact_records = args.records + 1
        lifecycle_writes(store, args.records, community)
        size = (path / JOURNAL_FILE).stat().st_size
        full = open_ms(path)
        print(f"open, empty journal:        {empty:8.1f} ms")
        print(f"open, {args.records} journal records: {full:8.1f} ms   (journal {size / 1024:.0f} KiB, "
              f"+{(full - empty) / args.records * 1000:.0f} µs per record)")


if __name__ == "__main__":
    main()
