"""The pairing plan on a hand-made district, end to end through the lists (issue 11 "Done when").

The tiny district of :data:`tests.datasets.TINY` (streets S1, S2; C1 春晖社区 with grids G1,
G2; U2 区第一医院 co-builds C1; U1 区卫生健康局 reaches C1 through its cadre K1) with its
resources and open needs replaced by :data:`FAIR`'s. Distances from C1, worked out by hand:
U2 1 hop (C1←U2), U1 2 hops (C1←K1→U1); from G1 one more. Nothing sits inside a grid.

* 托育: NT 婴幼儿托育 at C1. U2 offers 老年助餐 ×10 (nearer, larger), U1 婴幼儿托育 ×1:
  NT gets U1's, never the 助餐.
* urgency: one 上门助老 place (RB, U2); NB1 一般 raised first, NB2 紧急 raised later: NB2 wins,
  NB1 is left as a shortage (demand 2, supply 1, shortfall 1).
* ladder: NG 志愿服务 of grid scope at G1; the only fitting resource is U2's, reached through
  the community: served_at ``community``.
* NX 就业创业: nobody offers it: ``no_resource``.
* NS 兴趣培训 ×3 against RA ×1: 1 met, ``shortage`` with shortfall 2.
* keywords: NK 老人血压测量 (健康体检, keywords 血压); U2 offers RK1 健康体检 ×5 (keyword 体检) and RK2
  血压测量 ×1 (keyword 血压), both 健康体检 at the same hops: the plan and ``match`` take RK2,
  the one sharing words with the need, although RK1 is larger and first by id.

Every test runs on each backend; the last compares the two plans field by field.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from orglink import queries
from orglink.graph.store import Store
from orglink.matching.nearest import match_need
from orglink.matching.plan import run_plan
from orglink.matching.types import PlanResult
from tests import neo4j_support
from tests.api_support import load_tiny
from tests.datasets import TINY, Rows


def _res(rid: str, unit: str, title: str, category: str, capacity: int, subtype: str = "",
         keywords: str = "") -> dict[str, str]:
    return {"id": rid, "unit": unit, "title": title, "category": category, "capacity": str(capacity),
            "measure": "次", "keywords": keywords, "subtype": subtype}


def _need(nid: str, title: str, category: str, at: str, urgency: str, raised_on: str, quantity: int = 1,
          scope: str = "community", subtype: str = "", keywords: str = "") -> dict[str, str]:
    return {"id": nid, "title": title, "category": category, "quantity": str(quantity), "raised_at": at,
            "urgency": urgency, "raised_on": raised_on, "status": "ordered", "scope": scope,
            "handled_by": "", "report": "", "subtype": subtype, "keywords": keywords}


def fair_tables() -> dict[str, Rows]:
    """TINY with the resources and needs of the module docstring (TINY's done needs kept)."""
    t = copy.deepcopy(TINY)
    t["resources"] = [
        _res("RM", "U2", "老年助餐", "养老托幼", 10),
        _res("RT", "U1", "婴幼儿托育", "养老托幼", 1),
        _res("RB", "U2", "上门助老服务", "养老托幼", 1, subtype="上门助老"),
        _res("RV", "U2", "结对帮扶志愿者", "志愿服务", 2, subtype="结对帮扶"),
        _res("RA", "U2", "书法兴趣班", "文化体育", 1, subtype="兴趣培训"),
        _res("RK1", "U2", "健康体检", "医疗健康", 5, subtype="健康体检", keywords="体检"),
        _res("RK2", "U2", "血压测量", "医疗健康", 1, subtype="健康体检", keywords="血压"),
        _res("R3", "U4", "操场开放", "场地设施", 2),  # project P1 of TINY names it
    ]
    done = [n for n in t["needs"] if n["status"] in ("done", "已办结")]
    t["needs"] = done + [
        _need("NT", "婴幼儿托育", "养老托幼", "C1", "一般", "2024-06-01"),
        _need("NB1", "独居老人上门助老", "养老托幼", "C1", "一般", "2024-06-01", subtype="上门助老"),
        _need("NB2", "失能老人上门助老", "养老托幼", "C1", "紧急", "2024-06-05", subtype="上门助老"),
        _need("NG", "结对帮扶困难户", "志愿服务", "G1", "一般", "2024-06-02", scope="网格", subtype="结对帮扶"),
        _need("NX", "失业人员就业援助", "就业创业", "C1", "较急", "2024-06-02"),
        _need("NS", "青少年书法兴趣班", "文化体育", "C1", "一般", "2024-06-02", quantity=3, subtype="兴趣培训"),
        _need("NK", "老人血压测量", "医疗健康", "C1", "一般", "2024-06-02", subtype="健康体检", keywords="血压"),
    ]
    return t


FAIR = fair_tables()


@pytest.fixture
def fair(store: Store, tmp_path: Path) -> Store:
    """The district of the module docstring, on each backend."""
    return load_tiny(store, tmp_path, FAIR)


def pairs(plan: PlanResult) -> dict[str, list[tuple[str, int, str | None]]]:
    out: dict[str, list[tuple[str, int, str | None]]] = defaultdict(list)
    for a in plan.assignments:
        out[a.need_id].append((a.resource_id, a.quantity, a.served_at))
    return dict(out)


def test_a_toddler_need_never_gets_the_nearer_larger_meal_resource(fair: Store) -> None:
    plan = run_plan(fair, write=False)
    assert pairs(plan)["NT"] == [("RT", 1, "community")]
    assert all(a.resource_id != "RM" for a in plan.assignments)  # no need fits 老年助餐
    a = next(a for a in plan.assignments if a.need_id == "NT")
    assert a.fit is not None and (a.fit.need_subtype, a.fit.resource_subtype) == ("婴幼儿托育", "婴幼儿托育")
    assert a.fit.basis.startswith("子类相同：婴幼儿托育")
    # match offers the same: the 助餐 unit is not a candidate, although it is nearer
    m = match_need(fair, "NT", top=None, per_unit=False)
    assert [(c.unit_id, c.resource_id) for c in m.candidates] == [("U1", "RT")]


def test_the_urgent_need_wins_the_one_place_over_an_earlier_normal_one(fair: Store) -> None:
    plan = run_plan(fair, write=False)
    assert pairs(plan)["NB2"] == [("RB", 1, "community")]
    assert "NB1" not in pairs(plan)
    u = next(u for u in plan.unmet if u.need_id == "NB1")
    assert (u.reason_code, u.quantity, u.demand, u.supply, u.shortfall) == ("shortage", 1, 2, 1, 1)


def test_a_grid_need_with_nothing_in_its_grid_is_served_from_its_community(fair: Store) -> None:
    assert pairs(run_plan(fair, write=False))["NG"] == [("RV", 1, "community")]


def test_a_category_nobody_offers_is_no_resource(fair: Store) -> None:
    u = next(u for u in run_plan(fair, write=False).unmet if u.need_id == "NX")
    assert (u.reason_code, u.quantity, u.met_quantity) == ("no_resource", 1, 0)


def test_demand_three_against_supply_one_is_one_met_and_a_shortage_of_two(fair: Store) -> None:
    plan = run_plan(fair, write=False)
    assert pairs(plan)["NS"] == [("RA", 1, "community")]
    u = next(u for u in plan.unmet if u.need_id == "NS")
    assert (u.reason_code, u.met_quantity, u.quantity, u.demand, u.supply, u.shortfall) == \
        ("shortage", 1, 2, 3, 1, 2)


def test_shared_keywords_decide_between_resources_at_the_same_distance(fair: Store) -> None:
    plan = run_plan(fair, write=False)
    assert pairs(plan)["NK"] == [("RK2", 1, "community")]
    a = next(a for a in plan.assignments if a.need_id == "NK")
    assert a.fit is not None and a.fit.keywords == ["测量", "血压"] and "共同关键词：测量、血压" in a.fit.basis
    m = match_need(fair, "NK", top=None, per_unit=False)
    assert [c.resource_id for c in m.candidates] == ["RK2", "RK1"]  # RK1 has more left, RK2 fits closer
    assert m.candidates[1].fit is not None and m.candidates[1].fit.keywords == []


def test_capacity_is_never_exceeded_and_the_plan_is_the_same_every_run(fair: Store) -> None:
    plan = run_plan(fair, write=False)
    left = {r["resource_id"]: r["remaining"] for r in queries.resource_supply(fair)}
    used: dict[str, int] = defaultdict(int)
    for a in plan.assignments:
        used[a.resource_id] += a.quantity
    assert used and all(q <= left[r] for r, q in used.items())
    assert run_plan(fair, write=False).model_dump() == plan.model_dump()
    # every open need is accounted for: met + unmet = asked
    asked = {n["id"]: int(n["quantity"]) for n in FAIR["needs"] if n["status"] == "ordered"}
    met: dict[str, int] = defaultdict(int)
    for a in plan.assignments:
        met[a.need_id] += a.quantity
    for u in plan.unmet:
        met[u.need_id] += u.quantity
    assert dict(met) == asked


@pytest.fixture
def both(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """(embedded, Neo4j) holding the district of the module docstring."""
    with neo4j_support.embedded_and_neo4j(tmp_path, lambda s, d: load_tiny(s, d, FAIR)) as stores:
        yield stores


@pytest.mark.neo4j
def test_both_backends_give_the_same_plan(both: tuple[Store, Store]) -> None:
    emb, neo = both
    got = run_plan(emb, write=False).model_dump()
    assert got["assignments"] and got["unmet"]
    assert run_plan(neo, write=False).model_dump() == got
