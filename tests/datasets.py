"""Small datasets for tests: a valid tiny district, written as CSV or XLSX, and ways to break it.

:func:`write_tiny` writes a complete, valid dataset (every table of
:mod:`orglink.graph.tables`) to a directory; a test then breaks it in exactly one place with
:func:`set_cell`, :func:`drop_column`, :func:`add_row` or :func:`remove_table` and checks the
problem reported. :data:`TINY_COUNTS` holds the node and relationship counts the tiny dataset
must produce, counted by hand from :data:`TINY` (not computed by the code under test).

Row numbers follow the spreadsheet: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl

from orglink import queries
from orglink.graph.embedded import EmbeddedGraph
from orglink.graph.store import GraphBatch, Store
from orglink.graph.tables import table as table_decl

Rows = list[dict[str, str]]

TINY: dict[str, Rows] = {
    "district": [
        {"id": "D1", "name": "测试区", "source": "synthetic"},
    ],
    "streets": [
        {"id": "S1", "name": "南街街道", "kind": "街道", "district": "D1", "source": "document"},
        {"id": "S2", "name": "园艺镇", "kind": "镇", "district": "测试区", "source": "document"},
    ],
    "communities": [
        {"id": "C1", "name": "春晖社区", "street": "S1"},
        {"id": "C2", "name": "星火社区", "street": "南街街道"},
        {"id": "C3", "name": "桥东社区", "street": "S2"},
    ],
    "grids": [
        {"id": "G1", "name": "春晖一网格", "community": "C1", "lat": "39.23", "lon": "106.77"},
        {"id": "G2", "name": "春晖二网格", "community": "春晖社区", "lat": "", "lon": ""},
        {"id": "G3", "name": "星火一网格", "community": "C2", "lat": "39.24", "lon": "106.78"},
        {"id": "G4", "name": "星火二网格", "community": "C2", "lat": "", "lon": ""},
        {"id": "G5", "name": "桥东一网格", "community": "C3", "lat": "39.10", "lon": "106.70"},
    ],
    "units": [
        {"id": "U1", "name": "区卫生健康局", "kind": "机关", "department": "是", "resident": "否",
         "street": "S1", "lat": "39.23", "lon": "106.76"},
        {"id": "U2", "name": "区第一医院", "kind": "医院", "department": "N", "resident": "Y",
         "street": "S1", "lat": "", "lon": ""},
        {"id": "U3", "name": "区司法局", "kind": "机关", "department": "true", "resident": "1",
         "street": "S2", "lat": "", "lon": ""},
        {"id": "U4", "name": "惠农中学", "kind": "学校", "department": "0", "resident": "是",
         "street": "", "lat": "", "lon": ""},
    ],
    "agreements": [
        {"id": "A1", "unit": "U2", "community": "C1", "signed_on": "2024-03-01"},
        {"id": "A2", "unit": "区司法局", "community": "C3", "signed_on": "2024/4/2"},
        {"id": "A3", "unit": "U4", "community": "C2", "signed_on": "2024年5月6日"},
    ],
    "resources": [
        {"id": "R1", "unit": "U2", "title": "义诊", "category": "医疗健康", "capacity": "10",
         "measure": "次", "keywords": "体检；血压"},
        {"id": "R2", "unit": "U3", "title": "法律咨询", "category": "legal", "capacity": "5",
         "measure": "次", "keywords": "调解, 咨询"},
        {"id": "R3", "unit": "U4", "title": "操场开放", "category": "场地设施", "capacity": "2",
         "measure": "场", "keywords": ""},
        {"id": "R4", "unit": "U1", "title": "健康讲座", "category": "医疗健康", "capacity": "3",
         "measure": "场", "keywords": "讲座"},
    ],
    "cadres": [
        {"id": "K1", "name": "张*", "unit": "U1", "community": "C1", "party_member": "是"},
        {"id": "K2", "name": "李*", "unit": "U3", "community": "C3", "party_member": "否"},
        {"id": "K3", "name": "王*", "unit": "U1", "community": "", "party_member": "是"},
    ],
    "needs": [
        {"id": "N1", "title": "老人体检", "category": "医疗健康", "quantity": "4", "raised_at": "G1",
         "urgency": "较急", "raised_on": "2024-06-01", "status": "ordered", "scope": "网格",
         "handled_by": "", "report": ""},
        {"id": "N2", "title": "邻里纠纷调解", "category": "法律服务", "quantity": "1",
         "raised_at": "桥东社区", "urgency": "一般", "raised_on": "2024-06-02", "status": "已接单",
         "scope": "community", "handled_by": "", "report": ""},
        {"id": "N3", "title": "篮球场地", "category": "场地设施", "quantity": "",
         "raised_at": "G3", "urgency": "", "raised_on": "", "status": "done", "scope": "",
         "handled_by": "K1", "report": "已协调学校开放操场"},
        {"id": "N4", "title": "防诈宣传", "category": "平安建设", "quantity": "2",
         "raised_at": "C2", "urgency": "紧急", "raised_on": "2024-06-03", "status": "已办结",
         "scope": "街道", "handled_by": "K2", "report": "已办结"},
    ],
    "projects": [
        {"id": "P1", "unit": "U4", "community": "C2", "need": "N3", "resource": "R3",
         "title": "操场共享", "status": "已完成"},
    ],
    "memberships": [
        {"unit": "U2", "committee": "WC1"},
        {"unit": "U3", "committee": "CC3"},
    ],
    "party_orgs": [
        {"id": "DC", "name": "测试区委", "level": "区委", "parent": "", "responsible_for": "D1"},
        {"id": "WC1", "name": "南街街道党工委", "level": "街道党工委", "parent": "DC",
         "responsible_for": "S1"},
        {"id": "WC2", "name": "园艺镇党委", "level": "街道党工委", "parent": "DC",
         "responsible_for": "S2"},
        {"id": "CC1", "name": "春晖社区党委", "level": "社区党委", "parent": "WC1",
         "responsible_for": "C1"},
        {"id": "CC3", "name": "桥东社区党委", "level": "社区党委", "parent": "WC2",
         "responsible_for": "C3"},
        {"id": "GB1", "name": "春晖第一网格党支部", "level": "网格党支部", "parent": "CC1",
         "responsible_for": "G1；G2"},
        {"id": "PG1", "name": "春晖一网格党小组", "level": "网格党小组", "parent": "GB1",
         "responsible_for": "G1"},
        {"id": "PG2", "name": "春晖二网格党小组", "level": "网格党小组", "parent": "GB1",
         "responsible_for": "G2"},
        {"id": "PG3", "name": "春晖一号院党小组", "level": "院落党小组", "parent": "PG1",
         "responsible_for": ""},
        {"id": "CH1", "name": "张家党员中心户", "level": "党员中心户", "parent": "PG3",
         "responsible_for": ""},
    ],
    "stations": [
        {"id": "ST1", "name": "春晖暖新驿站", "kind": "暖“新”驿站", "community": "C1", "run_by": "U2",
         "services": "饮水、热饭、充电"},
        {"id": "ST2", "name": "桥东暖新驿站", "kind": "暖新驿站", "community": "C3", "run_by": "",
         "services": "饮水"},
        {"id": "ST3", "name": "司机之家", "kind": "司机之家", "community": "C2", "run_by": "U4",
         "services": "饮水;无线网络"},
    ],
    "property": [
        {"id": "PR1", "name": "春晖社区居委会", "kind": "居委会", "community": "C1", "members": "7",
         "party_members": "5"},
        {"id": "PR2", "name": "春晖小区业委会", "kind": "业委会", "community": "C1", "members": "5",
         "party_members": "3"},
        {"id": "PR3", "name": "星火小区业委会", "kind": "业委会", "community": "C2", "members": "3",
         "party_members": "1"},
        {"id": "PR4", "name": "惠民物业公司", "kind": "物业公司", "community": "C2", "members": "",
         "party_members": ""},
    ],
}
"""The tiny valid district, table by table, with English column names."""

TINY_COUNTS: dict[str, dict[str, int]] = {
    "nodes": {
        "District": 1, "Street": 2, "Community": 3, "Grid": 5,
        "DistrictCommittee": 1, "PartyOrg": 10, "WorkingCommittee": 2, "CommunityCommittee": 2,
        "GridBranch": 1, "PartyGroup": 3, "CentralHousehold": 1,
        "Unit": 4, "Department": 2, "ResidentUnit": 3, "Cadre": 3, "Resource": 4, "Need": 4,
        "ServiceProject": 1, "Agreement": 3, "Station": 3, "ResidentsCommittee": 1,
        "OwnersCommittee": 2, "PropertyCompany": 1,
    },
    "relationships": {
        # streets 2 + communities 3 + grids 5
        "IN": 10,
        # party_orgs parents: 9, + CC1 leads PR1 and PR2 in C1 (四位一体; C2 has no committee)
        "LEADS": 11,
        # DC, WC1, WC2, CC1, CC3 one each, GB1 two, PG1, PG2 one each
        "RESPONSIBLE_FOR": 9,
        "SIGNED": 3, "WITH": 3, "CO_BUILDS": 3, "OFFERS": 4, "RAISED_AT": 4,
        "BY": 1, "FOR": 1, "MEETS": 1, "USES": 1,
        "MEMBER_OF": 2,
        "WORKS_AT": 3, "REPORTS_TO": 2, "HANDLED": 2,
        # units with a street 3 + stations 3 + property 4
        "LOCATED_IN": 10,
        "RUNS": 2,
        # the departments U1 and U3 under the district committee DC (derived)
        "UNDER": 2,
    },
}
"""Hand-counted node counts per label and relationship counts per type of :data:`TINY`."""

TINY_FIGURES = {
    "grid_party_groups": 2,
    "warm_stations": 2,
    "driver_homes": 1,
    "done_needs": 2,
    "reporting_cadres": 2,
    "owners_party_share": 50.0,  # (3 + 1) / (5 + 3)
    # TINY has no training list (培训): no classes, no person-times
    "training_classes": 0,
    "training_person_times": 0,
    "exam_classes": 0,
    "exam_person_times": 0,
    # territory_figures (orglink/queries/territory_figures.cypher)
    "communities": 3,
    "grids": 5,
    "grid_branches": 1,
    "departments": 2,  # U1, U3
    "departments_under_committee": 2,  # both UNDER DC
    "department_party_members": 1,  # K1 (U1, 党员, reports to C1); K2 is no party member, K3 reports nowhere
    "stations_with_all_services": 0,  # ST1 lacks 无线网络 and 远程教育电视, ST3 all but 饮水 and 无线网络
    "station_served": None,  # no 服务人次 column
    "owners_committees": 2,
    "memberships": 2,
}
"""Hand-computed ``figures`` of :data:`TINY` (as ``orglink stats`` reports them)."""


def header_for(table: str, column: str, lang: str = "en") -> str:
    """The header text of ``column`` of ``table`` in ``lang`` (``en`` or ``zh``)."""
    return column if lang == "en" else table_decl(table).column(column).zh


def file_stem(table: str, lang: str = "en") -> str:
    """The file stem / sheet name of ``table`` in ``lang`` (``en`` or ``zh``)."""
    return table if lang == "en" else table_decl(table).zh


def grid_of(table: str, rows: Rows, lang: str = "en") -> list[list[str]]:
    """A header row plus data rows for ``rows`` (columns in the order of the first row)."""
    cols = list(rows[0]) if rows else [c.name for c in table_decl(table).columns]
    return [[header_for(table, c, lang) for c in cols]] + [[r.get(c, "") for c in cols] for r in rows]


def write_csv(path: Path, grid: list[list[str]], encoding: str = "utf-8") -> Path:
    """Write ``grid`` as CSV in ``encoding`` (``utf-8``, ``utf-8-sig`` or ``gb18030``)."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(grid)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def read_csv(path: Path) -> list[list[str]]:
    """Read a CSV written by :func:`write_csv` (UTF-8 with or without BOM, or GB18030)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def write_tiny(directory: Path, *, lang: str = "en", tables: dict[str, Rows] | None = None,
               encoding: str = "utf-8") -> Path:
    """Write the tiny valid dataset (or ``tables``) as one CSV per table; return the directory.

    ``lang`` chooses English or Chinese file names and headers.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in (tables or TINY).items():
        write_csv(directory / f"{file_stem(name, lang)}.csv", grid_of(name, rows, lang), encoding)
    return directory


