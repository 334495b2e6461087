"""Matching: nearest units with paths, the pairing plan, the CLI commands.

A hand-made district (``DISTRICT`` below, drawn here) is written as a dataset directory and
loaded with the real loader; every test using the ``store`` fixture runs on each backend::

    D1 测试区         ← DC1 测试区委 (members: U1, U9)
    ├── S1 南街街道   ← W1 南街党工委 (大工委: U2 远方企业 is a member)
    │   ├── C1 春晖社区 ← CC1 春晖社区党委
    │   │   ├── G1 春晖一网格 ← B1 网格党支部 (covers G1 and G2; member: U4 网格共建企业)
    │   │   │                   P1 春晖小区 in G1
    │   │   └── G2 春晖二网格 ← B1
    │   └── C2 星火社区
    │       └── G3 星火一网格
    └── S2 园艺镇     ← W2 园艺镇党委 (members: U6, U7 区委办公室, U8 园艺农业合作社)
        └── C3 桥东社区
            └── G4 桥东一网格
    X1 退休党员党小组 (responsible for nothing; members: U1, U10)

    U1 春晖小学   co-builds C1, member of DC1, X1  offers 志愿服务 ×2
    U2 远方企业   co-builds C3, in S2, W1 member   offers 志愿服务 ×50, 法律服务 ×50
    U3 区司法局   cadre K1 reports to C1          offers 法律服务 ×3
    U4 网格共建企业 member of B1                  offers 便民服务 ×5, 平安建设 ×2
    U5 星火医院   co-builds C2                   offers 医疗健康 ×10
    U6 园艺卫生院 co-builds C3, member of W2       offers 养老托幼 ×5
    U7 区委办公室 cadre K3 reports to C1, member of W2 (offers nothing)
    U8 园艺农业合作社 member of W2                offers 就业创业 ×5
    U9 区融媒体中心 member of DC1                 offers 教育培训 ×5
    U10 老干部活动中心 member of X1               offers 资金物资 ×3

Hop counts from G1, worked out by hand: U1 2 (G1→C1←U1), U3 3 (G1→C1←K1→U3),
U4 2 (G1←B1←U4), U2 4 (G1→C1→S1←W1←U2), U5 4 (G1→C1→S1←C2←U5); U6 only through S2.
Party organisations are scope-bound: one may be passed only when it is responsible for a node
of the need's reach. So U8 (G1→C1←K3→U7→W2←U8, 5 hops, all territory in C1) is out of reach
of any need in S1, U9 is reachable only through the 区委 (never) and U10 only through X1 (never);
from G4, U8 is 4 hops for a street-scope need (G4→C3→S2←W2←U8 or G4→C3←U6→W2←U8) and out
of reach of a community-scope one (W2 is responsible for S2, which is outside C3's reach).
"""

from __future__ import annotations

import csv
import itertools
import json
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from orglink import queries
from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedGraph, EmbeddedStore
from orglink.graph.model import MODEL, OPEN_STATUSES
from orglink.graph.store import GraphBatch, NodeRec, NotFound, RelRec, Store
from orglink.loaders.build import load_dataset
from orglink.matching.nearest import match_need, nearest_units, path_text
from orglink.matching.plan import PlanInput, build_plan, run_plan, stored_assignments
from orglink.matching.types import PathStep
from orglink.queries import registry
from orglink.queries.linkage import MAX_HOPS
from tests.datasets import graph_of

