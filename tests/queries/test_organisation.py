"""The document's mechanisms, queryable (issue 13): the named queries of
``orglink/queries/organisation_twins.py`` and the service functions of ``orglink.organisation``.

On the bundled Huinong data (``huinong_store``: both backends) the figures are the document's
(FACTS.md): 45 departments under the 区委, the five-level chains adding up to 38 grid branches
and 244 grid party groups, 227 memberships of 大工委/联合党委, 4 owners' committees at 53.43 %,
24 + 1 stations offering each of the five services, 1,000+ people served. On the tiny district
(``store``: both backends) every answer is worked out by hand from ``tests/datasets.py`` TINY,
so the two backends are held to the same rows (the row-by-row parity on Huinong is in
``tests/queries/test_query_parity.py``).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from orglink import queries
from orglink.data import HUINONG
from orglink.graph.model import STATION_SERVICES
from orglink.graph.store import Store
from orglink.organisation import (
    UnknownService,
    canonical_service,
    committee_view,
    community_chain_view,
    department_view,
    linkage_view,
    nearest_station_view,
    service_words,
    stations_view,
)
from orglink.queries import organisation_twins as q
from orglink.stats import document_figure_values, figure_table, graph_stats
from tests.api_support import load_tiny

COMMUNITIES = [f"C{i:03d}" for i in range(1, 41)]


def _csv(name: str) -> list[dict[str, str]]:
    with (Path(HUINONG) / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


# -- Huinong ---------------------------------------------------------------------------------
def test_every_department_is_under_the_district_committee(huinong_store: Store) -> None:
    """区委 — 区直部门: the 45 units flagged 是否区直部门 are UNDER the one 区委 (PO-DC01)."""
    departments = {u["编号"] for u in _csv("units.csv") if u["是否区直部门"] == "是"}
    assert len(departments) == 45
    assert huinong_store.counts()["relationships"]["UNDER"] == 45
    for u in sorted(departments)[::9]:
        assert department_view(huinong_store, u)["under"] == [{"id": "PO-DC01", "name": "中共石嘴山市惠农区委员会"}]
    assert department_view(huinong_store, "U046")["under"] == []  # a resident unit, not a department


def test_the_chains_of_the_40_communities_add_up_to_the_document(huinong_store: Store) -> None:
    """"在40个社区…成立38个网格党支部、244个网格党小组": summed over the communities' chains."""
    total: Counter[str] = Counter()
    for c in COMMUNITIES:
        view = community_chain_view(huinong_store, c)
        assert view is not None
        assert view["district_committee"] == {"id": "PO-DC01", "name": "中共石嘴山市惠农区委员会", "departments": 45}
        assert view["working_committee"] and view["committee"]
        total.update({lv["level"]: lv["count"] for lv in view["levels"]})
    levels = Counter(o["层级"] for o in _csv("party_orgs.csv"))
    assert total["社区党委"] == 40
    assert total["网格党支部"] == 38
    assert total["网格党小组"] == 244
    assert total["院落党小组"] == levels["院落党小组"]
    assert total["党员中心户"] == levels["党员中心户"]
    chunhui = community_chain_view(huinong_store, "C001")
    assert chunhui is not None
    assert (chunhui["community_name"], chunhui["street_name"]) == ("春晖社区", "南街街道")
    assert chunhui["working_committee"]["id"] == "PO-WC01" and chunhui["committee"]["id"] == "PO-CC001"
    assert [lv["label"] for lv in chunhui["levels"]] == ["街道党工委", "社区党委（党总支）", "网格（小区）党支部",
                                                         "网格党小组", "院落（楼栋）党小组", "党员中心户"]
    assert community_chain_view(huinong_store, "NOPE") is None


def test_committee_members_are_the_227_memberships(huinong_store: Store) -> None:
    rows = _csv("memberships.csv")
    per = Counter(r["组织"] for r in rows)
    assert len(rows) == 227
    assert sum(committee_view(huinong_store, o)["count"] for o in per) == 227
    wc = committee_view(huinong_store, "PO-WC01")
    assert wc is not None and wc["level"] == "街道党工委"
    assert [m["id"] for m in wc["members"]] == sorted(r["单位"] for r in rows if r["组织"] == "PO-WC01")
    # a street's 大工委 covers the communities of its street
    street_of = {c["编号"]: c["所属街道"] for c in _csv("communities.csv")}
    assert wc["communities"] == sorted(c for c, s in street_of.items() if s in ("S01", "南街街道"))
    assert committee_view(huinong_store, "PO-CC001")["communities"] == ["C001"]
    assert committee_view(huinong_store, "PO-DC01")["communities"] == COMMUNITIES
    assert committee_view(huinong_store, "NOPE") is None


