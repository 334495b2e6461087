"""What loading a dataset would change, without writing: rows added, changed (which columns)
and retired per table, relationships added and removed, and the needs whose state the lists
give differently from the store (``orglink load --dry-run``, ``orglink diff``; a normal load
prints the same summary).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from orglink import queries
from orglink.graph.model import LIFECYCLE_RELS, LOAD_STAMPS, MODEL, NEED_STATUS_RANK, NEED_STATUSES
from orglink.graph.store import Store
from orglink.graph.tables import TABLES, Table
from orglink.loaders.build import Built

_STAMPS = frozenset(p.name for p in LOAD_STAMPS)


@dataclass
class TableChange:
    """One table's part of a load: ids added, changed (with the columns that change), retired
    and back again (retired before, in the lists now)."""

    table: Table
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # id -> Chinese column names
    retired: list[str] = field(default_factory=list)
    revived: list[str] = field(default_factory=list)

    @property
    def columns(self) -> Counter[str]:
        """How many rows change each column."""
        return Counter(c for cols in self.changed.values() for c in cols)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.revived)


@dataclass
class Diff:
    """The whole preview: per table, relationships, lifecycle conflicts."""

    dataset: str
    tables: list[TableChange]
    rels_added: Counter[str] = field(default_factory=Counter)
    rels_removed: Counter[str] = field(default_factory=Counter)
    advanced: list[dict[str, Any]] = field(default_factory=list)  # {"id", "from", "to", "where"}
    kept: list[dict[str, Any]] = field(default_factory=list)  # {"id", "store", "listed", "where"}

    @property
    def unchanged(self) -> bool:
        """True when loading would change nothing but the load stamps."""
        return not (any(self.tables) or self.rels_added or self.rels_removed or self.advanced)


def _table_of_label() -> dict[str, Table]:
    out: dict[str, Table] = {}
    for t in TABLES:
        for lab in t.labels:
            out.setdefault(lab, t)
    return out


def _zh_column(t: Table, prop: str) -> str:
    return next((c.zh for c in t.columns if c.prop == prop), prop)


def _differs(new: Any, old: Any) -> bool:
    if new is None:
        return old is not None
    if isinstance(new, float) and isinstance(old, (int, float)):
        return float(old) != new
    return bool(new != old)


def diff_dataset(built: Built, store: Store) -> Diff:
    """Compare the validated lists ``built`` with what ``store`` holds now (reads only)."""
    dataset = next((n.id for n in built.batch.nodes if n.label == "District"), "default")
    stored = {(MODEL.primary_of(r["labels"]), r["id"]): r["props"] for r in queries.graph_nodes(store)}
    tables = {t.name: TableChange(t) for t in TABLES}
    by_label = _table_of_label()
    for n in built.batch.nodes:
        t = tables[by_label[n.label].name]
        old = stored.get((n.label, n.id))
        if old is None:
            t.added.append(n.id)
            continue
        if old.get("retired_on") is not None:
            t.revived.append(n.id)
        keep = MODEL.node(n.label).lifecycle_props
        cols = [_zh_column(t.table, p) for p, v in n.props.items()
                if p not in keep and p not in _STAMPS and _differs(v, old.get(p))]
        if cols:
            t.changed[n.id] = cols
    in_batch = {(n.label, n.id) for n in built.batch.nodes}
    for (label, id_), props in sorted(stored.items()):
        if props.get("dataset") == dataset and props.get("retired_on") is None \
                and (label, id_) not in in_batch and label in by_label:
            tables[by_label[label].name].retired.append(id_)
    diff = Diff(dataset=dataset, tables=[t for t in tables.values() if t])
    _rels(built, store, dataset, in_batch, stored, diff)
    _statuses(built, stored, diff)
    return diff


def _rels(built: Built, store: Store, dataset: str, in_batch: set[tuple[str, str]],
          stored: dict[tuple[str, str], dict[str, Any]], diff: Diff) -> None:
    """Relationships the load adds, and those of the dataset between nodes that stay which
    the lists no longer hold (the load removes them)."""
    have: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    for r in queries.graph_relationships(store):
        if r["type"] in LIFECYCLE_RELS:
            continue
        key = (r["type"], MODEL.primary_of(r["src_labels"]), r["src_id"], MODEL.primary_of(r["dst_labels"]), r["dst_id"])
        have[key] = r["props"]
    want = {(r.type, r.src_label, r.src_id, r.dst_label, r.dst_id) for r in built.batch.rels}
    for k in want - have.keys():
        diff.rels_added[k[0]] += 1
    live = {k for k, p in stored.items() if p.get("retired_on") is None}
    for k, props in have.items():
        ends = ((k[1], k[2]), (k[3], k[4]))
        if k not in want and props.get("dataset") == dataset and all(e in in_batch and e in live for e in ends):
            diff.rels_removed[k[0]] += 1


def _statuses(built: Built, stored: dict[tuple[str, str], dict[str, Any]], diff: Diff) -> None:
    """Needs whose listed state is further along than the store's (applied by 导入) or behind
    it (the store's kept, reported)."""
    for nid, listed in sorted(built.listed_statuses.items()):
        old = stored.get(("Need", nid))
        if old is None:
            continue
        before = old.get("status") or "ordered"
        where = built.origins.get(("Need", nid), "")
        a, b = NEED_STATUS_RANK.get(listed, -1), NEED_STATUS_RANK.get(before, -1)
        if a > b:
            diff.advanced.append({"id": nid, "from": before, "to": listed, "where": where})
        elif a < b:
            diff.kept.append({"id": nid, "store": before, "listed": listed, "where": where})


def status_zh(status: str) -> str:
    """The Chinese label of a need state."""
    return NEED_STATUSES.get(status, status)
