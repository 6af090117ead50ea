"""Rows → ``optimize.Problem``: the one adapter from an area's day in the database to the solver.

The day plan (``dispatch_plan``) and the re-plan (``dispatch_replan``) both read the day with
:func:`day_rows` and build their problem here, so they agree on every row: which visits are
open, pinned or under way, when a technician is free, and when a visit under way ends
(:func:`under_way_end`). :func:`day_rows` only reads the database; building a problem asks
the road-time service (``GUIFAN_OSRM_URL``), so callers build it outside any transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from guifan.apps.orders.choices import AppointmentStatus, Status
from guifan.apps.orders.models import Appointment
from guifan.apps.orders.services.assign_checks import service_minutes
from guifan.apps.workforce.models import Certification, ServiceArea, Shift
from guifan.clock import ZONE, local
from guifan.optimize.matrix import HaversineProvider, MatrixProvider, OsrmTableProvider, Point
from guifan.optimize.problem import Break, Job, Problem, Technician, Tier, TravelMatrix
from guifan.optimize.replan import Started

PLANNED = (Status.SCHEDULED, Status.DISPATCHED)
UNDER_WAY = (Status.EN_ROUTE, Status.ON_SITE)


def matrix_provider(area: ServiceArea) -> MatrixProvider:
    """Road times from the OSRM-compatible service in ``GUIFAN_OSRM_URL`` (an intranet
    server), falling back to great-circle times at the area's speed when it is unset or down."""
    haversine = HaversineProvider(road_factor=max(1.0, area.road_factor), speed_kmh=area.speed_kmh)
    url = getattr(settings, "GUIFAN_OSRM_URL", "")
    if not url:
        return haversine
    return OsrmTableProvider(base_url=url, fallback=haversine)


def day_minute(at: dt.datetime, day: dt.date) -> int:
    """Minutes after local midnight of ``day`` (the solver's clock)."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=ZONE)
    return int((at - midnight).total_seconds() // 60)


def day_instant(minute: int, day: dt.date) -> dt.datetime:
    """The instant ``minute`` minutes after local midnight of ``day``."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZONE) + dt.timedelta(minutes=minute)


def now_minute(now: dt.datetime, day: dt.date) -> int:
    """Now on the day's clock; a day planned ahead starts at its midnight."""
    return day_minute(now, day) if local(now).date() == day else 0


def job_id(appt: Appointment) -> str:
    return f"A{appt.id}"


def tech_id(technician_id: int) -> str:
    return f"T{technician_id}"


@dataclass(frozen=True, slots=True)
class DayRows:
    """An area's day as read from the database: active appointments (and those of visits on
    site), shifts, certifications."""

    area: ServiceArea
    day: dt.date
    appointments: tuple[Appointment, ...]  # with order, area and address; window order
    shifts: tuple[Shift, ...]  # with technician; technician order
    skills: dict[int, frozenset[str]]  # technician id -> work types certified on the day


def day_rows(area: ServiceArea, day: dt.date) -> DayRows:
    """Read the day (no locks, no network): plan and re-plan build their problem from this."""
    # An arrival closes the appointment (DONE) while the technician is still on site.
    on_site = Q(status=AppointmentStatus.DONE, order__status=Status.ON_SITE)
    appts = (
        Appointment.objects.filter(Q(status=AppointmentStatus.ACTIVE) | on_site)
        .filter(order__area=area, date=day)
        .select_related("order__address", "order__area")
        .order_by("window_start", "id")
    )
    shifts = (
        Shift.objects.filter(date=day, technician__area=area, technician__active=True)
        .select_related("technician")
        .order_by("technician_id")
    )
    skills: dict[int, set[str]] = {}
    for tech, work_type in Certification.objects.filter(
        technician__area=area, valid_until__gte=day
    ).values_list("technician_id", "work_type"):
        skills.setdefault(tech, set()).add(work_type)
    return DayRows(
        area,
        day,
        tuple(appts),
        tuple(shifts),
        {t: frozenset(s) for t, s in skills.items()},
    )


def under_way_end(appt: Appointment, day: dt.date, now_min: int) -> int:
    """When a visit under way ends: its service starts at its arrival (the recorded one, else
    the planned one, else the window start), never before its window opens (as the solver and
    the board plan it), and lasts its service minutes; or now, if that is later."""
    arrival = appt.arrived_at or appt.planned_arrival or appt.window_start
    start = day_minute(max(arrival, appt.window_start), day)
    return max(now_min, start + service_minutes(appt.order.work_type))


@dataclass(frozen=True, slots=True)
class DayProblem:
    """A problem with the rows behind its jobs and the order versions they were read at."""

    problem: Problem
    visits: dict[str, Appointment]  # job id -> appointment
    open: frozenset[str]  # jobs for the solver to place (the plan's unassigned visits)
    started: tuple[Started, ...]  # visits under way, fixed to their technician until they end
    now: int

    def version(self, job: str) -> int:
        """The order's version when the rows were read (apply refuses a changed order)."""
        return self.visits[job].order.version


