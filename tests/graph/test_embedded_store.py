"""Store behaviour: loading, reloading, failed loads, atomic saves and crash safety.

Tests taking the ``store`` fixture run against every configured backend (embedded always,
Neo4j when ``ORGLINK_TEST_NEO4J_URI`` is set); the rest are about the embedded file store:
persistence, concurrent writer processes and a writer killed with SIGKILL mid-save.
"""

from __future__ import annotations

import os
import pickle
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from orglink import queries
from orglink.data import HUINONG
from orglink.graph.embedded import GRAPH_FILE, EmbeddedStore
from orglink.graph.store import GraphBatch, NodeRec, RelRec, Store, StoreError
from orglink.loaders.build import load_dataset
from orglink.loaders.reader import LoadError
from tests.datasets import TINY_COUNTS, add_row, graph_digest, set_cell, write_tiny

# -- every backend ---------------------------------------------------------------------------


def test_tiny_dataset_loads_with_the_hand_counted_counts(store: Store, tmp_path: Path) -> None:
    load_dataset(write_tiny(tmp_path / "tiny"), store)
    assert store.counts() == TINY_COUNTS


def test_loading_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    d = write_tiny(tmp_path / "tiny")
    load_dataset(d, store)
    counts, digest = store.counts(), graph_digest(store)
    load_dataset(d, store)
    assert store.counts() == counts
    assert graph_digest(store) == digest


@pytest.mark.slow
def test_loading_the_bundled_data_twice_changes_nothing(store: Store) -> None:
    load_dataset(HUINONG, store)
    counts, digest = store.counts(), graph_digest(store)
    assert counts["nodes"]["Grid"] == 202  # really loaded
    load_dataset(HUINONG, store)
    assert store.counts() == counts
    assert graph_digest(store) == digest


def test_the_same_data_in_chinese_gives_the_same_graph(store: Store, tmp_path: Path) -> None:
    load_dataset(write_tiny(tmp_path / "en"), store)
    digest = graph_digest(store)
    load_dataset(write_tiny(tmp_path / "zh", lang="zh", encoding="gb18030"), store)
    assert graph_digest(store) == digest


def test_failed_load_leaves_the_store_as_it_was(store: Store, tmp_path: Path) -> None:
    load_dataset(write_tiny(tmp_path / "tiny"), store)
    counts, digest = store.counts(), graph_digest(store)
    # a changed, bigger dataset with one bad cell at the very end: nothing of it may land
    bad = write_tiny(tmp_path / "bad")
    set_cell(bad, "grids", 2, "name", "改过的名字")
    add_row(bad, "grids", {"id": "G9", "name": "新网格", "community": "C1"})
    set_cell(bad, "stations", 4, "community", "无此社区")
    with pytest.raises(LoadError):
        load_dataset(bad, store)
    assert store.counts() == counts
    assert graph_digest(store) == digest


def test_failed_load_into_an_empty_store_writes_nothing(store: Store, tmp_path: Path) -> None:
    bad = write_tiny(tmp_path / "bad")
    set_cell(bad, "needs", 5, "category", "天气")
    with pytest.raises(LoadError):
        load_dataset(bad, store)
    assert store.counts() == {"nodes": {}, "relationships": {}}


def test_a_merge_failing_halfway_is_rolled_back(store: Store, tmp_path: Path) -> None:
    load_dataset(write_tiny(tmp_path / "tiny"), store)
    counts, digest = store.counts(), graph_digest(store)
    batch = GraphBatch(
        nodes=[NodeRec("Grid", "G1", {"name": "改名", "lat": 1.0}),
               NodeRec("Grid", "G8", {"name": "新网格"})],
        rels=[RelRec("IN", "Grid", "G8", "Community", "C1"),
              RelRec("IN", "Grid", "G8", "Community", "NOPE")],  # endpoint missing
    )
    with pytest.raises(StoreError):
        store.merge(batch)
    assert store.counts() == counts
    assert graph_digest(store) == digest


def test_merge_overwrites_properties_and_flag_labels(store: Store) -> None:
    store.merge(GraphBatch(nodes=[NodeRec("Unit", "U1", {"name": "甲", "department": True,
                                                         "resident": True})]))
    assert store.counts()["nodes"] == {"Unit": 1, "Department": 1, "ResidentUnit": 1}
    store.merge(GraphBatch(nodes=[NodeRec("Unit", "U1", {"name": "乙", "department": False})]))
    assert store.counts()["nodes"] == {"Unit": 1, "ResidentUnit": 1}
    [row] = queries.graph_nodes(store)
    assert row == {"labels": ["ResidentUnit", "Unit"], "id": "U1",
                   "props": {"id": "U1", "name": "乙", "department": False, "resident": True}}


