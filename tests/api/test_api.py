"""The HTTP API over the tiny district: every endpoint, the lifecycle of a need, bad input.

Runs on every backend of the ``store`` fixture (embedded always, Neo4j when configured).
Expected values are read off :data:`tests.datasets.TINY` by hand.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from orglink import queries
from orglink.api.territory import mask_name
from orglink.cli import app as cli_app
from orglink.cli import import_commands
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store
from tests.api_support import Api, api_over, load_tiny
from tests.datasets import TINY


@pytest.fixture
def api(store: Store, tmp_path: Path):
    """The API over the tiny district on each backend."""
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as a:
        yield a


def new_need(api: Api, who: str = "district", **body) -> dict:
    """Order a need through the API (defaults: 医疗健康 at grid G1 of C1) and return it."""
    payload = {"title": "独居老人助餐", "category": "医疗健康", "community": "C1", "grid": "G1",
               "quantity": 1} | body
    r = api.post("/needs", who, json=payload)
    assert r.status_code == 201, r.text
    return r.json()


# -- open endpoints ----------------------------------------------------------------------------
def test_health_is_open_and_names_the_backend(api: Api, store: Store) -> None:
    r = api.client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["reachable"] is True
    assert body["backend"] == store.backend


def test_docs_and_openapi_are_open_and_everything_is_under_api_v1(api: Api) -> None:
    assert api.client.get("/docs").status_code == 200
    spec = api.client.get("/openapi.json").json()
    assert spec["paths"] and all(p.startswith("/api/v1/") for p in spec["paths"])
    assert any(s.get("scheme") == "bearer" for s in spec["components"]["securitySchemes"].values())
    for path in ("/api/v1/needs/{need_id}/dispatch", "/api/v1/needs/{need_id}/matches",
                 "/api/v1/reports/pairing.xlsx", "/api/v1/plans/{plan_id}"):
        assert path in spec["paths"]


# -- territory and reference lists ---------------------------------------------------------------
def test_streets(api: Api) -> None:
    r = api.get("/streets")
    assert r.status_code == 200
    assert [(s["id"], s["name"], s["kind"], s["communities"]) for s in r.json()] == [
        ("S1", "南街街道", "街道", 2), ("S2", "园艺镇", "镇", 1)]


def test_communities_all_and_of_a_street(api: Api) -> None:
    assert [(c["id"], c["street"], c["grids"]) for c in api.get("/communities").json()] == [
        ("C1", "S1", 2), ("C2", "S1", 2), ("C3", "S2", 1)]
    assert [c["id"] for c in api.get("/communities", params={"street": "S2"}).json()] == ["C3"]


def test_grids_of_a_community_with_coordinates(api: Api) -> None:
    rows = api.get("/grids", params={"community": "C1"}).json()
    assert rows == [
        {"id": "G1", "name": "春晖一网格", "community": "C1", "lat": 39.23, "lon": 106.77},
        {"id": "G2", "name": "春晖二网格", "community": "C1", "lat": None, "lon": None},
    ]
    assert [g["id"] for g in api.get("/grids", params={"street": "S1"}).json()] == ["G1", "G2", "G3", "G4"]


def test_stations_with_services_and_operators(api: Api) -> None:
    rows = {s["id"]: s for s in api.get("/stations").json()}
    assert sorted(rows) == ["ST1", "ST2", "ST3"]
    assert rows["ST1"]["services"] == ["饮水", "热饭", "充电"] and rows["ST1"]["run_by"] == ["U2"]
    assert rows["ST2"]["run_by"] == [] and rows["ST3"]["community"] == "C2"
    assert [s["id"] for s in api.get("/stations", params={"community": "C3"}).json()] == ["ST2"]


def test_cadres_masked_and_without_contact_data(store: Store, tmp_path: Path) -> None:
    tables = {k: [dict(r) for r in v] for k, v in TINY.items()}
    tables["cadres"][0]["name"] = "张三丰"  # an unmasked name in the list
    load_tiny(store, tmp_path, tables)
    with api_over(store, tmp_path) as a:
        r = a.get("/cadres", params={"community": "C1"})
    assert r.status_code == 200
    assert r.json() == [{"id": "K1", "name": "张**", "party_member": True, "unit_id": "U1",
                         "unit_name": "区卫生健康局", "handled": 1}]


def test_cadres_need_a_community(api: Api) -> None:
    r = api.get("/cadres")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "community"]


def test_mask_name() -> None:
    assert mask_name("王小明") == "王**"
    assert mask_name("李*") == "李*"
    assert mask_name("蔡*明") == "蔡*明"
    assert mask_name("赵") == "赵*"
    assert mask_name(None) == "*"


def test_unit_with_agreement_and_three_lists(api: Api) -> None:
    r = api.get("/units/U4")
    assert r.status_code == 200
    u = r.json()
    assert (u["name"], u["kind"], u["department"], u["resident"]) == ("惠农中学", "学校", False, True)
    assert [(a["id"], a["community"], a["signed_on"]) for a in u["agreements"]] == [("A3", "星火社区", "2024-05-06")]
    assert [(x["id"], x["category"], x["quantity"]) for x in u["resources"]] == [("R3", "场地设施", 2)]
    assert [(p["id"], p["title"]) for p in u["projects"]] == [("P1", "操场共享")]
    # needs list: the needs of the community it signed with (C2: N3 at G3, N4 at C2)
    assert [n["id"] for n in u["needs"]] == ["N3", "N4"]
    dept = api.get("/units/U3").json()
    assert dept["department"] is True and [x["id"] for x in dept["resources"]] == ["R2"]


def test_unknown_unit_is_404(api: Api) -> None:
    r = api.get("/units/U999")
    assert r.status_code == 404 and "U999" in r.json()["detail"]


def test_unknown_territory_filters_are_422_naming_the_field(api: Api) -> None:
    r = api.get("/grids", params={"community": "C9"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "community"]
    assert "C9" in r.json()["detail"][0]["msg"]
    r = api.get("/communities", params={"street": "S9"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "street"]


# -- needs: list ---------------------------------------------------------------------------------
def test_needs_paginated(api: Api) -> None:
    first = api.get("/needs", params={"page_size": 3}).json()
    assert first["total"] == 4 and first["page"] == 1 and first["page_size"] == 3
    assert [n["id"] for n in first["items"]] == ["N1", "N2", "N3"]
    second = api.get("/needs", params={"page_size": 3, "page": 2}).json()
    assert [n["id"] for n in second["items"]] == ["N4"] and second["total"] == 4
    assert api.get("/needs", params={"page": 9}).json()["items"] == []
    n1 = first["items"][0]
    assert n1 == {"id": "N1", "title": "老人体检", "category": "医疗健康", "quantity": 4,
                  "urgency": "pressing", "status": "ordered", "scope": "grid",
                  "raised_on": "2024-06-01", "raised_at": "G1", "community": "C1", "street": "S1",
                  # raised on Saturday 2024-06-01, 较急: 3 working days; the API's clock says 2025-03-01
                  "called": [], "due_on": "2024-06-05", "overdue": True}


@pytest.mark.parametrize("params, ids", [
    ({"status": "done"}, ["N3", "N4"]),
    ({"status": "已接单"}, ["N2"]),  # Chinese label
    ({"category": "legal"}, ["N2"]),  # English category name
    ({"category": "医疗健康"}, ["N1"]),
    ({"community": "C2"}, ["N3", "N4"]),
    ({"community": "C2", "status": "done", "category": "平安建设"}, ["N4"]),
])
def test_needs_filters(api: Api, params: dict, ids: list[str]) -> None:
    body = api.get("/needs", params=params).json()
    assert [n["id"] for n in body["items"]] == ids and body["total"] == len(ids)


@pytest.mark.parametrize("params, field", [
    ({"status": "lost"}, "status"), ({"category": "篮球"}, "category"),
    ({"community": "C9"}, "community"), ({"page": 0}, "page"), ({"page_size": 500}, "page_size"),
])
def test_needs_bad_filters_are_422_naming_the_field(api: Api, params: dict, field: str) -> None:
    r = api.get("/needs", params=params)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["query", field]


# -- needs: order (点单) ------------------------------------------------------------------------
def test_order_gets_the_next_id_of_the_day_and_an_audit_entry(api: Api) -> None:
    a = new_need(api, title="楼道灯维修", category="property & environment", quantity=2, urgency="紧急")
    b = new_need(api, "community_c1", grid=None)
    assert (a["id"], b["id"]) == ("N-20250301-0001", "N-20250301-0002")
    assert (a["category"], a["status"], a["quantity"], a["urgency"]) == ("物业环境", "ordered", 2, "urgent")
    assert (a["raised_at"], a["raised_at_label"], a["community"], a["street"]) == ("G1", "Grid", "C1", "S1")
    assert (b["raised_at"], b["raised_at_label"]) == ("C1", "Community")
    assert a["raised_on"] == "2025-03-01" and a["source"] == "user"
    [entry] = a["history"]
    assert entry["action"] == "order" and entry["from"] is None and entry["to"] == "ordered"
    assert entry["at"] == "2025-03-01T09:30:00+08:00" and entry["by"].startswith("district")
    assert b["history"][0]["by"] == "community_c1（community community:C1）"
    assert a["actions"] == ["accept"]
    # it is a need like any other: listed, matched
    assert api.get("/needs", params={"status": "ordered"}).json()["total"] == 3


@pytest.mark.parametrize("body, field", [
    ({"community": "C9"}, "community"),
    ({"grid": "G3"}, "grid"),  # G3 lies in C2, not C1
    ({"grid": "G99"}, "grid"),
    ({"category": "篮球"}, "category"),
    ({"quantity": 0}, "quantity"),
    ({"urgency": "很急"}, "urgency"),
    ({"title": "   "}, "title"),
    ({"colour": "red"}, "colour"),
])
def test_bad_order_is_422_naming_the_field(api: Api, body: dict, field: str) -> None:
    payload = {"title": "助餐", "category": "医疗健康", "community": "C1", "grid": "G1"} | body
    r = api.post("/needs", json=payload)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"][-1] == field
    assert api.get("/needs").json()["total"] == 4  # nothing was written


def test_missing_category_is_422(api: Api) -> None:
    r = api.post("/needs", json={"title": "助餐", "community": "C1"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "category"]


# -- needs: detail and matches ---------------------------------------------------------------------
def test_need_detail(api: Api) -> None:
    r = api.get("/needs/N2")
    assert r.status_code == 200
    n = r.json()
    assert (n["title"], n["status"], n["community"], n["community_name"], n["street"], n["street_name"]) == (
        "邻里纠纷调解", "accepted", "C3", "桥东社区", "S2", "园艺镇")
    assert n["dispatches"] == [] and n["escalations"] == [] and n["answers"] == []
    assert n["actions"] == ["dispatch", "escalate"]


def test_unknown_need_is_404_everywhere(api: Api) -> None:
    for method, path in (("get", "/needs/N99"), ("get", "/needs/N99/matches"),
                         ("post", "/needs/N99/accept"), ("post", "/needs/N99/escalate")):
        r = getattr(api, method)(path)
        assert r.status_code == 404, (path, r.text)
        assert "N99" in r.json()["detail"]
    r = api.post("/needs/N99/dispatch", json={"resource_id": "R1"})
    assert r.status_code == 404


def test_matches_lists_candidates_with_paths(api: Api) -> None:
    r = api.get("/needs/N2/matches", params={"top": 3})
    assert r.status_code == 200
    [c] = r.json()["candidates"]
    assert (c["need_id"], c["unit_id"], c["resource_id"], c["remaining"]) == ("N2", "U3", "R2", 5)
    assert c["path"][0]["id"] == "C3" and c["path"][-1]["id"] == "U3"
    assert api.get("/needs/N2/matches", params={"top": 0}).status_code == 422


def test_matches_same_json_as_cli_match(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as a:
        api_json = a.get("/needs/N2/matches", params={"top": 5}).json()
    import_commands()
    res = CliRunner().invoke(cli_app, ["match", "N2", "--json", "--top", "5", "--store", str(store.path)])
    assert res.exit_code == 0, res.output
    assert api_json == json.loads(res.stdout) and api_json


# -- the lifecycle ----------------------------------------------------------------------------------
def test_whole_lifecycle_of_one_need(api: Api) -> None:
    need = new_need(api, quantity=2)
    nid = need["id"]
    r = api.post(f"/needs/{nid}/accept", "community_c1")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = api.post(f"/needs/{nid}/dispatch", "street_s1", json={"resource_id": "R4"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["status"] == "dispatched"
    assert [(x["resource_id"], x["unit_id"], x["quantity"], x["at"]) for x in d["dispatches"]] == [
        ("R4", "U1", 2, "2025-03-01T09:30:00+08:00")]
    r = api.post(f"/needs/{nid}/complete", json={"report": "已由区卫生健康局上门服务，已向单位和社区双报告。"})
    assert r.status_code == 200
    done = r.json()
    assert done["status"] == "done" and done["report"].startswith("已由区卫生健康局")
    assert done["actions"] == []
    steps = [(h["action"], h["from"], h["to"], h["by"].split("（")[0]) for h in done["history"]]
    assert steps == [("order", None, "ordered", "district"), ("accept", "ordered", "accepted", "community_c1"),
                     ("dispatch", "accepted", "dispatched", "street_s1"),
                     ("complete", "dispatched", "done", "district")]
    assert all(h["at"] == "2025-03-01T09:30:00+08:00" for h in done["history"])
    assert done["history"][2]["resource_id"] == "R4" and done["history"][2]["quantity"] == 2
    # the trail reads back the same
    assert api.get(f"/needs/{nid}").json()["history"] == done["history"]
    # capacity used: R4 had 3
    assert queries.resource_usage(api.store, resource_id="R4")[0]["remaining"] == 1


@pytest.mark.parametrize("action, body, status", [
    ("complete", {"report": "x"}, "ordered"),
    ("dispatch", {"resource_id": "R1"}, "ordered"),
    ("escalate", None, "ordered"),
])
def test_illegal_transition_is_409_with_current_state(api: Api, action: str, body, status: str) -> None:
    before = api.get("/needs/N1").json()
    r = api.post(f"/needs/N1/{action}", json=body)
    assert r.status_code == 409, r.text
    assert r.json()["current"]["status"] == status
    assert "N1" in r.json()["detail"] and "待接单" in r.json()["detail"]
    assert api.get("/needs/N1").json() == before  # nothing changed


def test_accepting_twice_is_409(api: Api) -> None:
    assert api.post("/needs/N1/accept").status_code == 200
    r = api.post("/needs/N1/accept")
    assert r.status_code == 409 and r.json()["current"]["status"] == "accepted"
    assert len(api.get("/needs/N1").json()["history"]) == 1


def test_done_need_takes_no_action(api: Api) -> None:
    for action, body in (("accept", None), ("complete", {"report": "again"}), ("escalate", None)):
        r = api.post(f"/needs/N3/{action}", json=body)
        assert r.status_code == 409 and r.json()["current"]["status"] == "done"


def test_escalate_answer_dispatch_complete(api: Api) -> None:
    nid = new_need(api, category="法律服务", grid="G2")["id"]
    api.post(f"/needs/{nid}/accept")
    # by default a whistle of S1 calls the departments whose cadres report in S1: U1 (K1 → C1)
    r = api.post(f"/needs/{nid}/escalate", "street_s1", json={"note": "社区调解不成，请司法局报到"})
    assert r.status_code == 200, r.text
    e = r.json()
    assert e["status"] == "escalated" and e["actions"] == ["dispatch", "answer", "complete"]
    assert [(x["street"], x["by"].split("（")[0]) for x in e["escalations"]] == [("S1", "street_s1")]
    assert e["history"][-1]["note"] == "社区调解不成，请司法局报到" and e["called"] == ["U1"]
    # U3 (司法局, its cadre reports in S2) was not called: it does not see the need, may not answer
    assert api.post(f"/needs/{nid}/answer", "department_u3").status_code == 404
    r = api.post(f"/needs/{nid}/answer", json={"unit_id": "U3"})
    assert r.status_code == 422 and "未被此次吹哨点名" in r.text
    r = api.post(f"/needs/{nid}/answer", "department_u1", json={"note": "明日到社区"})
    assert r.status_code == 200, r.text
    assert [(x["unit_id"], x["note"]) for x in r.json()["answers"]] == [("U1", "明日到社区")]
    assert r.json()["status"] == "escalated"
    # the same department twice: 409
    r = api.post(f"/needs/{nid}/answer", "department_u1")
    assert r.status_code == 409 and "已对需求" in r.json()["detail"]
    # a whistle that names 司法局: only it sees the need, its answer lets its resource serve it
    nid = new_need(api, category="法律服务", grid="G2")["id"]
    api.post(f"/needs/{nid}/accept")
    r = api.post(f"/needs/{nid}/escalate", json={"departments": ["U3"]})
    assert r.status_code == 200 and r.json()["called"] == ["U3"]
    assert api.get(f"/needs/{nid}", "department_u1").status_code == 404
    assert api.post(f"/needs/{nid}/answer", "department_u3", json={"note": "明日到社区"}).status_code == 200
    r = api.post(f"/needs/{nid}/dispatch", json={"resource_id": "R2"})
    assert r.status_code == 200 and r.json()["status"] == "dispatched"
    r = api.post(f"/needs/{nid}/complete", json={"report": "司法局调解完毕", "evaluation": "满意",
                                                   "evaluation_note": "调解及时"})
    assert r.status_code == 200, r.text
    assert (r.json()["evaluation"], r.json()["evaluation_note"]) == ("satisfied", "调解及时")
    assert [h["action"] for h in r.json()["history"]] == [
        "order", "accept", "escalate", "answer", "dispatch", "complete"]
    assert api.post(f"/needs/{nid}/escalate", json={"departments": ["U2"]}).status_code in (409, 422)


def test_answer_needs_a_department_and_an_escalated_need(api: Api) -> None:
    api.post("/needs/N2/escalate")
    r = api.post("/needs/N2/answer", json={"unit_id": "U2"})  # a hospital, not a department
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "unit_id"]
    r = api.post("/needs/N2/answer", json={"unit_id": "U77"})
    assert r.status_code == 422 and "U77" in r.json()["detail"][0]["msg"]
    r = api.post("/needs/N2/answer")  # district without a unit
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "unit_id"]
    api.post("/needs/N1/accept")
    r = api.post("/needs/N1/answer", json={"unit_id": "U1"})  # accepted, not escalated
    assert r.status_code == 409 and r.json()["current"]["status"] == "accepted"


def test_dispatch_checks_capacity_category_and_resource(api: Api) -> None:
    lecture = new_need(api, title="健康讲座", quantity=4)["id"]  # 4 of 医疗健康 · 健康讲座
    api.post(f"/needs/{lecture}/accept")
    r = api.post(f"/needs/{lecture}/dispatch", json={"resource_id": "R4"})  # R4 健康讲座 has 3
    assert r.status_code == 409
    assert r.json()["current"]["remaining"] == 3 and "R4" in r.json()["detail"]
    assert api.post(f"/needs/{lecture}/dispatch", json={"resource_id": "R4", "quantity": 3}).status_code == 200
    api.post("/needs/N1/accept")  # N1 老人体检 (健康体检) wants 4
    r = api.post("/needs/N1/dispatch", json={"resource_id": "R4"})  # a lecture is no check-up
    assert r.status_code == 422 and "子类" in r.json()["detail"][0]["msg"]
    r = api.post("/needs/N1/dispatch", json={"resource_id": "R1", "quantity": 5})  # more than it asks
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "quantity"]
    other = new_need(api, quantity=1)["id"]
    api.post(f"/needs/{other}/accept")
    r = api.post(f"/needs/{other}/dispatch", json={"resource_id": "R4"})  # R4 used up
    assert r.status_code == 409 and r.json()["current"]["remaining"] == 0
    r = api.post(f"/needs/{other}/dispatch", json={"resource_id": "R2"})  # 法律服务 ≠ 医疗健康
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "resource_id"]
    r = api.post(f"/needs/{other}/dispatch", json={"resource_id": "R404"})
    assert r.status_code == 422 and "R404" in r.json()["detail"][0]["msg"]
    r = api.post(f"/needs/{other}/dispatch", json={"resource_id": "R1", "quantity": -1})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "quantity"]
    assert api.post(f"/needs/{other}/dispatch", json={"resource_id": "R1"}).status_code == 200


# -- plans and reports ---------------------------------------------------------------------------------
def test_plan_run_read_back_and_unknown(api: Api) -> None:
    r = api.post("/plans", json={"plan_id": "p-test"})
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["plan_id"] == "p-test"
    # N1 (scope grid, nothing inside G1) is served from its community, which U2 co-builds
    assert {(a["need_id"], a["resource_id"]) for a in plan["assignments"]} == {("N1", "R1"), ("N2", "R2")}
    assert plan["unmet"] == []
    got = api.get("/plans/p-test")
    assert got.status_code == 200 and got.json()["assignments"] == plan["assignments"]
    assert api.get("/plans/nope").status_code == 404
    dry = api.post("/plans", json={"plan_id": "p-dry", "write": False})
    assert dry.status_code == 200 and api.get("/plans/p-dry").status_code == 404
    assert dry.json()["plan_id"] is None  # nothing stored: no id that would answer 404
    assert dry.json()["assignments"] == plan["assignments"]


def test_reports_xlsx_and_html(api: Api) -> None:
    r = api.get("/reports/pairing.xlsx")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "配对明细" in wb.sheetnames
    h = api.get("/reports/pairing.html")
    assert h.status_code == 200 and h.headers["content-type"].startswith("text/html")
    assert "邻里纠纷调解" in h.text
    api.post("/plans", json={"plan_id": "p-rep"})
    assert api.get("/reports/pairing.html", params={"plan_id": "p-rep"}).status_code == 200
    assert api.get("/reports/pairing.xlsx", params={"plan_id": "nope"}).status_code == 404


# -- bodies ---------------------------------------------------------------------------------------------
def test_oversized_body_is_413(api: Api) -> None:
    big = {"title": "x" * 70_000, "category": "医疗健康", "community": "C1"}
    r = api.post("/needs", json=big)
    assert r.status_code == 413
    # streamed without Content-Length: counted as it arrives
    chunks = (b'{"report": "' + b"y" * 8192 + b'"}' for _ in range(10))
    r = api.client.post("/api/v1/needs/N1/complete", headers=api.h("district") | {"Content-Type": "application/json"},
                        content=chunks)
    assert r.status_code == 413
    assert api.get("/needs").json()["total"] == 4


def test_malformed_json_is_422(api: Api) -> None:
    r = api.client.post("/api/v1/needs", headers=api.h("district") | {"Content-Type": "application/json"},
                        content=b"{not json")
    assert r.status_code == 422


def test_only_a_district_token_dispatches_beyond_the_reach_and_the_reason_is_kept(api: Api) -> None:
    """A 法律服务 need of 星火社区 (street S1): 法律咨询 R2 of 区司法局 co-builds only with 桥东社区
    (street S2), so it is out of the need's reach."""
    nid = new_need(api, title="邻里纠纷调解", category="法律服务", community="C2", grid="G3")["id"]
    api.post(f"/needs/{nid}/accept")
    r = api.post(f"/needs/{nid}/dispatch", "street_s1", json={"resource_id": "R2"})
    assert r.status_code == 409 and "服务范围" in r.json()["detail"]
    r = api.post(f"/needs/{nid}/dispatch", "street_s1", json={"resource_id": "R2", "override_reason": "协调"})
    assert r.status_code == 403
    r = api.post(f"/needs/{nid}/dispatch", json={"resource_id": "R2", "override_reason": "司法局同意跨街道支援"})
    assert r.status_code == 200, r.text
    assert r.json()["history"][-1]["override_reason"] == "司法局同意跨街道支援"
