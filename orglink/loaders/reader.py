"""Reading a dataset directory: CSV (UTF-8, UTF-8-BOM, GB18030) and XLSX tables.

A dataset is one directory; each table is ``<table>.csv`` or ``<table>.xlsx`` (first sheet),
or one workbook whose sheet names are table names. Table and header names may be English or
Chinese; spaces and full-width punctuation around them are forgiven.

Nothing is guessed: a CSV's encoding is UTF-8 or plausible GB18030 Chinese text, else refused
naming what it looks like (UTF-16, Big5, Latin-1); control characters in a cell, XLSX formulas
without a computed value and oversized workbooks are refused (see docs/dataset.md, 数字与编码).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


class EncodingProblem(ValueError):
    """A CSV file whose bytes are refused; ``line`` is the file line of the first bad character."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


_CJK = "\u3400-\u4dbf\u4e00-\u9fff"  # CJK unified ideographs and extension A
_IDEOGRAPH = re.compile(f"[{_CJK}]")
_IMPLAUSIBLE = re.compile(  # a character that Chinese text saved as GB18030 (or Big5) does not have
    f"[^\x00-\x7f{_CJK}"
    "\u3000-\u303f\uff00-\uffef\ufe30-\ufe6f"  # CJK punctuation, full-width and small forms
    "\u2010-\u2027\u2030-\u203b\u00b7\u00d7\u00f7\u00b0\u00b1\u00a7\u20ac"  # dashes, quotes, ‰ ※ · × ÷ ° ± § €
    "\u2103\u2116\u2121\u2160-\u216b\u2170-\u217b"  # ℃ № ℡, Roman numerals
    "\u2460-\u249b\u3220-\u3229\u2190-\u2193\u2200-\u22ff\u25a0-\u25ff\u2605\u2606"  # ① ⑴ ⒈ ㈠ arrows, math, shapes, ★
    "\u3380-\u33ff\u0391-\u03a9\u03b1-\u03c9"  # ㎡ ㎏ …, Greek letters (β受体)
    "āáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜüê\u3105-\u3129]"  # GB2312's pinyin letters and zhuyin
)
_LATIN_SYMBOLS = frozenset("“”‘’–—…°©®«»±²³µ·¼½¾¿¡§£€™×÷´\u00a0")
_UTF16 = "文件编码为 UTF-16，请另存为 UTF-8 或 GB18030 的 CSV"
_BIG5 = "文件编码疑似 Big5（繁体），请另存为 UTF-8"


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _big5_common(ch: str) -> bool:
    """Whether ``ch`` is one of Big5's 5401 common characters (A440–C67E)."""
    try:
        code = int.from_bytes(ch.encode("cp950"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA440 <= code <= 0xC67E


def _odd(text: str, common: Callable[[str], bool]) -> set[str]:
    """The distinct characters of one reading that make it doubtful: implausible characters and
    ideographs outside the encoding's common set."""
    return {ch for ch in set(text) if ch > "\x7f"
            and (_IMPLAUSIBLE.match(ch) or (_IDEOGRAPH.match(ch) and not common(ch)))}


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _shown(ch: str) -> str:
    printable = unicodedata.category(ch)[0] not in "CZ"
    return f"「{ch}」（U+{ord(ch):04X}）" if printable else f"U+{ord(ch):04X}"


def _looks_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or NUL bytes (ASCII in UTF-16) nearly all on one parity."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return even + odd >= max(2, len(sample) // 20) and max(even, odd) >= 0.9 * (even + odd)


def _latin1_reading(data: bytes) -> str | None:
    """The Windows-1252 reading of ``data`` when it looks like Western text: every run of
    non-ASCII characters is short, made of letters (or common symbols) and touches an ASCII
    letter; ``None`` otherwise."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    words = 0
    for m in re.finditer(r"[^\x00-\x7f]+", text):
        run = m[0]
        if len(run) > 3 or not all(ch.isalpha() or ch in _LATIN_SYMBOLS for ch in run):
            return None
        if any(ch.isalpha() for ch in run):
            around = text[max(m.start() - 1, 0):m.start()] + text[m.end():m.end() + 1]
            if not any(ch.isascii() and ch.isalpha() for ch in around):
                return None
            words += 1
    return text if words else None


def _big5_better(data: bytes, gb_odd: int) -> bool:
    """Whether Big5 explains ``data`` better than GB18030 did (``gb_odd`` doubtful characters):
    it decodes as cp950 into plausible text with fewer doubtful characters, mostly common ones."""
    try:
        text = data.decode("cp950")
    except UnicodeDecodeError:
        return False
    if _IMPLAUSIBLE.search(text):
        return False
    counts = Counter(text)
    ideographs = [ch for ch in counts if _IDEOGRAPH.match(ch)]
    total = sum(counts[ch] for ch in ideographs)
    rare = sum(counts[ch] for ch in ideographs if not _big5_common(ch))
    return total > 0 and rare < gb_odd and rare * 4 <= total


def _unknown(line: int, what: str, data: bytes) -> EncodingProblem:
    """The problem for bytes that are neither UTF-8 nor plausible GB18030, with a Latin-1 hint."""
    msg = f"无法识别文件编码：既不是 UTF-8，也不像 GB18030 中文文本（第 {line} 行出现{what}）"
    latin = _latin1_reading(data)
    if latin is not None:
        shown = latin.splitlines()[line - 1][:60] if line <= len(latin.splitlines()) else ""
        msg += f"；疑似 Latin-1/Windows-1252 西文编码（该行读作「{shown}」），请另存为 UTF-8"
    return EncodingProblem(line, msg)


def _utf8_interrupted(head: bytes) -> bool:
    """Whether the bytes before the first invalid UTF-8 byte are UTF-8 Chinese text that GB18030
    does not explain: a UTF-8 file with a stray piece of another encoding."""
    if head.isascii():
        return False
    utf8 = head.decode("utf-8")
    return bool(_IDEOGRAPH.search(utf8)) and bool(_odd(head.decode("gb18030", errors="replace"), _in_gb2312))


def decode_csv_bytes(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), or GB18030 when it reads as plausible
    Chinese text. Raise :class:`EncodingProblem` naming the line of the first bad character
    otherwise (and UTF-16, Big5 or Latin-1 when the bytes look like one of those)."""
    if _looks_utf16(data):
        raise EncodingProblem(1, _UTF16)
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if bom or _utf8_interrupted(body[:exc.start]):
            line = body.count(b"\n", 0, exc.start) + 1
            raise EncodingProblem(line, f"无法识别文件编码：既不是 UTF-8，也不像 GB18030 中文文本（第 {line} 行出现无效的 "
                                        f"UTF-8 字节 0x{body[exc.start]:02X}；此前的内容是 UTF-8，可能混入了其他编码的文字）"
                                  ) from None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        head = data[:exc.start].decode("gb18030")  # whole sequences up to the bad byte
        before = _first_odd(head, _odd(head, _in_gb2312))  # an odd character earlier is the first sign
        if before is not None:
            raise _unknown(_line_of(head, before.start()), _shown(before[0]), data) from None
        raise _unknown(data.count(b"\n", 0, exc.start) + 1, f"无法解读的字节 0x{data[exc.start]:02X}", data) from None
    odd = _odd(text, _in_gb2312)
    if not odd:
        return text
    counts = Counter(text)
    first = _first_odd(text, odd)
    assert first is not None
    line = _line_of(text, first.start())
    if _big5_better(data, sum(counts[ch] for ch in odd)):
        raise EncodingProblem(line, _BIG5)
    bad = any(_IMPLAUSIBLE.match(ch) for ch in odd)
    rare = sum(counts[ch] for ch in odd)
    common = sum(n for ch, n in counts.items() if _IDEOGRAPH.match(ch) and ch not in odd)
    if bad or rare > max(common, 1) or _latin1_reading(data) is not None:
        raise _unknown(line, _shown(first[0]), data)
    return text  # a few rare ideographs (names) among common ones: real GB18030 text


def _first_odd(text: str, odd: set[str]) -> re.Match[str] | None:
    """Where the first of the ``odd`` characters is in ``text``."""
    return re.compile("|".join(map(re.escape, sorted(odd)))).search(text) if odd else None


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, str):  # Excel writes a control character as _xHHHH_ (and "_" as _x005F_)
        v = _EXCEL_ESCAPE.sub(lambda m: chr(int(m[1], 16)), v)
    return str(v).strip(_SPACE)


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters refused in a cell: C0 controls but TAB/LF/CR, DEL, C1, lone surrogates, U+FFFE/U+FFFF."""
_SPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace() and not _CONTROL.match(ch))
"""What is trimmed around a cell: white space, but not the control characters among it (reported)."""
_UNCOMPUTED = "单元格为公式但没有计算结果（请在 Excel 中打开并保存后再导入）"


def _cell(fname: str, rno: int, header: str, text: str, problems: list[Problem]) -> str:
    """A mapped cell's text, trimmed; a control character in it is reported and removed (so the
    later checks of the cell do not report it again)."""
    text = text.strip(_SPACE)
    m = _CONTROL.search(text)
    if m is None:
        return text
    problems.append(Problem(fname, rno, header, f"含有控制字符 U+{ord(m[0]):04X}，请删除"))
    return _CONTROL.sub("", text).strip(_SPACE)


def _raw_table(table: Table, fname: str, grid: list[list[str]], problems: list[Problem],
               uncomputed: frozenset[tuple[int, int]] = frozenset()) -> RawTable:
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
        formulas = [k for k, i in index.items() if (rno, i + 1) in uncomputed]
        if not any(x.strip(_SPACE) for x in cells) and not formulas:
            continue
        row = {k: (_cell(fname, rno, raw.columns[k], cells[i], problems) if i < len(cells) else "")
               for k, i in index.items()}
        problems.extend(Problem(fname, rno, raw.columns[k], _UNCOMPUTED) for k in formulas)
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
    except EncodingProblem as exc:
        problems.append(Problem(path.name, exc.line, "-", exc.message))
        return None
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        grid = [list(r) for r in rows]
    except csv.Error:  # the only error of the default dialect: a cell over the field limit
        problems.append(Problem(path.name, rows.line_num, "-", f"无法解析 CSV：单元格超过 {csv.field_size_limit()} "
                                                               "个字符（可能是引号没有配对）"))
        return None
    return _raw_table(table, path.name, grid, problems)


XLSX_MAX_UNPACKED_MB = 200
"""A workbook larger than this once unpacked (or whose shared strings alone are) is refused
before it is parsed: a zip bomb, or far beyond any district's lists."""

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")  # a <f> element (any namespace prefix) in sheet XML


