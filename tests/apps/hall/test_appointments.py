"""Hall appointments merged with walk-ins (ADR 0028): booking, the check-in window from the
catalog, the ticket placed at the slot, HAL-02 from the slot, and the no-show timer."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.hall import services
from guifan.apps.hall.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    checkin_window,
)
from guifan.apps.hall.models import AppointmentStatus, Counter, Hall, HallAppointment
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.services import norm_parameter_set
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.services import timers_fire_due
from guifan.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def hall(clock):
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=1, categories=["A", "B"], status="open")
    return h


def book(clock, minutes=30, category="A", phone=PHONE):
    return appointment_book(
        hall_code="H1",
        by=None,
        category=category,
        slot_at=clock.now() + dt.timedelta(minutes=minutes),
        phone=phone,
        name="王女士",
    )


def walk_in(category="A"):
    return services.ticket_issue(by=None, hall_code="H1", category=category)


def test_a_booking_has_a_code_and_arms_its_no_show_timer(hall, clock):
    appt = book(clock)
    assert len(appt.code) == 6 and appt.status == AppointmentStatus.BOOKED
    timer = Timer.objects.get(key=f"hallappt:{appt.id}:noshow")
    assert timer.due_at == appt.slot_at + dt.timedelta(minutes=60)


def test_on_time_the_ticket_takes_the_slot_as_its_place(hall, clock):
    appt = book(clock, minutes=20)
    clock.advance(dt.timedelta(minutes=5))
    early_walk_in = walk_in()  # took a ticket 15 minutes before the slot
    clock.advance(dt.timedelta(minutes=5))
    done = appointment_check_in(hall_code="H1", by=None, code=appt.code.lower())
    assert done.on_time and done.ticket.issued_at == appt.slot_at
    assert done.appointment.status == AppointmentStatus.CHECKED_IN
    clock.advance(dt.timedelta(minutes=12))  # 2 minutes past the slot
    later_walk_in = walk_in()
    counter = Counter.objects.get(hall=hall, number=1)
    # The walk-in who came before the slot goes first; the appointment beats the later one.
    called = services.ticket_call_next(counter_id=counter.id, by=None)
    assert called.id == early_walk_in.id
    services.ticket_start(ticket_id=called.id, hall_code="H1", by=None)
    services.ticket_finish(ticket_id=called.id, hall_code="H1", by=None)
    clock.advance(dt.timedelta(minutes=3))
    called = services.ticket_call_next(counter_id=counter.id, by=None)
    assert called.id == done.ticket.id
    assert later_walk_in.status == "waiting"
    services.ticket_start(ticket_id=called.id, hall_code="H1", by=None)
    check = NormCheck.objects.filter(norm_id="HAL-02").order_by("-id").first()
    assert check.kept and "等候 5 分钟" in check.reason  # counted from the slot, not check-in


def test_by_phone_the_nearest_booking_of_today_checks_in(hall, clock):
    book(clock, minutes=300)
    near = book(clock, minutes=10)
    done = appointment_check_in(hall_code="H1", by=None, phone=PHONE)
    assert done.appointment.id == near.id


def test_far_too_early_is_refused_with_the_time_to_come_back(hall, clock):
    appt = book(clock, minutes=90)
    with pytest.raises(RuleViolation) as err:
        appointment_check_in(hall_code="H1", by=None, code=appt.code)
    assert err.value.rule == "HAL-02" and err.value.field == "code"
    assert "11:00" in err.value.message  # slot 11:30, the window opens 30 minutes before
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.BOOKED and appt.early_refusals == 1
    assert appt.ticket is None


def test_the_window_is_catalog_data(hall, clock):
    norm_parameter_set(
        norm_id="HAL-02", name="appointment_checkin_early_minutes", value=120, by=None
    )
    appt = book(clock, minutes=90)
    assert appointment_check_in(hall_code="H1", by=None, code=appt.code).on_time
    assert checkin_window(appt.slot_at).opens == appt.slot_at - dt.timedelta(minutes=120)


def test_late_becomes_a_walk_in_and_far_too_late_is_refused(hall, clock):
    late = book(clock, minutes=5)
    lapsed = book(clock, minutes=5, phone="13900001111")
    clock.advance(dt.timedelta(minutes=5 + 25))
    done = appointment_check_in(hall_code="H1", by=None, code=late.code)
    assert not done.on_time and done.appointment.status == AppointmentStatus.LATE
    assert done.ticket.issued_at == clock.now()  # queues from now like a walk-in
    clock.advance(dt.timedelta(minutes=40))  # 65 minutes past the slot
    with pytest.raises(RuleViolation) as err:
        appointment_check_in(hall_code="H1", by=None, code=lapsed.code)
    assert err.value.rule == "HAL-02" and err.value.code == "appointment.too_late"


def test_no_show_timer_marks_only_bookings_never_checked_in(hall, clock):
    came = book(clock, minutes=10)
    never = book(clock, minutes=10, phone="13900001111")
    appointment_check_in(hall_code="H1", by=None, code=came.code)
    assert Timer.objects.get(key=f"hallappt:{came.id}:noshow").status == TimerStatus.CANCELLED
    clock.advance(dt.timedelta(minutes=69))
    assert timers_fire_due(now=clock.now(), worker_id="t") == 0
    clock.advance(dt.timedelta(minutes=1))
    assert timers_fire_due(now=clock.now(), worker_id="t") == 1
    never.refresh_from_db()
    came.refresh_from_db()
    assert never.status == AppointmentStatus.NO_SHOW
    assert came.status == AppointmentStatus.CHECKED_IN
    with pytest.raises(RuleViolation):  # too late now, the booking has lapsed
        appointment_check_in(hall_code="H1", by=None, code=never.code)


def test_a_used_booking_does_not_check_in_twice(hall, clock):
    appt = book(clock, minutes=10)
    appointment_check_in(hall_code="H1", by=None, code=appt.code)
    with pytest.raises(Conflict):
        appointment_check_in(hall_code="H1", by=None, code=appt.code)


def test_cancel_drops_the_timer(hall, clock):
    appt = book(clock)
    appointment_cancel(hall_code="H1", by=None, code=appt.code)
    assert Timer.objects.get(key=f"hallappt:{appt.id}:noshow").status == TimerStatus.CANCELLED
    with pytest.raises(Conflict):
        appointment_check_in(hall_code="H1", by=None, code=appt.code)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"minutes": -5}, "slot_at"),  # in the past
        ({"minutes": 60 * 24 * 20}, "slot_at"),  # beyond appointment_max_days_ahead
        ({"category": "Z"}, "category"),  # unknown category
        ({"phone": "12345"}, "phone"),
    ],
)
def test_bad_bookings_name_the_field(hall, clock, over, field):
    with pytest.raises(ValidationFailed) as err:
        book(clock, **over)
    assert err.value.field == field
    assert not HallAppointment.objects.exists()


def test_an_unknown_code_or_missing_key_is_refused(hall, clock):
    with pytest.raises(NotFound):
        appointment_check_in(hall_code="H1", by=None, code="ZZZZZZ")
    with pytest.raises(ValidationFailed):
        appointment_check_in(hall_code="H1", by=None)


# --- API ---------------------------------------------------------------------------------------


def api(token, method, path, body=None):
    data = "" if body is None else json.dumps(body, ensure_ascii=False, default=str)
    return Client().generic(
        method,
        f"/api/v1/halls/H1{path}",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def system_token(db):
    return f.token("system")[1]


def test_api_books_lists_masked_and_checks_in(hall, clock, system_token):
    slot = clock.now() + dt.timedelta(minutes=15)
    resp = api(
        system_token, "POST", "/appointments", {"category": "B", "slot_at": slot, "phone": PHONE}
    )
    assert resp.status_code == 201, resp.content
    code = resp.json()["code"]
    assert resp.json()["phone"] == "138****5678"
    listed = api(system_token, "GET", "/appointments")
    assert listed.status_code == 200
    assert [a["phone"] for a in listed.json()] == ["138****5678"]
    assert PHONE not in listed.content.decode()
    done = api(system_token, "POST", "/appointments/check-in", {"code": code})
    assert done.status_code == 201, done.content
    assert done.json()["on_time"] and done.json()["ticket"]["code"] == "B001"
    assert PHONE not in done.content.decode()


def test_api_bad_input_is_a_422_naming_field_and_rule(hall, clock, system_token):
    past = clock.now() - dt.timedelta(minutes=1)
    resp = api(
        system_token, "POST", "/appointments", {"category": "A", "slot_at": past, "phone": PHONE}
    )
    assert resp.status_code == 422 and resp.json()["field"] == "slot_at"
    resp = api(
        system_token,
        "POST",
        "/appointments",
        {"category": "Q", "slot_at": clock.now() + dt.timedelta(hours=1), "phone": PHONE},
    )
    assert resp.status_code == 422 and resp.json()["field"] == "category"
    appt = book(clock, minutes=180)
    resp = api(system_token, "POST", "/appointments/check-in", {"code": appt.code})
    assert resp.status_code == 422
    assert resp.json()["rule"] == "HAL-02" and resp.json()["code"] == "appointment.too_early"
    resp = api(system_token, "POST", "/appointments/check-in", {"code": "A\x00B"})
    assert resp.status_code == 422
