"""Customer links: signed, expiring by the guifan clock, bound to one order, following changes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import signing
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment, Contact, OrderEvent, WorkOrder
from guifan.apps.orders.services.links import SALT
from guifan.clock import at_local
from guifan.errors import Conflict, NotFound
from tests import factories as f

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)  # the clock fixture stands at Monday 10:00
WED = MON + dt.timedelta(days=2)


def booked(**over: object) -> tuple[WorkOrder, Appointment]:
    """An install order booked for Wednesday morning (the clock fixture must be active)."""
    order = f.order(**over)
    services.work_order_analyse(order_id=order.id, analysis={}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    appt = services.appointment_book(order_id=order.id, by=None, day=WED, half_day="am")
    order.refresh_from_db()
    return order, appt


def token_of(path: str) -> str:
    assert path.startswith("/c/") and path.endswith("/")
    return path[len("/c/") : -1]


def test_a_link_opens_its_own_order_and_appointment(clock):
    order, appt = booked()
    booked(customer_name="李四", phone="13700000000")
    link = services.customer_link_open(
        token=token_of(services.customer_link_make(appointment_id=appt.id))
    )
    assert (link.order.id, link.appointment.id) == (order.id, appt.id)
    assert link.expires_at == clock.now() + dt.timedelta(hours=72)
    assert link.actionable is True


def test_the_link_expires_by_the_guifan_clock_not_the_system_time(clock, settings):
    settings.GUIFAN_CUSTOMER_LINK_HOURS = 2
    _, appt = booked()
    token = token_of(services.customer_link_make(appointment_id=appt.id))
    clock.advance(dt.timedelta(hours=1, minutes=59))
    services.customer_link_open(token=token)
    clock.advance(dt.timedelta(minutes=1))
    with pytest.raises(services.LinkExpired) as exc:
        services.customer_link_open(token=token)
    assert (exc.value.code, exc.value.http_status) == ("link.expired", 410)


@pytest.mark.parametrize("mangle", ["payload", "signature", "garbage", "other_salt", "empty"])
def test_a_tampered_or_foreign_token_is_refused(clock, mangle):
    _, appt = booked()
    token = token_of(services.customer_link_make(appointment_id=appt.id))
    payload, signature = token.rsplit(":", 1)
    bad = {
        "payload": f"{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}:{signature}",
        "signature": f"{payload}:{signature[::-1]}",
        "garbage": "not-a-token",
        "other_salt": signing.Signer(salt="other").sign_object(
            {"o": appt.order_id, "a": appt.id, "e": 4_000_000_000}
        ),
        "empty": "",
    }[mangle]
    with pytest.raises(NotFound) as exc:
        services.customer_link_open(token=bad)
    assert exc.value.code == "link.invalid"


def test_a_validly_signed_token_must_pair_the_order_with_its_appointment(clock):
    order, _ = booked()
    _, other = booked(customer_name="李四")
    forged = signing.Signer(salt=SALT).sign_object(
        {"o": order.id, "a": other.id, "e": 4_000_000_000}, compress=True
    )
    with pytest.raises(NotFound):
        services.customer_link_open(token=forged)


def test_the_link_follows_reschedules_to_the_current_appointment(clock):
    _, appt = booked()
    token = token_of(services.customer_link_make(appointment_id=appt.id))
    second = services.appointment_reschedule(
        appointment_id=appt.id, initiator="customer", by=None, day=WED, half_day="pm"
    )
    third = services.appointment_reschedule(
        appointment_id=second.id,
        initiator="customer",
        by=None,
        window_start=at_local(WED + dt.timedelta(days=1), "15:00"),
    )
    assert services.customer_link_open(token=token).appointment.id == third.id


def test_confirming_through_the_link_records_the_link_channel(clock):
    order, appt = booked()
    token = token_of(services.customer_link_make(appointment_id=appt.id))
    services.customer_link_confirm(token=token, version=order.version, appointment_id=appt.id)
    appt.refresh_from_db()
    assert appt.confirmed_at == clock.now()
    contact = Contact.objects.get(order=order)
    assert (contact.channel, contact.purpose) == ("link", "reconfirm")


def test_a_stale_page_is_refused_not_applied(clock):
    order, appt = booked()
    token = token_of(services.customer_link_make(appointment_id=appt.id))
    with pytest.raises(Conflict) as exc:
        services.customer_link_cancel(
            token=token, version=order.version - 1, appointment_id=appt.id, reason="客户取消"
        )
    assert exc.value.code == "link.stale"
    appt.refresh_from_db()
    assert appt.status == "active"


def test_a_cancelled_appointment_takes_no_more_actions(clock):
    order, appt = booked()
    token = token_of(services.customer_link_make(appointment_id=appt.id))
    services.customer_link_cancel(
        token=token, version=order.version, appointment_id=appt.id, reason="客户取消"
    )
    order.refresh_from_db()
    link = services.customer_link_open(token=token)
    assert (link.order.status, link.actionable) == ("cancelled", False)
    with pytest.raises(Conflict) as exc:
        services.customer_link_confirm(token=token, version=order.version, appointment_id=appt.id)
    assert exc.value.code == "link.closed"


@pytest.fixture
def office(clock):
    f.area()
    _, raw = f.token(Role.DISPATCHER)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_the_api_issues_a_link_and_logs_who_issued_it(office, clock):
    order, appt = booked()
    r = office.post(f"/api/v1/orders/{order.id}/customer-link")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["url"].startswith("http://testserver/c/")
    assert dt.datetime.fromisoformat(body["expires_at"]) == clock.now() + dt.timedelta(hours=72)
    link = services.customer_link_open(
        token=token_of(body["url"].removeprefix("http://testserver"))
    )
    assert link.appointment.id == appt.id
    event = OrderEvent.objects.get(order=order, action="customer_link")
    assert event.actor_label.startswith("dispatcher:")


def test_the_api_refuses_technicians_and_orders_without_an_appointment(office, clock):
    order, _ = booked()
    _, raw = f.token(Role.TECHNICIAN)
    tech = Client(headers={"Authorization": f"Bearer {raw}"})
    assert tech.post(f"/api/v1/orders/{order.id}/customer-link").status_code == 403
    assert Client().post(f"/api/v1/orders/{order.id}/customer-link").status_code == 401
    fresh = f.order()
    r = office.post(f"/api/v1/orders/{fresh.id}/customer-link")
    assert r.status_code == 404
    assert json.loads(r.content)["code"] == "link.no_appointment"


def test_the_api_can_text_the_link_to_the_customer(office, clock, caplog):
    order, appt = booked()
    caplog.set_level("INFO", logger="guifan.contacts")
    r = office.post(f"/api/v1/orders/{order.id}/customer-link?send=true")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["sms_outcome"] == "sent"
    contact = Contact.objects.get(order=order)
    assert (contact.channel, contact.purpose, contact.appointment_id) == (
        "sms",
        "reconfirm",
        appt.id,
    )
    assert body["url"] in contact.body and "6月4日上午 08:00-12:00" in contact.body
    assert body["url"] in caplog.text and "139****5678" in caplog.text
    assert "13912345678" not in caplog.text  # SEC-01: the log masks the number
    # The text is the first contact with the customer (APT-02 measured from intake).
    assert NormCheck.objects.get(norm_id="APT-02", order_id=order.id).kept is True
