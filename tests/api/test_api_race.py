"""Concurrent dispatches: racing for the last unit of a resource, exactly one wins.

Threads call the app (TestClient; sync routes run in the server's thread pool), on every
backend of the ``store`` fixture: the embedded store serialises writes; on Neo4j the dispatch
query write-locks the resource before it reads the capacity used.
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from orglink import queries
from orglink.graph.store import Store
from tests.api_support import Api, api_over, load_tiny

RACERS = 8


def _race(api: Api, calls: list[tuple[str, dict]]) -> list[int]:
    """POST every (path, body) at once from its own thread; return the status codes."""
    barrier = threading.Barrier(len(calls))
    codes: list[int] = [0] * len(calls)

    def run(i: int, path: str, body: dict) -> None:
        barrier.wait()
        codes[i] = api.post(path, json=body).status_code

    threads = [threading.Thread(target=run, args=(i, p, b)) for i, (p, b) in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return codes


def _accepted_needs(api: Api, n: int, category: str) -> list[str]:
    ids = []
    for _ in range(n):
        r = api.post("/needs", json={"title": "篮球场地", "category": category, "community": "C2",
                                     "grid": "G3", "quantity": 1})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
        assert api.post(f"/needs/{ids[-1]}/accept").status_code == 200
    return ids


def test_racing_for_the_last_unit_exactly_one_wins(store: Store, tmp_path: Path) -> None:
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as api:
        # R3 (场地设施) has capacity 2: use one, leaving the last unit to race for
        first, *racers = _accepted_needs(api, RACERS + 1, "场地设施")
        assert api.post(f"/needs/{first}/dispatch", json={"resource_id": "R3"}).status_code == 200
        codes = _race(api, [(f"/needs/{n}/dispatch", {"resource_id": "R3"}) for n in racers])
        assert Counter(codes) == {200: 1, 409: RACERS - 1}, codes
        usage = queries.resource_usage(api.store, resource_id="R3")[0]
        assert (usage["used"], usage["remaining"]) == (2, 0)
        statuses = Counter(api.get(f"/needs/{n}").json()["status"] for n in racers)
        assert statuses == {"dispatched": 1, "accepted": RACERS - 1}
        # the losers' 409 says what is left
        loser = next(n for n, c in zip(racers, codes) if c == 409)
        r = api.post(f"/needs/{loser}/dispatch", json={"resource_id": "R3"})
        assert r.status_code == 409 and r.json()["current"]["remaining"] == 0


def test_racing_to_dispatch_one_need_twice_exactly_one_wins(store: Store, tmp_path: Path) -> None:
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as api:
        [need] = _accepted_needs(api, 1, "场地设施")
        codes = _race(api, [(f"/needs/{need}/dispatch", {"resource_id": "R3"})] * RACERS)
        assert Counter(codes) == {200: 1, 409: RACERS - 1}, codes
        detail = api.get(f"/needs/{need}").json()
        assert len(detail["dispatches"]) == 1
        assert [h["action"] for h in detail["history"]] == ["order", "accept", "dispatch"]
        assert queries.resource_usage(api.store, resource_id="R3")[0]["used"] == 1


def test_concurrent_orders_get_distinct_ids(store: Store, tmp_path: Path) -> None:
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as api:
        body = {"title": "助餐", "category": "医疗健康", "community": "C1"}
        codes = _race(api, [("/needs", body)] * RACERS)
        assert codes == [201] * RACERS
        ids = [n["id"] for n in api.get("/needs", params={"status": "ordered"}).json()["items"]
               if n["id"].startswith("N-")]
        assert ids == [f"N-20250301-{i:04d}" for i in range(1, RACERS + 1)]
