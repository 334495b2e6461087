"""Benchmark of loading, planning and matching on the embedded store, through the real CLI, on
synthetic regions of Huinong-shaped districts (``benchmarks/region.py``).

Run:  python benchmarks/bench_matching.py [--kind disconnected|connected|both] [--scales 1,10,50]
                                          [--matches 300] [--json out.json]

Region ×k (kind ``disconnected``): k copies of the bundled Huinong lists, ids prefixed, sharing
nothing. Kind ``connected``: the same copies plus cross-street and cross-district cadres and
co-building agreements and a mix of need scopes (about 20 % 街道, 10 % unscoped), so the linkage
graph is one component (see ``region.py``). ×1 is Huinong itself (connected: plus its links).

Every figure comes from its own child process, so each memory figure is that process's own peak
(``ru_maxrss`` from ``os.wait4``, KiB on Linux, printed in MB = 2^20 bytes); the parent does
no measured work itself and starts the children one after another:

* nodes / rels / open needs — of the loaded store (open = status 点单/接单/吹哨, i.e.
  ``OPEN_STATUSES``), counted by the floor child;
* load s / load MB — ``orglink load <dir> --store S`` into a fresh store: wall seconds (process
  start, validation, merge, save) and that process's peak RSS;
* fixed s — ``orglink plans --store S`` (lists stored plans: none), best of 3: the fixed cost
  of any CLI command on this store — interpreter start, imports, opening (unpickling) the store;
* plan s / plan MB — ``orglink plan --no-write --rows 1 --store S`` (every open need planned at
  once, nothing written, one table row printed), wall best of 2 up to ×10 and once above, and
  the largest peak RSS of those runs;
* own s — plan s − fixed s: the planning work itself (at ×1 it is small beside the fixed cost,
  so it carries the noise of both; it can even come out ≤ 0 on a busy machine);
* floor s — in a child that opened the store: an undirected adjacency dict of sets from every
  relationship whose type is in ``MODEL.linkage_types`` (plain Python; its build time, with the
  supply, is reported apart as "floor build"), then per category one multi-source BFS
  (``collections.deque``) from every Unit that OFFERS a Resource of that category with capacity
  left (capacity − the quantities DISPATCHED_TO it, as ``matching_twins._supply``), recording
  the distance of every node reached, bounded at 12 hops (``MAX_HOPS``). Only the BFS is timed,
  best of 3: the least work any exact nearest-unit answer for every need must do;
* ratio — own s / floor s;
* cpu — the same fixed / plan / own / floor figures in CPU seconds (user + system from
  ``os.wait4``; ``time.process_time`` for the floor's BFS) and their ratio, printed in each
  kind's table: on a shared machine wall seconds carry other processes' load, CPU seconds much
  less (the goals are judged on wall seconds, the CPU figure is shown beside them);
* match p50 / p95 ms — in a child: ``orglink.queries.nearest_units(store, need_id=…)`` for
  ``--matches`` open needs drawn with a fixed seed, after one warm-up call (which builds the
  linkage index; its time is "match warm-up s");
* growth — of own s between ×10 and ×50: log(own50 / own10) / log(n50 / n10), n = node count
  (1.0 = linear). With other scales, the exponent between the two largest is printed for
  information, and the goal is "not measured".

Goals (issue 15): own ≤ 3× floor at ×10 and ≤ 2× at ×50; own < 15 s and plan peak < 1.5 GB at
×50; growth ≤ n^1.15; fixed overhead < 1 s at ×10; match p95 < 5 ms at connected ×50.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MAX_HOPS = 12
SEED = 7
FLOOR_RUNS = 3  # the floor's BFS is cheap beside the plan: best of 3 at every scale
MB = 1024  # ru_maxrss is in KiB on Linux
ENV_DROP = ("ORGLINK_BACKEND", "ORGLINK_STORE", "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")


# -- children ----------------------------------------------------------------------------
def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    env["COLUMNS"] = "160"
    return env


def _orglink() -> list[str]:
    """The installed ``orglink`` script beside this interpreter (no pyenv shim in the timing)."""
    script = Path(sys.executable).parent / "orglink"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from orglink.cli import main; sys.exit(main())"]


def run_child(cmd: list[str], log: Path) -> dict[str, Any]:
    """Run ``cmd`` to completion (stdout and stderr to ``log``); its wall seconds, peak RSS (MB)
    and output. Raises if it fails."""
    with log.open("wb") as out:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=_env())
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-3000:]}")
    return {"wall_s": wall, "rss_mb": usage.ru_maxrss / MB, "cpu_s": usage.ru_utime + usage.ru_stime, "out": text}


def _self(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def _last_json(text: str) -> dict[str, Any]:
    return json.loads(text.strip().splitlines()[-1])


def child_write(kind: str, k: int, out: str) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from region import write_region

    t = time.perf_counter()
    write_region(kind, k, Path(out))
    return {"write_s": time.perf_counter() - t}


def child_floor(store_path: str) -> dict[str, Any]:
    """Counts of the store, and the floor: adjacency build, then one bounded multi-source BFS per category."""
    from orglink.graph.embedded import EmbeddedStore
    from orglink.graph.model import MODEL, OPEN_STATUSES

    store = EmbeddedStore(Path(store_path))
    with store.reading() as eg:
        g = eg.g
        nodes = g.nodes
        open_needs = sum(1 for n in eg.nodes_of("Need")
                         if nodes[n].get("status") in OPEN_STATUSES and nodes[n].get("retired_on") is None)
        t0 = time.perf_counter()
        linkage = set(MODEL.linkage_types)
        adj: dict[str, set[str]] = defaultdict(set)
        for u, v, t in g.edges(data="type"):
            if t in linkage and nodes[u].get("retired_on") is None and nodes[v].get("retired_on") is None:
                adj[u].add(v)
                adj[v].add(u)
        sources: dict[Any, set[str]] = defaultdict(set)
        for rk in eg.nodes_of("Resource"):
            r = nodes[rk]
            if r.get("retired_on") is not None:
                continue
            dispatched = sum(d.get("quantity") or 0 for _, d in eg.in_edges(rk, "DISPATCHED_TO"))
            if (r.get("capacity") or 0) - dispatched <= 0:
                continue
            for uk, _ in eg.in_edges(rk, "OFFERS"):
                if nodes[uk]["label"] == "Unit" and nodes[uk].get("retired_on") is None:
                    sources[r.get("category")].add(uk)
        t1 = time.perf_counter()
        walls, cpus = [], []
        for _ in range(FLOOR_RUNS):
            w0, c0 = time.perf_counter(), time.process_time()
            reached = _bfs_all(adj, sources)
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
    return {
        "nodes": g.number_of_nodes(),
        "rels": g.number_of_edges(),
        "open_needs": open_needs,
        "linkage_nodes": len(adj),
        "linkage_edges": sum(len(s) for s in adj.values()) // 2,
        "categories": len(sources),
        "bfs_reached": reached,
        "floor_build_s": t1 - t0,
        "floor_s": min(walls),
        "floor_runs_s": walls,
        "floor_cpu_s": min(cpus),
    }


def _bfs_all(adj: dict[str, set[str]], sources: dict[Any, set[str]]) -> int:
    """One multi-source BFS per category, bounded at MAX_HOPS; the number of (category, node) distances found."""
    reached = 0
    for cat in sorted(sources, key=str):
        dist = dict.fromkeys(sources[cat], 0)
        queue = deque(sources[cat])
        while queue:
            x = queue.popleft()
            d = dist[x] + 1
            if d > MAX_HOPS:
                continue
            for y in adj.get(x, ()):
                if y not in dist:
                    dist[y] = d
                    queue.append(y)
        reached += len(dist)
    return reached


def child_match(store_path: str, matches: int) -> dict[str, Any]:
    """p50 / p95 of ``nearest_units`` for ``matches`` seeded random open needs, after one warm-up."""
    from orglink import queries
    from orglink.graph.embedded import EmbeddedStore
    from orglink.graph.model import OPEN_STATUSES

    store = EmbeddedStore(Path(store_path))
    with store.reading() as eg:
        need_ids = sorted(eg.g.nodes[n]["id"] for n in eg.nodes_of("Need")
                          if eg.g.nodes[n].get("status") in OPEN_STATUSES and eg.g.nodes[n].get("retired_on") is None)
    if not need_ids:
        return {"matched": 0, "warm_s": 0.0, "match_p50_ms": float("nan"), "match_p95_ms": float("nan")}
    rng = random.Random(SEED)
    sample = rng.sample(need_ids, min(matches, len(need_ids)))
    t = time.perf_counter()
    queries.nearest_units(store, need_id=rng.choice(need_ids))
    warm = time.perf_counter() - t
    times, answered = [], 0
    for nid in sample:
        t = time.perf_counter()
        rows = queries.nearest_units(store, need_id=nid)
        times.append(time.perf_counter() - t)
        answered += bool(rows)
    times.sort()
    return {
        "matched": len(times), "answered": answered, "warm_s": warm,
        "match_p50_ms": 1000 * statistics.median(times),
        "match_p95_ms": 1000 * times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)],
    }


# -- one (kind, scale) -------------------------------------------------------------------
PLAN_LINE = re.compile(r"待配对需求\s*(\d+)\s*项")


def measure(kind: str, k: int, matches: int) -> dict[str, Any]:
    """Every figure of one (kind, scale), each from its own child process."""
    cli = _orglink()
    with tempfile.TemporaryDirectory(prefix=f"bench-{kind}-{k}-") as tmp:
        tmpd = Path(tmp)
        region, store, log = tmpd / "region", tmpd / "store", tmpd / "out.log"
        w = run_child(_self("--child", "write", kind, str(k), str(region)), log)
        load = run_child([*cli, "load", str(region), "--store", str(store), "--backend", "embedded"], log)
        fixed = [run_child([*cli, "plans", "--store", str(store), "--backend", "embedded"], log) for _ in range(3)]
        plan_cmd = [*cli, "plan", "--no-write", "--rows", "1", "--store", str(store), "--backend", "embedded"]
        plans = [run_child(plan_cmd, log) for _ in range(2 if k <= 10 else 1)]
        m = PLAN_LINE.search(plans[-1]["out"])
        floor = run_child(_self("--child", "floor", str(store)), log)
        match = run_child(_self("--child", "match", str(store), "--matches", str(matches)), log)
    fixed_s = min(r["wall_s"] for r in fixed)
    plan_s = min(r["wall_s"] for r in plans)
    fl, mt = _last_json(floor["out"]), _last_json(match["out"])
    own = plan_s - fixed_s
    return {
        "kind": kind, "scale": k,
        "nodes": fl["nodes"], "rels": fl["rels"], "open_needs": fl["open_needs"],
        "plan_open_needs": int(m.group(1)) if m else None,
        "write_s": _last_json(w["out"])["write_s"],
        "load_s": load["wall_s"], "load_mb": load["rss_mb"],
        "fixed_s": fixed_s, "fixed_runs_s": [r["wall_s"] for r in fixed], "fixed_mb": max(r["rss_mb"] for r in fixed),
        "plan_s": plan_s, "plan_runs_s": [r["wall_s"] for r in plans], "plan_mb": max(r["rss_mb"] for r in plans),
        "fixed_cpu_s": min(r["cpu_s"] for r in fixed), "plan_cpu_s": min(r["cpu_s"] for r in plans),
        "own_cpu_s": min(r["cpu_s"] for r in plans) - min(r["cpu_s"] for r in fixed), "floor_cpu_s": fl["floor_cpu_s"],
        "own_s": own,
        "floor_s": fl["floor_s"], "floor_runs_s": fl["floor_runs_s"], "floor_build_s": fl["floor_build_s"],
        "floor_mb": floor["rss_mb"],
        "linkage_nodes": fl["linkage_nodes"], "linkage_edges": fl["linkage_edges"],
        "categories": fl["categories"], "bfs_reached": fl["bfs_reached"],
        "ratio": own / fl["floor_s"] if fl["floor_s"] > 0 else float("nan"),
        "ratio_cpu": ((min(r["cpu_s"] for r in plans) - min(r["cpu_s"] for r in fixed)) / fl["floor_cpu_s"]
                      if fl["floor_cpu_s"] > 0 else float("nan")),
        "match_p50_ms": mt["match_p50_ms"], "match_p95_ms": mt["match_p95_ms"],
        "match_warm_s": mt["warm_s"], "matched": mt["matched"], "match_answered": mt.get("answered", 0),
        "match_mb": match["rss_mb"],
    }


def growth(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Exponent of own work against node count between the two largest scales of one kind."""
    rows = sorted(rows, key=lambda r: r["scale"])
    if len(rows) < 2:
        return None
    a, b = rows[-2], rows[-1]
    if a["own_s"] <= 0 or b["own_s"] <= 0 or a["nodes"] == b["nodes"]:
        return {"from": a["scale"], "to": b["scale"], "exponent": float("nan")}
    return {"from": a["scale"], "to": b["scale"],
            "exponent": math.log(b["own_s"] / a["own_s"]) / math.log(b["nodes"] / a["nodes"])}


