"""The community-worker queries ``list_trainings``, ``training_totals``, ``work_cycle`` and the
training figures of ``document_figures``, on both backends: on the hand-made district of
:mod:`tests.loaders.test_training` (answers worked out by hand) and on the bundled Huinong data
(the document: nearly 20 themed classes with 1,100+ person-times, 4 exam classes with 800+;
the bundled lists give 19 classes / 1,136 and 4 / 828; every one of the 40 communities has its
four 2024 stages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orglink import queries
from orglink.graph.store import Store
from orglink.loaders.build import load_dataset
from orglink.queries.training_twins import list_trainings, training_totals, work_cycle
from orglink.training import trainings
from orglink.training import work_cycle as cycle_of
from tests.datasets import write_tiny
from tests.loaders.test_training import TRAINING_FIGURES, training_tables

HUINONG_TRAINING = {"training_classes": 19, "training_person_times": 1136, "exam_classes": 4,
                    "exam_person_times": 828}
"""What the bundled lists give (scripts/gen_huinong.py: THEMED_CLASSES, THEMED_PERSON_TIMES,
EXAM_PERSON_TIMES)."""


@pytest.fixture
def district(store: Store, tmp_path: Path) -> Store:
    """The hand-made district with both lists, on each backend."""
    load_dataset(write_tiny(tmp_path / "tiny", tables=training_tables()), store)
    return store


def _ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


def test_list_trainings_by_date_with_filters_and_organisers(district: Store) -> None:
    every = list_trainings(district, kind=None, year=None)
    assert _ids(every) == ["T4", "T1", "T2", "T3", "T5"]  # by date, the undated one last
    assert every[1] == {"id": "T1", "title": "网格员业务培训", "kind": "themed", "held_on": "2024-03-05",
                        "person_times": 40, "organiser": "U1", "organiser_name": "区卫生健康局",
                        "organiser_kind": "Unit"}
    t2 = every[2]
    assert (t2["organiser"], t2["organiser_name"], t2["organiser_kind"]) == ("WC1", "南街街道党工委", "PartyOrg")
    assert every[0]["organiser"] is None and every[0]["organiser_kind"] is None
    assert (every[4]["held_on"], every[4]["person_times"]) == (None, None)
    assert _ids(list_trainings(district, kind="themed", year=None)) == ["T1", "T2", "T5"]
    assert _ids(list_trainings(district, kind="exam", year=None)) == ["T4", "T3"]
    assert _ids(list_trainings(district, kind=None, year=2024)) == ["T1", "T2", "T3"]
    assert _ids(list_trainings(district, kind="exam", year=2023)) == ["T4"]
    assert list_trainings(district, kind="exam", year=2022) == []
    assert list_trainings(district, kind="nope", year=None) == []


def test_training_totals_per_kind(district: Store) -> None:
    assert training_totals(district, year=None) == [
        {"kind": "themed", "classes": 3, "person_times": 100}, {"kind": "exam", "classes": 2, "person_times": 350}]
    assert training_totals(district, year=2024) == [
        {"kind": "themed", "classes": 2, "person_times": 100}, {"kind": "exam", "classes": 1, "person_times": 200}]
    assert training_totals(district, year=1999) == [
        {"kind": "themed", "classes": 0, "person_times": 0}, {"kind": "exam", "classes": 0, "person_times": 0}]


def test_training_totals_on_an_empty_store(store: Store) -> None:
    assert training_totals(store, year=None) == [
        {"kind": "themed", "classes": 0, "person_times": 0}, {"kind": "exam", "classes": 0, "person_times": 0}]


def test_document_figures_count_the_training(district: Store) -> None:
    [figures] = queries.document_figures(district)
    assert {k: figures[k] for k in TRAINING_FIGURES} == TRAINING_FIGURES


def test_work_cycle_gives_the_four_stages_in_order(district: Store) -> None:
    rows = work_cycle(district, community_id="C1", year=2024)
    assert [(r["position"], r["stage"], r["done"]) for r in rows] == [
        (1, "plan", True), (2, "self_check", True), (3, "guidance", True), (4, "report", True)]
    assert {(r["community"], r["community_name"], r["year"]) for r in rows} == {("C1", "春晖社区", 2024)}
    assert rows[2]["records"] == [{"id": "W3A", "held_on": "2024-04-02", "note": "第一次指导"},
                                  {"id": "W3", "held_on": "2024-09-10", "note": "第二次指导"}]
    assert rows[1]["records"] == [{"id": "W2", "held_on": "2024-06-20", "note": None}]


def test_work_cycle_shows_what_is_missing(district: Store) -> None:
    c2 = cycle_of(district, "C2", 2024)
    assert c2 is not None
    assert c2["missing"] == ["self_check", "guidance", "report"]
    assert c2["missing_zh"] == ["年中抓自查", "平时抓指导", "年底抓述职"]
    assert [s["stage_zh"] for s in c2["stages"]] == ["年初抓计划", "年中抓自查", "平时抓指导", "年底抓述职"]
    none = cycle_of(district, "C1", 2023)
    assert none is not None and none["year"] == 2023 and len(none["missing"]) == 4


def test_work_cycle_defaults_to_the_latest_year(district: Store) -> None:
    c3 = work_cycle(district, community_id="C3", year=None)
    assert {r["year"] for r in c3} == {2024} and [r["done"] for r in c3] == [True, False, False, False]
    assert [r["done"] for r in work_cycle(district, community_id="C3", year=2023)] == [False, False, False, True]


def test_work_cycle_of_a_community_without_records_or_missing(store: Store, tmp_path: Path) -> None:
    tables = training_tables()
    tables["work_cycle"] = [r for r in tables["work_cycle"] if r["community"] != "C2"]
    load_dataset(write_tiny(tmp_path / "tiny", tables=tables), store)
    rows = work_cycle(store, community_id="C2", year=None)
    assert [(r["year"], r["done"], r["records"]) for r in rows] == [(None, False, [])] * 4
    assert work_cycle(store, community_id="C9", year=2024) == []
    assert cycle_of(store, "C9") is None


def test_the_service_gives_labels_and_totals_of_the_kind(district: Store) -> None:
    data = trainings(district, "考前培训", 2024)
    assert data["kind"] == "exam" and _ids(data["items"]) == ["T3"]
    assert data["items"][0]["kind_zh"] == "考前培训"
    assert data["totals"] == [{"kind": "exam", "kind_zh": "考前培训", "classes": 1, "person_times": 200}]


# -- the bundled Huinong data ------------------------------------------------------------------

def test_huinong_figures_reproduce_the_document(huinong_store: Store) -> None:
    """"近20期主题培训，培训1100余人次；举办4期考前专家辅导培训班，培训800余人次"."""
    [figures] = queries.document_figures(huinong_store)
    got = {k: figures[k] for k in HUINONG_TRAINING}
    assert got == HUINONG_TRAINING
    assert got["training_classes"] in (19, 20) and 1100 <= got["training_person_times"] <= 1199
    assert got["exam_classes"] == 4 and 800 <= got["exam_person_times"] <= 899


def test_huinong_totals_and_list_agree(huinong_store: Store) -> None:
    totals = training_totals(huinong_store, year=2024)
    assert [(t["kind"], t["classes"], t["person_times"]) for t in totals] == [("themed", 19, 1136), ("exam", 4, 828)]
    rows = list_trainings(huinong_store, kind=None, year=None)
    assert len(rows) == 23 and all(r["organiser"] for r in rows)
    assert sum(r["person_times"] for r in rows if r["kind"] == "exam") == 828


def test_huinong_every_community_has_its_four_2024_stages(huinong_store: Store) -> None:
    communities = [c["id"] for c in queries.list_communities(huinong_store, street=None, community=None)]
    assert len(communities) == 40
    seasons = {"plan": ("2024-01", "2024-02"), "self_check": ("2024-06", "2024-07"),
               "guidance": ("2024-03", "2024-11"), "report": ("2024-12", "2024-12")}
    for cid in communities:
        rows = work_cycle(huinong_store, community_id=cid, year=None)
        assert [(r["year"], r["stage"], r["done"], len(r["records"])) for r in rows] == [
            (2024, s, True, 1) for s in ("plan", "self_check", "guidance", "report")], cid
        for r in rows:
            first, last = seasons[r["stage"]]
            assert first <= r["records"][0]["held_on"][:7] <= last, (cid, r)
