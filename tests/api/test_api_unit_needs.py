"""``GET /units/{id}/needs`` (the reverse match) and the match route's JSON, on each backend.

The district is :data:`tests.matching.test_match_view.MATCH_TINY`: U2 区第一医院 could meet
the open health needs N5 (C3, street S2), N1 (G1 in C1, S1), N8 (G2 in C1, S1) and N6 (G3 in
C2, S1), in that order. A street or community token sees only the needs inside its area.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orglink import queries
from orglink.cli import app as cli_app
from orglink.cli import import_commands
from orglink.graph.store import Store
from tests.api_support import Api, api_over, load_tiny
from tests.matching.test_match_view import MATCH_TINY


@pytest.fixture
def api(store: Store, tmp_path: Path):
    """The API over the district of the module docstring, on each backend."""
    load_tiny(store, tmp_path, MATCH_TINY)
    with api_over(store, tmp_path) as a:
        yield a


def ids(api: Api, who: str, unit: str = "U2", **params) -> tuple[int, list[str]]:
    r = api.get(f"/units/{unit}/needs", who, params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    return body["total"], [n["need_id"] for n in body["needs"]]


@pytest.mark.parametrize("who, total, needs", [
    ("district", 4, ["N5", "N1", "N8", "N6"]),
    ("viewer", 4, ["N5", "N1", "N8", "N6"]),
    ("street_s1", 3, ["N1", "N8", "N6"]),  # inside S1: C1 and C2
    ("street_s2", 1, ["N5"]),  # S1's needs are outside
    ("viewer_s2", 1, ["N5"]),
    ("community_c1", 2, ["N1", "N8"]),
    ("community_c3", 1, ["N5"]),
    ("department_u3", 0, []),  # a department sees escalated needs only, and those are not open
])
def test_unit_needs_by_role_and_scope(api: Api, who: str, total: int, needs: list[str]) -> None:
    assert ids(api, who) == (total, needs)


def test_unit_needs_body_top_and_errors(api: Api) -> None:
    r = api.get("/units/U2/needs", params={"top": 2})
    assert r.status_code == 200
    body = r.json()
    assert (body["unit_id"], body["unit_name"], body["total"], body["plan_id"]) == ("U2", "区第一医院", 4, None)
    first = body["needs"][0]
    assert (first["need_id"], first["resource_id"], first["hops"], first["remaining"], first["urgency"],
            first["community"], first["street"]) == ("N5", "R1", 2, 10, "urgent", "C3", "S2")
    assert [s["id"] for s in first["path"]] == ["C3", "K4", "U2"]
    assert len(body["needs"]) == 2
    assert ids(api, "street_s1", top=1) == (3, ["N1"])  # the cut comes after the scope filter
    assert ids(api, "district", unit="U4") == (0, [])
    r = api.get("/units/U99/needs")
    assert r.status_code == 404 and "U99" in r.json()["detail"]
    assert api.get("/units/U2/needs", params={"top": 0}).status_code == 422
    assert api.client.get("/api/v1/units/U2/needs").status_code == 401


def test_unit_needs_same_json_as_cli(api: Api) -> None:
    queries.write_plan(api.store, plan_id="p1", created_at="2025-03-01T09:00:00+08:00", input_hash="t",
                       needs=1, met=1, unmet=0, keep=10,
                       rows=[{"need_id": "N5", "resource_id": "R1", "rank": 1, "hops": 2, "quantity": 1}])
    body = api.get("/units/U2/needs").json()
    assert body["plan_id"] == "p1" and [n["planned"] for n in body["needs"]] == [1, 1, 1, 1]
    if api.store.backend != "embedded":
        return  # the CLI of another backend is compared in tests/matching/test_match_view.py
    import_commands()
    res = CliRunner().invoke(cli_app, ["match", "--unit", "U2", "--json",
                                       "--store", str(api.store.path)])  # type: ignore[attr-defined]
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == body


def test_match_route_json(api: Api) -> None:
    r = api.get("/needs/N1/matches", params={"top": 2})
    assert r.status_code == 200, r.text
    m = r.json()
    assert (m["need_id"], m["per_unit"], m["total"], m["plan_id"]) == ("N1", True, 2, None)
    assert [(c["unit_id"], c["resource_id"], c["remaining"], c["planned"]) for c in m["candidates"]] == [
        ("U2", "R1", 10, None), ("U1", "R4", 3, None)]
    m = api.get("/needs/N1/matches", params={"top": 2, "resources": "true"}).json()
    assert (m["per_unit"], m["total"]) == (False, 3)
    assert [c["resource_id"] for c in m["candidates"]] == ["R1", "R5"]
    m = api.get("/needs/N7/matches").json()
    assert (m["status"], m["candidates"], m["report"]) == ("done", [], "已组织义诊体检")
    assert api.get("/needs/N5/matches", "street_s1").status_code == 404  # outside S1: as a missing need
    if api.store.backend != "embedded":
        return
    import_commands()
    for extra in ([], ["--resources"]):
        res = CliRunner().invoke(cli_app, ["match", "N1", "--json", "--top", "2", *extra,
                                           "--store", str(api.store.path)])  # type: ignore[attr-defined]
        assert res.exit_code == 0, res.output
        api_json = api.get("/needs/N1/matches", params={"top": 2, "resources": bool(extra)}).json()
        assert json.loads(res.stdout) == api_json
