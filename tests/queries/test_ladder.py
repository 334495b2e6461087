"""The 网格→社区→街道 ladder of the candidate queries (issue 11, step 3): ``nearest_units`` and
``plan_candidates`` serve each candidate at the lowest level whose reach leads to it.

"小事不出网格、大事不出社区": a grid-scope need raised at a grid is searched inside its grid,
then its community; a community-scope need inside its community; a street-scope need inside
its community, then its street; an escalated (吹哨) need may go up to its street whatever its
scope. Each row says where the unit was found (``served_at``) and carries the hops (and, in
``nearest_units``, the path) of that level. Every test using ``store`` runs on both backends
with the same literal expectations; the hypothesis tests compare the embedded twin with plain
networkx and with Neo4j on generated districts with some needs escalated.

The hand-made district (``LADDER``)::

    D 测试区            ← DC 区委 (members: UC, UD)
    ├── S1 南街街道     ← W1 党工委 (member: UW)
    │   ├── C1 春晖社区 ← CC1; cadre K1 (works at UK) reports to C1
    │   │   ├── G1      ← B1 网格党支部 (member: UG); P1 小区 in G1 ← PG1 党小组 (member: UX)
    │   │   └── G2
    │   └── C2 星火社区
    │       └── G3
    └── S2 园艺镇
        └── C3 桥东社区
            └── G4

    UG  member of B1                      便民服务 RG ×5     from G1: grid 2
    UC  co-builds C1, member of DC        志愿服务 RC ×5, 便民服务 RC2 ×4   community 2
    UX  member of PG1, co-builds C1       文化体育 RX ×2     grid 3 (G1←P1←PG1←UX); community 2
    UK  (cadre K1 → C1)                   志愿服务 RK ×3     community 3
    US  co-builds C2                      志愿服务 RS ×5     street 4 (G1→C1→S1←C2←US)
    UW  member of W1                      法律服务 RW ×2     street 4 (G1→C1→S1←W1←UW)
    UO  co-builds C3                      志愿服务 RO ×5     never from S1; from G4: community 2
    UD  member of DC                      志愿服务 RD ×5     never (only through the 区委)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orglink import queries
from orglink.graph.embedded import EmbeddedGraph, EmbeddedStore
from orglink.graph.model import MODEL, OPEN_STATUSES
from orglink.graph.store import GraphBatch, NodeRec, RelRec, Store
from orglink.matching.plan import run_plan
from orglink.queries import registry
from orglink.queries.linkage import LEVELS, MAX_HOPS, allowed_top, effective_scope, ladder
from tests import neo4j_support
from tests.datasets import graph_of
from tests.matching.test_matching import oracle_ladder, random_districts

ALL_OPEN = [*OPEN_STATUSES, "escalated"]
"""Statuses for ``plan_candidates`` that take the escalated needs in too."""


def _ladder_batch() -> GraphBatch:
    b = GraphBatch()
    node, rel = b.nodes.append, b.rels.append
    node(NodeRec("District", "D", {"name": "测试区"}))
    for sid, name in (("S1", "南街街道"), ("S2", "园艺镇")):
        node(NodeRec("Street", sid, {"name": name}))
        rel(RelRec("IN", "Street", sid, "District", "D"))
    for cid, sid in (("C1", "S1"), ("C2", "S1"), ("C3", "S2")):
        node(NodeRec("Community", cid, {"name": cid}))
        rel(RelRec("IN", "Community", cid, "Street", sid))
    for gid, cid in (("G1", "C1"), ("G2", "C1"), ("G3", "C2"), ("G4", "C3")):
        node(NodeRec("Grid", gid, {"name": gid}))
        rel(RelRec("IN", "Grid", gid, "Community", cid))
    node(NodeRec("Compound", "P1", {"name": "春晖小区"}))
    rel(RelRec("IN", "Compound", "P1", "Grid", "G1"))
    for label, oid, area, area_label in (("DistrictCommittee", "DC", "D", "District"),
                                         ("WorkingCommittee", "W1", "S1", "Street"),
                                         ("CommunityCommittee", "CC1", "C1", "Community"),
                                         ("GridBranch", "B1", "G1", "Grid"),
                                         ("PartyGroup", "PG1", "P1", "Compound")):
        node(NodeRec(label, oid, {"name": oid}))
        rel(RelRec("RESPONSIBLE_FOR", label, oid, area_label, area))
    for uid in ("UG", "UC", "UX", "UK", "US", "UW", "UO", "UD"):
        node(NodeRec("Unit", uid, {"name": uid}))
    for uid, label, oid in (("UG", "GridBranch", "B1"), ("UC", "DistrictCommittee", "DC"),
                            ("UX", "PartyGroup", "PG1"), ("UW", "WorkingCommittee", "W1"),
                            ("UD", "DistrictCommittee", "DC")):
        rel(RelRec("MEMBER_OF", "Unit", uid, label, oid))
    for uid, cid in (("UC", "C1"), ("UX", "C1"), ("US", "C2"), ("UO", "C3")):
        rel(RelRec("CO_BUILDS", "Unit", uid, "Community", cid))
    node(NodeRec("Cadre", "K1", {"name": "张*"}))
    rel(RelRec("WORKS_AT", "Cadre", "K1", "Unit", "UK"))
    rel(RelRec("REPORTS_TO", "Cadre", "K1", "Community", "C1"))
    for rid, uid, category, capacity in (("RG", "UG", "便民服务", 5), ("RC", "UC", "志愿服务", 5),
                                         ("RC2", "UC", "便民服务", 4), ("RX", "UX", "文化体育", 2),
                                         ("RK", "UK", "志愿服务", 3), ("RS", "US", "志愿服务", 5),
                                         ("RW", "UW", "法律服务", 2), ("RO", "UO", "志愿服务", 5),
                                         ("RD", "UD", "志愿服务", 5)):
        node(NodeRec("Resource", rid, {"title": rid, "category": category, "capacity": capacity}))
        rel(RelRec("OFFERS", "Unit", uid, "Resource", rid))
    for nid, place, scope, category, status in (
            ("NG1", "G1", "grid", "便民服务", "ordered"),
            ("NG2", "G1", "grid", "志愿服务", "ordered"),
            ("NG3", "G1", "grid", "文化体育", "accepted"),
            ("NG4", "G1", "grid", "法律服务", "ordered"),
            ("NG5", "G2", "grid", "便民服务", "ordered"),
            ("NC1", "G1", "community", "志愿服务", "ordered"),
            ("NC2", "G1", "community", "便民服务", "accepted"),
            ("NC3", "G1", "community", "法律服务", "ordered"),
            ("NQ", "C1", "grid", "志愿服务", "ordered"),  # grid scope at a community: community
            ("NS1", "G1", "street", "志愿服务", "ordered"),
            ("NS2", "G1", "street", "法律服务", "accepted"),
            ("NT", "G4", "street", "志愿服务", "ordered"),
            ("NE1", "G1", "grid", "志愿服务", "escalated"),
            ("NE2", "G1", "grid", "法律服务", "escalated"),
            ("NE3", "G2", "community", "便民服务", "escalated"),
            ("ND", "G1", "grid", "志愿服务", "done")):
        node(NodeRec("Need", nid, {"title": nid, "category": category, "quantity": 1, "status": status,
                                   "scope": scope}))
        rel(RelRec("RAISED_AT", "Need", nid, "Grid" if place.startswith("G") else "Community", place))
    return b


LADDER = _ladder_batch()


@pytest.fixture
def district(store: Store) -> Store:
    """The ladder district in an empty store of each backend."""
    store.merge(LADDER)
    return store


def near(store: Store, need_id: str) -> list[tuple[str, str, int, str]]:
    """(unit, resource, hops, served_at) of each ``nearest_units`` row, in the query's order."""
    return [(r["unit_id"], r["resource_id"], r["hops"], r["served_at"])
            for r in queries.nearest_units(store, need_id=need_id)]


