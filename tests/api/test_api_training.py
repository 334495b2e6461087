"""``GET /api/v1/trainings`` (district-wide: every role sees the same classes) and
``GET /api/v1/communities/{id}/cycle`` (area data: a scoped token sees only its own
communities; another one answers 404 as a missing one does), on both backends, over the
hand-made district of :mod:`tests.loaders.test_training`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orglink.graph.store import Store
from tests.api_support import ROLE_SCOPES, Api, api_over, load_tiny
from tests.loaders.test_training import training_tables

OWN = {"district": {"C1", "C2", "C3"}, "viewer": {"C1", "C2", "C3"}, "street_s1": {"C1", "C2"},
       "street_s2": {"C3"}, "viewer_s2": {"C3"}, "community_c1": {"C1"}, "community_c3": {"C3"},
       "department_u1": {"C1"}, "department_u3": {"C3"}}
"""The communities each token's area holds (tests/api/test_api_scope.py, worked out by hand)."""


@pytest.fixture
def api(store: Store, tmp_path: Path) -> Iterator[Api]:
    load_tiny(store, tmp_path, training_tables())
    with api_over(store, tmp_path) as a:
        yield a


def test_every_role_sees_the_same_trainings(api: Api) -> None:
    want = api.get("/trainings").json()
    assert [r["id"] for r in want["items"]] == ["T4", "T1", "T2", "T3", "T5"]
    assert want["totals"] == [{"kind": "themed", "kind_zh": "主题培训", "classes": 3, "person_times": 100},
                              {"kind": "exam", "kind_zh": "考前培训", "classes": 2, "person_times": 350}]
    for who in ROLE_SCOPES:
        r = api.get("/trainings", who)
        assert r.status_code == 200 and r.json() == want, who


def test_trainings_filter_by_kind_and_year(api: Api) -> None:
    r = api.get("/trainings", params={"kind": "考前培训", "year": 2024}).json()
    assert r["kind"] == "exam" and r["year"] == 2024
    assert [(t["id"], t["organiser"], t["organiser_name"]) for t in r["items"]] == [("T3", "U3", "区司法局")]
    assert r["totals"] == [{"kind": "exam", "kind_zh": "考前培训", "classes": 1, "person_times": 200}]
    assert [t["id"] for t in api.get("/trainings", params={"kind": "themed"}).json()["items"]] == ["T1", "T2", "T5"]


@pytest.mark.parametrize("params", [{"kind": "专题"}, {"year": "今年"}, {"year": 1800}])
def test_a_bad_filter_is_422_naming_the_field(api: Api, params: dict) -> None:
    r = api.get("/trainings", params=params)
    assert r.status_code == 422, r.text
    assert next(iter(params)) in r.text


def test_trainings_need_a_token(api: Api) -> None:
    assert api.client.get("/api/v1/trainings").status_code == 401


def test_a_community_cycle_with_what_is_missing(api: Api) -> None:
    r = api.get("/communities/C2/cycle", params={"year": 2024})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert (doc["community"], doc["community_name"], doc["year"]) == ("C2", "星火社区", 2024)
    assert [(s["position"], s["stage_zh"], s["done"]) for s in doc["stages"]] == [
        (1, "年初抓计划", True), (2, "年中抓自查", False), (3, "平时抓指导", False), (4, "年底抓述职", False)]
    assert doc["missing_zh"] == ["年中抓自查", "平时抓指导", "年底抓述职"]
    c1 = api.get("/communities/C1/cycle").json()  # the latest year: 2024
    assert c1["year"] == 2024 and c1["missing"] == []
    assert [r["id"] for r in c1["stages"][2]["records"]] == ["W3A", "W3"]


@pytest.mark.parametrize("who", sorted(OWN))
def test_a_scoped_token_sees_only_its_own_communities(api: Api, who: str) -> None:
    missing = api.get("/communities/C99/cycle", who)
    assert missing.status_code == 404
    for cid in ("C1", "C2", "C3"):
        r = api.get(f"/communities/{cid}/cycle", who)
        if cid in OWN[who]:
            assert r.status_code == 200 and r.json()["community"] == cid, (who, cid)
        else:  # outside the area: the same answer as a community that does not exist
            assert r.status_code == 404, (who, cid, r.text)
            assert r.json()["detail"].replace(cid, "X") == missing.json()["detail"].replace("C99", "X")
