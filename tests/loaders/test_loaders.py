"""Loader tests: reading CSV/XLSX in every accepted shape, and every kind of bad input.

Each bad-input test breaks the valid tiny dataset of :mod:`tests.datasets` in one place and
checks the exact ``file:row:column: message`` lines (spreadsheet row numbers, header = row 1).
No store is involved: these are pure parse/validate tests.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from orglink.graph.tables import REQUIRED_TABLES, TABLES
from orglink.loaders.build import Built, validate_dataset
from orglink.loaders.reader import LoadError, decode_csv_bytes, normalise
from tests.datasets import (
    TINY,
    TINY_COUNTS,
    add_row,
    drop_column,
    file_stem,
    grid_of,
    read_csv,
    remove_table,
    rename_header,
    set_cell,
    write_csv,
    write_tiny,
    write_tiny_workbook,
    write_xlsx_table,
)

# -- helpers ---------------------------------------------------------------------------------


def canon(built: Built) -> tuple[list, list]:
    """A comparable form of a batch: sorted nodes and relationships with their properties."""
    nodes = sorted((n.label, n.id, json.dumps(n.props, sort_keys=True, ensure_ascii=False))
                   for n in built.batch.nodes)
    rels = sorted((*r.key(), json.dumps(r.props, sort_keys=True)) for r in built.batch.rels)
    return nodes, rels


def problems_of(directory: Path) -> list[str]:
    """The problem lines ``validate_dataset`` reports for ``directory`` (it must fail)."""
    with pytest.raises(LoadError) as ei:
        validate_dataset(directory)
    lines = [str(p) for p in ei.value.problems]
    assert str(ei.value) == "\n".join(lines)
    return lines


def node(built: Built, label: str, id_: str) -> dict:
    """The properties one node of the batch sets (a None clears: a blank cell, see test_reload)."""
    hits = [n.props for n in built.batch.nodes if n.label == label and n.id == id_]
    assert len(hits) == 1, (label, id_, hits)
    return {k: v for k, v in hits[0].items() if v is not None}


def rel_targets(built: Built, type_: str, src_id: str) -> list[tuple[str, str]]:
    """(label, id) of the targets of ``src_id``'s ``type_`` relationships."""
    return sorted((r.dst_label, r.dst_id) for r in built.batch.rels
                  if r.type == type_ and r.src_id == src_id)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The tiny dataset as plain UTF-8 CSV with English names: the reference batch."""
    return validate_dataset(write_tiny(tmp_path_factory.mktemp("ref") / "tiny"))


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A fresh valid tiny dataset (English names, UTF-8) to break in one place."""
    return write_tiny(tmp_path / "tiny")


@pytest.fixture
def tiny_zh(tmp_path: Path) -> Path:
    """A fresh valid tiny dataset with Chinese file names and headers."""
    return write_tiny(tmp_path / "tiny_zh", lang="zh")


# -- valid input -----------------------------------------------------------------------------


def test_tiny_dataset_gives_the_hand_counted_graph(reference: Built) -> None:
    labels = Counter(lab for n in reference.batch.nodes for lab in n.labels())
    assert dict(labels) == TINY_COUNTS["nodes"]
    assert dict(Counter(r.type for r in reference.batch.rels)) == TINY_COUNTS["relationships"]
    assert reference.rows == {name: len(rows) for name, rows in TINY.items()}


