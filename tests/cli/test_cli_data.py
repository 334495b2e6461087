"""CLI data commands through ``typer.testing.CliRunner``: ``validate``, ``load``, ``stats``.

The commands work on the embedded store here (``--store`` in a temp directory); the store
behaviour itself is covered for every backend in ``test_embedded_store.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from orglink.cli import app, import_commands
from orglink.graph.embedded import GRAPH_FILE, EmbeddedStore
from orglink.loaders.build import validate_dataset
from orglink.loaders.reader import LoadError
from tests.datasets import (
    TINY_COUNTS,
    TINY_FIGURES,
    add_row,
    graph_digest,
    set_cell,
    write_tiny,
    write_tiny_workbook,
)

import_commands()
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke ``orglink ARGS`` with the embedded backend (whatever the environment says)."""
    return runner.invoke(app, list(args), env={"ORGLINK_BACKEND": "embedded", **(env or {})})


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """An embedded store directory that does not exist yet."""
    return tmp_path / "store"


def _broken(tmp_path: Path) -> tuple[Path, list[str]]:
    """A tiny dataset with three problems in two files, and the problem lines expected."""
    d = write_tiny(tmp_path / "bad", lang="zh")
    long_value = "一个非常非常非常非常非常非常非常非常非常非常非常非常长的数量"
    set_cell(d, "资源清单", 3, "数量", long_value)
    set_cell(d, "网格", 4, "所属社区", "无此社区")
    row = add_row(d, "网格", {"编号": "G1", "名称": "重复网格", "所属社区": "C1"})
    return d, [
        "网格.csv:4:所属社区: 引用不存在：'无此社区' 不是任何社区的编号或名称",
        f"网格.csv:{row}:编号: 编号重复：G1（已见于 网格.csv 第 2 行）",
        f"资源清单.csv:3:数量: 不是整数：'{long_value}'",
    ]


def test_all_commands_are_registered() -> None:
    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert {"validate", "load", "stats"} <= names


def test_validate_a_good_dataset(tmp_path: Path, store_dir: Path) -> None:
    d = write_tiny(tmp_path / "tiny", lang="zh", encoding="gb18030")
    result = run("validate", str(d), env={"ORGLINK_STORE": str(store_dir)})
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.stdout
    assert "47 个节点，74 条关系" in result.stdout
    assert "网格（grids）5 行" in result.stdout  # each table by its Chinese name
    assert "\n" not in result.stdout.strip()  # one line, however long
    assert not store_dir.exists()  # validate never writes


def test_validate_a_workbook(tmp_path: Path) -> None:
    d = tmp_path / "wb"
    write_tiny_workbook(d / "清单.xlsx", lang="zh")
    result = run("validate", str(d))
    assert result.exit_code == 0, result.output
    assert "47 个节点，74 条关系" in result.stdout


def test_validate_reports_every_problem_one_per_line(tmp_path: Path) -> None:
    d, expected = _broken(tmp_path)
    result = run("validate", str(d))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [*expected, f"共 {len(expected)} 个问题，未写入任何数据。"]


def test_cli_problems_are_the_loader_problems(tmp_path: Path) -> None:
    d, _ = _broken(tmp_path)
    with pytest.raises(LoadError) as ei:
        validate_dataset(d)
    result = run("validate", str(d))
    assert result.stderr.splitlines()[:-1] == [str(p) for p in ei.value.problems]


