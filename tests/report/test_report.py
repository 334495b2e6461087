"""The pairing report: its named queries, the workbook and page it writes, and ``orglink run``.

Figures are checked two ways: against numbers worked out by hand for a plan written by hand
over a small dataset (the tiny district plus six open needs), and, for plans the real planner
makes (small dataset and bundled Huinong data), against the sums that must agree whatever the
plan is (met + unmet = open needs, communities add up to their street, streets to the total,
no unit loaded beyond its capacity) and against the PlanResult itself.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from orglink import queries
from orglink.cli import app, import_commands
from orglink.clock import CHINA_TZ
from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import GraphBatch, NodeRec, NotFound, RelRec, Store
from orglink.loaders.build import load_dataset
from orglink.matching.plan import run_plan
from orglink.matching.types import Assignment, PathStep, PlanResult, Unmet, Whistle
from orglink.pipeline import run_main_job
from orglink.report import HTML_NAME, XLSX_NAME, ReportError, ReportFiles, build_report, write_report
from orglink.report.page import render
from orglink.report.stored import OUTDATED, stored_plan
from tests.datasets import TINY, write_tiny

import_commands()
runner = CliRunner()

SHEETS = ["汇总", "配对明细", "未满足需求", "单位负荷", "供需缺口"]
EVIL = '<script>alert("x")</script> & 篮球'

# -- the small dataset ---------------------------------------------------------------------
EXTRA_NEEDS = [
    # 15 wanted in 春晖社区: 区第一医院 (co-builds, 10) and 区卫生健康局 (cadre reports, 3) give 13
    {"id": "N5", "title": "社区义诊", "category": "医疗健康", "quantity": "15", "raised_at": "C1",
     "urgency": "一般", "raised_on": "2024-06-05", "status": "ordered", "scope": "社区"},
    {"id": "N6", "title": "篮球场地开放", "category": "场地设施", "quantity": "1", "raised_at": "G3",
     "urgency": "一般", "raised_on": "2024-06-06", "status": "accepted", "scope": "社区"},
    # nobody offers 文化体育; its title must come out escaped in the HTML
    {"id": "N7", "title": EVIL, "category": "文化体育", "quantity": "2", "raised_at": "C2",
     "urgency": "紧急", "raised_on": "2024-06-07", "status": "ordered", "scope": "社区"},
    {"id": "N8", "title": "物业纠纷咨询", "category": "法律服务", "quantity": "3", "raised_at": "G5",
     "urgency": "较急", "raised_on": "2024-06-08", "status": "ordered", "scope": "社区"},
]


def small_tables() -> dict[str, list[dict[str, str]]]:
    """The tiny district with four more open needs (six open in all)."""
    tables = copy.deepcopy(TINY)
    tables["needs"] += [dict(n, handled_by="", report="") for n in EXTRA_NEEDS]
    return tables


@pytest.fixture
def small_dir(tmp_path: Path) -> Path:
    """The small dataset as CSV files."""
    return write_tiny(tmp_path / "small", tables=small_tables())


@pytest.fixture
def small_store(store: Store, small_dir: Path) -> Store:
    """The ``store`` fixture (each backend) with the small dataset loaded."""
    load_dataset(small_dir, store)
    return store


def step(id_: str, label: str, name: str, rel: str | None = None, forward: bool | None = None) -> PathStep:
    return PathStep(id=id_, label=label, name=name, rel=rel, forward=forward)


def hand_plan() -> PlanResult:
    """A plan written by hand over the small dataset (what the figures below are worked from)."""
    return PlanResult(
        plan_id="hand-1",
        assignments=[
            Assignment(need_id="N2", resource_id="R2", unit_id="U3", quantity=1, hops=1),
            Assignment(need_id="N5", resource_id="R1", unit_id="U2", quantity=10, hops=1),
            Assignment(need_id="N5", resource_id="R4", unit_id="U1", quantity=3, hops=2),
            Assignment(need_id="N6", resource_id="R3", unit_id="U4", quantity=1, hops=2),
            Assignment(need_id="N8", resource_id="R2", unit_id="U3", quantity=3, hops=2),
        ],
        unmet=[
            Unmet(need_id="N1", reason="范围内没有可用资源", reason_code="out_of_scope", quantity=4,
                  whistle=[Whistle(unit_id="U4", unit_name="惠农中学", resource_id="R3", spare=2),
                           Whistle(unit_id="U1", unit_name=None, resource_id="R4", spare=1),
                           Whistle(unit_id="U4", unit_name="惠农中学", resource_id="R9", spare=3)]),
            Unmet(need_id="N5", reason="容量已用尽", reason_code="shortage", quantity=2,
                  demand=15, supply=13, shortfall=2),
            Unmet(need_id="N7", reason="全区没有提供相符资源的单位", reason_code="no_resource", quantity=2),
        ],
    )


HAND_PATHS = {
    ("N6", "R3"): [step("G3", "Grid", "星火一网格", "IN", True),
                   step("C2", "Community", "星火社区", "CO_BUILDS", False),
                   step("U4", "Unit", "惠农中学")],
    ("N5", "R4"): [step("C1", "Community", "春晖社区", "REPORTS_TO", False),
                   step("K1", "Cadre", "张*", "WORKS_AT", True),
                   step("U1", "Unit", "区卫生健康局")],
}

# (street, community, open, met, unmet, partial, quantity, met quantity, unmet quantity), by hand
HAND_SUMMARY = [
    ("南街街道", "春晖社区", 2, 0, 2, 1, 19, 13, 6),  # N1 (4, none), N5 (15, 13 met)
    ("南街街道", "星火社区", 2, 1, 1, 0, 3, 1, 2),  # N6 (1, met), N7 (2, none)
    ("南街街道", "小计", 4, 1, 3, 1, 22, 14, 8),
    ("园艺镇", "桥东社区", 2, 2, 0, 0, 4, 4, 0),  # N2 (1), N8 (3)
    ("园艺镇", "小计", 2, 2, 0, 0, 4, 4, 0),
    ("合计", None, 6, 3, 3, 1, 26, 18, 8),
]
# (unit id, resources, capacity, dispatched, assigned, remaining, share), busiest first
HAND_LOAD = [
    ("U2", 1, 10, 0, 10, 0, 1.0),
    ("U1", 1, 3, 0, 3, 0, 1.0),
    ("U3", 1, 5, 0, 4, 1, 0.8),
    ("U4", 1, 2, 0, 1, 1, 0.5),
]


# -- reading the files back ----------------------------------------------------------------
def sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    """The rows of one sheet as dicts keyed by the Chinese headings (row 2; row 1 is the title)."""
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[1], r)) for r in rows[2:]]


def all_values(path: Path) -> dict[str, list[tuple]]:
    """Every cell value of every sheet but the title row (it names the time it was generated)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(min_row=2, values_only=True)) for ws in wb}


