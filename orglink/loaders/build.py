"""Validate raw tables against the model and turn them into one :class:`GraphBatch`.

Every problem is collected (not just the first): bad numbers, dates and yes/no cells,
unknown categories, duplicate ids, unknown or ambiguous references. If there is any,
:class:`LoadError` is raised and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orglink.clock import china_now
from orglink.graph.model import MODEL, Prop
from orglink.graph.personal import mask_name
from orglink.graph.store import GraphBatch, LoadOutcome, LoadStamp, NodeRec, Progress, RelRec, Store
from orglink.graph.subtypes import row_subtype
from orglink.graph.tables import TABLES, Column, Table
from orglink.loaders.reader import LoadError, Problem, RawTable, normalise, read_dataset

LIST_SPLIT = re.compile(r"[;；、,，]")
TRUE = {"是", "y", "yes", "true", "1", "t", "对", "√"}
FALSE = {"否", "n", "no", "false", "0", "f", "不是", "×"}
IMPORT_ZH = "导入"
"""Who a transition applied from the lists is recorded as (``by``, ``action_zh``)."""
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
    notes: list[str] = field(default_factory=list)  # what the load skipped on purpose (title rows)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)  # (label, id) -> "file:row"
    listed_statuses: dict[str, str] = field(default_factory=dict)  # need id -> status its 状态 cell gives


INT_MAX = 1_000_000_000
"""The largest integer a list may give (a count beyond it is a typo or a pasted id)."""

_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")  # 1,234 / 12,345,678.5
_INT = re.compile(r"[+-]?[0-9]+(?:\.0*)?")  # 12, and 12.0 as a spreadsheet may write it
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．＋－", "0123456789,.+-")  # only these: NFKC would read ① as 1


def _number_text(value: str, what: str) -> str:
    """The cell's number text in ASCII (full-width digits and ， folded) without thousands
    separators; ``ValueError`` when a comma is anything but one (``1,5`` is not 15)."""
    v = value.translate(_FULL_WIDTH).strip()
    if "," not in v:
        return v
    if not _GROUPED.fullmatch(v):
        raise ValueError(f"{what}：{value!r}（逗号只能作千位分隔符，如 1,234）")
    return v.replace(",", "")


def convert(value: str, prop: Prop) -> Any:
    """Convert one cell to the property's type; raise ``ValueError`` with a Chinese message.

    Numbers are never guessed: a comma is only a thousands separator (``1,234``), integers are
    at most :data:`INT_MAX`, floats finite, and a value below ``prop.minimum`` is refused."""
    v = value.strip()
    if prop.type == "int":
        v = _number_text(value, "不是整数")
        if not _INT.fullmatch(v):
            raise ValueError(f"不是整数：{value!r}")
        whole = int(v.split(".")[0])
        if whole < 0:
            raise ValueError(f"不能为负数：{value!r}")
        if whole > INT_MAX:
            raise ValueError(f"数值过大：{value!r}（不能超过 {INT_MAX:,}）")
        _check_minimum(whole, value, prop)
        return whole
    if prop.type == "float":
        v = _number_text(value, "不是数字")
        f = float(v) if _FLOAT.fullmatch(v) else None
        if f is None or not abs(f) < float("inf"):  # 1e999 is inf
            raise ValueError(f"不是数字：{value!r}")
        _check_minimum(f, value, prop)
        return f
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


def _check_minimum(n: float, value: str, prop: Prop) -> None:
    """Refuse a number below ``prop.minimum`` (a need of quantity 0 is an error, not dropped)."""
    if prop.minimum is not None and n < prop.minimum:
        raise ValueError(f"{prop.zh}不能小于 {prop.minimum}：{value!r}")


def _name_of(props: dict[str, Any]) -> str | None:
    return props.get("name") or props.get("title")


@dataclass
class _Index:
    """The rows kept as nodes, indexed by label for resolving references."""

    rows: list[_Row] = field(default_factory=list)
    by_id: dict[str, dict[str, _Row]] = field(default_factory=lambda: defaultdict(dict))  # label -> id -> row
    by_name: dict[str, dict[str, list[_Row]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    # label -> fold(id|name) -> rows
    by_fold: dict[str, dict[str, list[_Row]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    # folded ids and names of rows dropped for a problem already reported (bad label,
    # duplicate id): references to them are not reported again
    dropped: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # labels whose rows cannot be referred to because their required table, or its id / name
    # column, is missing (reported by the reader): same
    absent: set[str] = field(default_factory=set)


@dataclass
class _RowReport:
    """Reports the problems of one row of a table and remembers whether there was any."""

    raw: RawTable
    rno: int
    problems: list[Problem]
    ok: bool = True

    def bad(self, col: str, msg: str) -> None:
        """Report ``msg`` against column ``col`` (shown by its header as written) of this row."""
        self.ok = False
        self.problems.append(Problem(self.raw.file, self.rno, self.raw.columns.get(col, col), msg))


@dataclass(frozen=True)
class _Cell:
    """Where a reference cell is: file, row and header, for the problems it causes."""

    file: str
    rno: int
    header: str

    def problem(self, msg: str) -> Problem:
        """A problem located at this cell."""
        return Problem(self.file, self.rno, self.header, msg)


@dataclass
class _Rels:
    """The relationships built so far, in first-seen order and without duplicates."""

    recs: list[RelRec] = field(default_factory=list)
    seen: set[tuple] = field(default_factory=set)

    def add(self, rec: RelRec) -> None:
        """Add ``rec`` unless a relationship with the same key is there already."""
        if rec.key() not in self.seen:
            self.seen.add(rec.key())
            self.recs.append(rec)


def build(tables: dict[str, RawTable], problems: list[Problem] | None = None) -> Built:
    """Validate the read tables and build the batch; raise :class:`LoadError` on any problem."""
    problems = list(problems or [])
    counts = _row_counts(tables)
    index = _Index(absent=_absent_labels(tables))
    nodes: list[NodeRec] = []
    for t, raw in _present(tables):
        nodes += _table_nodes(t, raw, index, problems)
    rels = _Rels()
    for t, raw in _present(tables):
        _table_rels(t, raw, index, rels, problems)
    if problems:
        raise LoadError(_in_order(problems, tables))
    for rec in derive_four_in_one(rels.recs) + derive_department_tier(nodes):
        rels.add(rec)
    origins = {(r.label, r.id): f"{r.file}:{r.rno}" for r in index.rows}
    status_of: dict[str, str] = {n.id: str(n.props["status"]) for n in nodes
                                 if n.label == "Need" and n.props.get("status")}
    listed = {r.id: status_of[r.id] for r in index.rows
              if r.label == "Need" and r.cells.get("status", "").strip() and status_of.get(r.id)}
    return Built(GraphBatch(nodes=nodes, rels=rels.recs), counts, origins=origins, listed_statuses=listed)


def _present(tables: dict[str, RawTable]) -> list[tuple[Table, RawTable]]:
    """The declared tables that were read, in declaration order, each with its raw table."""
    return [(t, raw) for t in TABLES if (raw := tables.get(t.name)) is not None]


def _row_counts(tables: dict[str, RawTable]) -> dict[str, int]:
    """The number of rows read per table, in declaration order."""
    return {t.name: len(raw.rows) for t, raw in _present(tables)}


def _absent_labels(tables: dict[str, RawTable]) -> set[str]:
    """Labels whose rows cannot be referred to for a reason the reader reported already."""
    return {lab for t in TABLES if _unreferable(t, tables.get(t.name)) for lab in t.labels}


def _table_nodes(t: Table, raw: RawTable, index: _Index, problems: list[Problem]) -> list[NodeRec]:
    """The nodes of a table's rows without problems; every row with a usable id is indexed."""
    if not t.labels:
        return []
    return [node for rno, cells in raw.rows if (node := _row_node(t, raw, rno, cells, index, problems))]


