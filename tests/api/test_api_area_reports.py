"""Area reports over the API (issue 14, part 4): ``GET /reports/pairing.{xlsx,html}?street=&community=``.

Tiny district (tests/datasets.py): S1 南街街道 holds C1 春晖社区 and C2 星火社区, S2 园艺镇 holds
C3 桥东社区. Every plan pairs N1 (C1) with R1 (U2) and N2 (C3) with R2 (U3). The API's clock is fixed
(tests/api_support.py NOW: 2025-03-01), which dates the file names.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from orglink.graph.store import Store
from tests.api_support import Api, api_over, load_tiny

COMMUNITY_NAMES = {"C1": "春晖社区", "C2": "星火社区", "C3": "桥东社区"}


@pytest.fixture
def api(store: Store, tmp_path: Path):
    """The API over the tiny district on each backend."""
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as a:
        yield a


def xlsx(api: Api, who: str, **params: str) -> Any:
    """The workbook ``who`` downloads with ``params`` (asserting a 200)."""
    r = api.get("/reports/pairing.xlsx", who, params=params)
    assert r.status_code == 200, (who, params, r.text)
    return openpyxl.load_workbook(io.BytesIO(r.content))


def rows(wb: Any, sheet: str) -> list[dict[str, Any]]:
    """A sheet's rows keyed by its headings (row 2; row 1 is the title)."""
    values = list(wb[sheet].iter_rows(values_only=True))
    return [dict(zip(values[1], v)) for v in values[2:]]


def communities(wb: Any) -> set[str]:
    return {r["社区"] for r in rows(wb, "汇总")} - {"小计", None}


def values(wb: Any) -> dict[str, list[tuple]]:
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}


def test_a_street_token_gets_its_street(api: Api) -> None:
    s2 = xlsx(api, "street_s2")
    assert communities(s2) == {"桥东社区"}
    assert [r["需求编号"] for r in rows(s2, "配对明细")] == ["N2"]
    assert rows(s2, "未满足需求") == []
    assert [r["单位编号"] for r in rows(s2, "单位负荷")] == ["U3"]
    assert s2["汇总"]["A1"].value.startswith("测试区 · 园艺镇 需求与资源配对报告")
    s1 = xlsx(api, "street_s1")
    assert communities(s1) == {"春晖社区", "星火社区"}
    assert [r["需求编号"] for r in rows(s1, "配对明细")] == ["N1"] and rows(s1, "未满足需求") == []
    assert [r["单位编号"] for r in rows(s1, "单位负荷")] == ["U2"]
    assert [r["社区"] for r in rows(s1, "汇总")][-1] is None  # the total of the area
    html = api.get("/reports/pairing.html", "street_s1")
    assert html.status_code == 200 and "测试区 · 南街街道 需求与资源配对报告" in html.text
    assert "桥东社区" not in html.text and "邻里纠纷调解" not in html.text  # nothing of S2


def test_a_street_token_may_ask_for_a_community_of_its_street(api: Api) -> None:
    wb = xlsx(api, "street_s1", community="C1")
    assert communities(wb) == {"春晖社区"}
    assert wb["汇总"]["A1"].value.startswith("测试区 · 南街街道 · 春晖社区 需求与资源配对报告")
    assert communities(xlsx(api, "street_s1", street="S1", community="C2")) == {"星火社区"}


def test_a_community_token_gets_its_community(api: Api) -> None:
    wb = xlsx(api, "community_c1")
    assert communities(wb) == {"春晖社区"}
    assert [r["需求编号"] for r in rows(wb, "配对明细")] == ["N1"]
    assert communities(xlsx(api, "community_c3")) == {"桥东社区"}
    assert communities(xlsx(api, "viewer_s2")) == {"桥东社区"}  # a scoped viewer: its scope


@pytest.mark.parametrize("who, params", [
    ("street_s1", {"street": "S2"}), ("street_s1", {"community": "C3"}), ("street_s1", {"community": "C99"}),
    ("street_s1", {"street": "S99"}), ("community_c1", {"community": "C2"}), ("community_c1", {"street": "S1"}),
    ("community_c1", {"street": "S2", "community": "C1"}), ("viewer_s2", {"street": "S1"}),
    ("department_u3", {}), ("department_u3", {"street": "S2"})])
