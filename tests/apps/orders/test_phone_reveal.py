"""SEC-01: phones are masked except for a role whose task needs them, and every reveal is logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from guifan.apps.accounts.services import api_token_create
from guifan.apps.customers.models import PhoneReveal
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services
from guifan.apps.orders.models import WorkOrder
from guifan.clock import at_local
from tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(user):
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='t')}"})


def test_a_dispatcher_sees_the_number_and_the_reveal_is_logged(clock):
    order = f.order()
    dispatcher = f.user("dispatcher")
    r = client_for(dispatcher).get(f"/api/v1/orders/{order.id}/phone")
    assert r.json() == {"phone": "13912345678"}
    assert PhoneReveal.objects.get().user == dispatcher


def test_only_the_assigned_technician_sees_it(clock):
    order = f.order(kind="repair")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "x"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(dt.date(2025, 6, 2), "15:00")
    )
    mine, other = (
        f.technician(work_types=("broadband_repair",)),
        f.technician(work_types=("broadband_repair",)),
    )
    mine.user, other.user = f.user("technician"), f.user("technician")
    mine.save()
    other.save()
    services.visit_assign(
        order_id=order.id,
        technician_id=mine.id,
        planned_arrival=at_local(dt.date(2025, 6, 2), "14:52"),
        by=None,
    )
    assert client_for(mine.user).get(f"/api/v1/orders/{order.id}/phone").status_code == 200
    # Another technician's order is not found, as if it did not exist (issue 12).
    denied = client_for(other.user).get(f"/api/v1/orders/{order.id}/phone")
    assert (denied.status_code, denied.json()["code"]) == (404, "order.not_found")
    assert PhoneReveal.objects.count() == 1
    # Once the order is closed its technician still reads it, but the task no longer needs
    # the number: refused under SEC-01 and remembered; the stranger's 404 is not an attempt.
    WorkOrder.objects.filter(id=order.id).update(status="closed")
    late = client_for(mine.user).get(f"/api/v1/orders/{order.id}/phone")
    assert (late.status_code, late.json()["rule"], late.json()["field"]) == (
        422,
        "SEC-01",
        "order_id",
    )
    assert client_for(other.user).get(f"/api/v1/orders/{order.id}/phone").status_code == 404
    refused = NormCheck.objects.get(norm_id="SEC-01", kept=False)
    assert (refused.order_id, refused.person, refused.detail["code"]) == (
        order.id,
        mine.badge_no,
        "order.reveal_not_needed",
    )
    assert PhoneReveal.objects.count() == 1


def test_quality_supervisors_see_only_the_masked_number(clock):
    order = f.order()
    quality = client_for(f.user("quality"))
    assert quality.get(f"/api/v1/orders/{order.id}/phone").status_code == 403
    assert quality.get(f"/api/v1/orders/{order.id}").json()["phone_masked"] == "139****5678"
