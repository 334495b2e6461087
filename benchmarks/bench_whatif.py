"""What if (推演) on the bundled Huinong data: the time of one scenario, against the time of
planning the current state once (``orglink plan --no-write``'s work) in the same run.

Usage: ``python benchmarks/bench_whatif.py [--repeat 5]`` (embedded store, a temporary copy).
Prints the best of ``repeat`` runs of each and the ratio (a scenario plans twice and compares).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.loaders.build import load_dataset
from orglink.matching.plan import run_plan
from orglink.matching.whatif import Scenario, what_if


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """The best wall time of ``repeat`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    """Load Huinong, then time planning and three scenarios."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        load_dataset(HUINONG, store)
        run_plan(store, write=False)  # warm: linkage index built once per graph version
        plan = best(lambda: run_plan(store, write=False), args.repeat)
        print(f"plan (baseline)            {plan * 1000:8.1f} ms")
        for name, s in (("withdraw U043", Scenario(withdraw=["U043"])),
                        ("surge 养老托幼 ×2", Scenario(surge={"养老托幼": 2})),
                        ("withdraw 5 units + surge", Scenario(withdraw=["U043", "U010", "U062", "U095", "U001"],
                                                            surge={"物业环境": 1.5}))):
            t = best(lambda s=s: what_if(store, s), args.repeat)
            print(f"whatif {name:20s}{t * 1000:8.1f} ms  ({t / plan:.2f}× the plan)")
        store.close()


if __name__ == "__main__":
    main()
