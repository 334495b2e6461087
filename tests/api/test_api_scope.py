"""Scope on every route: each role, every route of the OpenAPI document, ids of another area.

The tiny district (:data:`tests.datasets.TINY`) with N5, a need the lists record as 已吹哨 at
C3 (S2), and N1 escalated through the API (S1). Each scoped role's area, worked out by hand
from the lists (not by the code under test):

========================= ================ ============ =====================================
token                     communities      streets      needs it may see
========================= ================ ============ =====================================
street_s1                 C1, C2           S1           N1, N3, N4
street_s2, viewer_s2      C3               S2           N2, N5
community_c1              C1               S1           N1
community_c3              C3               S2           N2, N5
department_u1 (K1 → C1)   C1               S1           N1 (escalated in S1)
department_u3 (K2 → C3)   C3               S2           N5 (recorded 已吹哨 in S2)
========================= ================ ============ =====================================

Two walks: every route with a foreign id in every parameter answers 403 or 404 and changes
nothing; every read route within the area answers with no id of another area (needs,
communities, grids, streets, cadres, stations, agreements, projects). Units and resources are
the district's directory: a unit of another area answers 404, but the resources a unit offers
are not area data.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orglink.graph.store import Store
from tests.api_support import Api, api_over, load_tiny
from tests.datasets import TINY, graph_digest

AREA: dict[str, dict[str, set[str]]] = {
    "street_s1": {"communities": {"C1", "C2"}, "streets": {"S1"}, "needs": {"N1", "N3", "N4"},
                  "grids": {"G1", "G2", "G3", "G4"}, "cadres": {"K1"}, "stations": {"ST1", "ST3"},
                  "agreements": {"A1", "A3"}, "projects": {"P1"}},
    "street_s2": {"communities": {"C3"}, "streets": {"S2"}, "needs": {"N2", "N5"}, "grids": {"G5"},
                  "cadres": {"K2"}, "stations": {"ST2"}, "agreements": {"A2"}, "projects": set()},
    "community_c1": {"communities": {"C1"}, "streets": {"S1"}, "needs": {"N1"}, "grids": {"G1", "G2"},
                     "cadres": {"K1"}, "stations": {"ST1"}, "agreements": {"A1"}, "projects": set()},
    "community_c3": {"communities": {"C3"}, "streets": {"S2"}, "needs": {"N2", "N5"}, "grids": {"G5"},
                     "cadres": {"K2"}, "stations": {"ST2"}, "agreements": {"A2"}, "projects": set()},
    "department_u1": {"communities": {"C1"}, "streets": {"S1"}, "needs": {"N1"}, "grids": {"G1", "G2"},
                      "cadres": {"K1"}, "stations": {"ST1"}, "agreements": {"A1"}, "projects": set()},
    "department_u3": {"communities": {"C3"}, "streets": {"S2"}, "needs": {"N5"}, "grids": {"G5"},
                      "cadres": {"K2"}, "stations": {"ST2"}, "agreements": {"A2"}, "projects": set()},
}
AREA["viewer_s2"] = AREA["street_s2"]
ALL = {"communities": {"C1", "C2", "C3"}, "streets": {"S1", "S2"}, "needs": {f"N{i}" for i in range(1, 6)},
       "grids": {f"G{i}" for i in range(1, 6)}, "cadres": {"K1", "K2", "K3"}, "stations": {"ST1", "ST2", "ST3"},
       "agreements": {"A1", "A2", "A3"}, "projects": {"P1"}}
FOREIGN_UNIT = {"street_s1": "U3", "street_s2": "U4", "viewer_s2": "U4", "community_c1": "U3",
                "community_c3": "U4", "department_u1": "U3", "department_u3": "U4"}
"""A unit with no tie to the role's area (no agreement, project or reporting cadre there)."""
OWN_UNIT = {"street_s1": "U2", "street_s2": "U3", "viewer_s2": "U3", "community_c1": "U2",
            "community_c3": "U3", "department_u1": "U1", "department_u3": "U3"}


OWN_COMMITTEE = {"street_s1": "WC1", "street_s2": "WC2", "viewer_s2": "WC2", "community_c1": "CC1",
                 "community_c3": "CC3", "department_u1": "GB1", "department_u3": "CC3"}
"""A party organisation whose area (the communities it covers) lies inside the role's."""
FOREIGN_COMMITTEE = {"street_s1": "CC3", "street_s2": "CC1", "viewer_s2": "WC1", "community_c1": "WC1",
                     "community_c3": "DC", "department_u1": "WC1", "department_u3": "CC1"}
