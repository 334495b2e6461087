"""Hostile text already in a store cannot break or poison the report (issue 12).

Needs titled like formulas (``=HYPERLINK(...)``, ``+1``, ``-2``, ``@SUM(A1)``, a leading tab or
carriage return), with control characters inside, or with markup, are written straight into
the store (bypassing the API and the lifecycle, which now refuse some of them), planned and
reported: the workbook holds no formula and no control character, the hostile strings come
out as text starting with ``'``, numbers stay numbers, and the page escapes and strips them.
"""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from orglink import queries
from orglink.cli import app, import_commands
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store
from orglink.loaders.build import load_dataset
from orglink.matching.plan import run_plan
from orglink.report import HTML_NAME, XLSX_NAME, write_report
from orglink.report.cells import clean_text, safe_cell
from orglink.report.columns import sheets
from tests.datasets import TINY, write_tiny

import_commands()
runner = CliRunner()

FORMULAS = ['=HYPERLINK("http://x","点我")', "=1+1", "+1", "-2", "@SUM(A1)", "\tX", "\rY"]
"""Need titles a spreadsheet would run (or mangle) if written as they are."""
CONTROLS = "铃\x07声\x1b测试\x7f完\x85毕"
"""A title with control characters inside: BEL and ESC (openpyxl refuses them), DEL and NEL."""
MARKUP = "<script>alert(1)</script>"
ALLOWED_CONTROLS = "\t\n\r"


def odd_characters(text: str) -> list[str]:
    """The control characters in ``text`` but tab and line breaks (which a cell may hold),
    and lone surrogates."""
    return [ch for ch in text if (unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS)
            or unicodedata.category(ch) == "Cs"]


def hostile_tables() -> dict[str, list[dict[str, str]]]:
    """The tiny district with a unit and a resource named like formulas (the loader takes them)."""
    tables = copy.deepcopy(TINY)
    tables["units"].append({"id": "U9", "name": "=2+3", "kind": "医院", "department": "否", "resident": "是",
                            "street": "S1", "lat": "", "lon": ""})
    tables["agreements"].append({"id": "A9", "unit": "U9", "community": "C1", "signed_on": "2024-03-01"})
    tables["resources"].append({"id": "R9", "unit": "U9", "title": "@SUM(A1)", "category": "医疗健康",
                                "capacity": "3", "measure": "次", "keywords": ""})
    return tables


def add_hostile_needs(store: Store) -> list[str]:
    """Write needs with the hostile titles straight into ``store``; their titles, in order."""
    titles = [*FORMULAS, CONTROLS, MARKUP]
    for i, title in enumerate(titles):
        props = {"title": title, "category": "医疗健康", "quantity": 1, "raised_on": "2025-03-01",
                 "status": "ordered", "scope": "community", "source": "user"}
        rows = queries.need_create(store, prefix=f"N-20250301-{i}", community="C1", grid="G1",
                                   props=props, history="[]")
        assert rows and not rows[0].get("_conflict"), rows
    return titles


@pytest.fixture
def hostile_store(store: Store, tmp_path: Path) -> Store:
    """The ``store`` fixture (each backend) with the hostile district and hostile needs."""
    load_dataset(write_tiny(tmp_path / "hostile", tables=hostile_tables()), store)
    add_hostile_needs(store)
    return store


def every_cell(path: Path) -> list[tuple[str, Any]]:
    """(sheet, cell) for every cell of the workbook."""
    wb = openpyxl.load_workbook(path)
    return [(ws.title, cell) for ws in wb for row in ws.iter_rows() for cell in row]


def as_read_back(text: str) -> str:
    """``text`` as a workbook gives it back: XML turns a carriage return into a line feed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- the one cell rule -------------------------------------------------------------------------
@pytest.mark.parametrize("title", FORMULAS)
def test_a_formula_like_text_becomes_quoted_text(title: str) -> None:
    assert safe_cell(title) == "'" + title


def test_cell_rule_keeps_numbers_and_plain_text() -> None:
    assert safe_cell(-2) == -2 and isinstance(safe_cell(-2), int)
    assert safe_cell(-2.5) == -2.5 and safe_cell(0) == 0 and safe_cell(None) is None
    assert safe_cell("社区义诊") == "社区义诊" and safe_cell("a=1") == "a=1" and safe_cell("") == ""
    assert safe_cell("第一步\n第二步\t完") == "第一步\n第二步\t完"


def test_cell_rule_strips_control_characters_before_looking_for_a_formula() -> None:
    assert safe_cell(CONTROLS) == "铃声测试完毕"
    assert safe_cell("\x07=1+1") == "'=1+1"  # a BEL in front does not smuggle the formula through
    assert safe_cell("\ud800标题\ufffe") == "标题"
    assert clean_text("a\x00b\x1fc\x9fd") == "abcd"


# -- the report ----------------------------------------------------------------------------------
def test_report_of_hostile_titles_has_no_formula_and_no_control_character(hostile_store: Store,
                                                                          tmp_path: Path) -> None:
    plan = run_plan(hostile_store, write=False)
    files = write_report(hostile_store, plan, tmp_path / "out")
    cells = every_cell(files.xlsx)
    assert cells
    formulas = [(sheet, c.coordinate, c.value) for sheet, c in cells if c.data_type == "f"]
    assert formulas == []
    odd = [(sheet, c.coordinate, c.value) for sheet, c in cells
           if isinstance(c.value, str) and odd_characters(c.value)]
    assert odd == []
    texts = {c.value for _, c in cells if isinstance(c.value, str)}
    for title in [*FORMULAS, "=2+3", "@SUM(A1)"]:  # need titles, the unit's name, the resource's title
        assert as_read_back("'" + title) in texts, title
        assert as_read_back(title) not in texts, title
    assert "铃声测试完毕" in texts and not any("\x07" in t or "\x1b" in t for t in texts)
    assert MARKUP in texts  # the workbook shows markup as it is

    # numbers stay numbers: every figure column holds numbers only
    wb = openpyxl.load_workbook(files.xlsx)
    numeric = 0
    for sheet in sheets(files.data):
        ws = wb[sheet.name]
        for j, col in enumerate(sheet.columns, start=1):
            if col.kind == "text":
                continue
            for i in range(3, ws.max_row + 1):  # row 1: the title, row 2: the headings
                c = ws.cell(row=i, column=j)
                if c.value is not None:
                    assert c.data_type == "n" and isinstance(c.value, int | float), (sheet.name, c.coordinate)
                    numeric += 1
    assert numeric > 20


def test_html_report_of_hostile_titles_is_escaped_and_clean(hostile_store: Store, tmp_path: Path) -> None:
    plan = run_plan(hostile_store, write=False)
    files = write_report(hostile_store, plan, tmp_path / "out")
    page = files.html.read_text(encoding="utf-8")
    assert odd_characters(page) == []
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "铃声测试完毕" in page
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;点我&quot;)" in page  # shown as text, escaped


def test_report_command_on_a_store_holding_hostile_titles(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store = EmbeddedStore(store_dir)
    load_dataset(write_tiny(tmp_path / "hostile", tables=hostile_tables()), store)
    add_hostile_needs(store)
    store.close()
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", "--out", str(out), "--store", str(store_dir)],
                           env={"ORGLINK_BACKEND": "embedded"})
    assert result.exit_code == 0, result.output
    cells = every_cell(out / XLSX_NAME)
    assert [c.coordinate for _, c in cells if c.data_type == "f"] == []
    assert not [c.value for _, c in cells if isinstance(c.value, str) and odd_characters(c.value)]
    assert odd_characters((out / HTML_NAME).read_text(encoding="utf-8")) == []
