"""Which businesses a hall can handle (HAL-12), and the nearest hall that can, with its wait now.

The capability table is catalog data (``HAL-12.capabilities``: hall level → businesses); the
wait now at a hall is its waiting count × the typical service minutes ÷ its open counters
(today's finished services give the typical minutes when there are enough of them, else the
catalog's ``typical_service_minutes``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from guifan.apps.hall.models import Counter, CounterStatus, Hall, Ticket, TicketStatus
from guifan.apps.norms.selectors import norms_snapshot
from guifan.clock import local

TYPICAL_FROM = 10  # finished services today before their mean replaces the catalog value


def capability_table() -> dict[int, tuple[str, ...]]:
    raw = norms_snapshot().param("HAL-12", "capabilities")
    return {int(level): tuple(str(b) for b in names) for level, names in dict(raw).items()}


def businesses_known() -> list[str]:
    """Every business of the table, in the order the table first names it."""
    out: list[str] = []
    for _, names in sorted(capability_table().items(), key=lambda kv: -kv[0]):
        out.extend(n for n in names if n not in out)
    return out


def hall_can(hall: Hall, business: str) -> bool:
    return business in capability_table().get(hall.level, ())


def _typical_minutes(hall: Hall, now: dt.datetime) -> float:
    done = list(
        Ticket.objects.filter(
            hall=hall,
            day=local(now).date(),
            status=TicketStatus.DONE,
            started_at__isnull=False,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:50]
    )
    spans = [(f - s).total_seconds() for s, f in done if s is not None and f is not None]
    if len(spans) >= TYPICAL_FROM:
        return sum(spans) / 60 / len(spans)
    return float(norms_snapshot().param("HAL-12", "typical_service_minutes"))


def hall_wait_now(hall: Hall, now: dt.datetime) -> int:
    """The expected wait for a customer arriving now, in whole minutes."""
    waiting = Ticket.objects.filter(hall=hall, status=TicketStatus.WAITING).count()
    if waiting == 0:
        return 0
    open_counters = Counter.objects.filter(hall=hall, status=CounterStatus.OPEN).count()
    return math.ceil(waiting * _typical_minutes(hall, now) / max(open_counters, 1))


def distance_km(a: Hall, b: Hall) -> float | None:
    """Great-circle distance between two halls, or None when either has no location."""
    if a.lat is None or a.lng is None or b.lat is None or b.lng is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lng - a.lng)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * 6371.0 * math.asin(math.sqrt(h)), 1)


@dataclass(frozen=True, slots=True)
class CapableHall:
    hall: Hall
    distance_km: float | None
    wait_minutes: int


def capable_halls(hall: Hall, business: str, now: dt.datetime) -> list[CapableHall]:
    """Other halls that can handle ``business``, nearest first (halls without a location last)."""
    levels = [lvl for lvl, names in capability_table().items() if business in names]
    rows = [
        CapableHall(h, distance_km(hall, h), hall_wait_now(h, now))
        for h in Hall.objects.filter(level__in=levels).exclude(id=hall.id).order_by("code")
    ]
    return sorted(rows, key=lambda r: (r.distance_km is None, r.distance_km or 0.0, r.hall.code))
