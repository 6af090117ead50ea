"""Customers who leave before being called; a long wait before leaving breaks HAL-02."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.hall import services
from guifan.apps.hall.abandon import ticket_abandon
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.norms.models import NormCheck
from guifan.errors import Conflict, NotFound
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(clock):
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    Hall.objects.create(code="H2", name="另一个厅")
    return Counter.objects.create(hall=hall, number=1, categories=["A"], status="open")


def issue():
    return services.ticket_issue(by=None, hall_code="H1", category="A")


def test_an_abandoned_ticket_ends_and_is_never_called(counter, clock):
    first, second = issue(), issue()
    clock.advance(dt.timedelta(minutes=10))
    gone = ticket_abandon(ticket_id=first.id, hall_code="H1", by=None)
    assert (gone.status, gone.finished_at) == ("abandoned", clock.now())
    assert services.ticket_call_next(counter_id=counter.id, by=None).id == second.id
    assert not NormCheck.objects.exists()  # left within the limit: nothing known about HAL-02


def test_leaving_after_the_class_limit_breaks_hal02(counter, clock):
    t = issue()
    clock.advance(dt.timedelta(minutes=31))
    ticket_abandon(ticket_id=t.id, hall_code="H1", by=None)
    assert list(NormCheck.objects.values_list("norm_id", "kept")) == [("HAL-02", False)]


def test_only_a_waiting_ticket_of_the_hall_can_be_abandoned(counter):
    t = issue()
    with pytest.raises(NotFound):
        ticket_abandon(ticket_id=t.id, hall_code="H2", by=None)
    services.ticket_call_next(counter_id=counter.id, by=None)
    with pytest.raises(Conflict) as exc:
        ticket_abandon(ticket_id=t.id, hall_code="H1", by=None)
    assert exc.value.code == "ticket.not_waiting"
    t.refresh_from_db()
    assert t.status == "called"


def test_the_api_records_abandonment_and_preprocessing(counter):
    _, raw = f.token(role="hall_staff")
    api = Client(headers={"Authorization": f"Bearer {raw}"})

    def post(path, body=None):
        return api.post(
            f"/api/v1/halls/H1/{path}", data=json.dumps(body or {}), content_type="application/json"
        )

    t = issue()
    done = post(f"tickets/{t.id}/preprocess", {"step": "id_checked"})
    assert done.status_code == 200
    assert NormCheck.objects.get(norm_id="HAL-07").kept is True
    assert post(f"tickets/{t.id}/abandon").json()["status"] == "abandoned"
    again = post(f"tickets/{t.id}/abandon")
    assert (again.status_code, again.json()["code"]) == (409, "ticket.not_waiting")