def test_four_in_one_gives_the_4_owners_committees_and_53_43(huinong_store: Store) -> None:
    """"成立4个业主委员会…党员占比53.43%": computed from the members, community by community."""
    owners = [b for c in COMMUNITIES for b in linkage_view(huinong_store, c)["bodies"] if b["kind"] == "业委会"]
    assert len(owners) == 4 and all(b["led"] for b in owners)
    share = round(100 * sum(b["party_members"] for b in owners) / sum(b["members"] for b in owners), 2)
    assert share == 53.43 == queries.document_figures(huinong_store)[0]["owners_party_share"]
    chunhui = linkage_view(huinong_store, "C001")
    assert chunhui is not None and chunhui["committee_id"] == "PO-CC001"
    assert chunhui["bodies"][0]["kind"] == "居委会"
    for b in chunhui["bodies"]:
        assert b["share"] == round(100 * b["party_members"] / b["members"], 2)
    residents = [b for c in COMMUNITIES for b in linkage_view(huinong_store, c)["bodies"] if b["kind"] == "居委会"]
    assert len(residents) == 40


@pytest.mark.parametrize("service", [*STATION_SERVICES, "充电", "饮水", "wifi", "远程教育"])
def test_24_plus_1_stations_offer_each_of_the_five_services(huinong_store: Store, service: str) -> None:
    rows = stations_view(huinong_store, service)
    assert Counter(r["kind"] for r in rows) == {"暖新驿站": 24, "司机之家": 1}
    assert all(canonical_service(service) in r["services_canonical"] for r in rows)


def test_stations_served_more_than_1000(huinong_store: Store) -> None:
    """"累计服务1000余人次" (服务人次: synthetic values, the street centres give none)."""
    rows = stations_view(huinong_store)
    served = [r["served"] for r in rows if r["served"] is not None]
    assert len(served) == 25 and 1000 <= sum(served) < 1100
    assert all(r["served"] is None for r in rows if r["kind"] == "党群服务中心")
    assert [r["id"] for r in stations_view(huinong_store, "政策咨询")] == [r["id"] for r in rows
                                                                       if r["kind"] == "党群服务中心"]


def test_service_words() -> None:
    with pytest.raises(UnknownService, match="未知的驿站服务"):
        canonical_service("洗衣")
    assert service_words("洗衣") == ["洗衣"]  # not one of the five: matched as written
    assert service_words(None) is None and service_words(" ") is None
    assert service_words("充电") == ["手机充电", "充电", "免费充电"]


def test_nearest_station_of_every_grid(huinong_store: Store) -> None:
    """A grid whose community has a station offering the service gets it at 2 hops; every grid
    gets one (25 stations offer 手机充电 across the district)."""
    grids = queries.list_grids(huinong_store, street=None, community=None)
    with_station = {r["community"] for r in stations_view(huinong_store, "手机充电")}
    for g in grids[::7]:
        rows = nearest_station_view(huinong_store, g["id"], "手机充电", top=3)
        assert rows, g
        assert [r["hops"] for r in rows] == sorted(r["hops"] for r in rows)
        assert (rows[0]["hops"] == 2) == (g["community"] in with_station)
        if rows[0]["hops"] == 2:
            assert rows[0]["station_community_id"] == g["community"] and rows[0]["distance"] == "同社区"
    assert nearest_station_view(huinong_store, "NOPE") == []


def test_department_view_of_huinong(huinong_store: Store) -> None:
    """双报到: the cadres of a department report to communities; their matters carry the
    report-back text (双报告); names are masked."""
    view = department_view(huinong_store, "U010")
    assert view is not None and view["department"] and view["cadre_count"] == len(view["cadres"]) > 0
    assert all("*" in k["name"] for k in view["cadres"])
    assert sum(c["cadres"] for c in view["communities"]) == view["cadre_count"]
    assert sum(c["matters"] for c in view["communities"]) == len(view["matters"])
    assert view["matters"] and all("双报告" in (m["report"] or "") for m in view["matters"])
    handled = Counter(n["办理干部"] for n in _csv("needs.csv") if n["办理干部"])
    cadre_unit = {k["编号"]: k["所在单位"] for k in _csv("cadres.csv")}
    assert len(view["matters"]) == sum(n for k, n in handled.items() if cadre_unit.get(k) == "U010")
    assert department_view(huinong_store, "NOPE") is None


