"""The routes the workbench page reads (``/me``, ``/overview``, ``/units``, the need filters),
the page itself at ``/`` and the offline API docs, on the tiny district (both backends)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orglink.api.web import WEB_DIR
from orglink.graph.store import Store
from tests.api_support import api_over, load_tiny


@pytest.fixture
def api(store: Store, tmp_path: Path):
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as a:
        yield a


def test_me_names_the_role_its_area_and_what_it_may_do(api) -> None:
    d = api.get("/me").json()
    assert (d["role"], d["whole"], d["may_plan"], d["may_whatif"], d["may_report"]) == ("district", True, True, True, True)
    assert d["actions"] == ["create", "accept", "dispatch", "complete", "escalate", "answer"]
    s = api.get("/me", "street_s1").json()
    assert (s["scope"], s["streets"], s["communities"]) == ("street:S1", ["S1"], ["C1", "C2"])
    assert (s["may_plan"], s["may_whatif"], s["may_report"]) == (False, False, True)
    assert "answer" not in s["actions"]
    u = api.get("/me", "department_u3").json()
    assert (u["department"], u["may_report"], u["actions"]) == (True, False, ["answer"])
    v = api.get("/me", "viewer").json()
    assert v["actions"] == [] and v["may_whatif"] is True and v["may_plan"] is False
    assert d["statuses"]["ordered"] == "待接单" and d["labels"]["Grid"] == "网格"
    assert d["relationships"]["REPORTS_TO"] == "报到"


def test_overview_is_the_current_plan_of_the_area(api) -> None:
    whole = api.get("/overview").json()["plan"]
    # open needs of the tiny district: N1 (C1, 4 asked) and N2 (C3, 1 asked)
    assert whole["needs"] == 2
    assert [r["key"] for r in whole["by_place"]] == ["S1", "S2"]
    by_cat = {r["key"]: r for r in whole["by_category"]}
    assert set(by_cat) == {"医疗健康", "法律服务"}
    assert sum(r["short"] for r in whole["by_category"]) == sum(r["short"] for r in whole["by_place"])
    assert whole["met"] + whole["unmet"] == whole["needs"]
    street = api.get("/overview", "street_s2").json()["plan"]
    assert [r["key"] for r in street["by_place"]] == ["C3"] and street["needs"] == 1
    assert {r["key"] for r in street["by_category"]} == {"法律服务"}
    assert api.get("/overview", "department_u1").json()["plan"] is None
    # the plan shown is not written
    assert api.get("/plans").json() == []


def test_overview_lists_the_overdue_needs_it_may_see(api) -> None:
    whole = api.get("/overview").json()
    listed = api.get("/needs", params={"overdue": "true"}).json()
    assert whole["overdue_total"] == listed["total"] >= 1
    assert [n["id"] for n in whole["overdue"]] == [n["id"] for n in listed["items"]][:20]
    c3 = api.get("/overview", "community_c3").json()
    assert {n["community"] for n in c3["overdue"]} <= {"C3"}


def test_units_are_searched_by_name_within_the_area(api) -> None:
    rows = api.get("/units").json()
    assert [u["id"] for u in rows] == ["U1", "U2", "U3", "U4"]
    u1 = rows[0]
    assert (u1["street"], u1["lat"], u1["resources"], u1["capacity"]) == ("S1", 39.23, 1, 3)
    assert [u["id"] for u in api.get("/units", params={"q": "医院"}).json()] == ["U2"]
    assert [u["id"] for u in api.get("/units", params={"street": "S2"}).json()] == ["U3"]
    # a scoped token: the units tied to its area (agreement, project, reporting cadre)
    assert [u["id"] for u in api.get("/units", "community_c3").json()] == ["U3"]
    assert api.get("/units", "community_c3", params={"street": "S1"}).status_code == 403
    assert api.get("/units", params={"street": "S9"}).status_code == 422


def test_a_unit_shows_the_load_of_its_resources(api) -> None:
    assert api.post("/needs/N2/dispatch", json={"resource_id": "R2"}).status_code == 200
    load = api.get("/units/U3").json()["load"]
    assert load == [{"id": "R2", "title": "法律咨询", "category": "法律服务", "capacity": 5, "used": 1, "remaining": 4}]


def test_needs_filter_by_street_urgency_and_title(api) -> None:
    ids = lambda **p: [n["id"] for n in api.get("/needs", params=p).json()["items"]]  # noqa: E731
    assert ids(street="S2") == ["N2"]
    assert ids(street="S1") == ["N1", "N3", "N4"]
    assert ids(urgency="紧急") == ids(urgency="urgent") == ["N4"]
    assert ids(q="体检") == ["N1"]
    assert ids(q="调解", street="S1") == []
    assert api.get("/needs", params={"street": "S1"}).json()["total"] == 3
    assert api.get("/needs", "community_c1", params={"street": "S1"}).json()["total"] == 1
    assert api.get("/needs", "community_c1", params={"street": "S2"}).status_code == 403
    bad = api.get("/needs", params={"urgency": "很急"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "urgency"]


def test_the_page_and_its_assets_come_from_this_server(api) -> None:
    page = api.client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and all(r.startswith("/app/") or r.startswith("data:") for r in refs), refs
    for ref in refs:
        if ref.startswith("/app/"):
            assert api.client.get(ref).status_code == 200, ref
    # nothing the page runs names another host (the map has no tile server)
    for path in WEB_DIR.rglob("*"):
        if path.suffix in (".html", ".js", ".css") and "vendor" not in path.parts:
            assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", path.read_text(encoding="utf-8")), path
    # the token is never put into a URL by the page
    assert "?token" not in (WEB_DIR / "app.js").read_text(encoding="utf-8")


def test_the_api_docs_are_served_from_packaged_files(api) -> None:
    for path in ("/docs", "/redoc"):
        r = api.client.get(path)
        assert r.status_code == 200
        refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
        assert refs and all(ref.startswith("/static-docs/") for ref in refs), (path, refs)
        assert not re.search(r"https?://", r.text), path
        assert "img-src 'self' data:" in r.headers["content-security-policy"]
        for ref in refs:
            assert api.client.get(ref).status_code == 200, ref
    assert "https://" not in api.client.get("/docs").text
