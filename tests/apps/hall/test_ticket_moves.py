"""No-show, recall and transfer to another category; the transferred keep their place."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall, Ticket
from guifan.apps.norms.models import NormCheck
from guifan.errors import Conflict, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(clock):
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    return Counter.objects.create(hall=hall, number=1, categories=["A", "B"], status="open")


def issue(category="A", **kw):
    return services.ticket_issue(by=None, hall_code="H1", category=category, **kw)


def call(counter):
    return services.ticket_call_next(counter_id=counter.id, by=None)


def test_a_no_show_ends_the_ticket_and_frees_the_counter(counter):
    first, second = issue(), issue()
    call(counter)
    services.ticket_no_show(ticket_id=first.id, hall_code="H1", by=None)
    first.refresh_from_db()
    assert first.status == "no_show" and first.finished_at is not None
    assert call(counter).id == second.id


def test_a_no_show_needs_a_called_ticket(counter):
    t = issue()
    with pytest.raises(Conflict) as exc:
        services.ticket_no_show(ticket_id=t.id, hall_code="H1", by=None)
    assert exc.value.code == "ticket.not_called"
    assert Ticket.objects.get().status == "waiting"


def test_a_recall_announces_the_ticket_again(counter, clock):
    t = issue()
    call(counter)
    clock.advance(dt.timedelta(minutes=1))
    again = services.ticket_recall(ticket_id=t.id, hall_code="H1", by=None)
    assert again.called_at == clock.now()


def test_a_transferred_customer_keeps_their_place_in_the_new_category(counter, clock):
    t = issue("A", vulnerable=True)
    clock.advance(dt.timedelta(minutes=5))
    issue("B")
    call(counter)
    services.ticket_start(ticket_id=t.id, hall_code="H1", by=None)
    moved = services.ticket_transfer(ticket_id=t.id, hall_code="H1", category="B", by=None)
    t.refresh_from_db()
    assert t.status == "transferred"
    assert (moved.code, moved.issued_at, moved.vulnerable) == ("B002", t.issued_at, True)
    assert moved.transferred_from_id == t.id
    assert call(counter).id == moved.id


def test_a_transferred_ticket_is_measured_once_against_hal02(counter, clock):
    t = issue("A")
    call(counter)
    services.ticket_start(ticket_id=t.id, hall_code="H1", by=None)
    moved = services.ticket_transfer(ticket_id=t.id, hall_code="H1", category="B", by=None)
    clock.advance(dt.timedelta(minutes=40))
    call(counter)
    services.ticket_start(ticket_id=moved.id, hall_code="H1", by=None)
    assert list(NormCheck.objects.filter(norm_id="HAL-02").values_list("kept", flat=True)) == [True]


def test_a_transfer_needs_service_started_and_another_known_category(counter):
    t = issue("A")
    call(counter)
    with pytest.raises(Conflict):
        services.ticket_transfer(ticket_id=t.id, hall_code="H1", category="B", by=None)
    services.ticket_start(ticket_id=t.id, hall_code="H1", by=None)
    for bad in ("A", "Z"):
        with pytest.raises(ValidationFailed) as exc:
            services.ticket_transfer(ticket_id=t.id, hall_code="H1", category=bad, by=None)
        assert exc.value.field == "category"
    assert Ticket.objects.count() == 1


def test_the_counter_api_recalls_marks_no_shows_and_transfers(counter):
    _, raw = f.token(role="hall_staff")
    api = Client(headers={"Authorization": f"Bearer {raw}"})

    def post(path, body=None):
        return api.post(
            f"/api/v1/halls/H1/{path}", data=json.dumps(body or {}), content_type="application/json"
        )

    first = post("tickets", {"category": "A", "preprocessing": ["id_ready"]}).json()
    second = post("tickets", {"category": "A"}).json()
    assert Ticket.objects.get(id=first["id"]).preprocessing == ["id_ready"]
    post(f"counters/{counter.id}/call-next")
    assert post(f"tickets/{first['id']}/recall").json()["status"] == "called"
    assert post(f"tickets/{first['id']}/no-show").json()["status"] == "no_show"
    post(f"counters/{counter.id}/call-next")
    post(f"tickets/{second['id']}/start")
    moved = post(f"tickets/{second['id']}/transfer", {"category": "B"})
    assert (moved.status_code, moved.json()["code"]) == (201, "B001")
    again = post(f"tickets/{second['id']}/transfer", {"category": "B"})
    assert (again.status_code, again.json()["code"]) == (409, "ticket.not_serving")
