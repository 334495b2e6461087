"""Validate raw tables against the model and turn them into one :class:`GraphBatch`.

Every problem is collected (not just the first): bad numbers, dates and yes/no cells,
unknown categories, duplicate ids, unknown or ambiguous references. If there is any,
:class:`LoadError` is raised and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orglink.graph.model import MODEL, Prop
from orglink.graph.store import GraphBatch, NodeRec, Progress, RelRec, Store
from orglink.graph.tables import TABLES, Column, Table
from orglink.loaders.reader import LoadError, Problem, RawTable, normalise, read_dataset

LIST_SPLIT = re.compile(r"[;；、,，]")
TRUE = {"是", "y", "yes", "true", "1", "t", "对", "√"}
FALSE = {"否", "n", "no", "false", "0", "f", "不是", "×"}
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class _Row:
    table: Table
    file: str
    rno: int
    label: str
    id: str
    cells: dict[str, str]


@dataclass
class Built:
    """The result of validation: the batch to write and a per-table row count."""

    batch: GraphBatch
    rows: dict[str, int] = field(default_factory=dict)


def convert(value: str, prop: Prop) -> Any:
    """Convert one cell to the property's type; raise ``ValueError`` with a Chinese message."""
    v = value.strip()
    if prop.type == "int":
        try:
            f = float(v.replace(",", ""))
        except ValueError:
            raise ValueError(f"不是整数：{value!r}") from None
        if not f.is_integer():
            raise ValueError(f"不是整数：{value!r}")
        if f < 0:
            raise ValueError(f"不能为负数：{value!r}")
        return int(f)
    if prop.type == "float":
        try:
            return float(v)
        except ValueError:
            raise ValueError(f"不是数字：{value!r}") from None
    if prop.type == "bool":
        n = normalise(v)
        if n in TRUE:
            return True
        if n in FALSE:
            return False
        raise ValueError(f"应为 是/否（Y/N、true/false、1/0）：{value!r}")
    if prop.type == "date":
        m = _DATE_RE.match(v)
        if not m:
            raise ValueError(f"日期格式不对（应为 YYYY-MM-DD）：{value!r}")
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            raise ValueError(f"日期不存在：{value!r}") from None
    if prop.type == "list":
        return [x.strip() for x in LIST_SPLIT.split(v) if x.strip()]
    return v


def _name_of(props: dict[str, Any]) -> str | None:
    return props.get("name") or props.get("title")