def test_validate_a_missing_directory(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{tmp_path / 'nowhere'}:0:-: 数据目录不存在"


def test_load_and_stats_json(tmp_path: Path, store_dir: Path) -> None:
    d = write_tiny(tmp_path / "tiny")
    result = run("load", str(d), "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    assert "库中共 47 个节点，74 条关系（embedded）" in result.stdout
    result = run("stats", "--json", "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(f["key"] for f in data.pop("figure_table")) == sorted(TINY_FIGURES)  # every figure, labelled
    assert data == {**TINY_COUNTS, "figures": TINY_FIGURES}


def test_store_comes_from_the_environment(tmp_path: Path, store_dir: Path) -> None:
    d = write_tiny(tmp_path / "tiny")
    assert run("load", str(d), env={"ORGLINK_STORE": str(store_dir)}).exit_code == 0
    assert (store_dir / GRAPH_FILE).exists()
    result = run("stats", "--json", env={"ORGLINK_STORE": str(store_dir)})
    assert json.loads(result.stdout)["nodes"] == TINY_COUNTS["nodes"]


def test_load_twice_changes_nothing(tmp_path: Path, store_dir: Path) -> None:
    d = write_tiny(tmp_path / "tiny")
    assert run("load", str(d), "--store", str(store_dir)).exit_code == 0
    first = run("stats", "--json", "--store", str(store_dir)).stdout
    digest = graph_digest(EmbeddedStore(store_dir))
    result = run("load", str(d), "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    assert "库中共 47 个节点，74 条关系" in result.stdout
    assert run("stats", "--json", "--store", str(store_dir)).stdout == first
    assert graph_digest(EmbeddedStore(store_dir)) == digest


def test_failed_load_exits_non_zero_and_leaves_the_store_as_it_was(tmp_path: Path,
                                                                   store_dir: Path) -> None:
    assert run("load", str(write_tiny(tmp_path / "tiny")), "--store", str(store_dir)).exit_code == 0
    before = EmbeddedStore(store_dir)
    counts, digest = before.counts(), graph_digest(before)
    stamp = (store_dir / GRAPH_FILE).stat()
    d, expected = _broken(tmp_path)
    result = run("load", str(d), "--store", str(store_dir))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [*expected, f"共 {len(expected)} 个问题，未写入任何数据。"]
    after = EmbeddedStore(store_dir)
    assert after.counts() == counts
    assert graph_digest(after) == digest
    assert (store_dir / GRAPH_FILE).stat().st_mtime_ns == stamp.st_mtime_ns  # not even rewritten


def test_failed_load_into_no_store_creates_nothing(tmp_path: Path, store_dir: Path) -> None:
    d, _ = _broken(tmp_path)
    assert run("load", str(d), "--store", str(store_dir)).exit_code == 1
    assert not store_dir.exists()


def test_unreadable_store_is_one_clear_line(tmp_path: Path, store_dir: Path) -> None:
    store_dir.mkdir()
    (store_dir / GRAPH_FILE).write_bytes(b"[not a graph]")
    result = run("stats", "--store", str(store_dir))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"错误：无法读取图存储文件 {store_dir / GRAPH_FILE}：")


def test_unknown_backend_is_one_clear_line(store_dir: Path) -> None:
    result = runner.invoke(app, ["stats", "--store", str(store_dir), "--backend", "sqlite"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "错误：未知的后端 'sqlite'，应为 embedded 或 neo4j"


def test_stats_of_an_empty_store(store_dir: Path) -> None:
    result = run("stats", "--json", "--store", str(store_dir))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"nodes": {}, "relationships": {}, "figures": {}, "figure_table": []}
    result = run("stats", "--store", str(store_dir))
    assert result.exit_code == 0
    assert "存储为空：先运行 orglink load" in result.stderr


def test_stats_tables_show_chinese_names_and_counts(tmp_path: Path, store_dir: Path) -> None:
    assert run("load", str(write_tiny(tmp_path / "tiny")), "--store", str(store_dir)).exit_code == 0
    result = run("stats", "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()

    def row(*cells: str) -> bool:
        return any(all(c in line for c in cells) for line in lines)

    assert row("Grid", "网格", "5")
    assert row("PartyOrg", "党组织", "10")
    assert row("Department", "区直部门", "2")
    assert row("LOCATED_IN", "位于", "10")
    assert row("owners_party_share", "50.0")
    assert row("done_needs", "2")


def test_dry_run_shows_what_a_reload_changes_and_writes_nothing(tmp_path: Path, store_dir: Path) -> None:
    d = write_tiny(tmp_path / "tiny")
    assert run("load", str(d), "--store", str(store_dir)).exit_code == 0
    assert run("need", "accept", "N1", "--by", "网格员", "--store", str(store_dir)).exit_code == 0
    set_cell(d, "resources", 2, "capacity", "12")  # R1
    set_cell(d, "resources", 3, "keywords", "")  # R2
    set_cell(d, "needs", 3, "status", "办结")  # N2: 已接单 in the store → done in the list
    before = (store_dir / GRAPH_FILE).read_bytes()
    for args in (("load", str(d), "--dry-run"), ("diff", str(d))):
        result = run(*args, "--store", str(store_dir))
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert "未写入任何数据" in out
        assert "资源清单（resources）" in out and "数量 1、关键词 1" in out
        assert "需求状态将按清单前进（记为「导入」）1 条：N2 已接单→已办结（needs.csv:3）" in out
        assert "N1 库中「已接单」、清单「待接单」（needs.csv:2）" in out
        assert (store_dir / GRAPH_FILE).read_bytes() == before  # nothing written
    result = run("load", str(d), "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    assert "需求状态已按清单前进（记为「导入」）1 条：N2" in result.stdout and "未写入" not in result.stdout
    again = run("load", str(d), "--dry-run", "--store", str(store_dir))
    assert "各表内容与库中一致" in again.stdout and "将按清单前进" not in again.stdout


def test_load_lists_what_it_retired(tmp_path: Path, store_dir: Path) -> None:
    import copy

    from tests.datasets import TINY

    assert run("load", str(write_tiny(tmp_path / "v1")), "--store", str(store_dir)).exit_code == 0
    tables = copy.deepcopy(TINY)
    tables["resources"] = [r for r in tables["resources"] if r["id"] != "R4"]
    result = run("load", str(write_tiny(tmp_path / "v2", tables=tables)), "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    assert "停用（清单中已删除，保留在库中、不再参与匹配和报告）资源清单：R4" in result.stdout
