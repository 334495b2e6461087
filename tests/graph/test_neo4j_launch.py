"""The test run's own Neo4j (tests/neo4j_server.py, tests/neo4j_support.py).

How a run decides where its server comes from, that a missing Java/Maven fails under CI and
skips elsewhere, and — on the server this run started — that it is a real deployment's
shape: loopback only, Bolt only, authentication on with the generated password.
"""

from __future__ import annotations

import pytest
from neo4j import GraphDatabase
from neo4j import exceptions as nx

from tests import neo4j_server, neo4j_support


@pytest.mark.parametrize(("env", "tools", "expected"), [
    ({"ORGLINK_TEST_NEO4J_URI": "bolt://h:7687"}, [], "external"),
    ({}, [], "launch"),
    ({}, ["java"], "missing"),
    ({"ORGLINK_TEST_NEO4J": "off"}, [], "off"),
    ({"ORGLINK_TEST_NEO4J": "off", "CI": "true"}, [], "launch"),  # CI cannot turn it off
    ({"ORGLINK_TEST_NEO4J": "off", "CI": "true"}, ["mvn"], "missing"),
])
def test_where_the_server_comes_from(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                     tools: list[str], expected: str) -> None:
    for name in ("ORGLINK_TEST_NEO4J_URI", "ORGLINK_TEST_NEO4J", "ORGLINK_TEST_NEO4J_SHARED", "CI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(neo4j_server, "requirements", lambda: list(tools))
    assert neo4j_support.plan() == expected


def test_no_server_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Neo4j is required under CI=true: why"):
        neo4j_support.unavailable("why")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="why"):
        neo4j_support.unavailable("why")


def test_a_missing_java_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ORGLINK_TEST_NEO4J_URI", "ORGLINK_TEST_NEO4J", "ORGLINK_TEST_NEO4J_SHARED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(neo4j_server, "requirements", lambda: ["java", "mvn"])
    with pytest.raises(pytest.fail.Exception, match=r"java and mvn not on PATH.*apt-get install"):
        neo4j_support.require()


def test_free_port_is_free() -> None:
    import socket

    port = neo4j_server.free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


@pytest.mark.neo4j
def test_the_run_s_own_server_is_loopback_bolt_only_with_authentication() -> None:
    srv = neo4j_support.launched()
    if srv is None:
        pytest.skip("this run uses an external server (ORGLINK_TEST_NEO4J_URI)")
    assert srv.uri.startswith("bolt://127.0.0.1:") and (srv.pid or srv.pid_seen)  # pid_seen: a worker's view
    with GraphDatabase.driver(srv.uri, auth=(srv.username, srv.password)) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.listConfig() YIELD name, value "
            "WHERE name IN ['server.http.enabled', 'server.https.enabled', 'dbms.security.auth_enabled', "
            "'server.bolt.listen_address', 'server.memory.heap.max_size'] RETURN name, value")
        conf = {r["name"]: r["value"] for r in records}
        [edition] = driver.execute_query("CALL dbms.components() YIELD edition, versions "
                                         "RETURN edition, versions[0] AS version").records
    assert conf["server.http.enabled"] == "false" and conf["server.https.enabled"] == "false"
    assert conf["dbms.security.auth_enabled"] == "true"
    assert conf["server.bolt.listen_address"] == srv.uri.removeprefix("bolt://")
    assert conf["server.memory.heap.max_size"] in ("1073741824", "1.00GiB", "1g")
    assert edition["edition"] == "community" and edition["version"].startswith("5.26.")
    for auth in ((srv.username, "wrong-password"), (srv.username, "neo4j")):
        with GraphDatabase.driver(srv.uri, auth=auth) as driver, pytest.raises(nx.AuthError):
            driver.verify_connectivity()


def test_generated_passwords_cannot_be_taken_for_options() -> None:
    """neo4j-admin reads a password starting with "-" as an option (a start failed that way)."""
    passwords = {neo4j_server.Neo4jServer().password for _ in range(200)}
    assert len(passwords) == 200
    assert all(p[0].isalnum() and len(p) >= 24 for p in passwords)
