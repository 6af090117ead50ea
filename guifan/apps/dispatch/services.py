"""Plan a service area's day on the optimizer (DSP-01, DSP-02, DSP-05).

The database rows become a pure ``optimize.Problem``; visits already dispatched stay with
their technician at their planned time (they only occupy it); the new assignments go through
``visit_assign``, which checks certification and arms the 30-minute notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import AppointmentStatus, Status
from guifan.apps.orders.models import Appointment
from guifan.apps.orders.services import visit_assign
from guifan.apps.orders.services.records import event_record, order_lock, verdict_record
from guifan.apps.workforce.models import Certification, ServiceArea, Shift
from guifan.apps.workforce.models import Technician as TechnicianRow
from guifan.clock import ZONE, local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, ValidationFailed
from guifan.norms import Verdict
from guifan.optimize.matrix import HaversineProvider, MatrixProvider, OsrmTableProvider, Point
from guifan.optimize.params import DispatchParams
from guifan.optimize.problem import Break, Job, Problem, Technician, Tier
from guifan.optimize.result import Plan
from guifan.optimize.solve import solve

SERVICE_MINUTES = {"install": 75, "move": 90, "repair": 45, "care": 60}
IN_PROGRESS = (Status.EN_ROUTE, Status.ON_SITE)


def matrix_provider(area: ServiceArea) -> MatrixProvider:
    """Road times from the OSRM-compatible service in ``GUIFAN_OSRM_URL`` (an intranet
    server), falling back to great-circle times at the area's speed when it is unset or down."""
    haversine = HaversineProvider(road_factor=max(1.0, area.road_factor), speed_kmh=area.speed_kmh)
    url = getattr(settings, "GUIFAN_OSRM_URL", "")
    if not url:
        return haversine
    return OsrmTableProvider(base_url=url, fallback=haversine)


def service_minutes(work_type: str) -> int:
    return SERVICE_MINUTES.get(work_type.rsplit("_", 1)[-1], 60)


@dataclass(frozen=True, slots=True)
class PlanResult:
    assigned: int
    unassigned: list[tuple[int, str]]


