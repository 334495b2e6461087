"""The embedded backend: a networkx MultiDiGraph persisted to one file, no server.

Layout: ``STORE_DIR/graph.pickle`` (the snapshot), ``STORE_DIR/journal.bin`` (the write-ahead
journal of the writes since, :mod:`orglink.graph.journal`) and ``STORE_DIR/.lock`` (writers'
lock). Every write goes: lock → catch up with what other processes wrote (a changed snapshot
is reloaded, new journal records are replayed) → apply in memory, recording each mutation →
persist. A query write (接单, 派单, …) appends its recorded ops to the journal and fsyncs it
(milliseconds, the write is then durable and visible); a plan write, or one that leaves the
journal with :data:`COMPACT_RECORDS` records or :data:`COMPACT_BYTES` bytes, then compacts:
the whole graph goes to a temp file, fsync, atomic rename, fsync the directory, and the
journal is emptied. A load (:meth:`EmbeddedStore.merge`) and every write of a store opened
with ``journal=False`` compact instead of journaling. A write that fails is undone in memory
from the mutations' before-images (or, when that cannot restore the graph exactly, reloaded
from the files), so the store stays as it was.

Readers and writers of one process: a read holds the store's memory lock for the read; a
write holds it while it catches up, changes the graph and persists (the journal append), so a
read waits at most for one such write. The compaction after a journaled write runs without
it (the graph is not changed meanwhile: the writer still holds the writer locks, and readers
do not look at the files while it does), so reads go on during the snapshot rewrite. Only a
load (and a write that cannot journal: no snapshot yet, a record too big) keeps readers out
for its whole rewrite, so that no read sees data that is not yet on disk.

With ``ORGLINK_JOURNAL_VERIFY=1`` (the test suite sets it) every journaled write is checked:
its ops, replayed on a copy of the graph it started from, must give the graph it left — a
write twin that changes ``eg.g`` directly, without the recording methods, fails loudly.
"""

from __future__ import annotations

import fcntl
import gc
import os
import pickle
import secrets
import threading
from collections import Counter, defaultdict
from collections.abc import Generator, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import networkx as nx

from orglink.files import atomic_write, file_stamp
from orglink.graph.cypher_semantics import append_history, set_properties
from orglink.graph.journal import JOURNAL_FILE, JournalFile, Op, apply_ops, encode, graph_state, read_records
from orglink.graph.model import MODEL, NEED_STATUS_RANK
from orglink.graph.query import Query, Rows
from orglink.graph.store import (
    GraphBatch,
    LoadOutcome,
    LoadStamp,
    NodeRec,
    Progress,
    RelRec,
    Store,
    StoreError,
    outcome_of_statuses,
    raise_conflict,
    refuse_write_query,
    stamp_batch,
)
from orglink.settings import load_settings

FORMAT = 2
"""Snapshot format: 2 adds ``gen`` and ``journal_seq`` (format 1 files, without a journal, still open)."""
READABLE_FORMATS = (1, 2)
GRAPH_FILE = "graph.pickle"
TEMP_PREFIX = ".graph-"
"""Temp files of a save in progress (a killed writer's are removed by the next writer)."""
COMPACT_RECORDS = 500
"""A journaled write that leaves this many records in the journal compacts after appending."""
COMPACT_BYTES = 32 << 20
"""… or one that leaves the journal this long; a record that would not fit compacts instead."""
COMPACTING_QUERIES = frozenset({"write_plan"})
"""Writes that compact after appending (a plan rewrites many relationships at once)."""
VERIFY_ENV = "ORGLINK_JOURNAL_VERIFY"
"""Set to ``1`` to check every journaled write's ops against the graph it left (tests); read
through :class:`orglink.settings.Settings` (``journal_verify``) when a store opens."""


class JournalMismatch(StoreError):
    """A journaled write changed the graph in a way its recorded ops do not reproduce."""


def node_key(label: str, id_: str) -> str:
    """The networkx node key of the node with primary ``label`` and ``id``."""
    return f"{label}:{id_}"


