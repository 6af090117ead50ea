"""Halls above the hall: regions, who oversees them, and each hall's day at a glance (issue 15).

A hall belongs to at most one ``Region``. A regional duty manager (role duty manager with a
``RegionPost``) sees every hall of the region and only those: another region, or a hall of
another region, is a 404 as if it did not exist. Administrators, integrations and the worker
see every region (``acts_everywhere``). A hall's own duty manager still sees their own hall
(``hall.access``) whether or not they also hold a region post.

``region_summary`` reads, per hall of the region and over the last ``days`` days: the waits
from ticket to start of service per class against HAL-02 (kept share, p90), peak alerts
(HAL-03), the counters open now, and the customers' ratings against the wait.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.access import hall_may
from guifan.apps.hall.classes import ticket_class
from guifan.apps.hall.models import (
    Counter,
    CounterStatus,
    Hall,
    HallAlert,
    HallRating,
    Region,
    Ticket,
    TicketStatus,
)
from guifan.apps.norms.selectors import norms_snapshot
from guifan.apps.workforce.access import acts_everywhere
from guifan.clock import at_local, local
from guifan.errors import NotFound, ValidationFailed
from guifan.staffing.policy import CLASSES, targets_from_norms

MAX_DAYS = 92
# Wait bands (minutes) for satisfaction against wait: [low, high).
WAIT_BANDS: tuple[tuple[int, int | None], ...] = ((0, 10), (10, 20), (20, 30), (30, None))


def regions_seen(by: User | None) -> QuerySet[Region]:
    """The regions ``by`` oversees: all for administrators, integrations and the worker; a
    duty manager's region post; none for anyone else."""
    if acts_everywhere(by):
        return Region.objects.all()
    assert by is not None
    if by.role != Role.DUTY_MANAGER:
        return Region.objects.none()
    return Region.objects.filter(posts__user=by)


def region_for(*, by: User | None, code: str | None = None) -> Region | None:
    """The region ``code`` if ``by`` oversees it (404 otherwise); without a code the first
    region ``by`` oversees, or None when there is none."""
    seen = regions_seen(by).order_by("code")
    if not code:
        return seen.first()
    region = seen.filter(code=code).first()
    if region is None:
        raise NotFound(
            "region.not_found", f"region：片区 {code} 不存在或不归您管辖", field="region"
        )
    return region


def region_hall_for(*, by: User | None, code: str) -> Hall:
    """Hall ``code`` if it lies in a region ``by`` oversees, or is ``by``'s own hall; else 404."""
    hall = Hall.objects.select_related("region").filter(code=code).first()
    if hall is not None and (
        (hall.region_id is not None and regions_seen(by).filter(id=hall.region_id).exists())
        or (by is not None and by.role == Role.DUTY_MANAGER and hall_may(hall.id, by=by))
    ):
        return hall
    raise NotFound("hall.not_found", f"hall：营业厅 {code} 不存在或不在您的片区", field="hall")


def region_halls(region: Region) -> list[Hall]:
    return list(Hall.objects.filter(region=region).order_by("code"))