def cands(store: Store, statuses: list[str] = ALL_OPEN) -> dict[str, list[tuple[Any, ...]]]:
    """need id -> (unit, resource, hops, served_at) of its ``plan_candidates`` rows."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for r in queries.plan_candidates(store, statuses=statuses):
        out.setdefault(r["need_id"], []).append((r["unit_id"], r["resource_id"], r["hops"], r["served_at"]))
    return out


# -- the rule ------------------------------------------------------------------------------
@pytest.mark.parametrize(("scope", "label", "status", "want"), [
    ("grid", "Grid", "ordered", ("grid", "community")),
    ("grid", "Community", "ordered", ("community",)),
    ("community", "Grid", "accepted", ("community",)),
    (None, "Grid", "ordered", ("community",)),
    ("street", "Grid", "ordered", ("community", "street")),
    ("street", "Community", "ordered", ("community", "street")),
    ("grid", "Grid", "escalated", ("grid", "community", "street")),
    ("community", "Community", "escalated", ("community", "street")),
])
def test_the_ladder_of_a_need(scope: str | None, label: str, status: str, want: tuple[str, ...]) -> None:
    assert ladder(scope, label, status) == want
    assert allowed_top(scope, label, status) == want[-1]
    assert want[0] == ("grid" if effective_scope(scope, label) == "grid" else "community")
    assert list(want) == [lv for lv in LEVELS if lv in want]


# -- the hand-made district, on each backend ---------------------------------------------
def test_a_grid_need_is_served_in_its_grid_with_the_grid_path(district: Store) -> None:
    # 便民服务: UG is B1's member (grid); UC only through C1 (community)
    assert near(district, "NG1") == [("UG", "RG", 2, "grid"), ("UC", "RC2", 2, "community")]
    # 文化体育: UX is 2 hops away through C1, but the grid reaches it in 3: served at the grid,
    # with the grid's hops and path (G1←P1←PG1←UX), not the community's shorter one
    [row] = queries.nearest_units(district, need_id="NG3")
    assert (row["unit_id"], row["hops"], row["served_at"]) == ("UX", 3, "grid")
    assert row["path_ids"] == ["G1", "P1", "PG1", "UX"]
    assert row["path_labels"] == ["Grid", "Compound", "PartyGroup", "Unit"]
    assert row["path_rels"] == ["IN", "RESPONSIBLE_FOR", "MEMBER_OF"]
    assert row["path_forward"] == [False, False, False]
    assert cands(district)["NG3"] == [("UX", "RX", 3, "grid")]


def test_a_grid_need_with_nothing_in_its_grid_climbs_to_its_community(district: Store) -> None:
    # 志愿服务 at G1: nothing in the grid; UC and UK through C1; US (street) stays out of reach
    assert near(district, "NG2") == [("UC", "RC", 2, "community"), ("UK", "RK", 3, "community")]
    [uk] = [r for r in queries.nearest_units(district, need_id="NG2") if r["unit_id"] == "UK"]
    assert uk["path_ids"] == ["G1", "C1", "K1", "UK"]
    # G2 has no grid branch: B1's member UG is found through the community (G2→C1←G1←B1←UG)
    rows = queries.nearest_units(district, need_id="NG5")
    assert [(r["unit_id"], r["hops"], r["served_at"]) for r in rows] == [("UC", 2, "community"),
                                                                        ("UG", 4, "community")]
    assert rows[1]["path_ids"] == ["G2", "C1", "G1", "B1", "UG"]
    # nothing up to the community: no row (legal help is only at the street)
    assert near(district, "NG4") == []
    got = cands(district)
    assert got["NG2"] == [("UC", "RC", 2, "community"), ("UK", "RK", 3, "community")]
    assert got["NG4"] == [(None, None, None, None)]
    assert got["NG5"] == [("UC", "RC2", 2, "community"), ("UG", "RG", 4, "community")]


def test_a_community_need_never_gets_street_candidates(district: Store) -> None:
    assert near(district, "NC1") == [("UC", "RC", 2, "community"), ("UK", "RK", 3, "community")]
    # the grid is not a rung of a community-scope need: UG is served at the community
    assert near(district, "NC2") == [("UG", "RG", 2, "community"), ("UC", "RC2", 2, "community")]
    assert near(district, "NC3") == []  # UW only through the street
    assert near(district, "NQ") == [("UC", "RC", 1, "community"), ("UK", "RK", 2, "community")]
    rows = {r["need_id"]: r for r in queries.plan_candidates(district, statuses=ALL_OPEN)}
    assert rows["NQ"]["scope"] == "community" and rows["NC3"]["served_at"] is None
    assert all(c[3] != "street" for nid in ("NC1", "NC2", "NC3", "NQ") for c in cands(district)[nid])


def test_a_street_need_is_served_at_the_street_only_through_the_street(district: Store) -> None:
    assert near(district, "NS1") == [("UC", "RC", 2, "community"), ("UK", "RK", 3, "community"),
                                     ("US", "RS", 4, "street")]
    [us] = [r for r in queries.nearest_units(district, need_id="NS1") if r["unit_id"] == "US"]
    assert us["path_ids"] == ["G1", "C1", "S1", "C2", "US"]
    assert near(district, "NS2") == [("UW", "RW", 4, "street")]
    # G4 in S2: UO co-builds its community; UD is reachable only through the 区委, never
    assert near(district, "NT") == [("UO", "RO", 2, "community")]
    got = cands(district)
    assert got["NS1"] == [("UC", "RC", 2, "community"), ("UK", "RK", 3, "community"), ("US", "RS", 4, "street")]
    assert got["NS2"] == [("UW", "RW", 4, "street")]
    assert all(c[0] not in ("UD", "UO") for nid, cs in got.items() if nid != "NT" for c in cs)


def test_an_escalated_need_reaches_street_units_whatever_its_scope(district: Store) -> None:
    assert near(district, "NE1") == [("UC", "RC", 2, "community"), ("UK", "RK", 3, "community"),
                                     ("US", "RS", 4, "street")]
    assert near(district, "NE2") == [("UW", "RW", 4, "street")]
    # the same grid-scope legal need not escalated finds nothing (NG4 above)
    assert near(district, "NE3") == [("UC", "RC2", 2, "community"), ("UG", "RG", 4, "community")]
    got = cands(district)
    assert got["NE1"] == [("UC", "RC", 2, "community"), ("UK", "RK", 3, "community"), ("US", "RS", 4, "street")]
    assert got["NE2"] == [("UW", "RW", 4, "street")]
    assert "escalated" in OPEN_STATUSES  # the plan reads escalated needs too, up to the street
    assert cands(district, list(OPEN_STATUSES))["NE1"] == got["NE1"]
    assert "NE1" not in cands(district, ["ordered", "accepted"])
    # escalated needs keep their own scope in the scope column
    scopes = {r["need_id"]: r["scope"] for r in queries.plan_candidates(district, statuses=["escalated"])}
    assert scopes == {"NE1": "grid", "NE2": "grid", "NE3": "community"}


def test_plan_candidates_rows_in_full(district: Store) -> None:
    """Every column of the not-escalated open needs' rows, in the query's order (need, resource,
    unit, place); the escalated ones are checked above."""
    rows = queries.plan_candidates(district, statuses=["ordered", "accepted"])
    cols = ("need_id", "category", "quantity", "location_id", "scope", "resource_id", "unit_id",
            "remaining", "hops", "served_at")
    assert all(set(r) == {*cols, "need_title"} for r in rows)
    assert [tuple(r[c] for c in cols) for r in rows] == [
        ("NC1", "志愿服务", 1, "G1", "community", "RC", "UC", 5, 2, "community"),
        ("NC1", "志愿服务", 1, "G1", "community", "RK", "UK", 3, 3, "community"),
        ("NC2", "便民服务", 1, "G1", "community", "RC2", "UC", 4, 2, "community"),
        ("NC2", "便民服务", 1, "G1", "community", "RG", "UG", 5, 2, "community"),
        ("NC3", "法律服务", 1, "G1", "community", None, None, None, None, None),
        ("NG1", "便民服务", 1, "G1", "grid", "RC2", "UC", 4, 2, "community"),
        ("NG1", "便民服务", 1, "G1", "grid", "RG", "UG", 5, 2, "grid"),
        ("NG2", "志愿服务", 1, "G1", "grid", "RC", "UC", 5, 2, "community"),
        ("NG2", "志愿服务", 1, "G1", "grid", "RK", "UK", 3, 3, "community"),
        ("NG3", "文化体育", 1, "G1", "grid", "RX", "UX", 2, 3, "grid"),
        ("NG4", "法律服务", 1, "G1", "grid", None, None, None, None, None),
        ("NG5", "便民服务", 1, "G2", "grid", "RC2", "UC", 4, 2, "community"),
        ("NG5", "便民服务", 1, "G2", "grid", "RG", "UG", 5, 4, "community"),
        ("NQ", "志愿服务", 1, "C1", "community", "RC", "UC", 5, 1, "community"),
        ("NQ", "志愿服务", 1, "C1", "community", "RK", "UK", 3, 2, "community"),
        ("NS1", "志愿服务", 1, "G1", "street", "RC", "UC", 5, 2, "community"),
        ("NS1", "志愿服务", 1, "G1", "street", "RK", "UK", 3, 3, "community"),
        ("NS1", "志愿服务", 1, "G1", "street", "RS", "US", 5, 4, "street"),
        ("NS2", "法律服务", 1, "G1", "street", "RW", "UW", 2, 4, "street"),
        ("NT", "志愿服务", 1, "G4", "street", "RO", "UO", 5, 2, "community"),
    ]
    # the plan still reads them (an extra column is fine)
    plan = run_plan(district, write=False)
    assert {a.need_id for a in plan.assignments} >= {"NG1", "NG2", "NG3", "NS2"}


def test_retired_nodes_stay_off_every_rung(district: Store) -> None:
    """A retired compound takes UX off NG3's grid rung (it is found through the community);
    a retired grid branch takes UG, whose only way in it was, off every rung."""
    district.merge(GraphBatch(nodes=[NodeRec("Compound", "P1", {"name": "春晖小区", "retired_on": "2025-03-01"}),
                                     NodeRec("GridBranch", "B1", {"name": "B1", "retired_on": "2025-03-01"})]))
    assert near(district, "NG3") == [("UX", "RX", 2, "community")]
    assert near(district, "NG1") == [("UC", "RC2", 2, "community")]
    got = cands(district)
    assert got["NG3"] == [("UX", "RX", 2, "community")]
    assert got["NG1"] == [("UC", "RC2", 2, "community")]


# -- the same rows on both backends ------------------------------------------------------
@pytest.fixture
def both(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """(embedded, Neo4j) holding the ladder district."""
    with neo4j_support.embedded_and_neo4j(tmp_path, lambda s, _: s.merge(LADDER)) as stores:
        yield stores


@pytest.mark.neo4j
def test_both_backends_give_the_same_rows(both: tuple[Store, Store]) -> None:
    emb, neo = both
    needs = sorted(n.id for n in LADDER.nodes if n.label == "Need")
    for nid in needs:
        want = queries.nearest_units(emb, need_id=nid)
        assert queries.nearest_units(neo, need_id=nid) == want, nid
        assert queries.need_context(neo, need_id=nid) == queries.need_context(emb, need_id=nid), nid
    for statuses in (list(OPEN_STATUSES), ALL_OPEN, ["escalated"], ["done"], []):
        assert queries.plan_candidates(neo, statuses=statuses) == queries.plan_candidates(emb, statuses=statuses)
    assert any(r["served_at"] == "street" for r in queries.plan_candidates(emb, statuses=ALL_OPEN))


# -- generated districts -------------------------------------------------------------------
@st.composite
def districts_with_escalations(draw: st.DrawFn) -> GraphBatch:
    """:func:`random_districts` with some of the needs escalated (吹哨)."""
    batch = draw(random_districts())
    nodes = []
    for n in batch.nodes:
        if n.label == "Need" and draw(st.integers(0, 2)) == 0:
            n = dataclasses.replace(n, props={**n.props, "status": "escalated"})
        nodes.append(n)
    return GraphBatch(nodes=nodes, rels=batch.rels)



def ladder_oracle(eg: EmbeddedGraph, need_key: str) -> dict[tuple[str, str], tuple[int, str, list[str]]]:
    """(unit, resource) -> (hops, served_at, ids of the smallest shortest path) by plain networkx:
    one allowed subgraph per level of the need's ladder, the lowest level reaching the unit wins."""
    g = eg.g
    need = g.nodes[need_key]
    loc, parent, levels = oracle_ladder(eg, need_key)
    territory = set(MODEL.territory_labels)
    und = nx.Graph()
    for u, v, d in g.edges(data=True):
        if d["type"] in MODEL.linkage_types:
            und.add_edge(u, v)
    key = lambda k: (g.nodes[k]["id"], g.nodes[k]["label"])  # noqa: E731
    offers = []
    for rk in eg.nodes_of("Resource"):
        r = g.nodes[rk]
        used = sum(d.get("quantity") or 0 for _, _, d in g.in_edges(rk, data=True) if d["type"] == "DISPATCHED_TO")
        if r["category"] == need["category"] and (r.get("capacity") or 0) - used > 0:
            offers += [(u, r["id"]) for u, _, d in g.in_edges(rk, data=True) if d["type"] == "OFFERS"]
    out: dict[tuple[str, str], tuple[int, str, list[str]]] = {}
    for level in levels:
        want = {"grid": "Grid", "community": "Community", "street": "Street"}[level]
        root = loc
        while g.nodes[root]["label"] != want:
            root = parent[root]

        def inside(t: str | None, root: str = root) -> bool:
            while t is not None:
                if t == root:
                    return True
                t = parent.get(t)
            return False

        def passable(k: str, inside: Any = inside) -> bool:
            if g.nodes[k]["label"] in territory:
                return bool(inside(k))
            if "PartyOrg" in g.nodes[k]["labels"]:
                return any(d["type"] == "RESPONSIBLE_FOR" and inside(t) for _, t, d in g.out_edges(k, data=True))
            return True

        sub = und.subgraph([k for k in und if passable(k)])
        dist = nx.single_source_shortest_path_length(sub, loc, cutoff=MAX_HOPS) if loc in sub else {loc: 0}
        for u, rid in offers:
            uid = g.nodes[u]["id"]
            if (uid, rid) in out or u not in dist:
                continue
            path = min(nx.all_shortest_paths(sub, loc, u), key=lambda p: [key(k) for k in p])
            out[(uid, rid)] = (dist[u], level, [g.nodes[k]["id"] for k in path])
    return out


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=districts_with_escalations())
def test_the_embedded_ladder_matches_plain_shortest_paths(batch: GraphBatch) -> None:
    eg = graph_of(batch)
    nearest = registry.get("nearest_units").embedded
    plan_rows = registry.get("plan_candidates").embedded(eg, statuses=ALL_OPEN)
    by_need: dict[str, set[tuple[str, str, int, str]]] = {}
    for r in plan_rows:
        if r["resource_id"] is not None:
            by_need.setdefault(r["need_id"], set()).add((r["unit_id"], r["resource_id"], r["hops"], r["served_at"]))
    for nk in eg.nodes_of("Need"):
        nid = eg.g.nodes[nk]["id"]
        want = ladder_oracle(eg, nk)
        rows = nearest(eg, need_id=nid)
        assert {(r["unit_id"], r["resource_id"]): (r["hops"], r["served_at"], r["path_ids"]) for r in rows} == want
        if eg.g.nodes[nk].get("status") in ALL_OPEN:
            assert by_need.get(nid, set()) == {(u, rid, h, lv) for (u, rid), (h, lv, _) in want.items()}


@pytest.fixture
def neo_scratch() -> Iterator[Store]:
    """One Neo4j scratch store for the generated districts (emptied per example)."""
    store = neo4j_support.open_test_store()
    try:
        yield store
    finally:
        store.close()


@pytest.mark.neo4j
@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(batch=districts_with_escalations())
def test_generated_districts_with_escalations_match_on_both_backends(
        batch: GraphBatch, neo_scratch: Store, tmp_path_factory: pytest.TempPathFactory) -> None:
    emb = EmbeddedStore(tmp_path_factory.mktemp("district") / "store")
    try:
        neo_scratch._auto("MATCH (n) DETACH DELETE n", "清空")  # type: ignore[attr-defined]
        emb.merge(batch)
        neo_scratch.merge(batch)
        for nid in sorted(n.id for n in batch.nodes if n.label == "Need"):
            assert queries.nearest_units(neo_scratch, need_id=nid) == queries.nearest_units(emb, need_id=nid), nid
        for statuses in (ALL_OPEN, ["escalated"]):
            assert queries.plan_candidates(neo_scratch, statuses=statuses) == \
                queries.plan_candidates(emb, statuses=statuses)
    finally:
        emb.close()
