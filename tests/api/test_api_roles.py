"""Each role's allowed and refused calls: 401 without a token, 403 outside the role or for a
territory filter outside the scope, 404 for a need or unit outside it (as for a missing one).

Tiny district: S1 holds C1 (G1, G2) and C2 (G3, G4); S2 holds C3 (G5). N1 (ordered) is at G1
in C1/S1; N2 (accepted) at C3/S2. U1 and U3 are departments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orglink.graph.embedded import EmbeddedStore
from tests.api_support import Api, api_over, load_tiny


@pytest.fixture
def api(tmp_path: Path):
    """The API over the tiny district (embedded store; the roles do not depend on the backend)."""
    store = EmbeddedStore(tmp_path / "store")
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as a:
        yield a


def _routes(api: Api) -> list[tuple[str, str]]:
    """(method, path) of every operation the app's OpenAPI document lists."""
    spec = api.client.get("/openapi.json").json()
    return sorted((m.upper(), p) for p, ops in spec["paths"].items() for m in ops)


def _concrete(path: str) -> str:
    return (path.replace("{need_id}", "N1").replace("{unit_id}", "U1").replace("{plan_id}", "p1"))


def test_every_route_but_health_needs_a_token(api: Api) -> None:
    routes = _routes(api)
    assert len(routes) >= 20
    for method, path in routes:
        url = _concrete(path) + ("?community=C1" if path.endswith("/cadres") else "")
        if path == "/api/v1/health":
            assert api.client.request(method, url).status_code == 200
            continue
        r = api.client.request(method, url)
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.headers["www-authenticate"].startswith("Bearer")
        r = api.client.request(method, url, headers={"Authorization": "Bearer olk_not-a-token"})
        assert r.status_code == 401, (method, path)
        r = api.client.request(method, url, headers={"Authorization": "Basic dXNlcjpwYXNz"})
        assert r.status_code == 401, (method, path)


ORDER = {"title": "助餐", "category": "医疗健康", "community": "C1", "grid": "G1"}
ORDER_C3 = {"title": "调解", "category": "法律服务", "community": "C3"}

# (token, method, path, body, expected status)
CASES = [
    # district: everything
    ("district", "GET", "/needs/N2", None, 200),
    ("district", "POST", "/needs", ORDER_C3, 201),
    ("district", "POST", "/plans", {"write": False}, 200),
    ("district", "GET", "/reports/pairing.html", None, 200),
    # street S1: its communities only
    ("street_s1", "GET", "/needs/N1", None, 200),
    ("street_s1", "GET", "/needs/N1/matches", None, 200),
    ("street_s1", "GET", "/needs/N2", None, 404),
    ("street_s1", "GET", "/needs/N2/matches", None, 404),
    ("street_s1", "POST", "/needs/N1/accept", None, 200),
    ("street_s1", "POST", "/needs/N2/escalate", None, 404),
    ("street_s1", "POST", "/needs", ORDER, 201),
    ("street_s1", "POST", "/needs", ORDER_C3, 403),
    ("street_s1", "GET", "/communities?street=S2", None, 403),
    ("street_s1", "GET", "/grids?community=C3", None, 403),
    ("street_s1", "GET", "/cadres?community=C3", None, 403),
    ("street_s1", "GET", "/cadres?community=C1", None, 200),
    ("street_s1", "POST", "/plans", {"write": False}, 403),
    ("street_s1", "GET", "/reports/pairing.xlsx", None, 200),  # its street's report
    ("street_s1", "GET", "/reports/pairing.xlsx?street=S2", None, 403),
    ("street_s1", "GET", "/plans/p1", None, 403),
    ("street_s1", "POST", "/needs/N1/answer", {"unit_id": "U1"}, 403),
    # community C1: its own grids
    ("community_c1", "GET", "/needs/N1", None, 200),
    ("community_c1", "POST", "/needs/N1/accept", None, 200),
    ("community_c1", "GET", "/needs/N2", None, 404),
    ("community_c1", "POST", "/needs/N2/dispatch", {"resource_id": "R2"}, 404),
    ("community_c1", "POST", "/needs", ORDER, 201),
    ("community_c1", "POST", "/needs", {**ORDER, "community": "C2", "grid": "G3"}, 403),
    ("community_c1", "GET", "/grids?community=C2", None, 403),
    ("community_c1", "GET", "/communities?street=S2", None, 403),
    ("community_c1", "GET", "/units/U3", None, 404),  # no tie to C1
    ("community_c1", "GET", "/units/U2", None, 200),  # co-builds C1
    ("community_c1", "GET", "/units/U1", None, 200),  # its cadre K1 reports to C1,
    ("community_c3", "POST", "/needs/N2/escalate", None, 200),
    # department: sees and answers escalated needs only
    ("department_u3", "GET", "/needs/N1", None, 404),
    ("department_u3", "GET", "/needs/N2", None, 404),  # accepted, not escalated
    ("department_u3", "POST", "/needs/N2/accept", None, 403),
    ("department_u3", "POST", "/needs", ORDER_C3, 403),
    ("department_u3", "POST", "/plans", None, 403),
    ("department_u3", "GET", "/streets", None, 200),
    # viewer: read only
    ("viewer", "GET", "/needs/N2", None, 200),
    ("viewer", "GET", "/reports/pairing.html", None, 200),
    ("viewer", "POST", "/needs/N1/accept", None, 403),
    ("viewer", "POST", "/needs", ORDER, 403),
    ("viewer", "POST", "/plans", {"write": False}, 403),
    ("viewer_s2", "GET", "/needs/N2", None, 200),
    ("viewer_s2", "GET", "/needs/N1", None, 404),
    ("viewer_s2", "GET", "/reports/pairing.html", None, 200),  # its street's report
    ("viewer_s2", "GET", "/reports/pairing.html?community=C1", None, 403),
    ("viewer_s2", "POST", "/needs/N2/escalate", None, 403),
]


