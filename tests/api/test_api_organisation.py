"""The organisation routes (issue 13) on both backends: the tiny district (answers worked out by
hand from tests/datasets.py TINY; S1 holds C1 and C2, S2 holds C3) and the bundled Huinong data
(the document's figures). Scoped tokens see only their area: a community, grid, committee or
unit outside it is a 404 with the same text as a missing one; the figures are district-wide."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from orglink.graph.store import Store
from tests.api_support import Api, api_over, load_tiny


@pytest.fixture
def api(store: Store, tmp_path: Path) -> Iterator[Api]:
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as a:
        yield a


def _same_404(api: Api, who: str, path: str, other: str, missing: str) -> None:
    out = api.get(path.format(other), who)
    gone = api.get(path.format(missing), who)
    assert out.status_code == gone.status_code == 404, (out.text, gone.text)
    assert out.json()["detail"].replace(other, "X") == gone.json()["detail"].replace(missing, "X")


def test_chain(api: Api) -> None:
    r = api.get("/chain/C1")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["district_committee"] == {"id": "DC", "name": "测试区委", "departments": 2}
    assert {lv["level"]: lv["count"] for lv in body["levels"]} == {
        "街道党工委": 1, "社区党委": 1, "网格党支部": 1, "网格党小组": 2, "院落党小组": 1, "党员中心户": 1}
    assert api.get("/chain/C1", "street_s1").status_code == 200
    assert api.get("/chain/C1", "community_c1").status_code == 200
    _same_404(api, "street_s1", "/chain/{}", "C3", "C99")
    _same_404(api, "community_c1", "/chain/{}", "C2", "C99")
    assert api.get("/chain/C99").status_code == 404


def test_committee_members(api: Api) -> None:
    body = api.get("/committees/WC1/members").json()
    assert (body["count"], [m["id"] for m in body["members"]], body["communities"]) == (1, ["U2"], ["C1", "C2"])
    assert api.get("/committees/WC1/members", "street_s1").status_code == 200
    assert api.get("/committees/CC1/members", "community_c1").status_code == 200
    # a street's 大工委 reaches beyond one community: not for a community token
    _same_404(api, "community_c1", "/committees/{}/members", "WC1", "NOPE")
    _same_404(api, "street_s1", "/committees/{}/members", "CC3", "NOPE")
    assert [m["id"] for m in api.get("/committees/CC3/members", "street_s2").json()["members"]] == ["U3"]


def test_linkage(api: Api) -> None:
    body = api.get("/communities/C1/linkage").json()
    assert [(b["id"], b["kind"], b["share"], b["led"]) for b in body["bodies"]] == [
        ("PR1", "居委会", 71.43, True), ("PR2", "业委会", 60.0, True)]
    assert (body["owners_committees"], body["owners_party_share"]) == (1, 60.0)
    assert body["district_owners_party_share"] == 50.0  # (3 + 1) / (5 + 3), computed
    scoped = api.get("/communities/C1/linkage", "community_c1").json()
    assert scoped["district_owners_party_share"] is None  # district-wide figure: not for a scoped token
    _same_404(api, "community_c1", "/communities/{}/linkage", "C2", "C99")
    _same_404(api, "street_s2", "/communities/{}/linkage", "C1", "C99")


def test_stations_by_service(api: Api) -> None:
    def ids(who: str = "district", **params: str) -> list[str]:
        r = api.get("/stations", who, params=params)
        assert r.status_code == 200, r.text
        return [s["id"] for s in r.json()]

    assert ids(service="手机充电") == ids(service="充电") == ["ST1"]
    assert ids(service="免费饮水") == ["ST1", "ST2", "ST3"]
    assert ids(service="远程教育电视") == []
    assert ids("street_s2", service="饮水") == ["ST2"]
    assert ids("community_c1", service="无线网络") == []  # ST3 is in C2
    assert ids("street_s1", service="无线网络") == ["ST3"]
    st1 = api.get("/stations", params={"service": "热饭"}).json()[0]
    assert st1["services_canonical"] == ["免费饮水", "热饭", "手机充电"] and st1["served"] is None
    assert api.get("/stations", "street_s1", params={"community": "C3", "service": "饮水"}).status_code == 403


def test_nearest_station(api: Api) -> None:
    body = api.get("/grids/G1/nearest-station").json()
    assert body["method"] == "territory_hops"
    assert (body["nearest"]["station_id"], body["nearest"]["hops"]) == ("ST1", 2)
    assert [(s["station_id"], s["hops"]) for s in body["candidates"]] == [("ST1", 2), ("ST3", 4), ("ST2", 6)]
    wifi = api.get("/grids/G1/nearest-station", params={"service": "wifi"}).json()
    assert (wifi["nearest"]["station_id"], wifi["nearest"]["distance"]) == ("ST3", "同街道")
    # a community token gets only its area's stations: none with wifi in C1
    assert api.get("/grids/G1/nearest-station", "community_c1", params={"service": "wifi"}).json()["nearest"] is None
    assert api.get("/grids/G3/nearest-station", "street_s1", params={"service": "wifi"}).json()["nearest"][
        "station_id"] == "ST3"
    _same_404(api, "community_c1", "/grids/{}/nearest-station", "G3", "G99")
    _same_404(api, "street_s2", "/grids/{}/nearest-station", "G1", "G99")


def test_department(api: Api) -> None:
    body = api.get("/departments/U1").json()
    assert body["department"] and body["under"] == [{"id": "DC", "name": "测试区委"}]
    assert [(k["cadre_id"], k["name"]) for k in body["cadres"]] == [("K1", "张*"), ("K3", "王*")]
    assert [(m["need_id"], m["report"]) for m in body["matters"]] == [("N3", "已协调学校开放操场")]
    assert body["communities"] == [{"community_id": "C1", "community_name": "春晖社区", "street_id": "S1",
                                    "cadres": 1, "matters": 0}]
    street = api.get("/departments/U1", "street_s1").json()  # N3 was raised in C2, inside S1
    assert [k["cadre_id"] for k in street["cadres"]] == ["K1"] and [m["need_id"] for m in street["matters"]] == ["N3"]
    own = api.get("/departments/U1", "department_u1").json()
    assert [k["cadre_id"] for k in own["cadres"]] == ["K1"] and own["matters"] == []
    community = api.get("/departments/U1", "community_c1").json()
    assert [k["cadre_id"] for k in community["cadres"]] == ["K1"] and community["matters"] == []
    _same_404(api, "community_c3", "/departments/{}", "U1", "U99")
    _same_404(api, "street_s2", "/departments/{}", "U1", "U99")


def test_figures(api: Api) -> None:
    r = api.get("/figures")
    assert r.status_code == 200, r.text
    rows = {f["key"]: f for f in r.json()}
    assert rows["owners_party_share"] == {"key": "owners_party_share", "label": "业委会成员中党员占比",
                                          "value": 50.0, "unit": "%", "document": "53.43"}
    assert (rows["communities"]["value"], rows["grids"]["value"], rows["departments"]["value"]) == (3, 5, 2)
    assert api.get("/figures", "viewer").status_code == 200
    for who in ("street_s1", "community_c1", "department_u1", "viewer_s2"):
        assert api.get("/figures", who).status_code == 403


# -- Huinong ---------------------------------------------------------------------------------
@pytest.fixture
def huinong_api(huinong_store: Store, tmp_path: Path) -> Iterator[Api]:
    with api_over(huinong_store, tmp_path) as a:
        yield a


def test_huinong_figures_over_the_api(huinong_api: Api) -> None:
    rows = {f["key"]: f["value"] for f in huinong_api.get("/figures").json()}
    assert {k: rows[k] for k in ("communities", "grids", "grid_branches", "grid_party_groups", "departments",
                                 "done_needs", "warm_stations", "driver_homes", "stations_with_all_services",
                                 "owners_committees", "owners_party_share")} == {
        "communities": 40, "grids": 202, "grid_branches": 38, "grid_party_groups": 244, "departments": 45,
        "done_needs": 660, "warm_stations": 24, "driver_homes": 1, "stations_with_all_services": 25,
        "owners_committees": 4, "owners_party_share": 53.43}
    assert rows["department_party_members"] >= 1500 and rows["station_served"] >= 1000


def test_huinong_routes(huinong_api: Api) -> None:
    chain = huinong_api.get("/chain/C001").json()
    assert chain["district_committee"]["departments"] == 45
    assert chain["working_committee"]["id"] == "PO-WC01" and chain["committee"]["id"] == "PO-CC001"
    charging = huinong_api.get("/stations", params={"service": "手机充电"}).json()
    assert Counter(s["kind"] for s in charging) == {"暖新驿站": 24, "司机之家": 1}
    assert sum(s["served"] for s in charging) >= 1000
    linkage = [huinong_api.get(f"/communities/C{i:03d}/linkage").json() for i in range(1, 41)]
    owners = [b for c in linkage for b in c["bodies"] if b["kind"] == "业委会"]
    assert len(owners) == 4 and linkage[0]["district_owners_party_share"] == 53.43
    members = huinong_api.get("/committees/PO-WC01/members").json()
    assert members["count"] == len(members["members"]) > 0
    dept = huinong_api.get("/departments/U010").json()
    assert dept["department"] and dept["cadre_count"] > 0 and all("*" in k["name"] for k in dept["cadres"])
    near = huinong_api.get("/grids/G0001/nearest-station", params={"service": "充电"}).json()
    assert (near["nearest"]["station_id"], near["nearest"]["hops"]) == ("ST01", 2)
