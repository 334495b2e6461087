"""Reloading the lists never undoes lifecycle work (issue 10, step 1): a need's state, audit
trail, report, dispatches and escalations stay as orglink recorded them, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from orglink import lifecycle, queries
from orglink.clock import CHINA_TZ
from orglink.graph.cypher_gen import node_row
from orglink.graph.store import NodeRec, Store
from orglink.loaders.build import load_dataset
from orglink.matching.plan import run_plan
from tests.datasets import drop_column, set_cell, write_tiny

NOW = dt.datetime(2024, 6, 10, 9, 30, tzinfo=CHINA_TZ)


def _needs(store: Store) -> dict[str, dict]:
    return {nid: lifecycle.need_detail(store, nid) for nid in ("N1", "N2", "N3", "N4")}


def test_reloading_the_same_lists_keeps_every_need_where_the_lifecycle_left_it(store: Store, tmp_path: Path) -> None:
    lists = write_tiny(tmp_path / "tiny")
    load_dataset(lists, store)
    lifecycle.accept(store, "N1", by="网格员", now=NOW)
    lifecycle.dispatch(store, "N1", "R1", by="社区书记", now=NOW)
    lifecycle.escalate(store, "N2", by="社区书记", note="需要部门协助", now=NOW)
    done = lifecycle.complete(store, "N2", "已调解", by="社区书记", now=NOW)
    before = _needs(store)
    assert (before["N1"]["status"], before["N2"]["status"]) == ("dispatched", "done")
    assert done["status"] == "done" and before["N2"]["report"] == "已调解"

    load_dataset(lists, store)  # the lists still say N1 待接单 (ordered), N2 已接单 (accepted)

    after = _needs(store)
    assert after == before  # state, history, report, dispatches, escalations: all kept
    assert [d["resource_id"] for d in after["N1"]["dispatches"]] == ["R1"]
    assert queries.resource_usage(store, resource_id="R1")[0]["used"] == 4
    planned = {a.need_id for a in run_plan(store, write=False).assignments}
    assert not planned & {"N1", "N2"}  # neither is promised again


def test_a_need_new_in_the_lists_takes_the_lists_state(store: Store, tmp_path: Path) -> None:
    load_dataset(write_tiny(tmp_path / "tiny"), store)
    states = {nid: lifecycle.need_place(store, nid)["status"] for nid in ("N1", "N2", "N3", "N4")}
    assert states == {"N1": "ordered", "N2": "accepted", "N3": "done", "N4": "done"}


def test_the_lifecycle_properties_are_set_only_on_creation() -> None:
    row = node_row(NodeRec("Need", "N9", {"title": "t", "status": "ordered", "report": None}))
    assert row == {"id": "N9", "props": {"title": "t"}, "created": {"status": "ordered", "report": None}}
    assert "created" not in node_row(NodeRec("Unit", "U9", {"name": "u"}))


def test_a_cleared_cell_clears_the_property_on_reload(store: Store, tmp_path: Path) -> None:
    lists = write_tiny(tmp_path / "tiny")
    load_dataset(lists, store)
    assert lifecycle.need_detail(store, "N1")["urgency"] == "pressing"
    set_cell(lists, "needs", 2, "urgency", "")  # N1's 紧急程度 emptied in the list
    set_cell(lists, "resources", 2, "keywords", "")  # R1's 关键词
    load_dataset(lists, store)
    assert lifecycle.need_detail(store, "N1")["urgency"] is None
    [r1] = [n for n in queries.graph_nodes(store) if n["id"] == "R1"]
    assert "keywords" not in r1["props"] and r1["props"]["title"] == "义诊"


def test_a_column_the_file_does_not_have_is_left_alone(store: Store, tmp_path: Path) -> None:
    lists = write_tiny(tmp_path / "tiny")
    load_dataset(lists, store)
    drop_column(lists, "needs", "urgency")
    load_dataset(lists, store)
    assert lifecycle.need_detail(store, "N1")["urgency"] == "pressing"


def _targets(store: Store, type_: str, src: str) -> list[str]:
    return sorted(r["dst_id"] for r in queries.graph_relationships(store) if r["type"] == type_ and r["src_id"] == src)


def test_a_moved_grid_and_a_moved_cadre_move(store: Store, tmp_path: Path) -> None:
    """A grid put under another community is IN that one only; a cadre who reports to another
    community reports there only (before, a reload left both)."""
    lists = write_tiny(tmp_path / "tiny")
    load_dataset(lists, store)
    assert _targets(store, "IN", "G2") == ["C1"]
    assert _targets(store, "REPORTS_TO", "K1") == ["C1"]
    set_cell(lists, "grids", 3, "community", "C2")  # G2: 春晖社区 -> 星火社区
    set_cell(lists, "cadres", 2, "community", "C3")  # K1 now reports to C3
    load_dataset(lists, store)
    assert _targets(store, "IN", "G2") == ["C2"]
    assert _targets(store, "REPORTS_TO", "K1") == ["C3"]
    assert [g["id"] for g in queries.list_grids(store, street=None, community="C1")] == ["G1"]
    load_dataset(lists, store)  # loading the same lists again changes nothing
    assert _targets(store, "IN", "G2") == ["C2"]