def _row_node(t: Table, raw: RawTable, rno: int, cells: dict[str, str], index: _Index,
              problems: list[Problem]) -> NodeRec | None:
    """One row's node, or ``None`` when the row has a problem (reported) or no id."""
    report = _RowReport(raw, rno, problems)
    label = _row_label(t, cells, index, report)
    if label is None:
        return None
    props = _row_props(t, label, cells, report)
    id_ = props.pop("id", None)
    if not id_ or not _index_row(index, _Row(t, raw.file, rno, label, id_, cells), _name_of(props), report):
        return None
    return NodeRec(label, id_, props) if report.ok else None


def _row_label(t: Table, cells: dict[str, str], index: _Index, report: _RowReport) -> str | None:
    """The row's node label; ``None`` (reported, row dropped) when its kind column names none."""
    if not t.label_column:
        assert t.label is not None  # a table with labels always names one per row
        return t.label
    lv = cells.get(t.label_column, "")
    label = (t.label_map or {}).get(lv)
    if label is None:
        if t.column(t.label_column).name in report.raw.columns:
            report.bad(t.label_column, f"未知的{t.column(t.label_column).zh}：{lv!r}，"
                                       f"应为 {'/'.join(t.label_map or {})}")
        for lab in t.labels:
            index.dropped[lab].update(fold(x) for x in (cells.get("id"), cells.get("name")) if x)
    return label


