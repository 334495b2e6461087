"""Geographic helpers: great-circle distance and the centre of a set of points."""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def centre(points: Sequence[Sequence[float | None]]) -> tuple[float, float] | None:
    """Mean (lat, lon) of the points that have both coordinates, in the given order; None if none."""
    good = [(float(p[0]), float(p[1])) for p in points
            if len(p) == 2 and p[0] is not None and p[1] is not None]
    if not good:
        return None
    return (sum(p[0] for p in good) / len(good), sum(p[1] for p in good) / len(good))


def distance_km(origin: tuple[float, float] | None, lat: float | None, lon: float | None) -> float | None:
    """Distance from ``origin`` to (lat, lon) rounded to metres, or None when either is unknown."""
    if origin is None or lat is None or lon is None:
        return None
    return round(haversine_km(origin[0], origin[1], float(lat), float(lon)), 3)
