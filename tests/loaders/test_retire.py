"""Rows that leave the lists are retired, rows the lists move along follow them (issue 10,
step 2), and a state the lists give further along the lifecycle is applied by 导入: the
stamped load, on both backends."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from orglink import lifecycle, queries
from orglink.clock import CHINA_TZ
from orglink.graph.model import OPEN_STATUSES
from orglink.graph.store import Store
from orglink.loaders.build import load_dataset
from orglink.matching.plan import run_plan
from tests.datasets import TINY, write_tiny

NOW = dt.datetime(2024, 6, 10, 9, 30, tzinfo=CHINA_TZ)


def _tables(**drop: list[str]) -> dict[str, list[dict[str, str]]]:
    """TINY without the rows whose id is listed per table (``resources=["R1"]``)."""
    tables = copy.deepcopy(TINY)
    for table, ids in drop.items():
        tables[table] = [r for r in tables[table] if r.get("id") not in ids]
    return tables


def _node(store: Store, label: str, id_: str) -> dict[str, Any] | None:
    return next((n for n in queries.graph_nodes(store) if n["id"] == id_ and label in n["labels"]), None)


def _load(store: Store, path: Path, tables: dict[str, list[dict[str, str]]] | None = None) -> Any:
    return load_dataset(write_tiny(path, tables=tables or TINY), store)


def test_a_resource_removed_from_the_lists_is_retired_not_matched_not_planned(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "v1")
    open_needs = list(OPEN_STATUSES)
    assert "R2" in {r["resource_id"] for r in queries.nearest_units(store, need_id="N2")}
    assert "R2" in {r["resource_id"] for r in queries.plan_candidates(store, statuses=open_needs)}
    assert ("N2", "R2") in {(a.need_id, a.resource_id) for a in run_plan(store, write=False).assignments}

    loaded = _load(store, tmp_path / "v2", _tables(resources=["R2"]))

    assert loaded.outcome.retired == {"Resource": ["R2"]}
    r2 = _node(store, "Resource", "R2")
    assert r2 is not None  # kept, with when and by which load it was retired
    assert r2["props"]["retired_by"] == loaded.stamp.id and r2["props"]["retired_on"] == loaded.stamp.at
    assert "R2" not in {r["resource_id"] for r in queries.nearest_units(store, need_id="N2")}
    assert "R2" not in {r["resource_id"] for r in queries.plan_candidates(store, statuses=open_needs)}
    plan = run_plan(store, write=False)
    assert "R2" not in {a.resource_id for a in plan.assignments}
    assert "N2" in {u.need_id for u in plan.unmet}
    assert "R2" not in {r["resource_id"] for r in queries.resource_supply(store)}
    assert "R2" not in {r["resource_id"] for r in queries.report_resources(store)}
    assert queries.resource_usage(store, resource_id="R2") == []


def test_a_retired_row_back_in_the_lists_comes_back(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "v1")
    _load(store, tmp_path / "v2", _tables(resources=["R1"]))
    again = _load(store, tmp_path / "v3")
    assert again.outcome.retired == {}
    r1 = _node(store, "Resource", "R1")
    assert r1 is not None and "retired_on" not in r1["props"] and r1["props"]["loaded_by"] == again.stamp.id
    assert "R1" in {r["resource_id"] for r in queries.resource_supply(store)}


def test_a_need_removed_from_the_lists_leaves_every_list(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "v1")
    loaded = _load(store, tmp_path / "v2", _tables(needs=["N1"]))
    assert loaded.outcome.retired == {"Need": ["N1"]}
    page = queries.list_needs(store, status=None, community=None, category=None, street_ids=None,
                              community_ids=None, escalated_only=False, skip=0, limit=100)[0]
    assert "N1" not in {n["id"] for n in page["items"]} and page["total"] == 3
    assert "N1" not in {a.need_id for a in run_plan(store, write=False).assignments}
    assert "N1" not in {u.need_id for u in run_plan(store, write=False).unmet}
    assert queries.need_get(store, need_id="N1") == []


def test_a_dispatch_to_a_retired_resource_stays_in_the_graph(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "v1")
    lifecycle.accept(store, "N1", by="网格员", now=NOW)
    lifecycle.dispatch(store, "N1", "R1", by="社区书记", now=NOW)
    _load(store, tmp_path / "v2", _tables(resources=["R1"]))
    dispatched = [r for r in queries.graph_relationships(store) if r["type"] == "DISPATCHED_TO"]
    assert [(r["src_id"], r["dst_id"]) for r in dispatched] == [("N1", "R1")]
    assert lifecycle.need_place(store, "N1")["status"] == "dispatched"


def test_a_retired_need_takes_no_lifecycle_action(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "v1")
    _load(store, tmp_path / "v2", _tables(needs=["N1"]))
    try:
        lifecycle.accept(store, "N1", by="网格员", now=NOW)
    except Exception as exc:  # NotFound: a retired need counts as missing
        assert "N1" in str(exc)
    else:
        raise AssertionError("a retired need was accepted")


def test_a_relationship_dropped_from_the_lists_is_removed(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "v1")
    tables = copy.deepcopy(TINY)
    tables["memberships"] = [m for m in tables["memberships"] if m["unit"] != "U2"]
    loaded = _load(store, tmp_path / "v2", tables)
    assert loaded.outcome.unlinked == {"MEMBER_OF": 1}
    members = [(r["src_id"], r["dst_id"]) for r in queries.graph_relationships(store) if r["type"] == "MEMBER_OF"]
    assert members == [("U3", "CC3")]


def test_a_party_org_whose_level_changes_keeps_one_identity(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "v1")
    tables = copy.deepcopy(TINY)
    [pg3] = [o for o in tables["party_orgs"] if o["id"] == "PG3"]
    pg3["level"] = "网格党支部"  # was 院落党小组: the row is now a GridBranch
    _load(store, tmp_path / "v2", tables)
    carrying = [n["labels"] for n in queries.graph_nodes(store) if n["id"] == "PG3"]
    assert carrying == [["GridBranch", "PartyOrg"]]
    leads = [(r["src_id"], r["dst_id"]) for r in queries.graph_relationships(store) if r["type"] == "LEADS"]
    assert ("PG3", "CH1") in leads and ("PG1", "PG3") in leads


def test_nothing_of_another_dataset_is_retired(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "v1")
    other = copy.deepcopy(TINY)
    other["district"] = [{"id": "D2", "name": "另一区", "source": "synthetic"}]
    for s in other["streets"]:
        s["district"] = "D2"
    for o in other["party_orgs"]:
        if o["responsible_for"] == "D1":
            o["responsible_for"] = "D2"
    other["resources"] = [r for r in other["resources"] if r["id"] != "R1"]
    loaded = _load(store, tmp_path / "v2", other)
    assert loaded.stamp.dataset == "D2"
    assert loaded.outcome.retired.get("Resource") is None or "R1" not in loaded.outcome.retired["Resource"]


def test_a_state_further_along_in_the_lists_is_applied_by_import(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path / "v1")
    lifecycle.accept(store, "N1", by="网格员", now=NOW)
    tables = copy.deepcopy(TINY)
    tables["needs"][0]["status"] = "办结"  # N1, spreadsheet row 2: done in the lists
    loaded = _load(store, tmp_path / "v2", tables)
    assert loaded.outcome.advanced == [{"id": "N1", "from": "accepted", "to": "done", "where": "needs.csv:2"}]
    detail = lifecycle.need_detail(store, "N1")
    assert detail["status"] == "done"
    last = detail["history"][-1]
    assert (last["from"], last["to"], last["by"], last["action_zh"], last["note"]) == \
        ("accepted", "done", "导入", "导入", "needs.csv:2")
    json.dumps(detail["history"])  # still valid JSON text


def test_a_state_behind_the_store_is_kept_and_reported(store: Store, tmp_path: Path) -> None:
    lists = write_tiny(tmp_path / "v1")
    load_dataset(lists, store)
    lifecycle.accept(store, "N1", by="网格员", now=NOW)
    lifecycle.dispatch(store, "N1", "R1", by="社区书记", now=NOW)
    again = load_dataset(lists, store)  # the list still says N1 待接单
    assert again.outcome.kept == [{"id": "N1", "store": "dispatched", "listed": "ordered", "where": "needs.csv:2"}]
    assert lifecycle.need_place(store, "N1")["status"] == "dispatched"
    assert again.outcome.advanced == []


def test_the_report_flags_a_dispatch_to_a_retired_resource(store: Store, tmp_path: Path) -> None:
    import openpyxl

    from orglink.report import write_report

    _load(store, tmp_path / "v1")
    lifecycle.accept(store, "N1", by="网格员", now=NOW)
    lifecycle.dispatch(store, "N1", "R1", by="社区书记", now=NOW)
    _load(store, tmp_path / "v2", _tables(resources=["R1"]))
    [row] = queries.retired_dispatches(store)
    assert (row["need_id"], row["resource_id"], row["quantity"], row["need_retired"]) == ("N1", "R1", 4, False)
    files = write_report(store, run_plan(store, write=False), tmp_path / "out")
    ws = openpyxl.load_workbook(files.xlsx)["停用资源的派单"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))  # row 1 is the title
    assert rows[0][:3] == ("需求编号", "需求名称", "需求状态") and rows[1][:4] == ("N1", "老人体检", "已派单", "R1")
    assert "提醒：1 条派单的资源已从清单中删除" in files.html.read_text(encoding="utf-8")


@pytest.mark.neo4j
def test_a_chunked_neo4j_load_retires_in_its_last_transaction(tmp_path: Path) -> None:
    """A load beyond the transaction limit commits chunk by chunk; the stamp's work (states,
    retirement, stale relationships) runs once, after the last chunk, with the same result."""
    from tests import neo4j_support

    store = neo4j_support.open_test_store(tx_limit=20, batch_size=7)
    try:
        _load(store, tmp_path / "v1")
        lifecycle.accept(store, "N1", by="网格员", now=NOW)
        tables = _tables(resources=["R2"])
        tables["memberships"] = [m for m in tables["memberships"] if m["unit"] != "U2"]
        tables["needs"][0]["status"] = "已办结"
        loaded = _load(store, tmp_path / "v2", tables)
        assert loaded.outcome.retired == {"Resource": ["R2"]}
        assert loaded.outcome.unlinked == {"MEMBER_OF": 1}
        assert [a["id"] for a in loaded.outcome.advanced] == ["N1"]
        assert "R2" not in {r["resource_id"] for r in queries.resource_supply(store)}
    finally:
        store.close()


def test_every_moved_reference_leaves_one_relationship(store: Store, tmp_path: Path) -> None:
    """Not only the single types: a need raised at another grid, a resource offered by another
    unit, an org under another parent - the stale relationship goes with the cleanup."""
    _load(store, tmp_path / "v1")
    tables = copy.deepcopy(TINY)
    tables["needs"][0]["raised_at"] = "G2"  # N1 was raised at G1
    tables["resources"][0]["unit"] = "U1"  # R1 was offered by U2
    [pg3] = [o for o in tables["party_orgs"] if o["id"] == "PG3"]
    pg3["parent"] = "PG2"  # was PG1
    loaded = _load(store, tmp_path / "v2", tables)
    rels = queries.graph_relationships(store)

    def ends(type_: str, **one: str) -> list[tuple[str, str]]:
        return sorted((r["src_id"], r["dst_id"]) for r in rels if r["type"] == type_
                      and all(r[k] == v for k, v in one.items()))

    assert ends("RAISED_AT", src_id="N1") == [("N1", "G2")]
    assert ends("OFFERS", dst_id="R1") == [("U1", "R1")]
    assert ends("LEADS", dst_id="PG3") == [("PG2", "PG3")]
    assert loaded.outcome.unlinked == {"LEADS": 1, "OFFERS": 1, "RAISED_AT": 1}
