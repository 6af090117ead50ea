"""The attacks of issue 12's "Why", each replayed: refused with 404, and nothing changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.hall import services as hall_services
from guifan.apps.hall.models import Counter, HallPost, Ticket
from guifan.apps.orders.models import Appointment, WorkOrder
from tests.authz.fingerprint import changed, fingerprint
from tests.city import City

pytestmark = pytest.mark.django_db


def api(token: str, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return Client().generic(
        method,
        url,
        data="" if body is None else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@contextmanager
def nothing_changes() -> Iterator[None]:
    before = fingerprint()
    yield
    assert changed(before, fingerprint()) == []


def refused(resp: Any) -> None:
    assert resp.status_code == 404, (resp.status_code, resp.content[:300])


def technician_token(city: City) -> str:
    return city.tokens[Role.TECHNICIAN]


def hall_b_staff(city: City) -> tuple[User, str]:
    """Hall staff of H2 ("hall B"), against H1 ("hall A")."""
    staff = city.other.staff
    return staff, api_token_create(user=staff, name="hall-b")


def test_a_technician_cannot_cancel_another_technicians_appointment(city: City) -> None:
    other = city.other
    url = f"/api/v1/orders/{other.order_id}/appointments/{other.appointment_id}/cancel"
    with nothing_changes():
        refused(api(technician_token(city), "POST", url))
    assert Appointment.objects.get(id=other.appointment_id).status == "active"


def test_a_technician_cannot_depart_another_technicians_order(city: City) -> None:
    url = f"/api/v1/orders/{city.other.order_id}/transitions"
    with nothing_changes():
        refused(api(technician_token(city), "POST", url, {"action": "depart"}))
    assert WorkOrder.objects.get(id=city.other.order_id).status == "dispatched"


def test_a_technician_cannot_cancel_an_unassigned_order(city: City) -> None:
    url = f"/api/v1/orders/{city.unassigned_order_id}/transitions"
    with nothing_changes():
        refused(api(technician_token(city), "POST", url, {"action": "cancel", "reason": "取消"}))
    assert WorkOrder.objects.get(id=city.unassigned_order_id).status == "received"


def test_a_technician_lists_only_own_orders(city: City) -> None:
    resp = api(technician_token(city), "GET", "/api/v1/orders?limit=1000")
    assert resp.status_code == 200
    assert [o["id"] for o in resp.json()] == [city.own.order_id]


def test_a_technicians_offline_sync_cannot_depart_another_technicians_order(
    city: City,
) -> None:
    web = Client()
    web.force_login(city.users[Role.TECHNICIAN])
    action = {
        "key": "k1",
        "kind": "depart",
        "order": city.other.order_id,
        "version": city.other.order_version(),
    }
    with nothing_changes():
        resp = web.post("/t/sync/", {"actions": [action]}, content_type="application/json")
    assert resp.json()["results"][0]["http"] == 404
    assert WorkOrder.objects.get(id=city.other.order_id).status == "dispatched"


def test_hall_b_staff_cannot_open_call_start_finish_at_hall_a(city: City) -> None:
    _, token = hall_b_staff(city)
    a, b = city.own, city.other
    with nothing_changes():
        opened = f"/api/v1/halls/{a.hall}/counters/{a.closed_counter_id}/status"
        refused(api(token, "POST", opened, {"status": "open"}))
        for hall in (a.hall, b.hall):  # hall A's counter under either hall's code
            refused(api(token, "POST", f"/api/v1/halls/{hall}/counters/{a.counter_id}/call-next"))
    assert Counter.objects.get(id=a.closed_counter_id).status == "closed"
    assert Ticket.objects.get(id=a.ticket_id).status == "waiting"

    hall_services.ticket_call_next(counter_id=a.counter_id, by=None)
    with nothing_changes():
        refused(api(token, "POST", f"/api/v1/halls/{a.hall}/tickets/{a.ticket_id}/start"))
    hall_services.ticket_start(ticket_id=a.ticket_id, hall_code=a.hall, by=None)
    with nothing_changes():
        refused(api(token, "POST", f"/api/v1/halls/{a.hall}/tickets/{a.ticket_id}/finish"))
    assert Ticket.objects.get(id=a.ticket_id).status == "serving"


def test_hall_b_staff_cannot_verify_a_star_level_in_hall_a(city: City) -> None:
    _, token = hall_b_staff(city)
    a = city.own
    for hall in (a.hall, city.other.hall):
        url = f"/api/v1/halls/{hall}/tickets/{a.ticket_id}/verify-star"
        with nothing_changes():
            refused(api(token, "POST", url, {"id_checked": True}))
    assert Ticket.objects.get(id=a.ticket_id).star_verified is None


def test_hall_b_staff_cannot_hand_over_into_hall_a(city: City) -> None:
    staff, token = hall_b_staff(city)
    a, b = city.own, city.other
    for hall in (a.hall, b.hall):
        url = f"/api/v1/halls/{hall}/counters/{a.closed_counter_id}/handover"
        with nothing_changes():
            refused(api(token, "POST", url, {"to_username": staff.username}))
    post = HallPost.objects.get(user=staff)
    assert (post.hall.code, post.counter_id) == (b.hall, b.counter_id)
    # ...and so hall A's pages stay closed to them.
    web = Client()
    web.force_login(staff)
    assert web.get(f"/hall/{a.hall}/screen/").status_code == 404
    assert web.get(f"/hall/{a.hall}/kiosk/").status_code == 403  # a paired kiosk device only
    terminal = web.get("/hall/counter/").content.decode()
    assert f"营业厅{b.hall}" in terminal and f"营业厅{a.hall}" not in terminal


def test_a_customer_link_cannot_touch_another_orders_appointment(city: City) -> None:
    """The customer's own link, with the appointment of another order in the form."""
    own, other = city.own, city.other
    form = {"version": own.order_version(), "appointment": other.appointment_id}
    posts = {
        "confirm/": form,
        "change/": {**form, "slot": "2025-06-03T09:00:00+08:00"},
        "cancel/confirm/": {**form, "reason": "time"},
    }
    for action, data in posts.items():
        with nothing_changes():
            resp = Client().post(f"/c/{own.link_token}/{action}", data)
        assert resp.status_code == 404, action
    assert Appointment.objects.get(id=other.appointment_id).status == "active"
    assert Appointment.objects.get(id=own.appointment_id).status == "active"
