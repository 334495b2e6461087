"""The query object a store executes: one named query, its Cypher text and its embedded twin.

The storage layer knows nothing of the query catalogue (:mod:`orglink.queries`): a caller
hands a :class:`Query` to :meth:`Store.read` / :meth:`Store.write`, Neo4j runs
:attr:`Query.cypher`, the embedded store calls :attr:`Query.embedded` with its graph.

A query is also a typed function: its parameters are those of its embedded twin (after the
graph), so ``list_needs(store, status="ordered", …)`` is checked by mypy, and a misspelt
parameter fails the type check rather than one backend at run time.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec

if TYPE_CHECKING:
    from orglink.graph.embedded import EmbeddedGraph
    from orglink.graph.store import Store

Rows = list[dict[str, Any]]
"""What every query returns: a list of plain dicts (one per row, keys = the RETURN columns)."""

P = ParamSpec("P")


@dataclass(frozen=True)
class Call:
    """A query with its parameters bound, for :meth:`Store.read_many`."""

    query: Query[Any]
    params: dict[str, Any] = field(default_factory=dict)


class Query(Generic[P]):
    """One named query: ``name``, whether it ``write``\\ s, its Cypher text (given, or read
    lazily from a file by ``cypher_source``) and its embedded implementation
    ``embedded(graph, **params) -> rows``. A read query sees only live nodes (the embedded
    store hands it :meth:`EmbeddedGraph.live`; the Cypher filters ``retired_on IS NULL``)
    unless it ``sees_retired``.

    Calling the query runs it: ``query(store, **params)`` reads (or, for a write query,
    writes) through ``store`` and returns the rows.
    """

    def __init__(self, name: str, embedded: Callable[Concatenate[EmbeddedGraph, P], Rows], *,
                 cypher_source: Callable[[], str], write: bool = False, generated: bool = False,
                 sees_retired: bool = False) -> None:
        self.name = name
        self.sees_retired = sees_retired  # a read that sees retired nodes (dumps, the retired list)
        self.embedded = embedded
        self.write = write
        self.generated = generated
        self._cypher_source = cypher_source

    @cached_property
    def cypher(self) -> str:
        """The Cypher text Neo4j runs (its ``//`` comment header included)."""
        return self._cypher_source()

    @cached_property
    def _signature(self) -> inspect.Signature:
        params = list(inspect.signature(self.embedded).parameters.values())[1:]  # drop the graph
        return inspect.Signature(params)

    def bind(self, *args: P.args, **kwargs: P.kwargs) -> Call:
        """The query with its parameters bound by name (raises ``TypeError`` on a wrong one)."""
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return Call(self, dict(bound.arguments))

    def __call__(self, store: Store, *args: P.args, **kwargs: P.kwargs) -> Rows:
        """Run the query through ``store`` with these parameters and return its rows."""
        params = self.bind(*args, **kwargs).params
        return store.write(self, **params) if self.write else store.read(self, **params)

    def __repr__(self) -> str:
        return f"Query({self.name!r}{', write' if self.write else ''})"
