"""Numbers and encodings that must not be guessed (docs/dataset.md, 数字与编码).

Each test breaks the valid tiny dataset of :mod:`tests.datasets` in one place — a number
written ``1,5``, a file saved as Latin-1, UTF-16 or Big5, a control character in a cell, an
XLSX formula nobody computed, a zip bomb — and checks the exact ``file:row:column: message``
lines. A few check that what is right still loads (GB18030 with rare name characters, BOM).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from orglink.loaders import reader
from orglink.loaders.build import Built, validate_dataset
from orglink.loaders.reader import LoadError, decode_csv_bytes
from tests.datasets import TINY, grid_of, set_cell, write_csv, write_tiny, write_tiny_workbook, write_xlsx_table

COMMA = "（逗号只能作千位分隔符，如 1,234）"
UNKNOWN = "无法识别文件编码：既不是 UTF-8，也不像 GB18030 中文文本"
FORMULA = "单元格为公式但没有计算结果（请在 Excel 中打开并保存后再导入）"


def problems_of(directory: Path) -> list[str]:
    """The problem lines ``validate_dataset`` reports for ``directory`` (it must fail)."""
    with pytest.raises(LoadError) as ei:
        validate_dataset(directory)
    return [str(p) for p in ei.value.problems]


def node(built: Built, label: str, id_: str) -> dict:
    """The properties one node of the batch sets (None, a cleared cell, left out)."""
    hits = [n.props for n in built.batch.nodes if n.label == label and n.id == id_]
    assert len(hits) == 1, (label, id_, hits)
    return {k: v for k, v in hits[0].items() if v is not None}


def tables_with(table: str, index: int, **cells: str) -> dict[str, list[dict[str, str]]]:
    """A copy of the tiny tables with some cells of one row changed."""
    tables = {k: [dict(r) for r in v] for k, v in TINY.items()}
    tables[table][index].update(cells)
    return tables


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A fresh valid tiny dataset (English names, UTF-8) to break in one place."""
    return write_tiny(tmp_path / "tiny")


def as_xlsx(directory: Path, table: str, grid: list[list[object]]) -> Path:
    """Replace the table's CSV by a one-sheet workbook holding ``grid``."""
    (directory / f"{table}.csv").unlink()
    return write_xlsx_table(directory / f"{table}.xlsx", grid)


