"""Area reports (issue 14, part 4): the district's plan restricted to one street or community.

The small dataset of test_report.py (tiny district + four open needs) and its hand-written
plan: S1 南街街道 holds C1 春晖社区 (N1, N5) and C2 星火社区 (N6, N7); S2 园艺镇 holds C3
桥东社区 (N2, N8). The figures below are read off HAND_SUMMARY, worked out by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from orglink.cli import app, import_commands
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store
from orglink.loaders.build import load_dataset
from orglink.report import AreaError, ReportArea, build_report, resolve_area, write_report
from tests.datasets import write_tiny
from tests.report.test_report import HAND_PATHS, HAND_SUMMARY, hand_plan, sheet_rows, small_tables

import_commands()
runner = CliRunner()


@pytest.fixture
def small_store(store: Store, tmp_path: Path) -> Store:
    """The ``store`` fixture (each backend) with the small dataset loaded."""
    load_dataset(write_tiny(tmp_path / "small", tables=small_tables()), store)
    return store


def summary_tuples(path: Path) -> list[tuple]:
    return [(r["街道"], r["社区"], r["开放需求（项）"], r["已配对（项）"], r["未满足（项）"], r["其中部分配对（项）"],
             r["需求数量"], r["已配数量"], r["未配数量"]) for r in sheet_rows(path, "汇总")]


def test_resolve_area(small_store: Store) -> None:
    assert resolve_area(small_store) is None
    s1 = resolve_area(small_store, street="S1")
    assert s1 == ReportArea(id="S1", label="南街街道", streets=frozenset({"S1"}))
    c3 = resolve_area(small_store, street="S2", community="C3")
    assert c3 == ReportArea(id="C3", label="园艺镇 · 桥东社区", communities=frozenset({"C3"}))
    for kw, field, text in ((dict(street="S9"), "street", "街道不存在：S9"),
                            (dict(community="C9"), "community", "社区不存在：C9"),
                            (dict(street="S1", community="C3"), "community", "社区 C3 不在街道 S1 内")):
        with pytest.raises(AreaError, match=re.escape(text)) as err:
            resolve_area(small_store, **kw)
        assert err.value.field == field


def test_a_street_report_shows_its_street_only(small_store: Store, tmp_path: Path) -> None:
    area = resolve_area(small_store, street="S1")
    files = write_report(small_store, hand_plan(), tmp_path, paths=HAND_PATHS, area=area)
    assert files.xlsx.name == "pairing-report-S1.xlsx"
    assert re.fullmatch(r"pairing-report-S1-\d{4}-\d{2}-\d{2}\.xlsx", files.dated_xlsx.name)
    assert summary_tuples(files.xlsx) == [*HAND_SUMMARY[:3], ("合计", None, 4, 1, 3, 1, 22, 14, 8)]
    details = sheet_rows(files.xlsx, "配对明细")
    assert sorted((r["需求编号"], r["资源"]) for r in details) == [
        ("N5", "义诊"), ("N5", "健康讲座"), ("N6", "操场开放")]
    assert {r["街道"] for r in details} == {"南街街道"}
    assert sorted(r["需求编号"] for r in sheet_rows(files.xlsx, "未满足需求")) == ["N1", "N5", "N7"]
    # units serving the street's needs, each with its whole load: U3 serves S2 only
    load = {r["单位编号"]: (r["本方案配对"], r["剩余容量"]) for r in sheet_rows(files.xlsx, "单位负荷")}
    assert load == {"U2": (10, 0), "U1": (3, 0), "U4": (1, 1)}
    gaps = {(r["类别"], r["需求数量"]) for r in sheet_rows(files.xlsx, "供需缺口")}
    assert ("法律服务", 3) not in gaps and ("医疗健康", 19) in gaps  # N8 is S2's
    title = openpyxl.load_workbook(files.xlsx)["汇总"]["A1"].value
    assert title.startswith("测试区 · 南街街道 需求与资源配对报告")
    assert "测试区 · 南街街道 需求与资源配对报告" in files.html.read_text(encoding="utf-8")
    assert "桥东社区" not in files.html.read_text(encoding="utf-8")
    assert files.totals.open_needs == 4 and files.totals.units == 3


def test_a_community_report_shows_its_community_only(small_store: Store) -> None:
    data = build_report(small_store, hand_plan(), HAND_PATHS, area=resolve_area(small_store, community="C3"))
    assert [(r.street, r.community, r.open_needs, r.met, r.quantity) for r in data.summary] == [
        ("园艺镇", "桥东社区", 2, 2, 4), ("园艺镇", None, 2, 2, 4), (None, None, 2, 2, 4)]
    assert sorted(d.need_id for d in data.details) == ["N2", "N8"] and data.unmet == []
    assert [(r.unit_id, r.assigned) for r in data.load] == [("U3", 4)]
    assert data.streets == ["园艺镇"] and data.title == "测试区 · 园艺镇 · 桥东社区 需求与资源配对报告"


def test_the_streets_reports_add_up_to_the_district(small_store: Store) -> None:
    whole = build_report(small_store, hand_plan(), HAND_PATHS)
    parts = [build_report(small_store, hand_plan(), HAND_PATHS, area=resolve_area(small_store, street=s))
             for s in ("S1", "S2")]
    assert sum(p.totals.open_needs for p in parts) == whole.totals.open_needs == 6
    assert sum(p.totals.met for p in parts) == whole.totals.met
    assert sorted(d.need_id for p in parts for d in p.details) == sorted(d.need_id for d in whole.details)
    assert sorted(u.need_id for p in parts for u in p.unmet) == sorted(u.need_id for u in whole.unmet)
    assert whole.title == "测试区 需求与资源配对报告"


def cli(*args: str):
    return runner.invoke(app, list(args), env={"ORGLINK_BACKEND": "embedded"})


def test_report_command_for_an_area(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_dataset(write_tiny(tmp_path / "small", tables=small_tables()), EmbeddedStore(store))
    out = tmp_path / "out"
    r = cli("report", "--out", str(out), "--community", "C1", "--store", str(store))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0].endswith("（报告范围：南街街道 · 春晖社区）")
    assert {p.name for p in out.iterdir()} >= {"pairing-report-C1.xlsx", "pairing-report-C1.html"}
    assert {r["社区"] for r in sheet_rows(out / "pairing-report-C1.xlsx", "汇总")} == {"春晖社区", "小计", None}
    for args, text in ((("--street", "S9"), "街道不存在：S9"), (("--community", "C9"), "社区不存在：C9"),
                       (("--street", "S2", "--community", "C1"), "社区 C1 不在街道 S2 内")):
        bad = cli("report", "--out", str(tmp_path / "bad"), *args, "--store", str(store))
        assert bad.exit_code == 1 and text in bad.stderr, (args, bad.output)
    assert not (tmp_path / "bad").exists()
