"""The token file seen from the API: a corrupt file is a 503 that names no path; expired and
revoked tokens are 401; ``/health`` tells nobody where the store, the files or the server are."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orglink.api.app import create_app
from orglink.auth import TokenFile
from orglink.clock import CHINA_TZ
from orglink.graph.embedded import GRAPH_FILE, EmbeddedStore
from orglink.graph.store import StoreUnavailable
from orglink.settings import load_settings
from tests.api_support import NOW, Borrowed, load_tiny, make_tokens

URI = "neo4j://orglink:s3cret-pw@db.internal:7687"


@pytest.fixture
def tiny(tmp_path: Path) -> EmbeddedStore:
    """An embedded store with the tiny district."""
    return load_tiny(EmbeddedStore(tmp_path / "store"), tmp_path)


def _app(store: Any, tokens: TokenFile) -> TestClient:
    return TestClient(create_app(None, tokens, store_factory=lambda: Borrowed(store), clock=lambda: NOW))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _no_private(text: str, *places: Path | str) -> None:
    for place in places:
        assert str(place) not in text, place
    for scheme in ("bolt://", "neo4j://", "neo4j+s://", "s3cret-pw"):
        assert scheme not in text


# -- a corrupt token file ----------------------------------------------------------------------
@pytest.mark.parametrize("content", [
    "{not json",
    json.dumps({"version": 99, "tokens": []}),
    json.dumps({"version": 1, "tokens": "all of them"}),
    json.dumps(["not", "an", "object"]),
])
def test_a_corrupt_token_file_is_503_naming_no_path(tiny: EmbeddedStore, tmp_path: Path, content: str) -> None:
    tf, tokens = make_tokens(tmp_path / "tokens.json")
    with _app(tiny, tf) as c:
        assert c.get("/api/v1/needs/N1", headers=_bearer(tokens["district"])).status_code == 200
        tf.path.write_text(content, encoding="utf-8")
        for headers in (_bearer(tokens["district"]), _bearer("olk_unknown")):
            r = c.get("/api/v1/needs/N1", headers=headers)
            assert r.status_code == 503, r.text
            assert r.json()["detail"] == "令牌文件无法读取，请联系管理员"
            _no_private(r.text, tf.path, tf.path.name, tmp_path)
        r = c.post("/api/v1/needs/N1/accept", headers=_bearer(tokens["district"]))
        assert r.status_code == 503 and tf.path.name not in r.text
        assert c.get("/api/v1/health").status_code == 200  # health needs no token file
        assert c.get("/api/v1/needs/N1").status_code == 401  # no token: still 401


# -- expired and revoked tokens ----------------------------------------------------------------
def test_expired_and_revoked_tokens_are_401(tiny: EmbeddedStore, tmp_path: Path) -> None:
    tf = TokenFile(tmp_path / "tokens.json")
    old, _ = tf.create("district", None, "旧令牌", days=1, now=dt.datetime(2024, 1, 1, tzinfo=CHINA_TZ))
    live, _ = tf.create("district", None, "在用令牌", days=30)
    gone, _ = tf.create("viewer", None, "将吊销")
    with _app(tiny, tf) as c:
        r = c.get("/api/v1/needs/N1", headers=_bearer(old))
        assert r.status_code == 401 and r.json()["detail"] == "令牌已过期"
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert c.get("/api/v1/needs/N1", headers=_bearer(live)).status_code == 200
        assert c.get("/api/v1/needs/N1", headers=_bearer(gone)).status_code == 200
        TokenFile(tf.path).revoke("将吊销")  # as `orglink token revoke` does, from another process
        r = c.get("/api/v1/needs/N1", headers=_bearer(gone))
        assert r.status_code == 401 and r.json()["detail"] == "令牌无效"
        assert c.get("/api/v1/needs/N1", headers=_bearer(live)).status_code == 200


# -- /health -----------------------------------------------------------------------------------
def test_health_of_the_embedded_store_names_no_path(tiny: EmbeddedStore, tmp_path: Path) -> None:
    tf, _ = make_tokens(tmp_path / "tokens.json")
    with _app(tiny, tf) as c:
        r = c.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert (body["status"], body["backend"], body["reachable"]) == ("ok", "embedded", True)
    assert body["detail"] == {"exists": True}
    _no_private(r.text, tiny.path, tmp_path, GRAPH_FILE, tf.path.name)


class NeoLike(Borrowed):
    """A store whose ping() answers as the Neo4j store's does: URI, database, server, address."""

    backend = "neo4j"

    def ping(self) -> dict[str, Any]:
        return {"backend": "neo4j", "uri": URI, "database": "orglink", "server": "Neo4j/5.26.0",
                "address": "db.internal:7687"}


def test_health_of_neo4j_shows_the_server_version_only(tiny: EmbeddedStore, tmp_path: Path) -> None:
    tf, _ = make_tokens(tmp_path / "tokens.json")
    with TestClient(create_app(None, tf, store_factory=lambda: NeoLike(tiny))) as c:
        r = c.get("/api/v1/health")
    assert r.status_code == 200 and r.json()["detail"] == {"server": "Neo4j/5.26.0"}
    _no_private(r.text, "db.internal", tiny.path)


@pytest.mark.parametrize("message, reason", [
    (f"无法连接 Neo4j：{URI}（connection refused）", "无法连接 Neo4j"),
    (f"Neo4j 服务器 {URI} 上没有数据库 orglink（not found）", "图存储暂不可用"),
    ("Neo4j 认证失败：neo4j://db:7687，用户 orglink（bad）", "Neo4j 认证失败"),
])
def test_health_of_an_unreachable_store_gives_a_reason_without_the_uri(
        tiny: EmbeddedStore, tmp_path: Path, message: str, reason: str) -> None:
    class Failing(Borrowed):
        def ping(self) -> dict[str, Any]:
            raise StoreUnavailable(message)

    tf, _ = make_tokens(tmp_path / "tokens.json")
    app = create_app(None, tf, store_factory=lambda: Failing(tiny))
    with TestClient(app) as c:
        r = c.get("/api/v1/health")
    assert r.status_code == 503
    assert (r.json()["reachable"], r.json()["detail"]) == (False, reason)
    _no_private(r.text, "db.internal", "db:7687", "orglink（")


def test_health_of_an_unreachable_neo4j_names_no_uri_or_password(tmp_path: Path) -> None:
    tf, _ = make_tokens(tmp_path / "tokens.json")
    settings = load_settings(backend="neo4j", neo4j_uri="bolt://127.0.0.1:1", neo4j_password="s3cret-pw")
    with TestClient(create_app(settings, tf)) as c:
        r = c.get("/api/v1/health")
    assert r.status_code == 503
    assert (r.json()["backend"], r.json()["reachable"]) == ("neo4j", False)
    _no_private(r.text, "127.0.0.1:1", tmp_path)


def test_health_of_a_corrupt_store_file_names_no_path(tmp_path: Path) -> None:
    tf, _ = make_tokens(tmp_path / "tokens.json")
    store_dir = tmp_path / "secret-store"
    store_dir.mkdir()
    (store_dir / GRAPH_FILE).write_bytes(b"not a pickle")
    settings = load_settings(backend="embedded", store=store_dir)
    with TestClient(create_app(settings, tf)) as c:
        r = c.get("/api/v1/health")
    assert r.status_code == 503 and r.json()["reachable"] is False
    _no_private(r.text, store_dir, "secret-store", GRAPH_FILE)
