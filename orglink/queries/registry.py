"""The query catalogue: each named query is a ``.cypher`` file (run on Neo4j) plus its
embedded Python twin, as one :class:`~orglink.graph.query.Query` object.

A twin is registered with :func:`twin` in any module of :mod:`orglink.queries`; the Cypher
lives beside it as ``orglink/queries/<name>.cypher`` with a comment header a planner can read
in Neo4j Browser. Both must give the same rows (tests compare them).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from orglink.graph.embedded import EmbeddedGraph
from orglink.graph.query import Query, Rows

P = ParamSpec("P")

QUERY_DIR = Path(__file__).resolve().parent


_REGISTRY: dict[str, Query[Any]] = {}


def twin(name: str, write: bool = False,
         sees_retired: bool = False) -> Callable[[Callable[Concatenate[EmbeddedGraph, P], Rows]], Query[P]]:
    """Register the decorated function as the embedded twin of query ``name`` and return the
    :class:`~orglink.graph.query.Query` (Cypher from ``orglink/queries/<name>.cypher``).

    The function is called as ``fn(graph, **params)`` with an
    :class:`orglink.graph.embedded.EmbeddedGraph` and returns a list of dicts; the query
    object it becomes is called as ``query(store, **params)``. A read query sees only live
    nodes unless ``sees_retired`` (see :class:`~orglink.graph.query.Query`).
    """

    def deco(fn: Callable[Concatenate[EmbeddedGraph, P], Rows]) -> Query[P]:
        query: Query[P] = Query(name, fn, cypher_source=partial(cypher_text, name), write=write,
                                sees_retired=sees_retired)
        register(query)
        return query

    return deco


def register(query: Query[Any]) -> None:
    """Add ``query`` to the catalogue (a second query of the same name is an error)."""
    old = _REGISTRY.get(query.name)
    if old is not None and old.embedded is not query.embedded:
        raise ValueError(f"query {query.name!r} registered twice")
    _REGISTRY[query.name] = query


@cache
def _load_all() -> None:
    """Import every module of the queries package so their twins register."""
    pkg = importlib.import_module("orglink.queries")
    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name != "registry":
            importlib.import_module(f"orglink.queries.{mod.name}")


def get(name: str) -> Query[Any]:
    """Return the named query, or raise ``KeyError`` naming the known ones."""
    _load_all()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown query {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def all_queries() -> dict[str, Query[Any]]:
    """Every registered query by name."""
    _load_all()
    return dict(_REGISTRY)


@cache
def cypher_text(name: str) -> str:
    """Read ``orglink/queries/<name>.cypher``."""
    path = QUERY_DIR / f"{name}.cypher"
    return path.read_text(encoding="utf-8")
