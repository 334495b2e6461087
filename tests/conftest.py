"""Shared fixtures.

``store`` is an empty store of each backend under test: always the embedded one, and Neo4j
too when ``ORGLINK_TEST_NEO4J_URI`` is set (see ``tests/neo4j_support.py``). Tests that use
it therefore run unchanged against both backends.
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

NEO4J_URI = os.environ.get("ORGLINK_TEST_NEO4J_URI")
BACKENDS = ["embedded"] + (["neo4j"] if NEO4J_URI else [])

# The settings a user of orglink keeps in the shell (docs/neo4j.md: "set ORGLINK_BACKEND=neo4j
# once") must not steer the tests: a CLI test without --backend would otherwise write to the
# user's own server or store. Tests reach Neo4j only through ORGLINK_TEST_NEO4J_*.
for _name in ("ORGLINK_BACKEND", "ORGLINK_STORE", "ORGLINK_TOKENS",
              "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
    os.environ.pop(_name, None)


def _open(backend: str, tmp_path: Path) -> Store:
    if backend == "embedded":
        return EmbeddedStore(tmp_path / "store")
    from tests.neo4j_support import open_test_store

    return open_test_store()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove what the suite created on the Neo4j test server (databases or data + schema)."""
    if NEO4J_URI:
        from tests.neo4j_support import shutdown

        shutdown()


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
        from tests.neo4j_support import open_huinong_store

        s = open_huinong_store()
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
