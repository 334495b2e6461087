"""Choosing and opening a backend: ``--backend embedded|neo4j`` or ``$ORGLINK_BACKEND``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store, StoreError

BACKENDS = ("embedded", "neo4j")


@dataclass(frozen=True)
class StoreConfig:
    """Everything needed to open a store; unset fields fall back to the environment."""

    backend: str | None = None
    path: str | Path | None = None  # embedded
    uri: str | None = None  # neo4j
    username: str | None = None
    password: str | None = None
    database: str | None = None

    def resolved_backend(self) -> str:
        """The backend name: explicit, else ``$ORGLINK_BACKEND``, else ``embedded``."""
        name = (self.backend or os.environ.get("ORGLINK_BACKEND") or "embedded").strip().lower()
        if name not in BACKENDS:
            raise StoreError(f"未知的后端 {name!r}，应为 {' 或 '.join(BACKENDS)}")
        return name


def open_store(config: StoreConfig | None = None) -> Store:
    """Open the configured store (embedded by default)."""
    config = config or StoreConfig()
    if config.resolved_backend() == "embedded":
        return EmbeddedStore(config.path)
    from orglink.graph.neo4j_store import Neo4jStore  # imported only when used

    return Neo4jStore.from_config(config)
