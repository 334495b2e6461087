"""Shared fixtures.

``store`` is an empty store of each backend: the embedded one and a real Neo4j 5 (the server
this run starts itself, or ``ORGLINK_TEST_NEO4J_URI``; see ``tests/neo4j_support.py``). Tests
that use it therefore run unchanged against both backends; the Neo4j half skips (fails under
``CI=true``) when no server can be had.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store
from orglink.loaders.build import load_dataset
from tests import neo4j_support

BACKENDS = ["embedded", "neo4j"]

# The settings a user of orglink keeps in the shell (docs/neo4j.md: "set ORGLINK_BACKEND=neo4j
# once") must not steer the tests: a CLI test without --backend would otherwise write to the
# user's own server or store. Tests reach Neo4j only through ORGLINK_TEST_NEO4J_*.
for _name in ("ORGLINK_BACKEND", "ORGLINK_STORE", "ORGLINK_TOKENS",
              "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
    os.environ.pop(_name, None)
os.environ["ORGLINK_JOURNAL_VERIFY"] = "1"  # every journaled write's ops are replayed and checked


def _open(backend: str, tmp_path: Path) -> Store:
    if backend == "embedded":
        return EmbeddedStore(tmp_path / "store")
    return neo4j_support.open_test_store()


def _needs_neo4j(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    params = callspec.params.values() if callspec is not None else ()
    return item.get_closest_marker("neo4j") is not None or "neo4j" in params


_NEO4J_TESTS: set[str] = set()
_NEO4J_OUTCOMES: dict[str, int] = {"passed": 0, "failed": 0, "skipped": 0}


def pytest_configure(config: pytest.Config) -> None:
    """A parallel run (``pytest -n N``): its controller starts the one Neo4j for all workers."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        neo4j_support.share_with_workers()



@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs Neo4j ``neo4j``; in a parallel run they all go to one worker
    (``--dist loadgroup``): the server holds one database, which they take turns with."""
    for item in items:
        if _needs_neo4j(item):
            item.add_marker(pytest.mark.neo4j)
            item.add_marker(pytest.mark.xdist_group("neo4j"))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the run's own Neo4j in the background as soon as a collected test needs it."""
    _NEO4J_TESTS.update(item.nodeid for item in session.items if _needs_neo4j(item))
    if _NEO4J_TESTS:
        neo4j_support.begin()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count how the Neo4j tests ended (for the summary line)."""
    if report.nodeid not in _NEO4J_TESTS and "neo4j" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _NEO4J_OUTCOMES[report.outcome] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line saying which Neo4j the Neo4j tests ran on, and how they ended."""
    if not _NEO4J_TESTS and not sum(_NEO4J_OUTCOMES.values()):
        return
    srv = neo4j_support.launched_info()
    where = srv or neo4j_support.plan()
    o = _NEO4J_OUTCOMES
    terminalreporter.write_line(f"Neo4j tests: {o['passed']} passed, {o['failed']} failed, "
                                f"{o['skipped']} skipped — server: {where}")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``neo4j`` waits for the server, or skips (fails under CI) without one."""
    if item.get_closest_marker("neo4j") is not None:
        neo4j_support.require()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove what the suite created on the Neo4j test server and stop the one it started."""
    neo4j_support.shutdown()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend under test, cleaned up afterwards."""
    s = _open(request.param, tmp_path)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(params=BACKENDS, scope="session")
def huinong_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store of each backend with the bundled Huinong data loaded (shared: do not write).

    On Neo4j the store loads Huinong itself on first use, and again whenever a ``store``
    test displaced it from a single-database server (see ``tests/neo4j_support.py``).
    """
    if request.param == "embedded":
        s: Store = EmbeddedStore(tmp_path_factory.mktemp("huinong") / "store")
        load_dataset(HUINONG, s)
    else:
        s = neo4j_support.open_huinong_store()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def huinong_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled Huinong dataset directory."""
    dst = tmp_path / "huinong"
    shutil.copytree(HUINONG, dst, ignore=shutil.ignore_patterns("*.md"))
    return dst