def _row_props(t: Table, label: str, cells: dict[str, str], report: _RowReport) -> dict[str, Any]:
    """The row's properties, converted and checked cell by cell, with a need's defaults. A blank
    cell of a column the file has gives None: the MERGE then removes the property (a cleared
    cell clears on a reload); a column the file does not have is left alone."""
    kind = MODEL.node(label)
    props: dict[str, Any] = {}
    for c in t.columns:
        if c.prop is None:
            continue
        text = cells.get(c.name, "")
        try:
            prop = kind.prop(c.prop)
        except KeyError:
            prop = None  # e.g. property.kind only chooses the label
        if not text:
            if c.required and c.name in report.raw.columns:  # a missing column is reported once
                report.bad(c.name, f"必填项为空：{c.zh}")
            elif prop is not None and c.name in report.raw.columns:
                props[c.prop] = None  # a blank cell clears the property on a reload
            continue
        if prop is None:
            continue
        try:
            value = _map_value(text, c, prop)
        except ValueError as exc:
            report.bad(c.name, str(exc))
            continue
        props[c.prop] = mask_name(value) if prop.personal else value  # never a full name in the store
    if label in ("Need", "Resource") and props.get("category") and props.get("title"):
        try:  # the listed 子类, canonicalised, else inferred from the title and keywords
            props["subtype"], props["subtype_basis"] = row_subtype(
                props["category"], props["title"], props.get("keywords"), props.get("subtype"))
        except ValueError as exc:
            report.bad("subtype", str(exc))
    if label == "Need":
        for name, default in (("status", "ordered"), ("scope", "community"), ("quantity", 1)):
            if props.get(name) is None:
                props[name] = default
    return props


def _index_row(index: _Index, row: _Row, name: str | None, report: _RowReport) -> bool:
    """Index the row by id, name and their folded forms; ``False`` (reported) for a duplicate id."""
    if row.id in index.by_id[row.label]:
        prev = index.by_id[row.label][row.id]
        report.bad("id", f"编号重复：{row.id}（已见于 {prev.file} 第 {prev.rno} 行）")
        if name:
            index.dropped[row.label].add(fold(name))
        return False
    index.by_id[row.label][row.id] = row
    if name:
        index.by_name[row.label][name].append(row)
    for key in {fold(row.id), fold(name)} if name else {fold(row.id)}:
        index.by_fold[row.label][key].append(row)
    index.rows.append(row)
    return True


def _table_rels(t: Table, raw: RawTable, index: _Index, rels: _Rels, problems: list[Problem]) -> None:
    """Resolve a table's references row by row and add the relationships they and its links make."""
    for rno, cells, me in _ref_rows(t, raw, index):
        resolved = _row_refs(t, raw, rno, cells, me, index, rels, problems)
        _link_rels(t, raw, rno, resolved, rels, problems)


def _ref_rows(t: Table, raw: RawTable, index: _Index) -> list[tuple[int, dict[str, str], tuple[str, str] | None]]:
    """The rows whose references to resolve: (row number, cells, the row's own node or ``None``)."""
    if t.labels:
        return [(r.rno, r.cells, (r.label, r.id)) for r in index.rows if r.table is t]
    return [(rno, cells, None) for rno, cells in raw.rows]


