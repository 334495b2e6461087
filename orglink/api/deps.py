"""What every route depends on: the store (reopened after a backend failure) and the caller.

The store is opened on first use and kept while it works. When a call raises
:class:`~orglink.graph.store.StoreUnavailable` the app answers 503 and forgets that store, so
the next request opens a fresh one: a Neo4j server that comes back is used again without a
restart, and a dead driver is never kept.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from orglink.api.access import Area, area_of
from orglink.api.offload import read_with
from orglink.auth import Principal, TokenFile
from orglink.clock import Clock, china_now
from orglink.graph.store import Store

bearer = HTTPBearer(auto_error=False, description="orglink API token (orglink token create)")


class StoreHolder:
    """Opens the store lazily, hands it out, and drops it when the backend failed."""

    def __init__(self, factory: Callable[[], Store], backend: str) -> None:
        self._factory = factory
        self.backend = backend
        self._store: Store | None = None
        self._retired: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        """The current store, opening one if there is none (may raise StoreUnavailable)."""
        s = self._store
        if s is not None:
            return s
        with self._lock:
            if self._store is None:
                self._store = self._factory()
                self.backend = getattr(self._store, "backend", self.backend)
                retired, self._retired = self._retired, []
                for old in retired:  # requests still on them have failed or finished by now
                    _close_quietly(old)
            return self._store

    def invalidate(self, failed: Store | None = None) -> None:
        """Forget the current store (or ``failed`` if it is still current); the next get() reopens."""
        with self._lock:
            if self._store is not None and (failed is None or failed is self._store):
                self._retired.append(self._store)
                self._store = None

    def close(self) -> None:
        """Close every store this holder opened."""
        with self._lock:
            stores = [*self._retired, *([self._store] if self._store else [])]
            self._store, self._retired = None, []
        for s in stores:
            _close_quietly(s)


def _close_quietly(s: Store) -> None:
    with contextlib.suppress(Exception):
        s.close()


@dataclass
class Context:
    """The app's state: store holder, token file, clock (tests may fix the clock) and how
    many stored plans a new plan keeps (``ORGLINK_KEEP_PLANS`` of the app's settings) and the
    issuing office reports name (``ORGLINK_OFFICE``)."""

    holder: StoreHolder
    tokens: TokenFile
    clock: Clock = field(default=china_now)
    keep_plans: int | None = None
    office: str | None = None  # the issuing office reports name (ORGLINK_OFFICE)


def context(request: Request) -> Context:
    """The app's :class:`Context`."""
    return request.app.state.ctx


async def principal(request: Request,
                    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    """The caller behind the bearer token; 401 without a valid one ("令牌已过期" for an expired
    one). A token file that cannot be read raises :class:`~orglink.auth.TokenError`, which the
    app answers with 503 naming no path."""
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise HTTPException(401, "需要令牌：请在 Authorization 头中提供 Bearer 令牌",
                            headers={"WWW-Authenticate": "Bearer"})
    tokens = context(request).tokens
    who = tokens.verify(creds.credentials)
    if who is None:
        message = "令牌已过期" if tokens.expired(creds.credentials) else "令牌无效"
        raise HTTPException(401, message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return who


Caller = Annotated[Principal, Depends(principal)]


async def get_store(request: Request, _: Caller) -> Store:
    """The store for this request (see :class:`StoreHolder`); the caller is checked first."""
    return context(request).holder.get()


StoreDep = Annotated[Store, Depends(get_store)]


async def caller_area(store: StoreDep, who: Caller) -> Area:
    """The caller's :class:`~orglink.api.access.Area` (its scope resolved against the store):
    the one access check every ``/api/v1`` route depends on."""
    return await read_with(store, area_of, store, who)


AreaDep = Annotated[Area, Depends(caller_area)]
"""The caller's area: take this (not :data:`Caller`) in a route; ``create_app`` refuses a route
under ``/api/v1`` without it."""