# -- the hand-made district --------------------------------------------------------------
DISTRICT: dict[str, list[dict[str, str]]] = {
    "district": [{"id": "D1", "name": "测试区"}],
    "streets": [
        {"id": "S1", "name": "南街街道", "kind": "街道", "district": "D1"},
        {"id": "S2", "name": "园艺镇", "kind": "镇", "district": "D1"},
    ],
    "communities": [
        {"id": "C1", "name": "春晖社区", "street": "S1"},
        {"id": "C2", "name": "星火社区", "street": "S1"},
        {"id": "C3", "name": "桥东社区", "street": "S2"},
    ],
    "grids": [
        {"id": "G1", "name": "春晖一网格", "community": "C1", "lat": "39.2300", "lon": "106.7700"},
        {"id": "G2", "name": "春晖二网格", "community": "C1", "lat": "39.2400", "lon": "106.7800"},
        {"id": "G3", "name": "星火一网格", "community": "C2", "lat": "39.2500", "lon": "106.7900"},
        {"id": "G4", "name": "桥东一网格", "community": "C3", "lat": "39.1000", "lon": "106.7000"},
    ],
    "compounds": [{"id": "P1", "name": "春晖小区", "grid": "G1"}],
    "party_orgs": [
        {"id": "DC1", "name": "测试区委", "level": "区委", "parent": "", "responsible_for": "D1"},
        {"id": "W1", "name": "南街党工委", "level": "街道党工委", "parent": "DC1", "responsible_for": "S1"},
        {"id": "W2", "name": "园艺镇党委", "level": "街道党工委", "parent": "DC1", "responsible_for": "S2"},
        {"id": "CC1", "name": "春晖社区党委", "level": "社区党委", "parent": "W1", "responsible_for": "C1"},
        {"id": "B1", "name": "春晖网格党支部", "level": "网格党支部", "parent": "CC1",
         "responsible_for": "G1;G2"},
        {"id": "X1", "name": "退休党员党小组", "level": "党小组", "parent": "", "responsible_for": ""},
    ],
    "units": [
        {"id": "U1", "name": "春晖小学", "kind": "学校", "resident": "是", "street": "",
         "lat": "39.2310", "lon": "106.7710"},
        {"id": "U2", "name": "远方企业", "kind": "企业", "resident": "是", "street": "S2",
         "lat": "39.1000", "lon": "106.7000"},
        {"id": "U3", "name": "区司法局", "kind": "机关", "department": "是", "street": "",
         "lat": "", "lon": ""},
        {"id": "U4", "name": "网格共建企业", "kind": "企业", "street": "", "lat": "", "lon": ""},
        {"id": "U5", "name": "星火医院", "kind": "医院", "resident": "是", "street": "",
         "lat": "39.2500", "lon": "106.7900"},
        {"id": "U6", "name": "园艺卫生院", "kind": "医院", "resident": "是", "street": "",
         "lat": "", "lon": ""},
        {"id": "U7", "name": "区委办公室", "kind": "机关", "department": "是", "street": "",
         "lat": "", "lon": ""},
        {"id": "U8", "name": "园艺农业合作社", "kind": "企业", "resident": "是", "street": "",
         "lat": "", "lon": ""},
        {"id": "U9", "name": "区融媒体中心", "kind": "事业单位", "department": "是", "street": "",
         "lat": "", "lon": ""},
        {"id": "U10", "name": "老干部活动中心", "kind": "社会组织", "street": "", "lat": "", "lon": ""},
    ],
    "agreements": [
        {"id": "A1", "unit": "U1", "community": "C1"},
        {"id": "A2", "unit": "U2", "community": "C3"},
        {"id": "A3", "unit": "U5", "community": "C2"},
        {"id": "A4", "unit": "U6", "community": "C3"},
    ],
    "memberships": [
        {"unit": "U2", "committee": "W1"},
        {"unit": "U4", "committee": "B1"},
        {"unit": "U7", "committee": "W2"},
        {"unit": "U8", "committee": "W2"},
        {"unit": "U6", "committee": "W2"},
        {"unit": "U1", "committee": "DC1"},
        {"unit": "U9", "committee": "DC1"},
        {"unit": "U1", "committee": "X1"},
        {"unit": "U10", "committee": "X1"},
    ],
    "cadres": [
        {"id": "K1", "name": "张*", "unit": "U3", "community": "C1"},
        {"id": "K2", "name": "李*", "unit": "U3", "community": ""},
        {"id": "K3", "name": "王*", "unit": "U7", "community": "C1"},
    ],
    "resources": [
        {"id": "R1", "unit": "U1", "title": "学生志愿队", "category": "志愿服务", "capacity": "2"},
        {"id": "R2", "unit": "U2", "title": "职工志愿队", "category": "志愿服务", "capacity": "50"},
        {"id": "R3", "unit": "U3", "title": "法律咨询", "category": "法律服务", "capacity": "3"},
        {"id": "R4", "unit": "U4", "title": "便民维修", "category": "便民服务", "capacity": "5"},
        {"id": "R5", "unit": "U2", "title": "企业法务", "category": "法律服务", "capacity": "50"},
        {"id": "R6", "unit": "U5", "title": "义诊", "category": "医疗健康", "capacity": "10"},
        {"id": "R7", "unit": "U6", "title": "日间照料", "category": "养老托幼", "capacity": "5"},
        {"id": "R8", "unit": "U8", "title": "就业岗位", "category": "就业创业", "capacity": "5"},
        {"id": "R9", "unit": "U9", "title": "媒体培训", "category": "教育培训", "capacity": "5"},
        {"id": "R10", "unit": "U4", "title": "网格巡逻", "category": "平安建设", "capacity": "2"},
        {"id": "R11", "unit": "U10", "title": "慰问物资", "category": "资金物资", "capacity": "3"},
    ],
    "needs": [
        {"id": "N01", "title": "志愿者助老", "category": "志愿服务", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "street"},
        {"id": "N02", "title": "法律咨询", "category": "法律服务", "quantity": "1", "raised_at": "G1",
         "status": "accepted", "scope": "street"},
        {"id": "N03", "title": "法律咨询", "category": "法律服务", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "community"},
        {"id": "N04", "title": "修水管", "category": "便民服务", "quantity": "3", "raised_at": "G1",
         "status": "ordered", "scope": "grid"},
        {"id": "N05", "title": "楼道志愿者", "category": "志愿服务", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "grid"},
        {"id": "N06", "title": "社区义诊", "category": "医疗健康", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "community"},
        {"id": "N07", "title": "义诊", "category": "医疗健康", "quantity": "2", "raised_at": "G1",
         "status": "ordered", "scope": "street"},
        {"id": "N08", "title": "老人日间照料", "category": "养老托幼", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "street"},
        {"id": "N09", "title": "广场舞场地", "category": "文化体育", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "street"},
        {"id": "N10", "title": "社区法律顾问", "category": "法律服务", "quantity": "1", "raised_at": "C1",
         "status": "ordered", "scope": "grid"},
        {"id": "N11", "title": "已办结的志愿服务", "category": "志愿服务", "quantity": "2", "raised_at": "G2",
         "status": "done", "scope": "community"},
        {"id": "N12", "title": "换灯泡", "category": "便民服务", "quantity": "4", "raised_at": "G1",
         "status": "accepted", "scope": "grid"},
        {"id": "N13", "title": "社区就业岗位", "category": "就业创业", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "community"},
        {"id": "N14", "title": "街道就业岗位", "category": "就业创业", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "street"},
        {"id": "N15", "title": "镇里就业岗位", "category": "就业创业", "quantity": "1", "raised_at": "G4",
         "status": "ordered", "scope": "street"},
        {"id": "N16", "title": "村里就业岗位", "category": "就业创业", "quantity": "1", "raised_at": "G4",
         "status": "ordered", "scope": "community"},
        {"id": "N17", "title": "宣传培训", "category": "教育培训", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "street"},
        {"id": "N18", "title": "夜间巡逻", "category": "平安建设", "quantity": "1", "raised_at": "G2",
         "status": "ordered", "scope": "grid"},
        {"id": "N19", "title": "困难户慰问", "category": "资金物资", "quantity": "1", "raised_at": "G1",
         "status": "ordered", "scope": "street"},
    ],
}

HOPS_FROM_G1 = {"U1": 2, "U2": 4, "U3": 3, "U4": 2, "U5": 4}
PARTY_LABELS = frozenset(n.label for n in MODEL.nodes if "PartyOrg" in n.extra_labels)


