"""The embedded store's write-ahead journal (issue 15, item 4): a query write appends its ops
to ``journal.bin`` instead of rewriting the snapshot; the journal is replayed at open, read
incrementally by other stores on the path, compacted on load, plan and when full; a failed
write is undone in memory and journals nothing; torn tails and a crash between a snapshot
and the journal's truncation are harmless; a writer killed with SIGKILL loses nothing it
reported done. Verify mode (``ORGLINK_JOURNAL_VERIFY=1``, set for the whole suite) catches a
write twin that changes the graph without the recording methods.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from orglink import lifecycle
from orglink.clock import CHINA_TZ
from orglink.graph import embedded
from orglink.graph.embedded import GRAPH_FILE, VERIFY_ENV, EmbeddedGraph, EmbeddedStore, JournalMismatch
from orglink.graph.journal import JOURNAL_FILE, encode, graph_state, read_records
from orglink.graph.query import Query
from orglink.graph.store import Conflict, GraphBatch, NodeRec, NotFound, RelRec
from orglink.loaders.build import load_dataset
from orglink.matching.plan import run_plan
from tests.datasets import write_tiny

NOW = dt.datetime(2024, 6, 10, 9, 30, tzinfo=CHINA_TZ)


def at(hour: int) -> dt.datetime:
    """A fixed time on the test day."""
    return NOW.replace(hour=hour)


def fake_write(name: str, fn: Any) -> Query[Any]:
    """A write query whose embedded twin is ``fn`` (no Cypher: the embedded store never reads it)."""
    return Query(name, fn, cypher_source=lambda: "", write=True)


def state(store: EmbeddedStore) -> tuple[Any, ...]:
    """Everything the store's graph holds, in order (a copy: later writes do not change it)."""
    with store.reading() as eg:
        return pickle.loads(pickle.dumps(graph_state(eg.g, eg.by_label)))


def journal_records(path: Path) -> int:
    """How many records ``journal.bin`` holds that follow the snapshot."""
    with (path / GRAPH_FILE).open("rb") as fh:
        snap = pickle.load(fh)
    records, _ = read_records(path / JOURNAL_FILE, 0, snap.get("gen"), snap.get("journal_seq", 0))
    return len(records)


def journal_size(path: Path) -> int:
    """The journal's length in bytes (0 when there is none)."""
    f = path / JOURNAL_FILE
    return f.stat().st_size if f.exists() else 0


@pytest.fixture
def tiny(tmp_path: Path) -> EmbeddedStore:
    """A journaling embedded store with the tiny district loaded."""
    s = EmbeddedStore(tmp_path / "store")
    load_dataset(write_tiny(tmp_path / "tiny"), s)
    return s


def lifecycle_run(store: EmbeddedStore) -> None:
    """点单, 接单, 派单, 吹哨, 报到, 办结 on the tiny district."""
    new = lifecycle.create_need(store, title="心理咨询", category="医疗健康", community="C1", grid="G1",
                                by="网格员", now=at(8))["id"]
    lifecycle.accept(store, "N1", by="网格员", now=at(9))
    lifecycle.dispatch(store, "N1", "R1", by="社区书记", now=at(10))
    lifecycle.accept(store, new, by="网格员", now=at(11))
    lifecycle.escalate(store, new, by="南街街道", departments=["U1"], now=at(12))
    lifecycle.answer(store, new, "U1", by="区卫健局", note="已对接", now=at(13))
    lifecycle.complete(store, new, "已疏导", by="春晖社区", evaluation="满意", evaluation_note="及时",
                       now=at(14))
    lifecycle.complete(store, "N1", "已体检", by="春晖社区", now=at(15))


# -- journaled writes persist ------------------------------------------------------------------


def test_a_lifecycle_write_is_journaled_and_a_reopened_store_sees_it(tiny: EmbeddedStore) -> None:
    snapshot = (tiny.path / GRAPH_FILE).stat()
    lifecycle.accept(tiny, "N1", by="网格员", now=NOW)
    after = (tiny.path / GRAPH_FILE).stat()
    assert (after.st_ino, after.st_mtime_ns) == (snapshot.st_ino, snapshot.st_mtime_ns)  # not rewritten
    assert journal_records(tiny.path) == 1
    again = EmbeddedStore(tiny.path)
    assert again.graph.node("Need", "N1")["status"] == "accepted"
    assert state(again) == state(tiny)


