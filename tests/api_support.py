"""Helpers for the API tests: the tiny district loaded into a store, tokens for every role,
and an app over that store with a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from orglink.api.app import create_app
from orglink.auth import TokenFile
from orglink.clock import CHINA_TZ
from orglink.graph.store import GraphBatch, LoadOutcome, LoadStamp, Progress, Store
from orglink.loaders.build import load_dataset
from tests.datasets import TINY, Rows, write_tiny

NOW = dt.datetime(2025, 3, 1, 9, 30, tzinfo=CHINA_TZ)
"""The fixed clock of the API tests: ids made today start ``N-20250301-``."""

ROLE_SCOPES: dict[str, tuple[str, str | None]] = {
    "district": ("district", None),
    "street_s1": ("street", "street:S1"),
    "street_s2": ("street", "street:S2"),
    "community_c1": ("community", "community:C1"),
    "community_c3": ("community", "community:C3"),
    "department_u3": ("department", "unit:U3"),
    "department_u1": ("department", "unit:U1"),
    "viewer": ("viewer", None),
    "viewer_s2": ("viewer", "street:S2"),
}
"""Token name -> (role, scope) of the tokens every API test gets. In the tiny district,
S1 holds C1 (grids G1, G2) and C2 (G3, G4); S2 holds C3 (G5); U1 and U3 are departments."""


class Borrowed(Store):
    """A store lent to the app: everything delegates, but the app's close() does not close it."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.backend = inner.backend

    def merge(self, batch: GraphBatch, progress: Progress | None = None,
              stamp: LoadStamp | None = None) -> LoadOutcome:
        """Delegate."""
        return self.inner.merge(batch, progress, stamp)

    def counts(self) -> dict[str, dict[str, int]]:
        """Delegate."""
        return self.inner.counts()

    def read(self, query: Any, **params: Any) -> list[dict[str, Any]]:
        """Delegate."""
        return self.inner.read(query, **params)

    def write(self, query: Any, **params: Any) -> list[dict[str, Any]]:
        """Delegate."""
        return self.inner.write(query, **params)

    def ping(self) -> dict[str, Any]:
        """Delegate."""
        return self.inner.ping()

    def close(self) -> None:
        """Keep the lent store open (its owner closes it)."""


@dataclass
class Api:
    """A test client over the tiny district with a token per role."""

    client: TestClient
    store: Store
    tokens: dict[str, str]

    def h(self, who: str) -> dict[str, str]:
        """Authorization header of token ``who`` (a key of ROLE_SCOPES)."""
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, path: str, who: str = "district", **kw: Any):
        """GET ``/api/v1`` + path as ``who``."""
        return self.client.get("/api/v1" + path, headers=self.h(who), **kw)

    def post(self, path: str, who: str = "district", **kw: Any):
        """POST ``/api/v1`` + path as ``who``."""
        return self.client.post("/api/v1" + path, headers=self.h(who), **kw)


def make_tokens(path: Path) -> tuple[TokenFile, dict[str, str]]:
    """A token file with one token per entry of ROLE_SCOPES."""
    tf = TokenFile(path)
    out = {}
    for name, (role, scope) in ROLE_SCOPES.items():
        out[name], _ = tf.create(role, scope, name)
    return tf, out


def load_tiny(store: Store, tmp: Path, tables: dict[str, Rows] | None = None) -> Store:
    """Load the tiny district (or ``tables``) into ``store``."""
    load_dataset(write_tiny(tmp / "tiny", tables=tables or TINY), store)
    return store


@contextmanager
def api_over(store: Store, tmp: Path) -> Iterator[Api]:
    """An :class:`Api` over ``store`` (already loaded) with the fixed clock."""
    tf, tokens = make_tokens(tmp / "tokens.json")
    app = create_app(None, tf, store_factory=lambda: Borrowed(store), clock=lambda: NOW)
    with TestClient(app) as client:
        yield Api(client, store, tokens)
