"""A load and lifecycle writes running at the same time never lose each other's changes
(issue 10, step 4): the load merges under the writer lock (embedded) or in its own
transaction (Neo4j) against the current graph, and it never writes a need's state back."""

from __future__ import annotations

import threading
from pathlib import Path

from orglink import lifecycle, queries
from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.neo4j_store import Neo4jStore
from orglink.graph.store import Store
from orglink.loaders.build import load_dataset

ACCEPTS = 40
LOADS = 3


def _second_handle(store: Store) -> Store:
    """Another connection to the same store, as the API process would hold."""
    if isinstance(store, EmbeddedStore):
        return EmbeddedStore(store.path)
    assert isinstance(store, Neo4jStore)
    return Neo4jStore(store.settings)


def test_accepting_needs_while_the_lists_reload_loses_nothing(store: Store, tmp_path: Path) -> None:
    load_dataset(HUINONG, store)
    page = queries.list_needs(store, status="ordered", community=None, category=None, street_ids=None,
                              community_ids=None, escalated_only=False, skip=0, limit=ACCEPTS)[0]
    wanted = [n["id"] for n in page["items"]]
    assert len(wanted) == ACCEPTS
    acknowledged: list[str] = []
    errors: list[BaseException] = []

    def reload() -> None:
        try:
            for _ in range(LOADS):
                load_dataset(HUINONG, store)
        except BaseException as exc:  # reported below
            errors.append(exc)

    api = _second_handle(store)
    loader = threading.Thread(target=reload)
    loader.start()
    try:
        for nid in wanted:
            lifecycle.accept(api, nid, by="网格员")
            acknowledged.append(nid)
    finally:
        loader.join()
        api.close()
    assert not errors
    assert acknowledged == wanted
    states = {nid: lifecycle.need_place(store, nid)["status"] for nid in wanted}
    assert states == dict.fromkeys(wanted, "accepted")
    for nid in wanted:  # the audit trail holds the 接单 too
        assert [h["action"] for h in lifecycle.need_detail(store, nid)["history"]][-1] == "accept"
