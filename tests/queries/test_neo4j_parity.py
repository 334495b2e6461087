"""Places where Neo4j and the embedded twins could drift apart, pinned down.

Tests taking the ``store`` fixture run on every configured backend, so against a real Neo4j
they check the Cypher side of each point too: ``round()`` rounds half up on the decimal form
(not Python's half-even), relationships between the same two nodes come back in one order,
a null written by a query is no property at all, and every session carries the bookmarks of
the transactions before it (read-your-writes on a cluster).
"""

from __future__ import annotations

import pytest

from orglink import queries
from orglink.graph.cypher_semantics import cypher_round
from orglink.graph.neo4j_store import Neo4jSettings, Neo4jStore
from orglink.graph.store import GraphBatch, NodeRec, RelRec, Store
from tests.fake_bolt import PASSWORD, FakeBolt
from tests.graph.test_neo4j_backend import Script


@pytest.mark.parametrize(("value", "precision", "expected"), [
    (0.125, 2, 0.13),  # Python's round gives 0.12
    (2.675, 2, 2.68),  # the double is 2.67499…: Python gives 2.67, Cypher rounds "2.675"
    (53.431372549019606, 2, 53.43),
    (50.0, 2, 50.0),
    (12.5, 0, 13.0),
    (-12.5, 0, -12.0),  # precision 0: Java Math.round, ties towards +infinity
    (1e-7, 2, 0.0),
    (0.1, 5, 0.1),  # no digits added
])
def test_cypher_round_rounds_half_up_on_the_decimal_form(value: float, precision: int, expected: float) -> None:
    assert cypher_round(value, precision) == expected


def test_owners_share_is_rounded_as_cypher_rounds(store: Store) -> None:
    """1 party member of 800: 0.125 %, which Cypher's round() makes 0.13."""
    store.merge(GraphBatch(nodes=[NodeRec("OwnersCommittee", "O1", {"name": "业委会", "members": 800,
                                                                     "party_members": 1})]))
    [row] = queries.document_figures(store)
    assert row["owners_party_share"] == 0.13


def test_relationships_of_one_pair_come_back_ordered_by_plan(store: Store) -> None:
    store.merge(GraphBatch(
        nodes=[NodeRec("Need", "N1", {"title": "需求", "category": "便民服务"}),
               NodeRec("Resource", "R1", {"title": "资源", "category": "便民服务", "capacity": 2})],
        rels=[RelRec("MATCHED_TO", "Need", "N1", "Resource", "R1", {"plan_id": "p2", "hops": 1}),
              RelRec("MATCHED_TO", "Need", "N1", "Resource", "R1", {"plan_id": "p1", "hops": 5}),
              RelRec("MATCHED_TO", "Need", "N1", "Resource", "R1", {"plan_id": "p3", "hops": 3})]))
    rels = queries.graph_relationships(store)
    assert [r["props"]["plan_id"] for r in rels] == ["p1", "p2", "p3"]


def test_a_null_written_by_a_query_is_no_property(store: Store) -> None:
    store.merge(GraphBatch(
        nodes=[NodeRec("Need", "N1", {"title": "需求", "category": "便民服务"}),
               NodeRec("Resource", "R1", {"title": "资源", "category": "便民服务", "capacity": 2})]))
    queries.write_plan(store, plan_id="p1",
                rows=[{"need_id": "N1", "resource_id": "R1", "rank": None, "hops": 2, "quantity": 1}],
                created_at="2025-03-01T09:30:00+08:00", input_hash=None, needs=1, met=1, unmet=None,
                keep=10)  # input_hash and unmet null on purpose: no property, as for the rank
    [rel] = queries.graph_relationships(store)
    assert rel["props"] == {"plan_id": "p1", "hops": 2, "quantity": 1}
    [plan] = [n for n in queries.graph_nodes(store) if n["id"] == "p1"]
    assert plan["props"] == {"id": "p1", "created_at": "2025-03-01T09:30:00+08:00", "needs": 1, "met": 1}
    [row] = queries.get_plan(store, plan_id="p1")
    assert (row["rank"], row["hops"], row["quantity"]) == (None, 2, 1)


def test_every_session_carries_the_bookmarks_of_earlier_transactions() -> None:
    """A read after a write waits for it on whichever cluster member answers."""
    script = Script()
    script.named = [{"id": "N1"}]
    with FakeBolt(script) as srv:
        store = Neo4jStore(Neo4jSettings(uri=srv.uri, password=PASSWORD))
        store.write(queries.need_accept, need_id="N1")  # the fake server ignores the rest
        queries.need_place(store, need_id="N1")
        store.close()
    begins = [d[0] if d else {} for name, d in srv.log if name == "BEGIN"]
    assert len(begins) == 2
    assert not begins[0].get("bookmarks")
    assert begins[1].get("bookmarks") == ["bm:1"]  # the fake server's bookmark of the write


def test_cypher_round_keeps_infinities_and_nan() -> None:
    """round(±Infinity) and round(NaN) are themselves in Cypher (it raised TypeError here)."""
    import math

    assert cypher_round(math.inf, 2) == math.inf
    assert cypher_round(-math.inf, 0) == -math.inf
    assert math.isnan(cypher_round(math.nan, 2))