def test_journaled_store_equals_a_full_rewrite_store_after_the_same_lifecycle_writes(tmp_path: Path) -> None:
    journaled = EmbeddedStore(tmp_path / "j")
    load_dataset(write_tiny(tmp_path / "tiny"), journaled)
    (tmp_path / "r").mkdir()
    shutil.copy(journaled.file, tmp_path / "r" / GRAPH_FILE)  # the same load (load ids differ per load)
    rewritten = EmbeddedStore(tmp_path / "r", journal=False)
    for s in (journaled, rewritten):
        lifecycle_run(s)
    assert journal_records(journaled.path) == 8
    assert not (rewritten.path / JOURNAL_FILE).exists()
    reopened = EmbeddedStore(journaled.path)
    assert state(reopened) == state(EmbeddedStore(rewritten.path)) == state(journaled)
    assert reopened.graph.node("Need", "N1")["status"] == "done"
    # a plan write compacts: the journal is emptied, the snapshot holds everything
    for s in (journaled, rewritten):
        run_plan(s, "p1", now=at(16))
        new = lifecycle.create_need(s, title="助餐", category="养老托幼", community="C2", by="网格员",
                                    now=at(17))["id"]
        lifecycle.accept(s, new, by="网格员", now=at(18))
    assert journal_records(journaled.path) == 2  # the 点单 and 接单 after the plan
    assert state(EmbeddedStore(journaled.path)) == state(EmbeddedStore(rewritten.path))


def test_a_write_that_changes_nothing_writes_nothing(tiny: EmbeddedStore) -> None:
    size, stamp = journal_size(tiny.path), (tiny.path / GRAPH_FILE).stat().st_mtime_ns
    with pytest.raises(NotFound):
        lifecycle.accept(tiny, "N-NOPE", by="网格员", now=NOW)
    assert journal_size(tiny.path) == size
    assert (tiny.path / GRAPH_FILE).stat().st_mtime_ns == stamp


# -- failed writes -----------------------------------------------------------------------------


def test_a_conflict_is_undone_in_memory_and_journals_nothing(tiny: EmbeddedStore) -> None:
    lifecycle.accept(tiny, "N1", by="网格员", now=NOW)
    graph, before, size = tiny.graph, state(tiny), journal_size(tiny.path)

    def half_then_refuse(eg: EmbeddedGraph) -> list[dict[str, Any]]:
        eg.set_props("Need:N1", {"status": "done", "title": None})
        eg.merge_node(NodeRec("Grid", "G9", {"name": "新网格"}))
        eg.merge_rel(RelRec("IN", "Grid", "G9", "Community", "C1"))
        eg.add_edge("Need:N1", "Resource:R1", "MATCHED_TO|x", type="MATCHED_TO", plan_id="x")
        return [{"id": "N1", "_conflict": "不行"}]

    with pytest.raises(Conflict, match="不行"):
        tiny.write(fake_write("half_then_refuse", half_then_refuse))
    with pytest.raises(Conflict, match="不能接单"):  # the real one: already accepted
        lifecycle.accept(tiny, "N1", by="网格员", now=NOW)
    assert tiny.graph is graph  # undone in memory, not reloaded
    assert state(tiny) == before
    assert journal_size(tiny.path) == size
    assert state(EmbeddedStore(tiny.path)) == before


def test_an_exception_mid_write_is_undone_in_memory(tiny: EmbeddedStore) -> None:
    graph, before, size = tiny.graph, state(tiny), journal_size(tiny.path)

    def fail(eg: EmbeddedGraph) -> list[dict[str, Any]]:
        eg.merge_node(NodeRec("Unit", "U1", {"name": "改名", "department": False}))  # a flag label goes
        eg.merge_rel(RelRec("CO_BUILDS", "Unit", "U1", "Community", "C3"))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        tiny.write(fake_write("fail", fail))
    assert tiny.graph is graph
    assert state(tiny) == before
    assert journal_size(tiny.path) == size


def test_a_failed_write_that_removed_something_reloads_the_files(tiny: EmbeddedStore) -> None:
    lifecycle.accept(tiny, "N1", by="网格员", now=NOW)
    before = state(tiny)

    def fail(eg: EmbeddedGraph) -> list[dict[str, Any]]:
        eg.remove_node("Grid:G1")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        tiny.write(fake_write("fail", fail))
    assert state(tiny) == before  # order included: the files gave it back exactly


# -- torn tails and crashes --------------------------------------------------------------------