def _workbook_problem(path: Path) -> str | None:
    """Why the workbook at ``path`` is refused before openpyxl opens it, or ``None``."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "无法打开工作簿：文件已损坏或不是 .xlsx 格式（不是有效的 zip 压缩包）"
    limit = XLSX_MAX_UNPACKED_MB * 1024 * 1024
    if sum(i.file_size for i in infos if i.filename.lower() == "xl/sharedstrings.xml") > limit:
        return f"工作簿的共享字符串表（xl/sharedStrings.xml）解压后超过 {XLSX_MAX_UNPACKED_MB} MB，拒绝导入（可能是压缩炸弹）"
    if sum(i.file_size for i in infos) > limit:
        return f"工作簿解压后超过 {XLSX_MAX_UNPACKED_MB} MB，拒绝导入（可能是压缩炸弹）"
    return None


def _has_formulas(path: Path, ws: Any) -> bool:
    """Whether the sheet's XML has any formula (a cheap scan of the bytes; ``True`` if unsure)."""
    part = getattr(ws, "_worksheet_path", None)
    if not isinstance(part, str):
        return True
    with zipfile.ZipFile(path) as z, z.open(part) as f:
        tail = b""
        while chunk := f.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _uncomputed(path: Path, ws: Any) -> frozenset[tuple[int, int]]:
    """(row, column) of the sheet's formula cells that have no computed value: written by a
    program and never opened in Excel. Only sheets with formulas are parsed again for this.

    A cell ``<c><f>…</f><v/></c>`` (or without ``<v>``) has none; a formula whose result is the
    empty string is ``t="str"`` with an empty ``<v>`` and has one."""
    part = getattr(ws, "_worksheet_path", None)
    if not isinstance(part, str) or not _has_formulas(path, ws):
        return frozenset()
    found: set[tuple[int, int]] = set()
    row = col = 0
    with zipfile.ZipFile(path) as z, z.open(part) as f:
        for _, el in ET.iterparse(f):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "row":
                el.clear()
                continue
            if tag != "c":
                continue
            ref = el.get("r")
            if ref:
                m = re.fullmatch(r"([A-Za-z]+)(\d+)", ref)
                if m:
                    col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(m[1].upper())))
                    row = int(m[2])
            else:
                col += 1
            kids = {k.tag.rsplit("}", 1)[-1]: k for k in el}
            v = kids.get("v")
            if "f" in kids and (v is None or (not v.text and el.get("t") != "str")):
                found.add((row, col))
    return frozenset(found)