def write_dataset(directory: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    """Write ``tables`` as CSV files (English headers) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        cols: list[str] = []
        for r in rows:
            cols += [c for c in r if c not in cols]
        with (directory / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=cols)
            w.writeheader()
            w.writerows(rows)
    return directory


@pytest.fixture
def district(store: Store, tmp_path: Path) -> Store:
    """The hand-made district loaded into an empty store of each backend."""
    load_dataset(write_dataset(tmp_path / "district", DISTRICT), store)
    return store


def cands(store: Store, need_id: str, top: int | None = None) -> list[tuple[str, str, int]]:
    return [(c.unit_id, c.resource_id, c.hops) for c in nearest_units(store, need_id, top=top)]


def edges_of(store: Store) -> dict[tuple[str, str], list[tuple[str, bool]]]:
    """Every linkage relationship of the graph, (id, id) -> [(type, forward)], both ways round."""
    out: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    for r in queries.graph_relationships(store):
        if r["type"] in MODEL.linkage_types:
            out[(r["src_id"], r["dst_id"])].append((r["type"], True))
            out[(r["dst_id"], r["src_id"])].append((r["type"], False))
    return out


def check_path(path: list[PathStep], hops: int, start: str, end: str,
               edges: dict[tuple[str, str], list[tuple[str, bool]]], reach: set[str] | None = None) -> None:
    """A path is a real chain of linkage relationships of length ``hops`` from start to end."""
    assert len(path) == hops + 1
    assert path[0].id == start and path[-1].id == end
    assert path[-1].rel is None
    for a, b in itertools.pairwise(path):
        assert (a.rel, a.forward) in edges[(a.id, b.id)], (a, b)
    if reach is not None:  # ids of the territory and party organisations the need may pass
        for s in path:
            if s.label in MODEL.territory_labels or s.label in PARTY_LABELS:
                assert s.id in reach, f"{s.id} is outside the need's reach"


def territory_only_hops(store: Store, start: str, end: str, territory: set[str]) -> int | None:
    """Hops from ``start`` to ``end`` if only territory were scope-bound (the rule before party
    organisations were bound too): territory outside ``territory`` removed, every party
    organisation kept. Shows that a route a test expects to be cut really exists."""
    g = nx.Graph()
    for r in queries.graph_relationships(store):
        if r["type"] not in MODEL.linkage_types:
            continue
        ends = [(r["src_id"], r["src_labels"]), (r["dst_id"], r["dst_labels"])]
        if all(i in territory or not set(labs) & set(MODEL.territory_labels) for i, labs in ends):
            g.add_edge(r["src_id"], r["dst_id"])
    try:
        return nx.shortest_path_length(g, start, end)
    except (nx.NodeNotFound, nx.NetworkXNoPath):
        return None


# -- nearest -----------------------------------------------------------------------------
def test_co_building_unit_beats_a_distant_unit_with_more_capacity(district: Store) -> None:
    got = nearest_units(district, "N01")
    assert [(c.unit_id, c.hops) for c in got] == [("U1", 2), ("U2", 4)]
    assert got[0].remaining == 2 and got[1].remaining == 50
    first = got[0]
    assert [(s.id, s.rel, s.forward) for s in first.path] == [
        ("G1", "IN", True), ("C1", "CO_BUILDS", False), ("U1", None, None)]
    assert path_text(first.path) == "春晖一网格 →属于→ 春晖社区 ←共建← 春晖小学"
    assert first.distance_km is not None and 0 < first.distance_km < 1
    assert got[1].distance_km is not None and got[1].distance_km > 10


def test_department_whose_cadre_reports_here_beats_unit_of_another_street(district: Store) -> None:
    got = nearest_units(district, "N02")
    assert [(c.unit_id, c.resource_id, c.hops) for c in got] == [("U3", "R3", 3), ("U2", "R5", 4)]
    edges = edges_of(district)
    for c in got:
        check_path(c.path, c.hops, "G1", c.unit_id, edges)
    assert [s.label for s in got[0].path] == ["Grid", "Community", "Cadre", "Unit"]
    assert [s.label for s in got[1].path] == ["Grid", "Community", "Street", "WorkingCommittee", "Unit"]


def test_community_scope_keeps_out_the_street(district: Store) -> None:
    assert cands(district, "N03") == [("U3", "R3", 3)]
    # health: only U5 of the neighbouring community offers it, reachable only through S1
    m = match_need(district, "N06")
    assert m.candidates == [] and m.reason_code == "out_of_scope"
    assert "吹哨" in (m.reason or "")
    assert cands(district, "N07") == [("U5", "R6", 4)]


def test_grid_scope_keeps_to_the_grid(district: Store) -> None:
    assert cands(district, "N04") == [("U4", "R4", 2)]
    # volunteers: nothing inside G1, so N05 climbs to its community (小事不出网格、大事不出社区):
    # U1 co-builds C1; U2 is only reachable through the street, out of its reach
    m = match_need(district, "N05")
    assert m.scope == "grid"
    assert [(c.unit_id, c.resource_id, c.hops) for c in m.candidates] == [("U1", "R1", 2)]
    assert [r["served_at"] for r in queries.nearest_units(district, need_id="N04")] == ["grid"]
    assert [r["served_at"] for r in queries.nearest_units(district, need_id="N05")] == ["community"]


def test_grid_scope_at_a_community_behaves_as_community(district: Store) -> None:
    m = match_need(district, "N10")
    assert m.scope == "community"
    assert [(c.unit_id, c.hops) for c in m.candidates] == [("U3", 2)]


def test_unreachable_and_unoffered(district: Store) -> None:
    m = match_need(district, "N08")  # 养老托幼: offered only in the other street
    assert m.candidates == [] and m.reason_code == "out_of_scope"
    m = match_need(district, "N09")  # 文化体育: nobody offers it
    assert m.candidates == [] and m.reason_code == "no_resource"
    assert m.reason == "全区没有提供相符资源的单位"


C1_REACH = {"C1", "G1", "G2", "P1"}
S1_REACH = {"S1", "C1", "C2", "G1", "G2", "G3", "P1"}


def test_another_streets_working_committee_is_no_way_through(district: Store) -> None:
    """U8 is 5 hops from G1 inside C1 (G1→C1←K3→U7→W2←U8), but W2 is S2's committee."""
    assert territory_only_hops(district, "G1", "U8", C1_REACH) == 5
    assert territory_only_hops(district, "G1", "U8", S1_REACH) == 5
    for nid in ("N13", "N14"):  # community, then street scope at G1
        m = match_need(district, nid)
        assert m.candidates == [] and m.reason_code == "out_of_scope", nid
    # the same holds for 养老托幼: U6 too is a W2 member, 5 hops away only through W2
    assert territory_only_hops(district, "G1", "U6", S1_REACH) == 5
    assert match_need(district, "N08").reason_code == "out_of_scope"


def test_own_streets_working_committee_serves_its_street_scope_only(district: Store) -> None:
    got = nearest_units(district, "N15")  # street scope at G4 in S2
    assert [(c.unit_id, c.resource_id, c.hops) for c in got] == [("U8", "R8", 4)]
    path = got[0].path
    check_path(path, 4, "G4", "U8", edges_of(district), {"S2", "C3", "G4", "W2"})
    assert path[-2].id == "W2" and path[-2].label == "WorkingCommittee"
    # community scope at G4: G4→C3←U6→W2←U8 stays inside C3, but W2 answers for S2
    assert territory_only_hops(district, "G4", "U8", {"C3", "G4"}) == 4
    m = match_need(district, "N16")
    assert m.candidates == [] and m.reason_code == "out_of_scope"


def test_grid_branch_serves_every_grid_it_covers(district: Store) -> None:
    """B1 covers G1 and G2: a grid-scope need at either reaches B1's member U4."""
    edges = edges_of(district)
    for nid, grid, resource in (("N04", "G1", "R4"), ("N18", "G2", "R10")):
        m = match_need(district, nid)
        assert m.scope == "grid"
        assert [(c.unit_id, c.resource_id, c.hops) for c in m.candidates] == [("U4", resource, 2)]
        path = m.candidates[0].path
        assert [s.id for s in path] == [grid, "B1", "U4"]
        check_path(path, 2, grid, "U4", edges, {grid, "B1"})


def test_district_committee_and_orgs_responsible_for_nothing_are_never_passed(district: Store) -> None:
    # U9 only through the 区委 (G1→C1←U1→DC1←U9), U10 only through X1 (G1→C1←U1→X1←U10)
    assert territory_only_hops(district, "G1", "U9", S1_REACH) == 4
    assert territory_only_hops(district, "G1", "U10", S1_REACH) == 4
    for nid in ("N17", "N19"):  # street scope at G1
        m = match_need(district, nid)
        assert m.candidates == [] and m.reason_code == "out_of_scope", nid
    seen = 0
    for need in DISTRICT["needs"]:
        for c in nearest_units(district, need["id"], top=None):
            seen += 1
            assert not {s.label for s in c.path} & {"DistrictCommittee"}, need["id"]
            assert "DC1" not in {s.id for s in c.path} and "X1" not in {s.id for s in c.path}
    assert seen >= 10


def test_unknown_need_is_not_found(district: Store) -> None:
    with pytest.raises(NotFound, match="NOPE"):
        nearest_units(district, "NOPE")
    with pytest.raises(NotFound):
        nearest_units(district, "")


def test_top_and_order(district: Store) -> None:
    assert cands(district, "N01", top=1) == [("U1", "R1", 2)]
    with pytest.raises(ValueError):
        nearest_units(district, "N01", top=0)


def test_dispatched_quantity_consumes_capacity_and_plans_do_not(district: Store) -> None:
    run_plan(district)  # MATCHED_TO proposals: no effect on capacity
    assert nearest_units(district, "N01")[0].remaining == 2
    district.merge(GraphBatch(rels=[RelRec("DISPATCHED_TO", "Need", "N11", "Resource", "R1",
                                           {"quantity": 2})]))
    assert cands(district, "N01") == [("U2", "R2", 4)]  # R1 has nothing left
    supply = {r["resource_id"]: r for r in queries.resource_supply(district)}
    assert (supply["R1"]["capacity"], supply["R1"]["dispatched"], supply["R1"]["remaining"]) == (2, 2, 0)


def test_capacity_used_when_everything_is_dispatched(district: Store) -> None:
    district.merge(GraphBatch(rels=[
        RelRec("DISPATCHED_TO", "Need", "N11", "Resource", "R1", {"quantity": 2}),
        RelRec("DISPATCHED_TO", "Need", "N11", "Resource", "R2", {"quantity": 2}),
        RelRec("DISPATCHED_TO", "Need", "N02", "Resource", "R3", {}),  # no quantity: counts 0
    ]))
    supply = {r["resource_id"]: r["remaining"] for r in queries.resource_supply(district)}
    assert supply["R2"] == 48 and supply["R3"] == 3
    district.merge(GraphBatch(rels=[RelRec("DISPATCHED_TO", "Need", "N07", "Resource", "R2",
                                           {"quantity": 48})]))
    m = match_need(district, "N01")
    assert m.candidates == [] and m.reason_code == "capacity_used"


# -- plan --------------------------------------------------------------------------------
def test_plan_on_the_district(district: Store) -> None:
    plan = run_plan(district, write=False)
    got = {(a.need_id, a.resource_id): (a.quantity, a.hops) for a in plan.assignments}
    # 便民服务: N04 (3) and N12 (4) share R4 (5); legal: N02, N03, N10 share R3 (3)
    assert got == {
        ("N01", "R1"): (1, 2),
        ("N02", "R3"): (1, 3),
        ("N03", "R3"): (1, 3),
        ("N04", "R4"): (3, 2),
        ("N05", "R1"): (1, 2),  # grid scope, nothing in G1: served at its community (ladder)
        ("N07", "R6"): (2, 4),
        ("N10", "R3"): (1, 2),
        ("N12", "R4"): (2, 2),
        ("N15", "R8"): (1, 4),
        ("N18", "R10"): (1, 2),
    }
    unmet = {(u.need_id, u.reason_code, u.quantity) for u in plan.unmet}
    assert unmet == {("N06", "out_of_scope", 1),
                     ("N08", "out_of_scope", 1), ("N09", "no_resource", 1),
                     ("N12", "shortage", 2),  # 便民服务: demand 7 (N04 3 + N12 4) vs supply 5
                     # party organisations are scope-bound (see the module docstring)
                     ("N13", "out_of_scope", 1), ("N14", "out_of_scope", 1),
                     ("N16", "out_of_scope", 1), ("N17", "out_of_scope", 1),
                     ("N19", "out_of_scope", 1)}
    assert "N11" not in {a.need_id for a in plan.assignments} | {u.need_id for u in plan.unmet}
    assert plan.plan_id.startswith("plan-") and len(plan.plan_id) == 15


def test_plan_uses_the_nearer_resource(district: Store) -> None:
    """Legal: R3 (3 left) is nearer than R5 for N02 and the only one in reach of N03 and N10."""
    plan = run_plan(district, write=False)
    legal = [a for a in plan.assignments if a.category == "法律服务"]
    assert sum(a.quantity for a in legal) == 3
    assert all(a.resource_id == "R3" for a in legal)  # R3 is nearer than R5 for N02


def test_plan_is_identical_across_runs_and_written_once(district: Store) -> None:
    p1 = run_plan(district, write=True)
    p2 = run_plan(district, write=True)
    assert p1.model_dump_json() == p2.model_dump_json()
    assert district.counts()["relationships"].get("MATCHED_TO") == len(p1.assignments)
    stored = stored_assignments(district, p1.plan_id)
    assert [(a.need_id, a.resource_id, a.quantity, a.hops, a.unit_id) for a in stored] == \
        [(a.need_id, a.resource_id, a.quantity, a.hops, a.unit_id) for a in p1.assignments]
    assert stored_assignments(district, "plan-none") == []
    # another id is another plan; rewriting one does not touch the other
    run_plan(district, plan_id="mine", write=True)
    assert district.counts()["relationships"].get("MATCHED_TO") == 2 * len(p1.assignments)
    run_plan(district, plan_id="mine", write=True)
    assert district.counts()["relationships"].get("MATCHED_TO") == 2 * len(p1.assignments)


def test_plan_id_follows_the_state(district: Store) -> None:
    p1 = run_plan(district, write=False)
    district.merge(GraphBatch(rels=[RelRec("DISPATCHED_TO", "Need", "N11", "Resource", "R2",
                                           {"quantity": 1})]))
    p2 = run_plan(district, write=False)
    assert p1.plan_id != p2.plan_id


def test_plan_with_no_open_needs(store: Store, tmp_path: Path) -> None:
    tables = {k: v for k, v in DISTRICT.items()}
    tables["needs"] = [dict(n, status="done") for n in DISTRICT["needs"]]
    load_dataset(write_dataset(tmp_path / "d", tables), store)
    plan = run_plan(store)
    assert plan.assignments == [] and plan.unmet == []
    assert store.counts()["relationships"].get("MATCHED_TO", 0) == 0


# -- the solver on random instances --------------------------------------------------------
@st.composite
def plan_inputs(draw: st.DrawFn) -> PlanInput:
    n_needs = draw(st.integers(1, 7))
    n_res = draw(st.integers(0, 6))
    cats = ["志愿服务", "法律服务"]
    needs = {f"N{i}": {"title": None, "category": draw(st.sampled_from(cats)),
                       "quantity": draw(st.integers(0, 6))} for i in range(n_needs)}
    supply = {f"R{j}": {"category": draw(st.sampled_from(cats)), "remaining": draw(st.integers(0, 6)),
                        "unit_id": f"U{j}", "unit_name": None, "title": None} for j in range(n_res)}
    edges = {}
    for n, nd in needs.items():
        for r, s in supply.items():
            if s["category"] == nd["category"] and s["remaining"] > 0 and draw(st.booleans()):
                edges[(n, r)] = (draw(st.integers(1, 8)), s["unit_id"], "community")
    return PlanInput(needs=needs, edges=edges, supply=supply)


def independent_max_flow(inp: PlanInput) -> int:
    g = nx.DiGraph()
    for n, nd in inp.needs.items():
        g.add_edge("s", "n" + n, capacity=nd["quantity"])
    for (n, r) in inp.edges:
        g.add_edge("n" + n, "r" + r, capacity=inp.needs[n]["quantity"])
    for r, s in inp.supply.items():
        g.add_edge("r" + r, "t", capacity=s["remaining"])
    g.add_nodes_from(["s", "t"])
    return int(nx.maximum_flow_value(g, "s", "t"))


def has_negative_residual_cycle(inp: PlanInput, flow: dict[tuple[str, str], int]) -> bool:
    """Min-cost certificate: no negative-cost cycle in the residual network (Bellman-Ford)."""
    g = nx.DiGraph()
    into: dict[str, int] = defaultdict(int)
    outof: dict[str, int] = defaultdict(int)
    for (n, r), f in flow.items():
        outof[n] += f
        into[r] += f

    def add(u: str, v: str, w: int) -> None:
        if not g.has_edge(u, v) or g[u][v]["weight"] > w:
            g.add_edge(u, v, weight=w)

    for n, nd in inp.needs.items():
        if outof[n] < nd["quantity"]:
            add("s", "n" + n, 0)
        if outof[n] > 0:
            add("n" + n, "s", 0)
    for (n, r), (h, _, _) in inp.edges.items():  # one urgency and level for all: hops decide
        f = flow.get((n, r), 0)
        if f < inp.needs[n]["quantity"]:
            add("n" + n, "r" + r, h)
        if f > 0:
            add("r" + r, "n" + n, -h)
    for r, s in inp.supply.items():
        if into[r] < s["remaining"]:
            add("r" + r, "t", 0)
        if into[r] > 0:
            add("t", "r" + r, 0)
    return nx.negative_edge_cycle(g) if g.number_of_nodes() else False


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(plan_inputs())
def test_plan_respects_capacity_and_maximises_then_minimises(inp: PlanInput) -> None:
    plan = build_plan(inp)
    per_res: dict[str, int] = defaultdict(int)
    per_need: dict[str, int] = defaultdict(int)
    flow: dict[tuple[str, str], int] = {}
    for a in plan.assignments:
        assert a.quantity > 0
        assert (a.need_id, a.resource_id) in inp.edges  # only in-scope candidates
        assert a.hops == inp.edges[(a.need_id, a.resource_id)][0]
        per_res[a.resource_id] += a.quantity
        per_need[a.need_id] += a.quantity
        flow[(a.need_id, a.resource_id)] = a.quantity
    for r, q in per_res.items():
        assert q <= inp.supply[r]["remaining"]
    for n, q in per_need.items():
        assert q <= inp.needs[n]["quantity"]
    assert sum(per_need.values()) == independent_max_flow(inp)
    assert not has_negative_residual_cycle(inp, flow)
    # every need: met + unmet == asked, one verdict for any shortfall
    unmet = {u.need_id: u for u in plan.unmet}
    for n, nd in inp.needs.items():
        assert per_need[n] + (unmet[n].quantity if n in unmet else 0) == nd["quantity"]
    for u in plan.unmet:
        offered = any(s["category"] == u.category for s in inp.supply.values())
        if not offered:
            assert u.reason_code == "no_resource"
        else:
            assert u.reason_code in ("out_of_scope", "capacity_used", "shortage")
    assert build_plan(inp).model_dump() == plan.model_dump()  # deterministic


def test_shortfall_is_exactly_unmet() -> None:
    inp = PlanInput(
        needs={"A": {"title": None, "category": "c", "quantity": 4},
               "B": {"title": None, "category": "c", "quantity": 3}},
        edges={("A", "R"): (2, "U", "community"), ("B", "R"): (1, "U", "community")},
        supply={"R": {"category": "c", "remaining": 5, "unit_id": "U", "unit_name": None, "title": None}})
    plan = build_plan(inp)
    assert {(a.need_id, a.quantity) for a in plan.assignments} == {("A", 2), ("B", 3)}
    [u] = plan.unmet
    assert (u.need_id, u.quantity, u.met_quantity, u.reason_code) == ("A", 2, 2, "shortage")
    assert (u.demand, u.supply, u.shortfall) == (7, 5, 2)


def test_split_across_resources_is_min_cost() -> None:
    """A greedy nearest-first loop would give A the near resource and leave B unmet."""
    inp = PlanInput(
        needs={"A": {"title": None, "category": "c", "quantity": 2},
               "B": {"title": None, "category": "c", "quantity": 2}},
        edges={("A", "R1"): (1, "U1", "community"), ("A", "R2"): (2, "U2", "community"),
               ("B", "R1"): (3, "U1", "community")},
        supply={"R1": {"category": "c", "remaining": 2, "unit_id": "U1", "unit_name": None, "title": None},
                "R2": {"category": "c", "remaining": 2, "unit_id": "U2", "unit_name": None, "title": None}})
    plan = build_plan(inp)
    assert {(a.need_id, a.resource_id, a.quantity) for a in plan.assignments} == {
        ("A", "R2", 2), ("B", "R1", 2)}
    assert plan.unmet == []


def _res(cap: int, unit: str = "U") -> dict:
    return {"category": "c", "remaining": cap, "unit_id": unit, "unit_name": None, "title": None}


def test_the_urgent_need_wins_scarce_capacity_over_a_nearer_normal_one() -> None:
    inp = PlanInput(
        needs={"A": {"title": None, "category": "c", "quantity": 1, "urgency": "normal"},
               "B": {"title": None, "category": "c", "quantity": 1, "urgency": "urgent"}},
        edges={("A", "R"): (1, "U", "community"), ("B", "R"): (12, "U", "community")},
        supply={"R": _res(1)})
    plan = build_plan(inp)
    assert [(a.need_id, a.hops) for a in plan.assignments] == [("B", 12)]
    assert [(u.need_id, u.reason_code) for u in plan.unmet] == [("A", "shortage")]


def test_urgency_goes_before_any_saving_of_distance_over_many_units() -> None:
    """Ten 一般 units one hop away against one 较急 unit twelve hops away, capacity 10: the
    较急 unit is served, so one 一般 unit is not, whatever the hops saved."""
    inp = PlanInput(
        needs={"A": {"title": None, "category": "c", "quantity": 10, "urgency": "normal"},
               "B": {"title": None, "category": "c", "quantity": 1, "urgency": "pressing"}},
        edges={("A", "R"): (1, "U", "community"), ("B", "R"): (12, "U", "community")},
        supply={"R": _res(10)})
    plan = build_plan(inp)
    got = {a.need_id: a.quantity for a in plan.assignments}
    assert got == {"A": 9, "B": 1}


def test_most_met_still_goes_first() -> None:
    """The urgent need could take either resource; the normal one only R1: both are met."""
    inp = PlanInput(
        needs={"U": {"title": None, "category": "c", "quantity": 1, "urgency": "urgent"},
               "N": {"title": None, "category": "c", "quantity": 1, "urgency": "normal"}},
        edges={("U", "R1"): (1, "X", "community"), ("U", "R2"): (5, "Y", "community"),
               ("N", "R1"): (1, "X", "community")},
        supply={"R1": _res(1, "X"), "R2": _res(1, "Y")})
    plan = build_plan(inp)
    assert {(a.need_id, a.resource_id) for a in plan.assignments} == {("U", "R2"), ("N", "R1")}


def test_a_grid_need_is_served_inside_its_grid_before_its_community() -> None:
    inp = PlanInput(
        needs={"G": {"title": None, "category": "c", "quantity": 2, "urgency": "normal", "base": "grid"}},
        edges={("G", "RC"): (1, "X", "community"), ("G", "RG"): (9, "Y", "grid")},
        supply={"RC": _res(5, "X"), "RG": _res(1, "Y")})
    plan = build_plan(inp)
    assert {(a.resource_id, a.quantity, a.served_at) for a in plan.assignments} == {
        ("RG", 1, "grid"), ("RC", 1, "community")}


def test_out_of_scope_names_the_units_to_whistle() -> None:
    inp = PlanInput(
        needs={"A": {"title": None, "category": "c", "quantity": 1}},
        edges={},
        supply={"R": {**_res(3, "U7"), "unit_name": "区司法局"}})
    [u] = build_plan(inp).unmet
    assert u.reason_code == "out_of_scope"
    assert [(w.unit_id, w.unit_name, w.resource_id, w.spare) for w in u.whistle] == [("U7", "区司法局", "R", 3)]


# -- the embedded twin against an independent shortest-path computation -------------------
@st.composite
def random_districts(draw: st.DrawFn) -> GraphBatch:
    b = GraphBatch()
    b.nodes.append(NodeRec("District", "D"))
    streets, comms, grids, compounds = [], [], [], []
    for s in range(draw(st.integers(1, 3))):
        sid = f"S{s}"
        streets.append(sid)
        b.nodes.append(NodeRec("Street", sid, {"name": sid}))
        b.rels.append(RelRec("IN", "Street", sid, "District", "D"))
        for c in range(draw(st.integers(1, 3))):
            cid = f"{sid}C{c}"
            comms.append(cid)
            b.nodes.append(NodeRec("Community", cid, {"name": cid}))
            b.rels.append(RelRec("IN", "Community", cid, "Street", sid))
            for gi in range(draw(st.integers(0, 3))):
                gid = f"{cid}G{gi}"
                grids.append(gid)
                b.nodes.append(NodeRec("Grid", gid, {"name": gid}))
                b.rels.append(RelRec("IN", "Grid", gid, "Community", cid))
                if draw(st.booleans()):
                    pid = f"{gid}P"
                    compounds.append(pid)
                    b.nodes.append(NodeRec("Compound", pid, {"name": pid}))
                    b.rels.append(RelRec("IN", "Compound", pid, "Grid", gid))
    territory = streets + comms + grids + compounds
    tlabel = {**{x: "Street" for x in streets}, **{x: "Community" for x in comms},
              **{x: "Grid" for x in grids}, **{x: "Compound" for x in compounds}}
    orgs = []
    for i in range(draw(st.integers(0, 6))):
        lab = draw(st.sampled_from(sorted(PARTY_LABELS)))
        oid = f"O{i}"
        orgs.append((lab, oid))
        b.nodes.append(NodeRec(lab, oid, {"name": oid, "level": "网格党支部"}))
        for t in draw(st.lists(st.sampled_from(["D", *territory]), max_size=3, unique=True)):
            b.rels.append(RelRec("RESPONSIBLE_FOR", lab, oid, tlabel.get(t, "District"), t))
    units = [f"U{i}" for i in range(draw(st.integers(1, 6)))]
    for u in units:
        b.nodes.append(NodeRec("Unit", u, {"name": u, "department": draw(st.booleans())}))
        for c in draw(st.lists(st.sampled_from(comms), max_size=2, unique=True)):
            b.rels.append(RelRec("CO_BUILDS", "Unit", u, "Community", c))
        if draw(st.booleans()):
            b.rels.append(RelRec("LOCATED_IN", "Unit", u, "Street", draw(st.sampled_from(streets))))
        if orgs:
            for lab, oid in draw(st.lists(st.sampled_from(orgs), max_size=2, unique=True)):
                b.rels.append(RelRec("MEMBER_OF", "Unit", u, lab, oid))
    for k in range(draw(st.integers(0, 8))):
        kid = f"K{k}"
        b.nodes.append(NodeRec("Cadre", kid, {"name": "某*"}))
        if draw(st.booleans()):
            b.rels.append(RelRec("WORKS_AT", "Cadre", kid, "Unit", draw(st.sampled_from(units))))
        if draw(st.booleans()):
            b.rels.append(RelRec("REPORTS_TO", "Cadre", kid, "Community", draw(st.sampled_from(comms))))
    cats = ["志愿服务", "法律服务"]
    for j in range(draw(st.integers(1, 6))):
        rid = f"R{j}"
        b.nodes.append(NodeRec("Resource", rid, {"title": rid, "category": draw(st.sampled_from(cats)),
                                                 "capacity": draw(st.integers(0, 4))}))
        b.rels.append(RelRec("OFFERS", "Unit", draw(st.sampled_from(units)), "Resource", rid))
    places = [("Grid", g) for g in grids] + [("Community", c) for c in comms]
    for n in range(draw(st.integers(1, 5))):
        nid = f"N{n}"
        b.nodes.append(NodeRec("Need", nid, {
            "title": nid, "category": draw(st.sampled_from(cats)), "quantity": draw(st.integers(1, 3)),
            "status": draw(st.sampled_from(["ordered", "accepted", "done"])),
            "scope": draw(st.sampled_from(["grid", "community", "street", None]))}))
        lab, pid = draw(st.sampled_from(places))
        b.rels.append(RelRec("RAISED_AT", "Need", nid, lab, pid))
        if draw(st.integers(0, 3)) == 0:
            b.rels.append(RelRec("DISPATCHED_TO", "Need", nid, "Resource",
                                 f"R{draw(st.integers(0, 0))}", {"quantity": draw(st.integers(0, 3))}))
    return b


_SUBGRAPHS: dict[tuple[str, str], tuple[nx.Graph, str]] = {}
"""(need id, unit id) -> (the allowed undirected linkage subgraph of the level the unit is served
at, the need's place), set by expected_candidates."""


def smallest_shortest_path(eg: EmbeddedGraph, need_id: str, unit_id: str) -> list[str]:
    """Ids of the lexicographically smallest (by (id, label) of its nodes) of all shortest
    paths from the need's place to the unit, by plain networkx on the allowed subgraph."""
    sub, loc = _SUBGRAPHS[(need_id, unit_id)]
    key = lambda k: (eg.g.nodes[k]["id"], eg.g.nodes[k]["label"])  # noqa: E731
    paths = nx.all_shortest_paths(sub, loc, f"Unit:{unit_id}")
    return [eg.g.nodes[k]["id"] for k in min(paths, key=lambda p: [key(k) for k in p])]


def oracle_ladder(eg: EmbeddedGraph, need_key: str) -> tuple[str, dict[str, str], list[str]]:
    """For the test oracles, by hand: where need ``need_key`` was raised, the IN parent of
    every node, and the levels of its ladder lowest first (grid only for a grid-scope need
    raised at a grid; community; street for a street-scope or escalated need)."""
    g = eg.g
    need = g.nodes[need_key]
    (loc,) = [v for _, v, d in g.out_edges(need_key, data=True) if d["type"] == "RAISED_AT"]
    parent = {u: v for u, v, d in g.edges(data=True) if d["type"] == "IN"}
    scope = need.get("scope") or "community"
    if scope == "grid" and g.nodes[loc]["label"] != "Grid":
        scope = "community"
    levels = (["grid"] if scope == "grid" else []) + ["community"]
    if scope == "street" or need.get("status") == "escalated":
        levels.append("street")
    return loc, parent, levels


def expected_candidates(eg: EmbeddedGraph, need_id: str) -> tuple[set[tuple[str, str, int]], set[str]]:
    """(unit, resource, hops) by plain networkx shortest paths on the allowed subgraph of each
    level of the need's ladder (网格 → 社区 → 街道: the lowest level reaching the unit gives its
    hops), and the ids of the territory and party organisations the need may pass at its top
    level (its widest reach)."""
    loc, parent, levels = oracle_ladder(eg, f"Need:{need_id}")
    out: set[tuple[str, str, int]] = set()
    served: set[tuple[str, str]] = set()
    for level in levels:
        reach = _level_candidates(eg, need_id, loc, parent, level, out, served)
    return out, reach


def _level_candidates(eg: EmbeddedGraph, need_id: str, loc: str, parent: dict[str, str], level: str,
                      out: set[tuple[str, str, int]], served: set[tuple[str, str]]) -> set[str]:
    """Add to ``out`` the candidates first reached at ``level`` (not yet in ``served``); return
    that level's reach."""
    g = eg.g
    need = g.nodes[f"Need:{need_id}"]
    root = loc
    want = {"grid": "Grid", "community": "Community", "street": "Street"}[level]
    while g.nodes[root]["label"] != want:
        root = parent[root]

    def inside(t: str | None) -> bool:
        while t is not None:
            if t == root:
                return True
            t = parent.get(t)
        return False

    territory = set(MODEL.territory_labels)
    und = nx.Graph()
    for u, v, d in g.edges(data=True):
        if d["type"] in MODEL.linkage_types:
            und.add_edge(u, v)

    def passable(k: str) -> bool:
        if g.nodes[k]["label"] in territory:
            return inside(k)
        if "PartyOrg" in g.nodes[k]["labels"]:  # responsible for something inside the reach
            return any(d["type"] == "RESPONSIBLE_FOR" and g.nodes[t]["label"] in territory and inside(t)
                       for _, t, d in g.out_edges(k, data=True))
        return True

    allowed = [k for k in und if passable(k)]
    sub = und.subgraph(allowed)
    dist = nx.single_source_shortest_path_length(sub, loc, cutoff=MAX_HOPS) \
        if loc in und else {loc: 0}
    for rk in eg.nodes_of("Resource"):
        r = g.nodes[rk]
        if r["category"] != need["category"]:
            continue
        used = sum(d.get("quantity") for _, _, d in g.in_edges(rk, data=True) if d["type"] == "DISPATCHED_TO")
        if r["capacity"] - used <= 0:
            continue
        for u, _, d in g.in_edges(rk, data=True):
            if d["type"] == "OFFERS" and u in dist and (g.nodes[u]["id"], r["id"]) not in served:
                served.add((g.nodes[u]["id"], r["id"]))
                out.add((g.nodes[u]["id"], r["id"], dist[u]))
                _SUBGRAPHS[(need_id, g.nodes[u]["id"])] = (sub, loc)
    return {g.nodes[k]["id"] for k in g
            if (g.nodes[k]["label"] in territory or "PartyOrg" in g.nodes[k]["labels"]) and passable(k)}


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_districts())
def test_embedded_twin_matches_plain_shortest_paths(batch: GraphBatch) -> None:
    eg = graph_of(batch)
    nearest = registry.get("nearest_units").embedded
    rel_types: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    for u, v, d in eg.g.edges(data=True):
        rel_types[(eg.g.nodes[u]["id"], eg.g.nodes[v]["id"])].append((d["type"], True))
        rel_types[(eg.g.nodes[v]["id"], eg.g.nodes[u]["id"])].append((d["type"], False))
    plan_rows = registry.get("plan_candidates").embedded(eg, statuses=list(OPEN_STATUSES))
    by_need: dict[str, set[tuple[str, str, int]]] = defaultdict(set)
    for r in plan_rows:
        if r["resource_id"] is not None:
            by_need[r["need_id"]].add((r["unit_id"], r["resource_id"], r["hops"]))
    for nk in eg.nodes_of("Need"):
        nid = eg.g.nodes[nk]["id"]
        want, reach = expected_candidates(eg, nid)
        rows = nearest(eg, need_id=nid)
        assert {(r["unit_id"], r["resource_id"], r["hops"]) for r in rows} == want
        for r in rows:
            steps = [PathStep(id=i, label=lab, name=nm, rel=rel, forward=fw) for i, lab, nm, rel, fw in zip(
                r["path_ids"], r["path_labels"], r["path_names"], r["path_rels"] + [None],
                r["path_forward"] + [None])]
            start = next(eg.g.nodes[v]["id"] for _, v, d in eg.g.out_edges(nk, data=True)
                     if d["type"] == "RAISED_AT")
            check_path(steps, r["hops"], start, r["unit_id"], rel_types, reach)
            # of tied shortest paths, the smallest (what nearest_units.cypher orders first)
            assert r["path_ids"] == smallest_shortest_path(eg, nid, r["unit_id"])
            for a, b, rel, fw in zip(r["path_ids"], r["path_ids"][1:], r["path_rels"], r["path_forward"]):
                assert (rel, fw) == min(rel_types[(a, b)])
        if eg.g.nodes[nk].get("status") in OPEN_STATUSES:
            assert by_need[nid] == want