# -- printing ----------------------------------------------------------------------------
def _f(x: Any, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, int):
        return f"{x:,}"
    return f"{x:.{digits}f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def kind_table(kind: str, rows: list[dict[str, Any]], g: dict[str, Any] | None) -> str:
    header = ["×k", "nodes", "rels", "linkage n / e", "open", "write s", "load s", "load MB", "fixed s (3 runs)",
              "plan s (runs)", "plan MB", "own s", "floor build s", "floor s (runs)", "ratio",
              "cpu: fixed / plan / own / floor s", "cpu ratio",
              "warm-up s", "p50 ms", "p95 ms", "match MB"]
    body = [[f"×{r['scale']}", _f(r["nodes"]), _f(r["rels"]), f"{r['linkage_nodes']:,} / {r['linkage_edges']:,}",
             _f(r["open_needs"]), _f(r["write_s"]), _f(r["load_s"]), _f(r["load_mb"], 0),
             f"{r['fixed_s']:.2f} ({' '.join(f'{x:.2f}' for x in r['fixed_runs_s'])})",
             f"{r['plan_s']:.2f} ({' '.join(f'{x:.2f}' for x in r['plan_runs_s'])})",
             _f(r["plan_mb"], 0), _f(r["own_s"], 3), _f(r["floor_build_s"], 3),
             f"{r['floor_s']:.3f} ({' '.join(f'{x:.3f}' for x in r['floor_runs_s'])})", _f(r["ratio"], 2) + "×",
             f"{r['fixed_cpu_s']:.2f} / {r['plan_cpu_s']:.2f} / {r['own_cpu_s']:.3f} / {r['floor_cpu_s']:.3f}",
             _f(r["ratio_cpu"], 2) + "×", _f(r["match_warm_s"]), _f(r["match_p50_ms"]), _f(r["match_p95_ms"]),
             _f(r["match_mb"], 0)] for r in rows]
    out = [f"\n== {kind} ==", table(header, body)]
    for r in rows:
        if r["plan_open_needs"] is not None and r["plan_open_needs"] != r["open_needs"]:
            out.append(f"  ! ×{r['scale']}: plan reports {r['plan_open_needs']:,} open needs, "
                       f"the store holds {r['open_needs']:,}")
    if g is not None:
        out.append(f"growth of own work ×{g['from']}→×{g['to']}: n^{_f(g['exponent'])}")
    return "\n".join(out)


