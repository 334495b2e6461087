"""``orglink token create | list | revoke``: tokens that hold. Concurrent creates in separate
processes keep every token; revoke and expiry make a token fail to verify; a scope naming a
street, community or unit not in the store is refused with nothing written; the listing
never shows a token or its hash."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orglink.auth import TokenError, TokenFile, hash_token
from orglink.cli import app, import_commands
from orglink.clock import CHINA_TZ, china_now
from orglink.graph.embedded import EmbeddedStore
from tests.api_support import load_tiny

import_commands()
runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from orglink.cli import main; main()"]


@pytest.fixture
def tiny_store(tmp_path: Path) -> Path:
    """An embedded store with the tiny district; returns its directory."""
    store = EmbeddedStore(tmp_path / "store")
    load_tiny(store, tmp_path)
    return store.path


def _token(*args: str):
    return runner.invoke(app, ["token", *args])


# -- concurrency -------------------------------------------------------------------------------
def test_ten_concurrent_cli_creates_in_separate_processes_keep_ten_tokens(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    env = {k: v for k, v in os.environ.items() if k != "ORGLINK_TOKENS"}
    procs = [subprocess.Popen([*CLI, "token", "create", "--role", "district", "--tokens", str(path)],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(10)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 10, [e for _, e in outs]
    assert all("已创建令牌" in e for _, e in outs)
    tokens = [o.strip() for o, _ in outs]
    entries = json.loads(path.read_text(encoding="utf-8"))["tokens"]
    assert len(entries) == 10
    assert len({e["name"] for e in entries}) == 10  # the automatic names stay distinct too
    tf = TokenFile(path)
    assert all(tf.verify(t) is not None for t in tokens)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _create_many(path: str, worker: int, barrier, count: int) -> None:
    """One process of the library race: wait for the others, then create ``count`` tokens."""
    tf = TokenFile(path)
    barrier.wait()
    for i in range(count):
        tf.create("viewer", None, f"w{worker}-{i}")


def test_concurrent_library_creates_behind_a_barrier_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(10)
    procs = [ctx.Process(target=_create_many, args=(str(path), w, barrier, 5)) for w in range(10)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 10
    names = sorted(e["name"] for e in json.loads(path.read_text(encoding="utf-8"))["tokens"])
    assert names == sorted(f"w{w}-{i}" for w in range(10) for i in range(5))


# -- revoke and list ---------------------------------------------------------------------------
def test_revoke_removes_the_token_and_an_unknown_name_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    tf = TokenFile(path)
    gone, _ = tf.create("district", None, "区委组织部")
    kept, _ = tf.create("viewer", None, "观察员")
    assert tf.verify(gone) is not None
    res = _token("revoke", "区委组织部", "--tokens", str(path))
    assert res.exit_code == 0, res.output
    assert "已吊销令牌 区委组织部" in res.stderr
    assert tf.verify(gone) is None and TokenFile(path).verify(gone) is None
    assert tf.verify(kept) is not None
    before = path.read_bytes()
    res = _token("revoke", "区委组织部", "--tokens", str(path))
    assert res.exit_code == 1 and "没有名为 '区委组织部' 的令牌" in res.stderr
    assert path.read_bytes() == before
    with pytest.raises(TokenError, match="没有名为"):
        tf.revoke("nobody")


def test_list_shows_names_and_times_but_never_tokens_or_hashes(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    tf = TokenFile(path)
    made = [tf.create("district", None, "区委组织部"), tf.create("viewer", None, "观察员", days=30)]
    secrets_ = [t for t, _ in made] + [hash_token(t) for t, _ in made]
    table = _token("list", "--tokens", str(path))
    assert table.exit_code == 0, table.output
    for word in ("名称", "角色", "范围", "创建时间", "到期时间", "区委组织部", "观察员", "永不过期"):
        assert word in table.stdout, word
    as_json = _token("list", "--json", "--tokens", str(path))
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)
    assert [r["name"] for r in rows] == ["区委组织部", "观察员"]
    assert all("sha256" not in r for r in rows)
    assert rows[0]["expires"] is None and rows[1]["expires"] is not None and rows[1]["expired"] is False
    for out in (table.stdout, table.stderr, as_json.stdout, as_json.stderr):
        for s in secrets_:
            assert s not in out
        assert "sha256" not in out


def test_list_of_a_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("{not json", encoding="utf-8")
    res = _token("list", "--tokens", str(path))
    assert res.exit_code == 1 and "无法读取令牌文件" in res.stderr


# -- expiry ------------------------------------------------------------------------------------
def test_days_sets_an_expiry_in_china_time(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    before = china_now()
    res = _token("create", "--role", "district", "--days", "30", "--tokens", str(path))
    assert res.exit_code == 0, res.output
    assert "到期" in res.stderr
    [entry] = json.loads(path.read_text(encoding="utf-8"))["tokens"]
    expires = dt.datetime.fromisoformat(entry["expires"])
    assert expires.utcoffset() == dt.timedelta(hours=8)
    assert dt.timedelta(days=30) <= expires - before <= dt.timedelta(days=30, minutes=1)
    assert TokenFile(path).verify(res.stdout.strip()) is not None
    res = _token("create", "--role", "district", "--days", "0", "--tokens", str(path))
    assert res.exit_code != 0
    assert len(json.loads(path.read_text(encoding="utf-8"))["tokens"]) == 1


def test_an_expired_token_verifies_as_none(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    tf = TokenFile(path)
    long_ago = dt.datetime(2024, 1, 1, 9, 0, tzinfo=CHINA_TZ)
    old, entry = tf.create("district", None, "旧令牌", days=1, now=long_ago)
    assert entry["expires"] == "2024-01-02T09:00:00+08:00"
    assert tf.verify(old) is None and tf.expired(old)
    assert tf.verify(old, now=long_ago + dt.timedelta(hours=1)) is not None  # before its expiry
    fresh, _ = tf.create("district", None, "新令牌", days=1)
    assert tf.verify(fresh) is not None and not tf.expired(fresh)
    listed = _token("list", "--tokens", str(path))
    assert "已过期" in listed.stdout


# -- scopes against the store ------------------------------------------------------------------
@pytest.mark.parametrize("role, scope, message", [
    ("street", "street:S99", "范围 street:S99 不存在：图存储中没有街道 S99"),
    ("community", "community:C99", "范围 community:C99 不存在：图存储中没有社区 C99"),
    ("department", "unit:U99", "范围 unit:U99 不存在：图存储中没有单位 U99"),
    ("department", "unit:U2", "范围 unit:U2 的单位 区第一医院 不是区直部门"),
    ("viewer", "street:S9", "范围 street:S9 不存在"),
])
def test_a_scope_not_in_the_store_is_refused_and_nothing_is_written(
        tiny_store: Path, tmp_path: Path, role: str, scope: str, message: str) -> None:
    path = tmp_path / "tokens.json"
    TokenFile(path).create("district", None, "区委组织部")
    before = path.read_bytes()
    res = _token("create", "--role", role, "--scope", scope, "--tokens", str(path), "--store", str(tiny_store))
    assert res.exit_code == 1, res.output
    assert message in res.stderr and not res.stdout.strip()
    assert path.read_bytes() == before


def test_a_scope_in_the_store_is_accepted(tiny_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    for role, scope in (("street", "street:S2"), ("community", "community:C3"), ("department", "unit:U3"),
                        ("viewer", "community:C1")):
        res = _token("create", "--role", role, "--scope", scope, "--tokens", str(path), "--store", str(tiny_store))
        assert res.exit_code == 0, res.output
        who = TokenFile(path).verify(res.stdout.strip())
        assert who is not None and (who.role, who.scope) == (role, scope)
    assert len(json.loads(path.read_text(encoding="utf-8"))["tokens"]) == 4


def test_the_library_checks_scopes_against_a_store(tmp_path: Path) -> None:
    store = load_tiny(EmbeddedStore(tmp_path / "store"), tmp_path)
    tf = TokenFile(tmp_path / "tokens.json")
    with pytest.raises(TokenError, match="没有社区 C404"):
        tf.create("community", "community:C404", store=store)
    assert not tf.path.exists()
    _, entry = tf.create("community", "community:C2", store=store)
    assert entry["scope"] == "community:C2"
    _, unchecked = tf.create("community", "community:C404")  # without a store nothing is checked
    assert unchecked["scope"] == "community:C404"


def test_an_empty_store_knows_no_scope(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    res = _token("create", "--role", "street", "--scope", "street:S1", "--tokens", str(path),
                 "--store", str(tmp_path / "empty-store"))
    assert res.exit_code == 1 and "范围 street:S1 不存在" in res.stderr
    assert not path.exists()