class Page(HTMLParser):
    """Collects what the checks need: tags seen, svg classes, text per svg and overall."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.svgs: dict[str, list[str]] = {}
        self.texts: list[str] = []
        self._svg: str | None = None
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "svg":
            self._svg = dict(attrs).get("class") or ""
            self.svgs[self._svg] = []
        if tag not in ("meta", "rect", "line", "path", "br"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg = None
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._svg is not None:
            self.svgs[self._svg].append(data)


def parse_html(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def check_report(xlsx: Path, plan: PlanResult) -> dict[str, Any]:
    """The sums every report must satisfy, and agreement with the plan; returns the total row."""
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == SHEETS
    summary = sheet_rows(xlsx, "汇总")
    assert summary[-1]["街道"] == "合计"
    total = summary[-1]
    for r in summary:
        assert r["已配对（项）"] + r["未满足（项）"] == r["开放需求（项）"], r
        assert r["已配数量"] + r["未配数量"] == r["需求数量"], r
        assert r["其中部分配对（项）"] <= r["未满足（项）"], r
    subtotals = [r for r in summary if r["社区"] == "小计"]
    communities = [r for r in summary if r["社区"] != "小计" and r["街道"] != "合计"]
    keys = ["开放需求（项）", "已配对（项）", "未满足（项）", "其中部分配对（项）", "需求数量", "已配数量", "未配数量"]
    for sub in subtotals:
        mine = [r for r in communities if r["街道"] == sub["街道"]]
        assert mine, sub
        for k in keys:
            assert sum(r[k] for r in mine) == sub[k], (sub["街道"], k)
    for k in keys:
        assert sum(r[k] for r in subtotals) == total[k], k

    # the plan itself, counted independently of the report's code
    plan_needs = {a.need_id for a in plan.assignments} | {u.need_id for u in plan.unmet}
    assert total["开放需求（项）"] == len(plan_needs)
    assert total["已配数量"] == sum(a.quantity for a in plan.assignments)
    assert total["未配数量"] == sum(u.quantity for u in plan.unmet)
    assert total["未满足（项）"] == len({u.need_id for u in plan.unmet})

    details = sheet_rows(xlsx, "配对明细")
    assert len(details) == len(plan.assignments)
    assert sum(r["数量"] for r in details) == total["已配数量"]
    assert sorted((r["需求编号"], r["数量"], r["跳数"]) for r in details) == \
        sorted((a.need_id, a.quantity, a.hops) for a in plan.assignments)

    unmet = sheet_rows(xlsx, "未满足需求")
    assert len(unmet) == total["未满足（项）"]
    assert sum(r["未满足数量"] for r in unmet) == total["未配数量"]
    assert all(r["原因"] for r in unmet)

    load = sheet_rows(xlsx, "单位负荷")
    assert sum(r["本方案配对"] for r in load) == total["已配数量"]
    for r in load:
        assert 0 <= r["本方案配对"] <= r["总容量"], r
        assert r["剩余容量"] == r["总容量"] - r["此前已派单"] - r["本方案配对"]
        if r["总容量"]:
            assert r["本方案使用率"] == pytest.approx(r["本方案配对"] / r["总容量"])
    return total


# -- named queries -------------------------------------------------------------------------
def test_report_needs_gives_place_community_and_street(small_store: Store) -> None:
    rows = queries.report_needs(small_store, need_ids=["N8", "N1", "N2", "N3", "NX", "N6", "N7"])
    got = [(r["need_id"], r["place_id"], r["community_id"], r["community_name"], r["street_name"],
            r["quantity"]) for r in rows]
    assert got == [
        ("N1", "G1", "C1", "春晖社区", "南街街道", 4),
        ("N2", "C3", "C3", "桥东社区", "园艺镇", 1),  # raised at the community itself
        ("N3", "G3", "C2", "星火社区", "南街街道", 1),  # quantity left empty: 1
        ("N6", "G3", "C2", "星火社区", "南街街道", 1),
        ("N7", "C2", "C2", "星火社区", "南街街道", 2),
        ("N8", "G5", "C3", "桥东社区", "园艺镇", 3),
    ]  # NX does not exist: left out
    assert rows[4]["title"] == EVIL
    assert (rows[0]["status"], rows[0]["urgency"], rows[0]["scope"]) == ("ordered", "pressing", "grid")


def test_report_resources_counts_dispatched_quantities(small_store: Store) -> None:
    before = queries.report_resources(small_store)
    assert [(r["unit_id"], r["resource_id"], r["capacity"], r["dispatched"]) for r in before] == [
        ("U1", "R4", 3, 0), ("U2", "R1", 10, 0), ("U3", "R2", 5, 0), ("U4", "R3", 2, 0)]
    assert before[1]["unit_name"] == "区第一医院" and before[1]["measure"] == "次"
    small_store.merge(GraphBatch(rels=[
        RelRec("DISPATCHED_TO", "Need", "N5", "Resource", "R1", {"quantity": 2}),
        RelRec("DISPATCHED_TO", "Need", "N8", "Resource", "R1"),  # no quantity: the need's 3
    ]))
    after = {r["resource_id"]: r["dispatched"] for r in queries.report_resources(small_store)}
    assert after == {"R4": 0, "R1": 5, "R2": 0, "R3": 0}


def test_report_places_lists_every_community(small_store: Store) -> None:
    rows = queries.report_places(small_store)
    assert [(r["street_name"], r["community_id"]) for r in rows] == [
        ("南街街道", "C1"), ("南街街道", "C2"), ("园艺镇", "C3")]


# -- the report of a hand-written plan -----------------------------------------------------
def test_workbook_of_a_hand_plan(small_store: Store, tmp_path: Path) -> None:
    files = write_report(small_store, hand_plan(), tmp_path / "out", paths=HAND_PATHS)
    assert files.xlsx == tmp_path / "out" / XLSX_NAME and files.html == tmp_path / "out" / HTML_NAME
    assert openpyxl.load_workbook(files.xlsx).sheetnames == SHEETS
    summary = sheet_rows(files.xlsx, "汇总")
    got = [(r["街道"], r["社区"], r["开放需求（项）"], r["已配对（项）"], r["未满足（项）"],
            r["其中部分配对（项）"], r["需求数量"], r["已配数量"], r["未配数量"]) for r in summary]
    assert got == HAND_SUMMARY
    assert summary[-1]["配对率（按项）"] == pytest.approx(3 / 6)
    assert summary[-1]["满足率（按数量）"] == pytest.approx(18 / 26)
    check_report(files.xlsx, hand_plan())

    details = sheet_rows(files.xlsx, "配对明细")
    assert list(details[0]) == ["需求编号", "需求名称", "类别", "子类", "社区", "街道", "单位", "资源", "相符依据",
                                "数量", "跳数", "服务层级", "路径"]
    n6 = next(r for r in details if r["需求编号"] == "N6")
    assert (n6["需求名称"], n6["类别"], n6["社区"], n6["街道"], n6["单位"], n6["资源"]) == \
        ("篮球场地开放", "场地设施", "星火社区", "南街街道", "惠农中学", "操场开放")
    assert n6["路径"] == "星火一网格 →属于→ 星火社区 ←共建← 惠农中学"
    n5 = next(r for r in details if r["资源"] == "健康讲座")
    assert n5["路径"] == "春晖社区 ←报到← 张* →就职于→ 区卫生健康局"

    unmet = {r["需求编号"]: r for r in sheet_rows(files.xlsx, "未满足需求")}
    assert sorted(unmet) == ["N1", "N5", "N7"]
    assert (unmet["N5"]["需求数量"], unmet["N5"]["已配数量"], unmet["N5"]["未满足数量"]) == (15, 13, 2)
    assert unmet["N7"]["原因"] == "全区没有提供相符资源的单位"
    assert unmet["N7"]["原因类别"] == "无单位提供" and unmet["N7"]["紧急程度"] == "紧急"
    # whom a whistle reaches: one entry per unit, its spare summed, most spare first; the shortage figure
    assert unmet["N1"]["可吹哨单位"] == "惠农中学（余 5）、U1（余 1）" and unmet["N1"]["供需缺口"] is None
    assert unmet["N5"]["供需缺口"] == 2 and unmet["N5"]["可吹哨单位"] is None

    load = sheet_rows(files.xlsx, "单位负荷")
    assert [(r["单位编号"], r["资源数"], r["总容量"], r["此前已派单"], r["本方案配对"], r["剩余容量"],
             r["本方案使用率"]) for r in load] == HAND_LOAD
    assert files.summary_lines()[:2] == [
        "开放需求 6 项（数量 26），已配对 3 项，未满足 3 项",
        "涉及 4 个单位、4 个资源，平均跳数 1.6",  # (1 + 1 + 2 + 2 + 2) / 5
    ]


def test_workbook_layout(small_store: Store, tmp_path: Path) -> None:
    files = write_report(small_store, hand_plan(), tmp_path, paths=HAND_PATHS)
    wb = openpyxl.load_workbook(files.xlsx)
    for ws in wb:
        assert ws.freeze_panes == "A3", ws.title  # row 1 the title, row 2 the headings
        assert all(c.font.bold for c in ws[2]), ws.title
        for col in "ABCD":
            assert 8 <= ws.column_dimensions[col].width <= 90, (ws.title, col)
    details = wb["配对明细"]
    path_col = [c.value for c in details[2]].index("路径") + 1
    width = details.column_dimensions[get_column_letter(path_col)].width
    assert width > details.column_dimensions["A"].width  # the long path column is wider
    assert wb["汇总"]["J3"].number_format == "0.0%"


def test_html_has_tables_chart_path_and_escapes_text(small_store: Store, tmp_path: Path) -> None:
    files = write_report(small_store, hand_plan(), tmp_path, paths=HAND_PATHS)
    page = parse_html(files.html)
    assert "script" not in page.tags and "style" in page.tags  # inline CSS, no scripts
    assert page.tags.count("table") == 5 and "link" not in page.tags and "img" not in page.tags
    text = "".join(page.texts)
    assert EVIL in text  # shown as text ...
    assert '<script>alert("x")</script>' not in files.html.read_text(encoding="utf-8")  # ... escaped
    for name in SHEETS:
        assert name in text
    chart = "".join(page.svgs["chart"])
    for street in ("南街街道", "园艺镇"):
        assert street in chart
    assert "已配对 1，未满足 3" in chart and "已配对 2，未满足 0" in chart
    # the example has the commonest hop count (2: three of five), first need id: N5's via the cadre
    path = page.svgs["path"]
    for word in ("春晖社区", "张*", "区卫生健康局", "报到", "就职于", "报到干部", "单位"):
        assert word in path
    assert "春晖社区 ←报到← 张* →就职于→ 区卫生健康局" in text


def test_html_without_paths_says_so(small_store: Store, tmp_path: Path) -> None:
    files = write_report(small_store, hand_plan(), tmp_path, paths={})
    page = parse_html(files.html)
    assert "path" not in page.svgs and "本方案没有带路径的配对。" in "".join(page.texts)
    assert all(r["路径"] in ("", None) for r in sheet_rows(files.xlsx, "配对明细"))


@pytest.mark.parametrize(("plan", "message"), [
    (PlanResult(plan_id="x", assignments=[Assignment(need_id="N9", resource_id="R1", unit_id="U2",
                                                     quantity=1, hops=1)], unmet=[]),
     "方案中的需求在图中不存在：N9"),
    (PlanResult(plan_id="x", assignments=[Assignment(need_id="N5", resource_id="R9", unit_id="U2",
                                                     quantity=1, hops=1)], unmet=[]),
     "方案中的资源在图中不存在：R9"),
    (PlanResult(plan_id="x", assignments=[Assignment(need_id="N5", resource_id="R3", unit_id="U4",
                                                     quantity=3, hops=1)], unmet=[]),
     "资源 R3 配对数量 3 超过其容量 2"),
    (PlanResult(plan_id="x", assignments=[Assignment(need_id="N6", resource_id="R1", unit_id="U2",
                                                     quantity=2, hops=1)], unmet=[]),
     "需求 N6 配对数量 2 超过其需求数量 1"),
    (PlanResult(plan_id="x", assignments=[Assignment(need_id="N6", resource_id="R1", unit_id="U4",
                                                     quantity=1, hops=1)], unmet=[]),
     "资源 R1 由单位 U2 提供，不是方案所写的 U4"),
])
def test_a_plan_that_does_not_fit_the_graph_is_refused(small_store: Store, tmp_path: Path,
                                                       plan: PlanResult, message: str) -> None:
    out = tmp_path / "out"
    good = write_report(small_store, hand_plan(), out, paths=HAND_PATHS)
    before = (good.xlsx.read_bytes(), good.html.read_bytes())
    with pytest.raises(ReportError, match=re.escape(message)):
        write_report(small_store, plan, out, paths={})
    assert (good.xlsx.read_bytes(), good.html.read_bytes()) == before
    assert sorted(p.name for p in out.iterdir()) == report_names(good)


def test_a_failed_write_leaves_the_old_report(small_store: Store, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    good = write_report(small_store, hand_plan(), out, paths=HAND_PATHS)
    before = (good.xlsx.read_bytes(), good.html.read_bytes())

    def broken_save(self: openpyxl.Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_report(small_store, hand_plan(), out, paths=HAND_PATHS)
    assert (good.xlsx.read_bytes(), good.html.read_bytes()) == before
    assert sorted(p.name for p in out.iterdir()) == report_names(good)  # no temp files


def report_names(files: ReportFiles) -> list[str]:
    """The four files one report leaves in its directory (sorted): the dated and the latest copies."""
    return sorted([files.dated_xlsx.name, files.dated_html.name, XLSX_NAME, HTML_NAME])


def test_report_files_carry_the_date_and_the_latest_keeps_its_name(small_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    day1 = dt.datetime(2025, 3, 1, 23, 59, tzinfo=CHINA_TZ)
    first = write_report(small_store, hand_plan(), out, paths=HAND_PATHS, now=day1)
    assert (first.xlsx, first.html) == (out / XLSX_NAME, out / HTML_NAME)
    assert (first.dated_xlsx, first.dated_html) == (out / "pairing-report-2025-03-01.xlsx",
                                                    out / "pairing-report-2025-03-01.html")
    assert first.xlsx.read_bytes() == first.dated_xlsx.read_bytes()
    assert first.html.read_bytes() == first.dated_html.read_bytes()
    assert first.summary_lines()[2] == (f"报告：{out / XLSX_NAME}、{out / HTML_NAME}"
                                        "（按日期另存为 pairing-report-2025-03-01.xlsx、pairing-report-2025-03-01.html）")
    # 16:30 UTC is past midnight in China: the next day's files; the stable names follow the latest
    day2 = dt.datetime(2025, 3, 1, 16, 30, tzinfo=dt.UTC)
    plan = run_plan(small_store, write=False)
    second = write_report(small_store, plan, out, now=day2)
    assert second.dated_xlsx.name == "pairing-report-2025-03-02.xlsx"
    assert sorted(p.name for p in out.iterdir()) == [
        "pairing-report-2025-03-01.html", "pairing-report-2025-03-01.xlsx",
        "pairing-report-2025-03-02.html", "pairing-report-2025-03-02.xlsx", HTML_NAME, XLSX_NAME]
    assert second.html.read_bytes() == second.dated_html.read_bytes() != first.dated_html.read_bytes()
    assert second.xlsx.read_bytes() == second.dated_xlsx.read_bytes()
    # the same day again replaces that day's files, atomically (no temp files stay)
    write_report(small_store, plan, out, now=day2)
    assert len(list(out.iterdir())) == 6


def test_out_must_be_a_directory(small_store: Store, tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(ReportError, match="输出位置不是目录"):
        write_report(small_store, hand_plan(), f, paths={})


# -- real plans ----------------------------------------------------------------------------
def test_report_of_the_real_plan_adds_up(small_store: Store, tmp_path: Path) -> None:
    plan = run_plan(small_store, write=True)
    files = write_report(small_store, plan, tmp_path)
    total = check_report(files.xlsx, plan)
    assert total["开放需求（项）"] == 6  # N1, N2 and the four extra needs
    details = sheet_rows(files.xlsx, "配对明细")
    units = {"U1": "区卫生健康局", "U2": "区第一医院", "U3": "区司法局", "U4": "惠农中学"}
    for a, row in zip(sorted(plan.assignments, key=lambda a: (a.need_id, a.hops, a.resource_id)), details):
        assert row["路径"].endswith(units[a.unit_id]), row  # every path leads to its unit
        assert row["路径"].count("→") + row["路径"].count("←") >= 2 * a.hops


def test_stored_plan_is_the_plan_run(small_store: Store, tmp_path: Path) -> None:
    plan = run_plan(small_store, write=True)
    assert stored_plan(small_store, plan.plan_id) == plan
    with pytest.raises(NotFound, match="方案不存在"):
        stored_plan(small_store, "plan-nosuch")


def test_stored_plan_after_the_data_changed(small_store: Store) -> None:
    plan = run_plan(small_store, write=True)
    # a new open need that the current data could meet (场地设施 at 星火社区, R3 has 1 left)
    small_store.merge(GraphBatch(
        nodes=[NodeRec("Need", "N9", {"title": "活动场地", "category": "场地设施", "quantity": 1,
                                      "status": "ordered", "scope": "community"})],
        rels=[RelRec("RAISED_AT", "Need", "N9", "Community", "C2")]))
    old = stored_plan(small_store, plan.plan_id)
    assert old.plan_id == plan.plan_id
    assert [(a.need_id, a.resource_id, a.quantity) for a in old.assignments] == \
        [(a.need_id, a.resource_id, a.quantity) for a in plan.assignments]
    n9 = [u for u in old.unmet if u.need_id == "N9"]
    assert [(u.reason_code, u.quantity) for u in n9] == [(OUTDATED, 1)]
    assert {u.need_id for u in old.unmet} - {"N9"} == {u.need_id for u in plan.unmet}


def test_main_job(small_dir: Path, tmp_path: Path) -> None:
    s = EmbeddedStore(tmp_path / "store")
    stages: list[str] = []
    result = run_main_job(small_dir, s, tmp_path / "out", stage=stages.append)
    assert stages == ["载入数据", "配对规划", "生成报告"]
    assert result.rows["needs"] == 8
    assert queries.get_plan(s, plan_id=result.plan.plan_id)  # written back as MATCHED_TO
    check_report(result.report.xlsx, result.plan)
    lines = result.summary_lines()
    files = result.report
    assert (files.dated_xlsx.parent, files.dated_html.parent) == (tmp_path / "out", tmp_path / "out")
    assert len(lines) == 3 and lines[2] == (f"报告：{tmp_path / 'out' / XLSX_NAME}、{tmp_path / 'out' / HTML_NAME}"
                                            f"（按日期另存为 {files.dated_xlsx.name}、{files.dated_html.name}）")


# -- the command line ----------------------------------------------------------------------
LINE1 = re.compile(r"^开放需求 (\d+) 项（数量 (\d+)），已配对 (\d+) 项，未满足 (\d+) 项$")
LINE2 = re.compile(r"^涉及 (\d+) 个单位、(\d+) 个资源，平均跳数 (\d+\.\d|—)$")


def cli(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"ORGLINK_BACKEND": "embedded"})


def three_lines(stdout: str, out: Path, skip: int = 0) -> tuple[int, ...]:
    """Check the summary lines (after ``skip`` others) and return the figures of the first."""
    lines = [ln for ln in stdout.splitlines() if ln.strip()][skip:]
    assert len(lines) == 3, stdout
    m = LINE1.match(lines[0])
    assert m, lines[0]
    assert LINE2.match(lines[1]), lines[1]
    where = re.fullmatch(rf"报告：{re.escape(str(out / XLSX_NAME))}、{re.escape(str(out / HTML_NAME))}"
                         r"（按日期另存为 (pairing-report-\d{4}-\d{2}-\d{2})\.xlsx、\1\.html）", lines[2])
    assert where, lines[2]
    for ext in ("xlsx", "html"):  # the dated files beside the latest copies, the same bytes
        assert (out / f"{where[1]}.{ext}").read_bytes() == (out / f"pairing-report.{ext}").read_bytes()
    return tuple(int(x) for x in m.groups())


def street_names(dataset: Path) -> list[str]:
    """Street names read straight from the dataset's CSV (not through the code under test)."""
    with (dataset / "streets.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [row.get("name") or row["名称"] for row in csv.DictReader(fh)]  # English or Chinese header


def test_run_on_a_small_dataset(small_dir: Path, tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    result = cli("run", str(small_dir), "--out", str(out), "--store", str(store))
    assert result.exit_code == 0, result.output
    open_needs, quantity, met, unmet = three_lines(result.stdout, out)
    assert (open_needs, quantity) == (6, 26) and met + unmet == 6
    plan = run_plan(EmbeddedStore(store), write=False)
    total = check_report(out / XLSX_NAME, plan)
    assert (total["已配对（项）"], total["未满足（项）"]) == (met, unmet)
    page = parse_html(out / HTML_NAME)
    assert {"chart", "path"} <= set(page.svgs)
    for name in street_names(small_dir):
        assert name in "".join(page.svgs["chart"])

    first = all_values(out / XLSX_NAME)
    again = cli("run", str(small_dir), "--out", str(out), "--store", str(store))
    assert again.exit_code == 0, again.output
    assert again.stdout == result.stdout
    assert all_values(out / XLSX_NAME) == first


def test_run_with_a_bad_dataset_writes_nothing(small_dir: Path, tmp_path: Path) -> None:
    (small_dir / "needs.csv").write_text("id,title,category,raised_at\nN1,x,无此类别,G1\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("run", str(small_dir), "--out", str(out), "--store", str(tmp_path / "store"))
    assert result.exit_code == 1
    assert "needs.csv:2:category: 未知的类别：'无此类别'" in result.stderr
    assert not out.exists()


def test_report_command(small_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    empty = cli("report", "--out", str(tmp_path / "none"), "--store", str(store))
    assert empty.exit_code == 1 and "存储中没有需求" in empty.stderr
    load_dataset(small_dir, EmbeddedStore(store))
    out1, out2 = tmp_path / "r1", tmp_path / "r2"
    planned = cli("report", "--out", str(out1), "--store", str(store))
    assert planned.exit_code == 0, planned.output
    three_lines(planned.stdout, out1, skip=1)
    plan_id = openpyxl.load_workbook(out1 / XLSX_NAME).properties.subject.split()[-1]
    assert planned.stdout.splitlines()[0] == f"配对方案 {plan_id}"
    assert queries.get_plan(EmbeddedStore(store), plan_id=plan_id)  # the plan was stored
    by_id = cli("report", "--out", str(out2), "--plan-id", plan_id, "--store", str(store))
    assert by_id.exit_code == 0, by_id.output
    assert by_id.stdout.splitlines()[0] == f"配对方案 {plan_id}"
    assert all_values(out2 / XLSX_NAME) == all_values(out1 / XLSX_NAME)
    missing = cli("report", "--out", str(out2), "--plan-id", "plan-nosuch", "--store", str(store))
    assert missing.exit_code == 1 and "方案不存在" in missing.stderr


@pytest.mark.slow
def test_run_on_the_bundled_huinong_data(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    result = cli("run", "--out", str(out), "--store", str(store))
    assert result.exit_code == 0, result.output
    open_needs, quantity, met, unmet = three_lines(result.stdout, out)
    assert open_needs == met + unmet and open_needs > 0
    plan = run_plan(EmbeddedStore(store), write=False)
    total = check_report(out / XLSX_NAME, plan)
    assert (total["开放需求（项）"], total["需求数量"]) == (open_needs, quantity)
    page = parse_html(out / HTML_NAME)
    assert {"chart", "path"} <= set(page.svgs) and len(page.svgs["path"]) >= 5
    chart = "".join(page.svgs["chart"])
    for name in street_names(HUINONG):
        assert name in chart
    first = all_values(out / XLSX_NAME)
    again = cli("run", "--out", str(out), "--store", str(store))
    assert again.exit_code == 0, again.output
    assert all_values(out / XLSX_NAME) == first


def test_example_path_is_a_typical_one(small_store: Store) -> None:
    one_hop = {("N2", "R2"): [step("C3", "Community", "桥东社区", "CO_BUILDS", False),
                              step("U3", "Unit", "区司法局")],
               ("N5", "R1"): [step("C1", "Community", "春晖社区", "CO_BUILDS", False),
                              step("U2", "Unit", "区第一医院")]}
    # two paths of 1 hop, two of 2: fewer hops wins the tie, then the first need id
    tie = build_report(small_store, hand_plan(), HAND_PATHS | one_hop)
    assert (tie.example.need_id, tie.example.resource) == ("N2", "法律咨询")
    # a third 2-hop path (and the longest): 2 hops is now commonest, N5 still comes first
    long = {("N8", "R2"): [step("G5", "Grid", "桥东一网格", "IN", True),
                           step("C3", "Community", "桥东社区", "REPORTS_TO", False),
                           step("K2", "Cadre", "李*", "WORKS_AT", True),
                           step("U3", "Unit", "区司法局")]}
    common = build_report(small_store, hand_plan(), HAND_PATHS | one_hop | long)
    assert (common.example.need_id, common.example.resource) == ("N5", "健康讲座")


def test_the_gap_sheet_puts_the_largest_shortfall_first(small_store: Store) -> None:
    """医疗健康·健康体检: 4 (N1 老人体检) + 15 (N5 社区义诊) asked, only R1 义诊 (10) fits — R4
    健康讲座 is another sub-type, although the hand plan uses it — so short by 9; 文化体育 (a
    title no sub-type is known for): nobody offers it → short by 2; the rest have enough."""
    data = build_report(small_store, hand_plan(), HAND_PATHS)
    rows = [(g.category, g.subtype, g.demand, g.supply, g.met, g.unmet, g.shortfall) for g in data.gaps]
    assert rows[:2] == [("医疗健康", "健康体检", 19, 10, 13, 6, 9), ("文化体育", "（全类别）", 2, 0, 0, 2, 2)]
    assert {r[0]: r[6] for r in rows[2:]} == {"法律服务": 0, "场地设施": 0}
    assert "供需缺口最大：医疗健康·健康体检 需求 19、供给 10，缺 9；文化体育 需求 2、供给 0，缺 2" in render(data)