def _row_refs(t: Table, raw: RawTable, rno: int, cells: dict[str, str], me: tuple[str, str] | None, index: _Index,
              rels: _Rels, problems: list[Problem]) -> dict[str, list[tuple[str, str]]]:
    """Resolve a row's reference columns, adding their relationships; the targets per column."""
    resolved: dict[str, list[tuple[str, str]]] = {}
    for c in t.columns:
        if not c.is_ref:
            continue
        text = cells.get(c.name, "")
        at = _Cell(raw.file, rno, raw.columns.get(c.name, c.zh))
        if not text:
            if c.required and c.name in raw.columns:  # a missing column is reported once
                problems.append(at.problem(f"必填项为空：{c.zh}"))
            continue
        parts = [x.strip() for x in LIST_SPLIT.split(text)] if c.many else [text]
        targets = [r for p in parts if p for r in [_resolve(p, c, at, index, problems)] if r]
        resolved[c.name] = targets
        if me is not None and c.rel is not None:
            _column_rels(c, c.rel, me, targets, at, rels, problems)
    return resolved


def _column_rels(c: Column, rel: str, me: tuple[str, str], targets: list[tuple[str, str]], at: _Cell, rels: _Rels,
                 problems: list[Problem]) -> None:
    """Add the column's relationship between the row's node and each target; report wrong endpoints."""
    rkind = MODEL.rel(rel)
    for target in targets:
        src, dst = (target, me) if c.reverse else (me, target)
        if src[0] not in rkind.sources or dst[0] not in rkind.targets:
            problems.append(at.problem(f"{_zh(src[0])} 与 {_zh(dst[0])} 之间不能有 {rel} 关系"))
            continue
        rels.add(RelRec(rel, src[0], src[1], dst[0], dst[1]))


def _link_rels(t: Table, raw: RawTable, rno: int, resolved: dict[str, list[tuple[str, str]]], rels: _Rels,
               problems: list[Problem]) -> None:
    """Add the relationships a table's links make between two resolved columns of one row."""
    for link in t.links:
        rkind = MODEL.rel(link.rel)
        for s in resolved.get(link.source, []):
            for d in resolved.get(link.target, []):
                if s[0] in rkind.sources and d[0] in rkind.targets:
                    rels.add(RelRec(link.rel, s[0], s[1], d[0], d[1]))
                else:
                    problems.append(Problem(raw.file, rno, raw.columns.get(link.target, link.target),
                                            f"{_zh(s[0])} 不能成为 {_zh(d[0])} 的成员"))


def _resolve(text: str, col: Column, at: _Cell, index: _Index, problems: list[Problem]) -> tuple[str, str] | None:
    """The (label, id) a reference names by id; else by name (see :func:`_resolve_name`); ``None`` if reported."""
    hits = [(lab, text) for lab in col.ref if text in index.by_id.get(lab, {})]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        return _resolve_name(text, col, at, index, problems)
    which = "、".join(f"{_zh(lab)} {i}" for lab, i in hits)
    problems.append(at.problem(f"编号 {text!r} 有歧义，可指：{which}"))
    return None


def _resolve_name(text: str, col: Column, at: _Cell, index: _Index, problems: list[Problem]) -> tuple[str, str] | None:
    """The (label, id) a reference names by exact or folded name; ``None`` if ambiguous or unknown."""
    named = [r for lab in col.ref for r in index.by_name.get(lab, {}).get(text, [])]
    if not named:  # people type names: forgive full-/half-width forms and spaces
        key = fold(text)
        named = [r for lab in col.ref for r in index.by_fold.get(lab, {}).get(key, [])]
    if len(named) == 1:
        return named[0].label, named[0].id
    if len(named) > 1:
        which = "、".join(f"{r.id}（{r.file} 第 {r.rno} 行）" for r in named[:3])
        problems.append(at.problem(f"名称 {text!r} 有歧义，可指：{which}；请改用编号"))
        return None
    if any(fold(text) in index.dropped[lab] or lab in index.absent for lab in col.ref):
        return None  # the cause is reported already (missing table, dropped row)
    problems.append(at.problem(f"引用不存在：{text!r} 不是任何{_zh_labels(col.ref)}的编号或名称"))
    return None


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


