"""A visit dropped on a technician's row of the board: the drop position picks its place in
the technician's route, and the arrival follows from the route, not from the pixel.

The visit goes after the technician's last visit planned at or before the dropped time (or
first, from home at the shift's start). It arrives DSP-02's largest margin before its window
when the route allows, else as soon as the previous stop and the drive let it.
``visit_reassign`` then applies it, with its warnings.
"""

from __future__ import annotations

import datetime as dt
import math

from guifan.apps.accounts.models import User
from guifan.apps.dispatch.checks import on_site
from guifan.apps.dispatch.services import drive_minutes, reassignable_appointment
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import AppointmentStatus
from guifan.apps.orders.models import Appointment
from guifan.apps.workforce.models import Shift
from guifan.apps.workforce.models import Technician as TechnicianRow
from guifan.clock import ZONE, local
from guifan.clock import now as clock_now
from guifan.errors import NotFound


def drop_arrival(
    *, appointment_id: int, technician_id: int, dropped: dt.time, by: User | None
) -> dt.time:
    """The local arrival a visit dropped at ``dropped`` on the technician's row gets."""
    appt = reassignable_appointment(appointment_id, by=by)
    tech = TechnicianRow.objects.filter(id=technician_id, area_id=appt.order.area_id).first()
    if tech is None:
        raise NotFound(
            "technician.not_found", f"装维人员 {technician_id} 不存在", field="technician_id"
        )
    at = dt.datetime.combine(appt.date, dropped, tzinfo=ZONE)
    previous = (
        Appointment.objects.filter(
            technician=tech,
            date=appt.date,
            status=AppointmentStatus.ACTIVE,
            planned_arrival__lte=at,
        )
        .exclude(id=appt.id)
        .select_related("order__address")
        .order_by("-planned_arrival")
        .first()
    )
    here = (appt.order.address.lat, appt.order.address.lon)
    if previous is not None and previous.planned_arrival is not None:
        free = on_site(previous, previous.planned_arrival)[1]
        origin = (previous.order.address.lat, previous.order.address.lon)
    else:
        shift = Shift.objects.filter(technician=tech, date=appt.date).first()
        start = shift.start if shift else dt.time(0)
        free = dt.datetime.combine(appt.date, start, tzinfo=ZONE)
        origin = (tech.home_lat, tech.home_lon)
    earliest = free + dt.timedelta(minutes=drive_minutes(appt.order.area, origin, here))
    margin = norms_snapshot().minutes("DSP-02", "early_max_minutes")
    arrival = max(earliest, appt.window_start - dt.timedelta(minutes=margin), clock_now())
    return _next_minute(local(arrival)).time()


def _next_minute(at: dt.datetime) -> dt.datetime:
    """The instant rounded up to a whole minute (the form's precision)."""
    seconds = at.second + at.microsecond / 1e6
    return at.replace(second=0, microsecond=0) + dt.timedelta(minutes=math.ceil(seconds / 60))