# -- Huinong -----------------------------------------------------------------------------
def test_huinong_every_open_need_gets_a_verdict(huinong_store: Store) -> None:
    with (HUINONG / "needs.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    open_zh = {"待接单", "已接单", "已吹哨", "ordered", "accepted", "escalated"}
    asked = {r["编号"]: int(r["数量"] or 1) for r in rows if r["状态"] in open_zh}
    assert asked, "the bundled data should have open needs"
    plan = run_plan(huinong_store, write=False)
    met: dict[str, int] = defaultdict(int)
    for a in plan.assignments:
        met[a.need_id] += a.quantity
    unmet = {u.need_id: u for u in plan.unmet}
    assert set(met) | set(unmet) <= set(asked)
    for nid, q in asked.items():
        assert met[nid] + (unmet[nid].quantity if nid in unmet else 0) == q, nid
        assert nid in met or nid in unmet
    supply = {r["resource_id"]: r["remaining"] for r in queries.resource_supply(huinong_store)}
    used: dict[str, int] = defaultdict(int)
    for a in plan.assignments:
        used[a.resource_id] += a.quantity
    assert all(q <= supply[r] for r, q in used.items())
    # the deliberate gaps of the sample data show up: 养老托幼 and 物业环境 ask for more than the
    # whole district offers, so at least the difference stays unmet (with spare capacity of
    # those categories stranded out of every asking need's scope, its reason is out_of_scope;
    # capacity_used is covered on the hand-made district) …
    category = {r["编号"]: r["类别"] for r in rows}
    for cat in ("养老托幼", "物业环境"):
        demand = sum(q for nid, q in asked.items() if category[nid] == cat)
        offered = sum(r["remaining"] for r in queries.resource_supply(huinong_store) if r["category"] == cat)
        assert demand > offered, cat
        assert sum(u.quantity for u in plan.unmet if u.category == cat) >= demand - offered, cat
    # … and so do the legal needs of the streets no legal provider is linked into
    assert any(u.category == "法律服务" and u.reason_code == "out_of_scope" for u in plan.unmet)
    assert run_plan(huinong_store, write=False).model_dump() == plan.model_dump()


def test_huinong_paths_are_real(huinong_store: Store) -> None:
    edges = edges_of(huinong_store)
    plan = run_plan(huinong_store, write=False)
    for nid in sorted({a.need_id for a in plan.assignments})[:25]:
        m = match_need(huinong_store, nid, top=None)
        assert m.candidates
        for c in m.candidates:
            check_path(c.path, c.hops, m.location_id, c.unit_id, edges)
        hops = {(c.resource_id): c.hops for c in m.candidates}
        for a in plan.assignments:
            if a.need_id == nid:
                assert hops[a.resource_id] == a.hops


# -- the CLI -----------------------------------------------------------------------------
@pytest.fixture
def cli_store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    load_dataset(write_dataset(tmp_path / "district", DISTRICT), EmbeddedStore(path))
    return path


def run_cli(*args: str) -> object:
    from orglink.cli import app, import_commands

    import_commands()
    return CliRunner().invoke(app, list(args))


def test_cli_match(cli_store: Path) -> None:
    r = run_cli("match", "N01", "--store", str(cli_store), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)["candidates"]
    assert [(c["unit_id"], c["unit_name"], c["resource_id"], c["hops"]) for c in data] == [
        ("U1", "春晖小学", "R1", 2), ("U2", "远方企业", "R2", 4)]
    assert [s["id"] for s in data[0]["path"]] == ["G1", "C1", "U1"]
    r = run_cli("match", "N01", "--store", str(cli_store), "--top", "1")
    assert r.exit_code == 0, r.output
    assert "春晖小学" in r.stdout and "远方企业" not in r.stdout
    assert "春晖一网格 →属于→ 春晖社区 ←共建← 春晖小学" in r.stdout
    r = run_cli("match", "N09", "--store", str(cli_store))
    assert r.exit_code == 0 and "全区没有提供相符资源的单位" in r.stdout
    r = run_cli("match", "NOPE", "--store", str(cli_store))
    assert r.exit_code == 1 and "需求不存在" in r.output


def test_cli_plan(cli_store: Path) -> None:
    r = run_cli("plan", "--store", str(cli_store), "--json", "--no-write")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) >= {"plan_id", "assignments", "unmet"}
    assert {"need_id", "resource_id", "unit_id", "quantity", "hops"} <= set(data["assignments"][0])
    assert {"need_id", "reason", "reason_code", "quantity"} <= set(data["unmet"][0])
    assert EmbeddedStore(cli_store).counts()["relationships"].get("MATCHED_TO", 0) == 0
    r = run_cli("plan", "--store", str(cli_store))
    assert r.exit_code == 0, r.output
    assert data["plan_id"] in r.stdout and "配对明细" in r.stdout and "未满足需求" in r.stdout
    assert EmbeddedStore(cli_store).counts()["relationships"]["MATCHED_TO"] == len(data["assignments"])


