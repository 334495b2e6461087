"""The small store interface both backends implement, and the records it moves.

A store holds one graph. Reads and writes beyond bulk loading go through *named queries*:
the caller hands the store a :class:`~orglink.graph.query.Query` (the catalogue of them is
:mod:`orglink.queries`, a layer above this one); on Neo4j the query's Cypher runs, on the
embedded store its Python twin runs over networkx. Both return lists of plain dicts, so
callers (CLI, API, matching) never know which backend answered.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from orglink.graph.model import MODEL
from orglink.graph.query import Call, Query, Rows

Progress = Callable[[int, int], None]
"""Progress callback: (done, total)."""


class StoreError(RuntimeError):
    """A store failed in a way the user must act on; the message is one clear line."""


class StoreUnavailable(StoreError):
    """The backend cannot be reached (server down, wrong address)."""


class Conflict(StoreError):
    """A write was refused because the graph is not in the state it needs (HTTP 409)."""

    def __init__(self, message: str, current: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.current = current or {}


class NotFound(StoreError):
    """A node the caller named does not exist (HTTP 404)."""


CONFLICT_KEY = "_conflict"
"""A write query refuses by returning a row with this key (its value: the message)."""


def raise_conflict(rows: list[dict[str, Any]]) -> None:
    """Raise :class:`Conflict` if a row carries :data:`CONFLICT_KEY` (both backends call this
    inside the write transaction, so the refused write is rolled back).

    The message is the key's value (a default when it is not a non-empty string); the rest
    of that row becomes ``Conflict.current`` (the state that made the write impossible).
    """
    for row in rows:
        if row.get(CONFLICT_KEY):
            value = row[CONFLICT_KEY]
            message = value if isinstance(value, str) else "图的当前状态不允许此操作"
            raise Conflict(message, current={k: v for k, v in row.items() if k != CONFLICT_KEY})


@dataclass(frozen=True)
class NodeRec:
    """A node to MERGE: primary label, id, properties (secondary labels follow the model)."""

    label: str
    id: str
    props: dict[str, Any] = field(default_factory=dict)

    def labels(self) -> tuple[str, ...]:
        """All labels of this node: primary, fixed secondary ones, and true flag labels."""
        kind = MODEL.node(self.label)
        flags = tuple(lab for lab, p in kind.flag_labels.items() if self.props.get(p))
        return (self.label, *kind.extra_labels, *flags)


@dataclass(frozen=True)
class RelRec:
    """A relationship to MERGE between two nodes given by (label, id)."""

    type: str
    src_label: str
    src_id: str
    dst_label: str
    dst_id: str
    props: dict[str, Any] = field(default_factory=dict)

    def key(self) -> tuple:
        """Identity used by MERGE: endpoints, type and the type's key properties."""
        kind = MODEL.rel(self.type)
        return (self.type, self.src_label, self.src_id, self.dst_label, self.dst_id,
                tuple(self.props.get(k) for k in kind.key_props))


@dataclass
class GraphBatch:
    """Nodes and relationships to MERGE together, all or nothing."""

    nodes: list[NodeRec] = field(default_factory=list)
    rels: list[RelRec] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.nodes) + len(self.rels)


@dataclass(frozen=True)
class LoadStamp:
    """What a load of the lists stamps on what it writes, and what it asks the store to do in
    the same transaction (see :data:`~orglink.graph.model.LOAD_STAMPS`).

    ``id``: this load; ``dataset``: the district the lists describe (nodes of that dataset the
    load does not stamp are retired); ``at``: when (ISO time); ``statuses``: the lifecycle
    state the lists give for each need, ``{"id", "status", "where": "needs.csv:12",
    "entry": JSON text of the 导入 audit entry without "from"}`` — applied when it is further
    along than the store's (:data:`~orglink.graph.model.NEED_STATUS_RANK`), reported when behind.
    """

    id: str
    dataset: str
    at: str
    statuses: tuple[dict[str, Any], ...] = ()

    def props(self) -> dict[str, Any]:
        """The stamp properties every loaded node and relationship gets (a retired node that
        is in the lists again comes back: its retirement is cleared)."""
        return {"dataset": self.dataset, "loaded_by": self.id, "retired_on": None, "retired_by": None}