def _job(a: Appointment, window: tuple[int, int], technician: str | None = None) -> Job:
    return Job(
        job_id(a),
        job_id(a),
        window,
        service_minutes(a.order.work_type),
        a.order.work_type,
        Tier(a.order.tier),
        technician,
    )


def _window(a: Appointment, day: dt.date) -> tuple[int, int]:
    return day_minute(a.window_start, day), day_minute(a.window_end, day)


def _under_way(rows: DayRows, now_min: int) -> dict[int, Started]:
    """Technician id -> the visit they are on (or driving to) and when it ends."""
    return {
        a.technician_id: Started(
            job_id(a), tech_id(a.technician_id), under_way_end(a, rows.day, now_min)
        )
        for a in rows.appointments
        if a.order.status in UNDER_WAY and a.technician_id is not None
    }


def _technicians(rows: DayRows, now_min: int, busy: dict[int, Started]) -> list[Technician]:
    """Each technician on shift from home (or from a visit under way, free at its end)."""
    day = rows.day
    techs = []
    for shift in rows.shifts:
        t = shift.technician
        home = f"H{t.id}"
        start_loc, start = home, day_minute(dt.datetime.combine(day, shift.start, tzinfo=ZONE), day)
        if t.id in busy:
            start_loc, start = busy[t.id].job, busy[t.id].expected_end
        end = day_minute(dt.datetime.combine(day, shift.end, tzinfo=ZONE), day)
        start = max(start, now_min)
        if start >= end:
            continue
        brk = None
        if shift.break_minutes and shift.break_start and shift.break_end:
            b0 = day_minute(dt.datetime.combine(day, shift.break_start, tzinfo=ZONE), day)
            b1 = day_minute(dt.datetime.combine(day, shift.break_end, tzinfo=ZONE), day)
            brk = Break(b0, b1, shift.break_minutes) if b1 >= start else None
        techs.append(
            Technician(
                tech_id(t.id),
                start_loc,
                home,
                (start, end),
                rows.skills.get(t.id, frozenset()),
                t.max_jobs,
                brk,
            )
        )
    return techs


def _travel(rows: DayRows, visits: dict[str, Appointment]) -> TravelMatrix:
    """Times between the visits and the technicians' homes (may ask the road-time service)."""
    points = [Point(job, a.order.address.lat, a.order.address.lon) for job, a in visits.items()]
    points += [
        Point(f"H{s.technician.id}", s.technician.home_lat, s.technician.home_lon)
        for s in rows.shifts
    ]
    area = rows.area
    return matrix_provider(area).matrix(points or [Point("none", area.lat, area.lon)])


def plan_problem(rows: DayRows, now: dt.datetime) -> DayProblem:
    """The day plan: open visits to place; dispatched ones keep technician and time (they only
    occupy them); a technician on a visit under way starts there when it ends."""
    day, now_min = rows.day, now_minute(now, rows.day)
    busy = _under_way(rows, now_min)
    jobs: list[Job] = []
    visits: dict[str, Appointment] = {}
    todo: set[str] = set()
    for a in rows.appointments:
        start, end = _window(a, day)
        if a.order.status in UNDER_WAY and a.technician_id:
            visits[job_id(a)] = a  # where its technician starts from
        elif a.order.status == Status.DISPATCHED and a.technician_id and a.planned_arrival:
            fixed = max(day_minute(a.planned_arrival, day), start)
            if fixed >= now_min:
                jobs.append(_job(a, (fixed, fixed), tech_id(a.technician_id)))
                visits[job_id(a)] = a
        elif a.order.status == Status.SCHEDULED and a.technician_id is None and end >= now_min:
            jobs.append(_job(a, (max(start, now_min), end)))
            visits[job_id(a)] = a
            todo.add(job_id(a))
    techs = _technicians(rows, now_min, busy)
    problem = Problem(day.isoformat(), tuple(techs), tuple(jobs), _travel(rows, visits))
    return DayProblem(problem, visits, frozenset(todo), tuple(busy.values()), now_min)


def replan_problem(rows: DayRows, now: dt.datetime) -> DayProblem:
    """The re-plan: every planned or under-way visit is a job; those under way stay with their
    technician until they end (``started``); technicians' days run from their shift start."""
    day, now_min = rows.day, now_minute(now, rows.day)
    busy = _under_way(rows, now_min)
    jobs: list[Job] = []
    visits: dict[str, Appointment] = {}
    for a in rows.appointments:
        if a.order.status not in (*PLANNED, *UNDER_WAY):
            continue
        pinned = None
        if a.order.status in UNDER_WAY and a.technician_id is not None:
            pinned = tech_id(a.technician_id)
        jobs.append(_job(a, _window(a, day), pinned))
        visits[job_id(a)] = a
    techs = _technicians(rows, 0, {})
    problem = Problem(day.isoformat(), tuple(techs), tuple(jobs), _travel(rows, visits))
    return DayProblem(problem, visits, frozenset(), tuple(busy.values()), now_min)