"""One that does not: of another area, or wider than the role's (a street's 大工委 for a community)."""


def foreign(who: str) -> set[str]:
    """Every area id outside ``who``'s area."""
    return {i for kind, ids in ALL.items() for i in ids - AREA[who][kind]}


def scope_tables() -> dict[str, list[dict[str, str]]]:
    """TINY with N5, recorded in the lists as 已吹哨 at C3."""
    t = copy.deepcopy(TINY)
    t["needs"].append({"id": "N5", "title": "欠薪调解", "category": "法律服务", "quantity": "1",
                       "raised_at": "C3", "urgency": "紧急", "raised_on": "2024-06-05", "status": "已吹哨",
                       "scope": "community", "handled_by": "", "report": ""})
    return t


@pytest.fixture
def api(store: Store, tmp_path: Path) -> Iterator[Api]:
    """The API over the district of the module docstring, on each backend."""
    load_tiny(store, tmp_path, scope_tables())
    with api_over(store, tmp_path) as a:
        assert a.post("/needs/N1/accept").status_code == 200
        assert a.post("/needs/N1/escalate").status_code == 200
        yield a


def _operations(api: Api) -> list[tuple[str, str]]:
    spec = api.client.get("/openapi.json").json()
    return sorted((m.upper(), p) for p, ops in spec["paths"].items() for m in ops if p != "/api/v1/health")


def _strings(doc: Any) -> Iterator[str]:
    if isinstance(doc, dict):
        for v in doc.values():
            yield from _strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _strings(v)
    elif isinstance(doc, str):
        yield doc


BOUNDED = {"/api/v1/streets": {}, "/api/v1/assessment": {"month": "2024-06"}, "/api/v1/me": {},
           "/api/v1/overview": {}}
"""Reads that name no id: the caller's area bounds their answer (query parameters to use)."""
BODIES: dict[str, Any] = {"whatif": {"withdraw": [], "capacity": {}, "surge": {}},
                          "dispatch": {"resource_id": "R2"}, "complete": {"report": "已办结"},
                          "answer": {}, "escalate": {}, "accept": None}


def _foreign_request(who: str, method: str, path: str) -> tuple[str, dict[str, str], Any]:
    """The request for (method, path) naming ids of another area than ``who``'s."""
    other_need = sorted(ALL["needs"] - AREA[who]["needs"])[0]
    other_community = sorted(ALL["communities"] - AREA[who]["communities"])[0]
    other_street = sorted(ALL["streets"] - AREA[who]["streets"])[0]
    url = path.replace("{need_id}", other_need).replace("{unit_id}", FOREIGN_UNIT[who]).replace("{plan_id}", "p1")
    url = url.replace("{community_id}", other_community)
    url = url.replace("{grid_id}", sorted(ALL["grids"] - AREA[who]["grids"])[0])
    url = url.replace("{party_org_id}", FOREIGN_COMMITTEE[who])
    params: dict[str, str] = {}
    if method == "GET" and (path.endswith(("/needs", "/cadres", "/grids", "/stations")) or "/reports/" in path) \
            and "{" not in path:
        params = {"community": other_community}  # a report: of another area's community
    elif method == "GET" and path.endswith(("/communities", "/units")):
        params = {"street": other_street}
    body: Any = None
    if method == "POST" and path.endswith("/needs"):
        body = {"title": "助餐", "category": "养老托幼", "community": other_community}
    elif method == "POST":
        body = BODIES.get(path.rsplit("/", 1)[-1])
    return url, params, body


@pytest.mark.parametrize("who", sorted(AREA))
def test_every_route_refuses_ids_of_another_area(api: Api, who: str) -> None:
    before = graph_digest(api.store)
    ops = _operations(api)
    assert len(ops) >= 20
    for method, path in ops:
        if method == "GET" and path in BOUNDED:
            continue  # no id to ask for: the answer is bounded (the read walk below checks it)
        if (method, path) == ("GET", "/api/v1/trainings"):
            continue  # district-wide training classes: no id, every role sees them (test_api_training.py)
        url, params, body = _foreign_request(who, method, path)
        r = api.client.request(method, url, params=params, headers=api.h(who),
                               **({"json": body} if body is not None else {}))
        assert r.status_code in (403, 404), (who, method, url, params, r.status_code, r.text)
        leaked = foreign(who) & set(_strings(r.json()))
        # a refusal may name the id that was asked for, nothing else of the other area
        asked = [v for v in (body or {}).values() if isinstance(v, str)]
        assert leaked <= {url.rsplit("/", 1)[-1], *params.values(), *asked,
                          *(p for p in url.split("/") if p)}, (who, method, url, leaked)
    assert graph_digest(api.store) == before  # nothing was changed