def test_cells_are_converted_to_the_model_types(reference: Built) -> None:
    assert node(reference, "Agreement", "A1")["signed_on"] == "2024-03-01"
    assert node(reference, "Agreement", "A2")["signed_on"] == "2024-04-02"
    assert node(reference, "Agreement", "A3")["signed_on"] == "2024-05-06"
    assert node(reference, "Resource", "R1")["keywords"] == ["体检", "血压"]
    assert node(reference, "Resource", "R2") == {
        "title": "法律咨询", "category": "法律服务", "capacity": 5, "measure": "次",
        "keywords": ["调解", "咨询"], "subtype": "纠纷调解", "subtype_basis": "推断：关键词「调解」"}
    assert node(reference, "Station", "ST1")["services"] == ["饮水", "热饭", "充电"]
    assert node(reference, "Station", "ST1")["kind"] == "暖新驿站"
    assert node(reference, "Station", "ST3")["services"] == ["饮水", "无线网络"]
    assert node(reference, "Grid", "G1")["lat"] == pytest.approx(39.23)
    assert "lat" not in node(reference, "Grid", "G2")
    assert node(reference, "Unit", "U1")["department"] is True
    assert node(reference, "Unit", "U1")["resident"] is False
    assert node(reference, "Unit", "U2")["department"] is False
    assert node(reference, "Unit", "U3")["resident"] is True
    assert node(reference, "Cadre", "K2")["party_member"] is False
    n1 = node(reference, "Need", "N1")
    assert (n1["quantity"], n1["urgency"], n1["status"], n1["scope"]) == (4, "pressing", "ordered", "grid")
    n2 = node(reference, "Need", "N2")
    assert (n2["status"], n2["scope"], n2["urgency"]) == ("accepted", "community", "normal")
    n3 = node(reference, "Need", "N3")  # blank cells get the lifecycle defaults
    assert (n3["quantity"], n3["status"], n3["scope"]) == (1, "done", "community")
    assert "urgency" not in n3 and "raised_on" not in n3
    assert node(reference, "Need", "N4")["status"] == "done"
    assert node(reference, "PartyGroup", "PG3")["level"] == "院落党小组"
    assert node(reference, "OwnersCommittee", "PR2") == {"name": "春晖小区业委会", "members": 5,
                                                         "party_members": 3}


def test_references_by_name_resolve_to_ids(reference: Built) -> None:
    assert rel_targets(reference, "IN", "S2") == [("District", "D1")]  # 测试区
    assert rel_targets(reference, "IN", "C2") == [("Street", "S1")]  # 南街街道
    assert rel_targets(reference, "IN", "G2") == [("Community", "C1")]  # 春晖社区
    assert rel_targets(reference, "SIGNED", "U3") == [("Agreement", "A2")]  # 区司法局
    assert rel_targets(reference, "CO_BUILDS", "U3") == [("Community", "C3")]
    assert rel_targets(reference, "RAISED_AT", "N2") == [("Community", "C3")]  # 桥东社区
    assert rel_targets(reference, "RESPONSIBLE_FOR", "GB1") == [("Grid", "G1"), ("Grid", "G2")]
    assert rel_targets(reference, "MEMBER_OF", "U3") == [("CommunityCommittee", "CC3")]
    assert rel_targets(reference, "LEADS", "PG3") == [("CentralHousehold", "CH1")]
    assert rel_targets(reference, "HANDLED", "K1") == [("Need", "N3")]


def test_references_forgive_full_width_forms_and_spaces(tiny: Path) -> None:
    """People type names: 北街(中街) 街道 finds 北街（中街）街道, Ｃ1 finds C1."""
    add_row(tiny, "streets", {"id": "S3", "name": "北街（中街）街道", "kind": "街道", "district": "D1"})
    add_row(tiny, "communities", {"id": "C4", "name": "新社区", "street": "北街(中街) 街道"})
    add_row(tiny, "grids", {"id": "G6", "name": "新网格", "community": "Ｃ1"})
    built = validate_dataset(tiny)
    assert rel_targets(built, "IN", "C4") == [("Street", "S3")]
    assert rel_targets(built, "IN", "G6") == [("Community", "C1")]


def test_a_folded_name_fitting_two_rows_is_ambiguous(tiny: Path) -> None:
    add_row(tiny, "streets", {"id": "S3", "name": "北街（中街）街道"})
    add_row(tiny, "streets", {"id": "S4", "name": "北街(中街)街道"})
    row = add_row(tiny, "communities", {"id": "C4", "name": "新社区", "street": "北街 (中街) 街道"})
    assert problems_of(tiny) == [
        f"communities.csv:{row}:street: 名称 '北街 (中街) 街道' 有歧义，可指：S3（streets.csv 第 4 行）、"
        "S4（streets.csv 第 5 行）；请改用编号"]


def _fullwidth_headers(directory: Path) -> None:
    """Decorate every header with full-width spaces / punctuation (all must be forgiven)."""
    wraps = ["\u3000{}\u3000", "{}：", "（{}）", " {} ", "【{}】", "＊{}", "{}:"]
    for path in directory.glob("*.csv"):
        grid = read_csv(path)
        grid[0] = [wraps[i % len(wraps)].format(h) for i, h in enumerate(grid[0])]
        write_csv(path, grid)


def _upper_headers(directory: Path) -> None:
    for path in directory.glob("*.csv"):
        grid = read_csv(path)
        grid[0] = [h.upper().replace("_", " ") for h in grid[0]]
        write_csv(path, grid)