def test_graph_dump_queries_return_every_node_and_relationship(store: Store) -> None:
    store.merge(GraphBatch(
        nodes=[NodeRec("Community", "C1", {"name": "社区"}), NodeRec("Grid", "G1", {"name": "网格"}),
               NodeRec("GridBranch", "B1", {"name": "支部", "level": "网格党支部"}),
               NodeRec("Need", "N1", {"title": "需求", "category": "便民服务"}),
               NodeRec("Resource", "R1", {"title": "资源", "category": "便民服务", "capacity": 2})],
        rels=[RelRec("IN", "Grid", "G1", "Community", "C1"),
              RelRec("RESPONSIBLE_FOR", "GridBranch", "B1", "Grid", "G1"),
              RelRec("MATCHED_TO", "Need", "N1", "Resource", "R1", {"plan_id": "p1", "rank": 1}),
              RelRec("MATCHED_TO", "Need", "N1", "Resource", "R1", {"plan_id": "p2", "rank": 1})]))
    nodes = queries.graph_nodes(store)
    assert [(r["labels"], r["id"]) for r in nodes] == [
        (["Community"], "C1"), (["Grid"], "G1"), (["GridBranch", "PartyOrg"], "B1"),
        (["Need"], "N1"), (["Resource"], "R1")]
    assert nodes[2]["props"] == {"id": "B1", "name": "支部", "level": "网格党支部"}
    rels = queries.graph_relationships(store)
    assert sorted((r["src_id"], r["type"], r["dst_id"], r["props"].get("plan_id")) for r in rels) == [
        ("B1", "RESPONSIBLE_FOR", "G1", None), ("G1", "IN", "C1", None),
        ("N1", "MATCHED_TO", "R1", "p1"), ("N1", "MATCHED_TO", "R1", "p2")]
    assert {r["type"]: r["src_labels"] for r in rels}["RESPONSIBLE_FOR"] == ["GridBranch", "PartyOrg"]


def test_digest_sees_a_single_property_change(store: Store, tmp_path: Path) -> None:
    """The digest used above would notice any change (so the equalities prove something)."""
    load_dataset(write_tiny(tmp_path / "tiny"), store)
    digest = graph_digest(store)
    store.merge(GraphBatch(nodes=[NodeRec("Resource", "R3", {"capacity": 3})]))
    assert graph_digest(store) != digest
    store.merge(GraphBatch(nodes=[NodeRec("Resource", "R3", {"capacity": 2})]))
    assert graph_digest(store) == digest
    store.merge(GraphBatch(rels=[RelRec("CO_BUILDS", "Unit", "U1", "Community", "C3")]))
    assert graph_digest(store) != digest


# -- the embedded file store -----------------------------------------------------------------


def test_embedded_store_persists_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "store"
    s1 = EmbeddedStore(path)
    load_dataset(write_tiny(tmp_path / "tiny"), s1)
    digest = graph_digest(s1)
    s2 = EmbeddedStore(path)
    assert s2.counts() == TINY_COUNTS
    assert graph_digest(s2) == digest


def test_open_store_sees_writes_of_another_instance(tmp_path: Path) -> None:
    path = tmp_path / "store"
    reader, writer = EmbeddedStore(path), EmbeddedStore(path)
    assert reader.counts() == {"nodes": {}, "relationships": {}}
    writer.merge(GraphBatch(nodes=[NodeRec("District", "D1", {"name": "区"})]))
    assert reader.counts()["nodes"] == {"District": 1}


def test_unreadable_store_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "store"
    path.mkdir()
    (path / GRAPH_FILE).write_bytes(b"garbage")
    with pytest.raises(StoreError, match="无法读取图存储文件"):
        EmbeddedStore(path)
    (path / GRAPH_FILE).write_bytes(pickle.dumps({"format": 999}))
    with pytest.raises(StoreError, match="格式无法识别"):
        EmbeddedStore(path)


