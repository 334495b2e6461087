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
from orglink.graph.taxonomy import fits
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
            supply = {r["resource_id"]: r for r in queries.resource_supply(s)}
            ordered = queries.list_needs(s, status="ordered", community=None, category=None, street_ids=None,
                                         community_ids=None, escalated_only=False, skip=0, limit=2000)[0]["items"]
            subtype = {n["id"]: queries.need_get(s, need_id=n["id"])[0]["subtype"] for n in ordered}
            pairs = []  # dispatches to resources that go: 3 (need, resource) that fit
            for resource in removed["resources"]:
                r = supply[resource]
                need = next((n["id"] for n in ordered if n["id"] not in {p[0] for p in pairs}
                             and n["id"] not in removed["needs"]
                             and fits(n["category"], subtype[n["id"]], r["category"], r["subtype"])), None)
                if need is not None and len(pairs) < 3:
                    pairs.append((need, resource))
            assert len(pairs) == 3
            for need_id, resource in pairs:
                lifecycle.accept(s, need_id, by="网格员", now=NOW)
                lifecycle.dispatch(s, need_id, resource, quantity=1, by="区委组织部", now=NOW,
                                   override="测试：派给随后从清单删除的资源")  # maybe beyond its reach
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