@pytest.mark.parametrize("kind", ["xlsx", "html"])
def test_outside_the_area_is_403(api: Api, who: str, params: dict[str, str], kind: str) -> None:
    r = api.get(f"/reports/pairing.{kind}", who, params=params)
    assert r.status_code == 403, (who, params, r.text)
    assert r.json()["detail"]


def test_a_foreign_id_and_an_unknown_one_are_refused_alike(api: Api) -> None:
    a = api.get("/reports/pairing.xlsx", "street_s1", params={"community": "C3"})
    b = api.get("/reports/pairing.xlsx", "street_s1", params={"community": "C99"})
    assert a.json()["detail"].replace("C3", "X") == b.json()["detail"].replace("C99", "X")


@pytest.mark.parametrize("params, field", [
    ({"street": "S99"}, "street"), ({"community": "C99"}, "community"),
    ({"street": "S2", "community": "C1"}, "community")])
def test_unknown_ids_are_422_for_the_district(api: Api, params: dict[str, str], field: str) -> None:
    for kind in ("xlsx", "html"):
        r = api.get(f"/reports/pairing.{kind}", params=params)
        assert r.status_code == 422, r.text
        assert r.json()["detail"][0]["loc"] == ["query", field]


def test_the_district_asking_for_a_street_gets_what_the_street_token_gets(api: Api) -> None:
    assert values(xlsx(api, "district", street="S1")) == values(xlsx(api, "street_s1"))
    assert values(xlsx(api, "viewer", community="C3")) == values(xlsx(api, "community_c3"))
    assert api.get("/reports/pairing.html", params={"street": "S2"}).text == \
        api.get("/reports/pairing.html", "street_s2").text
    whole = xlsx(api, "district")
    assert communities(whole) == set(COMMUNITY_NAMES.values())
    assert whole["汇总"]["A1"].value.startswith("测试区 需求与资源配对报告")


def test_a_stored_plan_for_an_area(api: Api) -> None:
    assert api.post("/plans", json={"plan_id": "p-area"}).status_code == 200
    wb = xlsx(api, "street_s2", plan_id="p-area")
    assert "配对方案：p-area" in wb["汇总"]["A1"].value and communities(wb) == {"桥东社区"}
    assert api.get("/reports/pairing.xlsx", "street_s2", params={"plan_id": "nope"}).status_code == 404


def test_downloads_carry_dated_file_names(api: Api) -> None:
    cases = [("district", {}, "pairing-report-2025-03-01"), ("street_s1", {}, "pairing-report-S1-2025-03-01"),
             ("street_s1", {"community": "C2"}, "pairing-report-C2-2025-03-01"),
             ("district", {"street": "S2"}, "pairing-report-S2-2025-03-01")]
    for who, params, stem in cases:
        x = api.get("/reports/pairing.xlsx", who, params=params)
        assert x.headers["content-disposition"] == f'attachment; filename="{stem}.xlsx"', (who, params)
        h = api.get("/reports/pairing.html", who, params=params)
        assert h.headers["content-disposition"] == f'inline; filename="{stem}.html"', (who, params)


def test_the_office_comes_from_orglink_office(api: Api, store: Store, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert "出具单位：区委组织部" in api.get("/reports/pairing.html").text
    monkeypatch.setenv("ORGLINK_OFFICE", "石嘴山市委组织部")  # read when the app is made
    (tmp_path / "other").mkdir()
    with api_over(store, tmp_path / "other") as other:
        assert "出具单位：石嘴山市委组织部" in other.get("/reports/pairing.html").text
        assert "出具单位：石嘴山市委组织部" in xlsx(other, "street_s1")["汇总"]["A1"].value


def test_the_report_routes_document_the_area_parameters(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/reports/pairing.xlsx", "/api/v1/reports/pairing.html"):
        names = {p["name"] for p in spec[path]["get"]["parameters"]}
        assert {"plan_id", "street", "community"} <= names, path
