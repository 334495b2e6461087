"""Hostile input at the door (issue 12): control characters and lone surrogates in a text are
a 422 naming the field, undecodable bodies a 4xx (never a 500), and formula-like titles
already stored cannot poison the reports. Runs on every backend of the ``store`` fixture;
the command-line test uses an embedded store.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from orglink import queries
from orglink.cli import app as cli_app
from orglink.cli import import_commands
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store
from tests.api_support import Api, api_over, load_tiny
from tests.datasets import TINY

import_commands()
runner = CliRunner()

JSON = {"Content-Type": "application/json"}
ORDER = {"title": "独居老人助餐", "category": "医疗健康", "community": "C1", "grid": "G1"}


@pytest.fixture
def api(store: Store, tmp_path: Path):
    """The API over the tiny district on each backend."""
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as a:
        yield a


def need_count(api: Api) -> int:
    """How many needs the district token sees."""
    return api.get("/needs").json()["total"]


def raw_post(api: Api, path: str, content: bytes, headers: dict[str, str] | None = None):
    """POST raw bytes to ``/api/v1`` + path as the district token."""
    return api.client.post("/api/v1" + path, content=content, headers=api.h("district") | (headers or {}))


def assert_json_error(r, low: int = 400, high: int = 499) -> object:
    """The response is a 4xx whose body is valid JSON; returns it."""
    assert low <= r.status_code <= high, (r.status_code, r.text)
    return json.loads(r.content.decode("utf-8"))


# -- refused at the door ---------------------------------------------------------------------------
@pytest.mark.parametrize("title", ["助餐\x07", "\x1b[31m助餐", "助\x00餐", "助餐\x7f", "助餐\x85",
                                   "助餐\n服务", "助餐\t服务", "助餐\r", "助餐\ufffe"])
def test_a_control_character_in_a_title_is_422_naming_the_field(api: Api, title: str) -> None:
    r = api.post("/needs", "community_c1", json=ORDER | {"title": title})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail[0]["loc"] == ["body", "title"]
    assert any(word in detail[0]["msg"] for word in ("控制字符", "换行符", "无效字符", "pattern"))
    assert need_count(api) == 4  # nothing was written


def test_a_lone_surrogate_is_a_422_naming_the_field_with_a_json_body(api: Api) -> None:
    for body in (b'{"title": "\\ud800", "category": "\xe5\x8c\xbb\xe7\x96\x97\xe5\x81\xa5\xe5\xba\xb7", '
                 b'"community": "C1"}',
                 b'{"title": "\\ud800"}',  # also missing fields, whose input echoes the whole body
                 b'{"title": "\xed\xa0\x80", "category": "x", "community": "C1"}'):  # a surrogate as UTF-8
        r = raw_post(api, "/needs", body, JSON)
        detail = assert_json_error(r, 422, 422)["detail"]
        assert detail[0]["loc"] == ["body", "title"] and "U+D800" in detail[0]["msg"]
        assert detail[0]["input"] == "\\ud800"  # echoed, escaped
    assert need_count(api) == 4


@pytest.mark.parametrize("body, headers", [
    (b'{"title": "\xff\xfe\xfd", "category": "x", "community": "C1"}', JSON),  # not UTF-8
    (b"\xff\xfe\x00", JSON),
    (b"\xff\xfe\x00", {"Content-Type": "text/plain"}),  # not JSON: pydantic echoes the raw bytes
    (b"\xc3\x28", {}),
    ('{"\\udc00": 1, "title": "助餐", "category": "医疗健康", "community": "C1"}'.encode(), JSON),  # a key
    (b'{"title": NaN, "category": "x", "community": "C1"}', JSON),  # Python's json takes NaN
    (b'{"title": "a", "category": "\xe5\x8c\xbb\xe7\x96\x97\xe5\x81\xa5\xe5\xba\xb7", "community": "C1", '
     b'"quantity": Infinity}', JSON),
    (b'{"title": "a", "category": "x", "community": "C1", "colour": ' + b"[" * 200 + b"]" * 200 + b"}", JSON),
])
def test_undecodable_or_odd_bodies_are_4xx_with_a_json_answer(api: Api, body: bytes, headers: dict) -> None:
    r = raw_post(api, "/needs", body, headers)
    assert_json_error(r)
    assert need_count(api) == 4


@pytest.mark.parametrize("path, body, field", [
    ("complete", {"report": "已办结\x07"}, "report"),
    ("complete", {"report": "第一步\r\n第二步"}, "report"),  # free text: LF and tab only
    ("escalate", {"note": "\x1b需民政部门"}, "note"),
    ("answer", {"unit_id": "U1", "note": "报到\ud800"}, "note"),
    ("dispatch", {"resource_id": "R1", "override_reason": "协调\x00"}, "override_reason"),
])
def test_control_characters_in_free_text_are_422_naming_the_field(api: Api, path: str, body: dict,
                                                                   field: str) -> None:
    r = raw_post(api, f"/needs/N2/{path}", json.dumps(body).encode(), JSON)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", field]
    assert api.get("/needs/N2").json()["history"] == []  # N2 (loaded) has no audit entry yet


def test_free_text_keeps_line_feeds_and_tabs(api: Api) -> None:
    api.post("/needs/N1/accept")
    r = api.post("/needs/N1/escalate", json={"note": "第一步\n\t第二步"})
    assert r.status_code == 200, r.text
    assert r.json()["history"][-1]["note"] == "第一步\n\t第二步"


@pytest.mark.parametrize("params, field", [({"status": "ordered\x07"}, "status"),
                                           ({"category": "医疗健康\x00"}, "category")])
def test_a_control_character_in_a_query_is_422_naming_the_field(api: Api, params: dict, field: str) -> None:
    r = api.get("/needs", params=params)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", field]


# -- hostile titles already stored -------------------------------------------------------------------
HOSTILE = ['=HYPERLINK("http://x","点我")', "=1+1", "-2", "@SUM(A1)"]


@pytest.fixture
def hostile_api(store: Store, tmp_path: Path):
    """The API over the tiny district whose lists carry formula-like titles (the loader takes
    them), plus a need with control characters written straight into the store."""
    tables = copy.deepcopy(TINY)
    tables["needs"] += [dict(TINY["needs"][0], id=f"NH{i}", title=t, raised_at="C1", quantity="1")
                        for i, t in enumerate(HOSTILE)]
    tables["resources"].append(dict(TINY["resources"][0], id="R9", title="+SUM(1)"))
    load_tiny(store, tmp_path, tables)
    queries.need_create(store, prefix="N-20250301-", community="C1", grid="G1", history="[]",
                        props={"title": "铃\x07声\x1b", "category": "医疗健康", "quantity": 1,
                               "raised_on": "2025-03-01", "status": "ordered", "scope": "community",
                               "source": "user"})
    with api_over(store, tmp_path) as a:
        yield a


def test_both_report_routes_answer_with_hostile_titles_stored(hostile_api: Api) -> None:
    r = hostile_api.get("/reports/pairing.xlsx")
    assert r.status_code == 200, r.text
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for title in [*HOSTILE, "+SUM(1)"]:
        assert "'" + title in texts and title not in texts, title
    assert "铃声" in texts and not any("\x07" in t or "\x1b" in t for t in texts)
    page = hostile_api.get("/reports/pairing.html")
    assert page.status_code == 200, page.text
    assert "\x07" not in page.text and "\x1b" not in page.text and "铃声" in page.text
    plan = hostile_api.post("/plans", json={"plan_id": "plan-hostile"})
    assert plan.status_code == 200, plan.text
    stored = hostile_api.get("/reports/pairing.xlsx", params={"plan_id": "plan-hostile"})
    assert stored.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(stored.content))
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


# -- the command line ------------------------------------------------------------------------------
@pytest.mark.parametrize("title", ["助餐\x07", "助餐\n服务", "\x1b[2J助餐"])
def test_need_order_with_a_control_character_is_refused_in_chinese(tmp_path: Path, title: str) -> None:
    store_dir = tmp_path / "store"
    store = EmbeddedStore(store_dir)
    load_tiny(store, tmp_path)
    before = store.counts()["nodes"]["Need"]
    store.close()
    res = runner.invoke(cli_app, ["need", "order", "--title", title, "--category", "医疗健康",
                                  "--community", "C1", "--store", str(store_dir)],
                        env={"ORGLINK_BACKEND": "embedded"})
    assert res.exit_code == 1, res.output
    assert "输入有误" in res.stderr and "title" in res.stderr
    assert "控制字符" in res.stderr or "换行符" in res.stderr
    assert EmbeddedStore(store_dir).counts()["nodes"]["Need"] == before  # nothing written
