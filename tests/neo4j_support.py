"""Running the test suite against a real Neo4j 5 server.

Every test using the ``store`` / ``huinong_store`` fixtures (or marked ``neo4j``) runs on
Neo4j as well as on the embedded store. The server is, in this order:

* the one named by ``ORGLINK_TEST_NEO4J_URI`` (and ``ORGLINK_TEST_NEO4J_USERNAME``,
  ``ORGLINK_TEST_NEO4J_PASSWORD``; optionally ``ORGLINK_TEST_NEO4J_DATABASE``);
* otherwise, when Java and Maven are on PATH, a Neo4j 5 Community server this run resolves
  from Maven Central and starts itself (``tests/neo4j_server.py``), in the background as soon
  as collection is done, and stops at the end;
* otherwise none: under ``CI=true`` every Neo4j test then fails (no silent skip); elsewhere
  it is skipped with a reason that says how to turn it on. ``ORGLINK_TEST_NEO4J=off`` skips
  the Neo4j half on purpose (ignored under CI).

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

import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase, Record
from neo4j import exceptions as nx

from orglink.clock import china_now
from orglink.data import HUINONG
from orglink.graph.neo4j_store import Neo4jSettings, Neo4jStore, translate_error
from orglink.graph.store import GraphBatch, LoadOutcome, LoadStamp, Progress, Store, StoreError
from tests import neo4j_server

ENV_URI = "ORGLINK_TEST_NEO4J_URI"
ENV_USERNAME = "ORGLINK_TEST_NEO4J_USERNAME"
ENV_PASSWORD = "ORGLINK_TEST_NEO4J_PASSWORD"
ENV_DATABASE = "ORGLINK_TEST_NEO4J_DATABASE"
ENV_SHARED = "ORGLINK_TEST_NEO4J_SHARED"
"""Set by a parallel run's controller (``pytest -n``): the status file of the server it started
for its workers (written once the server is up, or with the reason it did not start)."""
ENV_SWITCH = "ORGLINK_TEST_NEO4J"
"""``ORGLINK_TEST_NEO4J=off`` skips the Neo4j half on a developer's machine (never under CI)."""

HOW_TO = (f"the Neo4j tests start their own Neo4j 5 Community server when Java 17 and Maven are on "
          f"PATH (apt-get install openjdk-17-jdk-headless maven), or use the server named by "
          f"{ENV_URI} (+ {ENV_USERNAME}, {ENV_PASSWORD})")
NO_SERVER_REASON = f"no Neo4j test server: {HOW_TO}"


def in_ci() -> bool:
    """True under CI (``CI=true``): a Neo4j that cannot be had fails the run instead of skipping."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def plan() -> str:
    """How this run gets its server: ``external`` (``ORGLINK_TEST_NEO4J_URI``), ``launch``
    (Java + Maven here), ``off`` (``ORGLINK_TEST_NEO4J=off``, outside CI) or ``missing``."""
    if os.environ.get(ENV_URI):
        return "external"
    if not in_ci() and os.environ.get(ENV_SWITCH, "").strip().lower() in ("0", "off", "no", "false"):
        return "off"
    return "missing" if neo4j_server.requirements() else "launch"


def configured() -> bool:
    """True when this run has (or will start) a Neo4j test server."""
    return plan() in ("external", "launch")


class _Launch:
    """The server this run starts itself, started at most once, in a background thread so the
    embedded tests run meanwhile (see ``tests/neo4j_server.py``).

    The thread that starts the JVM lives until the server is stopped: Linux delivers the
    JVM's parent-death signal when that *thread* ends, so it must not end first. (A test that
    restarts the server does so from the main thread, which lives as long as the run.)
    """

    def __init__(self) -> None:
        self.owner = False  # True in a parallel run's controller, which starts the server
        self.status_file: Path | None = None
        self.server: neo4j_server.Neo4jServer | None = None
        self.last: neo4j_server.Neo4jServer | None = None  # kept after stop, for the summary
        self.error: str | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def begin(self) -> None:
        if os.environ.get(ENV_SHARED) and not self.owner:
            return  # a parallel run's worker: the controller starts the server
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="neo4j-test-server", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        srv = neo4j_server.Neo4jServer()
        try:
            srv.start(log=lambda line: print(f"\n[neo4j] {line}", file=sys.stderr, flush=True))
        except Exception as exc:  # reported to every test that needs the server
            self.error = f"the test Neo4j server did not start: {exc}"
            srv.stop()
            self._publish({"error": self.error})
            self._ready.set()
            return
        self.server = self.last = srv
        self._publish({"port": srv.port, "password": srv.password, "pid": srv.pid_seen,
                       "started_in": srv.started_in})
        self._ready.set()
        self._stop.wait()
        srv.stop()

    def _publish(self, status: dict[str, Any]) -> None:
        """Tell a parallel run's workers that the server is up (or why it is not)."""
        if self.status_file is not None:
            tmp = self.status_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(status), encoding="utf-8")
            tmp.replace(self.status_file)

    def _wait_shared(self, path: Path) -> None:
        """A parallel run's worker: wait for the controller's status file and take the server."""
        deadline = time.monotonic() + SHARED_WAIT_SECONDS
        while not path.exists():
            if time.monotonic() > deadline:
                self.error = f"the controller's test Neo4j server did not come up in {SHARED_WAIT_SECONDS} s"
                return
            time.sleep(0.2)
        status = json.loads(path.read_text(encoding="utf-8"))
        if status.get("error"):
            self.error = status["error"]
            return
        self.server = self.last = neo4j_server.Neo4jServer(
            port=status["port"], password=status["password"], pid_seen=status["pid"],
            started_in=status["started_in"])

    def wait(self) -> neo4j_server.Neo4jServer:
        shared = os.environ.get(ENV_SHARED)
        if shared and not self.owner:
            with self._lock:
                if self.server is None and self.error is None:
                    self._wait_shared(Path(shared))
            if self.server is None:
                unavailable(self.error or "the test Neo4j server did not start")
            assert self.server is not None
            return self.server
        self.begin()
        self._ready.wait()
        if self.server is None:
            unavailable(self.error or "the test Neo4j server did not start")
        assert self.server is not None
        return self.server

    def stop(self) -> None:
        if self._thread is not None:
            self._ready.wait()
            self._stop.set()
            self._thread.join()
        self.server = None