@dataclass
class LoadOutcome:
    """What a stamped load did beyond merging: ``retired`` ids per label, relationships
    ``unlinked`` per type (dropped from the lists), need states ``advanced`` by the lists
    (``{"id", "from", "to", "where"}``) and ``kept`` because the store's is further along
    (``{"id", "store", "listed", "where"}``)."""

    retired: dict[str, list[str]] = field(default_factory=dict)
    relabelled: list[str] = field(default_factory=list)  # ids whose row changed kind (level)
    unlinked: dict[str, int] = field(default_factory=dict)
    advanced: list[dict[str, Any]] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)


def stamp_batch(batch: GraphBatch, stamp: LoadStamp) -> GraphBatch:
    """``batch`` with the stamp properties on every node and relationship."""
    extra = stamp.props()
    return GraphBatch(nodes=[NodeRec(n.label, n.id, {**n.props, **extra}) for n in batch.nodes],
                      rels=[RelRec(r.type, r.src_label, r.src_id, r.dst_label, r.dst_id, {**r.props, **extra})
                            for r in batch.rels])


def outcome_of_statuses(rows: list[dict[str, Any]], outcome: LoadOutcome) -> None:
    """Sort the rows of a status comparison (``id, before, listed, where, outcome``) into
    ``outcome.advanced`` / ``outcome.kept`` (both backends produce the same rows)."""
    for r in sorted(rows, key=lambda r: r["id"]):
        if r["outcome"] == "advanced":
            outcome.advanced.append({"id": r["id"], "from": r["before"], "to": r["listed"], "where": r["where"]})
        elif r["outcome"] == "kept":
            outcome.kept.append({"id": r["id"], "store": r["before"], "listed": r["listed"], "where": r["where"]})


def refuse_write_query(query: Query[Any]) -> None:
    """Raise :class:`StoreError` when a write query is handed to a read method."""
    if query.write:
        raise StoreError(f"query {query.name} writes; use write()")


class Store(ABC):
    """What every backend offers. Small on purpose."""

    backend: str = "abstract"

    @abstractmethod
    def merge(self, batch: GraphBatch, progress: Progress | None = None,
              stamp: LoadStamp | None = None) -> LoadOutcome:
        """MERGE nodes (by label+id, properties overwritten) and relationships (by key).

        All or nothing: if anything fails, the store is left exactly as it was.
        Applying the same batch twice changes nothing. With a ``stamp`` (a load of the lists)
        everything written is stamped, and in the same transaction the needs' listed states
        are compared with the store's, nodes of the dataset the load did not stamp are
        retired and their stale relationships removed (see :class:`LoadStamp`).
        """

    @abstractmethod
    def counts(self) -> dict[str, dict[str, int]]:
        """Return ``{"nodes": {label: n}, "relationships": {type: n}}`` over every label."""

    @abstractmethod
    def read(self, query: Query[Any], **params: Any) -> Rows:
        """Run the read query ``query`` with ``params`` and return its rows."""

    def read_many(self, calls: list[Call]) -> list[Rows]:
        """Run several read queries (``query.bind(...)`` each) and return their rows in order;
        on a server backend in one transaction (one consistent snapshot, fewer round trips).
        The default runs them one by one."""
        return [self.read(c.query, **c.params) for c in calls]

    @abstractmethod
    def write(self, query: Query[Any], **params: Any) -> Rows:
        """Run the write query ``query`` atomically (one transaction) and return its rows."""

    @abstractmethod
    def ping(self) -> dict[str, Any]:
        """Check the backend is reachable; raise :class:`StoreUnavailable` if not."""

    def close(self) -> None:  # noqa: B027 - optional hook: most stores hold nothing to release
        """Release connections and locks."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def iter_chunks(items: list, size: int) -> Iterable[list]:
    """Yield ``items`` in lists of at most ``size``."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
