"""Re-plan the rest of an area's day (DSP-03, DSP-04, DSP-05) on ``optimize.replan``.

The plan in force is read back from the appointments (technician, planned departure and
arrival); visits under way stay with their technician until their expected end; absent
technicians' visits must move. Moves go through ``visit_assign`` (certification, notices);
predicted late visits get a DSP-04 call-ahead prompt; proposals name what to do with each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.dispatch.services import (
    _at,
    _minutes,
    _technicians,
    matrix_provider,
    service_minutes,
)
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import AppointmentStatus, Status
from guifan.apps.orders.models import Appointment
from guifan.apps.orders.services import visit_assign
from guifan.apps.orders.services.records import event_record
from guifan.apps.workforce.models import ServiceArea
from guifan.apps.workforce.models import Technician as TechnicianRow
from guifan.errors import NotFound
from guifan.optimize.matrix import Point
from guifan.optimize.params import DispatchParams
from guifan.optimize.problem import Job, Problem, Tier
from guifan.optimize.replan import ReplanParams, Started, replan
from guifan.optimize.result import Plan, Route, Stop

PLANNED = (Status.SCHEDULED, Status.DISPATCHED)
UNDER_WAY = (Status.EN_ROUTE, Status.ON_SITE)


@dataclass(frozen=True, slots=True)
class ReplanOutcome:
    moved: int
    churn: int
    calls: list[tuple[str, str, bool]]  # order number, call by HH:MM, overdue
    proposals: list[tuple[str, str, str]]  # order number, action, technician badge or ""


def _previous(
    appts: list[Appointment], day: dt.date, minutes: dict[int, int]
) -> tuple[Plan, dict[str, int]]:
    routes: dict[int, list[Stop]] = {}
    for a in appts:
        if a.technician_id is None or a.planned_arrival is None:
            continue
        arrive = _minutes(a.planned_arrival, day)
        depart = _minutes(a.planned_departure, day) if a.planned_departure else arrive
        start = max(arrive, _minutes(a.window_start, day))
        routes.setdefault(a.technician_id, []).append(
            Stop(f"A{a.id}", depart, arrive, start, start + minutes[a.id])
        )
    plan = Plan(
        tuple(
            Route(f"T{t}", tuple(sorted(stops, key=lambda s: s.arrive)), None, stops[-1].end)
            for t, stops in sorted(routes.items())
        ),
        (),
        0.0,
    )
    return plan, {f"T{t}": t for t in routes}


@transaction.atomic
def dispatch_replan(
    *,
    area_code: str,
    day: dt.date,
    now: dt.datetime,
    by: User | None,
    absent: frozenset[int] = frozenset(),
    time_limit: float = 4.0,
) -> ReplanOutcome:
    area = ServiceArea.objects.filter(code=area_code).first()
    if area is None:
        raise NotFound("area.not_found", f"服务片区 {area_code!r} 不存在", field="area")
    now_min = _minutes(now, day)
    appts = list(
        Appointment.objects.filter(
            order__area=area,
            date=day,
            status=AppointmentStatus.ACTIVE,
            order__status__in=(*PLANNED, *UNDER_WAY),
        )
        .select_related("order__address")
        .order_by("window_start", "id")
    )
    minutes = {a.id: service_minutes(a.order.work_type) for a in appts}
    points = {
        f"A{a.id}": Point(f"A{a.id}", a.order.address.lat, a.order.address.lon) for a in appts
    }
    jobs, started = [], []
    for a in appts:
        loc = f"A{a.id}"
        window = (_minutes(a.window_start, day), _minutes(a.window_end, day))
        if a.order.status in UNDER_WAY and a.technician_id:
            begun = a.arrived_at or a.planned_arrival or a.window_start
            end = max(now_min, _minutes(max(begun, a.window_start), day) + minutes[a.id])
            started.append(Started(loc, f"T{a.technician_id}", end))
            tech = f"T{a.technician_id}"
        else:
            tech = None
        jobs.append(
            Job(loc, loc, window, minutes[a.id], a.order.work_type, Tier(a.order.tier), tech)
        )
    techs = _technicians(area, day, 0, {}, points)
    travel = matrix_provider(area).matrix(
        list(points.values()) or [Point("none", area.lat, area.lon)]
    )
    problem = Problem(day.isoformat(), tuple(techs), tuple(jobs), travel)
    previous, _ = _previous(appts, day, minutes)
    ns = norms_snapshot()
    base = DispatchParams.from_norms(ns)
    # VROOM's plan alone, as in dispatch_plan: the same rows give the same re-plan.
    params = ReplanParams(
        DispatchParams(base.timing, base.tier_weights, exploration=None, improve=False),
        ns.minutes("DSP-04", "late_call_lead_minutes"),
    )
    result = replan(
        problem,
        previous,
        now=now_min,
        params=params,
        started=started,
        ill=frozenset(f"T{t}" for t in absent),
        time_limit=time_limit,
        seed=0,
    )
    by_loc = {f"A{a.id}": a for a in appts}
    under_way = {s.job for s in started}
    moved = 0
    for route in result.plan.routes:
        tech_id = int(route.technician[1:])
        for stop in route.stops:
            a = by_loc[stop.job]
            if stop.job in under_way:
                continue
            same_tech = a.technician_id == tech_id
            same_time = (
                a.planned_arrival is not None and _minutes(a.planned_arrival, day) == stop.arrive
            )
            if same_tech and same_time:
                continue
            visit_assign(
                order_id=a.order_id,
                technician_id=tech_id,
                planned_arrival=_at(stop.arrive, day),
                planned_departure=_at(stop.depart, day),
                by=by,
            )
            moved += 1
    calls = []
    for c in result.call_ahead:
        a = by_loc[c.job]
        by_when = f"{c.due // 60:02d}:{c.due % 60:02d}"
        event_record(
            a.order,
            action="late_risk",
            at=now,
            by=by,
            reason=f"重新排程预计迟到:请在 {by_when} 前致电客户 (DSP-04)",
            detail={"due": by_when, "overdue": c.overdue},
        )
        calls.append((a.order.number, by_when, c.overdue))
    badges = dict(TechnicianRow.objects.filter(area=area).values_list("id", "badge_no"))
    proposals: list[tuple[str, str, str]] = []
    for p in result.proposals:
        who = badges.get(int(p.technician[1:]), "") if p.technician else ""
        proposals.append((by_loc[p.job].order.number, p.action, who))
    return ReplanOutcome(moved, result.churn, calls, proposals)
