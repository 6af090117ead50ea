"""Greeting and triage at the entrance (HAL-06), with assisted priority tickets (HAL-05)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guifan.apps.hall import services
from guifan.apps.hall.greeting import customer_greet, ticket_take
from guifan.apps.hall.models import Counter, Hall, Ticket
from guifan.apps.norms.models import NormCheck
from guifan.errors import NotFound, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(clock):
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    return Counter.objects.create(hall=hall, number=1, categories=["A"], status="open")


def greet(route="counter", **kw):
    return customer_greet(hall_code="H1", route=route, by=None, **{"category": "A", **kw})


def test_each_greeted_customer_is_recorded_against_hal06(counter):
    assert greet().code == "A001"
    assert greet("self_service") is None
    assert greet("online", category=None) is None
    routes = NormCheck.objects.filter(norm_id="HAL-06", kept=True).values_list(
        "detail__route", flat=True
    )
    assert sorted(routes) == ["counter", "online", "self_service"]
    assert Ticket.objects.count() == 1


def test_a_priority_group_gets_an_assisted_priority_ticket_served_first(counter):
    greet()
    elderly = greet(priority_group="elderly")
    assert elderly.vulnerable is True
    assert NormCheck.objects.get(norm_id="HAL-05").detail == {
        "group": "elderly",
        "msg": "hal05.priority_ticket",
        "args": {"priority_group": "elderly", "ticket": elderly.code},
    }
    assert services.ticket_call_next(counter_id=counter.id, by=None).id == elderly.id


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"route": "elsewhere"}, "route"),
        ({"route": "counter", "category": None}, "category"),
        ({"route": "counter", "priority_group": "tall"}, "priority_group"),
    ],
)
def test_bad_greetings_write_nothing(counter, kw, field):
    with pytest.raises(ValidationFailed) as exc:
        greet(**kw)
    assert exc.value.field == field
    assert not NormCheck.objects.exists() and not Ticket.objects.exists()


def test_an_unknown_hall_is_refused(counter):
    with pytest.raises(NotFound):
        customer_greet(hall_code="NOPE", route="online", by=None)
    assert not NormCheck.objects.exists()


def test_the_greeting_api_routes_and_issues(counter):
    user, raw = f.token(role="hall_staff")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    resp = api.post(
        "/api/v1/halls/H1/greetings",
        data=json.dumps({"route": "counter", "category": "A", "priority_group": "pregnant"}),
        content_type="application/json",
    )
    assert resp.status_code == 201
    assert resp.json()["ticket"]["code"] == "A001"
    assert NormCheck.objects.get(norm_id="HAL-06").person == user.username
    other = api.post(
        "/api/v1/halls/H1/greetings",
        data=json.dumps({"route": "self_service"}),
        content_type="application/json",
    )
    assert (other.status_code, other.json()["ticket"]) == (201, None)
    bad = api.post(
        "/api/v1/halls/H1/greetings",
        data=json.dumps({"route": "counter"}),
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "category")


def take(**kw):
    return ticket_take(hall_code="H1", category="A", **kw)


def test_a_number_taken_at_the_kiosk_was_not_greeted(counter):
    ticket, created = take(by=None)
    assert created
    check = NormCheck.objects.get(norm_id="HAL-06")
    assert (check.kept, check.detail["msg"], check.detail["args"]) == (
        False,
        "hal06.not_greeted",
        {"ticket": ticket.code},
    )
    assert not NormCheck.objects.filter(norm_id="HAL-05").exists()
    # The kiosk repeating its press with the same key issues nothing and records nothing more.
    first, _ = take(by=None, key="press-1")
    again, created = take(by=None, key="press-1")
    assert (again.id, created) == (first.id, False)
    assert NormCheck.objects.filter(norm_id="HAL-06", kept=False).count() == 2


def test_a_priority_customer_alone_at_the_kiosk_was_not_assisted(counter):
    kiosk = f.user(role="system")
    ticket, _ = take(by=kiosk, vulnerable=True)
    assert ticket.vulnerable  # still served first: the breach is that nobody helped
    assert set(NormCheck.objects.filter(kept=False).values_list("norm_id", flat=True)) == {
        "HAL-05",
        "HAL-06",
    }
    assert NormCheck.objects.get(norm_id="HAL-05").detail["msg"] == "hal05.unassisted"


def test_a_number_staff_issue_for_a_customer_is_no_kiosk_self_service(counter):
    take(by=f.user(role="hall_staff"))
    assert not NormCheck.objects.exists()
    staff = f.user(role="hall_staff")
    ticket, _ = take(by=staff, vulnerable=True)  # an assisted priority ticket
    check = NormCheck.objects.get()
    assert (check.norm_id, check.kept, check.person) == ("HAL-05", True, staff.username)
    assert check.detail["args"] == {"ticket": ticket.code}


def test_the_ticket_api_of_a_kiosk_account_records_the_missed_greeting(counter):
    _, raw = f.token(role="system")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    resp = api.post(
        "/api/v1/halls/H1/tickets",
        data=json.dumps({"category": "A", "vulnerable": True}),
        content_type="application/json",
    )
    assert resp.status_code == 201
    assert NormCheck.objects.filter(kept=False).count() == 2
    bad = api.post(
        "/api/v1/halls/H1/tickets",
        data=json.dumps({"category": "A", "preprocessing": ["question_answered"]}),
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["field"], bad.json()["rule"]) == (
        422,
        "preprocessing",
        "HAL-07",
    )
    assert Ticket.objects.count() == 1 and NormCheck.objects.count() == 2
