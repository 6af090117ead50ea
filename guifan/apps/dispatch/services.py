"""Plan a service area's day on the optimizer (DSP-01, DSP-02, DSP-05).

The database rows become a pure ``optimize.Problem`` (``dispatch.problem``); visits already
dispatched stay with their technician at their planned time (they only occupy them). Rows
are read and the day solved outside any transaction (the road-time service and the solver
take seconds); the new assignments are then applied in one short transaction through
``visit_assign`` (certification, the 30-minute notice), skipping any order changed meanwhile
(``dispatch.apply``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.dispatch.apply import assign, lock_unchanged
from guifan.apps.dispatch.arealock import area_plan_lock
from guifan.apps.dispatch.checks import assign_confirmation_needed
from guifan.apps.dispatch.problem import (
    DayProblem,
    day_minute,
    day_rows,
    matrix_provider,
    plan_problem,
)
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act, order_may
from guifan.apps.orders.choices import AppointmentStatus, Status
from guifan.apps.orders.event_messages import ZH
from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.apps.orders.services import visit_assign
from guifan.apps.orders.services.records import event_record, order_lock, verdict_record
from guifan.apps.orders.services.visits import technician_certified
from guifan.apps.workforce.access import area_get_for
from guifan.apps.workforce.models import ServiceArea
from guifan.apps.workforce.models import Technician as TechnicianRow
from guifan.clock import ZONE, local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason
from guifan.optimize.matrix import Point
from guifan.optimize.params import DispatchParams
from guifan.optimize.result import Plan, Stop, Unassigned
from guifan.optimize.solve import solve
from guifan.optimize.tier_repair import room_for


@dataclass(frozen=True, slots=True)
class PlanResult:
    assigned: int
    unassigned: list[tuple[int, str]]  # order id, why the solver could not place it
    skipped: list[tuple[int, str]] = field(default_factory=list)  # order id, changed meanwhile
    numbers: dict[int, str] = field(default_factory=dict)  # order id → number, for display
    codes: dict[int, str] = field(default_factory=dict)  # order id → the solver's reason code

    @property
    def unplaced(self) -> list[tuple[str, str]]:
        """Each visit the solver could not place: its order number and why."""
        return [(self.numbers.get(o, str(o)), reason) for o, reason in self.unassigned]

    @property
    def unplaced_codes(self) -> list[tuple[str, str, str]]:
        """Each visit the solver could not place: its number, the reason's code (for a
        translated label) and the reason in Chinese (when the code has no label)."""
        return [
            (self.numbers.get(o, str(o)), self.codes.get(o, ""), reason)
            for o, reason in self.unassigned
        ]


# The solver's reasons (its CLI contract keeps them in English) as the dispatcher reads them.
# Each is the message ``unassigned.<code>`` (orders.event_messages; pages translate it).
REASONS = {k.removeprefix("unassigned."): v for k, v in ZH.items() if k.startswith("unassigned.")}


def unassigned_reason(u: Unassigned) -> str:
    return REASONS.get(u.code, u.reason)


def dispatch_plan(
    *, area_code: str, day: dt.date, now: dt.datetime, by: User | None, time_limit: float = 5.0
) -> PlanResult:
    """Assign every unassigned active appointment of the area's day; keep the dispatched ones.

    The repeatable plan is used (``improve=False``: PyVRP with seed 0 and a work budget, no
    clock; ADR 0018): the same rows give the same plan in any process on any machine, which
    the simulated day needs; the wall-clock improvement is for the benchmarked solver runs.
    While another plan or re-plan of the area runs, ``area.busy`` (409) is raised (ADR 0039).
    """
    area = area_get_for(by=by, code=area_code)
    # One plan of an area at a time, in any process: a second is refused (``area.busy``).
    with area_plan_lock(area):
        problem = plan_problem(day_rows(area, day), now)
        if not problem.open:
            return PlanResult(0, [])
        params = DispatchParams.from_norms(norms_snapshot())
        params = DispatchParams(params.timing, params.tier_weights, exploration=None, improve=False)
        plan = solve(problem.problem, params=params, time_limit=time_limit, seed=0)
        return _apply(plan, problem, day, now=now, by=by, params=params)


@transaction.atomic
def _apply(
    plan: Plan,
    problem: DayProblem,
    day: dt.date,
    *,
    now: dt.datetime,
    by: User | None,
    params: DispatchParams,
) -> PlanResult:
    placed = [
        (route.technician, stop)
        for route in plan.routes
        for stop in route.stops
        if stop.job in problem.open
    ]
    missed = [u for u in plan.unassigned if u.job in problem.open]
    unchanged, skipped = lock_unchanged(
        problem, [s.job for _, s in placed] + [u.job for u in missed]
    )
    assigned = 0
    for technician, stop in placed:
        if stop.job not in unchanged:
            continue
        a = problem.visits[stop.job]
        refused = assign(a, technician, stop, day, by=by)
        if refused:
            skipped.append((a, refused))
            continue
        _early_verdict(a, stop, day, params, now=now, by=by)
        assigned += 1
    unassigned, numbers, codes = [], {}, {}
    for u in missed:
        a = problem.visits[u.job]
        if u.job in unchanged:
            unassigned.append((a.order_id, unassigned_reason(u)))
            numbers[a.order_id] = a.order.number
            codes[a.order_id] = u.code
            _missed_verdict(a, u, problem, plan, params, now=now, by=by)
    return PlanResult(
        assigned,
        unassigned,
        [(a.order_id, reason) for a, reason in skipped],
        numbers,
        codes,
    )


def _early_verdict(
    a: Appointment,
    stop: Stop,
    day: dt.date,
    params: DispatchParams,
    *,
    now: dt.datetime,
    by: User | None,
) -> None:
    """DSP-02: the planned arrival leaves the early margin, unless the route cannot."""
    early_min, early_max = params.timing.early_min, params.timing.early_max
    early = day_minute(a.window_start, day) - stop.arrive
    if early_min <= early <= early_max:
        v = Verdict.keep("DSP-02", reason("dsp02.early", early=early))
    elif stop.start > day_minute(a.window_start, day):
        return  # the route does not allow an earlier arrival: the norm does not apply
    else:
        v = Verdict.broke(
            "DSP-02",
            reason("dsp02.early_off", early=early, early_min=early_min, early_max=early_max),
        )
    verdict_record(a.order, v, at=now, by=by)


def _missed_verdict(
    a: Appointment,
    u: Unassigned,
    problem: DayProblem,
    plan: Plan,
    params: DispatchParams,
    *,
    now: dt.datetime,
    by: User | None,
) -> None:
    """DSP-01: a visit left out for capacity is kept out by higher tiers only — it fits no
    route as it is, nor in place of one lower-tier visit the plan could still move."""
    if f"unassigned.{u.code}" in ZH:
        event_record(a.order, action="unassigned", at=now, by=by, msg=f"unassigned.{u.code}")
    else:
        event_record(a.order, action="unassigned", at=now, by=by, reason=u.reason[:200])
    if u.code != "capacity":
        return
    room = room_for(problem.problem, plan, params, u.job, movable=problem.open)
    if room is None:
        v = Verdict.keep("DSP-01", reason("dsp01.by_tier"))
    elif not room[1]:
        v = Verdict.broke("DSP-01", reason("dsp01.fits_as_is", badge=_badge(room[0])))
    else:
        lower = problem.visits[room[1][0]].order
        why = reason(
            "dsp01.lower_tier_first",
            number=lower.number,
            order_tier=lower.tier,
            badge=_badge(room[0]),
        )
        v = Verdict.broke("DSP-01", why)
    verdict_record(a.order, v, at=now, by=by)


def _badge(technician: str) -> str:
    """The plan's technician id (``T<row id>``, ``dispatch.problem.tech_id``) as a badge."""
    row = TechnicianRow.objects.filter(id=int(technician[1:])).values_list("badge_no", flat=True)
    return row.first() or technician