@pytest.mark.parametrize("who, method, path, body, status", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[4]}" for c in CASES])
def test_role_and_scope(api: Api, who: str, method: str, path: str, body, status: int) -> None:
    r = api.client.request(method, "/api/v1" + path, headers=api.h(who), json=body)
    assert r.status_code == status, r.text
    if status in (403, 404):
        assert r.json()["detail"]  # a message saying why


def test_lists_are_bounded_by_scope(api: Api) -> None:
    assert [n["id"] for n in api.get("/needs", "street_s1").json()["items"]] == ["N1", "N3", "N4"]
    assert [n["id"] for n in api.get("/needs", "street_s2").json()["items"]] == ["N2"]
    assert [n["id"] for n in api.get("/needs", "community_c1").json()["items"]] == ["N1"]
    assert [n["id"] for n in api.get("/needs", "viewer_s2").json()["items"]] == ["N2"]
    assert api.get("/needs", "department_u3").json()["total"] == 0
    assert api.get("/needs", "street_s1", params={"community": "C3"}).status_code == 403
    assert [c["id"] for c in api.get("/communities", "street_s1").json()] == ["C1", "C2"]
    assert [c["id"] for c in api.get("/communities", "community_c3").json()] == ["C3"]
    assert [s["id"] for s in api.get("/streets", "street_s2").json()] == ["S2"]
    assert [s["id"] for s in api.get("/streets", "community_c1").json()] == ["S1"]
    assert [s["id"] for s in api.get("/streets", "viewer").json()] == ["S1", "S2"]
    assert [g["id"] for g in api.get("/grids", "community_c1").json()] == ["G1", "G2"]
    assert [s["id"] for s in api.get("/stations", "street_s2").json()] == ["ST2"]


def test_department_sees_and_answers_once_escalated(api: Api) -> None:
    assert api.post("/needs/N2/escalate", "street_s2").status_code == 200
    assert [n["id"] for n in api.get("/needs", "department_u3").json()["items"]] == ["N2"]
    assert api.get("/needs/N2", "department_u3").status_code == 200
    assert api.get("/needs/N2/matches", "department_u3").status_code == 200
    # only as its own unit
    r = api.post("/needs/N2/answer", "department_u3", json={"unit_id": "U1"})
    assert r.status_code == 403
    r = api.post("/needs/N2/answer", "department_u3")
    assert r.status_code == 200 and r.json()["answers"][0]["unit_id"] == "U3"
    # U1's cadres report to C1 in S1: a whistle of S2 does not reach it (404, as a missing need)
    assert api.post("/needs/N2/answer", "department_u1").status_code == 404
    # answering is all a department may do
    assert api.post("/needs/N2/dispatch", "department_u3", json={"resource_id": "R2"}).status_code == 403
    assert api.post("/needs/N2/complete", "department_u3", json={"report": "x"}).status_code == 403
