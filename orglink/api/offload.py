"""Where a route's store work runs: inline on the event loop for the embedded store's reads
(in-memory lookups of well under a millisecond, where a thread hop would cost more than the
work), in the thread pool for every other backend (network I/O must not block the loop).

Writes always run in the thread pool (sync routes): the embedded store fsyncs on every write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from orglink.graph.store import Store

T = TypeVar("T")

INLINE_BACKENDS = ("embedded",)
"""Backends whose reads answer from memory."""


async def read_with(store: Store, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``: inline if ``store`` reads from memory, else in the thread pool."""
    if getattr(store, "backend", None) in INLINE_BACKENDS:
        return fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)
