"""Distance on the Earth's surface: the one haversine detection and grouping both use."""

from __future__ import annotations

import math
from typing import Protocol

EARTH_RADIUS_KM = 6371.0


class Point(Protocol):
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
