"""Reading a dataset directory: CSV (UTF-8, UTF-8-BOM, GB18030) and XLSX tables.

A dataset is one directory; each table is ``<table>.csv`` or ``<table>.xlsx`` (first sheet),
or one workbook whose sheet names are table names. Table and header names may be English or
Chinese; spaces and full-width punctuation around them are forgiven.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from orglink.graph.tables import TABLES, Table


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as the spreadsheet shows it (header = row 1)."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class LoadError(Exception):
    """The dataset has problems; nothing was written. ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class RawTable:
    """A table as read: its declaration, source file name, headers and rows of strings.

    ``columns`` maps a declared column name to the header text as written; ``rows`` holds
    (spreadsheet row number, {declared column name: cell text}).
    """

    table: Table
    file: str
    columns: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    preamble: list[tuple[int, str]] = field(default_factory=list)  # title rows above the header


PREAMBLE_ROWS = 20
"""How far down the header row is looked for (office sheets put a title and 填报单位 above it)."""


UNSUPPORTED = (".xls", ".et", ".ods", ".numbers")
"""Spreadsheet formats that are reported (save as .xlsx or .csv), not silently ignored."""


def normalise(text: str) -> str:
    """Fold a header or table name: NFKC (full-width → half-width), trim, lower-case."""
    t = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return t.strip(" :：*()（）[]【】").replace(" ", "_")


def _table_for(name: str) -> Table | None:
    n = normalise(name)
    for t in TABLES:
        if n in {normalise(x) for x in (t.name, t.zh, *t.aliases)}:
            return t
    return None


def decode_csv_bytes(data: bytes) -> str:
    """Decode CSV bytes, detecting UTF-8 (with or without BOM) or GB18030/GBK."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", data, 0, 1, "neither UTF-8 nor GB18030")


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _raw_table(table: Table, fname: str, grid: list[list[str]], problems: list[Problem]) -> RawTable:
    """Map a header row + data rows onto the table's declared columns."""
    raw = RawTable(table=table, file=fname)
    wanted = {}
    for c in table.columns:
        for alias in (c.name, c.zh):
            wanted[normalise(alias)] = c.name
    hno = _header_row(table, grid, wanted)
    if hno is None:
        problems.append(Problem(fname, 1, "-", "表格为空，缺少表头"))
        return raw
    raw.preamble = [(i + 1, " ".join(x.strip() for x in grid[i] if x.strip()))
                    for i in range(hno) if any(x.strip() for x in grid[i])]
    header = grid[hno]
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        key = wanted.get(normalise(h)) if h else None
        if key is None:
            continue  # unknown extra columns are allowed (offices add notes)
        if key in index:
            problems.append(Problem(fname, hno + 1, h, f"列重复：与第 {index[key] + 1} 列同为 {key}"))
            continue
        index[key] = i
        raw.columns[key] = h
    for c in table.columns:
        if c.required and c.name not in index:
            problems.append(Problem(fname, hno + 1, c.zh, f"缺少必需列：{c.zh}（{c.name}）"))
    for rno, cells in enumerate(grid[hno + 1:], start=hno + 2):
        if not any(x.strip() for x in cells):
            continue
        row = {k: (cells[i].strip() if i < len(cells) else "") for k, i in index.items()}
        raw.rows.append((rno, row))
    return raw


def _header_row(table: Table, grid: list[list[str]], wanted: dict[str, str]) -> int | None:
    """Index of the header row: the first of the first non-empty rows that names every required
    column (a title block above it is skipped, row numbers kept); else the row naming the most
    declared columns (its missing ones are then reported), else the first non-empty row."""
    filled = [i for i, cells in enumerate(grid) if any(x.strip() for x in cells)][:PREAMBLE_ROWS]
    if not filled:
        return None
    required = {c.name for c in table.columns if c.required}
    named = {i: {wanted.get(normalise(h)) for h in grid[i] if h} - {None} for i in filled}
    for i in filled:
        if required <= named[i] and len(named[i]) >= min(2, len(wanted)):
            return i
    best = max(filled, key=lambda i: (len(named[i]), -i))  # the row naming the most columns
    return best if named[best] else filled[0]


def _read_csv(path: Path, table: Table, problems: list[Problem]) -> RawTable | None:
    try:
        text = decode_csv_bytes(path.read_bytes())
    except UnicodeDecodeError:
        problems.append(Problem(path.name, 1, "-", "无法识别文件编码（应为 UTF-8 或 GB18030）"))
        return None
    grid = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    return _raw_table(table, path.name, grid, problems)


def _sheet_grid(ws: Any) -> list[list[str]]:
    return [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]


def read_dataset(directory: str | Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read every table of a dataset directory.

    Returns the tables by declared name and the problems found while reading (missing
    required tables or columns, unreadable files). Unrecognised files are ignored.
    """
    d = Path(directory)
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    unreadable: set[str] = set()  # tables whose file is there but could not be read (reported)
    if not d.is_dir():
        raise LoadError([Problem(str(d), 0, "-", "数据目录不存在")])

    def put(raw: RawTable | None) -> None:
        if raw is None:
            return
        name = raw.table.name
        if name in tables:
            problems.append(Problem(raw.file, 1, "-",
                                    f"表 {name} 重复：{tables[name].file} 中已有该表"))
            return
        tables[name] = raw

    for path in sorted(d.iterdir()):
        if path.name.startswith((".", "~$")) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        t = _table_for(path.stem)
        if suffix == ".csv":
            if t is not None:
                raw = _read_csv(path, t, problems)
                if raw is None:
                    unreadable.add(t.name)
                put(raw)
        elif suffix in UNSUPPORTED:
            problems.append(Problem(path.name, 1, "-", f"不支持 {suffix} 文件：请另存为 .xlsx 或 .csv"))
            if t is not None:
                unreadable.add(t.name)
        elif suffix in (".xlsx", ".xlsm"):
            try:
                wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            except Exception as exc:
                problems.append(Problem(path.name, 1, "-", f"无法打开工作簿：{exc}"))
                if t is not None:
                    unreadable.add(t.name)
                continue
            try:
                if t is not None:
                    put(_raw_table(t, path.name, _sheet_grid(wb.worksheets[0]), problems))
                else:
                    for ws in wb.worksheets:
                        st = _table_for(ws.title)
                        if st is not None:
                            put(_raw_table(st, f"{path.name}[{ws.title}]", _sheet_grid(ws),
                                           problems))
            finally:
                wb.close()
    for t in TABLES:
        if t.required and t.name not in tables and t.name not in unreadable:
            problems.append(Problem(f"{t.name}.csv", 0, "-",
                                    f"缺少必需的表：{t.name}（{t.zh}），应为 {t.name}.csv 或 .xlsx"))
    return tables, problems
