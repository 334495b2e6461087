"""Running the test suite against a real Neo4j 5 server.

Set ``ORGLINK_TEST_NEO4J_URI`` (and ``ORGLINK_TEST_NEO4J_USERNAME``,
``ORGLINK_TEST_NEO4J_PASSWORD``; optionally ``ORGLINK_TEST_NEO4J_DATABASE``) and every test
using the ``store`` / ``huinong_store`` fixtures runs on Neo4j as well as on the embedded store.

Isolation, decided once per test session:

* **several databases** (Enterprise): two databases ``orglinktest<run-id>s`` (scratch, emptied
  before every ``store``) and ``orglinktest<run-id>h`` (Huinong, loaded once) are created on the
  system database with ``CREATE DATABASE … IF NOT EXISTS WAIT`` and dropped at the end;
* **one database** (Community, Aura, or no right to create databases): the default database
  (or ``ORGLINK_TEST_NEO4J_DATABASE``) is used only if it is empty at session start, otherwise
  the session stops with a message saying the database holds data the suite will not touch.
  It then holds what one fixture needs at a time: ``store`` empties it, ``huinong_store``
  reloads Huinong (from a batch validated once) when something else was there. At the end it
  is emptied and the constraints and indexes the suite created are dropped.

A test cannot use ``store`` and ``huinong_store`` at the same time on one database; it gets
a clear error if it tries (on Enterprise both work).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase, Record
from neo4j import exceptions as nx

from orglink.data import HUINONG
from orglink.graph.neo4j_store import Neo4jSettings, Neo4jStore, translate_error
from orglink.graph.store import GraphBatch, Progress, Store, StoreError

ENV_URI = "ORGLINK_TEST_NEO4J_URI"
ENV_USERNAME = "ORGLINK_TEST_NEO4J_USERNAME"
ENV_PASSWORD = "ORGLINK_TEST_NEO4J_PASSWORD"
ENV_DATABASE = "ORGLINK_TEST_NEO4J_DATABASE"

NO_SERVER_REASON = (f"no Neo4j server configured: set {ENV_URI} (and {ENV_USERNAME}, "
                    f"{ENV_PASSWORD}) to run this test against a real Neo4j 5")


def configured() -> bool:
    """True when a test server is configured."""
    return bool(os.environ.get(ENV_URI))


def settings(database: str | None = None, **overrides: Any) -> Neo4jSettings:
    """Connection settings of the test server (``overrides``: tx_limit, batch_size)."""
    return Neo4jSettings(
        uri=os.environ[ENV_URI],
        username=os.environ.get(ENV_USERNAME) or "neo4j",
        password=os.environ.get(ENV_PASSWORD),
        database=database,
        **overrides,
    )


class _ScratchStore(Neo4jStore):
    """A store on the scratch database; closing it frees the database for other fixtures."""

    def __init__(self, server: "TestServer", s: Neo4jSettings) -> None:
        super().__init__(s, driver=server.driver)
        self._server = server

    def close(self) -> None:
        self._server.scratch_live = False
        super().close()


class _HuinongStore(Store):
    """The Huinong store: every call first makes sure the database holds pristine Huinong."""

    backend = "neo4j"

    def __init__(self, server: "TestServer") -> None:
        self._server = server
        self.inner = Neo4jStore(server.settings_for(server.huinong_db), driver=server.driver)

    def _ready(self) -> Neo4jStore:
        self._server.ensure_huinong(self.inner)
        return self.inner

    def merge(self, batch: GraphBatch, progress: Progress | None = None) -> None:
        self._ready().merge(batch, progress)

    def counts(self) -> dict[str, dict[str, int]]:
        return self._ready().counts()

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self._ready().read(name, **params)

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self._ready().write(name, **params)

    def ping(self) -> dict[str, Any]:
        return self._ready().ping()

    def __getattr__(self, name: str) -> Any:  # settings, driver, ensure_schema …
        return getattr(self.inner, name)


class TestServer:
    """The configured server for one test session (see the module docstring)."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.base = settings()
        self.run_id = uuid.uuid4().hex[:10]
        self.driver: Driver = GraphDatabase.driver(
            self.base.uri, auth=(self.base.username or "neo4j", self.base.password)
            if self.base.password is not None else None)
        self.mode = "single"
        self.mode_reason = ""
        self.scratch_db: str | None = os.environ.get(ENV_DATABASE) or None
        self.huinong_db: str | None = self.scratch_db
        self.holds = "empty"  # single mode: "empty", "scratch" or "huinong"
        self.scratch_live = False
        self.created_dbs: list[str] = []
        self.schema_before: set[str] = set()
        self._huinong_batch: GraphBatch | None = None
        self._huinong_loaded = False
        self._touched = False

    # -- setup -------------------------------------------------------------------------
    def start(self) -> None:
        """Connect, then pick several databases or the one empty database."""
        try:
            self.driver.verify_connectivity()
        except (nx.Neo4jError, nx.DriverError) as exc:
            raise translate_error(exc, self.base, "连接测试服务器") from None
        try:
            for suffix in ("s", "h"):
                name = f"orglinktest{self.run_id}{suffix}"
                records = self.run(f"CREATE DATABASE {name} IF NOT EXISTS WAIT", "system")
                self.created_dbs.append(name)
                if records and "success" in records[0].keys() and not records[0]["success"]:
                    raise RuntimeError(f"database {name} did not come online")
            self.mode = "databases"
            self.scratch_db, self.huinong_db = self.created_dbs
            return
        except nx.Neo4jError as exc:
            self.mode_reason = f"{exc.code}: {exc.message}"
            self._drop_databases()
        self._check_single_database_empty()

    def _check_single_database_empty(self) -> None:
        where = self.settings_for(self.scratch_db).where
        records = self.run("MATCH (n) RETURN count(n) AS n", self.scratch_db)
        n = records[0]["n"]
        if n:
            raise StoreError(
                f"the Neo4j test database {where} holds {n} nodes that the test suite will not "
                f"touch; this server cannot create a database per test run ({self.mode_reason}). "
                f"Point {ENV_URI} at an empty server, or set {ENV_DATABASE} to an empty database.")
        self.schema_before = self._schema_names()

    def _schema_names(self) -> set[str]:
        names: set[str] = set()
        for q in ("SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name"):
            records = self.run(q, self.scratch_db)
            names |= {r["name"] for r in records}
        return names

    def run(self, query: str, database: str | None) -> list[Record]:
        """Run one administration, schema or cleanup statement in an auto-commit transaction
        (database and schema commands may not share a transaction, and ``WAIT`` needs one
        of its own). Its sessions share the driver's bookmark manager with the stores, so a
        store never reads from before a cleanup, even on a cluster."""
        with self.driver.session(database=database,
                                 bookmark_manager=self.driver.execute_query_bookmark_manager) as session:
            return list(session.run(query))

    def settings_for(self, database: str | None, **overrides: Any) -> Neo4jSettings:
        """Settings of the test server on ``database``."""
        return settings(database, **overrides)

    # -- fixtures ------------------------------------------------------------------------
    def _clear(self, database: str | None) -> None:
        self.run("MATCH (n) DETACH DELETE n", database)

    def scratch(self, **overrides: Any) -> Neo4jStore:
        """An empty store on the scratch database."""
        if self.scratch_live:
            raise RuntimeError("two empty Neo4j test stores at once are not supported")
        self._touched = True
        if self.mode == "databases" or self.holds != "empty":
            self._clear(self.scratch_db)
        self.holds = "scratch"
        self.scratch_live = True
        return _ScratchStore(self, self.settings_for(self.scratch_db, **overrides))

    def huinong(self) -> Store:
        """The shared Huinong store (loaded on first use, reloaded when displaced)."""
        return _HuinongStore(self)

    def ensure_huinong(self, inner: Neo4jStore) -> None:
        """Load Huinong into its database unless it is already there."""
        if self.mode == "databases":
            if not self._huinong_loaded:
                self._touched = True
                inner.merge(self.huinong_batch())
                self._huinong_loaded = True
            return
        if self.holds == "huinong":
            return
        if self.scratch_live:
            raise RuntimeError(
                "this Neo4j test server has a single database: a test cannot use both the "
                "`store` and the `huinong_store` fixtures (use huinong_copy + store instead)")
        self._touched = True
        if self.holds != "empty":
            self._clear(self.huinong_db)
        self.holds = "empty"
        inner.merge(self.huinong_batch())
        self.holds = "huinong"

    def huinong_batch(self) -> GraphBatch:
        """The bundled Huinong dataset, validated once per session."""
        if self._huinong_batch is None:
            from orglink.loaders.build import validate_dataset

            self._huinong_batch = validate_dataset(HUINONG).batch
        return self._huinong_batch

    # -- teardown ------------------------------------------------------------------------
    def _drop_databases(self) -> None:
        for name in self.created_dbs:
            self.run(f"DROP DATABASE {name} IF EXISTS WAIT", "system")
        self.created_dbs = []

    def finish(self) -> None:
        """Drop the run's databases, or empty the single database and drop the suite's schema."""
        try:
            if self.mode == "databases":
                self._drop_databases()
            elif self._touched:
                self._clear(self.scratch_db)
                # constraints first (dropping one drops its backing index), then indexes
                for kind, show in (("CONSTRAINT", "SHOW CONSTRAINTS YIELD name RETURN name"),
                                   ("INDEX", "SHOW INDEXES YIELD name RETURN name")):
                    records = self.run(show, self.scratch_db)
                    for name in sorted({r["name"] for r in records} - self.schema_before):
                        quoted = "`" + name.replace("`", "``") + "`"
                        self.run(f"DROP {kind} {quoted} IF EXISTS", self.scratch_db)
        finally:
            self.driver.close()


_SERVER: TestServer | None = None


def server() -> TestServer:
    """The session's test server, started on first use; stops the run with one clear line
    if it cannot be used."""
    global _SERVER
    if _SERVER is None:
        srv = TestServer()
        try:
            srv.start()
        except StoreError as exc:
            srv.driver.close()
            pytest.exit(f"Neo4j test server unusable: {exc}", returncode=3)
        _SERVER = srv
    return _SERVER


def open_test_store(**overrides: Any) -> Neo4jStore:
    """An empty, isolated Neo4j store for one test (``overrides``: tx_limit, batch_size).

    Close it when done (the ``store`` fixture does).
    """
    return server().scratch(**overrides)


def open_huinong_store() -> Store:
    """The Neo4j store with the bundled Huinong data (shared: do not write)."""
    return server().huinong()


def shutdown() -> None:
    """End of session: clean up whatever the suite created on the server."""
    global _SERVER
    if _SERVER is not None:
        srv, _SERVER = _SERVER, None
        srv.finish()