def write_tiny_workbook(path: Path, *, lang: str = "en", tables: dict[str, Rows] | None = None) -> Path:
    """Write the tiny dataset as ONE workbook whose sheets are named by table."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in (tables or TINY).items():
        ws = wb.create_sheet(file_stem(name, lang))
        for r in grid_of(name, rows, lang):
            ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_xlsx_table(path: Path, grid: list[list[object]], sheet: str = "Sheet1") -> Path:
    """Write one table as a single-sheet workbook (cells may be str, int, float, date …)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in grid:
        ws.append(r)
    wb.save(path)
    return path


def _csv_path(directory: Path, table: str) -> Path:
    for lang in ("en", "zh"):
        p = directory / f"{file_stem(table, lang)}.csv"
        if p.exists():
            return p
    raise FileNotFoundError(f"no CSV for table {table} in {directory}")


def set_cell(directory: Path, table: str, row: int, column: str, value: str) -> Path:
    """Overwrite one cell (``row`` in spreadsheet numbering, ``column`` by its header text)."""
    path = _csv_path(directory, table)
    grid = read_csv(path)
    grid[row - 1][grid[0].index(column)] = value
    return write_csv(path, grid)


def drop_column(directory: Path, table: str, column: str) -> Path:
    """Remove the column whose header text is ``column``."""
    path = _csv_path(directory, table)
    grid = read_csv(path)
    i = grid[0].index(column)
    return write_csv(path, [r[:i] + r[i + 1:] for r in grid])