# -- the Cypher files ----------------------------------------------------------------------
MATCHING_QUERIES = ("need_context", "nearest_units", "plan_candidates", "resource_supply",
                    "write_plan", "get_plan")


@pytest.mark.parametrize("name", MATCHING_QUERIES)
def test_cypher_files_are_documented_and_parameterised(name: str) -> None:
    q = registry.get(name)
    text = q.cypher
    lines = text.splitlines()
    assert lines[0].startswith("// ") and any(ln.startswith("// Parameters:") for ln in lines)
    body = "\n".join(ln for ln in lines if not ln.lstrip().startswith("//"))
    assert ";" not in body  # one statement
    assert q.write == (name == "write_plan")


def test_cypher_secondary_labels_match_the_model() -> None:
    secondary = sorted({lab for n in MODEL.nodes for lab in (*n.extra_labels, *n.flag_labels)})
    literal = "['" + "', '".join(["PartyOrg", "Department", "ResidentUnit"]) + "']"
    assert sorted(["PartyOrg", "Department", "ResidentUnit"]) == secondary
    assert literal in registry.get("nearest_units").cypher


def test_cypher_linkage_types_match_the_model() -> None:
    pattern = "|".join(MODEL.linkage_types)
    for name in ("nearest_units", "plan_candidates"):
        assert f"[:{pattern}*..{MAX_HOPS}]" in registry.get(name).cypher