class EmbeddedGraph:
    """The in-memory graph with a label index; what embedded query twins receive.

    Node attributes: ``label`` (primary), ``labels`` (tuple), ``id`` and the properties.
    Edge attributes: ``type`` and the properties; edge key = type plus its key properties.

    Writes change the graph only through the methods under "writing" (never ``g`` directly):
    while the store records (:meth:`begin`), each appends the physical op of what it did
    (:mod:`orglink.graph.journal`) and the before-image it needs to be undone.
    """

    def __init__(self, g: nx.MultiDiGraph | None = None) -> None:
        self.g: nx.MultiDiGraph = g if g is not None else nx.MultiDiGraph()
        self.by_label: dict[str, set[str]] = defaultdict(set)
        for k, d in self.g.nodes(data=True):
            for lab in d["labels"]:
                self.by_label[lab].add(k)
        self.version = 0
        self._cache: dict[Any, Any] = {}
        self._ops: list[Op] | None = None
        self._undo: list[Op] | None = None
        self._undo_exact = True

    # -- reading -------------------------------------------------------------------------
    def node(self, label: str, id_: str) -> dict[str, Any] | None:
        """The attributes of node (label, id), or None."""
        k = node_key(label, id_)
        return self.g.nodes[k] if k in self.g else None

    def find(self, id_: str, labels: tuple[str, ...] | None = None) -> str | None:
        """The key of the node with ``id`` among ``labels`` (all primary labels if None)."""
        for lab in labels or tuple(n.label for n in MODEL.nodes):
            k = node_key(lab, id_)
            if k in self.g:
                return k
        return None

    def nodes_of(self, label: str) -> list[str]:
        """Keys of all nodes carrying ``label`` (sorted, for deterministic answers)."""
        return sorted(self.by_label.get(label, ()))

    def out_edges(self, key: str, type_: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(target key, edge attributes) of the outgoing ``type_`` relationships of ``key``."""
        for _, v, d in self.g.out_edges(key, data=True):
            if d["type"] == type_:
                yield v, d

    def in_edges(self, key: str, type_: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(source key, edge attributes) of the incoming ``type_`` relationships of ``key``."""
        for u, _, d in self.g.in_edges(key, data=True):
            if d["type"] == type_:
                yield u, d

    def first_out(self, key: str | None, type_: str, label: str) -> str | None:
        """The smallest key among targets of ``key``'s outgoing ``type_`` relationships that
        carry ``label`` (None if there is none, or if ``key`` is None)."""
        if key is None:
            return None
        return min((v for v, _ in self.out_edges(key, type_) if label in self.g.nodes[v]["labels"]),
                   default=None)

    def is_live(self, key: str) -> bool:
        """Whether node ``key`` exists and is not retired (what writes may touch)."""
        return key in self.g and self.g.nodes[key].get("retired_on") is None

    def id_of(self, key: str | None) -> str | None:
        """The ``id`` property of node ``key`` (None for None)."""
        return self.g.nodes[key]["id"] if key is not None else None

    def cached(self, name: str, build: Any) -> Any:
        """A value derived from the graph, rebuilt after any write (``build()`` makes it)."""
        ck = (name, self.version)
        if ck not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[1] == self.version}
            self._cache[ck] = build()
        return self._cache[ck]

    def touch(self) -> None:
        """Mark the graph changed (drops cached derived values)."""
        self.version += 1
        self._cache.clear()

    # -- recording (what the store journals and undoes) ---------------------------------
    def begin(self, ops: bool = True) -> None:
        """Start recording: before-images for :meth:`rollback` and, if ``ops``, the physical
        ops of every mutation for :meth:`recorded`."""
        self._ops = [] if ops else None
        self._undo = []
        self._undo_exact = True

    def recorded(self) -> list[Op]:
        """The ops recorded since :meth:`begin` (empty if none, or if ops are not recorded)."""
        return list(self._ops or ())

    def stop(self) -> None:
        """Stop recording and drop what was recorded."""
        self._ops = self._undo = None
        self._undo_exact = True

    def rollback(self) -> bool:
        """Undo every mutation since :meth:`begin` in memory and stop recording. False (and
        nothing undone) when that cannot restore the graph exactly: nothing was recorded, or
        something was removed (re-adding changes the order of nodes and edges) — the caller
        then reloads the graph from its files."""
        undo, exact = self._undo, self._undo_exact
        self.stop()
        if undo is None or not exact:
            return False
        g, by_label = self.g, self.by_label
        for entry in reversed(undo):
            if entry[0] == "node":
                _, k, old = entry
                d = g.nodes[k]
                for lab in d["labels"]:
                    if old is None or lab not in old["labels"]:
                        by_label[lab].discard(k)
                if old is None:
                    g.remove_node(k)
                else:
                    d.clear()
                    d.update(old)
                    for lab in old["labels"]:
                        by_label[lab].add(k)
            else:
                _, u, v, k, old = entry
                if old is None:
                    g.remove_edge(u, v, k)
                else:
                    e = g.edges[u, v, k]
                    e.clear()
                    e.update(old)
        self.touch()
        return True

    def _node_before(self, k: str) -> None:
        if self._undo is not None:
            self._undo.append(("node", k, dict(self.g.nodes[k]) if k in self.g else None))

    def _node_after(self, k: str) -> None:
        if self._ops is not None:
            self._ops.append(("node", k, dict(self.g.nodes[k])))

    def _edge_before(self, u: str, v: str, k: Any) -> None:
        if self._undo is not None:
            self._undo.append(("edge", u, v, k, dict(self.g.edges[u, v, k]) if self.g.has_edge(u, v, k) else None))

    def _edge_after(self, u: str, v: str, k: Any) -> None:
        if self._ops is not None:
            self._ops.append(("edge", u, v, k, dict(self.g.edges[u, v, k])))

    # -- writing -------------------------------------------------------------------------
    def set_props(self, key: str, props: dict[str, Any]) -> None:
        """``SET n += props`` on node ``key``: a value overwrites, a None removes the property
        (as ``SET n.x = null``). Labels are left as they are (flag labels follow
        :meth:`merge_node`)."""
        self._node_before(key)
        set_properties(self.g.nodes[key], props)
        self._node_after(key)

    def add_edge(self, u: str, v: str, key: Any, **attrs: Any) -> None:
        """Add relationship (``u``, ``v``, ``key``) with ``attrs`` (``type`` among them), or
        update the attributes of the one there (networkx ``add_edge``). Both ends must exist
        (networkx would create bare nodes, which neither the journal nor an undo knows)."""
        for k in (u, v):
            if k not in self.g:
                raise StoreError(f"关系 {attrs.get('type')} 的端点不存在：{k}")
        self._edge_before(u, v, key)
        self.g.add_edge(u, v, key=key, **attrs)
        self._edge_after(u, v, key)

    def remove_edge(self, u: str, v: str, key: Any) -> None:
        """Delete relationship (``u``, ``v``, ``key``)."""
        self._undo_exact = False
        self.g.remove_edge(u, v, key)
        if self._ops is not None:
            self._ops.append(("del_edge", u, v, key))

    def merge_node(self, rec: NodeRec) -> None:
        """MERGE one node: create it, or overwrite the given properties except the lifecycle
        ones (:attr:`~orglink.graph.model.Prop.lifecycle`), which only a creation sets."""
        k = node_key(rec.label, rec.id)
        self._node_before(k)
        labels = rec.labels()
        if k in self.g:
            d = self.g.nodes[k]
            keep = MODEL.node(rec.label).lifecycle_props
            set_properties(d, {p: v for p, v in rec.props.items() if p not in keep})
            labels = NodeRec(rec.label, rec.id, d).labels()  # flag labels follow the stored props
            for lab in d["labels"]:
                if lab not in labels and lab in MODEL.node(rec.label).flag_labels:
                    self.by_label[lab].discard(k)
            d["labels"] = labels
        else:
            self.g.add_node(k, label=rec.label, labels=labels, id=rec.id,
                            **{p: v for p, v in rec.props.items() if v is not None})
        for lab in labels:
            self.by_label[lab].add(k)
        self._node_after(k)

    def merge_rel(self, rec: RelRec) -> None:
        """MERGE one relationship (both ends must exist); for a ``single`` type, first remove the
        source's relationship of that type to another node of the target's label."""
        u = node_key(rec.src_label, rec.src_id)
        v = node_key(rec.dst_label, rec.dst_id)
        for k, what in ((u, rec.src_label), (v, rec.dst_label)):
            if k not in self.g:
                raise StoreError(f"关系 {rec.type} 的端点不存在：{what} {k.split(':', 1)[1]}")
        if MODEL.rel(rec.type).single:  # moved: the old one to another node of that label goes
            old = [(w, k) for _, w, k, d in self.g.out_edges(u, keys=True, data=True)
                   if d["type"] == rec.type and w != v and rec.dst_label in self.g.nodes[w]["labels"]]
            for w, k in old:
                self.remove_edge(u, w, k)
        ek = edge_key(rec.type, rec.props)
        self._edge_before(u, v, ek)
        if self.g.has_edge(u, v, ek):
            set_properties(self.g.edges[u, v, ek], rec.props)
        else:
            self.g.add_edge(u, v, key=ek, type=rec.type, **{p: x for p, x in rec.props.items() if x is not None})
        self._edge_after(u, v, ek)

    def live(self) -> EmbeddedGraph:
        """The graph without retired nodes (and their relationships): what read queries see.
        The graph itself while nothing is retired; else a networkx subgraph view (no copy)."""
        def build() -> EmbeddedGraph:
            retired = {k for k, d in self.g.nodes(data=True) if d.get("retired_on") is not None}
            if not retired:
                return self
            return EmbeddedGraph(nx.subgraph_view(self.g, filter_node=lambda k: k not in retired))
        live: EmbeddedGraph = self.cached("live", build)
        return live

    def apply_stamp(self, stamp: LoadStamp) -> LoadOutcome:
        """The stamped load's work after the merge (see :meth:`Store.merge`): compare the
        needs' listed states, retire the dataset's nodes the load missed, drop its stale
        relationships between live nodes. Same rows and results as the Neo4j statements."""
        outcome = LoadOutcome()
        rows = []
        for row in stamp.statuses:
            d = self.node("Need", row["id"])
            if d is None:
                continue
            before = d.get("status") or "ordered"
            a, b = NEED_STATUS_RANK.get(row["status"], -1), NEED_STATUS_RANK.get(before, -1)
            if a > b:
                self.set_props(node_key("Need", row["id"]), {
                    "status": row["status"], "history": append_history(d.get("history"), before, row["entry"])})
            rows.append({"id": row["id"], "before": before, "listed": row["status"], "where": row["where"],
                         "outcome": "advanced" if a > b else "kept" if a < b else "same"})
        outcome_of_statuses(rows, outcome)
        for shared in MODEL.shared_labels:  # a row that changed kind (level) keeps one identity
            stamped = [k for k in self.by_label.get(shared, ()) if self.g.nodes[k].get("loaded_by") == stamp.id]
            for k in sorted(stamped):
                d = self.g.nodes[k]
                for lab in MODEL.labels_sharing(shared):
                    old = node_key(lab, d["id"])
                    if old != k and old in self.g and self.g.nodes[old].get("dataset") == stamp.dataset \
                            and self.g.nodes[old].get("loaded_by") != stamp.id:
                        self.remove_node(old)
                        outcome.relabelled.append(d["id"])
        outcome.relabelled.sort()
        for kind in MODEL.nodes:
            gone = sorted(d["id"] for k in self.by_label.get(kind.label, ())
                          if (d := self.g.nodes[k]).get("dataset") == stamp.dataset
                          and d.get("loaded_by") != stamp.id and d.get("retired_on") is None)
            for id_ in gone:
                self.set_props(node_key(kind.label, id_), {"retired_on": stamp.at, "retired_by": stamp.id})
            if gone:
                outcome.retired[kind.label] = gone
        nodes = self.g.nodes
        stale = [(u, v, k, d["type"]) for u, v, k, d in self.g.edges(keys=True, data=True)
                 if d.get("dataset") == stamp.dataset and d.get("loaded_by") != stamp.id
                 and nodes[u].get("retired_on") is None and nodes[v].get("retired_on") is None]
        for u, v, k, type_ in stale:
            self.remove_edge(u, v, k)
            outcome.unlinked[type_] = outcome.unlinked.get(type_, 0) + 1
        return outcome

    def remove_node(self, key: str) -> None:
        """Delete a node and its relationships."""
        self._undo_exact = False
        for lab in self.g.nodes[key]["labels"]:
            self.by_label[lab].discard(key)
        self.g.remove_node(key)
        if self._ops is not None:
            self._ops.append(("del_node", key))

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label and relationship counts per type."""
        nodes = {lab: len(keys) for lab, keys in self.by_label.items() if keys}
        rels = Counter(d["type"] for _, _, d in self.g.edges(data=True))
        order = {lab: i for i, lab in enumerate(MODEL.labels)}
        rorder = {t: i for i, t in enumerate(MODEL.rel_types)}
        return {
            "nodes": dict(sorted(nodes.items(), key=lambda kv: order.get(kv[0], 999))),
            "relationships": dict(sorted(rels.items(), key=lambda kv: rorder.get(kv[0], 999))),
        }


def edge_key(type_: str, props: dict[str, Any]) -> str:
    """The MultiDiGraph edge key: the type plus the values of its key properties."""
    keys = MODEL.rel(type_).key_props
    if not keys:
        return type_
    return type_ + "|" + "|".join(str(props.get(k)) for k in keys)


def _verify_setting() -> bool:
    """``ORGLINK_JOURNAL_VERIFY`` (off if the settings cannot be read: they fail where used)."""
    try:
        return load_settings().journal_verify
    except StoreError:
        return False


def default_store_path() -> Path:
    """The configured store directory: ``$ORGLINK_STORE`` or ``./orglink-store``
    (:class:`orglink.settings.Settings`)."""
    return load_settings().store


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: unpickling a big graph allocates millions of
    containers and would trigger many useless collections (about 40 % of the load time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class EmbeddedStore(Store):
    """The default backend: a networkx graph in one snapshot file plus a write-ahead journal.

    ``journal=False`` keeps the old way: every write rewrites the whole snapshot (it still
    reads, and then empties, a journal other stores on the path wrote). ``verify`` checks
    every journaled write (default: ``ORGLINK_JOURNAL_VERIFY``, see the module docstring).
    """

    backend = "embedded"

    def __init__(self, path: str | os.PathLike | None = None, *, journal: bool = True,
                 verify: bool | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        self.file = self.path / GRAPH_FILE
        self.journal_file = self.path / JOURNAL_FILE
        self.journal = journal
        self.verify = _verify_setting() if verify is None else verify
        self.compact_records = COMPACT_RECORDS
        self.compact_bytes = COMPACT_BYTES
        self._lock = threading.RLock()  # memory: the graph and the bookkeeping below
        self._write_lock = threading.Lock()  # one writer of this process at a time
        self._files_held = False  # a writer of this process holds the file lock: memory is current
        self._stamp: tuple | None = None  # of the snapshot loaded
        self._gen: str | None = None  # its generation (None: no snapshot, or a format 1 one)
        self._snap_seq = 0  # the last journaled write it holds
        self._seq = 0  # the last journaled write applied
        self._jpos = 0  # journal offset just past the last record applied
        self._jseen: tuple | None = None  # journal stamp when it was last read to its end
        self._jino: int | None = None  # journal inode the records applied came from
        self.graph = EmbeddedGraph()
        self._reload_if_changed()

    # -- persistence ---------------------------------------------------------------------
    def _file_stamp(self) -> tuple | None:
        return file_stamp(self.file)

    def _journal_stamp(self) -> tuple | None:
        return file_stamp(self.journal_file)

    def _reload_if_changed(self) -> None:
        """Catch up with the files: reload a changed snapshot (and replay its journal), or
        replay only the journal records appended since the last look."""
        stamp = self._file_stamp()
        if stamp != self._stamp:
            self._load_snapshot(stamp)
        jstamp = self._journal_stamp()
        if jstamp == self._jseen:
            return
        if self._jpos and (jstamp is None or jstamp[2] < self._jpos or jstamp[0] != self._jino):
            # emptied or replaced under what was applied: a new snapshot is there (or the
            # files were tampered with): start again from it
            self._load_snapshot(self._file_stamp())
            jstamp = self._journal_stamp()
        if jstamp is None:
            self._jseen = None
            return
        records, tail = read_records(self.journal_file, self._jpos, self._gen, self._seq)
        self._jino = jstamp[0]
        for rec in records:
            apply_ops(self.graph.g, self.graph.by_label, rec.ops)
        if records:
            self._seq, self._jpos = records[-1].seq, records[-1].end
            self.graph.touch()
        # a torn or stale tail is read again next time (a writer cuts it, maybe to equal size)
        self._jseen = jstamp if not tail else None

    def _load_snapshot(self, stamp: tuple | None) -> None:
        """Load the snapshot file (``stamp`` taken just before); the journal is replayed after."""
        if stamp is None:
            self.graph, gen, seq = EmbeddedGraph(), None, 0
        else:
            try:
                with self.file.open("rb") as fh, _gc_paused():
                    data = pickle.load(fh)
            except Exception as exc:
                raise StoreError(f"无法读取图存储文件 {self.file}：{exc}") from exc
            if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
                raise StoreError(f"图存储文件 {self.file} 的格式无法识别")
            self.graph = EmbeddedGraph(data["graph"])
            gen, seq = data.get("gen"), data.get("journal_seq", 0)
            del data
        self._stamp, self._gen, self._snap_seq, self._seq = stamp, gen, seq, seq
        self._jpos, self._jseen = 0, None

    def _save(self) -> None:
        """Compact: write the graph to a new snapshot atomically (temp file, fsync, rename,
        fsync the directory) under a new generation, then empty the journal."""
        gen = secrets.token_hex(8)

        def dump(tmp: Path) -> None:
            with tmp.open("wb") as fh:
                pickle.dump({"format": FORMAT, "graph": self.graph.g, "gen": gen, "journal_seq": self._seq},
                            fh, protocol=pickle.HIGHEST_PROTOCOL)

        atomic_write(self.file, dump, prefix=TEMP_PREFIX, sync_dir=True)
        self._stamp, self._gen, self._snap_seq = self._file_stamp(), gen, self._seq
        self._jpos, self._jseen = 0, None
        if self.journal_file.exists():
            # a failure is harmless: the records are of the old generation, the next writer cuts them
            with suppress(OSError):
                self._cut_journal()

    def _cut_journal(self) -> None:
        """Truncate the journal to what was applied (a torn tail, a crashed compaction's stale
        records); call only under the file lock."""
        jstamp = self._journal_stamp()
        if jstamp is None or jstamp[2] == self._jpos:
            return
        jf = JournalFile(self.journal_file)
        try:
            jf.truncate(self._jpos)
        finally:
            jf.close()
        self._jseen = self._journal_stamp()

    def _append(self, data: bytes) -> None:
        """Append one record (:func:`~orglink.graph.journal.encode` of the next ``seq``) to
        the journal and sync it; the write is then durable."""
        jf = JournalFile(self.journal_file)
        try:
            try:
                jf.append(data)
            except BaseException:
                with suppress(OSError):
                    jf.truncate(self._jpos)  # no half record may survive a write reported failed
                raise
        finally:
            jf.close()
        self._seq += 1
        self._jpos += len(data)
        self._jseen = self._journal_stamp()
        self._jino = self._jseen[0] if self._jseen else None

    def _compaction_due(self) -> bool:
        """Whether the journal holds :attr:`compact_records` records or :attr:`compact_bytes` bytes."""
        return self._seq - self._snap_seq >= self.compact_records or self._jpos >= self.compact_bytes

    def _verify(self, before: nx.MultiDiGraph, ops: list[Op]) -> None:
        """Check that ``ops`` replayed on ``before`` give the current graph (verify mode)."""
        replay = EmbeddedGraph(before)
        apply_ops(replay.g, replay.by_label, ops)
        if graph_state(replay.g, replay.by_label) != graph_state(self.graph.g, self.graph.by_label):
            diff = _first_difference(replay.g, self.graph.g)
            raise JournalMismatch(f"写操作的日志记录与内存中的图不一致（{diff}）：写操作直接修改了图，未经记录方法")

    def _remove_stale_temp_files(self) -> None:
        """Delete temp files a killed writer left behind (call only under the file lock)."""
        for tmp in self.path.glob(f"{TEMP_PREFIX}*.tmp"):
            tmp.unlink(missing_ok=True)

    @contextmanager
    def _writing(self, journaled: bool = False, compact: bool = False) -> Iterator[EmbeddedGraph]:
        """Exclusive write: writer lock + file lock, caught-up graph, then persist or roll back.

        A ``journaled`` write (on a journaling store) appends its ops to the journal, unless
        it changed nothing, and then compacts if asked to (``compact``) or if the journal is
        full — without the memory lock, so reads go on meanwhile. It compacts instead of
        appending (under the memory lock) when there is no snapshot of a known generation yet
        or its record alone would overflow :attr:`compact_bytes`. Any other write (a load, any
        write of a ``journal=False`` store) compacts under the memory lock."""
        with self._write_lock:
            self.path.mkdir(parents=True, exist_ok=True)
            with (self.path / ".lock").open("a+") as lockfh:
                fcntl.flock(lockfh, fcntl.LOCK_EX)
                try:
                    with self._lock:
                        self._remove_stale_temp_files()
                        self._reload_if_changed()
                        self._cut_journal()
                        self._files_held = True
                        journaled = journaled and self.journal
                        appended = yield from self._change_and_persist(journaled)
                    if appended and (compact or self._compaction_due()):
                        # the write is durable already: a failed compaction is retried by the next one
                        with suppress(Exception):
                            self._save()
                finally:
                    self._files_held = False
                    fcntl.flock(lockfh, fcntl.LOCK_UN)

    def _change_and_persist(self, journaled: bool) -> Generator[EmbeddedGraph, None, bool]:
        """Hand out the graph to change (recording it if ``journaled``), then persist: append
        the ops to the journal (returns True), or compact. An exception anywhere undoes the
        change — in memory from the before-images when that is exact, else by reloading the
        files — and propagates. In verify mode a journaled write's ops are checked before
        anything persists. Call under the memory lock and the file lock."""
        eg = self.graph
        before = pickle.loads(pickle.dumps(eg.g, protocol=pickle.HIGHEST_PROTOCOL)) \
            if journaled and self.verify else None
        if journaled:
            eg.begin()
        else:
            eg.stop()  # a load compacts; a failed one reloads the files
        exact, appended = True, False
        try:
            yield eg
            ops = eg.recorded()
            if before is not None:
                exact = False  # a mismatch means unrecorded changes: reload
                self._verify(before, ops)
                exact = True
            eg.touch()
            if not journaled:
                self._save()
            elif ops:
                data = encode(self._gen, self._seq + 1, ops) if self._gen is not None else b""
                if data and self._jpos + len(data) <= self.compact_bytes:
                    self._append(data)
                    appended = True
                else:
                    self._save()
            eg.stop()
        except BaseException:
            if not (exact and eg.rollback()):
                eg.stop()
                self._stamp = None  # force a reload of the last saved version
                self._reload_if_changed()
            elif before is not None:
                self._check_undone(before)
            raise
        return appended

    def _check_undone(self, before: nx.MultiDiGraph) -> None:
        """Verify mode: a write undone in memory left the graph it started from."""
        replay = EmbeddedGraph(before)
        if graph_state(replay.g, replay.by_label) != graph_state(self.graph.g, self.graph.by_label):
            diff = _first_difference(replay.g, self.graph.g)
            self._stamp = None
            self._reload_if_changed()
            raise JournalMismatch(f"撤销失败的写操作后，内存中的图与写之前不一致（{diff}）")

    @contextmanager
    def reading(self) -> Iterator[EmbeddedGraph]:
        """Consistent read access to the current graph: caught up with the files, unless a
        writer of this process holds them (then memory is what they hold, or a compaction of
        it is being written). Waits at most for one in-flight write's change and journal
        append, not for a compaction after it (see the module docstring)."""
        with self._lock:
            if not self._files_held:
                self._reload_if_changed()
            yield self.graph

    # -- Store interface -----------------------------------------------------------------
    def merge(self, batch: GraphBatch, progress: Progress | None = None,
              stamp: LoadStamp | None = None) -> LoadOutcome:
        """MERGE a batch all-or-nothing, under the writer lock against the current file (see
        :meth:`Store.merge`)."""
        if stamp is not None:
            batch = stamp_batch(batch, stamp)
        outcome = LoadOutcome()
        total = len(batch)
        with self._writing() as eg:
            done = 0
            for rec in batch.nodes:
                MODEL.node(rec.label)
                eg.merge_node(rec)
                done += 1
                if progress and done % 2000 == 0:
                    progress(done, total)
            for rel in batch.rels:
                MODEL.rel(rel.type)
                eg.merge_rel(rel)
                done += 1
                if progress and done % 2000 == 0:
                    progress(done, total)
            if stamp is not None:
                outcome = eg.apply_stamp(stamp)
            if progress:
                progress(total, total)
        return outcome

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label, relationship counts per type."""
        with self.reading() as eg:
            return eg.counts()

    def read(self, query: Query[Any], **params: Any) -> Rows:
        """Run the embedded twin of read query ``query``."""
        refuse_write_query(query)
        with self.reading() as eg:
            return query.embedded(eg if query.sees_retired else eg.live(), **params)

    def write(self, query: Query[Any], **params: Any) -> Rows:
        """Run the embedded twin of write query ``query`` atomically and persist it: journaled
        (fsync'd, no rewrite of the graph), or compacted for a plan write
        (:data:`COMPACTING_QUERIES`) or a full journal."""
        with self._writing(journaled=True, compact=query.name in COMPACTING_QUERIES) as eg:
            rows = query.embedded(eg, **params)
            raise_conflict(rows)  # a "_conflict" row: roll back, raise Conflict
            return rows

    def ping(self) -> dict[str, Any]:
        """The embedded store is always reachable; report where it lives."""
        with self.reading():
            pass
        return {"backend": self.backend, "path": str(self.path), "exists": self.file.exists()}


def _first_difference(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> str:
    """A short description of where graphs ``a`` (expected) and ``b`` differ first."""
    for k in list(dict.fromkeys([*a.nodes, *b.nodes])):
        if (a.nodes[k] if k in a else None) != (b.nodes[k] if k in b else None):
            return f"节点 {k}"
    ea = {(u, v, k): d for u, v, k, d in a.edges(keys=True, data=True)}
    eb = {(u, v, k): d for u, v, k, d in b.edges(keys=True, data=True)}
    for e in list(dict.fromkeys([*ea, *eb])):
        if ea.get(e) != eb.get(e):
            return f"关系 {e[0]} -[{e[2]}]-> {e[1]}"
    return "节点或关系的顺序、标签索引"
