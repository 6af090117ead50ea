"""``POST /orders/{id}/assign`` takes the order's version: of two dispatchers, one wins."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.clock import at_local
from tests import factories as f

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)


@pytest.fixture
def api(clock):
    f.area()
    _, raw = f.token()
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def order(clock):
    order = f.order(kind="repair")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "光猫故障"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    services.appointment_book(order_id=order.id, by=None, window_start=at_local(MON, "14:00"))
    order.refresh_from_db()
    return order


def assign(client, order_id, **body):
    body.setdefault("planned_arrival", "2025-06-02T13:50:00+08:00")
    return client.post(
        f"/api/v1/orders/{order_id}/assign", data=json.dumps(body), content_type="application/json"
    )


def test_of_two_assigns_with_the_same_version_the_second_is_stale(api, order):
    first = f.technician(work_types=("broadband_repair",))
    second = f.technician(work_types=("broadband_repair",))
    won = assign(api, order.id, technician_id=first.id, version=order.version)
    assert won.status_code == 200, won.content
    lost = assign(api, order.id, technician_id=second.id, version=order.version)
    assert lost.status_code == 409
    assert (lost.json()["code"], lost.json()["field"]) == ("order.stale", "version")
    assert WorkOrder.objects.get(id=order.id).technician_id == first.id
    assert Appointment.objects.get(order=order).technician_id == first.id


def test_an_assign_without_a_version_is_refused_naming_it(api, order):
    tech = f.technician(work_types=("broadband_repair",))
    resp = assign(api, order.id, technician_id=tech.id)
    assert resp.status_code == 422
    assert resp.json()["field"] == "version"
    assert WorkOrder.objects.get(id=order.id).technician_id is None


def test_an_assign_with_the_current_version_after_a_change_wins(api, order):
    first = f.technician(work_types=("broadband_repair",))
    second = f.technician(work_types=("broadband_repair",))
    assert assign(api, order.id, technician_id=first.id, version=order.version).status_code == 200
    current = api.get(f"/api/v1/orders/{order.id}").json()["version"]
    assert assign(api, order.id, technician_id=second.id, version=current).status_code == 200
    assert WorkOrder.objects.get(id=order.id).technician_id == second.id
