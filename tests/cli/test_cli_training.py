"""``orglink training`` and ``orglink cycle``: Chinese tables, JSON, bad input (embedded store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from orglink.cli import app, import_commands
from tests.datasets import write_tiny
from tests.loaders.test_training import training_tables

import_commands()
runner = CliRunner()


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """An embedded store holding the hand-made district with both lists."""
    d = tmp_path / "store"
    loaded = run("load", str(write_tiny(tmp_path / "tiny", tables=training_tables())), "--store", str(d))
    assert loaded.exit_code == 0, loaded.output
    return d


def run(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"ORGLINK_BACKEND": "embedded", "COLUMNS": "200"})


def test_training_table_and_totals(store_dir: Path) -> None:
    r = run("training", "--store", str(store_dir))
    assert r.exit_code == 0, r.output
    assert "社区工作者培训（全部年度）" in r.output and "合计" in r.output
    assert all(f"│ T{i} " in r.output for i in range(1, 6))  # long names fold, ids stay whole
    assert "│ 主题培训 │    3 │  100 │" in r.output and "│ 考前培训 │    2 │  350 │" in r.output


def test_training_json_by_kind_and_year(store_dir: Path) -> None:
    r = run("training", "--kind", "exam", "--year", "2024", "--json", "--store", str(store_dir))
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [t["id"] for t in data["items"]] == ["T3"]
    assert data["totals"] == [{"kind": "exam", "kind_zh": "考前培训", "classes": 1, "person_times": 200}]
    zh = json.loads(run("training", "--kind", "主题培训", "--json", "--store", str(store_dir)).stdout)
    assert [t["id"] for t in zh["items"]] == ["T1", "T2", "T5"]


def test_training_refuses_an_unknown_kind(store_dir: Path) -> None:
    r = run("training", "--kind", "专题", "--store", str(store_dir))
    assert r.exit_code == 2
    assert "未知的培训类型" in r.output


def test_cycle_table_shows_the_missing_stages(store_dir: Path) -> None:
    r = run("cycle", "C2", "--year", "2024", "--store", str(store_dir))
    assert r.exit_code == 0, r.output
    assert "星火社区（C2）2024 年四点一线" in r.output
    assert "缺少环节：年中抓自查、平时抓指导、年底抓述职" in r.output
    full = run("cycle", "C1", "--store", str(store_dir))
    assert "四个环节齐全" in full.output


def test_cycle_json_and_an_unknown_community(store_dir: Path) -> None:
    data = json.loads(run("cycle", "C3", "--json", "--store", str(store_dir)).stdout)
    assert data["year"] == 2024 and data["missing"] == ["self_check", "guidance", "report"]
    r = run("cycle", "C9", "--store", str(store_dir))
    assert r.exit_code == 1 and "社区不存在：C9" in r.output
