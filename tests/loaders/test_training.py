"""The training (培训) and 四点一线 (work_cycle) lists: read in Chinese or English, checked
cell by cell (file, row and column named in Chinese), and reloaded with stamps (a class left
out of the lists is retired, on both backends).

:data:`TRAINING_TABLES` is the tiny district of :mod:`tests.datasets` with the two lists added;
the figures below are worked out by hand from it (not by the code under test).
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest

from orglink import queries
from orglink.graph.store import Store
from orglink.loaders.build import load_dataset, validate_dataset
from orglink.loaders.reader import LoadError
from orglink.queries.training_twins import list_trainings
from tests.datasets import TINY, Rows, add_row, set_cell, write_tiny

TRAININGS: Rows = [
    {"id": "T1", "title": "网格员业务培训", "kind": "主题培训", "held_on": "2024-03-05", "person_times": "40",
     "organiser": "U1", "source": "synthetic"},
    {"id": "T2", "title": "社区书记履职培训", "kind": "themed", "held_on": "2024/5/10", "person_times": "60",
     "organiser": "南街街道党工委", "source": "synthetic"},
    {"id": "T3", "title": "考前辅导（第1期）", "kind": "考前培训班", "held_on": "2024年8月3日", "person_times": "200",
     "organiser": "区司法局", "source": "synthetic"},
    {"id": "T4", "title": "考前辅导（第2期）", "kind": "exam", "held_on": "2023-09-01", "person_times": "150",
     "organiser": "", "source": "synthetic"},
    {"id": "T5", "title": "社会工作者线上培训", "kind": "主题培训", "held_on": "", "person_times": "",
     "organiser": "CC1", "source": "synthetic"},
]
"""Themed: T1, T2, T5 (100 person-times; T5 undated, none given); exam: T3, T4 (350)."""

WORK_CYCLE: Rows = [
    {"id": "W1", "community": "C1", "year": "2024", "stage": "年初抓计划", "held_on": "2024-01-15",
     "note": "制定年度计划"},
    {"id": "W2", "community": "C1", "year": "2024", "stage": "self_check", "held_on": "2024-06-20", "note": ""},
    {"id": "W3", "community": "C1", "year": "2024", "stage": "平时抓指导", "held_on": "2024-09-10",
     "note": "第二次指导"},
    {"id": "W3A", "community": "C1", "year": "2024", "stage": "指导", "held_on": "2024-04-02",
     "note": "第一次指导"},
    {"id": "W4", "community": "春晖社区", "year": "2024", "stage": "年底抓述职", "held_on": "2024-12-20",
     "note": "书记述职"},
    {"id": "W5", "community": "C2", "year": "2024", "stage": "计划", "held_on": "2024-02-01", "note": ""},
    {"id": "W6", "community": "C3", "year": "2023", "stage": "report", "held_on": "2023-12-28", "note": ""},
    {"id": "W7", "community": "C3", "year": "2024", "stage": "年初抓计划", "held_on": "2024-01-10", "note": ""},
]
"""C1 2024: all four stages (guidance twice); C2 2024: only the plan; C3: 2023 report, 2024 plan."""

TRAINING_FIGURES = {"training_classes": 3, "training_person_times": 100, "exam_classes": 2,
                    "exam_person_times": 350}


def training_tables(**drop: list[str]) -> dict[str, Rows]:
    """TINY with the two lists, without the rows whose id is listed per table."""
    t = copy.deepcopy(TINY)
    t["trainings"] = copy.deepcopy(TRAININGS)
    t["work_cycle"] = copy.deepcopy(WORK_CYCLE)
    for table, ids in drop.items():
        t[table] = [r for r in t[table] if r.get("id") not in ids]
    return t


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(LoadError) as ei:
        validate_dataset(directory)
    return [str(p) for p in ei.value.problems]


@pytest.fixture
def tiny_zh(tmp_path: Path) -> Path:
    """The district with both lists, Chinese file names and headers (培训.csv, 四点一线.csv)."""
    return write_tiny(tmp_path / "zh", lang="zh", tables=training_tables())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_both_lists_become_nodes_and_relationships(tmp_path: Path, lang: str) -> None:
    built = validate_dataset(write_tiny(tmp_path / lang, lang=lang, tables=training_tables()))
    assert built.rows["trainings"] == 5 and built.rows["work_cycle"] == 8
    nodes = {(n.label, n.id): n.props for n in built.batch.nodes}
    assert nodes[("Training", "T3")] == {"title": "考前辅导（第1期）", "kind": "exam", "held_on": "2024-08-03",
                                         "person_times": 200, "source": "synthetic"}
    assert nodes[("Training", "T2")]["kind"] == "themed" and nodes[("Training", "T2")]["held_on"] == "2024-05-10"
    assert nodes[("Training", "T5")]["held_on"] is None and nodes[("Training", "T5")]["person_times"] is None
    assert nodes[("WorkStage", "W3A")]["stage"] == "guidance" and nodes[("WorkStage", "W3A")]["year"] == 2024
    assert {nodes[("WorkStage", w)]["stage"] for w in ("W1", "W5", "W7")} == {"plan"}
    rels = Counter(r.type for r in built.batch.rels)
    assert rels["ORGANISED"] == 4 and rels["STAGE_OF"] == 8
    organised = {(r.src_label, r.src_id, r.dst_id) for r in built.batch.rels if r.type == "ORGANISED"}
    assert organised == {("Unit", "U1", "T1"), ("WorkingCommittee", "WC1", "T2"), ("Unit", "U3", "T3"),
                         ("CommunityCommittee", "CC1", "T5")}
    stage_of = {(r.src_id, r.dst_id) for r in built.batch.rels if r.type == "STAGE_OF"}
    assert ("W4", "C1") in stage_of  # 社区 given by name


@pytest.mark.parametrize(("table", "row", "column", "value", "message"), [
    ("培训", 3, "人次", "很多", "培训.csv:3:人次: 不是整数：'很多'"),
    ("培训", 2, "人次", "-5", "培训.csv:2:人次: 不能为负数：'-5'"),
    ("培训", 4, "类型", "专题培训", "培训.csv:4:类型: 未知的类型：'专题培训'，应为 主题培训/考前培训"),
    ("培训", 5, "日期", "2024-13-01", "培训.csv:5:日期: 日期不存在：'2024-13-01'"),
    ("培训", 2, "主办单位", "不存在的单位", "培训.csv:2:主办单位: 引用不存在：'不存在的单位' 不是任何单位或区委或街道党工委或"
                                     "社区党委或网格党支部或党小组或党员中心户的编号或名称"),
    ("培训", 3, "班次名称", "", "培训.csv:3:班次名称: 必填项为空：班次名称"),
    ("四点一线", 2, "年度", "二〇二四", "四点一线.csv:2:年度: 不是整数：'二〇二四'"),
    ("四点一线", 3, "年度", "", "四点一线.csv:3:年度: 必填项为空：年度"),
    ("四点一线", 4, "环节", "年终总结",
     "四点一线.csv:4:环节: 未知的环节：'年终总结'，应为 年初抓计划/年中抓自查/平时抓指导/年底抓述职"),
    ("四点一线", 6, "社区", "C9", "四点一线.csv:6:社区: 引用不存在：'C9' 不是任何社区的编号或名称"),
])
def test_a_bad_cell_names_file_row_and_column_in_chinese(tiny_zh: Path, table: str, row: int, column: str,
                                                         value: str, message: str) -> None:
    set_cell(tiny_zh, table, row, column, value)
    assert problems_of(tiny_zh) == [message]


def test_a_duplicate_training_id_is_reported(tiny_zh: Path) -> None:
    n = add_row(tiny_zh, "培训", {"编号": "T1", "班次名称": "重复", "类型": "主题培训"})
    assert problems_of(tiny_zh) == [f"培训.csv:{n}:编号: 编号重复：T1（已见于 培训.csv 第 2 行）"]


def test_the_lists_are_optional(tmp_path: Path) -> None:
    built = validate_dataset(write_tiny(tmp_path / "plain"))
    assert "trainings" not in built.rows and not [n for n in built.batch.nodes if n.label == "Training"]


def test_a_class_left_out_of_the_lists_is_retired(store: Store, tmp_path: Path) -> None:
    load_dataset(write_tiny(tmp_path / "v1", tables=training_tables()), store)
    assert [r["id"] for r in list_trainings(store, kind=None, year=None)] == ["T4", "T1", "T2", "T3", "T5"]
    assert {k: queries.document_figures(store)[0][k] for k in TRAINING_FIGURES} == TRAINING_FIGURES

    loaded = load_dataset(write_tiny(tmp_path / "v2", tables=training_tables(trainings=["T2"], work_cycle=["W7"])),
                          store)

    assert loaded.outcome.retired == {"Training": ["T2"], "WorkStage": ["W7"]}
    assert [r["id"] for r in list_trainings(store, kind=None, year=None)] == ["T4", "T1", "T3", "T5"]
    figures = queries.document_figures(store)[0]
    assert (figures["training_classes"], figures["training_person_times"]) == (2, 40)
    t2 = next(n for n in queries.graph_nodes(store) if n["id"] == "T2")
    assert t2["props"]["retired_by"] == loaded.stamp.id  # kept, marked retired

    # back in the lists: live again, with its organiser
    load_dataset(write_tiny(tmp_path / "v3", tables=training_tables()), store)
    rows = list_trainings(store, kind="themed", year=2024)
    assert [(r["id"], r["organiser"]) for r in rows] == [("T1", "U1"), ("T2", "WC1")]


def test_an_organiser_changed_in_the_lists_replaces_the_old_one(store: Store, tmp_path: Path) -> None:
    load_dataset(write_tiny(tmp_path / "v1", tables=training_tables()), store)
    tables = training_tables()
    tables["trainings"][0]["organiser"] = "U4"
    load_dataset(write_tiny(tmp_path / "v2", tables=tables), store)
    [t1] = [r for r in list_trainings(store, kind=None, year=None) if r["id"] == "T1"]
    assert (t1["organiser"], t1["organiser_name"], t1["organiser_kind"]) == ("U4", "惠农中学", "Unit")
    organisers = [r["src_id"] for r in queries.graph_relationships(store)
                  if r["type"] == "ORGANISED" and r["dst_id"] == "T1"]
    assert organisers == ["U4"]  # the old ORGANISED from U1 is gone