def test_write_plan_skips_rows_naming_missing_nodes(district: Store) -> None:
    rows = [{"need_id": "N01", "resource_id": "R1", "rank": 1, "hops": 2, "quantity": 1},
            {"need_id": "NOPE", "resource_id": "R1", "rank": 1, "hops": 2, "quantity": 1},
            {"need_id": "N02", "resource_id": "R-none", "rank": 1, "hops": 3, "quantity": 1}]
    figures = {"created_at": "2025-03-01T09:30:00+08:00", "input_hash": "h", "needs": 3, "met": 1,
               "unmet": 2, "keep": 10}
    got = queries.write_plan(district, plan_id="p1", rows=rows, **figures)  # type: ignore[arg-type]
    assert [(r["need_id"], r["resource_id"], r["deleted"]) for r in got] == [("N01", "R1", 0)]
    got = queries.write_plan(district, plan_id="p1", rows=rows[:1], **figures)  # type: ignore[arg-type]
    assert [(r["need_id"], r["deleted"]) for r in got] == [("N01", 1)]
    assert queries.write_plan(district, plan_id="p1", rows=[], **figures) == []  # type: ignore[arg-type]
    assert district.counts()["relationships"].get("MATCHED_TO", 0) == 0
    assert queries.get_plan(district, plan_id="p1") == []
    assert [p["id"] for p in queries.list_plans(district)] == ["p1"]  # a plan that met nothing is still one