def test_territory_figures_of_huinong(huinong_store: Store) -> None:
    figures = document_figure_values(huinong_store)
    assert {k: figures[k] for k in ("communities", "grids", "grid_branches", "grid_party_groups", "departments",
                                    "departments_under_committee", "done_needs", "warm_stations", "driver_homes",
                                    "stations_with_all_services", "owners_committees", "owners_party_share",
                                    "memberships")} == {
        "communities": 40, "grids": 202, "grid_branches": 38, "grid_party_groups": 244, "departments": 45,
        "departments_under_committee": 45, "done_needs": 660, "warm_stations": 24, "driver_homes": 1,
        "stations_with_all_services": 25, "owners_committees": 4, "owners_party_share": 53.43, "memberships": 227}
    assert figures["department_party_members"] >= 1500
    assert 1000 <= figures["station_served"] < 1100
    table = {r["key"]: r for r in figure_table(figures)}
    assert table["owners_party_share"]["label"] == "业委会成员中党员占比" and table["owners_party_share"]["unit"] == "%"
    assert table["communities"]["document"] == "40"
    assert graph_stats(huinong_store)["figures"] == figures


# -- the tiny district -----------------------------------------------------------------------
@pytest.fixture
def tiny(store: Store, tmp_path: Path) -> Store:
    return load_tiny(store, tmp_path)


def test_tiny_chain(tiny: Store) -> None:
    c1 = community_chain_view(tiny, "C1")
    assert c1 is not None
    assert c1["district_committee"] == {"id": "DC", "name": "测试区委", "departments": 2}
    assert c1["working_committee"] == {"id": "WC1", "name": "南街街道党工委"}
    assert c1["committee"] == {"id": "CC1", "name": "春晖社区党委"}
    assert [(lv["level"], lv["count"]) for lv in c1["levels"]] == [
        ("街道党工委", 1), ("社区党委", 1), ("网格党支部", 1), ("网格党小组", 2), ("院落党小组", 1), ("党员中心户", 1)]
    assert [(o["id"], o["parent_id"]) for o in c1["orgs"]] == [
        ("GB1", "CC1"), ("PG1", "GB1"), ("PG2", "GB1"), ("PG3", "PG1"), ("CH1", "PG3")]
    c2 = community_chain_view(tiny, "C2")  # no community committee: nothing above or below it
    assert c2 is not None and c2["committee"] is None and c2["district_committee"] is None
    assert all(lv["count"] == 0 for lv in c2["levels"]) and c2["street_id"] == "S1"
    c3 = q.organisation_chain(tiny, community_id="C3")[0]
    assert (c3["working_committee_id"], c3["committee_id"], c3["orgs"]) == ("WC2", "CC3", [])


def test_tiny_committees(tiny: Store) -> None:
    assert committee_view(tiny, "WC1") == {"id": "WC1", "name": "南街街道党工委", "level": "街道党工委", "count": 1,
                                           "members": [{"id": "U2", "name": "区第一医院", "kind": "医院",
                                                        "department": False, "resident": True}],
                                           "communities": ["C1", "C2"]}
    cc3 = committee_view(tiny, "CC3")
    assert cc3 is not None and [m["id"] for m in cc3["members"]] == ["U3"] and cc3["communities"] == ["C3"]
    assert committee_view(tiny, "GB1")["communities"] == ["C1"]  # its grids' community
    assert committee_view(tiny, "DC")["communities"] == ["C1", "C2", "C3"]
    assert committee_view(tiny, "CH1")["communities"] == []  # responsible for nothing


def test_tiny_linkage(tiny: Store) -> None:
    c1 = linkage_view(tiny, "C1")
    assert c1 is not None and c1["committee_id"] == "CC1"
    assert c1["bodies"] == [
        {"id": "PR1", "name": "春晖社区居委会", "kind": "居委会", "members": 7, "party_members": 5, "share": 71.43,
         "led": True},
        {"id": "PR2", "name": "春晖小区业委会", "kind": "业委会", "members": 5, "party_members": 3, "share": 60.0,
         "led": True}]
    assert (c1["owners_committees"], c1["owners_party_share"]) == (1, 60.0)
    c2 = linkage_view(tiny, "C2")  # no committee: the bodies are there, led by nobody
    assert c2 is not None and c2["committee_id"] is None
    assert [(b["id"], b["kind"], b["share"], b["led"]) for b in c2["bodies"]] == [
        ("PR3", "业委会", 33.33, False), ("PR4", "物业公司", None, False)]
    assert linkage_view(tiny, "C9") is None


