"""Print the "after" column of the README's table "How the pairing fits" for the bundled
Huinong data: pairings, pairings across sub-types, grid-scope needs served and where, units
met, unmet needs by reason. Usage: ``python scripts/pairing_figures.py`` (embedded, a
temporary store; writes nothing else)."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from orglink import queries
from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.taxonomy import GENERAL
from orglink.loaders.build import load_dataset
from orglink.matching.plan import read_input, run_plan


def main() -> None:
    """Load Huinong into a temporary embedded store, plan, and print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        load_dataset(HUINONG, store)
        inp = read_input(store)
        plan = run_plan(store, write=False)
        rows = {r["need_id"]: r for r in queries.report_needs(store, need_ids=sorted(inp.needs))}
        cross = sum(1 for a in plan.assignments
                    if (ns := inp.needs[a.need_id].get("subtype")) not in (None, GENERAL)
                    and (rs := inp.supply[a.resource_id].get("subtype")) not in (None, GENERAL) and ns != rs)
        grid = {n for n, r in rows.items() if r["scope"] == "grid"}
        served = {a.need_id: a.served_at for a in plan.assignments if a.need_id in grid}
        at = Counter(a.served_at for a in plan.assignments)
        unmet = Counter(u.reason_code for u in plan.unmet)
        print(f"open needs: {len(inp.needs)} (statuses {Counter(r['status'] for r in rows.values())})")
        print(f"pairings: {len(plan.assignments)}")
        print(f"pairings that cross sub-types: {cross}")
        print(f"open grid-scope needs served: {len(served)} of {len(grid)} "
              f"({Counter(served.values())})")
        print(f"assignments served at grid / community / street: "
              f"{at['grid']} / {at['community']} / {at['street']}")
        print(f"units met: {sum(a.quantity for a in plan.assignments)}")
        print("unmet needs by reason: " + ", ".join(f"{k} {v}" for k, v in unmet.most_common()))
        print(f"pairings with shared keywords: {sum(1 for a in plan.assignments if a.fit and a.fit.keywords)}")
        store.close()


if __name__ == "__main__":
    main()
