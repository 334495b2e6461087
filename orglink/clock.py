"""The one clock: China Standard Time, to the second (lifecycle timestamps, need ids, tokens)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
"""Timestamps and need-id dates are taken in China Standard Time (no daylight saving)."""

Clock = Callable[[], dt.datetime]
"""A function giving the current time (tests hand in a fixed one)."""


def china_now() -> dt.datetime:
    """The current time in China Standard Time, to the second."""
    return dt.datetime.now(CHINA_TZ).replace(microsecond=0)
