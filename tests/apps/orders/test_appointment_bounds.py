"""Appointment windows: on the booked date, within the horizon, no longer than APT-01 allows,
and one active appointment per order (a second booking is 409; the client reschedules)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from guifan.apps.norms.services import norm_parameter_set
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment
from guifan.clock import at_local
from tests import factories as f

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)  # the clock fixture stands at Monday 10:00


@pytest.fixture
def api(clock):
    f.area()
    _, raw = f.token()
    return Client(headers={"Authorization": f"Bearer {raw}"})


def awaiting(kind="repair"):
    order = f.order(kind=kind)
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "光猫"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    return order


def book(api, order, **body):
    return api.post(
        f"/api/v1/orders/{order.id}/appointments",
        data=json.dumps(body),
        content_type="application/json",
    )


def refused(r, *, field, rule):
    assert r.status_code == 422, r.content
    assert (r.json()["field"], r.json()["rule"]) == (field, rule)


def test_a_window_in_the_year_161_is_refused(api):
    order = awaiting()
    r = book(api, order, window_start="0161-06-04T10:00:00+08:00")
    refused(r, field="window_start", rule="APT-03")
    r = book(
        api, order, window_start="0161-06-04T10:00:00+08:00", window_end="2026-06-04T11:00:00+08:00"
    )
    assert r.status_code == 422
    assert not Appointment.objects.exists()


def test_a_ten_year_window_is_refused_naming_apt01(api):
    order = awaiting()
    r = book(
        api, order, window_start="2025-06-04T10:00:00+08:00", window_end="2035-06-04T10:00:00+08:00"
    )
    refused(r, field="window_end", rule="APT-01")
    assert not Appointment.objects.exists()


def test_a_window_off_the_booked_date_is_refused(api):
    order = awaiting()
    r = book(api, order, date="2025-06-05", window_start="2025-06-04T10:00:00+08:00")
    refused(r, field="window_start", rule="APT-01")
    assert not Appointment.objects.exists()


def test_a_date_beyond_the_booking_horizon_is_refused_naming_apt03(api):
    order = awaiting()
    r = book(api, order, date=(MON + dt.timedelta(days=91)).isoformat(), half_day="am")
    refused(r, field="date", rule="APT-03")
    assert (
        book(api, order, date=(MON + dt.timedelta(days=90)).isoformat(), half_day="am").status_code
        == 201
    )


def test_the_booking_horizon_is_a_norm_parameter(api):
    norm_parameter_set(norm_id="APT-03", name="max_lead_days", value=7, by=None)
    order = awaiting()
    r = book(api, order, date=(MON + dt.timedelta(days=8)).isoformat(), half_day="am")
    refused(r, field="date", rule="APT-03")


def test_a_second_active_booking_is_a_conflict_naming_the_appointment(api):
    order = awaiting()
    first = book(api, order, date="2025-06-04", half_day="am")
    assert first.status_code == 201, first.content
    again = book(api, order, date="2025-06-05", half_day="pm")
    assert again.status_code == 409, again.content
    assert again.json()["field"] == "appointment"
    assert Appointment.objects.filter(order=order, status="active").count() == 1


def test_a_rescheduled_order_still_has_exactly_one_active_appointment(clock):
    order = awaiting()
    appt = services.appointment_book(
        order_id=order.id, by=None, day=MON + dt.timedelta(days=2), half_day="am"
    )
    new = services.appointment_reschedule(
        appointment_id=appt.id,
        initiator="customer",
        by=None,
        day=MON + dt.timedelta(days=3),
        half_day="pm",
    )
    assert list(Appointment.objects.filter(order=order, status="active")) == [new]


def test_the_database_keeps_one_active_appointment_per_order(clock):
    order = awaiting()
    appt = services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(MON, "15:00")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            order=order,
            date=appt.date,
            half_day=appt.half_day,
            window_start=appt.window_start,
            window_end=appt.window_end,
            booked_at=appt.booked_at,
        )