def build(tables: dict[str, RawTable], problems: list[Problem] | None = None) -> Built:
    """Validate the read tables and build the batch; raise :class:`LoadError` on any problem."""
    problems = list(problems or [])
    nodes: list[NodeRec] = []
    rows: list[_Row] = []
    by_id: dict[str, dict[str, _Row]] = defaultdict(dict)  # label -> id -> row
    by_name: dict[str, dict[str, list[_Row]]] = defaultdict(lambda: defaultdict(list))
    by_fold: dict[str, dict[str, list[_Row]]] = defaultdict(lambda: defaultdict(list))  # fold(id|name)
    # folded ids and names of rows dropped for a problem already reported (bad label,
    # duplicate id): references to them are not reported again
    dropped: dict[str, set[str]] = defaultdict(set)
    # labels whose rows cannot be referred to because their required table, or its id / name
    # column, is missing (reported by the reader): same
    absent = {lab for t in TABLES if _unreferable(t, tables.get(t.name)) for lab in t.labels}
    counts: dict[str, int] = {}

    for t in TABLES:
        raw = tables.get(t.name)
        if raw is None:
            continue
        counts[t.name] = len(raw.rows)
        if not t.labels:
            continue
        for rno, cells in raw.rows:
            ok = True

            def bad(col: str, msg: str, raw: RawTable = raw, rno: int = rno) -> None:
                nonlocal ok
                ok = False
                problems.append(Problem(raw.file, rno, raw.columns.get(col, col), msg))

            label = t.label
            if t.label_column:
                lv = cells.get(t.label_column, "")
                label = (t.label_map or {}).get(lv)
                if label is None:
                    if t.column(t.label_column).name in raw.columns:
                        bad(t.label_column, f"未知的{t.column(t.label_column).zh}：{lv!r}，"
                                            f"应为 {'/'.join(t.label_map or {})}")
                    for lab in t.labels:
                        dropped[lab].update(fold(x) for x in (cells.get("id"), cells.get("name")) if x)
                    continue
            assert label is not None  # a table with labels always names one per row
            kind = MODEL.node(label)
            props: dict[str, Any] = {}
            for c in t.columns:
                if c.prop is None:
                    continue
                text = cells.get(c.name, "")
                if not text:
                    if c.required and c.name in raw.columns:  # a missing column is reported once
                        bad(c.name, f"必填项为空：{c.zh}")
                    continue
                try:
                    prop = kind.prop(c.prop)
                except KeyError:
                    continue  # e.g. property.kind only chooses the label
                try:
                    value = _map_value(text, c, prop)
                except ValueError as exc:
                    bad(c.name, str(exc))
                    continue
                props[c.prop] = value
            if label == "Need":
                props.setdefault("status", "ordered")
                props.setdefault("scope", "community")
                props.setdefault("quantity", 1)
            id_ = props.pop("id", None)
            if not id_:
                continue
            if id_ in by_id[label]:
                prev = by_id[label][id_]
                bad("id", f"编号重复：{id_}（已见于 {prev.file} 第 {prev.rno} 行）")
                nm = _name_of(props)
                if nm:
                    dropped[label].add(fold(nm))
                continue
            row = _Row(t, raw.file, rno, label, id_, cells)
            by_id[label][id_] = row
            nm = _name_of(props)
            if nm:
                by_name[label][nm].append(row)
            for key in {fold(id_), fold(nm)} if nm else {fold(id_)}:
                by_fold[label][key].append(row)
            if ok:
                nodes.append(NodeRec(label, id_, props))
            rows.append(row)

    def resolve(raw_file: str, rno: int, header: str, text: str, col: Column) -> tuple[str, str] | None:
        hits = [(lab, text) for lab in col.ref if text in by_id.get(lab, {})]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            named = [r for lab in col.ref for r in by_name.get(lab, {}).get(text, [])]
            if not named:  # people type names: forgive full-/half-width forms and spaces
                key = fold(text)
                named = [r for lab in col.ref for r in by_fold.get(lab, {}).get(key, [])]
            if len(named) == 1:
                return named[0].label, named[0].id
            if len(named) > 1:
                which = "、".join(f"{r.id}（{r.file} 第 {r.rno} 行）" for r in named[:3])
                problems.append(Problem(raw_file, rno, header,
                                        f"名称 {text!r} 有歧义，可指：{which}；请改用编号"))
                return None
            if any(fold(text) in dropped[lab] or lab in absent for lab in col.ref):
                return None  # the cause is reported already (missing table, dropped row)
            problems.append(Problem(raw_file, rno, header,
                                    f"引用不存在：{text!r} 不是任何{_zh_labels(col.ref)}的编号或名称"))
            return None
        which = "、".join(f"{_zh(lab)} {i}" for lab, i in hits)
        problems.append(Problem(raw_file, rno, header, f"编号 {text!r} 有歧义，可指：{which}"))
        return None

    rels: list[RelRec] = []
    seen_rels: set[tuple] = set()

    def add_rel(rec: RelRec) -> None:
        if rec.key() not in seen_rels:
            seen_rels.add(rec.key())
            rels.append(rec)

    for t in TABLES:
        raw = tables.get(t.name)
        if raw is None:
            continue
        row_iter: list[tuple[int, dict[str, str], tuple[str, str] | None]]
        if t.labels:
            row_iter = [(r.rno, r.cells, (r.label, r.id)) for r in rows if r.table is t]
        else:
            row_iter = [(rno, cells, None) for rno, cells in raw.rows]
        for rno, cells, me in row_iter:
            resolved: dict[str, list[tuple[str, str]]] = {}
            for c in t.columns:
                if not c.is_ref:
                    continue
                text = cells.get(c.name, "")
                header = raw.columns.get(c.name, c.zh)
                if not text:
                    if c.required and c.name in raw.columns:  # a missing column is reported once
                        problems.append(Problem(raw.file, rno, header, f"必填项为空：{c.zh}"))
                    continue
                parts = [x.strip() for x in LIST_SPLIT.split(text)] if c.many else [text]
                targets = [r for p in parts if p for r in [resolve(raw.file, rno, header, p, c)] if r]
                resolved[c.name] = targets
                if me is None or c.rel is None:
                    continue
                rkind = MODEL.rel(c.rel)
                for lab, tid in targets:
                    src, dst = ((lab, tid), me) if c.reverse else (me, (lab, tid))
                    if src[0] not in rkind.sources or dst[0] not in rkind.targets:
                        problems.append(Problem(raw.file, rno, header,
                                                f"{_zh(src[0])} 与 {_zh(dst[0])} 之间不能有 {c.rel} 关系"))
                        continue
                    add_rel(RelRec(c.rel, src[0], src[1], dst[0], dst[1]))
            for link in t.links:
                rkind = MODEL.rel(link.rel)
                for s in resolved.get(link.source, []):
                    for d in resolved.get(link.target, []):
                        if s[0] in rkind.sources and d[0] in rkind.targets:
                            add_rel(RelRec(link.rel, s[0], s[1], d[0], d[1]))
                        else:
                            problems.append(Problem(raw.file, rno, raw.columns.get(link.target, link.target),
                                                    f"{_zh(s[0])} 不能成为 {_zh(d[0])} 的成员"))
    if problems:
        raise LoadError(_in_order(problems, tables))
    for rec in derive_four_in_one(rels):
        add_rel(rec)
    return Built(GraphBatch(nodes=nodes, rels=rels), counts)


