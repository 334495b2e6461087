"""The one settings object: options over the environment over the defaults, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from orglink.graph.backends import open_store
from orglink.graph.embedded import EmbeddedStore
from orglink.settings import Settings, SettingsError, env_name, load_settings

VARS = ("ORGLINK_BACKEND", "ORGLINK_STORE", "ORGLINK_TOKENS", "NEO4J_URI", "NEO4J_USERNAME",
        "NEO4J_PASSWORD", "NEO4J_DATABASE", "ORGLINK_NEO4J_TX_LIMIT", "ORGLINK_NEO4J_BATCH_SIZE",
        "ORGLINK_NEO4J_RETRY_SECONDS", "ORGLINK_KEEP_PLANS", "ORGLINK_DUE_DAYS", "ORGLINK_OFFICE",
        "ORGLINK_JOURNAL_VERIFY")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARS:
        monkeypatch.delenv(name, raising=False)


def test_every_field_has_its_variable() -> None:
    assert sorted(env_name(f) for f in Settings.model_fields) == sorted(VARS)


def test_defaults() -> None:
    s = load_settings()
    assert (s.backend, s.store, s.tokens) == ("embedded", Path("orglink-store"), Path("orglink-tokens.json"))
    assert (s.neo4j_uri, s.neo4j_username, s.neo4j_password, s.neo4j_database) == (
        "neo4j://localhost:7687", "neo4j", None, None)
    assert (s.neo4j_tx_limit, s.neo4j_batch_size, s.neo4j_retry_seconds) == (50_000, 10_000, 5)
    assert s.keep_plans == 10
    assert s.journal_verify is False


def test_option_over_environment_over_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ORGLINK_STORE", str(tmp_path / "from-env"))
    monkeypatch.setenv("NEO4J_DATABASE", "huinong")
    monkeypatch.setenv("NEO4J_URI", "")  # empty counts as unset
    s = load_settings(store=tmp_path / "from-option", neo4j_database=None)
    assert s.store == tmp_path / "from-option"
    assert s.neo4j_database == "huinong"  # None = option not given
    assert s.neo4j_uri == "neo4j://localhost:7687"
    store = open_store(load_settings())
    assert isinstance(store, EmbeddedStore) and store.path == tmp_path / "from-env"
    store.close()


@pytest.mark.parametrize("value", ["lots", "0", "-3"])
def test_a_bad_number_names_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ORGLINK_NEO4J_RETRY_SECONDS", value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value) == f"环境变量 ORGLINK_NEO4J_RETRY_SECONDS 应为正整数：{value!r}"


def test_keep_plans_comes_from_the_environment_and_must_be_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGLINK_KEEP_PLANS", "3")
    assert load_settings().keep_plans == 3
    monkeypatch.setenv("ORGLINK_KEEP_PLANS", "0")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value) == "环境变量 ORGLINK_KEEP_PLANS 应为正整数：'0'"
