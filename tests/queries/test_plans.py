"""Plans in the store: every written plan is a Plan node, the store keeps the newest N, and a
plan can be listed and deleted (named queries ``write_plan``, ``list_plans``, ``delete_plan``).

Runs on both backends (the ``store`` fixture). Tiny district (tests/datasets.py): the plan
pairs N2 with R2 and N1 with R1 (scope grid: nothing inside G1, so N1 is served from its
community, which U2 co-builds), so every plan of it has needs 2, met 2, unmet 0 and two
assignments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from orglink import queries
from orglink.clock import CHINA_TZ
from orglink.graph.store import GraphBatch, NotFound, RelRec, Store, StoreError
from orglink.matching.plan import delete_stored_plan, read_input, run_plan, stored_plans
from tests.api_support import load_tiny

T0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=CHINA_TZ)


def at(minutes: int) -> dt.datetime:
    """``minutes`` after T0."""
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def tiny(store: Store, tmp_path: Path) -> Store:
    """The ``store`` fixture (each backend) holding the tiny district."""
    return load_tiny(store, tmp_path)


def matched(store: Store) -> int:
    return store.counts()["relationships"].get("MATCHED_TO", 0)


def plan_nodes(store: Store) -> int:
    return store.counts()["nodes"].get("Plan", 0)


def test_a_written_plan_is_a_plan_node_with_its_figures(tiny: Store) -> None:
    plan = run_plan(tiny, plan_id="p1", keep=10, now=T0)
    assert [(a.need_id, a.resource_id) for a in plan.assignments] == [("N1", "R1"), ("N2", "R2")]
    assert stored_plans(tiny) == [{
        "id": "p1", "created_at": "2025-03-01T09:30:00+08:00", "input_hash": read_input(tiny).content_hash(),
        "needs": 2, "met": 2, "unmet": 0, "assignments": 2}]
    assert plan_nodes(tiny) == 1
    run_plan(tiny, plan_id="p-dry", write=False)  # not written: no node
    assert [p["id"] for p in stored_plans(tiny)] == ["p1"]


def test_created_at_is_china_time_so_it_sorts_as_text(tiny: Store) -> None:
    run_plan(tiny, plan_id="utc", keep=10, now=dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.UTC))  # 10:00 in China
    run_plan(tiny, plan_id="cst", keep=10, now=at(0))  # 09:30 in China: the older one
    assert [(p["id"], p["created_at"]) for p in stored_plans(tiny)] == [
        ("utc", "2025-03-01T10:00:00+08:00"), ("cst", "2025-03-01T09:30:00+08:00")]


def test_replanning_the_same_state_moves_created_at_and_doubles_nothing(tiny: Store) -> None:
    first = run_plan(tiny, keep=10, now=at(0))
    again = run_plan(tiny, keep=10, now=at(5))
    assert again.plan_id == first.plan_id
    [row] = stored_plans(tiny)
    assert (row["id"], row["created_at"], row["assignments"]) == (first.plan_id, at(5).isoformat(), 2)
    assert (plan_nodes(tiny), matched(tiny)) == (1, 2)


def test_the_store_keeps_the_newest_plans(tiny: Store) -> None:
    for i, pid in enumerate(("p1", "p2", "p3")):
        run_plan(tiny, plan_id=pid, keep=2, now=at(i))
    assert [(p["id"], p["created_at"]) for p in stored_plans(tiny)] == [
        ("p3", at(2).isoformat()), ("p2", at(1).isoformat())]
    assert queries.get_plan(tiny, plan_id="p1") == []  # its MATCHED_TO went with it
    assert queries.get_plan(tiny, plan_id="p2") and queries.get_plan(tiny, plan_id="p3")
    assert (plan_nodes(tiny), matched(tiny)) == (2, 4)
    # a larger keep later prunes nothing; keep 1 leaves only the plan written
    run_plan(tiny, plan_id="p4", keep=5, now=at(3))
    assert [p["id"] for p in stored_plans(tiny)] == ["p4", "p3", "p2"]
    run_plan(tiny, plan_id="p5", keep=1, now=at(4))
    assert [p["id"] for p in stored_plans(tiny)] == ["p5"]
    assert (plan_nodes(tiny), matched(tiny)) == (1, 2)


def test_write_plan_names_the_plans_it_pruned(tiny: Store) -> None:
    for i, pid in enumerate(("p1", "p2", "p3")):
        run_plan(tiny, plan_id=pid, keep=10, now=at(i))
    rows = queries.write_plan(tiny, plan_id="p4", rows=[{"need_id": "N2", "resource_id": "R2", "rank": 1,
                                                          "hops": 1, "quantity": 1}],
                              created_at=at(9).isoformat(), input_hash="h", needs=1, met=1, unmet=0, keep=2)
    assert [(r["need_id"], r["deleted"], r["pruned"]) for r in rows] == [("N2", 0, ["p2", "p1"])]  # newest first


def test_ties_break_by_id_and_the_plan_written_always_stays(tiny: Store) -> None:
    for pid in ("b", "a", "c"):
        run_plan(tiny, plan_id=pid, keep=10, now=T0)  # the same second
    assert [p["id"] for p in stored_plans(tiny)] == ["c", "b", "a"]
    # "a" sorts below "c" and "b" at the same time, but the plan just written is never pruned
    run_plan(tiny, plan_id="a", keep=2, now=T0)
    assert [p["id"] for p in stored_plans(tiny)] == ["c", "a"]


def test_delete_a_plan_and_a_missing_one(tiny: Store) -> None:
    run_plan(tiny, plan_id="p1", keep=10, now=at(0))
    run_plan(tiny, plan_id="p2", keep=10, now=at(1))
    assert queries.delete_plan(tiny, plan_id="p1") == [{"id": "p1", "plans": 1, "deleted": 2}]
    assert [p["id"] for p in stored_plans(tiny)] == ["p2"]
    assert queries.get_plan(tiny, plan_id="p1") == [] and matched(tiny) == 2
    assert queries.delete_plan(tiny, plan_id="p1") == []  # nothing left: no row
    with pytest.raises(NotFound, match="方案不存在：p1"):
        delete_stored_plan(tiny, "p1")
    assert delete_stored_plan(tiny, "p2") == 2
    assert stored_plans(tiny) == [] and (plan_nodes(tiny), matched(tiny)) == (0, 0)


def test_a_plan_that_met_nothing_is_kept_listed_and_deleted(tiny: Store) -> None:
    queries.write_plan(tiny, plan_id="empty", rows=[], created_at=T0.isoformat(), input_hash="h",
                       needs=2, met=0, unmet=2, keep=10)
    assert stored_plans(tiny) == [{"id": "empty", "created_at": T0.isoformat(), "input_hash": "h",
                                   "needs": 2, "met": 0, "unmet": 2, "assignments": 0}]
    assert delete_stored_plan(tiny, "empty") == 0
    assert stored_plans(tiny) == []


def test_plans_stored_before_plan_nodes_are_listed_last_deleted_and_pruned_first(tiny: Store) -> None:
    tiny.merge(GraphBatch(rels=[
        RelRec("MATCHED_TO", "Need", "N2", "Resource", "R2", {"plan_id": "old-1", "rank": 1, "hops": 1, "quantity": 1}),
        RelRec("MATCHED_TO", "Need", "N1", "Resource", "R2", {"plan_id": "old-2", "rank": 1, "hops": 2, "quantity": 1}),
        RelRec("MATCHED_TO", "Need", "N2", "Resource", "R2", {"plan_id": "old-2", "rank": 1, "hops": 1, "quantity": 1}),
    ]))
    run_plan(tiny, plan_id="new", keep=10, now=T0)
    rows = stored_plans(tiny)
    assert [(p["id"], p["created_at"], p["needs"], p["assignments"]) for p in rows] == [
        ("new", T0.isoformat(), 2, 2), ("old-2", None, None, 2), ("old-1", None, None, 1)]
    assert delete_stored_plan(tiny, "old-2") == 2
    assert [p["id"] for p in stored_plans(tiny)] == ["new", "old-1"]
    run_plan(tiny, plan_id="newer", keep=2, now=at(1))  # the legacy plan counts as the oldest
    assert [p["id"] for p in stored_plans(tiny)] == ["newer", "new"]
    assert matched(tiny) == 4


def test_keep_comes_from_the_settings(tiny: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for i, pid in enumerate(("p1", "p2", "p3")):
        run_plan(tiny, plan_id=pid, keep=10, now=at(i))
    monkeypatch.setenv("ORGLINK_KEEP_PLANS", "2")
    run_plan(tiny, plan_id="p4", now=at(3))
    assert [p["id"] for p in stored_plans(tiny)] == ["p4", "p3"]
    monkeypatch.delenv("ORGLINK_KEEP_PLANS")
    for i in range(5, 16):
        run_plan(tiny, plan_id=f"q{i:02d}", now=at(i))
    assert len(stored_plans(tiny)) == 10  # the default


@pytest.mark.parametrize("keep", [0, -1, True])
def test_a_bad_keep_is_refused_before_anything_is_written(tiny: Store, keep: int) -> None:
    with pytest.raises(StoreError, match="保留方案数应为正整数"):
        run_plan(tiny, plan_id="p1", keep=keep, now=T0)
    assert stored_plans(tiny) == [] and matched(tiny) == 0
    run_plan(tiny, plan_id="p1", keep=keep, write=False)  # not writing: keep is not used


def test_a_stored_plan_that_paired_nothing_is_found(store: Store) -> None:
    from orglink.report.stored import stored_plan

    run_plan(store, plan_id="p-empty", write=True)  # an empty store: nothing to pair
    assert stored_plan(store, "p-empty").assignments == []
