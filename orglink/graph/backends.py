"""Choosing and opening a backend: ``settings.backend`` (``--backend embedded|neo4j`` or
``$ORGLINK_BACKEND``; see :mod:`orglink.settings`)."""

from __future__ import annotations

from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store, StoreError
from orglink.settings import Settings, load_settings

BACKENDS = ("embedded", "neo4j")


def backend_name(settings: Settings) -> str:
    """The backend the settings name, checked: ``embedded`` or ``neo4j``."""
    name = settings.backend.strip().lower()
    if name not in BACKENDS:
        raise StoreError(f"未知的后端 {name!r}，应为 {' 或 '.join(BACKENDS)}")
    return name


def open_store(settings: Settings | None = None) -> Store:
    """Open the store ``settings`` name (default: the environment's, i.e. embedded)."""
    if settings is None:
        settings = load_settings()
    if backend_name(settings) == "embedded":
        return EmbeddedStore(settings.store)
    from orglink.graph.neo4j_store import Neo4jStore  # imported only when used

    return Neo4jStore.from_settings(settings)