def rename_header(directory: Path, table: str, column: str, new: str) -> Path:
    """Change the header text of one column."""
    path = _csv_path(directory, table)
    grid = read_csv(path)
    grid[0][grid[0].index(column)] = new
    return write_csv(path, grid)


def add_row(directory: Path, table: str, row: dict[str, str]) -> int:
    """Append a row given by header text; return its spreadsheet row number."""
    path = _csv_path(directory, table)
    grid = read_csv(path)
    grid.append([row.get(h, "") for h in grid[0]])
    write_csv(path, grid)
    return len(grid)


def remove_table(directory: Path, table: str) -> None:
    """Delete the table's CSV file."""
    _csv_path(directory, table).unlink()


def graph_digest(store: Store) -> str:
    """SHA-256 of every node and relationship with all labels and properties (any backend),
    except the load stamp ``loaded_by``.

    Uses the named queries ``graph_nodes`` and ``graph_relationships``; rows are sorted here
    too, so the digest does not depend on the order a backend returns ties in.
    """
    def canon(rows: list[dict]) -> list[str]:
        for r in rows:  # which load last stamped a row is not content (each load has its own id)
            r["props"].pop("loaded_by", None)
        return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False, default=str) for r in rows)

    payload = json.dumps([canon(queries.graph_nodes(store)), canon(queries.graph_relationships(store))],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def without_some_rows(source: Path, dst: Path, every: dict[str, int]) -> dict[str, list[str]]:
    """Copy the dataset ``source`` to ``dst`` without every n-th row (``every[table] = n``) of
    the named CSV tables whose id no other table's cell names (so the lists stay valid);
    return the ids removed per table."""
    shutil.copytree(source, dst)
    grids = {p.stem: read_csv(p) for p in sorted(dst.glob("*.csv"))}
    removed: dict[str, list[str]] = {}
    for table, n in every.items():
        grid = grids[table]
        named = {part.strip() for other, g in grids.items() for row in g[1:]
                 for cell in (row[1:] if other == table else row) for part in re.split(r"[;；、,，]", cell)}
        keep, gone = [grid[0]], []
        for i, row in enumerate(grid[1:]):
            if i % n == n - 1 and row[0].strip() not in named:
                gone.append(row[0])
            else:
                keep.append(row)
        grids[table] = keep
        write_csv(dst / f"{table}.csv", keep)
        removed[table] = gone
    return removed


def graph_of(batch: GraphBatch) -> EmbeddedGraph:
    """An embedded graph holding ``batch`` (its nodes, then its relationships), no store file."""
    eg = EmbeddedGraph()
    for n in batch.nodes:
        eg.merge_node(n)
    for r in batch.rels:
        eg.merge_rel(r)
    eg.touch()
    return eg
