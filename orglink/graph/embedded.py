"""The embedded backend: a networkx MultiDiGraph persisted to one file, no server.

Layout: ``STORE_DIR/graph.pickle`` (the graph) and ``STORE_DIR/.lock`` (writers' lock).
Every write goes: lock → reload if another process changed the file → apply in memory →
save to a temp file, fsync, atomic rename, fsync the directory. A write that fails restores
the in-memory graph from the last saved file, so the store stays as it was.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from orglink.files import atomic_write
from orglink.graph.cypher_semantics import append_history, set_properties
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

FORMAT = 1
GRAPH_FILE = "graph.pickle"
TEMP_PREFIX = ".graph-"
"""Temp files of a save in progress (a killed writer's are removed by the next writer)."""


def node_key(label: str, id_: str) -> str:
    """The networkx node key of the node with primary ``label`` and ``id``."""
    return f"{label}:{id_}"


class EmbeddedGraph:
    """The in-memory graph with a label index; what embedded query twins receive.

    Node attributes: ``label`` (primary), ``labels`` (tuple), ``id`` and the properties.
    Edge attributes: ``type`` and the properties; edge key = type plus its key properties.
    """

    def __init__(self, g: nx.MultiDiGraph | None = None) -> None:
        self.g: nx.MultiDiGraph = g if g is not None else nx.MultiDiGraph()
        self.by_label: dict[str, set[str]] = defaultdict(set)
        for k, d in self.g.nodes(data=True):
            for lab in d["labels"]:
                self.by_label[lab].add(k)
        self.version = 0
        self._cache: dict[Any, Any] = {}

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

    # -- writing -------------------------------------------------------------------------
    def touch(self) -> None:
        """Mark the graph changed (drops cached derived values)."""
        self.version += 1
        self._cache.clear()

    def merge_node(self, rec: NodeRec) -> None:
        """MERGE one node: create it, or overwrite the given properties except the lifecycle
        ones (:attr:`~orglink.graph.model.Prop.lifecycle`), which only a creation sets."""
        k = node_key(rec.label, rec.id)
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
                self.g.remove_edge(u, w, k)
        ek = edge_key(rec.type, rec.props)
        if self.g.has_edge(u, v, ek):
            set_properties(self.g.edges[u, v, ek], rec.props)
        else:
            self.g.add_edge(u, v, key=ek, type=rec.type, **{p: x for p, x in rec.props.items() if x is not None})

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
                d["status"] = row["status"]
                d["history"] = append_history(d.get("history"), before, row["entry"])
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
                self.g.nodes[node_key(kind.label, id_)].update(retired_on=stamp.at, retired_by=stamp.id)
            if gone:
                outcome.retired[kind.label] = gone
        nodes = self.g.nodes
        stale = [(u, v, k, d["type"]) for u, v, k, d in self.g.edges(keys=True, data=True)
                 if d.get("dataset") == stamp.dataset and d.get("loaded_by") != stamp.id
                 and nodes[u].get("retired_on") is None and nodes[v].get("retired_on") is None]
        for u, v, k, type_ in stale:
            self.g.remove_edge(u, v, k)
            outcome.unlinked[type_] = outcome.unlinked.get(type_, 0) + 1
        return outcome

    def remove_node(self, key: str) -> None:
        """Delete a node and its relationships."""
        for lab in self.g.nodes[key]["labels"]:
            self.by_label[lab].discard(key)
        self.g.remove_node(key)

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


def default_store_path() -> Path:
    """The configured store directory: ``$ORGLINK_STORE`` or ``./orglink-store``
    (:class:`orglink.settings.Settings`)."""
    return load_settings().store


class EmbeddedStore(Store):
    """The default backend: a networkx graph in one file, written atomically."""

    backend = "embedded"

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        self.file = self.path / GRAPH_FILE
        self._lock = threading.RLock()
        self._stamp: tuple | None = None
        self.graph = EmbeddedGraph()
        self._reload_if_changed()

    # -- persistence ---------------------------------------------------------------------
    def _file_stamp(self) -> tuple | None:
        try:
            st = self.file.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _reload_if_changed(self) -> None:
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return
        if stamp is None:
            self.graph = EmbeddedGraph()
        else:
            try:
                with self.file.open("rb") as fh:
                    data = pickle.load(fh)
            except Exception as exc:
                raise StoreError(f"无法读取图存储文件 {self.file}：{exc}") from exc
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise StoreError(f"图存储文件 {self.file} 的格式无法识别")
            self.graph = EmbeddedGraph(data["graph"])
        self._stamp = stamp

    def _save(self) -> None:
        """Write the graph to its file atomically (temp file, fsync, rename, fsync the directory)."""

        def dump(tmp: Path) -> None:
            with tmp.open("wb") as fh:
                pickle.dump({"format": FORMAT, "graph": self.graph.g}, fh, protocol=pickle.HIGHEST_PROTOCOL)

        atomic_write(self.file, dump, prefix=TEMP_PREFIX, sync_dir=True)
        self._stamp = self._file_stamp()

    def _remove_stale_temp_files(self) -> None:
        """Delete temp files a killed writer left behind (call only under the file lock)."""
        for tmp in self.path.glob(f"{TEMP_PREFIX}*.tmp"):
            tmp.unlink(missing_ok=True)

    @contextmanager
    def _writing(self) -> Iterator[EmbeddedGraph]:
        """Exclusive write: thread lock + file lock, fresh graph, save or roll back."""
        with self._lock:
            self.path.mkdir(parents=True, exist_ok=True)
            with (self.path / ".lock").open("a+") as lockfh:
                fcntl.flock(lockfh, fcntl.LOCK_EX)
                try:
                    self._remove_stale_temp_files()
                    self._reload_if_changed()
                    try:
                        yield self.graph
                        self.graph.touch()
                        self._save()
                    except BaseException:
                        self._stamp = None  # force a reload of the last saved version
                        self._reload_if_changed()
                        raise
                finally:
                    fcntl.flock(lockfh, fcntl.LOCK_UN)

    @contextmanager
    def reading(self) -> Iterator[EmbeddedGraph]:
        """Consistent read access to the current graph."""
        with self._lock:
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
        """Run the embedded twin of write query ``query`` atomically and save."""
        with self._writing() as eg:
            rows = query.embedded(eg, **params)
            raise_conflict(rows)  # a "_conflict" row: roll back, raise Conflict
            return rows

    def ping(self) -> dict[str, Any]:
        """The embedded store is always reachable; report where it lives."""
        with self.reading():
            pass
        return {"backend": self.backend, "path": str(self.path), "exists": self.file.exists()}