def test_a_torn_tail_is_ignored_then_truncated(tiny: EmbeddedStore) -> None:
    lifecycle.accept(tiny, "N1", by="网格员", now=NOW)
    good, size = state(tiny), journal_size(tiny.path)
    torn = encode("whatever", 2, [("node", "Grid:G1", {"label": "Grid"})])
    with (tiny.path / JOURNAL_FILE).open("ab") as fh:
        fh.write(torn[: len(torn) // 2])
    reopened = EmbeddedStore(tiny.path)
    assert state(reopened) == good
    lifecycle.dispatch(reopened, "N1", "R1", by="社区书记", now=NOW)
    assert journal_records(tiny.path) == 2
    records, tail = read_records(tiny.path / JOURNAL_FILE, 0, *_gen_seq(tiny.path))
    assert tail == 0 and records[0].end == size  # cut at the torn record, then appended
    assert EmbeddedStore(tiny.path).graph.node("Need", "N1")["status"] == "dispatched"
    assert lifecycle.need_place(tiny, "N1")["status"] == "dispatched"  # the first store caught up


def test_a_corrupt_record_ends_the_journal(tiny: EmbeddedStore) -> None:
    lifecycle.accept(tiny, "N1", by="网格员", now=NOW)
    after_first = state(tiny)
    lifecycle.dispatch(tiny, "N1", "R1", by="社区书记", now=NOW)
    data = bytearray((tiny.path / JOURNAL_FILE).read_bytes())
    data[-3] ^= 0xFF  # the CRC of the second record no longer holds
    (tiny.path / JOURNAL_FILE).write_bytes(bytes(data))
    assert state(EmbeddedStore(tiny.path)) == after_first


def _gen_seq(path: Path) -> tuple[str | None, int]:
    with (path / GRAPH_FILE).open("rb") as fh:
        snap = pickle.load(fh)
    return snap.get("gen"), snap.get("journal_seq", 0)


def test_a_crash_between_snapshot_and_truncation_is_safe(tiny: EmbeddedStore) -> None:
    tiny.write(fake_write("set", lambda eg: eg.set_props("Grid:G1", {"name": "日志里的名字"}) or [{}]))
    stale = (tiny.path / JOURNAL_FILE).read_bytes()
    tiny.merge(GraphBatch(nodes=[NodeRec("Grid", "G1", {"name": "快照里的名字"})]))  # compacts
    assert journal_size(tiny.path) == 0
    (tiny.path / JOURNAL_FILE).write_bytes(stale)  # as if killed before the truncation
    reopened = EmbeddedStore(tiny.path)
    assert reopened.graph.node("Grid", "G1")["name"] == "快照里的名字"  # the stale record is ignored
    assert state(reopened) == state(tiny)
    lifecycle.accept(reopened, "N1", by="网格员", now=NOW)
    assert journal_records(tiny.path) == 1
    assert journal_size(tiny.path) < len(stale) + 2000  # the stale record was cut first
    again = EmbeddedStore(tiny.path)
    assert again.graph.node("Grid", "G1")["name"] == "快照里的名字"
    assert again.graph.node("Need", "N1")["status"] == "accepted"


def test_journal_records_of_another_generation_are_ignored(tiny: EmbeddedStore) -> None:
    """Two snapshots can hold the same last write (a load journals nothing): a record is
    replayed only on the snapshot it followed, whatever its sequence number."""
    backup = tiny.file.read_bytes()
    tiny.merge(GraphBatch(nodes=[NodeRec("Grid", "G1", {"name": "新快照"})]))  # same seq, new generation
    tiny.write(fake_write("set", lambda eg: eg.set_props("Grid:G2", {"name": "新快照之后"}) or [{}]))
    assert journal_records(tiny.path) == 1
    tiny.file.write_bytes(backup)  # the older snapshot put back
    reopened = EmbeddedStore(tiny.path)
    assert reopened.graph.node("Grid", "G1")["name"] != "新快照"
    assert reopened.graph.node("Grid", "G2")["name"] != "新快照之后"


def test_a_format_1_store_opens_and_its_first_write_compacts(tmp_path: Path) -> None:
    path = tmp_path / "store"
    old = EmbeddedStore(path, journal=False)
    old.merge(GraphBatch(nodes=[NodeRec("Grid", "G1", {"name": "网格"})]))
    (path / GRAPH_FILE).write_bytes(pickle.dumps({"format": 1, "graph": old.graph.g}))
    store = EmbeddedStore(path)
    store.write(fake_write("set", lambda eg: eg.set_props("Grid:G1", {"name": "新"}) or [{}]))
    assert journal_size(path) == 0
    assert _gen_seq(path)[0] is not None
    assert EmbeddedStore(path).graph.node("Grid", "G1")["name"] == "新"


# -- other stores on the path ------------------------------------------------------------------


def test_a_second_store_sees_the_first_ones_writes_incrementally(tiny: EmbeddedStore) -> None:
    other = EmbeddedStore(tiny.path)
    graph, version = other.graph, other.graph.version
    lifecycle.accept(tiny, "N1", by="网格员", now=NOW)
    assert lifecycle.need_place(other, "N1")["status"] == "accepted"
    assert other.graph is graph and other.graph.version > version  # replayed, not reloaded
    lifecycle.dispatch(other, "N1", "R1", by="社区书记", now=NOW)  # the second writes after it
    assert lifecycle.need_place(tiny, "N1")["status"] == "dispatched"
    assert journal_records(tiny.path) == 2
    tiny.merge(GraphBatch(nodes=[NodeRec("Grid", "G1", {"name": "改名"})]))  # compaction: reloaded
    assert other.counts() == tiny.counts()
    assert other.graph.node("Grid", "G1")["name"] == "改名"
    assert state(other) == state(tiny)


# -- compaction --------------------------------------------------------------------------------


def test_the_journal_is_compacted_when_full(tiny: EmbeddedStore) -> None:
    tiny.compact_records = 3

    def bump(eg: EmbeddedGraph, i: int) -> list[dict[str, Any]]:
        eg.set_props("Grid:G1", {"n": i})
        return [{}]

    q = fake_write("bump", bump)
    sizes = []
    for i in range(1, 6):
        tiny.write(q, i=i)
        sizes.append(journal_records(tiny.path))
    assert sizes == [1, 2, 0, 1, 2]  # the third write left 3 records: it compacted after appending
    tiny.compact_bytes = journal_size(tiny.path) + 10  # the next record would not fit
    tiny.write(q, i=6)
    assert journal_size(tiny.path) == 0
    assert EmbeddedStore(tiny.path).graph.node("Grid", "G1")["n"] == 6


def test_a_full_rewrite_store_empties_the_journal_it_finds(tiny: EmbeddedStore) -> None:
    lifecycle.accept(tiny, "N1", by="网格员", now=NOW)
    plain = EmbeddedStore(tiny.path, journal=False)
    assert plain.graph.node("Need", "N1")["status"] == "accepted"
    lifecycle.dispatch(plain, "N1", "R1", by="社区书记", now=NOW)
    assert journal_size(tiny.path) == 0
    assert lifecycle.need_place(tiny, "N1")["status"] == "dispatched"


# -- reads wait for a write, not for a compaction ---------------------------------------------


def _read_during(store: EmbeddedStore, started: threading.Event) -> tuple[float, Any]:
    """Once ``started`` is set, read Grid G1's ``n`` in this thread: (when it returned, the value)."""
    assert started.wait(10)
    with store.reading() as eg:
        value = eg.node("Grid", "G1").get("n")
    return time.monotonic(), value


def test_a_read_waits_for_the_write_in_flight_and_no_longer(tiny: EmbeddedStore) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(eg: EmbeddedGraph) -> list[dict[str, Any]]:
        eg.set_props("Grid:G1", {"n": 1})
        started.set()
        assert release.wait(10)
        return [{}]

    writer = threading.Thread(target=tiny.write, args=(fake_write("slow", slow),))
    writer.start()
    with ThreadPoolExecutor(1) as pool:
        read = pool.submit(_read_during, tiny, started)
        time.sleep(0.3)
        assert not read.done()  # the write holds the memory lock while it changes the graph
        release.set()
        writer.join(10)
        done_at = time.monotonic()
        read_at, value = read.result(10)
    assert value == 1  # it saw the write, once durable
    assert read_at - done_at < 0.2


def test_reads_go_on_while_a_journaled_write_compacts(tiny: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The snapshot rewrite after a full journal keeps no reader out (only the writer lock)."""
    tiny.compact_records = 1
    compacting, finish = threading.Event(), threading.Event()
    real = embedded.atomic_write

    def slow_atomic_write(*args: Any, **kwargs: Any) -> Path:
        compacting.set()
        assert finish.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(embedded, "atomic_write", slow_atomic_write)
    writer = threading.Thread(target=lifecycle.accept, args=(tiny, "N1"), kwargs={"by": "网格员", "now": NOW})
    writer.start()
    try:
        assert compacting.wait(10)
        t = time.monotonic()
        assert lifecycle.need_place(tiny, "N1")["status"] == "accepted"  # durable in the journal already
        assert time.monotonic() - t < 0.5
        assert writer.is_alive()  # still compacting
    finally:
        finish.set()
        writer.join(10)
    assert journal_size(tiny.path) == 0
    assert EmbeddedStore(tiny.path).graph.node("Need", "N1")["status"] == "accepted"


def test_a_failed_compaction_keeps_the_write_and_the_next_write_compacts(
        tiny: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny.compact_records = 1

    def full_disk(*args: Any, **kwargs: Any) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(embedded, "atomic_write", full_disk)
    lifecycle.accept(tiny, "N1", by="网格员", now=NOW)  # reported done: it is in the journal
    assert journal_records(tiny.path) == 1
    assert EmbeddedStore(tiny.path).graph.node("Need", "N1")["status"] == "accepted"
    monkeypatch.undo()
    lifecycle.dispatch(tiny, "N1", "R1", by="社区书记", now=NOW)
    assert journal_size(tiny.path) == 0
    assert EmbeddedStore(tiny.path).graph.node("Need", "N1")["status"] == "dispatched"


# -- verify mode -------------------------------------------------------------------------------


def _sneaky(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    eg.set_props("Grid:G1", {"name": "记下的"})
    eg.g.nodes["Grid:G2"]["name"] = "没记下的"  # bypasses the recording methods
    return [{}]


def test_the_suite_runs_in_verify_mode(tiny: EmbeddedStore) -> None:
    assert os.environ[VERIFY_ENV] == "1" and tiny.verify
    assert not EmbeddedStore(tiny.path, verify=False).verify


def test_verify_mode_catches_a_direct_graph_mutation(tiny: EmbeddedStore) -> None:
    tiny.verify = True
    before, size = state(tiny), journal_size(tiny.path)
    with pytest.raises(JournalMismatch, match="Grid:G2"):
        tiny.write(fake_write("sneaky", _sneaky))
    assert state(tiny) == before  # reloaded from the files
    assert journal_size(tiny.path) == size


def test_without_verify_mode_a_direct_mutation_is_silently_lost(tiny: EmbeddedStore) -> None:
    """Why the suite runs in verify mode: the unrecorded change is not in the journal."""
    tiny.verify = False
    tiny.write(fake_write("sneaky", _sneaky))
    assert tiny.graph.node("Grid", "G2")["name"] == "没记下的"
    reopened = EmbeddedStore(tiny.path)
    assert reopened.graph.node("Grid", "G1")["name"] == "记下的"
    assert reopened.graph.node("Grid", "G2")["name"] != "没记下的"


# -- SIGKILL -----------------------------------------------------------------------------------

_BUMPER = textwrap.dedent("""
    import sys
    from orglink.graph.embedded import EmbeddedStore
    from orglink.graph.query import Query
    from orglink.graph.store import NodeRec

    def bump(eg, i):
        eg.set_props("District:D1", {"counter": i})
        eg.merge_node(NodeRec("Grid", f"W{i}", {"name": f"w{i}", "pad": "x" * 2000}))
        return [{"i": i}]

    q = Query("bump", bump, cypher_source=lambda: "", write=True)
    store = EmbeddedStore(sys.argv[1])
    store.compact_records = int(sys.argv[2])
    i = store.graph.g.nodes["District:D1"].get("counter", 0)
    while True:
        i += 1
        store.write(q, i=i)
        print(i, flush=True)
""")


def _check_prefix(path: Path) -> int:
    """Open the store: it must hold writes 1..c exactly, for its counter c; return c."""
    g = EmbeddedStore(path).graph.g
    c = g.nodes["District:D1"].get("counter", 0)
    assert {k for k in g if k.startswith("Grid:W")} == {f"Grid:W{i}" for i in range(1, c + 1)}
    return c


@pytest.mark.slow
def test_journaled_writer_killed_at_random_loses_no_reported_write(tmp_path: Path) -> None:
    """SIGKILL a process doing journaled writes (compacting every 7th), ten times: the store
    always opens to a prefix of the writes holding every one reported done (and at most the
    one after it, done but killed before it could say so)."""
    path = tmp_path / "store"
    EmbeddedStore(path).merge(GraphBatch(nodes=[NodeRec("District", "D1", {"name": "区"})]))
    env = {k: v for k, v in os.environ.items() if k != VERIFY_ENV}
    rng = random.Random(20261203)
    previous, journaled_kills = 0, 0
    for _ in range(10):
        proc = subprocess.Popen([sys.executable, "-c", _BUMPER, str(path), "7"],
                                stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first, "writer died before its first write"
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        journaled_kills += journal_size(path) > 0
        reported = [int(x) for x in (first + rest).split()]
        c = _check_prefix(path)
        assert reported[-1] <= c <= reported[-1] + 1, (reported[-3:], c)
        assert c >= previous
        previous = c
    assert journaled_kills >= 1  # some kills left journal records to replay
    store = EmbeddedStore(path)
    store.write(fake_write("last", lambda eg: eg.set_props("District:D1", {"name": "完"}) or [{}]))
    assert _check_prefix(path) == previous
    assert list(path.glob(".graph-*.tmp")) == []
