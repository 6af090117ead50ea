"""Travel matrix providers (pure): haversine by default, an OSRM-compatible ``/table`` service.

A provider turns points into a :class:`TravelMatrix` (minutes and km). The HTTP provider
raises :class:`MatrixUnavailable` when the service cannot be used, and falls back to the
default provider only when it was built with ``fallback=`` (an explicit choice).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from guifan.errors import GuifanError
from guifan.optimize.problem import TravelMatrix

EARTH_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Point:
    """A named place in WGS84 degrees."""

    id: str
    lat: float
    lon: float


class MatrixUnavailable(GuifanError):
    """The configured matrix service did not answer usefully."""

    http_status = 503

    def __init__(self, message: str) -> None:
        super().__init__("matrix.unavailable", message)


class MatrixProvider(Protocol):
    def matrix(self, points: Sequence[Point]) -> TravelMatrix: ...


@dataclass(frozen=True, slots=True)
class HaversineProvider:
    """Great-circle km times a road factor; minutes at a constant area speed.

    Parameters
    ----------
    road_factor
        Road km per great-circle km (>= 1; 1.3 is typical in a city).
    speed_kmh
        Average door-to-door speed of the area.
    """

    road_factor: float = 1.3
    speed_kmh: float = 30.0

    def __post_init__(self) -> None:
        if self.road_factor < 1 or self.speed_kmh <= 0:
            raise ValueError("road_factor must be >= 1 and speed_kmh > 0")

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        import numpy as np

        lat = np.radians([p.lat for p in points])
        lon = np.radians([p.lon for p in points])
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        a = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
        )
        km = 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1))) * self.road_factor
        minutes = km / self.speed_kmh * 60
        return TravelMatrix(tuple(p.id for p in points), minutes, km)


@dataclass(frozen=True, slots=True)
class OsrmTableProvider:
    """An OSRM-compatible ``GET /table/v1/{profile}/{lon,lat;...}?annotations=duration,distance``.

    Parameters
    ----------
    base_url
        Service root, e.g. ``http://127.0.0.1:5000``.
    profile
        Routing profile in the URL (``driving``).
    timeout
        Seconds to wait for the answer.
    fallback
        Provider used when the service fails; ``None`` raises :class:`MatrixUnavailable`.
    """

    base_url: str
    profile: str = "driving"
    timeout: float = 10.0
    fallback: MatrixProvider | None = None

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        try:
            return self._fetch(points)
        except MatrixUnavailable:
            if self.fallback is None:
                raise
            return self.fallback.matrix(points)

    def _fetch(self, points: Sequence[Point]) -> TravelMatrix:
        import numpy as np

        coords = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in points)
        url = (
            f"{self.base_url.rstrip('/')}/table/v1/{self.profile}/{coords}"
            "?annotations=duration,distance"
        )
        body = self._get(url)
        if body.get("code") != "Ok":
            raise MatrixUnavailable(
                f"matrix service at {self.base_url} answered {body.get('code')!r}"
            )
        n = len(points)
        try:
            seconds = np.asarray(body["durations"], dtype=np.float64)
            metres = np.asarray(body["distances"], dtype=np.float64)
        except (KeyError, TypeError, ValueError) as exc:
            raise MatrixUnavailable(
                f"matrix service at {self.base_url}: bad table ({exc})"
            ) from None
        if seconds.shape != (n, n) or metres.shape != (n, n) or not np.isfinite(seconds).all():
            raise MatrixUnavailable(
                f"matrix service at {self.base_url}: table is not {n}x{n} or has unroutable pairs"
            )
        return TravelMatrix(tuple(p.id for p in points), seconds / 60, metres / 1000)

    def _get(self, url: str) -> dict[str, Any]:
        if not url.startswith(("http://", "https://")):
            raise MatrixUnavailable(f"matrix service URL must be http(s): {self.base_url!r}")
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as resp:
                data = json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, TimeoutError, ValueError) as exc:
            raise MatrixUnavailable(
                f"matrix service at {self.base_url} unreachable: {exc}"
            ) from None
        if not isinstance(data, dict):
            raise MatrixUnavailable(f"matrix service at {self.base_url}: answer is not an object")
        return data
