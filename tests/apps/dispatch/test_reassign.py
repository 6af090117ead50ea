"""Assigning by hand warns first: a double booking, a visit past the shift, DSP-02's margin."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.dispatch.services import visit_reassign
from guifan.apps.norms.services import norm_parameter_set
from guifan.apps.orders.models import Appointment
from guifan.apps.workforce.models import Shift
from guifan.clock import at_local, local
from guifan.errors import Conflict
from tests.web.board_data import DAY, area_day

pytestmark = pytest.mark.django_db


def _move(appt: Appointment, tech_id: int, arrival: dt.time, *, confirmed: bool) -> Appointment:
    return visit_reassign(
        appointment_id=appt.id,
        technician_id=tech_id,
        arrival=arrival,
        expected_version=Appointment.objects.select_related("order").get(id=appt.id).order.version,
        by=None,
        confirmed=confirmed,
    )


def _warnings(appt: Appointment, tech_id: int, arrival: dt.time) -> list[str]:
    with pytest.raises(Conflict) as caught:
        _move(appt, tech_id, arrival, confirmed=False)
    assert caught.value.code == "visit.needs_confirmation"
    assert caught.value.message.startswith("请确认")
    warnings: list[str] = caught.value.extra["warnings"]
    return warnings


def test_a_double_booking_asks_for_confirmation_then_assigns(clock):
    day = area_day(clock)
    taken = day.planned[1]
    assert taken.planned_arrival is not None and taken.technician_id is not None
    moved = day.planned[2]
    before = Appointment.objects.get(id=moved.id)
    at = local(taken.planned_arrival).time()
    warnings = _warnings(moved, taken.technician_id, at)
    assert any("重叠" in w and taken.order.number in w for w in warnings)
    assert Appointment.objects.get(id=moved.id).planned_arrival == before.planned_arrival
    done = _move(moved, taken.technician_id, at, confirmed=True)
    assert done.technician_id == taken.technician_id
    assert local(done.planned_arrival).time() == at  # type: ignore[arg-type]


def test_a_visit_past_the_shift_end_asks_for_confirmation(clock):
    day = area_day(clock)
    moved = day.planned[2]  # 13:00 window, 45 minutes on site
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    Shift.objects.filter(technician=tech, date=DAY).update(end=dt.time(13, 15))
    warnings = _warnings(moved, tech.id, dt.time(12, 50))
    assert warnings == [f"预计 13:45 完工，晚于 {tech.name} 的下班时间 13:15。"]


def test_a_technician_without_a_shift_that_day_asks_for_confirmation(clock):
    day = area_day(clock)
    moved = day.planned[2]
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    Shift.objects.filter(technician=tech, date=DAY).delete()
    assert _warnings(moved, tech.id, dt.time(12, 50)) == [f"{tech.name} 当天没有班次。"]


def test_an_arrival_outside_the_dsp02_margin_asks_for_confirmation(clock):
    day = area_day(clock)
    moved = day.planned[2]
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    assert _warnings(moved, tech.id, dt.time(13, 0)) == [
        "提前 0 分钟到达，DSP-02 要求提前 5–10 分钟。"
    ]
    assert _warnings(moved, tech.id, dt.time(13, 20)) == [
        "晚于时间窗开始 20 分钟到达，DSP-02 要求提前 5–10 分钟。"
    ]


def test_the_dsp02_margin_is_read_from_the_norm_catalog(clock):
    day = area_day(clock)
    moved = day.planned[2]
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    norm_parameter_set(norm_id="DSP-02", name="early_max_minutes", value=30, by=None)
    done = _move(moved, tech.id, dt.time(12, 35), confirmed=False)
    assert done.technician_id == tech.id


def test_an_assignment_without_warnings_needs_no_confirmation(clock):
    day = area_day(clock)
    moved = day.planned[2]
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    done = _move(moved, tech.id, dt.time(12, 50), confirmed=False)
    assert done.technician_id == tech.id


def test_a_drop_takes_its_place_in_the_route_and_the_arrival_from_it(clock):
    from guifan.apps.dispatch.drop import drop_arrival

    day = area_day(clock)
    moved = day.planned[2]  # 13:00 window
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    # Dropped at 12:00 (an hour before the window): the technician is free by then, so the
    # arrival leaves DSP-02's largest margin, not the pixel's time.
    assert drop_arrival(
        appointment_id=moved.id, technician_id=tech.id, dropped=dt.time(12, 0), by=None
    ) == dt.time(12, 50)


def test_a_drop_after_a_late_visit_arrives_when_the_route_allows(clock):
    from guifan.apps.dispatch.drop import drop_arrival

    day = area_day(clock)
    tech = day.techs[0]
    # The technician reaches the 09:00 visit at 10:10 (45 minutes on site: done at 10:55).
    Appointment.objects.filter(id=day.planned[0].id).update(
        technician=tech, planned_arrival=at_local(DAY, "10:10")
    )
    got = drop_arrival(
        appointment_id=day.planned[1].id, technician_id=tech.id, dropped=dt.time(10, 30), by=None
    )
    assert dt.time(10, 55) <= got < dt.time(11, 0)  # same street: a few minutes' drive at most
