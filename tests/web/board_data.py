"""A service area's day for the board tests: two technicians, planned and open visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from guifan.apps.dispatch.services import dispatch_plan
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment
from guifan.apps.workforce.models import Shift, Technician
from guifan.clock import FixedClock, at_local
from tests import factories as f

DAY = dt.date(2025, 6, 2)


@dataclass
class Day:
    techs: list[Technician]
    planned: list[Appointment]
    open: Appointment


def booked(hour: int) -> Appointment:
    order = f.order(kind="repair", tier="gold")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "x"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    return services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(DAY, f"{hour:02d}:00")
    )


def on_shift(name: str, lat: float) -> Technician:
    tech = f.technician(work_types=("broadband_repair",))
    tech.name, tech.home_lat, tech.home_lon = name, lat, 104.07
    tech.save()
    Shift.objects.create(technician=tech, date=DAY, start=dt.time(8, 30), end=dt.time(17, 30))
    return tech


def area_day(clock: FixedClock) -> Day:
    """Planned at 07:00; at 10:05 the 09:00 visit has not started (late risk); one is open."""
    clock.set(at_local(DAY, "07:00"))
    techs = [on_shift("王师傅", 30.65), on_shift("李师傅", 30.66)]
    planned = [booked(h) for h in (9, 11, 13)]
    dispatch_plan(area_code="A01", day=DAY, now=clock.now(), by=None)
    clock.set(at_local(DAY, "10:05"))
    late = Appointment.objects.get(id=planned[0].id)
    assert late.technician_id is not None
    return Day(techs, [Appointment.objects.get(id=a.id) for a in planned], booked(15))