def _sheet_grid(path: Path, ws: Any) -> tuple[list[list[str]], frozenset[tuple[int, int]]]:
    """The sheet's cells as text, and where a formula has no computed value (see :func:`_uncomputed`)."""
    grid = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    return grid, _uncomputed(path, ws)


def _read_workbook(path: Path, t: Table | None, problems: list[Problem], unreadable: set[str]) -> list[RawTable]:
    """The tables of a workbook: its first sheet as ``t``, or else every sheet named by a table.
    A workbook or sheet that cannot be read is reported, and its table added to ``unreadable``."""
    def refuse(message: str) -> list[RawTable]:
        problems.append(Problem(path.name, 1, "-", message))
        unreadable.update([t.name] if t is not None else [])
        return []

    refused = _workbook_problem(path)
    if refused is not None:
        return refuse(refused)
    import openpyxl  # here, not at the top: every CLI command imports this module

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        return refuse(f"无法打开工作簿：文件已损坏（{exc}）")
    except Exception as exc:
        return refuse(f"无法打开工作簿：{exc}")
    try:
        sheets = [(t, path.name, wb.worksheets[0])] if t is not None else [
            (st, f"{path.name}[{ws.title}]", ws) for ws in wb.worksheets if (st := _table_for(ws.title))]
        grids = []
        for table, fname, ws in sheets:
            try:
                grids.append((table, fname, *_sheet_grid(path, ws)))
            except Exception as exc:  # a damaged part: bad CRC, truncated data, malformed XML
                problems.append(Problem(fname, 1, "-", f"无法读取工作簿：文件已损坏（{type(exc).__name__}: {exc}）"))
                unreadable.add(table.name)
    finally:
        wb.close()
    return [_raw_table(table, fname, grid, problems, uncomputed) for table, fname, grid, uncomputed in grids]


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
            for raw in _read_workbook(path, t, problems, unreadable):
                put(raw)
    for t in TABLES:
        if t.required and t.name not in tables and t.name not in unreadable:
            problems.append(Problem(f"{t.name}.csv", 0, "-",
                                    f"缺少必需的表：{t.name}（{t.zh}），应为 {t.name}.csv 或 .xlsx"))
    return tables, problems
