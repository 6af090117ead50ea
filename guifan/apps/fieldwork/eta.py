"""The live ETA of a technician's next stop (issue 16, point 6; ADR 0034). Reads only.

Where the technician starts from, first that applies: the visit they are on (when its work
ends), their shared position (now), the last stop they finished today (its completion time),
their home at the shift's start. The road time comes from the area's road-time provider
(``dispatch.problem.matrix_provider``: OSRM when configured, else great-circle at the area's
speed). Before the trip starts the ETA is never earlier than the planned arrival.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from guifan.apps.dispatch.problem import matrix_provider
from guifan.apps.fieldwork.models import PositionReport
from guifan.apps.orders.choices import AppointmentStatus, Status
from guifan.apps.orders.models import Appointment, OrderEvent, WorkOrder
from guifan.apps.orders.services.assign_checks import service_minutes
from guifan.apps.workforce.models import Shift, Technician
from guifan.clock import at_local, local
from guifan.norms.catalog import NormSet
from guifan.optimize.matrix import Point

# A shared position older than this many report intervals no longer says where one is.
STALE_INTERVALS = 5


@dataclass(frozen=True, slots=True)
class Eta:
    """The predicted arrival at the next stop and what it means for the norms."""

    appointment_id: int
    order_id: int
    at: dt.datetime
    minutes: int  # from now, at least 0
    source: str  # on_site, position, last_stop, start
    late: bool  # after the window's end: DSP-04 asks for a call
    call_by: dt.datetime  # DSP-04: the call is due by then
    last_mile: bool  # under way and within APT-07 last_mile_minutes


def next_stop(tech: Technician, now: dt.datetime) -> Appointment | None:
    """Today's next visit of ``tech``: the one under way, else the first not yet started."""
    appts = list(
        Appointment.objects.filter(
            technician=tech,
            date=local(now).date(),
            status=AppointmentStatus.ACTIVE,
            order__status__in=[Status.DISPATCHED, Status.EN_ROUTE],
        )
        .select_related("order__address", "order__area")
        .order_by("planned_arrival", "window_start", "id")
    )
    en_route = [a for a in appts if a.order.status == Status.EN_ROUTE]
    pending = en_route or appts
    return pending[0] if pending else None


def _on_site(tech: Technician, now: dt.datetime) -> tuple[Point, dt.datetime] | None:
    """The visit ``tech`` is working on: its address and when its work ends."""
    appt = (
        Appointment.objects.filter(
            technician=tech, date=local(now).date(), order__status=Status.ON_SITE
        )
        .select_related("order__address")
        .order_by("-arrived_at", "-id")
        .first()
    )
    if appt is None:
        return None
    start = max(appt.arrived_at or appt.window_start, appt.window_start)
    ends = start + dt.timedelta(minutes=service_minutes(appt.order.work_type))
    address = appt.order.address
    return Point("from", address.lat, address.lon), max(now, ends)


def _position(tech: Technician, now: dt.datetime, ns: NormSet) -> Point | None:
    fresh = now - dt.timedelta(
        seconds=int(ns.param("APT-07", "position_interval_seconds")) * STALE_INTERVALS
    )
    # Only while sharing is on (a report outlives no switch-off, but the rule is read here too).
    report = PositionReport.objects.filter(
        technician=tech, technician__position_consent__sharing=True, at__gte=fresh
    ).first()
    return Point("from", report.lat, report.lon) if report else None


def _last_stop(tech: Technician, now: dt.datetime) -> tuple[Point, dt.datetime] | None:
    day_start = at_local(local(now).date(), "00:00")
    order = (
        WorkOrder.objects.filter(
            appointments__technician=tech,
            completed_at__gte=day_start,
            completed_at__lte=now,
        )
        .select_related("address")
        .order_by("-completed_at")
        .first()
    )
    if order is None or order.completed_at is None:
        return None
    return Point("from", order.address.lat, order.address.lon), order.completed_at


def _departed(order: WorkOrder) -> dt.datetime | None:
    event = (
        OrderEvent.objects.filter(order=order, to_status=Status.EN_ROUTE).order_by("-id").first()
    )
    return event.at if event else None


def _origin(
    tech: Technician, appt: Appointment, now: dt.datetime, ns: NormSet
) -> tuple[Point, dt.datetime, str]:
    """Where the trip to ``appt`` starts, when, and which fact said so."""
    on_site = _on_site(tech, now)
    if on_site is not None:
        return (*on_site, "on_site")
    position = _position(tech, now, ns)
    if position is not None:
        return position, now, "position"
    under_way = appt.order.status == Status.EN_ROUTE
    departed = _departed(appt.order) if under_way else None
    last = _last_stop(tech, now)
    if last is not None:
        point, done = last
        return point, departed or (done if under_way else max(now, done)), "last_stop"
    shift = Shift.objects.filter(technician=tech, date=local(now).date()).first()
    opens = at_local(shift.date, shift.start) if shift else now
    home = Point("from", tech.home_lat, tech.home_lon)
    return home, departed or max(now, opens), "start"


def eta_of(tech: Technician, appt: Appointment, now: dt.datetime, ns: NormSet) -> Eta:
    """The ETA of ``appt`` for ``tech`` at ``now`` (asks the road-time provider)."""
    origin, leaves, source = _origin(tech, appt, now, ns)
    address = appt.order.address
    matrix = matrix_provider(appt.order.area).matrix(
        [origin, Point("to", address.lat, address.lon)]
    )
    at = max(now, leaves + dt.timedelta(minutes=matrix.travel("from", "to")))
    under_way = appt.order.status == Status.EN_ROUTE
    if not under_way and appt.planned_arrival is not None:
        at = max(at, appt.planned_arrival)
    minutes = max(0, int((at - now).total_seconds() // 60))
    lead = dt.timedelta(minutes=ns.minutes("DSP-04", "late_call_lead_minutes"))
    return Eta(
        appointment_id=appt.id,
        order_id=appt.order_id,
        at=at,
        minutes=minutes,
        source=source,
        late=at > appt.window_end,
        call_by=appt.window_end - lead,
        last_mile=under_way and minutes <= ns.minutes("APT-07", "last_mile_minutes"),
    )


def eta_next(tech: Technician, now: dt.datetime, ns: NormSet) -> Eta | None:
    """The ETA of the technician's next stop, if there is one today."""
    appt = next_stop(tech, now)
    return eta_of(tech, appt, now, ns) if appt is not None else None


def eta_for_order(order: WorkOrder, now: dt.datetime, ns: NormSet) -> Eta | None:
    """The ETA of ``order`` when it is its technician's next stop (the customer's link)."""
    tech = order.technician
    if tech is None or order.status not in (Status.DISPATCHED, Status.EN_ROUTE):
        return None
    appt = next_stop(tech, now)
    if appt is None or appt.order_id != order.id:
        return None
    return eta_of(tech, appt, now, ns)