_LAUNCH = _Launch()
SHARED_WAIT_SECONDS = 600


def share_with_workers() -> None:
    """In a parallel run's controller: start the run's server for the workers, in the background
    (they wait for its status file, see :data:`ENV_SHARED`); stopped by :func:`shutdown`."""
    if plan() != "launch" or os.environ.get(ENV_SHARED):
        return
    _LAUNCH.owner = True
    _LAUNCH.status_file = Path(tempfile.mkdtemp(prefix="orglink-neo4j-")) / "server.json"
    os.environ[ENV_SHARED] = str(_LAUNCH.status_file)  # inherited by the workers spawned next
    _LAUNCH.begin()


def unavailable(reason: str) -> None:
    """Fail the test under CI, skip it elsewhere; ``reason`` says how to turn Neo4j on."""
    if in_ci():
        pytest.fail(f"Neo4j is required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def begin() -> None:
    """Start the run's own server in the background, if this run launches one."""
    if plan() == "launch":
        _LAUNCH.begin()


def require() -> None:
    """Make sure a server is there for the calling test: skip (or fail under CI) if not."""
    mode = plan()
    if mode == "missing":
        unavailable(f"Java 17 and Maven are needed to start the test Neo4j "
                    f"({' and '.join(neo4j_server.requirements())} not on PATH); {HOW_TO}")
    elif mode == "off":
        pytest.skip(f"{ENV_SWITCH}=off: the Neo4j tests are turned off; unset it to run them ({HOW_TO})")
    elif mode == "launch":
        _LAUNCH.wait()
    if _SERVER_ERROR is not None:
        unavailable(_SERVER_ERROR)


def launched() -> neo4j_server.Neo4jServer | None:
    """The server this run started (None when the tests use an external one)."""
    return _LAUNCH.server if plan() == "launch" else None


def launched_info() -> str | None:
    """What the summary line says about the server: version, address, who started it."""
    if plan() == "external":
        return f"external ({os.environ[ENV_URI]})"
    srv = _LAUNCH.server or _LAUNCH.last
    if srv is None:
        return _LAUNCH.error
    return (f"Neo4j {neo4j_server.neo4j_version()} Community started by this run on {srv.uri} "
            f"(pid {srv.pid_seen}, up in {srv.started_in:.0f} s)")


def settings(database: str | None = None, **overrides: Any) -> Neo4jSettings:
    """Connection settings of the test server (``overrides``: tx_limit, batch_size)."""
    if os.environ.get(ENV_URI):
        return Neo4jSettings(
            uri=os.environ[ENV_URI],
            username=os.environ.get(ENV_USERNAME) or "neo4j",
            password=os.environ.get(ENV_PASSWORD),
            database=database,
            **overrides,
        )
    srv = _LAUNCH.wait()
    return Neo4jSettings(uri=srv.uri, username=srv.username, password=srv.password,
                         database=database, **overrides)


class _ScratchStore(Neo4jStore):
    """A store on the scratch database; closing it frees the database for other fixtures."""

    def __init__(self, server: TestServer, s: Neo4jSettings) -> None:
        super().__init__(s, driver=server.driver)
        self._server = server
        # the suite drops the schema only at the end: once ensured, later stores need not
        # read the constraint and index lists again (two statements per test)
        self._schema_ready = server.schema_ensured

    def ensure_schema(self) -> list[str]:
        created = super().ensure_schema()
        self._server.schema_ensured = True
        return created

    def close(self) -> None:
        self._server.scratch_live = False
        super().close()


class _HuinongStore(Store):
    """The Huinong store: every call first makes sure the database holds pristine Huinong."""

    backend = "neo4j"

    def __init__(self, server: TestServer) -> None:
        self._server = server
        self.inner = Neo4jStore(server.settings_for(server.huinong_db), driver=server.driver)

    def _ready(self) -> Neo4jStore:
        self._server.ensure_huinong(self.inner)
        return self.inner

    def merge(self, batch: GraphBatch, progress: Progress | None = None,
              stamp: LoadStamp | None = None) -> LoadOutcome:
        return self._ready().merge(batch, progress, stamp)

    def counts(self) -> dict[str, dict[str, int]]:
        return self._ready().counts()

    def read(self, query: Any, **params: Any) -> list[dict[str, Any]]:
        return self._ready().read(query, **params)

    def read_many(self, calls: list[Any]) -> list[list[dict[str, Any]]]:
        return self._ready().read_many(calls)

    def write(self, query: Any, **params: Any) -> list[dict[str, Any]]:
        return self._ready().write(query, **params)

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
        self.schema_ensured = False  # by a scratch store, this session (see _ScratchStore)
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
                if records and "success" in records[0] and not records[0]["success"]:
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
                self._load_huinong(inner)
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
        self._load_huinong(inner)
        self.holds = "huinong"

    def huinong_batch(self) -> GraphBatch:
        """The bundled Huinong dataset, validated once per session."""
        if self._huinong_batch is None:
            from orglink.loaders.build import validate_dataset

            self._huinong_batch = validate_dataset(HUINONG).batch
        return self._huinong_batch

    def _load_huinong(self, inner: Neo4jStore) -> None:
        """Load Huinong stamped, as ``orglink load`` does (dataset = the district's id)."""
        batch = self.huinong_batch()
        district = next((n.id for n in batch.nodes if n.label == "District"), "default")
        inner.merge(batch, stamp=LoadStamp(id=f"load-test-{uuid.uuid4().hex[:6]}", dataset=district,
                                           at=china_now().isoformat()))

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
_SERVER_ERROR: str | None = None


def server() -> TestServer:
    """The session's test server, connected on first use. If it cannot be used, every test
    that needs it fails (skips outside CI) with the same one clear line; the run goes on."""
    global _SERVER, _SERVER_ERROR
    require()
    if _SERVER is None:
        srv = TestServer()
        try:
            srv.start()
        except StoreError as exc:
            srv.driver.close()
            _SERVER_ERROR = f"Neo4j test server unusable: {exc}"
            unavailable(_SERVER_ERROR)
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
    """End of session: clean up whatever the suite created on the server, and stop the
    server this run started."""
    global _SERVER
    try:
        if _SERVER is not None:
            srv, _SERVER = _SERVER, None
            srv.finish()
    finally:
        _LAUNCH.stop()


@contextmanager
def embedded_and_neo4j(tmp_path: Path, fill: Callable[[Store, Path], Any]) -> Iterator[tuple[Store, Store]]:
    """(embedded, Neo4j) stores, each filled by ``fill(store, its own scratch directory)``,
    closed afterwards: the fixture of the tests that compare the two backends' answers."""
    from orglink.graph.embedded import EmbeddedStore

    emb = EmbeddedStore(tmp_path / "store")
    neo = open_test_store()
    try:
        for i, s in enumerate((emb, neo)):
            fill(s, tmp_path / f"fill-{i}")
        yield emb, neo
    finally:
        emb.close()
        neo.close()
