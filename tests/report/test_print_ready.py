"""Reports a planner can hand upward (issue 14, part 5): title block, print setup, print CSS.

Every sheet: a merged bold title row naming the district, plan, data as of, generated at and
issuing office above the header row (both repeated on each printed page); A4 landscape fit
to the page width; narrow margins; page numbers in the footer; long text (the path) wrapped
in a bounded column. The page: print rules and the CJK font list.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from orglink.cli import app, import_commands
from orglink.graph.store import Store
from orglink.loaders.build import load_dataset
from orglink.report import write_report
from orglink.report.meta import UNKNOWN_AS_OF, load_time
from tests.datasets import write_tiny
from tests.report.test_report import HAND_PATHS, hand_plan, small_tables

import_commands()
runner = CliRunner()

NOW = dt.datetime(2025, 3, 1, 1, 30, tzinfo=dt.UTC)  # 09:30 in China
FONTS = ("'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Micro Hei','WenQuanYi Zen Hei',"
         "'Microsoft YaHei','PingFang SC','Hiragino Sans GB','SimSun',sans-serif")


@pytest.fixture
def small_store(store: Store, tmp_path: Path) -> Store:
    """The ``store`` fixture (each backend) with the small dataset loaded."""
    load_dataset(write_tiny(tmp_path / "small", tables=small_tables()), store)
    return store


@pytest.fixture
def files(small_store: Store, tmp_path: Path):
    return write_report(small_store, hand_plan(), tmp_path / "out", paths=HAND_PATHS, now=NOW, office="某某区委组织部")


def test_every_sheet_prints_on_a4_landscape_fit_to_width(files) -> None:
    wb = openpyxl.load_workbook(files.xlsx)
    assert len(wb.sheetnames) == 5
    for ws in wb:
        ps = ws.page_setup
        assert (ps.orientation, str(ps.paperSize), ps.fitToWidth, ps.fitToHeight) == ("landscape", "9", 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows == "$1:$2", ws.title  # title and header on every page
        assert max(ws.page_margins.left, ws.page_margins.right) <= 0.3
        assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"
        assert ws.freeze_panes == "A3"
        if ws.max_row > 2 and ws.title != "汇总":
            assert ws.auto_filter.ref.startswith("A2:")


def test_every_sheet_has_a_title_row_above_the_header(files, small_store: Store) -> None:
    wb = openpyxl.load_workbook(files.xlsx)
    for ws in wb:
        title = ws["A1"].value
        assert title.startswith(f"测试区 需求与资源配对报告 · {ws.title}\n"), title
        for part in ("配对方案：hand-1", "出具单位：某某区委组织部", "生成时间：2025-03-01 09:30（北京时间）"):
            assert part in title, (ws.title, part)
        assert re.search(r"数据截至：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（最近一次导入清单）", title), title
        assert ws["A1"].font.bold and ws["A1"].alignment.wrap_text
        assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{ws.cell(row=2, column=ws.max_column).column_letter}1"]
        assert ws["A2"].value in ("街道", "需求编号", "单位编号", "类别") and ws["A2"].font.bold


def test_the_path_column_wraps_in_a_bounded_width(files) -> None:
    ws = openpyxl.load_workbook(files.xlsx)["配对明细"]
    heads = [c.value for c in ws[2]]
    col = ws.cell(row=2, column=heads.index("路径") + 1).column_letter
    assert 30 <= ws.column_dimensions[col].width <= 50
    paths = [ws[f"{col}{i}"] for i in range(3, ws.max_row + 1)]
    assert paths and all(c.alignment.wrap_text for c in paths)
    total = sum(ws.column_dimensions[ws.cell(row=2, column=j).column_letter].width for j in range(1, len(heads) + 1))
    assert total <= 230  # fits an A4 landscape page at a readable scale


def test_a_long_path_gets_a_taller_row(small_store: Store, tmp_path: Path) -> None:
    from orglink.matching.types import PathStep

    long = [PathStep(id=f"X{i}", label="Community", name="很长很长的社区名称" * 2, rel="IN", forward=True)
            for i in range(4)] + [PathStep(id="U4", label="Unit", name="惠农中学")]
    files = write_report(small_store, hand_plan(), tmp_path, paths={**HAND_PATHS, ("N6", "R3"): long}, now=NOW)
    ws = openpyxl.load_workbook(files.xlsx)["配对明细"]
    row = next(i for i in range(3, ws.max_row + 1) if ws[f"A{i}"].value == "N6")
    assert ws.row_dimensions[row].height >= 45  # three lines or more


def test_html_prints_whole_with_its_title_block(files) -> None:
    page = files.html.read_text(encoding="utf-8")
    css = page[page.index("<style>"):page.index("</style>")]
    assert "@page{size:A4 landscape" in css and "@media print{" in css
    printing = css[css.index("@media print{"):]
    for rule in ("thead{display:table-header-group}", "nav{display:none}", "overflow:visible;max-height:none",
                 "tr{break-inside:avoid"):
        assert rule in printing, rule
    assert f"font-family:{FONTS}" in css
    assert "<h1>测试区 需求与资源配对报告</h1>" in page and "<title>测试区 需求与资源配对报告</title>" in page
    for part in ("配对方案：hand-1", "出具单位：某某区委组织部", "生成时间：2025-03-01 09:30（北京时间）", "数据截至："):
        assert part in page, part


def test_orglink_office_changes_the_office_shown(tmp_path: Path) -> None:
    data = write_tiny(tmp_path / "small", tables=small_tables())
    out = tmp_path / "out"
    env = {"ORGLINK_BACKEND": "embedded", "ORGLINK_OFFICE": "石嘴山市委组织部"}
    r = runner.invoke(app, ["load", str(data), "--store", str(tmp_path / "s")], env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["report", "--out", str(out), "--store", str(tmp_path / "s")], env=env)
    assert r.exit_code == 0, r.output
    assert "出具单位：石嘴山市委组织部" in openpyxl.load_workbook(out / "pairing-report.xlsx")["汇总"]["A1"].value
    assert "出具单位：石嘴山市委组织部" in (out / "pairing-report.html").read_text(encoding="utf-8")
    r = runner.invoke(app, ["report", "--out", str(out), "--store", str(tmp_path / "s")],
                      env={"ORGLINK_BACKEND": "embedded", "ORGLINK_OFFICE": ""})
    assert "出具单位：区委组织部" in (out / "pairing-report.html").read_text(encoding="utf-8")  # the default


def test_load_time_of_a_load_id() -> None:
    assert load_time("load-20261202T180822-1c01f1") == "2026-12-02 18:08"
    assert load_time("something else") is None and load_time(None) is None
    assert UNKNOWN_AS_OF.startswith("未知")
