"""The organisation commands (issue 13): ``orglink department``, ``chain``, ``committee``,
``linkage``, ``stations``, ``nearest-station`` and the figures of ``orglink stats --json``, on
the tiny district (answers by hand from tests/datasets.py TINY) and on Huinong (the document's
figures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from orglink.cli import app, import_commands
from orglink.data import HUINONG
from tests.datasets import write_tiny

import_commands()
runner = CliRunner()


def run(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"ORGLINK_BACKEND": "embedded"})


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("tiny")
    store = str(tmp / "store")
    assert run("load", str(write_tiny(tmp / "tiny")), "--store", store).exit_code == 0
    return store


@pytest.fixture(scope="module")
def huinong(tmp_path_factory: pytest.TempPathFactory) -> str:
    store = str(tmp_path_factory.mktemp("huinong") / "store")
    result = run("load", str(HUINONG), "--store", store)
    assert result.exit_code == 0, result.output
    return store


def test_department_rich_output(tiny_store: str) -> None:
    result = run("department", "U1", "--store", tiny_store)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "区卫生健康局" in out and "区直部门" in out and "隶属 测试区委" in out
    assert "报到干部 2 名（党员 2 名），报到社区 1 个，办理事项 1 件，响应吹哨 0 次" in out
    assert "张*" in out and "已协调学校开放操场" in out and "已办结" in out


def test_department_json(tiny_store: str) -> None:
    result = run("department", "U1", "--json", "--store", tiny_store)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [k["cadre_id"] for k in data["cadres"]] == ["K1", "K3"]
    assert [m["need_id"] for m in data["matters"]] == ["N3"]
    assert data["under"] == [{"id": "DC", "name": "测试区委"}]


def test_unknown_unit_exits_1(tiny_store: str) -> None:
    result = run("department", "U99", "--store", tiny_store)
    assert result.exit_code == 1
    assert "单位不存在：U99" in result.stderr


def test_chain_committee_linkage(tiny_store: str) -> None:
    chain = json.loads(run("chain", "C1", "--json", "--store", tiny_store).stdout)
    assert [lv["count"] for lv in chain["levels"]] == [1, 1, 1, 2, 1, 1]
    out = run("chain", "C1", "--store", tiny_store).stdout
    assert "区委：测试区委 —— 区直部门 2 个 —— 街道党工委" in out and "五级组织体系" in out
    members = json.loads(run("committee", "WC1", "--json", "--store", tiny_store).stdout)
    assert [m["id"] for m in members["members"]] == ["U2"]
    assert "成员单位 1 个" in run("committee", "WC1", "--store", tiny_store).stdout
    out = run("linkage", "C1", "--store", tiny_store).stdout
    assert "四位一体" in out and "71.43%" in out and "业委会 1 个，党员占比 60.0%" in out
    assert run("chain", "C99", "--store", tiny_store).exit_code == 1


def test_stations_and_nearest(tiny_store: str) -> None:
    rows = json.loads(run("stations", "--service", "充电", "--json", "--store", tiny_store).stdout)
    assert [r["id"] for r in rows] == ["ST1"]
    near = json.loads(run("nearest-station", "G1", "--service", "wifi", "--json", "--store", tiny_store).stdout)
    assert [(r["station_id"], r["hops"]) for r in near] == [("ST3", 4)]
    out = run("nearest-station", "G1", "--store", tiny_store).stdout
    assert "最近的驿站" in out and "同社区" in out and "ST3" in out


def test_huinong_figures_in_stats_json(huinong: str) -> None:
    data = json.loads(run("stats", "--json", "--store", huinong).stdout)
    figures = data["figures"]
    assert figures["owners_party_share"] == 53.43 and figures["grid_party_groups"] == 244  # existing keys
    assert (figures["communities"], figures["grids"], figures["grid_branches"]) == (40, 202, 38)
    assert (figures["departments"], figures["done_needs"]) == (45, 660)
    assert figures["stations_with_all_services"] == 25 and figures["station_served"] >= 1000
    assert figures["department_party_members"] >= 1500
    labels = {f["key"]: f["label"] for f in data["figure_table"]}
    assert labels["grid_branches"] == "网格党支部" and set(labels) == set(figures)
    out = run("stats", "--store", huinong).stdout
    assert "业委会成员中党员占比" in out and "53.43" in out


def test_huinong_department_and_stations(huinong: str) -> None:
    data = json.loads(run("department", "U010", "--json", "--store", huinong).stdout)
    assert data["department"] and data["cadre_count"] > 0
    assert all("*" in k["name"] for k in data["cadres"])
    assert sum(c["cadres"] for c in data["communities"]) == data["cadre_count"]
    rows = json.loads(run("stations", "--service", "远程教育电视", "--json", "--store", huinong).stdout)
    assert len(rows) == 25
    out = run("stations", "--service", "手机充电", "--store", huinong).stdout
    assert "驿站（提供手机充电） 25 个" in out and "累计服务" in out


def test_no_full_names(huinong: str, tmp_path: Path) -> None:
    """Cadre names are stored masked: every name the department view shows has a *."""
    out = run("department", "U001", "--json", "--store", huinong).stdout
    assert all("*" in k["name"] for k in json.loads(out)["cadres"])