def drive_minutes(area: ServiceArea, a: tuple[float, float], b: tuple[float, float]) -> int:
    provider = matrix_provider(area)
    return provider.matrix([Point("a", *a), Point("b", *b)]).travel("a", "b")


def reassignable_appointment(appointment_id: int, *, by: User | None) -> Appointment:
    """A visit of an area ``by`` dispatches; any other is not found (no existence leak)."""
    appt = (
        Appointment.objects.select_related("order__address", "order__area")
        .filter(id=appointment_id)
        .first()
    )
    if appt is None or not order_may(appt.order, by=by, act=Act.OFFICE):
        raise NotFound(
            "appointment.not_found", f"预约 {appointment_id} 不存在", field="appointment"
        )
    return appt


def visit_reassign(
    *,
    appointment_id: int,
    technician_id: int,
    arrival: dt.time,
    expected_version: int,
    by: User | None,
    confirmed: bool = False,
) -> Appointment:
    """The dispatcher moves a not-yet-started visit to a technician and arrival time.

    The order's ``version`` must still be the one the dispatcher saw (a stale board is
    refused, not overwritten). The departure is planned from the technician's previous stop
    that day (or home) at the area's road speed, asked before any lock is taken (the road-time
    service may be slow); ``visit_assign`` checks DSP-05.

    A double booking, a visit past the shift or an arrival outside DSP-02's margin is
    refused with ``visit.needs_confirmation`` (the warnings in ``extra``) unless
    ``confirmed``: the dispatcher saw them and assigns anyway.
    """
    appt = reassignable_appointment(appointment_id, by=by)
    _check_reassignable(appt, appt.order, expected_version)
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
    order = appt.order
    if not confirmed and technician_certified(tech, order.work_type, appt.date):
        # An uncertified technician is refused by DSP-05 below: nothing to confirm then.
        assign_confirmation_needed(appt, tech, at)
    drive = drive_minutes(
        order.area, _origin(tech, appt, at), (order.address.lat, order.address.lon)
    )
    return _reassign(appt, tech, at, drive, expected_version=expected_version, by=by)