def test_tiny_stations(tiny: Store) -> None:
    """TINY writes short forms (饮水、热饭、充电): the filter takes either form."""
    assert [r["id"] for r in stations_view(tiny, "手机充电")] == ["ST1"]
    assert [r["id"] for r in stations_view(tiny, "充电")] == ["ST1"]
    assert [r["id"] for r in stations_view(tiny, "免费饮水")] == ["ST1", "ST2", "ST3"]
    assert [r["id"] for r in stations_view(tiny, "WiFi")] == ["ST3"]
    assert stations_view(tiny, "远程教育电视") == []
    assert [r["id"] for r in stations_view(tiny, "饮水", street="S1")] == ["ST1", "ST3"]
    assert [r["id"] for r in stations_view(tiny, None, community="C3")] == ["ST2"]
    st1 = stations_view(tiny, "热饭")[0]
    assert st1["services_canonical"] == ["免费饮水", "热饭", "手机充电"] and st1["served"] is None
    assert (st1["community"], st1["street"], st1["run_by"]) == ("C1", "S1", ["U2"])


def test_tiny_nearest_station(tiny: Store) -> None:
    assert [(r["station_id"], r["hops"]) for r in nearest_station_view(tiny, "G1")] == [
        ("ST1", 2), ("ST3", 4), ("ST2", 6)]
    assert [(r["station_id"], r["hops"]) for r in nearest_station_view(tiny, "G1", "无线网络")] == [("ST3", 4)]
    assert [(r["station_id"], r["hops"]) for r in nearest_station_view(tiny, "G5", top=2)] == [
        ("ST2", 2), ("ST1", 6)]
    assert [r["station_id"] for r in nearest_station_view(tiny, "G1", community_ids=["C3"])] == ["ST2"]
    assert nearest_station_view(tiny, "G1", "远程教育电视") == []


def test_tiny_department(tiny: Store) -> None:
    u1 = department_view(tiny, "U1")
    assert u1 is not None and u1["department"] and u1["under"] == [{"id": "DC", "name": "测试区委"}]
    assert [(k["cadre_id"], k["name"], k["community_id"], k["handled"]) for k in u1["cadres"]] == [
        ("K1", "张*", "C1", 1), ("K3", "王*", None, 0)]
    assert u1["communities"] == [{"community_id": "C1", "community_name": "春晖社区", "street_id": "S1",
                                  "cadres": 1, "matters": 0}]  # K1's matter N3 was raised in C2
    assert [(m["need_id"], m["cadre_id"], m["community_id"], m["report"]) for m in u1["matters"]] == [
        ("N3", "K1", "C2", "已协调学校开放操场")]
    assert u1["answers"] == []
    only_c1 = department_view(tiny, "U1", communities=frozenset({"C1"}))
    assert only_c1 is not None and [k["cadre_id"] for k in only_c1["cadres"]] == ["K1"] and only_c1["matters"] == []
    u2 = department_view(tiny, "U2")
    assert u2 is not None and not u2["department"] and u2["under"] == [] and u2["cadres"] == []


def test_tiny_department_answers(tiny: Store) -> None:
    """An escalation the department answered (报到) shows up with its place and note."""
    from orglink import lifecycle

    lifecycle.accept(tiny, "N1", by="网格员")
    lifecycle.escalate(tiny, "N1", by="网格员", departments=["U1"])
    lifecycle.answer(tiny, "N1", unit_id="U1", by="区卫生健康局", note="派员到场")
    [a] = department_view(tiny, "U1")["answers"]
    assert (a["need_id"], a["community_id"], a["street_id"], a["escalated"], a["note"]) == (
        "N1", "C1", "S1", True, "派员到场")
    assert a["at"]


def test_tiny_territory_figures(tiny: Store) -> None:
    from tests.datasets import TINY_FIGURES

    assert document_figure_values(tiny) == TINY_FIGURES


def test_under_follows_the_lists_on_a_reload(store: Store, tmp_path: Path) -> None:
    """UNDER is a load relationship like the others (stamped): a unit no longer flagged as a
    department loses it on the next load, a 区委 row removed takes them all away."""
    import copy

    from tests.datasets import TINY

    load_tiny(store, tmp_path)
    assert store.counts()["relationships"]["UNDER"] == 2
    tables = copy.deepcopy(TINY)
    next(u for u in tables["units"] if u["id"] == "U3")["department"] = "否"
    load_tiny(store, tmp_path / "again", tables)
    assert store.counts()["relationships"]["UNDER"] == 1
    assert department_view(store, "U3")["under"] == [] and not department_view(store, "U3")["department"]
    assert department_view(store, "U1")["under"] == [{"id": "DC", "name": "测试区委"}]
    tables["party_orgs"] = [o for o in tables["party_orgs"] if o["id"] != "DC"]
    for o in tables["party_orgs"]:
        if o["parent"] == "DC":
            o["parent"] = ""
    load_tiny(store, tmp_path / "third", tables)  # DC is retired: kept with its relationships, read by none
    assert department_view(store, "U1")["under"] == []
    assert community_chain_view(store, "C1")["district_committee"] is None
    assert document_figure_values(store)["departments_under_committee"] == 0
