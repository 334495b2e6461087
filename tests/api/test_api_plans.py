"""``GET /api/v1/plans`` and ``DELETE /api/v1/plans/{plan_id}``: stored plans over the API, on
every backend of the ``store`` fixture, and who may list and delete them.

Tiny district (tests/datasets.py): every plan pairs N2 with R2 and leaves N1 unmet. The API's
clock is fixed (tests/api_support.py NOW), so plans made through it share one created_at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orglink import queries
from orglink.graph.store import Store
from tests.api_support import NOW, Api, api_over, load_tiny


@pytest.fixture
def api(store: Store, tmp_path: Path):
    """The API over the tiny district on each backend."""
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as a:
        yield a


def delete(api: Api, plan_id: str, who: str = "district"):
    return api.client.delete(f"/api/v1/plans/{plan_id}", headers=api.h(who))


def test_list_and_delete_plans(api: Api) -> None:
    assert api.get("/plans").json() == []
    for pid in ("p-a", "p-b"):
        assert api.post("/plans", json={"plan_id": pid}).status_code == 200
    assert api.post("/plans", json={"plan_id": "p-dry", "write": False}).status_code == 200
    r = api.get("/plans")
    assert r.status_code == 200, r.text
    want = {"created_at": NOW.isoformat(), "needs": 2, "met": 2, "unmet": 0, "assignments": 2}
    listed = r.json()
    assert [p["id"] for p in listed] == ["p-b", "p-a"]  # the same second: by id, newest first
    assert all({k: p[k] for k in want} == want and p["input_hash"] for p in listed)
    assert listed == queries.list_plans(api.store)
    r = delete(api, "p-a")
    assert r.status_code == 200, r.text
    assert r.json() == {"id": "p-a", "deleted": 2}
    assert [p["id"] for p in api.get("/plans").json()] == ["p-b"]
    assert api.get("/plans/p-a").status_code == 404
    missing = delete(api, "p-a")
    assert missing.status_code == 404 and missing.json()["detail"] == "方案不存在：p-a"
    assert delete(api, "bad id!").status_code == 422  # not an id


@pytest.mark.parametrize("who, status", [
    ("district", 200), ("viewer", 200),
    ("street_s1", 403), ("community_c1", 403), ("department_u3", 403), ("viewer_s2", 403)])
def test_who_may_list_plans(api: Api, who: str, status: int) -> None:
    r = api.get("/plans", who)
    assert r.status_code == status, r.text
    if status == 403:
        assert "无权查看全区结果" in r.json()["detail"]


@pytest.mark.parametrize("who", ["viewer", "street_s1", "community_c1", "department_u3", "viewer_s2"])
def test_only_district_tokens_delete_plans(api: Api, who: str) -> None:
    api.post("/plans", json={"plan_id": "p1"})
    r = delete(api, "p1", who)
    assert r.status_code == 403 and "需要区级令牌" in r.json()["detail"]
    assert [p["id"] for p in api.get("/plans").json()] == ["p1"]  # still there
    assert delete(api, "nope", who).status_code == 403  # refused before looking


def test_plans_routes_are_documented(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/plans"])
    assert {"get", "delete"} <= set(paths["/api/v1/plans/{plan_id}"])