def _minutes(at: dt.datetime, day: dt.date) -> int:
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=ZONE)
    return int((at - midnight).total_seconds() // 60)


def _at(minutes: int, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZONE) + dt.timedelta(minutes=minutes)


def _problem(
    area: ServiceArea, day: dt.date, now: dt.datetime
) -> tuple[Problem, dict[str, Appointment]]:
    now_min = _minutes(now, day) if local(now).date() == day else 0
    appts = list(
        Appointment.objects.filter(order__area=area, date=day, status=AppointmentStatus.ACTIVE)
        .select_related("order__address")
        .order_by("window_start", "id")
    )
    points = {}
    busy: dict[int, tuple[str, int]] = {}  # technician -> (where, free from) for visits under way
    jobs: list[Job] = []
    todo: dict[str, Appointment] = {}
    for a in appts:
        loc = f"A{a.id}"
        points[loc] = Point(loc, a.order.address.lat, a.order.address.lon)
        start, end = _minutes(a.window_start, day), _minutes(a.window_end, day)
        minutes = service_minutes(a.order.work_type)
        if a.order.status in IN_PROGRESS and a.technician_id:
            planned = a.planned_arrival or a.window_start
            busy[a.technician_id] = (
                loc,
                max(now_min, _minutes(max(planned, a.window_start), day) + minutes),
            )
        elif a.order.status == Status.DISPATCHED and a.technician_id and a.planned_arrival:
            fixed = max(_minutes(a.planned_arrival, day), start)
            if fixed >= now_min:  # keeps its technician and time; it only occupies them
                jobs.append(
                    Job(
                        loc,
                        loc,
                        (fixed, fixed),
                        minutes,
                        a.order.work_type,
                        Tier(a.order.tier),
                        f"T{a.technician_id}",
                    )
                )
        elif a.order.status == Status.SCHEDULED and a.technician_id is None and end >= now_min:
            jobs.append(
                Job(
                    loc,
                    loc,
                    (max(start, now_min), end),
                    minutes,
                    a.order.work_type,
                    Tier(a.order.tier),
                )
            )
            todo[loc] = a
    techs = _technicians(area, day, now_min, busy, points)
    provider = matrix_provider(area)
    travel = (
        provider.matrix(list(points.values()))
        if points
        else provider.matrix([Point("none", area.lat, area.lon)])
    )
    return Problem(day.isoformat(), tuple(techs), tuple(jobs), travel), todo


def _technicians(
    area: ServiceArea,
    day: dt.date,
    now_min: int,
    busy: dict[int, tuple[str, int]],
    points: dict[str, Point],
) -> list[Technician]:
    skills: dict[int, set[str]] = {}
    for tech_id, wt in Certification.objects.filter(
        technician__area=area, valid_until__gte=day
    ).values_list("technician_id", "work_type"):
        skills.setdefault(tech_id, set()).add(wt)
    techs = []
    shifts = Shift.objects.filter(
        date=day, technician__area=area, technician__active=True
    ).select_related("technician")
    for shift in shifts.order_by("technician_id"):
        t = shift.technician
        home = f"H{t.id}"
        points[home] = Point(home, t.home_lat, t.home_lon)
        start_loc, start = busy.get(
            t.id, (home, _minutes(dt.datetime.combine(day, shift.start, tzinfo=ZONE), day))
        )
        end = _minutes(dt.datetime.combine(day, shift.end, tzinfo=ZONE), day)
        start = max(start, now_min)
        if start >= end:
            continue
        brk = None
        if shift.break_minutes and shift.break_start and shift.break_end:
            b0 = _minutes(dt.datetime.combine(day, shift.break_start, tzinfo=ZONE), day)
            b1 = _minutes(dt.datetime.combine(day, shift.break_end, tzinfo=ZONE), day)
            brk = Break(b0, b1, shift.break_minutes) if b1 >= start else None
        techs.append(
            Technician(
                f"T{t.id}",
                start_loc,
                home,
                (start, end),
                frozenset(skills.get(t.id, ())),
                t.max_jobs,
                brk,
            )
        )
    return techs


def dispatch_plan(
    *, area_code: str, day: dt.date, now: dt.datetime, by: User | None, time_limit: float = 5.0
) -> PlanResult:
    """Assign every unassigned active appointment of the area's day; keep the dispatched ones.

    VROOM's plan alone is used (``improve=False``): deterministic for the same rows, which
    the simulated day needs; the PyVRP improvement is for the benchmarked solver runs.
    """
    area = ServiceArea.objects.get(code=area_code)
    ns = norms_snapshot()
    problem, todo = _problem(area, day, now)
    if not todo:
        return PlanResult(0, [])
    params = DispatchParams.from_norms(ns)
    params = DispatchParams(params.timing, params.tier_weights, exploration=None, improve=False)
    plan = solve(problem, params=params, time_limit=time_limit, seed=0)
    return _apply(plan, todo, day, now=now, by=by, params=params)


def _apply(
    plan: Plan,
    todo: dict[str, Appointment],
    day: dt.date,
    *,
    now: dt.datetime,
    by: User | None,
    params: DispatchParams,
) -> PlanResult:
    assigned = 0
    early_min, early_max = params.timing.early_min, params.timing.early_max
    weights = {t.value: w for t, w in params.tier_weights}
    placed_weights: list[int] = []
    for route in plan.routes:
        for stop in route.stops:
            a = todo.get(stop.job)
            if a is None:
                continue
            tech_id = int(route.technician[1:])
            visit_assign(
                order_id=a.order_id,
                technician_id=tech_id,
                planned_arrival=_at(stop.arrive, day),
                planned_departure=_at(stop.depart, day),
                by=by,
            )
            early = _minutes(a.window_start, day) - stop.arrive
            if early_min <= early <= early_max:
                v = Verdict.keep("DSP-02", f"提前 {early} 分钟到达")
            elif stop.start > _minutes(a.window_start, day):
                v = None  # the route does not allow an earlier arrival: the norm does not apply
            else:
                v = Verdict.broke(
                    "DSP-02", f"提前 {early} 分钟到达,应为 {early_min}–{early_max} 分钟"
                )
            if v is not None:
                verdict_record(a.order, v, at=now, by=by)
            placed_weights.append(weights[a.order.tier])
            assigned += 1
    unassigned = []
    for u in plan.unassigned:
        a = todo.get(u.job)
        if a is None:
            continue
        unassigned.append((a.order_id, u.reason))
        event_record(a.order, action="unassigned", at=now, by=by, reason=u.reason[:200])
        if u.code == "capacity":
            lower = any(w < weights[a.order.tier] for w in placed_weights)
            v = (
                Verdict.broke("DSP-01", "较低等级客户被优先安排")
                if lower
                else Verdict.keep("DSP-01", "运力不足时按等级取舍")
            )
            verdict_record(a.order, v, at=now, by=by)
    return PlanResult(assigned, unassigned)


def _drive_minutes(area: ServiceArea, a: tuple[float, float], b: tuple[float, float]) -> int:
    provider = matrix_provider(area)
    return provider.matrix([Point("a", *a), Point("b", *b)]).travel("a", "b")


@transaction.atomic
def visit_reassign(
    *,
    appointment_id: int,
    technician_id: int,
    arrival: dt.time,
    expected_version: int,
    by: User | None,
) -> Appointment:
    """The dispatcher moves a not-yet-started visit to a technician and arrival time.

    The order's ``version`` must still be the one the dispatcher saw (a stale board is
    refused, not overwritten). The departure is planned from the technician's previous stop
    that day (or home) at the area's road speed; ``visit_assign`` checks DSP-05.
    """
    appt = (
        Appointment.objects.select_related("order__address", "order__area")
        .filter(id=appointment_id)
        .first()
    )
    if appt is None:
        raise NotFound(
            "appointment.not_found", f"预约 {appointment_id} 不存在", field="appointment"
        )
    order = order_lock(appt.order_id)
    if order.version != expected_version:
        raise Conflict(
            "order.stale",
            f"工单 {order.number} 已被他人修改(当前版本 {order.version}),请刷新后再操作",
            field="version",
        )
    if appt.status != AppointmentStatus.ACTIVE or order.status not in (
        Status.SCHEDULED,
        Status.DISPATCHED,
    ):
        raise Conflict(
            "visit.started",
            f"工单 {order.number} 当前状态为 {order.get_status_display()},不能改派",
            field="technician_id",
        )
    at = dt.datetime.combine(appt.date, arrival, tzinfo=ZONE)
    if at > appt.window_end:
        raise ValidationFailed(
            "visit.arrival_late",
            f"到达时间 {arrival:%H:%M} 晚于预约时间窗结束 {local(appt.window_end):%H:%M}",
            field="arrival",
        )
    if at < clock_now():
        raise ValidationFailed(
            "visit.arrival_past", f"到达时间 {arrival:%H:%M} 已过", field="arrival"
        )
    tech = TechnicianRow.objects.filter(id=technician_id).first()
    if tech is None:
        raise NotFound(
            "technician.not_found", f"装维人员 {technician_id} 不存在", field="technician_id"
        )
    before = (
        Appointment.objects.filter(
            technician=tech,
            date=appt.date,
            status=AppointmentStatus.ACTIVE,
            planned_arrival__lt=at,
        )
        .exclude(id=appt.id)
        .select_related("order__address")
        .order_by("-planned_arrival")
        .first()
    )
    origin = (
        (before.order.address.lat, before.order.address.lon)
        if before is not None
        else (tech.home_lat, tech.home_lon)
    )
    drive = _drive_minutes(order.area, origin, (order.address.lat, order.address.lon))
    return visit_assign(
        order_id=order.id,
        technician_id=tech.id,
        planned_arrival=at,
        planned_departure=at - dt.timedelta(minutes=drive),
        by=by,
    )
