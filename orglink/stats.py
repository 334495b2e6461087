"""Graph statistics shared by ``orglink stats`` and the API."""

from __future__ import annotations

from typing import Any

from orglink import queries
from orglink.graph.store import Store


def graph_stats(store: Store) -> dict[str, Any]:
    """``{"nodes": {label: n}, "relationships": {type: n}, "figures": {...}}``.

    ``figures`` holds the source document's numbers as found in the graph
    (named query ``document_figures``); it is empty for an empty store.
    """
    counts = store.counts()
    figures = queries.document_figures(store)[0] if counts["nodes"] else {}
    return {"nodes": counts["nodes"], "relationships": counts["relationships"], "figures": figures}