def test_out_of_area_and_missing_answer_alike(api: Api) -> None:
    for who, other in (("community_c1", "N2"), ("department_u3", "N1"), ("street_s2", "N3")):
        out = api.get(f"/needs/{other}", who)
        missing = api.get("/needs/N999", who)
        assert out.status_code == missing.status_code == 404
        assert out.json()["detail"].replace(other, "X") == missing.json()["detail"].replace("N999", "X")
        out = api.get(f"/units/{FOREIGN_UNIT[who]}", who)
        missing = api.get("/units/U999", who)
        assert out.status_code == missing.status_code == 404
        assert out.json()["detail"].replace(FOREIGN_UNIT[who], "X") == missing.json()["detail"].replace("U999", "X")
    # a territory filter outside the scope: the same 403 whether or not the id exists
    a = api.get("/grids", "street_s1", params={"community": "C3"})
    b = api.get("/grids", "street_s1", params={"community": "C99"})
    assert a.status_code == b.status_code == 403
    assert a.json()["detail"].replace("C3", "X") == b.json()["detail"].replace("C99", "X")


def _reads(api: Api, who: str) -> Iterator[tuple[str, Any]]:
    """Every read route within ``who``'s area, with its answer."""
    for method, path in _operations(api):
        if method != "GET":
            continue
        urls = [path]
        if "{need_id}" in path:
            urls = [path.replace("{need_id}", n) for n in sorted(AREA[who]["needs"])]
        urls = [u.replace("{unit_id}", OWN_UNIT[who]).replace("{plan_id}", "p1") for u in urls]
        urls = [u.replace("{community_id}", sorted(AREA[who]["communities"])[0]) for u in urls]
        urls = [u.replace("{grid_id}", sorted(AREA[who]["grids"])[0])
                .replace("{party_org_id}", OWN_COMMITTEE[who]) for u in urls]
        for url in urls:
            params = {"community": sorted(AREA[who]["communities"])[0]} if path.endswith("/cadres") \
                else BOUNDED.get(path, {})
            r = api.client.get(url, params=params, headers=api.h(who))
            if r.status_code == 403 and ("/plans" in path or path.endswith("/figures")):
                continue  # district-wide results: refused to every scoped token (checked above)
            if r.status_code == 403 and "/reports/" in path and who.startswith("department"):
                continue  # reports are of a territory: none for a department token
            assert r.status_code == 200, (who, url, r.status_code, r.text)
            yield url, (r.json() if "json" in r.headers["content-type"] else r.text)


@pytest.mark.parametrize("who", sorted(AREA))
def test_no_read_shows_data_of_another_area(api: Api, who: str) -> None:
    seen: set[str] = set()
    for url, doc in _reads(api, who):
        got = set(_strings(doc)) if not isinstance(doc, str) else {doc}
        leaked = foreign(who) & got
        assert not leaked, (who, url, leaked)
        seen |= got
    # and the area's own needs are there: the walk read real data
    assert AREA[who]["needs"] <= seen, (who, AREA[who]["needs"] - seen)


def test_departments_see_the_escalations_that_reach_them(api: Api) -> None:
    assert [n["id"] for n in api.get("/needs", "department_u1").json()["items"]] == ["N1"]
    assert [n["id"] for n in api.get("/needs", "department_u3").json()["items"]] == ["N5"]  # imported 已吹哨
    assert api.post("/needs/N5/answer", "department_u3").status_code == 200
    assert api.post("/needs/N5/answer", "department_u1").status_code == 404  # S2's whistle does not reach U1
    assert [c["id"] for c in api.get("/cadres", "department_u3", params={"community": "C3"}).json()] == ["K2"]
    assert api.get("/cadres", "department_u3", params={"community": "C1"}).status_code == 403


def test_a_route_without_the_area_check_stops_the_app(tmp_path: Path) -> None:
    from fastapi import APIRouter

    from orglink.api import app as app_module
    from orglink.api import territory

    leaky = APIRouter()

    @leaky.get("/leak")
    def leak() -> dict:  # no AreaDep
        return {}

    original = territory.router
    combined = APIRouter(tags=["territory"])
    combined.include_router(original)
    combined.include_router(leaky)
    territory.router = combined
    try:
        with pytest.raises(RuntimeError, match="GET /api/v1/leak"):
            app_module.create_app(None, tmp_path / "tokens.json")
    finally:
        territory.router = original
