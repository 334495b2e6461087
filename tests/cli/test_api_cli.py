"""The commands around the API: ``orglink token``, ``orglink serve`` and ``orglink need``
(the lifecycle functions the API calls, from the command line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from orglink.auth import TokenFile, hash_token
from orglink.cli import app, import_commands
from orglink.graph.embedded import EmbeddedStore
from tests.api_support import load_tiny

import_commands()
runner = CliRunner()


@pytest.fixture
def tiny_store(tmp_path: Path) -> Path:
    """An embedded store with the tiny district; returns its directory."""
    store = EmbeddedStore(tmp_path / "store")
    load_tiny(store, tmp_path)
    return store.path


def test_token_create_prints_the_token_once_and_stores_only_its_hash(tiny_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    res = runner.invoke(app, ["token", "create", "--role", "street", "--scope", "street:S1",
                              "--name", "南街街道办", "--tokens", str(path), "--store", str(tiny_store)])
    assert res.exit_code == 0, res.output
    token = res.stdout.strip()
    assert token.startswith("olk_") and len(token) > 40
    text = path.read_text(encoding="utf-8")
    assert token not in text and hash_token(token) in text
    [entry] = json.loads(text)["tokens"]
    assert (entry["name"], entry["role"], entry["scope"]) == ("南街街道办", "street", "street:S1")
    who = TokenFile(path).verify(token)
    assert who is not None and (who.role, who.scope_id) == ("street", "S1")
    assert TokenFile(path).verify(token + "x") is None
    listed = runner.invoke(app, ["token", "list", "--tokens", str(path)])
    assert "南街街道办" in listed.stdout and token not in listed.stdout


@pytest.mark.parametrize("args, message", [
    (["--role", "mayor"], "未知的角色"),
    (["--role", "street"], "需要范围"),
    (["--role", "community", "--scope", "street:S1"], "需要范围"),
    (["--role", "department", "--scope", "unit"], "范围格式不对"),
    (["--role", "district", "--scope", "street:S1"], "不带范围"),
    (["--role", "viewer", "--scope", "unit:U1"], "只读令牌"),
])
def test_token_create_refuses_a_role_without_its_scope(tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "tokens.json"
    res = runner.invoke(app, ["token", "create", *args, "--tokens", str(path)])
    assert res.exit_code == 1 and message in res.stderr
    assert not path.exists()


def test_serve_runs_the_app_on_uvicorn(tiny_store: Path, tmp_path: Path, monkeypatch) -> None:
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda api, **kw: seen.update(app=api, **kw))
    token, _ = TokenFile(tmp_path / "t.json").create("district")
    res = runner.invoke(app, ["serve", "--port", "8123", "--store", str(tiny_store),
                              "--tokens", str(tmp_path / "t.json")])
    assert res.exit_code == 0, res.output
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8123)
    with TestClient(seen["app"]) as c:
        assert c.get("/docs").status_code == 200
        r = c.get("/api/v1/needs/N2", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.json()["title"] == "邻里纠纷调解"


def _need(store: Path, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, ["need", *args, "--store", str(store)])
    return res.exit_code, res.stdout, res.stderr


def test_need_lifecycle_from_the_command_line(tiny_store: Path) -> None:
    code, out, _ = _need(tiny_store, "order", "--title", "助浴", "--category", "elderly & child care",
                         "--community", "C1", "--grid", "G2", "--by", "网格员小王", "--json")
    assert code == 0
    nid = json.loads(out)["id"]
    assert nid.startswith("N-") and json.loads(out)["category"] == "养老托幼"
    assert _need(tiny_store, "accept", nid, "--by", "网格员小王")[0] == 0
    code, _, err = _need(tiny_store, "accept", nid)
    assert code == 1 and "不能执行" in err and "已接单" in err
    assert _need(tiny_store, "escalate", nid, "--note", "需民政部门")[0] == 0
    code, _, err = _need(tiny_store, "answer", nid, "U2")
    assert code == 1 and "不是区直部门" in err
    assert _need(tiny_store, "answer", nid, "U1", "--by", "卫健局")[0] == 0
    code, out, _ = _need(tiny_store, "complete", nid, "--report", "已办结并双报告", "--json")
    done = json.loads(out)
    assert done["status"] == "done"
    assert [(h["action"], h["by"]) for h in done["history"]][:2] == [("order", "网格员小王"), ("accept", "网格员小王")]
    assert [h["action"] for h in done["history"]] == ["order", "accept", "escalate", "answer", "complete"]
    code, out, _ = _need(tiny_store, "show", nid)
    assert code == 0 and "办结" in out and "卫健局" in out


def test_need_command_errors(tiny_store: Path) -> None:
    code, _, err = _need(tiny_store, "order", "--title", "x", "--category", "篮球", "--community", "C1")
    assert code == 1 and "category" in err and "未知的类别" in err
    code, _, err = _need(tiny_store, "show", "N404")
    assert code == 1 and "N404" in err
    _need(tiny_store, "accept", "N1")
    code, _, err = _need(tiny_store, "dispatch", "N1", "R4")  # N1 老人体检 wants a check-up, R4 is a lecture
    assert code == 1 and "子类为「健康讲座」，与需求的子类「健康体检」不符" in err
    code, _, err = _need(tiny_store, "dispatch", "N1", "R1", "--quantity", "5")  # N1 wants 4
    assert code == 1 and "派单数量 5 超过需求 N1 的数量 4" in err
    code, out, _ = _need(tiny_store, "dispatch", "N1", "R1", "--json")
    assert code == 0 and json.loads(out)["dispatches"][0]["quantity"] == 4