def region_hall_codes(code: str) -> list[str]:
    """The codes of region ``code``'s halls (for ``guifan hall advise --region``); 404 or 422
    naming ``region`` for an unknown region or one without halls."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound("region.not_found", f"region: no region {code!r}", field="region")
    codes = [h.code for h in region_halls(region)]
    if not codes:
        raise ValidationFailed(
            "region.no_halls", f"region: region {code} has no hall", field="region"
        )
    return codes


def summary_days(raw: str | int | None, default: int = 7) -> int:
    """The ``days`` of a summary (1..MAX_DAYS); a 422 naming ``days`` otherwise."""
    if raw in (None, ""):
        return default
    try:
        days = int(str(raw))
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(
            "region.days", f"days：须为 1–{MAX_DAYS} 天，收到 {raw!r}", field="days"
        )
    return days


@dataclass(frozen=True, slots=True)
class ClassWaits:
    """Served tickets of one class over the period against the HAL-02 target."""

    cls: str
    target_min: float
    served: int
    kept: int
    p90_min: float | None

    @property
    def kept_share(self) -> float | None:
        return self.kept / self.served if self.served else None

    @property
    def state(self) -> str:
        """ok (p90 within target), warn (p90 above target, most kept) or bad; none: no data."""
        if self.p90_min is None:
            return "none"
        if self.p90_min <= self.target_min:
            return "ok"
        return "warn" if (self.kept_share or 0) >= 0.8 else "bad"


@dataclass(frozen=True, slots=True)
class HallSummary:
    hall: Hall
    classes: tuple[ClassWaits, ...]
    tickets: int
    served: int
    mean_wait_min: float | None
    peaks: int
    peak_max: float | None  # the most waiting per open counter of any peak alert
    open_counters: int
    counters: int
    waiting_now: int
    ratings: int
    rating_mean: float | None
    ratings_by_band: tuple[tuple[str, int, float | None], ...]


def p90(values: list[float]) -> float | None:
    """The 90th percentile by nearest rank (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def band_of(wait_min: float) -> str:
    for low, high in WAIT_BANDS:
        if high is None or wait_min < high:
            return band_label(low, high)
    raise AssertionError("the last band is open")


def band_label(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}-{high}"


def region_summary(region: Region, *, days: int, now: dt.datetime) -> list[HallSummary]:
    """Every hall of ``region`` over the last ``days`` local days up to ``now``."""
    halls = region_halls(region)
    first = local(now).date() - dt.timedelta(days=days - 1)
    return halls_summary(halls, first=first, now=now)


def halls_summary(halls: list[Hall], *, first: dt.date, now: dt.datetime) -> list[HallSummary]:
    """Per hall: waits per class vs HAL-02, peaks, counters now, ratings vs wait (few queries)."""
    ids = [h.id for h in halls]
    targets = targets_from_norms(norms_snapshot())
    waits: dict[int, dict[str, list[float]]] = defaultdict(lambda: {c: [] for c in CLASSES})
    tickets: dict[int, int] = defaultdict(int)
    wait_of: dict[int, float] = {}
    rows = Ticket.objects.filter(hall_id__in=ids, day__gte=first, issued_at__lte=now).only(
        "hall_id", "issued_at", "started_at", "star_verified", "vulnerable", "transferred_from"
    )
    for t in rows.iterator(chunk_size=2000):
        tickets[t.hall_id] += 1
        # A transferred customer's wait was measured at the first ticket's start (HAL-02).
        if t.started_at is None or t.transferred_from_id is not None:
            continue
        waited = (t.started_at - t.issued_at).total_seconds() / 60
        waits[t.hall_id][ticket_class(t)].append(waited)
        wait_of[t.id] = waited
    since = at_local(first, "00:00")
    peaks: dict[int, list[float]] = defaultdict(list)
    for hall_id, detail in HallAlert.objects.filter(
        hall_id__in=ids, kind="peak", raised_at__gte=since, raised_at__lte=now
    ).values_list("hall_id", "detail"):
        peaks[hall_id].append(float(detail.get("per_counter") or 0))
    counters: dict[int, list[str]] = defaultdict(list)
    for hall_id, status in Counter.objects.filter(hall_id__in=ids).values_list("hall_id", "status"):
        counters[hall_id].append(status)
    waiting: dict[int, int] = defaultdict(int)
    for hall_id in Ticket.objects.filter(hall_id__in=ids, status=TicketStatus.WAITING).values_list(
        "hall_id", flat=True
    ):
        waiting[hall_id] += 1
    scores: dict[int, list[tuple[float | None, int]]] = defaultdict(list)
    for hall_id, ticket_id, score in HallRating.objects.filter(
        ticket__hall_id__in=ids, ticket__day__gte=first, at__lte=now
    ).values_list("ticket__hall_id", "ticket_id", "score"):
        scores[hall_id].append((wait_of.get(ticket_id), score))
    out = []
    for h in halls:
        per = waits[h.id]
        classes = tuple(
            ClassWaits(
                cls=c,
                target_min=targets[c],
                served=len(per[c]),
                kept=sum(1 for w in per[c] if w <= targets[c]),
                p90_min=None if p90(per[c]) is None else round(p90(per[c]) or 0.0, 1),
            )
            for c in CLASSES
        )
        every = [w for c in CLASSES for w in per[c]]
        rated = scores[h.id]
        out.append(
            HallSummary(
                hall=h,
                classes=classes,
                tickets=tickets[h.id],
                served=len(every),
                mean_wait_min=round(sum(every) / len(every), 1) if every else None,
                peaks=len(peaks[h.id]),
                peak_max=max(peaks[h.id]) if peaks[h.id] else None,
                open_counters=sum(1 for s in counters[h.id] if s == CounterStatus.OPEN),
                counters=len(counters[h.id]),
                waiting_now=waiting[h.id],
                ratings=len(rated),
                rating_mean=round(sum(s for _, s in rated) / len(rated), 2) if rated else None,
                ratings_by_band=ratings_by_band(rated),
            )
        )
    return out


def ratings_by_band(
    rated: list[tuple[float | None, int]],
) -> tuple[tuple[str, int, float | None], ...]:
    """(band, count, mean score) per wait band; ratings of tickets without a wait left out."""
    bands: dict[str, list[int]] = {band_label(lo, hi): [] for lo, hi in WAIT_BANDS}
    for wait, score in rated:
        if wait is not None:
            bands[band_of(wait)].append(score)
    return tuple(
        (band, len(s), round(sum(s) / len(s), 2) if s else None) for band, s in bands.items()
    )