def side_by_side(rows: list[dict[str, Any]]) -> str:
    header = ["kind", "×k", "nodes", "rels", "open needs", "load s", "load MB", "fixed s", "plan s", "plan MB",
              "own s", "floor s", "ratio", "match p50 ms", "p95 ms"]
    body = [[r["kind"], f"×{r['scale']}", _f(r["nodes"]), _f(r["rels"]), _f(r["open_needs"]), _f(r["load_s"]),
             _f(r["load_mb"], 0), _f(r["fixed_s"]), _f(r["plan_s"]), _f(r["plan_mb"], 0), _f(r["own_s"], 3),
             _f(r["floor_s"], 3), _f(r["ratio"]) + "×", _f(r["match_p50_ms"]), _f(r["match_p95_ms"])]
            for r in sorted(rows, key=lambda r: (r["kind"] != "connected", r["scale"]))]
    return "\n== side by side ==\n" + table(header, body)


def goals(rows: list[dict[str, Any]], growths: dict[str, dict[str, Any] | None]) -> list[dict[str, Any]]:
    """The issue 15 goals, per kind: each met, NOT met, or not measured."""
    at = {(r["kind"], r["scale"]): r for r in rows}
    kinds = sorted({r["kind"] for r in rows}, key=lambda x: x != "connected")
    out: list[dict[str, Any]] = []

    def goal(text: str, kind: str, scale: int, value: Any, ok: Any, shown: str) -> None:
        if (kind, scale) not in at:
            out.append({"goal": text, "kind": kind, "status": "not measured", "value": None, "shown": f"needs ×{scale}"})
        else:
            r = at[(kind, scale)]
            v = value(r)
            out.append({"goal": text, "kind": kind, "status": "met" if ok(v) else "NOT met", "value": v,
                        "shown": shown.format(v=v, r=r)})

    for kind in kinds:
        goal("own ≤ 3× floor at ×10", kind, 10, lambda r: r["ratio"], lambda v: v <= 3, "{v:.2f}× (cpu {r[ratio_cpu]:.2f}×)")
        goal("own ≤ 2× floor at ×50", kind, 50, lambda r: r["ratio"], lambda v: v <= 2, "{v:.2f}× (cpu {r[ratio_cpu]:.2f}×)")
        goal("own < 15 s at ×50", kind, 50, lambda r: r["own_s"], lambda v: v < 15, "{v:.2f} s (cpu {r[own_cpu_s]:.2f} s)")
        goal("plan peak < 1.5 GB at ×50", kind, 50, lambda r: r["plan_mb"], lambda v: v < 1.5 * 1024, "{v:,.0f} MB")
        g = growths.get(kind)
        if g is not None and (g["from"], g["to"]) == (10, 50):
            e = g["exponent"]
            out.append({"goal": "growth ≤ n^1.15 (×10→×50)", "kind": kind, "value": e,
                        "status": "met" if e <= 1.15 else "NOT met", "shown": f"n^{_f(e)}"})
        else:
            shown = "needs ×10 and ×50" + (f" (×{g['from']}→×{g['to']}: n^{_f(g['exponent'])})" if g else "")
            out.append({"goal": "growth ≤ n^1.15 (×10→×50)", "kind": kind, "status": "not measured", "value": None,
                        "shown": shown})
        goal("fixed overhead < 1 s at ×10", kind, 10, lambda r: r["fixed_s"], lambda v: v < 1,
             "{v:.2f} s (cpu {r[fixed_cpu_s]:.2f} s)")
    goal("match p95 < 5 ms at connected ×50", "connected", 50, lambda r: r["match_p95_ms"], lambda v: v < 5, "{v:.2f} ms")
    return out


