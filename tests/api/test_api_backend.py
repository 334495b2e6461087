"""Backend failure: the API answers 503 with a clear message while the store is unreachable
and recovers, without a restart, once it is back (the dead store is dropped and reopened):
on a scripted outage, on an address nobody listens on, and on the real Neo4j server when the
way to it is cut and restored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orglink.api.app import create_app
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import StoreUnavailable
from orglink.settings import load_settings
from tests import neo4j_support
from tests.api_support import Borrowed, load_tiny, make_tokens
from tests.tcp_proxy import TcpRelay

DOWN = "无法连接 Neo4j：bolt://db:7687（connection refused）"


class Outage:
    """Opens stores over one embedded store; while ``down`` they raise StoreUnavailable."""

    def __init__(self, inner: EmbeddedStore) -> None:
        self.inner = inner
        self.down = False
        self.opened = 0
        self.closed = 0

    def open(self) -> Outage.Flaky:
        """The store factory given to the app."""
        self.opened += 1
        return Outage.Flaky(self)

    class Flaky(Borrowed):
        """A store of the outage: fails while the outage lasts, even after it ends (a dead driver)."""

        def __init__(self, outage: Outage) -> None:
            super().__init__(outage.inner)
            self.outage = outage
            self.dead = False

        def _check(self) -> None:
            if self.outage.down:
                self.dead = True
            if self.dead:
                raise StoreUnavailable(DOWN)

        def read(self, query: Any, **params: Any) -> list[dict[str, Any]]:
            self._check()
            return super().read(query, **params)

        def write(self, query: Any, **params: Any) -> list[dict[str, Any]]:
            self._check()
            return super().write(query, **params)

        def ping(self) -> dict[str, Any]:
            self._check()
            return super().ping()

        def close(self) -> None:
            self.outage.closed += 1


def test_503_while_down_then_recovers_without_restart(tmp_path: Path) -> None:
    inner = EmbeddedStore(tmp_path / "store")
    load_tiny(inner, tmp_path)
    outage = Outage(inner)
    tf, tokens = make_tokens(tmp_path / "tokens.json")
    app = create_app(None, tf, store_factory=outage.open)
    h = {"Authorization": f"Bearer {tokens['district']}"}
    with TestClient(app) as c:
        assert c.get("/api/v1/needs/N1", headers=h).status_code == 200
        outage.down = True
        r = c.get("/api/v1/health")
        assert r.status_code == 503
        assert r.json()["reachable"] is False and r.json()["detail"] == "无法连接 Neo4j"  # the open route names no URI
        for method, path, body in (("GET", "/api/v1/needs", None), ("GET", "/api/v1/needs/N1/matches", None),
                                   ("POST", "/api/v1/needs/N1/accept", None),
                                   ("POST", "/api/v1/plans", {"write": False})):
            r = c.request(method, path, headers=h, json=body)
            assert r.status_code == 503, (path, r.text)
            assert "图存储暂不可用" in r.json()["detail"] and DOWN in r.json()["detail"]
        outage.down = False  # the server is back; the stores opened during the outage are dead
        r = c.get("/api/v1/health")
        assert r.status_code == 200 and r.json()["reachable"] is True
        assert c.post("/api/v1/needs/N1/accept", headers=h).json()["status"] == "accepted"
        assert outage.opened >= 2  # reopened, not the dead one
    assert outage.closed == outage.opened  # every store it opened is closed at shutdown


def test_unreachable_neo4j_is_503_with_a_clear_message(tmp_path: Path) -> None:
    tf, tokens = make_tokens(tmp_path / "tokens.json")
    app = create_app(load_settings(backend="neo4j", neo4j_uri="bolt://127.0.0.1:1", neo4j_password="x"), tf)
    with TestClient(app) as c:
        r = c.get("/api/v1/health")
        assert r.status_code == 503
        body = r.json()
        assert (body["backend"], body["reachable"]) == ("neo4j", False)
        assert body["detail"] == "无法连接 Neo4j" and "bolt://" not in r.text  # the open route names no URI
        r = c.get("/api/v1/needs", headers={"Authorization": f"Bearer {tokens['district']}"})
        assert r.status_code == 503 and "无法连接 Neo4j" in r.json()["detail"]
        # a request without a token is still 401, not a backend error
        assert c.get("/api/v1/needs").status_code == 401


@pytest.mark.neo4j
def test_503_while_the_real_neo4j_is_unreachable_then_recovers(tmp_path: Path) -> None:
    """The real Neo4j behind a relay the test cuts: 503 with the driver's reason while it cannot
    be reached (listener gone, open connections reset), and the same app answers again,
    unchanged, once it is reachable on the same address."""
    loader = neo4j_support.open_test_store()
    try:
        load_tiny(loader, tmp_path)
        real = neo4j_support.settings()
        host, port = real.uri.removeprefix("bolt://").removeprefix("neo4j://").rsplit(":", 1)
        relay = TcpRelay((host, int(port))).restore()
        cfg = load_settings(backend="neo4j", neo4j_uri=f"bolt://{relay.address}", neo4j_username=real.username,
                            neo4j_password=real.password, neo4j_database=real.database, neo4j_retry_seconds=1)
        tf, tokens = make_tokens(tmp_path / "tokens.json")
        h = {"Authorization": f"Bearer {tokens['district']}"}
        with TestClient(create_app(cfg, tf)) as c:
            assert c.get("/api/v1/needs/N1", headers=h).json()["status"] == "ordered"
            relay.cut()
            r = c.get("/api/v1/health")
            assert r.status_code == 503 and r.json()["reachable"] is False
            assert r.json()["detail"] == "无法连接 Neo4j" and relay.address not in r.text  # no URI on the open route
            for method, path in (("GET", "/api/v1/needs"), ("GET", "/api/v1/needs/N1/matches"),
                                 ("POST", "/api/v1/needs/N1/accept")):
                r = c.request(method, path, headers=h)
                assert r.status_code == 503, (path, r.text)
                assert "图存储暂不可用" in r.json()["detail"], r.text
            relay.restore()  # same address
            r = c.get("/api/v1/health")
            assert r.status_code == 200 and r.json()["reachable"] is True, r.text
            assert c.post("/api/v1/needs/N1/accept", headers=h).json()["status"] == "accepted"
            assert c.get("/api/v1/needs/N1", headers=h).json()["status"] == "accepted"
        relay.cut()
    finally:
        loader.close()
