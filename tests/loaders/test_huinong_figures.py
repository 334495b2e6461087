"""The bundled Huinong dataset reproduces the source document's figures.

Every number below is quoted from ``/work/shared/seed/FACTS.md`` (the document
"惠农区：织密建强组织体系 助力社会基层治理"); the graph's counts and the derived
``figures`` of ``orglink stats`` must match each of them. Store-level tests use the
``huinong_store`` fixture, so they also run on Neo4j when it is configured.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from orglink import queries
from orglink.cli import app, import_commands
from orglink.data import HUINONG
from orglink.graph.store import Store
from orglink.loaders.build import validate_dataset
from orglink.stats import graph_stats

# label -> the document's count ("在40个社区科学划分202个网格，划片成立38个网格党支部…";
# "45个区直部门"; "78家驻区单位"; "成立4个业主委员会")
DOCUMENT_COUNTS = {
    "Community": 40,
    "Grid": 202,
    "GridBranch": 38,
    "Department": 45,
    "ResidentUnit": 78,
    "OwnersCommittee": 4,
}

# figures key -> the document's number ("244个网格党小组"; "24个暖'新'驿站、1个司机之家";
# "660件民生事项"; "党员占比53.43%")
DOCUMENT_FIGURES = {
    "grid_party_groups": 244,
    "warm_stations": 24,
    "driver_homes": 1,
    "done_needs": 660,
    "owners_party_share": 53.43,
}


@pytest.fixture(scope="module")
def huinong_stats(huinong_store: Store) -> dict[str, Any]:
    """``graph_stats`` of the loaded Huinong store (what ``orglink stats --json`` prints)."""
    return graph_stats(huinong_store)


@pytest.fixture(scope="module")
def dump(huinong_store: Store) -> tuple[list[dict], list[dict]]:
    """Every node and relationship of the Huinong store."""
    return queries.graph_nodes(huinong_store), queries.graph_relationships(huinong_store)


@pytest.mark.parametrize(("label", "expected"), list(DOCUMENT_COUNTS.items()))
def test_node_count_matches_the_document(huinong_stats: dict, label: str, expected: int) -> None:
    assert huinong_stats["nodes"][label] == expected


def test_at_least_1500_cadres_and_all_report_to_a_community(huinong_stats: dict) -> None:
    """"1500余名党员干部…到结对社区开展志愿服务": 1,500+ cadres, all reporting (双报到)."""
    assert huinong_stats["nodes"]["Cadre"] >= 1500
    assert huinong_stats["figures"]["reporting_cadres"] >= 1500
    assert huinong_stats["figures"]["reporting_cadres"] <= huinong_stats["nodes"]["Cadre"]


@pytest.mark.parametrize(("key", "expected"), list(DOCUMENT_FIGURES.items()))
def test_figure_matches_the_document(huinong_stats: dict, key: str, expected: float) -> None:
    assert huinong_stats["figures"][key] == expected


def test_owners_committee_share_is_computed_from_the_members(dump: tuple) -> None:
    """53.43 % is party members / members over the 4 owners' committees, not a stored figure."""
    nodes, _ = dump
    owners = [n["props"] for n in nodes if "OwnersCommittee" in n["labels"]]
    assert len(owners) == 4
    party = sum(o["party_members"] for o in owners)
    members = sum(o["members"] for o in owners)
    assert round(100 * party / members, 2) == 53.43


def _by_label(nodes: list[dict]) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for n in nodes:
        for lab in n["labels"]:
            out[lab][n["id"]] = n["props"]
    return out


def _edges(rels: list[dict], type_: str) -> list[tuple[str, str]]:
    return [(r["src_id"], r["dst_id"]) for r in rels if r["type"] == type_]


def test_places_named_in_the_document_sit_where_it_says(dump: tuple) -> None:
    nodes, rels = dump
    lab = _by_label(nodes)
    street_of = {lab["Community"][c]["name"]: lab["Street"][s]["name"]
                 for c, s in _edges(rels, "IN") if c in lab["Community"] and s in lab["Street"]}
    assert street_of["春晖社区"] == "南街街道"
    assert street_of["星火社区"] == "北街（中街）街道"
    assert street_of["桥东社区"] == "园艺镇"
    assert [d["name"] for d in lab["District"].values()] == ["惠农区"]
    assert {s["name"]: s["kind"] for s in lab["Street"].values()}["园艺镇"] == "镇"