def derive_department_tier(nodes: list[NodeRec]) -> list[RelRec]:
    """The chain 区委 — 区直部门 — 街道党工委: every unit flagged as a district department
    (是否区直部门 = 是) is ``UNDER`` the district committee (the party organisation of level 区委).

    The lists imply it (they hold the 区委 row in party_orgs), so no column names it. With no
    区委 row there is nothing to derive; with several, each department is under each of them.
    A reload that clears a unit's flag drops its ``UNDER`` (a stale stamped relationship)."""
    committees = sorted(n.id for n in nodes if n.label == "DistrictCommittee")
    return [RelRec("UNDER", "Unit", n.id, "DistrictCommittee", dc)
            for n in nodes if n.label == "Unit" and n.props.get("department") is True
            for dc in committees]


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
    implied = _implied_district(tables, problems)
    built = build(tables, problems)
    built.notes = [f"{raw.file} 第 {rno} 行在表头上方，作为标题跳过：{text}"
                   for raw in tables.values() for rno, text in raw.preamble] + implied
    return built


def _implied_district(tables: dict[str, RawTable], problems: list[Problem]) -> list[str]:
    """Without a district table, the one district the streets' 所属区 names becomes the district
    (its name is also its id); a second, different name is a problem naming both rows (the
    first name still makes the district, so nothing else is reported twice). Returns the note
    saying so, or nothing."""
    streets = tables.get("streets")
    if "district" in tables or streets is None or "district" not in streets.columns:
        return []
    named = [(rno, cells["district"]) for rno, cells in streets.rows if cells.get("district", "").strip()]
    if not named:
        return []
    first_row, name = named[0]
    other = next(((rno, v) for rno, v in named if normalise(v) != normalise(name)), None)
    header = streets.columns["district"]
    if other is not None:
        problems.append(Problem(streets.file, other[0], header,
                                f"没有区表时所属区只能是一个区：第 {first_row} 行为「{name}」，"
                                f"第 {other[0]} 行为「{other[1]}」"))
    decl = next(t for t in TABLES if t.name == "district")
    tables["district"] = RawTable(table=decl, file=streets.file, columns={"id": header, "name": header},
                                  rows=[(first_row, {"id": name.strip(), "name": name.strip()})])
    return [f"没有区表：由 {streets.file} 的所属区建立区「{name.strip()}」（编号同名称）"]


@dataclass
class Loaded:
    """A load that was written: what was validated, the stamp it wrote, what it did."""

    built: Built
    stamp: LoadStamp
    outcome: LoadOutcome


def load_stamp(built: Built, at: dt.datetime | None = None) -> LoadStamp:
    """A new load id for ``built`` (its dataset: the district's id), with the needs' listed
    states and their 导入 audit entries."""
    now = at or china_now()
    district = next((n.id for n in built.batch.nodes if n.label == "District"), "default")
    load_id = f"load-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    when = now.isoformat()
    statuses = tuple(
        {"id": nid, "status": status, "where": built.origins.get(("Need", nid), ""),
         "entry": json.dumps({"action": "import", "action_zh": IMPORT_ZH, "to": status, "by": IMPORT_ZH,
                              "at": when, "note": built.origins.get(("Need", nid), "")},
                             ensure_ascii=False, separators=(",", ":"))}
        for nid, status in sorted(built.listed_statuses.items()))
    return LoadStamp(id=load_id, dataset=district, at=when, statuses=statuses)


def load_dataset(directory: str | Path, store: Store, progress: Progress | None = None) -> Loaded:
    """Validate a dataset and load it into ``store``, all or nothing, in one write: MERGE the
    rows, advance needs the lists show further along, retire what the lists no longer hold."""
    built = validate_dataset(directory)
    stamp = load_stamp(built)
    outcome = store.merge(built.batch, progress=progress, stamp=stamp)
    return Loaded(built, stamp, outcome)
