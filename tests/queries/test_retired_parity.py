"""Every read query leaves retired rows out alike on both backends: Huinong reloaded from lists
with rows removed (issue 10, step 2). A module of its own: its Neo4j store is a scratch store,
which on a single-database server cannot live beside the shared Huinong store of the other
parity tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from orglink import lifecycle, queries
from orglink.clock import CHINA_TZ
from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store
from orglink.loaders.build import load_dataset
from orglink.queries import registry
from tests import neo4j_support
from tests.datasets import without_some_rows
from tests.queries.test_query_parity import READS, _unstamped, read_cases

pytestmark = pytest.mark.neo4j
NOW = dt.datetime(2025, 3, 1, 9, 30, tzinfo=CHINA_TZ)

REMOVED_EVERY = {"resources": 7, "needs": 9, "cadres": 5, "agreements": 6, "stations": 3, "party_orgs": 11,
                 "property": 5, "compounds": 4}
"""Every n-th row of these tables leaves the lists (when nothing else names it) in the reload."""


@pytest.fixture(scope="module")
def retired_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    """(embedded, Neo4j), both holding Huinong reloaded from lists with rows removed: the
    removed rows are retired (kept in the store, left out by every read)."""
    base = tmp_path_factory.mktemp("retired")
    removed = without_some_rows(HUINONG, base / "lists", REMOVED_EVERY)
    emb = EmbeddedStore(base / "store")
    neo = neo4j_support.open_test_store()
    try:
        for s in (emb, neo):
            load_dataset(HUINONG, s)
            category = {r["resource_id"]: r["category"] for r in queries.resource_supply(s)}
            for resource in removed["resources"][:3]:  # dispatches to resources that go
                [need] = queries.list_needs(s, status="ordered", community=None, category=category[resource],
                                            street_ids=None, community_ids=None, escalated_only=False,
                                            skip=0, limit=1)[0]["items"]
                lifecycle.accept(s, need["id"], by="网格员", now=NOW)
                lifecycle.dispatch(s, need["id"], resource, quantity=1, by="社区书记", now=NOW)
            loaded = load_dataset(base / "lists", s)
            assert sum(map(len, loaded.outcome.retired.values())) == sum(map(len, removed.values()))
        yield emb, neo
    finally:
        emb.close()
        neo.close()


@pytest.mark.parametrize("name", READS)
def test_read_query_leaves_out_retired_rows_alike_on_neo4j(retired_stores: tuple[Store, Store], name: str) -> None:
    """Every read query on a store holding retired nodes: same rows on both backends."""
    emb, neo = retired_stores
    for params in read_cases(emb)[name]:
        want = _unstamped(emb.read(registry.get(name), **params))
        assert _unstamped(neo.read(registry.get(name), **params)) == want, \
            f"{name}({params}): Neo4j and embedded differ"


def test_the_dispatches_to_retired_resources_are_there_to_compare(retired_stores: tuple[Store, Store]) -> None:
    emb, neo = retired_stores
    rows = queries.retired_dispatches(emb)
    assert len(rows) == 3 and not any(r["need_retired"] for r in rows)
    assert _unstamped(queries.retired_dispatches(neo)) == _unstamped(rows)