def test_every_grid_party_group_and_branch_is_responsible_for_grids(dump: tuple) -> None:
    """"划片成立38个网格党支部": a branch covers an area of several grids; groups cover a grid."""
    nodes, rels = dump
    lab = _by_label(nodes)
    grids_of: dict[str, set[str]] = defaultdict(set)
    for s, d in _edges(rels, "RESPONSIBLE_FOR"):
        if d in lab["Grid"]:
            grids_of[s].add(d)
    assert len(lab["GridBranch"]) == 38
    assert all(len(grids_of[b]) >= 2 for b in lab["GridBranch"])
    grid_groups = [g for g, p in lab["PartyGroup"].items() if p["level"] == "网格党小组"]
    assert len(grid_groups) == 244
    assert all(grids_of[g] for g in grid_groups)


def test_each_resident_unit_signed_a_co_building_agreement(dump: tuple) -> None:
    """"78家驻区单位与社区签订共驻共建协议书"."""
    nodes, rels = dump
    lab = _by_label(nodes)
    signers = {u for u, _ in _edges(rels, "SIGNED")}
    assert set(lab["ResidentUnit"]) <= signers
    co_builds = {u for u, _ in _edges(rels, "CO_BUILDS")}
    assert set(lab["ResidentUnit"]) <= co_builds


def test_each_done_matter_was_handled_and_reported(dump: tuple) -> None:
    """The 660 matters: each with the cadre who handled it and its report-back (双报告)."""
    nodes, rels = dump
    lab = _by_label(nodes)
    done = {i for i, p in lab["Need"].items() if p.get("status") == "done"}
    assert len(done) == 660
    handled = {n for c, n in _edges(rels, "HANDLED") if c in lab["Cadre"]}
    assert done <= handled
    assert all(lab["Need"][i].get("report") for i in done)


def test_stations_offer_the_five_services(dump: tuple) -> None:
    """"免费提供饮水、热饭、充电、无线网络、远程教育电视" at every warm station and drivers' home."""
    nodes, _ = dump
    stations = [n["props"] for n in nodes if "Station" in n["labels"]]
    services = {"饮水", "热饭", "充电", "无线网络", "远程教育电视"}
    warm = [s for s in stations if s["kind"] in ("暖新驿站", "司机之家")]
    assert len(warm) == 25
    for s in warm:
        offered = "、".join(s["services"])
        assert all(x in offered for x in services), s


def test_document_rows_are_marked_and_everything_else_synthetic() -> None:
    built = validate_dataset(HUINONG)
    sources = {n.props.get("source") for n in built.batch.nodes}
    assert sources == {"document", "synthetic"}
    from_document = {(n.label, n.props.get("name")) for n in built.batch.nodes
                     if n.props.get("source") == "document"}
    assert ("Street", "南街街道") in from_document
    assert ("Community", "春晖社区") in from_document
    assert not any(lab in ("Cadre", "Unit", "Need", "Resource") for lab, _ in from_document)


def test_cadre_personal_data_is_minimal() -> None:
    """Masked names, no phone numbers: only id, name, party_member and source."""
    built = validate_dataset(HUINONG)
    cadres = [n for n in built.batch.nodes if n.label == "Cadre"]
    assert cadres and all(set(c.props) <= {"name", "party_member", "source"} for c in cadres)
    assert all("*" in c.props["name"] for c in cadres)


def test_cli_load_then_stats_json_shows_the_document_figures(tmp_path: Path) -> None:
    """The end-to-end path a planner takes: ``orglink load`` then ``orglink stats --json``."""
    import_commands()
    runner = CliRunner()
    store = str(tmp_path / "store")
    result = runner.invoke(app, ["load", "--store", store, "--backend", "embedded"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["stats", "--json", "--store", store, "--backend", "embedded"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for label, expected in DOCUMENT_COUNTS.items():
        assert data["nodes"][label] == expected, label
    for key, expected in DOCUMENT_FIGURES.items():
        assert data["figures"][key] == expected, key
    assert data["nodes"]["Cadre"] >= 1500