def _mixed_languages(directory: Path) -> None:
    """Half the tables with English names and headers, half Chinese."""
    for i, (name, rows) in enumerate(TINY.items()):
        lang = "en" if i % 2 else "zh"
        write_csv(directory / f"{file_stem(name, lang)}.csv", grid_of(name, rows, lang))


def _xlsx_per_table(directory: Path) -> None:
    """Every table as its own single-sheet .xlsx, named in Chinese, sheet named anything."""
    for name, rows in TINY.items():
        write_xlsx_table(directory / f"{file_stem(name, 'zh')}.xlsx", grid_of(name, rows, "zh"),
                         sheet="Sheet1")


VARIANTS = {
    "chinese names and headers": lambda d: write_tiny(d, lang="zh"),
    "gb18030 chinese": lambda d: write_tiny(d, lang="zh", encoding="gb18030"),
    "gb18030 english": lambda d: write_tiny(d, encoding="gb18030"),
    "utf-8 bom chinese": lambda d: write_tiny(d, lang="zh", encoding="utf-8-sig"),
    "utf-8 bom english": lambda d: write_tiny(d, encoding="utf-8-sig"),
    "full-width header punctuation": lambda d: _fullwidth_headers(write_tiny(d, lang="zh")),
    "upper-case english headers": lambda d: _upper_headers(write_tiny(d)),
    "mixed english and chinese": _mixed_languages,
    "one workbook, chinese sheet names": lambda d: write_tiny_workbook(d / "惠农区清单.xlsx", lang="zh"),
    "one workbook, english sheet names": lambda d: write_tiny_workbook(d / "lists.xlsx"),
    "one xlsx per table": _xlsx_per_table,
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_accepted_shape_gives_the_same_batch(variant: str, tmp_path: Path,
                                                    reference: Built) -> None:
    d = tmp_path / "ds"
    d.mkdir()
    VARIANTS[variant](d)
    assert canon(validate_dataset(d)) == canon(reference)


def test_gb18030_file_is_really_not_utf8(tmp_path: Path) -> None:
    d = write_tiny(tmp_path / "gb", lang="zh", encoding="gb18030")
    data = (d / "社区.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_csv_bytes(data).splitlines()[0] == "编号,名称,所属街道"


def test_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    d = write_tiny(tmp_path / "bom", encoding="utf-8-sig")
    assert (d / "grids.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert decode_csv_bytes((d / "grids.csv").read_bytes()).startswith("id,")


def test_xlsx_typed_cells_are_read_as_text(tmp_path: Path, reference: Built) -> None:
    """Numbers, dates and booleans typed in Excel become the same values as in CSV."""
    import datetime as dt

    d = write_tiny(tmp_path / "typed")
    (d / "grids.csv").unlink()
    write_xlsx_table(d / "grids.xlsx", [
        ["id", "name", "community", "lat", "lon"],
        ["G1", "春晖一网格", "C1", 39.23, 106.77], ["G2", "春晖二网格", "春晖社区", None, None],
        ["G3", "星火一网格", "C2", 39.24, 106.78], ["G4", "星火二网格", "C2"],
        ["G5", "桥东一网格", "C3", 39.1, 106.7]])
    (d / "agreements.csv").unlink()
    write_xlsx_table(d / "共驻共建协议.xlsx", [
        ["编号", "单位", "社区", "签订日期"], ["A1", "U2", "C1", dt.date(2024, 3, 1)],
        ["A2", "区司法局", "C3", dt.datetime(2024, 4, 2)], ["A3", "U4", "C2", "2024年5月6日"]])
    (d / "units.csv").unlink()
    rows = grid_of("units", TINY["units"])
    rows[1][3], rows[1][4] = True, False  # U1: department, not resident
    rows[4][6], rows[4][7] = 39, 106  # U4 gets whole-number coordinates typed as numbers
    write_xlsx_table(d / "units.xlsx", rows)
    built = validate_dataset(d)
    assert node(built, "Unit", "U1")["department"] is True
    assert node(built, "Unit", "U1")["resident"] is False
    assert node(built, "Unit", "U4")["lat"] == 39.0
    assert node(built, "Agreement", "A2")["signed_on"] == "2024-04-02"
    ref_nodes, ref_rels = canon(reference)
    nodes, rels = canon(built)
    assert rels == ref_rels
    assert [n for n in nodes if n[:2] != ("Unit", "U4")] == [n for n in ref_nodes if n[:2] != ("Unit", "U4")]


def test_extra_columns_and_unknown_files_are_ignored(tiny: Path, reference: Built) -> None:
    for path in tiny.glob("*.csv"):
        grid = read_csv(path)
        write_csv(path, [r + (["备注"] if i == 0 else ["随便写"]) for i, r in enumerate(grid)])
    (tiny / "说明.csv").write_text("随便,什么\n1,2\n", encoding="utf-8")
    (tiny / "readme.txt").write_text("notes", encoding="utf-8")
    assert canon(validate_dataset(tiny)) == canon(reference)


def test_blank_rows_keep_the_spreadsheet_numbering(tiny: Path) -> None:
    """Blank lines (and blank rows above the header) still count, as the spreadsheet shows."""
    path = tiny / "grids.csv"
    grid = read_csv(path)
    grid = [[], *grid[:2], ["", "", "", "", ""], *grid[2:]]
    grid[4][2] = "C9"  # G2's community, now on spreadsheet row 5
    write_csv(path, grid)
    assert problems_of(tiny) == ["grids.csv:5:community: 引用不存在：'C9' 不是任何社区的编号或名称"]


def test_multiline_cell_is_one_spreadsheet_row(tiny: Path) -> None:
    path = tiny / "grids.csv"
    grid = read_csv(path)
    grid[1][1] = "春晖\n一网格"  # row 2 spans two text lines but is one spreadsheet row
    grid[2][2] = "C9"
    write_csv(path, grid)
    assert problems_of(tiny) == ["grids.csv:3:community: 引用不存在：'C9' 不是任何社区的编号或名称"]


def test_normalise_folds_full_width_and_case() -> None:
    assert normalise("\u3000（编号）：") == "编号"
    assert normalise(" Raised At ") == "raised_at"
    assert normalise("【ＩＤ】") == "id"


# -- bad input: one break, one exact problem -----------------------------------------------


@pytest.mark.parametrize("name", REQUIRED_TABLES)
def test_missing_required_table_is_one_problem(tiny: Path, name: str) -> None:
    remove_table(tiny, name)
    zh = next(t.zh for t in TABLES if t.name == name)
    assert problems_of(tiny) == [f"{name}.csv:0:-: 缺少必需的表：{name}（{zh}），应为 {name}.csv 或 .xlsx"]


@pytest.mark.parametrize(("table", "column", "zh"), [
    ("resources", "category", "类别"),
    ("grids", "community", "所属社区"),
    ("units", "id", "编号"),
    ("communities", "name", "名称"),
    ("needs", "raised_at", "提出网格或社区"),
    ("party_orgs", "level", "层级"),
], ids=lambda v: v if v.isascii() else "")
def test_missing_required_column_is_one_problem(tiny: Path, table: str, column: str, zh: str) -> None:
    drop_column(tiny, table, column)
    assert problems_of(tiny) == [f"{table}.csv:1:{zh}: 缺少必需列：{zh}（{column}）"]


def test_missing_required_column_with_chinese_headers(tiny_zh: Path) -> None:
    drop_column(tiny_zh, "resources", "数量")
    assert problems_of(tiny_zh) == ["资源清单.csv:1:数量: 缺少必需列：数量（capacity）"]


def test_empty_required_cell(tiny: Path) -> None:
    set_cell(tiny, "needs", 3, "title", "")
    set_cell(tiny, "grids", 4, "community", "")
    assert problems_of(tiny) == ["grids.csv:4:community: 必填项为空：所属社区",
                                 "needs.csv:3:title: 必填项为空：需求名称"]


def test_unknown_reference(tiny: Path) -> None:
    set_cell(tiny, "grids", 3, "community", "不存在社区")
    assert problems_of(tiny) == ["grids.csv:3:community: 引用不存在：'不存在社区' 不是任何社区的编号或名称"]


def test_unknown_reference_inside_a_list_cell(tiny: Path) -> None:
    set_cell(tiny, "party_orgs", 7, "responsible_for", "G1；G9、G2")
    assert problems_of(tiny) == [
        "party_orgs.csv:7:responsible_for: 引用不存在：'G9' 不是任何区或街道或社区或网格或小区的编号或名称"]


def test_ambiguous_name_names_both_rows(tiny: Path) -> None:
    set_cell(tiny, "grids", 4, "name", "春晖一网格")  # G3 now has G1's name
    set_cell(tiny, "needs", 2, "raised_at", "春晖一网格")
    assert problems_of(tiny) == [
        "needs.csv:2:raised_at: 名称 '春晖一网格' 有歧义，可指：G1（grids.csv 第 2 行）、"
        "G3（grids.csv 第 4 行）；请改用编号"]


def test_ambiguous_name_across_tables(tiny_zh: Path) -> None:
    """A need may be raised at a grid or a community: a name both carry is ambiguous."""
    set_cell(tiny_zh, "网格", 6, "名称", "桥东社区")  # grid G5 named like community C3
    assert problems_of(tiny_zh) == [
        "需求清单.csv:3:提出网格或社区: 名称 '桥东社区' 有歧义，可指：G5（网格.csv 第 6 行）、"
        "C3（社区.csv 第 4 行）；请改用编号"]


def test_ambiguous_id_across_labels(tiny: Path) -> None:
    add_row(tiny, "party_orgs", {"id": "X1", "name": "某支部", "level": "网格党支部", "parent": "CC1"})
    add_row(tiny, "party_orgs", {"id": "X1", "name": "某小组", "level": "网格党小组", "parent": "CC1"})
    row = add_row(tiny, "party_orgs", {"id": "X2", "name": "某中心户", "level": "党员中心户",
                                       "parent": "X1"})
    assert problems_of(tiny) == [
        f"party_orgs.csv:{row}:parent: 编号 'X1' 有歧义，可指：网格党支部 X1、党小组 X1"]


def test_duplicate_id(tiny: Path) -> None:
    row = add_row(tiny, "units", {"id": "U1", "name": "重复单位"})
    assert row == 6
    assert problems_of(tiny) == ["units.csv:6:id: 编号重复：U1（已见于 units.csv 第 2 行）"]


BAD_CELLS = [
    ("resources", 3, "capacity", "五", "不是整数：'五'"),
    ("resources", 4, "capacity", "2.5", "不是整数：'2.5'"),
    ("resources", 5, "capacity", "-3", "不能为负数：'-3'"),
    ("needs", 2, "quantity", "x1", "不是整数：'x1'"),
    ("property", 3, "members", "五人", "不是整数：'五人'"),
    ("grids", 2, "lat", "北纬39", "不是数字：'北纬39'"),
    ("needs", 2, "raised_on", "2024-02-30", "日期不存在：'2024-02-30'"),
    ("needs", 3, "raised_on", "昨天", "日期格式不对（应为 YYYY-MM-DD）：'昨天'"),
    ("agreements", 2, "signed_on", "2024-3", "日期格式不对（应为 YYYY-MM-DD）：'2024-3'"),
    ("units", 2, "department", "maybe", "应为 是/否（Y/N、true/false、1/0）：'maybe'"),
    ("cadres", 4, "party_member", "预备", "应为 是/否（Y/N、true/false、1/0）：'预备'"),
    ("needs", 3, "category", "天气",
     "未知的类别：'天气'，应为 场地设施/志愿服务/医疗健康/法律服务/教育培训/文化体育/就业创业/养老托幼/"
     "物业环境/平安建设/资金物资/便民服务"),
    ("resources", 2, "category", "weather",
     "未知的类别：'weather'，应为 场地设施/志愿服务/医疗健康/法律服务/教育培训/文化体育/就业创业/养老托幼/"
     "物业环境/平安建设/资金物资/便民服务"),
    ("needs", 3, "status", "完成", "未知的状态：'完成'，应为 待接单/已接单/已派单/已办结/已吹哨"),
    ("needs", 2, "urgency", "特急", "未知的紧急程度：'特急'，应为 一般/较急/紧急"),
    ("needs", 2, "scope", "全区", "未知的范围：'全区'，应为 网格/社区/街道"),
    ("streets", 2, "kind", "村", "未知的类型：'村'，应为 街道/镇/乡"),
    ("units", 3, "kind", "部队", "未知的单位类型：'部队'，应为 机关/事业单位/企业/学校/医院/社会组织"),
    ("stations", 2, "kind", "加油站", "未知的类型：'加油站'，应为 暖新驿站/司机之家/党群服务中心"),
    ("property", 2, "kind", "业主大会", "未知的类型：'业主大会'，应为 居委会/业委会/物业公司"),
    ("party_orgs", 10, "level", "党委会",
     "未知的层级：'党委会'，应为 区委/街道党工委/社区党委/网格党支部/网格党小组/院落党小组/党小组/党员中心户"),
]


@pytest.mark.parametrize(("table", "row", "column", "value", "message"), BAD_CELLS,
                         ids=[f"{t}-{r}-{c}" for t, r, c, _, _ in BAD_CELLS])
def test_bad_cell(tiny: Path, table: str, row: int, column: str, value: str, message: str) -> None:
    set_cell(tiny, table, row, column, value)
    assert problems_of(tiny) == [f"{table}.csv:{row}:{column}: {message}"]


def test_unknown_level_row_does_not_cascade(tiny: Path) -> None:
    """A party organisation with an unknown level is reported once, not at every reference."""
    set_cell(tiny, "party_orgs", 3, "level", "街道党委")  # WC1, referred to by CC1 and memberships
    assert problems_of(tiny) == [
        "party_orgs.csv:3:level: 未知的层级：'街道党委'，应为 区委/街道党工委/社区党委/网格党支部/网格党小组/"
        "院落党小组/党小组/党员中心户"]


def test_duplicate_header(tiny: Path) -> None:
    rename_header(tiny, "grids", "lat", "名称")
    assert problems_of(tiny) == ["grids.csv:1:名称: 列重复：与第 2 列同为 name"]


def test_same_table_twice(tiny: Path) -> None:
    write_csv(tiny / "网格.csv", grid_of("grids", TINY["grids"], "zh"))
    assert problems_of(tiny) == ["网格.csv:1:-: 表 grids 重复：grids.csv 中已有该表"]


def test_empty_file(tiny: Path) -> None:
    (tiny / "stations.csv").write_bytes(b"")
    assert problems_of(tiny) == ["stations.csv:1:-: 表格为空，缺少表头"]


def test_undecodable_csv(tiny: Path) -> None:
    (tiny / "stations.csv").write_bytes(b"id,name\r\n\xff\xfe\xff,x\r\n")
    assert problems_of(tiny) == ["stations.csv:2:-: 无法识别文件编码：既不是 UTF-8，也不像 GB18030 中文文本"
                                 "（第 2 行出现无法解读的字节 0xFF）"]


def test_unreadable_required_table_is_one_problem(tiny: Path) -> None:
    (tiny / "grids.csv").write_bytes(b"id,name\r\n\xff\xfe\xff,x\r\n")
    assert problems_of(tiny) == ["grids.csv:2:-: 无法识别文件编码：既不是 UTF-8，也不像 GB18030 中文文本"
                                 "（第 2 行出现无法解读的字节 0xFF）"]


def test_old_excel_files_are_reported_not_ignored(tiny: Path) -> None:
    (tiny / "needs.csv").unlink()
    (tiny / "需求清单.xls").write_bytes(b"\xd0\xcf\x11\xe0")  # an old binary workbook
    assert problems_of(tiny) == ["需求清单.xls:1:-: 不支持 .xls 文件：请另存为 .xlsx 或 .csv"]


def test_broken_workbook(tiny: Path) -> None:
    (tiny / "stations.csv").unlink()
    (tiny / "stations.xlsx").write_bytes(b"not a zip file")
    lines = problems_of(tiny)
    assert len(lines) == 1 and lines[0].startswith("stations.xlsx:1:-: 无法打开工作簿：")


def test_missing_directory(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}:0:-: 数据目录不存在"]


def test_problems_in_a_gb18030_file_name_the_chinese_header(tiny_zh: Path) -> None:
    set_cell(tiny_zh, "资源清单", 3, "数量", "五个")
    path = tiny_zh / "资源清单.csv"
    path.write_bytes(path.read_bytes().decode("utf-8").encode("gb18030"))
    assert problems_of(tiny_zh) == ["资源清单.csv:3:数量: 不是整数：'五个'"]


def test_problems_in_a_workbook_name_file_sheet_row_and_column(tmp_path: Path) -> None:
    tables = {k: [dict(r) for r in v] for k, v in TINY.items()}
    tables["resources"][1]["capacity"] = "很多"  # R2: sheet row 3
    tables["needs"][3]["raised_at"] = "无此网格"  # N4: sheet row 5
    d = tmp_path / "wb"
    write_tiny_workbook(d / "清单.xlsx", lang="zh", tables=tables)
    assert problems_of(d) == [
        "清单.xlsx[资源清单]:3:数量: 不是整数：'很多'",
        "清单.xlsx[需求清单]:5:提出网格或社区: 引用不存在：'无此网格' 不是任何网格或社区的编号或名称",
    ]


def test_problems_in_a_single_table_xlsx(tiny: Path) -> None:
    (tiny / "needs.csv").unlink()
    grid = grid_of("needs", TINY["needs"])
    grid[2][2] = "天气"  # N2 category
    grid[4][6] = "2024-13-01"  # N4 raised_on
    write_xlsx_table(tiny / "needs.xlsx", grid)
    assert problems_of(tiny) == [
        "needs.xlsx:3:category: 未知的类别：'天气'，应为 场地设施/志愿服务/医疗健康/法律服务/教育培训/文化体育/"
        "就业创业/养老托幼/物业环境/平安建设/资金物资/便民服务",
        "needs.xlsx:5:raised_on: 日期不存在：'2024-13-01'",
    ]


def test_every_problem_is_reported_at_once(tiny: Path) -> None:
    """Eleven breaks in seven files: all eleven come back in one error, in table order."""
    remove_table(tiny, "grids")  # required table gone (references to grids are not repeated)
    drop_column(tiny, "stations", "kind")
    set_cell(tiny, "streets", 3, "kind", "村")
    set_cell(tiny, "communities", 4, "street", "北街街道")
    set_cell(tiny, "units", 2, "department", "maybe")
    dup = add_row(tiny, "units", {"id": "U2", "name": "又一个医院"})
    set_cell(tiny, "resources", 3, "capacity", "五")
    set_cell(tiny, "resources", 4, "category", "天气")
    set_cell(tiny, "needs", 2, "raised_on", "2024-02-30")
    set_cell(tiny, "needs", 4, "handled_by", "K9")
    set_cell(tiny, "cadres", 3, "party_member", "maybe")
    cats = "场地设施/志愿服务/医疗健康/法律服务/教育培训/文化体育/就业创业/养老托幼/物业环境/平安建设/资金物资/便民服务"
    assert problems_of(tiny) == [
        "grids.csv:0:-: 缺少必需的表：grids（网格），应为 grids.csv 或 .xlsx",
        "streets.csv:3:kind: 未知的类型：'村'，应为 街道/镇/乡",
        "communities.csv:4:street: 引用不存在：'北街街道' 不是任何街道的编号或名称",
        "units.csv:2:department: 应为 是/否（Y/N、true/false、1/0）：'maybe'",
        f"units.csv:{dup}:id: 编号重复：U2（已见于 units.csv 第 3 行）",
        "resources.csv:3:capacity: 不是整数：'五'",
        f"resources.csv:4:category: 未知的类别：'天气'，应为 {cats}",
        "cadres.csv:3:party_member: 应为 是/否（Y/N、true/false、1/0）：'maybe'",
        "needs.csv:2:raised_on: 日期不存在：'2024-02-30'",
        "needs.csv:4:handled_by: 引用不存在：'K9' 不是任何报到干部的编号或名称",
        "stations.csv:1:类型: 缺少必需列：类型（kind）",
    ]


def test_community_committee_leads_the_four_in_one_bodies_of_its_community() -> None:
    """四位一体: every residents' committee, owners' committee and property company of a
    community with a 社区党委 is led by it (derived from 所在社区)."""
    from orglink.data import HUINONG
    from orglink.loaders.build import validate_dataset

    batch = validate_dataset(HUINONG).batch
    responsible = {(r.src_id, r.dst_id) for r in batch.rels
                   if r.type == "RESPONSIBLE_FOR" and r.src_label == "CommunityCommittee"}
    leads = {(r.src_id, r.dst_label, r.dst_id) for r in batch.rels
             if r.type == "LEADS" and r.src_label == "CommunityCommittee"}
    bodies = [(r.src_label, r.src_id, r.dst_id) for r in batch.rels
              if r.type == "LOCATED_IN" and r.src_label in ("ResidentsCommittee", "OwnersCommittee",
                                                            "PropertyCompany")]
    assert len(bodies) == 58
    for label, body, community in bodies:
        expected = {cc for cc, c in responsible if c == community}
        got = {cc for cc, lab, b in leads if (lab, b) == (label, body)}
        assert got == expected and got, (label, body)


@pytest.mark.parametrize(("word", "stored"), [("点单", "ordered"), ("接单", "accepted"), ("派单", "dispatched"),
                                              ("办结", "done"), ("吹哨", "escalated"), ("已接单", "accepted")])
def test_status_in_the_documents_own_words(tmp_path: Path, word: str, stored: str) -> None:
    """居民点单—网格接单—党组织派单, 街道吹哨: a 状态 column in those words loads (issue 10)."""
    rows = [dict(r) for r in TINY["needs"]]
    rows[0]["status"] = word
    built = validate_dataset(write_tiny(tmp_path / "tiny", tables={**TINY, "needs": rows}))
    [need] = [n for n in built.batch.nodes if n.label == "Need" and n.id == rows[0]["id"]]
    assert need.props["status"] == stored


def _with_title_rows(directory: Path, table: str, *titles: str) -> Path:
    path = directory / f"{table}.csv"
    grid = read_csv(path)
    write_csv(path, [[t] for t in titles] + [[""]] + grid)
    return path


def test_title_rows_above_the_header_are_skipped_and_reported(tmp_path: Path) -> None:
    """惠农区社区名单（2024年） / 填报单位：… above the header, as office sheets have them."""
    lists = write_tiny(tmp_path / "tiny")
    _with_title_rows(lists, "communities", "惠农区社区名单（2024年）", "填报单位：区委组织部")
    plain = validate_dataset(write_tiny(tmp_path / "plain"))
    built = validate_dataset(lists)
    assert built.batch == plain.batch and built.rows == plain.rows
    assert built.notes == ["communities.csv 第 1 行在表头上方，作为标题跳过：惠农区社区名单（2024年）",
                           "communities.csv 第 2 行在表头上方，作为标题跳过：填报单位：区委组织部"]


def test_errors_below_a_title_block_keep_their_spreadsheet_rows(tmp_path: Path) -> None:
    lists = write_tiny(tmp_path / "tiny")
    set_cell(lists, "needs", 3, "category", "天气")  # data row 2 (spreadsheet row 3)
    _with_title_rows(lists, "needs", "惠农区治理需求清单", "填报单位：各社区")  # 3 rows above: now row 6
    with pytest.raises(LoadError) as info:
        validate_dataset(lists)
    [p] = info.value.problems
    assert (p.file, p.row, p.column) == ("needs.csv", 6, "category")


def test_a_header_missing_a_column_below_a_title_is_reported_on_the_header_row(tmp_path: Path) -> None:
    lists = write_tiny(tmp_path / "tiny")
    drop_column(lists, "needs", "title")
    _with_title_rows(lists, "needs", "惠农区治理需求清单")
    with pytest.raises(LoadError) as info:
        validate_dataset(lists)
    [p] = info.value.problems
    assert (p.file, p.row) == ("needs.csv", 3) and "缺少必需列：需求名称" in p.message


def test_title_rows_in_a_workbook_sheet(tmp_path: Path) -> None:
    grid: list[list[object]] = [["惠农区社区名单（2024年）"], ["填报单位：区委组织部"]]
    grid += grid_of("communities", TINY["communities"])
    directory = write_tiny(tmp_path / "tiny", tables={k: v for k, v in TINY.items() if k != "communities"})
    write_xlsx_table(directory / "communities.xlsx", grid, sheet="communities")
    built = validate_dataset(directory)
    assert built.rows["communities"] == len(TINY["communities"])
    assert [n.split("：", 1)[0] for n in built.notes] == [
        "communities.xlsx 第 1 行在表头上方，作为标题跳过", "communities.xlsx 第 2 行在表头上方，作为标题跳过"]


def test_without_a_district_table_the_streets_name_the_district(tmp_path: Path) -> None:
    """DATASET.md has no district table: 所属区 naming the district creates it (issue 10)."""
    tables = {k: [{c: "惠农区" if v in ("D1", "测试区") else v for c, v in r.items()} for r in rows]
              for k, rows in TINY.items() if k != "district"}
    built = validate_dataset(write_tiny(tmp_path / "tiny", tables=tables))
    [district] = [n for n in built.batch.nodes if n.label == "District"]
    assert (district.id, district.props["name"]) == ("惠农区", "惠农区")
    assert sorted(r.src_id for r in built.batch.rels if r.type == "IN" and r.dst_label == "District") == ["S1", "S2"]
    assert built.notes == ["没有区表：由 streets.csv 的所属区建立区「惠农区」（编号同名称）"]


def test_without_a_district_table_two_district_names_are_one_problem(tmp_path: Path) -> None:
    streets = [dict(TINY["streets"][0], district="惠农区"), dict(TINY["streets"][1], district="大武口区")]
    tables = {k: v for k, v in TINY.items() if k != "district"} | {"streets": streets}
    with pytest.raises(LoadError) as info:
        validate_dataset(write_tiny(tmp_path / "tiny", tables=tables))
    assert ("streets.csv:3:district: 没有区表时所属区只能是一个区：第 2 行为「惠农区」，第 3 行为「大武口区」"
            in [str(p) for p in info.value.problems])
