"""Plan a service area's day: who goes where and when (DSP-01, DSP-02, DSP-05).

Until the optimizer of issue 4 is wired in, a tier-first earliest-arrival construction
assigns each appointment; already-dispatched visits stay where they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from guifan.apps.accounts.models import User
from guifan.apps.dispatch.travel import travel_minutes
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import AppointmentStatus, Status
from guifan.apps.orders.models import Appointment
from guifan.apps.orders.services import visit_assign
from guifan.apps.orders.services._common import event_record
from guifan.apps.workforce.models import Certification, ServiceArea, Shift, Technician
from guifan.clock import at_local

TIER_RANK = {"diamond": 0, "gold": 1, "silver": 2, "normal": 3}
SERVICE_MINUTES = {"install": 75, "move": 90, "repair": 45, "care": 60}


def service_minutes(work_type: str) -> int:
    return SERVICE_MINUTES.get(work_type.rsplit("_", 1)[-1], 60)


@dataclass(slots=True)
class _Route:
    tech: Technician
    shift_end: dt.datetime
    free_at: dt.datetime
    at: tuple[float, float]
    jobs: int
    work_types: set[str]


@dataclass(frozen=True, slots=True)
class PlanResult:
    assigned: int
    unassigned: list[tuple[int, str]]


def _routes(area: ServiceArea, day: dt.date, now: dt.datetime) -> dict[int, _Route]:
    routes: dict[int, _Route] = {}
    shifts = Shift.objects.filter(
        date=day, technician__area=area, technician__active=True
    ).select_related("technician")
    certs: dict[int, set[str]] = {}
    for tech_id, wt in Certification.objects.filter(
        technician__area=area, valid_until__gte=day
    ).values_list("technician_id", "work_type"):
        certs.setdefault(tech_id, set()).add(wt)
    for shift in shifts:
        t = shift.technician
        start = max(at_local(day, shift.start), now)
        routes[t.id] = _Route(
            t, at_local(day, shift.end), start, (t.home_lat, t.home_lon), 0, certs.get(t.id, set())
        )
    return routes


def dispatch_plan(*, area_code: str, day: dt.date, now: dt.datetime, by: User | None) -> PlanResult:
    """Assign every unassigned active appointment of the area's day; keep assigned ones."""
    area = ServiceArea.objects.get(code=area_code)
    ns = norms_snapshot()
    early = (
        ns.minutes("DSP-02", "early_min_minutes") + ns.minutes("DSP-02", "early_max_minutes")
    ) // 2
    routes = _routes(area, day, now)
    appts = list(
        Appointment.objects.filter(order__area=area, date=day, status=AppointmentStatus.ACTIVE)
        .select_related("order__address")
        .order_by("window_start")
    )
    for a in appts:  # visits already planned occupy their technician
        if a.technician_id in routes and a.planned_arrival is not None:
            r = routes[a.technician_id]
            end = max(a.planned_arrival, a.window_start) + dt.timedelta(
                minutes=service_minutes(a.order.work_type)
            )
            r.free_at, r.jobs = max(r.free_at, end), r.jobs + 1
            r.at = (a.order.address.lat, a.order.address.lon)
    todo = [a for a in appts if a.technician_id is None and a.order.status == Status.SCHEDULED]
    todo.sort(key=lambda a: (TIER_RANK.get(a.order.tier, 9), a.window_start))
    assigned, unassigned = 0, []
    for a in todo:
        best = _best_route(a, routes.values(), area, early)
        if best is None:
            unassigned.append((a.order_id, "no certified technician can reach the window"))
            event_record(a.order, action="unassigned", at=now, by=by, reason="无可用持证装维人员")
            continue
        route, depart, arrive = best
        visit_assign(
            order_id=a.order_id,
            technician_id=route.tech.id,
            planned_arrival=arrive,
            planned_departure=depart,
            by=by,
        )
        route.free_at = max(arrive, a.window_start) + dt.timedelta(
            minutes=service_minutes(a.order.work_type)
        )
        route.at, route.jobs = (a.order.address.lat, a.order.address.lon), route.jobs + 1
        assigned += 1
    return PlanResult(assigned, unassigned)


def _best_route(
    a: Appointment, routes: Iterable[_Route], area: ServiceArea, early: int
) -> tuple[_Route, dt.datetime, dt.datetime] | None:
    best: tuple[dt.timedelta, _Route, dt.datetime, dt.datetime] | None = None
    target = (a.order.address.lat, a.order.address.lon)
    minutes = service_minutes(a.order.work_type)
    for r in routes:
        if a.order.work_type not in r.work_types or r.jobs >= r.tech.max_jobs:
            continue
        travel = dt.timedelta(
            minutes=travel_minutes(
                r.at, target, road_factor=area.road_factor, speed_kmh=area.speed_kmh
            )
        )
        arrive = max(a.window_start - dt.timedelta(minutes=early), r.free_at + travel)
        start = max(arrive, a.window_start)
        if start > a.window_end or start + dt.timedelta(minutes=minutes) > r.shift_end:
            continue
        score = (arrive - a.window_start) + travel
        if best is None or score < best[0]:
            best = (score, r, arrive - travel, arrive)
    return None if best is None else (best[1], best[2], best[3])
