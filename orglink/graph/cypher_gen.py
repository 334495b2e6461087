"""Cypher generated from :data:`orglink.graph.model.MODEL`: schema, batched MERGE, counts.

Everything here is text built only from the model's labels, relationship types and property
names (the whitelist, checked again by :func:`check_identifier`); every value travels as a
parameter (``$rows``). The statements run on every Neo4j 5.x: no dynamic labels
(``SET n:$(…)`` needs 5.26), no ``CALL (x) {…}`` scoping (5.23). Flag labels such as
``Department`` follow their boolean property with the ``FOREACH … CASE`` idiom.

Shapes of the rows passed as ``$rows``:

* node MERGE: ``{"id": str, "props": {...}}`` (see :func:`node_row`),
* relationship MERGE: ``{"src": str, "dst": str, "props": {...}}`` (see :func:`rel_row`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from orglink.graph.model import LIFECYCLE_RELS, MODEL, NodeKind, RelKind
from orglink.graph.store import GraphBatch, NodeRec, RelRec, iter_chunks

_LABEL_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_TYPE_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_PROP_RE = re.compile(r"^[a-z][a-z0-9_]*$")

NAME_PREFIX = "orglink_"
"""Every constraint and index orglink creates is named ``orglink_…`` (so it can be found)."""


def check_identifier(kind: Literal["label", "type", "prop"], name: str) -> str:
    """Return ``name`` if it is a model label / relationship type / property key of plain form.

    Raises ``KeyError`` for anything outside the model and ``ValueError`` for a name that
    would need quoting (the model never declares one, so that is a bug, not input).
    """
    if kind == "label":
        MODEL.check_label(name)
        pattern = _LABEL_RE
    elif kind == "type":
        MODEL.check_rel_type(name)
        pattern = _TYPE_RE
    else:
        if name not in MODEL.property_keys:
            raise KeyError(f"property {name!r} is not in the model")
        pattern = _PROP_RE
    if not pattern.match(name):
        raise ValueError(f"{kind} {name!r} is not a plain Cypher identifier")
    return name


def _snake(label: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", label).lower()


def constraint_name(label: str) -> str:
    """Name of the uniqueness constraint on ``label.id``, e.g. ``orglink_grid_branch_id``."""
    return f"{NAME_PREFIX}{_snake(check_identifier('label', label))}_id"


def index_name(label: str, prop: str) -> str:
    """Name of the range index on ``label.prop``, e.g. ``orglink_need_status``."""
    return f"{NAME_PREFIX}{_snake(check_identifier('label', label))}_{check_identifier('prop', prop)}"


# -- schema ------------------------------------------------------------------------------

def constraint_statements() -> list[tuple[str, str]]:
    """``(name, statement)`` of the ``id`` uniqueness constraint of every primary label."""
    out = []
    for kind in MODEL.nodes:
        name = constraint_name(kind.label)
        out.append((name, f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                          f"FOR (n:{kind.label}) REQUIRE n.id IS UNIQUE"))
    return out


def index_statements() -> list[tuple[str, str]]:
    """``(name, statement)`` of a range index for every property declared ``indexed=True``."""
    out = []
    for kind in MODEL.nodes:
        for p in kind.props:
            if p.indexed and p.name != "id":
                name = index_name(kind.label, p.name)
                out.append((name, f"CREATE INDEX {name} IF NOT EXISTS "
                                  f"FOR (n:{kind.label}) ON (n.{p.name})"))
    return out


def schema_statements() -> list[tuple[str, str]]:
    """Every constraint then every index statement, as ``(name, statement)``; idempotent.

    ``CREATE CONSTRAINT`` returns once the constraint (and its backing index, which MERGE on
    ``id`` uses) is online; the other indexes, which only reads use, populate in the
    background.
    """
    return constraint_statements() + index_statements()


SHOW_CONSTRAINT_NAMES = "SHOW CONSTRAINTS YIELD name RETURN name"
SHOW_INDEX_NAMES = "SHOW INDEXES YIELD name RETURN name"
PING = "RETURN 1 AS ok"
"""A query that touches the configured database (a missing database fails here)."""
"""Names of the existing constraints and indexes (to create only the missing ones)."""


# -- node MERGE --------------------------------------------------------------------------

def _flag_clauses(kind: NodeKind) -> list[str]:
    """Set each flag label when its property is true after the update, remove it otherwise."""
    lines = []
    for label, prop in kind.flag_labels.items():
        check_identifier("label", label)
        check_identifier("prop", prop)
        lines.append(f"FOREACH (x IN CASE WHEN n.{prop} = true THEN [1] ELSE [] END | SET n:{label})")
        lines.append(f"FOREACH (x IN CASE WHEN n.{prop} = true THEN [] ELSE [1] END | REMOVE n:{label})")
    return lines


@cache
def node_merge(label: str) -> str:
    """``UNWIND $rows … MERGE`` for nodes whose primary label is ``label``.

    Properties in ``row.props`` overwrite (``+=``) and are never removed; the lifecycle
    properties (``row.created``) are set only when the node is created; fixed secondary
    labels (``PartyOrg``) are set; flag labels (``Department``, ``ResidentUnit``) mirror
    their boolean property after the update.
    """
    kind = MODEL.node(check_identifier("label", label))
    set_part = "SET n += row.props"
    if kind.lifecycle_props:
        set_part = "ON CREATE SET n += row.created\n" + set_part
    for extra in kind.extra_labels:
        set_part += f", n:{check_identifier('label', extra)}"
    lines = ["UNWIND $rows AS row", f"MERGE (n:{kind.label} {{id: row.id}})", set_part]
    lines += _flag_clauses(kind)
    return "\n".join(lines)


def node_row(rec: NodeRec) -> dict[str, Any]:
    """The ``$rows`` entry for one node (``created``: the lifecycle properties, set only when
    the MERGE creates the node)."""
    keep = MODEL.node(rec.label).lifecycle_props
    row: dict[str, Any] = {"id": rec.id, "props": {k: v for k, v in rec.props.items() if k != "id" and k not in keep}}
    if keep:
        row["created"] = {k: v for k, v in rec.props.items() if k in keep}
    return row


# -- relationship MERGE ------------------------------------------------------------------

def _check_rel(type_: str, src: str, dst: str) -> RelKind:
    kind = MODEL.rel(check_identifier("type", type_))
    check_identifier("label", src)
    check_identifier("label", dst)
    if src not in kind.sources or dst not in kind.targets:
        raise KeyError(f"the model has no ({src})-[:{type_}]->({dst})")
    return kind


@cache
def rel_merge(type_: str, src: str, dst: str) -> str:
    """``UNWIND $rows … MERGE`` for ``(src)-[:type_]->(dst)`` relationships.

    The relationship is identified by its endpoints, its type and the type's key properties
    (inside the MERGE pattern, e.g. ``plan_id`` of ``MATCHED_TO``); other properties
    overwrite. For a ``single`` type the source's old relationship of that type to another
    node of the target's label is deleted first (moved rows move). Returns ``merged``: the
    number of distinct rows whose two endpoints exist, so the caller can tell when a row named
    a missing node (see :func:`rel_missing`).
    """
    kind = _check_rel(type_, src, dst)
    key = ", ".join(f"{check_identifier('prop', k)}: row.props.{k}" for k in kind.key_props)
    pattern = f"[r:{kind.type} {{{key}}}]" if key else f"[r:{kind.type}]"
    # a single relationship (IN, WORKS_AT, REPORTS_TO) to another node of that label goes first
    replace = [f"CALL (a, b) {{ MATCH (a)-[old:{kind.type}]->(x:{dst}) WHERE x <> b DELETE old }}"] \
        if kind.single else []
    return "\n".join([
        "UNWIND $rows AS row",
        f"MATCH (a:{src} {{id: row.src}})",
        f"MATCH (b:{dst} {{id: row.dst}})",
        *replace,
        f"MERGE (a)-{pattern}->(b)",
        "SET r += row.props",
        "RETURN count(DISTINCT row) AS merged",
    ])


@cache
def rel_missing(type_: str, src: str, dst: str) -> str:
    """The first row of ``$rows`` whose source or target node does not exist (diagnosis)."""
    _check_rel(type_, src, dst)
    return "\n".join([
        "UNWIND $rows AS row",
        f"OPTIONAL MATCH (a:{src} {{id: row.src}})",
        f"OPTIONAL MATCH (b:{dst} {{id: row.dst}})",
        "WITH row, a, b",
        "WHERE a IS NULL OR b IS NULL",
        "RETURN row.src AS src, a IS NULL AS src_missing, row.dst AS dst, b IS NULL AS dst_missing",
        "LIMIT 1",
    ])


def rel_row(rec: RelRec) -> dict[str, Any]:
    """The ``$rows`` entry for one relationship."""
    return {"src": rec.src_id, "dst": rec.dst_id, "props": dict(rec.props)}


# -- a stamped load's work after the merge (Cartography-style cleanup) ---------------------

STATUS_COMPARE = "\n".join([
    "UNWIND $rows AS row",
    "MATCH (n:Need {id: row.id})",
    "WITH n, row, coalesce(n.status, 'ordered') AS before",
    "WITH n, row, before, coalesce($rank[row.status], -1) AS listed, coalesce($rank[before], -1) AS stored",
    "FOREACH (_ IN CASE WHEN listed > stored THEN [1] ELSE [] END |",
    "  SET n.status = row.status,",
    "      n.history = CASE WHEN n.history IS NULL OR n.history IN ['', '[]'] THEN '['",
    "                       ELSE left(n.history, size(n.history) - 1) + ',' END",
    "                  + '{\"from\":\"' + before + '\",' + substring(row.entry, 1) + ']'",
    ")",
    "RETURN n.id AS id, before, row.status AS listed, row.where AS where,",
    "       CASE WHEN listed > stored THEN 'advanced' WHEN listed < stored THEN 'kept' ELSE 'same' END AS outcome",
])
"""Compare the needs' listed states (``$rows`` of :attr:`LoadStamp.statuses`) with the store's:
a state further along (``$rank``: :data:`~orglink.graph.model.NEED_STATUS_RANK`) is applied
with its 导入 audit entry; one behind is only reported."""


@cache
def drop_relabelled(shared: str) -> str:
    """Delete the node of the old kind when a row of ``$dataset`` changed kind under the
    shared label ``shared`` (a party org's level): one id, one node. Returns the ids."""
    check_identifier("label", shared)
    return "\n".join([
        f"MATCH (new:{shared} {{dataset: $dataset, loaded_by: $load_id}})",
        f"MATCH (old:{shared} {{id: new.id, dataset: $dataset}})",
        "WHERE old <> new AND old.loaded_by <> $load_id",
        "DETACH DELETE old",
        "RETURN new.id AS id",
        "ORDER BY id",
    ])


@cache
def retire_nodes(label: str) -> str:
    """Retire the ``label`` nodes of ``$dataset`` that load ``$load_id`` did not stamp."""
    kind = MODEL.node(check_identifier("label", label))
    return "\n".join([
        f"MATCH (n:{kind.label} {{dataset: $dataset}})",
        "WHERE n.loaded_by <> $load_id AND n.retired_on IS NULL",
        "SET n.retired_on = $at, n.retired_by = $load_id",
        "RETURN n.id AS id",
        "ORDER BY id",
    ])


@cache
def unlink_stale(type_: str) -> str:
    """Delete the ``type_`` relationships of ``$dataset`` between live nodes that load
    ``$load_id`` did not stamp (a relationship touching a retired node stays, hidden with it)."""
    kind = MODEL.rel(check_identifier("type", type_))
    return "\n".join([
        f"MATCH (a)-[r:{kind.type} {{dataset: $dataset}}]->(b)",
        "WHERE r.loaded_by <> $load_id AND a.retired_on IS NULL AND b.retired_on IS NULL",
        "DELETE r",
        "RETURN count(*) AS unlinked",
    ])


def stamped_rel_types() -> tuple[str, ...]:
    """Relationship types a load writes (all but :data:`~orglink.graph.model.LIFECYCLE_RELS`)."""
    return tuple(t for t in MODEL.rel_types if t not in LIFECYCLE_RELS)


# -- counts ------------------------------------------------------------------------------

@cache
def counts_query() -> str:
    """Node count per model label (secondary labels too) and relationship count per type.

    One ``UNION ALL`` of single-label / single-type counts, each answered from Neo4j's count
    store. Rows: ``kind`` ('nodes' or 'relationships'), ``name``, ``n``.
    """
    parts = [f"MATCH (n:{check_identifier('label', lab)}) "
             f"RETURN 'nodes' AS kind, '{lab}' AS name, count(n) AS n" for lab in MODEL.labels]
    parts += [f"MATCH ()-[r:{check_identifier('type', t)}]->() "
              f"RETURN 'relationships' AS kind, '{t}' AS name, count(r) AS n" for t in MODEL.rel_types]
    return "\nUNION ALL\n".join(parts)


# -- planning a batch --------------------------------------------------------------------

@dataclass(frozen=True)
class Chunk:
    """One ``UNWIND`` statement with its rows: all nodes of one label, or all relationships
    of one (type, source label, target label), at most the batch size."""

    kind: Literal["nodes", "relationships"]
    key: tuple[str, ...]  # (label,) or (type, src label, dst label)
    cypher: str
    rows: list[dict[str, Any]]

    def __len__(self) -> int:
        return len(self.rows)


def plan_batch(batch: GraphBatch, size: int = 1000) -> list[Chunk]:
    """Split ``batch`` into statements: every node chunk first, then every relationship chunk.

    Nodes are grouped by label in model order, relationships by (type, source, target) in
    model order, each group cut into chunks of at most ``size`` rows, input order kept
    within a group. So when chunks are committed one by one, a relationship is only ever
    written after both of its endpoints.
    """
    if size < 1:
        raise ValueError("batch size must be at least 1")
    nodes: dict[str, list[NodeRec]] = {}
    for rec in batch.nodes:
        MODEL.node(rec.label)
        nodes.setdefault(rec.label, []).append(rec)
    rels: dict[tuple[str, str, str], list[RelRec]] = {}
    for rel in batch.rels:
        _check_rel(rel.type, rel.src_label, rel.dst_label)
        rels.setdefault((rel.type, rel.src_label, rel.dst_label), []).append(rel)
    label_order = {n.label: i for i, n in enumerate(MODEL.nodes)}
    type_order = {t: i for i, t in enumerate(MODEL.rel_types)}
    out: list[Chunk] = []
    for label in sorted(nodes, key=label_order.__getitem__):
        for part in iter_chunks(nodes[label], size):
            out.append(Chunk("nodes", (label,), node_merge(label), [node_row(r) for r in part]))
    for key in sorted(rels, key=lambda k: (type_order[k[0]], label_order[k[1]], label_order[k[2]])):
        for part in iter_chunks(rels[key], size):
            out.append(Chunk("relationships", key, rel_merge(*key), [rel_row(r) for r in part]))
    return out


def all_statements() -> Iterator[tuple[str, str]]:
    """Every statement this module can generate, as ``(name, cypher)`` (for linting)."""
    yield from schema_statements()
    yield "show_constraint_names", SHOW_CONSTRAINT_NAMES
    yield "show_index_names", SHOW_INDEX_NAMES
    yield "ping", PING
    for kind in MODEL.nodes:
        yield f"merge_node_{kind.label}", node_merge(kind.label)
    for rkind in MODEL.rels:
        for src in rkind.sources:
            for dst in rkind.targets:
                yield f"merge_rel_{rkind.type}_{src}_{dst}", rel_merge(rkind.type, src, dst)
                yield f"missing_rel_{rkind.type}_{src}_{dst}", rel_missing(rkind.type, src, dst)
    yield "counts", counts_query()
    yield "status_compare", STATUS_COMPARE
    for shared in MODEL.shared_labels:
        yield f"drop_relabelled_{shared}", drop_relabelled(shared)
    for kind in MODEL.nodes:
        yield f"retire_{kind.label}", retire_nodes(kind.label)
    for t in stamped_rel_types():
        yield f"unlink_{t}", unlink_stale(t)
