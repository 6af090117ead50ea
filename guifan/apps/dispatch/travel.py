"""Travel time between coordinates: haversine with the area's road factor and speed."""

from __future__ import annotations

import math

EARTH_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def travel_minutes(
    a: tuple[float, float], b: tuple[float, float], *, road_factor: float, speed_kmh: float
) -> int:
    """Whole minutes, rounded up, never zero between distinct places."""
    km = haversine_km(a[0], a[1], b[0], b[1]) * road_factor
    return max(1 if km > 0 else 0, math.ceil(km / speed_kmh * 60))