FOUR_IN_ONE = ("ResidentsCommittee", "OwnersCommittee", "PropertyCompany")


def derive_four_in_one(rels: list[RelRec]) -> list[RelRec]:
    """"四位一体": the community party committee LEADS the residents' committee, owners'
    committees and property companies located in its community.

    The lists give only each of those rows' community, so the ``LEADS`` relationships are
    derived from ``(:CommunityCommittee)-[:RESPONSIBLE_FOR]->(c)`` and ``(x)-[:LOCATED_IN]->(c)``.
    """
    committees: dict[str, list[str]] = defaultdict(list)
    for r in rels:
        if r.type == "RESPONSIBLE_FOR" and r.src_label == "CommunityCommittee" and r.dst_label == "Community":
            committees[r.dst_id].append(r.src_id)
    return [RelRec("LEADS", "CommunityCommittee", cc, r.src_label, r.src_id)
            for r in rels
            if r.type == "LOCATED_IN" and r.src_label in FOUR_IN_ONE and r.dst_label == "Community"
            for cc in sorted(committees.get(r.dst_id, []))]


def _unreferable(t: Table, raw: RawTable | None) -> bool:
    """True when rows of ``t`` cannot be found by id or name for a reason already reported."""
    if raw is None:
        return t.required
    keys = [c.name for c in t.columns if c.name in ("id", "name", "title")]
    return any(k not in raw.columns for k in keys)


def fold(text: str) -> str:
    """A reference folded for forgiving lookup: NFKC (full-width → half-width), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _in_order(problems: list[Problem], tables: dict[str, RawTable]) -> list[Problem]:
    """Problems sorted by table (declaration order), then row; a table's own problems first."""
    order = {raw.file: i for i, t in enumerate(TABLES) if (raw := tables.get(t.name))}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.file, p.row))


def _map_value(text: str, c: Column, prop: Prop) -> Any:
    if c.values is not None:
        key = text.strip()
        mapped = c.values.get(key)
        if mapped is None:
            folded = {normalise(k): v for k, v in c.values.items()}
            mapped = folded.get(normalise(key))
        if mapped is None:
            shown: dict[str, str] = {}  # stored value -> the first Chinese input for it
            for k, v in c.values.items():
                if not k.isascii():
                    shown.setdefault(v, k)
            allowed = "/".join(shown.values() or c.values)
            what = "类别" if c.name == "category" else c.zh
            raise ValueError(f"未知的{what}：{text!r}，应为 {allowed}")
        return mapped
    value = convert(text, prop)
    if prop.choices and value not in prop.choices:
        raise ValueError(f"未知的{c.zh}：{text!r}，应为 {'/'.join(prop.choices)}")
    return value


def _zh(label: str) -> str:
    return MODEL.node(label).zh


def _zh_labels(labels: tuple[str, ...]) -> str:
    return "或".join(_zh(lab) for lab in labels)


def validate_dataset(directory: str | Path) -> Built:
    """Read and validate a dataset directory; raise :class:`LoadError` listing every problem."""
    tables, problems = read_dataset(directory)
    return build(tables, problems)


def load_dataset(directory: str | Path, store: Store, progress: Progress | None = None) -> Built:
    """Validate a dataset and MERGE it into ``store``, all or nothing."""
    built = validate_dataset(directory)
    store.merge(built.batch, progress=progress)
    return built
