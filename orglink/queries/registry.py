"""Named queries: each is a ``.cypher`` file (run on Neo4j) plus its embedded Python twin.

A twin is registered with :func:`twin` in any module of :mod:`orglink.queries`; the Cypher
lives beside it as ``orglink/queries/<name>.cypher`` with a comment header a planner can read
in Neo4j Browser. Both must give the same rows (tests compare them).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

QUERY_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class NamedQuery:
    """A query by name: whether it writes, its Cypher file and its embedded twin."""

    name: str
    write: bool
    twin: Callable[..., list[dict[str, Any]]]

    @property
    def cypher_path(self) -> Path:
        """Path of the ``.cypher`` file."""
        return QUERY_DIR / f"{self.name}.cypher"

    def cypher(self) -> str:
        """The Cypher text (comment header included; Neo4j ignores ``//`` comments)."""
        return cypher_text(self.name)


_REGISTRY: dict[str, NamedQuery] = {}


def twin(name: str, write: bool = False) -> Callable:
    """Register the decorated function as the embedded twin of query ``name``.

    The function is called as ``fn(graph, **params)`` with an
    :class:`orglink.graph.embedded.EmbeddedGraph` and returns a list of dicts.
    """

    def deco(fn: Callable[..., list[dict[str, Any]]]) -> Callable[..., list[dict[str, Any]]]:
        if name in _REGISTRY and _REGISTRY[name].twin is not fn:
            raise ValueError(f"query {name!r} registered twice")
        _REGISTRY[name] = NamedQuery(name=name, write=write, twin=fn)
        return fn

    return deco


@cache
def _load_all() -> None:
    """Import every module of the queries package so their twins register."""
    pkg = importlib.import_module("orglink.queries")
    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name != "registry":
            importlib.import_module(f"orglink.queries.{mod.name}")


def get(name: str) -> NamedQuery:
    """Return the named query, or raise ``KeyError`` naming the known ones."""
    _load_all()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown query {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def all_queries() -> dict[str, NamedQuery]:
    """Every registered query by name."""
    _load_all()
    return dict(_REGISTRY)


@cache
def cypher_text(name: str) -> str:
    """Read ``orglink/queries/<name>.cypher``."""
    path = QUERY_DIR / f"{name}.cypher"
    return path.read_text(encoding="utf-8")