def test_progress_reports_the_total(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    batch = GraphBatch(nodes=[NodeRec("Grid", f"G{i}", {"name": f"g{i}"}) for i in range(4500)])
    EmbeddedStore(tmp_path / "store").merge(batch, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(2000, 4500), (4000, 4500), (4500, 4500)]


_WRITER = textwrap.dedent("""
    import sys
    from orglink.graph.embedded import EmbeddedStore
    from orglink.graph.store import GraphBatch, NodeRec, RelRec

    path, n = sys.argv[1], int(sys.argv[2])
    store = EmbeddedStore(path)
    gen = store.counts()["nodes"].get("Street", 0)
    while True:
        gen += 1
        # generation `gen`: `gen` streets, and n grids all stamped with `gen`
        nodes = [NodeRec("Street", f"S{gen}", {"name": f"街道{gen}"})]
        nodes += [NodeRec("Grid", f"G{i}", {"name": f"网格{i}", "lat": float(gen)}) for i in range(n)]
        rels = [RelRec("IN", "Grid", f"G{i}", "Street", f"S{gen}") for i in range(0, n, 100)]
        store.merge(GraphBatch(nodes=nodes, rels=rels))
        print(gen, flush=True)
""")


def _check_generation(path: Path, n: int) -> int:
    """Open the store and check it holds exactly one whole generation; return it."""
    g = EmbeddedStore(path).graph.g
    streets = [d for _, d in g.nodes(data=True) if d["label"] == "Street"]
    grids = [d for _, d in g.nodes(data=True) if d["label"] == "Grid"]
    gen = len(streets)
    if gen == 0:
        assert g.number_of_nodes() == 0
        return 0
    assert len(grids) == n
    assert {d["lat"] for d in grids} == {float(gen)}
    # IN is single: each generation moves the grids to its own street (the old IN goes)
    assert g.number_of_edges() == len(range(0, n, 100))
    assert {g.nodes[v]["id"] for _, v in g.edges()} == {f"S{gen}"}
    return gen


@pytest.mark.slow
def test_writer_killed_mid_save_never_leaves_a_torn_store(tmp_path: Path) -> None:
    """SIGKILL a process that saves in a loop, six times: the store always opens whole.

    Half the kills land at a random moment, half the instant a save's temp file appears (so
    really mid-save). After each kill the store holds the last generation the writer reported
    as saved, or the one after it (killed after the atomic rename but before it could print),
    never a mix; the temp file of an interrupted save is removed by the next write.
    """
    path, n = tmp_path / "store", 20000
    rng = random.Random(20240601)
    previous, torn_saves = 0, 0
    for attempt in range(6):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(n)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        first = proc.stdout.readline()  # one save done: the writer is in its loop
        assert first, "writer died before its first save"
        if attempt % 2:
            time.sleep(rng.uniform(0.0, 0.5))
        else:
            for _ in range(rng.randint(0, 3)):  # let a few more saves go by
                time.sleep(0.1)
            deadline = time.monotonic() + 30
            while not list(path.glob(".graph-*.tmp")):
                assert time.monotonic() < deadline, "no save seen"
                time.sleep(0.0005)
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        torn_saves += bool(list(path.glob(".graph-*.tmp")))
        reported = [int(x) for x in (first + rest).split()]
        gen = _check_generation(path, n)
        assert reported[-1] <= gen <= reported[-1] + 1, (reported, gen)
        assert gen >= previous
        previous = gen
    assert torn_saves >= 1  # at least one kill really interrupted a save
    store = EmbeddedStore(path)
    store.merge(GraphBatch(nodes=[NodeRec("District", "D1", {"name": "区"})]))
    assert list(path.glob(".graph-*.tmp")) == []
    assert store.counts()["nodes"]["Street"] == previous


_ADDER = textwrap.dedent("""
    import sys
    from orglink.graph.embedded import EmbeddedStore
    from orglink.graph.store import GraphBatch, NodeRec

    path, who, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = EmbeddedStore(path)
    for i in range(times):
        store.merge(GraphBatch(nodes=[NodeRec("Grid", f"{who}{i}", {"name": f"{who}{i}"})]))
""")


@pytest.mark.slow
def test_concurrent_writer_processes_lose_no_update(tmp_path: Path) -> None:
    """Two processes each add 40 nodes one write at a time; the file lock keeps all 80."""
    path = tmp_path / "store"
    EmbeddedStore(path).merge(GraphBatch(nodes=[NodeRec("District", "D1", {"name": "区"})]))
    procs = [subprocess.Popen([sys.executable, "-c", _ADDER, str(path), who, "40"]) for who in "ab"]
    for p in procs:
        assert p.wait(timeout=120) == 0
    assert EmbeddedStore(path).counts()["nodes"] == {"District": 1, "Grid": 80}
