"""The appointment and lifecycle endpoints refuse bad input with the norm named."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guifan.apps.orders.models import Appointment, OrderEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(clock):
    f.area()
    _, raw = f.token()
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, path, body):
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


@pytest.fixture
def order_id(api):
    oid = post(api, "/orders", f.order_body()).json()["id"]
    assert post(api, f"/orders/{oid}/analysis", {"analysis": {}}).status_code == 200
    assert (
        post(api, f"/orders/{oid}/transitions", {"action": "await_appointment"}).status_code == 200
    )
    return oid


def test_an_appointment_at_21_00_is_refused_naming_apt03(api, order_id):
    r = post(api, f"/orders/{order_id}/appointments", {"window_start": "2025-06-05T21:00:00+08:00"})
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["rule"]) == ("appointment.slot_refused", "APT-03")
    assert not Appointment.objects.exists()


def test_an_appointment_less_than_24_h_after_booking_is_refused(api, order_id):
    r = post(api, f"/orders/{order_id}/appointments", {"date": "2025-06-03", "half_day": "am"})
    assert (r.status_code, r.json()["rule"]) == (422, "APT-03")


def test_booking_then_rescheduling_without_reason_or_consent(api, order_id):
    r = post(api, f"/orders/{order_id}/appointments", {"date": "2025-06-04", "half_day": "pm"})
    assert r.status_code == 201, r.content
    appt = r.json()["id"]
    base = {"initiator": "provider", "date": "2025-06-05", "half_day": "am"}
    no_reason = post(
        api, f"/orders/{order_id}/appointments/{appt}/reschedule", {**base, "consent": True}
    )
    assert (no_reason.status_code, no_reason.json()["field"], no_reason.json()["rule"]) == (
        422,
        "reason_code",
        "APT-06",
    )
    no_consent = post(
        api,
        f"/orders/{order_id}/appointments/{appt}/reschedule",
        {**base, "reason_code": "missing part"},
    )
    assert (no_consent.status_code, no_consent.json()["field"], no_consent.json()["rule"]) == (
        422,
        "consent",
        "APT-06",
    )
    ok = post(
        api,
        f"/orders/{order_id}/appointments/{appt}/reschedule",
        {**base, "reason_code": "missing part", "consent": True},
    )
    assert ok.status_code == 201
    assert Appointment.objects.get(id=appt).status == "rescheduled"


def test_closing_an_order_that_never_started_is_a_conflict(api):
    oid = post(api, "/orders", f.order_body()).json()["id"]
    r = post(api, f"/orders/{oid}/transitions", {"action": "close"})
    assert r.status_code == 409
    assert r.json()["code"] == "order.illegal_transition"
    assert not OrderEvent.objects.filter(order_id=oid, action="close").exists()


def test_a_stale_version_is_refused(api, order_id):
    r = post(
        api,
        f"/orders/{order_id}/transitions",
        {"action": "cancel", "reason": "客户撤单", "version": 1},
    )
    assert r.status_code == 409
    assert r.json()["code"] == "order.stale"


def test_the_order_detail_lists_events_with_their_norms(api, order_id):
    detail = api.get(f"/api/v1/orders/{order_id}").json()
    actions = [e["action"] for e in detail["events"]]
    assert actions[:2] == ["intake", "norm_check"]
    assert {"ORD-01", "ORD-02"} <= {e["norm_id"] for e in detail["events"]}
    assert detail["phone_masked"].count("*") == 4


def test_proposed_slots_come_from_the_api(api, order_id):
    slots = api.get(f"/api/v1/orders/{order_id}/slots?days=2").json()
    assert slots and all(s["start"] >= "2025-06-03T10:00:00+08:00" for s in slots)


def test_contacts_with_an_unknown_purpose_are_refused(api, order_id):
    r = post(
        api,
        f"/orders/{order_id}/contacts",
        {"channel": "call", "purpose": "chat", "outcome": "answered"},
    )
    assert (r.status_code, r.json()["field"]) == (422, "purpose")
