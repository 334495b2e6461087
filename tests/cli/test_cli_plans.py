"""CLI ``plans`` and ``plans delete ID`` through ``typer.testing.CliRunner``, on both backends
(the ``store`` fixture; Neo4j through ``--backend neo4j`` and the global connection options)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from orglink import queries
from orglink.cli import app, import_commands
from orglink.clock import CHINA_TZ
from orglink.graph.store import Store
from orglink.matching.plan import run_plan
from tests.api_support import load_tiny

import_commands()
runner = CliRunner()

T0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=CHINA_TZ)
_ENV = {"ORGLINK_BACKEND": None, "ORGLINK_STORE": None, "ORGLINK_KEEP_PLANS": None, "NEO4J_URI": None,
        "NEO4J_USERNAME": None, "NEO4J_PASSWORD": None, "NEO4J_DATABASE": None}


def _args(store: Store) -> tuple[list[str], list[str]]:
    """(global options, command options) that name ``store`` on the command line."""
    if store.backend == "embedded":
        return [], ["--store", str(store.path)]  # type: ignore[attr-defined]
    s = store.settings  # type: ignore[attr-defined]
    conn = ["--neo4j-uri", s.uri]
    for opt, value in (("--neo4j-username", s.username), ("--neo4j-password", s.password),
                       ("--neo4j-database", s.database)):
        if value:
            conn += [opt, value]
    return conn, ["--backend", "neo4j"]


@pytest.fixture
def tiny(store: Store, tmp_path: Path) -> Store:
    """The ``store`` fixture (each backend) holding the tiny district."""
    return load_tiny(store, tmp_path)


def cli(store: Store, *args: str, options_first: bool = False, env: dict[str, str | None] | None = None) -> Result:
    """``orglink [global] ARGS [--store …|--backend neo4j]`` (or the store options right after
    ``plans`` when ``options_first``)."""
    glob, local = _args(store)
    argv = [*args[:1], *local, *args[1:]] if options_first else [*args, *local]
    return runner.invoke(app, [*glob, *argv], env={**_ENV, **(env or {})})


def test_plans_lists_the_stored_plans_newest_first(tiny: Store) -> None:
    empty = cli(tiny, "plans")
    assert empty.exit_code == 0, empty.output
    assert "没有已存方案" in empty.stderr and "方案编号" not in empty.stdout
    assert json.loads(cli(tiny, "plans", "--json").stdout) == []
    run_plan(tiny, plan_id="p-old", keep=10, now=T0)
    run_plan(tiny, plan_id="p-new", keep=10, now=T0 + dt.timedelta(hours=1))
    result = cli(tiny, "plans")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for header in ("方案编号", "生成时间", "需求数", "满足", "未满足", "配对数"):
        assert header in out
    assert out.index("p-new") < out.index("p-old")
    assert "2025-03-01 10:30:00" in out and "2025-03-01 09:30:00" in out
    row = next(line for line in out.splitlines() if "p-new" in line)
    assert [c.strip() for c in row.strip("│ ").split("│")][2:] == ["2", "2", "0", "2"]
    assert "共 2 个方案；写入新方案时保留最近 10 个" in out
    data = json.loads(cli(tiny, "plans", "--json").stdout)
    assert data == queries.list_plans(tiny)
    assert [(p["id"], p["needs"], p["met"], p["unmet"], p["assignments"]) for p in data] == [
        ("p-new", 2, 2, 0, 2), ("p-old", 2, 2, 0, 2)]


def test_plans_delete(tiny: Store) -> None:
    run_plan(tiny, plan_id="p1", keep=10, now=T0)
    run_plan(tiny, plan_id="p2", keep=10, now=T0)
    result = cli(tiny, "plans", "delete", "p1")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "已删除方案 p1（2 条配对关系）。"
    assert [p["id"] for p in queries.list_plans(tiny)] == ["p2"]
    assert queries.get_plan(tiny, plan_id="p1") == []
    missing = cli(tiny, "plans", "delete", "p1")
    assert missing.exit_code == 1
    assert missing.stdout == "" and missing.stderr.strip() == "错误：方案不存在：p1"
    # the store options may also come right after `plans`
    assert cli(tiny, "plans", "delete", "p2", options_first=True).exit_code == 0
    assert queries.list_plans(tiny) == []


def test_plan_keeps_as_many_plans_as_the_setting_says(tiny: Store) -> None:
    for i, pid in enumerate(("p1", "p2", "p3")):
        run_plan(tiny, plan_id=pid, keep=10, now=T0 + dt.timedelta(minutes=i))
    result = cli(tiny, "plan", env={"ORGLINK_KEEP_PLANS": "2"})
    assert result.exit_code == 0, result.output
    listed = json.loads(cli(tiny, "plans", "--json").stdout)
    assert [p["id"] for p in listed][1:] == ["p3"] and listed[0]["id"].startswith("plan-")
    bad = cli(tiny, "plan", env={"ORGLINK_KEEP_PLANS": "0"})
    assert bad.exit_code == 1 and "ORGLINK_KEEP_PLANS 应为正整数" in bad.stderr