def _origin(tech: TechnicianRow, appt: Appointment, at: dt.datetime) -> tuple[float, float]:
    """Where the technician comes from: the previous stop that day, or home."""
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
    if before is None:
        return tech.home_lat, tech.home_lon
    return before.order.address.lat, before.order.address.lon


@transaction.atomic
def _reassign(
    appt: Appointment,
    tech: TechnicianRow,
    at: dt.datetime,
    drive: int,
    *,
    expected_version: int,
    by: User | None,
) -> Appointment:
    # A stale board is refused before anything else is checked.
    order = order_lock(appt.order_id, by=by, act=Act.OFFICE, expected_version=expected_version)
    appt.refresh_from_db(fields=["status"])
    _check_reassignable(appt, order, expected_version)
    return visit_assign(
        order_id=order.id,
        technician_id=tech.id,
        planned_arrival=at,
        planned_departure=at - dt.timedelta(minutes=drive),
        expected_version=expected_version,
        by=by,
    )


def _check_reassignable(appt: Appointment, order: WorkOrder, expected_version: int) -> None:
    if order.version != expected_version:
        raise Conflict(
            "order.stale",
            f"工单 {order.number} 已被他人修改（当前版本 {order.version}），请刷新后再操作",
            field="version",
        )
    if appt.status != AppointmentStatus.ACTIVE or order.status not in (
        Status.SCHEDULED,
        Status.DISPATCHED,
    ):
        raise Conflict(
            "visit.started",
            f"工单 {order.number} 当前状态为 {order.get_status_display()}，不能改派",
            field="technician_id",
        )