def patch_zip(path: Path, member: str, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (once) in one member of a zip file, keeping the others."""
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == member:
                assert data.count(old) == 1, (old, data[-600:])
                data = data.replace(old, new)
            z.writestr(info.filename, data)
    path.write_bytes(buf.getvalue())


# -- integers and floats ---------------------------------------------------------------------

BAD_NUMBERS = [
    ("resources", 3, "capacity", "1,5", f"不是整数：'1,5'{COMMA}"),
    ("resources", 3, "capacity", "1，5", f"不是整数：'1，5'{COMMA}"),
    ("resources", 3, "capacity", "12,34", f"不是整数：'12,34'{COMMA}"),
    ("resources", 3, "capacity", "1,2345", f"不是整数：'1,2345'{COMMA}"),
    ("resources", 3, "capacity", ",123", f"不是整数：',123'{COMMA}"),
    ("resources", 3, "capacity", "1,234,56", f"不是整数：'1,234,56'{COMMA}"),
    ("resources", 3, "capacity", "1_5", "不是整数：'1_5'"),
    ("resources", 3, "capacity", "1e3", "不是整数：'1e3'"),
    ("resources", 3, "capacity", "1 000", "不是整数：'1 000'"),
    ("resources", 3, "capacity", "①", "不是整数：'①'"),
    ("resources", 3, "capacity", "1²", "不是整数：'1²'"),
    ("resources", 3, "capacity", "٣", "不是整数：'٣'"),
    ("resources", 3, "capacity", "1000000001", "数值过大：'1000000001'（不能超过 1,000,000,000）"),
    ("resources", 3, "capacity", "1,000,000,001", "数值过大：'1,000,000,001'（不能超过 1,000,000,000）"),
    ("property", 2, "members", "99999999999999999999", "数值过大：'99999999999999999999'（不能超过 1,000,000,000）"),
    ("grids", 2, "lat", "39,23", f"不是数字：'39,23'{COMMA}"),
    ("grids", 2, "lon", "106,77", f"不是数字：'106,77'{COMMA}"),
    ("grids", 2, "lat", "1_5", "不是数字：'1_5'"),
    ("grids", 2, "lat", "nan", "不是数字：'nan'"),
    ("grids", 2, "lon", "inf", "不是数字：'inf'"),
    ("grids", 2, "lon", "1e999", "不是数字：'1e999'"),
    ("needs", 2, "quantity", "0", "数量不能小于 1：'0'"),
    ("needs", 3, "quantity", "0.0", "数量不能小于 1：'0.0'"),
    ("needs", 3, "quantity", "-1", "不能为负数：'-1'"),
]


@pytest.mark.parametrize(("table", "row", "column", "value", "message"), BAD_NUMBERS,
                         ids=[f"{t}-{c}-{v}" for t, _, c, v, _ in BAD_NUMBERS])
def test_a_number_is_never_guessed(tiny: Path, table: str, row: int, column: str, value: str,
                                   message: str) -> None:
    set_cell(tiny, table, row, column, value)
    assert problems_of(tiny) == [f"{table}.csv:{row}:{column}: {message}"]


GOOD_NUMBERS = [
    ("1,234", 1234), ("12,345,678", 12345678), ("１，２３４", 1234), ("1,000,000,000", 1_000_000_000),
    ("+7", 7), ("7.0", 7), ("0", 0), ("１２", 12),
]


@pytest.mark.parametrize(("value", "expected"), GOOD_NUMBERS, ids=[v for v, _ in GOOD_NUMBERS])
def test_thousands_separators_and_full_width_digits_are_read(tiny: Path, value: str, expected: int) -> None:
    set_cell(tiny, "resources", 3, "capacity", value)  # R2; a capacity may be 0 (no minimum)
    assert node(validate_dataset(tiny), "Resource", "R2")["capacity"] == expected


def test_coordinates_with_a_decimal_point_and_grouping_are_read(tiny: Path) -> None:
    set_cell(tiny, "grids", 2, "lat", "３９.２５")
    set_cell(tiny, "grids", 2, "lon", "1,106.5")
    assert node(validate_dataset(tiny), "Grid", "G1")["lat"] == pytest.approx(39.25)
    assert node(validate_dataset(tiny), "Grid", "G1")["lon"] == pytest.approx(1106.5)


def test_a_need_of_quantity_zero_is_refused_not_dropped(tiny: Path) -> None:
    set_cell(tiny, "needs", 5, "quantity", "0")  # N4
    assert problems_of(tiny) == ["needs.csv:5:quantity: 数量不能小于 1：'0'"]
    set_cell(tiny, "needs", 5, "quantity", "1")
    assert node(validate_dataset(tiny), "Need", "N4")["quantity"] == 1


def test_numbers_in_xlsx_are_checked_the_same_way(tiny: Path) -> None:
    grid: list[list[object]] = grid_of("needs", TINY["needs"])
    q = grid[0].index("quantity")
    grid[1][q] = 0  # N1: typed as a number
    grid[2][q] = "1,5"  # N2: typed as text
    grid[4][q] = 2.5  # N4
    as_xlsx(tiny, "needs", grid)
    res = grid_of("resources", TINY["resources"])
    res[2][res[0].index("capacity")] = 10 ** 12  # R2
    as_xlsx(tiny, "resources", res)
    assert problems_of(tiny) == [
        "resources.xlsx:3:capacity: 数值过大：'1000000000000'（不能超过 1,000,000,000）",
        "needs.xlsx:2:quantity: 数量不能小于 1：'0'",
        f"needs.xlsx:3:quantity: 不是整数：'1,5'{COMMA}",
        "needs.xlsx:5:quantity: 不是整数：'2.5'",
    ]


# -- CSV encodings ---------------------------------------------------------------------------

STATIONS_LATIN1 = "id,name,kind,community\r\nST1,Station,x,C1\r\nST2,Müller,x,C1\r\n"


def test_latin1_is_not_read_as_gb18030(tiny: Path) -> None:
    (tiny / "stations.csv").write_bytes(STATIONS_LATIN1.encode("latin-1"))
    assert b"M\xfcller" in (tiny / "stations.csv").read_bytes()
    assert (tiny / "stations.csv").read_bytes().decode("gb18030").endswith("M黮ler,x,C1\r\n")  # the old guess
    assert problems_of(tiny) == [
        f"stations.csv:3:-: {UNKNOWN}（第 3 行出现「黮」（U+9EEE））；疑似 Latin-1/Windows-1252 西文编码"
        "（该行读作「ST2,Müller,x,C1」），请另存为 UTF-8"]


def test_latin1_byte_gb18030_cannot_decode_names_its_line(tiny: Path) -> None:
    (tiny / "stations.csv").write_bytes("id,name,kind,community\r\nST1,A,x,C1\r\nST2,B,x,C1\r\nST3,Café\r\n"
                                        .encode("cp1252"))
    assert problems_of(tiny) == [
        f"stations.csv:4:-: {UNKNOWN}（第 4 行出现无法解读的字节 0xE9）；疑似 Latin-1/Windows-1252 西文编码"
        "（该行读作「ST3,Café」），请另存为 UTF-8"]


def test_bytes_of_no_known_encoding_name_the_line_and_byte(tiny: Path) -> None:
    (tiny / "stations.csv").write_bytes(b"id,name\r\nST1,x\r\n\xff\xfe\xff,x\r\n")
    assert problems_of(tiny) == [f"stations.csv:3:-: {UNKNOWN}（第 3 行出现无法解读的字节 0xFF）"]


def test_latin1_name_saved_as_utf8_loads(tiny: Path) -> None:
    set_cell(tiny, "units", 2, "name", "Müller GmbH")
    set_cell(tiny, "cadres", 2, "name", "Müller")
    built = validate_dataset(tiny)
    assert node(built, "Unit", "U1")["name"] == "Müller GmbH"
    assert node(built, "Cadre", "K1")["name"] == "M*****"  # a person's name is kept masked


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused_naming_utf16(tiny: Path, encoding: str) -> None:
    write_csv(tiny / "stations.csv", grid_of("stations", TINY["stations"]), encoding)
    if encoding == "utf-16":
        assert (tiny / "stations.csv").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert problems_of(tiny) == ["stations.csv:1:-: 文件编码为 UTF-16，请另存为 UTF-8 或 GB18030 的 CSV"]


BIG5_STATIONS = "id,name,kind,community\r\nST1,春暉社區驛站,暖新驛站,C1\r\nST2,橋東驛站,司機之家,C3\r\n"


def test_big5_is_refused_naming_big5(tiny: Path) -> None:
    data = BIG5_STATIONS.encode("cp950")
    data.decode("gb18030")  # Big5 bytes are valid GB18030 too: that is the trap
    (tiny / "stations.csv").write_bytes(data)
    assert problems_of(tiny) == ["stations.csv:2:-: 文件编码疑似 Big5（繁体），请另存为 UTF-8"]


def test_big5_header_is_named_at_row_1(tiny: Path) -> None:
    (tiny / "stations.csv").write_bytes("編號,名稱,類型,所在社區\r\nST1,春暉驛站,暖新驛站,C1\r\n".encode("cp950"))
    assert problems_of(tiny) == ["stations.csv:1:-: 文件编码疑似 Big5（繁体），请另存为 UTF-8"]


def test_utf8_file_with_a_stray_latin1_byte_names_that_line(tiny: Path) -> None:
    good = (tiny / "stations.csv").read_bytes()
    assert good.count(b"\n") == 4 and not good.isascii()
    (tiny / "stations.csv").write_bytes(good + "ST4,Müller,司机之家,C1\r\n".encode().replace(b"\xc3\xbc", b"\xfc"))
    assert problems_of(tiny) == [
        f"stations.csv:5:-: {UNKNOWN}（第 5 行出现无效的 UTF-8 字节 0xFC；此前的内容是 UTF-8，可能混入了其他编码的文字）"]


def test_gb18030_with_rare_name_characters_and_symbols_loads(tmp_path: Path) -> None:
    tables = tables_with("cadres", 0, name="张喆")
    tables["cadres"][1]["name"] = "王堃"
    tables["units"][1]["name"] = "区第一医院（①号楼，200㎡，β受体门诊，喆堃）"
    d = write_tiny(tmp_path / "gb", lang="zh", encoding="gb18030", tables=tables)
    with pytest.raises(UnicodeDecodeError):
        (d / "报到干部.csv").read_bytes().decode("utf-8")
    built = validate_dataset(d)
    assert node(built, "Unit", "U2")["name"] == "区第一医院（①号楼，200㎡，β受体门诊，喆堃）"
    # people's names are decoded, then kept masked (orglink.graph.personal)
    assert node(built, "Cadre", "K1")["name"] == "张*"
    assert node(built, "Cadre", "K2")["name"] == "王*"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_normal_chinese_csv_still_loads(tmp_path: Path, encoding: str) -> None:
    d = write_tiny(tmp_path / "ds", lang="zh", encoding=encoding)
    assert (d / "社区.csv").read_bytes().startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    built = validate_dataset(d)
    assert node(built, "Community", "C1")["name"] == "春晖社区"
    assert decode_csv_bytes((d / "社区.csv").read_bytes()).splitlines()[0] == "编号,名称,所属街道"


def test_a_single_short_gb18030_word_is_not_taken_for_big5() -> None:
    """charset-normalizer, even limited to UTF-8/GB18030/Big5/cp1252, reads this as Big5 '桲'."""
    assert decode_csv_bytes("id,name\r\nK1,张\r\n".encode("gb18030")) == "id,name\r\nK1,张\r\n"


# -- control characters ----------------------------------------------------------------------

CONTROLS = ["\x07", "\x00", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff", "\x0b", "\x0c"]


@pytest.mark.parametrize("ch", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_control_character_in_a_csv_cell(tiny: Path, ch: str) -> None:
    set_cell(tiny, "stations", 3, "name", f"桥东{ch}驿站")
    assert problems_of(tiny) == [f"stations.csv:3:name: 含有控制字符 U+{ord(ch):04X}，请删除"]


def test_control_character_at_the_end_of_a_cell_is_not_trimmed_away(tiny: Path) -> None:
    set_cell(tiny, "units", 3, "name", "区第一医院\x1f")  # str.strip() would remove U+001F
    set_cell(tiny, "resources", 2, "capacity", "10\x1c")
    assert problems_of(tiny) == ["units.csv:3:name: 含有控制字符 U+001F，请删除",
                                 "resources.csv:2:capacity: 含有控制字符 U+001C，请删除"]


def test_control_character_is_reported_under_the_header_as_written(tmp_path: Path) -> None:
    d = write_tiny(tmp_path / "zh", lang="zh")
    set_cell(d, "驿站", 4, "服务项目", "饮水\x08无线网络")
    assert problems_of(d) == ["驿站.csv:4:服务项目: 含有控制字符 U+0008，请删除"]


def test_tab_and_line_breaks_in_a_cell_are_allowed(tiny: Path) -> None:
    set_cell(tiny, "needs", 5, "report", "已办结\t第一步\r\n第二步\n")
    assert node(validate_dataset(tiny), "Need", "N4")["report"] == "已办结\t第一步\r\n第二步"


def test_control_character_in_an_unmapped_column_is_ignored(tiny: Path) -> None:
    path = tiny / "stations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\r\n", ",备注\x07\r\n", 1), encoding="utf-8")
    validate_dataset(tiny)


@pytest.mark.parametrize(("escaped", "code"), [("_x0007_", "0007"), ("_xD800_", "D800"), ("_xFFFE_", "FFFE")])
def test_control_character_in_an_xlsx_cell(tiny: Path, escaped: str, code: str) -> None:
    """Excel stores a control character as _xHHHH_; openpyxl hands the escape through."""
    grid = grid_of("stations", TINY["stations"])
    grid[2][grid[0].index("name")] = f"桥东{escaped}驿站"
    as_xlsx(tiny, "stations", grid)
    assert problems_of(tiny) == [f"stations.xlsx:3:name: 含有控制字符 U+{code}，请删除"]


def test_xlsx_escapes_of_allowed_characters_are_decoded(tiny: Path) -> None:
    grid = grid_of("needs", TINY["needs"])
    grid[4][grid[0].index("report")] = "第一步_x000D_\n第二步_x005F_x0007_"  # CR, and a literal "_x0007_"
    as_xlsx(tiny, "needs", grid)
    assert node(validate_dataset(tiny), "Need", "N4")["report"] == "第一步\r\n第二步_x0007_"


# -- XLSX formulas without a computed value ---------------------------------------------------

def test_formula_without_a_computed_value_is_refused(tiny: Path) -> None:
    grid: list[list[object]] = grid_of("needs", TINY["needs"])
    grid[2][grid[0].index("raised_on")] = '=DATE(2024,6,2)'  # N2, written by a program
    as_xlsx(tiny, "needs", grid)
    sheet = zipfile.ZipFile(tiny / "needs.xlsx").read("xl/worksheets/sheet1.xml")
    assert b"<f>DATE(2024,6,2)</f><v />" in sheet
    assert problems_of(tiny) == [f"needs.xlsx:3:raised_on: {FORMULA}"]


def test_formula_with_a_computed_value_loads(tiny: Path) -> None:
    grid: list[list[object]] = grid_of("resources", TINY["resources"])
    grid[2][grid[0].index("capacity")] = "=2+3"  # R2
    grid[3][grid[0].index("keywords")] = '=""'  # R3: a formula whose result is empty
    as_xlsx(tiny, "resources", grid)
    patch_zip(tiny / "resources.xlsx", "xl/worksheets/sheet1.xml", b"<f>2+3</f><v />", b"<f>2+3</f><v>5</v>")
    patch_zip(tiny / "resources.xlsx", "xl/worksheets/sheet1.xml", b'<c r="G4"><f>""</f><v />',
              b'<c r="G4" t="str"><f>""</f><v></v>')
    built = validate_dataset(tiny)
    assert node(built, "Resource", "R2")["capacity"] == 5
    assert "keywords" not in node(built, "Resource", "R3")


def test_row_of_formulas_only_is_not_skipped_as_blank(tiny: Path) -> None:
    grid: list[list[object]] = grid_of("stations", TINY["stations"])
    grid.append(['="ST"&4', '="驿站"&4', '="司机之家"', '="C1"', None, None])  # row 5
    as_xlsx(tiny, "stations", grid)
    # every mapped cell is reported; the row's node is dropped, so its empty cells also count as blank
    assert problems_of(tiny) == [f"stations.xlsx:5:{h}: {FORMULA}" for h in ("id", "name", "kind", "community")] + [
        f"stations.xlsx:5:{h}: 必填项为空：{zh}" for h, zh in (("id", "编号"), ("name", "名称"), ("kind", "类型"))]


def test_sheet_without_formulas_is_not_parsed_again(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    grid = grid_of("stations", TINY["stations"])
    as_xlsx(tiny, "stations", grid)
    monkeypatch.setattr(reader.ET, "iterparse", lambda *a, **k: pytest.fail("second parse of a sheet without formulas"))
    validate_dataset(tiny)


# -- XLSX size and corruption ----------------------------------------------------------------

def test_workbook_over_200_mb_unpacked_is_refused_before_parsing(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = as_xlsx(tiny, "stations", grid_of("stations", TINY["stations"]))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/padding.bin", "w", force_zip64=True) as f:
        block = bytes(1 << 20)
        for _ in range(201):
            f.write(block)
    assert path.stat().st_size < 2 << 20  # a small file on disk
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened a zip bomb"))
    assert reader.XLSX_MAX_UNPACKED_MB == 200
    assert problems_of(tiny) == ["stations.xlsx:1:-: 工作簿解压后超过 200 MB，拒绝导入（可能是压缩炸弹）"]


def test_oversized_shared_strings_are_refused(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = as_xlsx(tiny, "stations", grid_of("stations", TINY["stations"]))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>x</t></si>" * 140_000 + b"</sst>")
    monkeypatch.setattr(reader, "XLSX_MAX_UNPACKED_MB", 2)
    assert problems_of(tiny) == [
        "stations.xlsx:1:-: 工作簿的共享字符串表（xl/sharedStrings.xml）解压后超过 2 MB，拒绝导入（可能是压缩炸弹）"]


def test_truncated_workbook_is_a_clear_error(tiny: Path) -> None:
    path = as_xlsx(tiny, "stations", grid_of("stations", TINY["stations"]))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert problems_of(tiny) == ["stations.xlsx:1:-: 无法打开工作簿：文件已损坏或不是 .xlsx 格式（不是有效的 zip 压缩包）"]


def test_workbook_with_a_damaged_sheet_is_a_clear_error(tiny: Path) -> None:
    path = as_xlsx(tiny, "stations", grid_of("stations", TINY["stations"]))
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in parts:
            z.writestr(name, data)
    raw = path.read_bytes()
    assert raw.count(b">ST1<") == 1
    path.write_bytes(raw.replace(b">ST1<", b">ST9<"))  # the stored bytes no longer match their CRC
    assert problems_of(tiny) == [
        "stations.xlsx:1:-: 无法打开工作簿：文件已损坏（Bad CRC-32 for file 'xl/worksheets/sheet1.xml'）"]


def test_damaged_sheet_in_a_workbook_of_tables_names_the_sheet(tmp_path: Path) -> None:
    path = write_tiny_workbook(tmp_path / "wb" / "lists.xlsx")
    sheet = f"xl/worksheets/sheet{list(TINY).index('stations') + 1}.xml"
    assert b"ST1" in zipfile.ZipFile(path).read(sheet)
    patch_zip(path, sheet, b"</sheetData>", b"</sheetDat>")  # malformed XML at the end of the sheet
    lines = problems_of(tmp_path / "wb")
    assert len(lines) == 1 and lines[0].startswith("lists.xlsx[stations]:1:-: 无法读取工作簿：文件已损坏（ParseError: "), lines
