"""``POST /orders/{id}/assign`` with ``confirm``: the board's warnings through the API.

``confirm: false`` refuses a double booking, a visit past the shift's end or an arrival
outside DSP-02's margin with 409 naming each rule, writing nothing; ``true`` assigns
anyway; omitted, the endpoint behaves as it always did (the contract only grows)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.apps.workforce.models import Shift
from guifan.clock import local
from tests import factories as f
from tests.web.board_data import DAY, area_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(clock):
    f.area()
    _, raw = f.token()
    return Client(headers={"Authorization": f"Bearer {raw}"})


def assign(client, appt, tech_id, arrival, **extra):
    order = WorkOrder.objects.get(id=appt.order_id)
    body = {
        "technician_id": tech_id,
        "planned_arrival": f"{DAY.isoformat()}T{arrival}:00+08:00",
        "version": order.version,
        **extra,
    }
    return client.post(
        f"/api/v1/orders/{order.id}/assign", data=json.dumps(body), content_type="application/json"
    )


def test_a_double_booking_is_409_naming_the_rule_until_confirmed(api, clock):
    day = area_day(clock)
    taken, moved = day.planned[1], day.planned[2]
    assert taken.planned_arrival is not None and taken.technician_id is not None
    at = f"{local(taken.planned_arrival):%H:%M}"
    before = Appointment.objects.get(id=moved.id)
    ask = assign(api, moved, taken.technician_id, at, confirm=False)
    assert ask.status_code == 409, ask.content
    body = ask.json()
    assert (body["code"], body["field"], body["rule"]) == (
        "visit.needs_confirmation",
        "confirmed",
        "double_booking",
    )
    rules = [w["rule"] for w in body["warnings"]]
    assert rules[0] == "double_booking" and taken.order.number in body["warnings"][0]["message"]
    after = Appointment.objects.get(id=moved.id)
    assert (after.technician_id, after.planned_arrival) == (
        before.technician_id,
        before.planned_arrival,
    )
    ok = assign(api, moved, taken.technician_id, at, confirm=True)
    assert ok.status_code == 200, ok.content
    assert Appointment.objects.get(id=moved.id).technician_id == taken.technician_id


def test_past_the_shift_end_and_outside_dsp02_each_name_their_rule(api, clock):
    day = area_day(clock)
    moved = day.planned[2]  # 13:00 window, 45 minutes on site
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    Shift.objects.filter(technician=tech, date=DAY).update(end=dt.time(13, 15))
    late = assign(api, moved, tech.id, "13:00", confirm=False)
    assert late.status_code == 409
    assert [w["rule"] for w in late.json()["warnings"]] == ["shift_end", "DSP-02"]
    assert late.json()["rule"] == "shift_end"


def test_without_confirm_the_endpoint_assigns_as_before(api, clock):
    day = area_day(clock)
    moved = day.planned[2]
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    resp = assign(api, moved, tech.id, "13:00")  # DSP-02 would warn: not asked
    assert resp.status_code == 200, resp.content
    assert Appointment.objects.get(id=moved.id).technician_id == tech.id


def test_a_clean_assignment_needs_no_confirmation(api, clock):
    day = area_day(clock)
    moved = day.planned[2]
    tech = next(t for t in day.techs if t.id != moved.technician_id)
    resp = assign(api, moved, tech.id, "12:50", confirm=False)
    assert resp.status_code == 200, resp.content