def goal_lines(gs: list[dict[str, Any]]) -> str:
    w = max(len(f"{g['goal']} [{g['kind']}]") for g in gs)
    return "\n== goals (issue 15) ==\n" + "\n".join(
        f"{(g['goal'] + ' [' + g['kind'] + ']').ljust(w)}  {g['status']:<12}  {g['shown']}" for g in gs)


# -- main --------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--kind", choices=("disconnected", "connected", "both"), default="both")
    ap.add_argument("--scales", default="1,10,50", help="comma-separated scale factors (default 1,10,50)")
    ap.add_argument("--matches", type=int, default=300, help="open needs matched for p50/p95 (default 300)")
    ap.add_argument("--json", type=Path, help="also write the raw figures to this file")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        what, *rest = args.child
        result = {"write": lambda: child_write(rest[0], int(rest[1]), rest[2]),
                  "floor": lambda: child_floor(rest[0]),
                  "match": lambda: child_match(rest[0], args.matches)}[what]()
        print(json.dumps(result))
        return
    kinds = ["connected", "disconnected"] if args.kind == "both" else [args.kind]
    scales = sorted({int(x) for x in args.scales.split(",") if x.strip()})
    import networkx as nx

    print(f"bench_matching: embedded store via {' '.join(_orglink())}; Python {platform.python_version()}, "
          f"networkx {nx.__version__}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
    rows: list[dict[str, Any]] = []
    growths: dict[str, dict[str, Any] | None] = {}
    for kind in kinds:
        mine = []
        for k in scales:
            t = time.perf_counter()
            r = measure(kind, k, args.matches)
            print(f"  {kind} ×{k}: done in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
            mine.append(r)
            if args.json:  # the figures so far, should a larger scale fail
                args.json.write_text(json.dumps({"rows": rows + mine, "partial": True}, ensure_ascii=False, indent=2),
                                     encoding="utf-8")
        growths[kind] = growth(mine)
        rows.extend(mine)
        print(kind_table(kind, mine, growths[kind]), flush=True)
    print(side_by_side(rows))
    gs = goals(rows, growths)
    print(goal_lines(gs))
    print(f"(load average {os.getloadavg()[0]:.1f} at the end)")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "growth": growths, "goals": gs,
                                         "python": platform.python_version(), "cpus": os.cpu_count()},
                                        ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
