"""The demo's care and exception functions act through the API and leave the product's records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from guifan.apps.accounts.models import Role
from guifan.apps.accounts.services import api_token_create
from guifan.apps.care.models import CareVisit, ServiceAgreement
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.apps.timers.models import Timer
from guifan.apps.timers.services import timers_fire_due
from guifan.clock import at_local
from guifan.demo import care
from guifan.demo.api_client import Api
from guifan.demo.city import AREAS
from tests import factories as f
from tests.apps.fieldwork.visits import field_user, field_visit, on_site

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)


def desk_api() -> Api:
    codes = tuple(code for code, *_ in AREAS)
    user = f.user(Role.DISPATCHER, areas=codes)
    return Api(api_token_create(user=user, name="desk"))


def test_the_setup_signs_agreements_whose_first_orders_come_within_the_demo(clock):
    api = desk_api()
    ids = care.care_agreements_setup(api, random.Random(1), MON)
    assert len(ids) == care.Rates().agreements == ServiceAgreement.objects.count()
    due = Timer.objects.filter(kind="care.generate").values_list("due_at", flat=True)
    assert max(due) <= at_local(MON + dt.timedelta(days=1), "09:00")
    clock.set(at_local(MON + dt.timedelta(days=1), "09:00"))
    timers_fire_due(now=clock.now(), worker_id="test")
    assert CareVisit.objects.count() == len(ids)


def test_a_generated_order_reaches_the_desk_through_the_hook(clock):
    api = desk_api()
    care.care_agreements_setup(api, random.Random(1), MON, care.Rates(agreements=1))
    clock.set(at_local(MON, "09:00"))
    timers_fire_due(now=clock.now(), worker_id="test")
    seen = []
    hook = care.care_on_generate(api, lambda oid, arrival: seen.append((oid, arrival)))
    hook(Timer.objects.get(kind="care.generate", status="fired"))
    ((order_id, arrival),) = seen
    assert WorkOrder.objects.get(id=order_id).kind == "care"
    assert arrival.body["kind"] == "care" and arrival.behaviour.preferred_half_day in ("am", "pm")


def test_the_feedback_call_agrees_the_next_visit_and_closes(clock):
    api = desk_api()
    care.care_agreements_setup(api, random.Random(1), MON, care.Rates(agreements=1))
    timers_fire_due(now=clock.now(), worker_id="test")
    visit = CareVisit.objects.get()
    WorkOrder.objects.filter(id=visit.order_id).update(status="completed")
    rates = care.Rates(feedback_reached=1.0, next_visit_moved=0.0)
    agreed = care.care_feedback(api, visit.order_id, random.Random(1), rates)
    visit.refresh_from_db()
    assert agreed == visit.agreement.next_date.isoformat()
    assert visit.order.status == "closed" and visit.feedback_at is not None


def test_a_feedback_call_not_answered_leaves_the_schedule(clock):
    api = desk_api()
    care.care_agreements_setup(api, random.Random(1), MON, care.Rates(agreements=1))
    timers_fire_due(now=clock.now(), worker_id="test")
    visit = CareVisit.objects.get()
    WorkOrder.objects.filter(id=visit.order_id).update(status="completed")
    rates = care.Rates(feedback_reached=0.0)
    assert care.care_feedback(api, visit.order_id, random.Random(1), rates) is None
    assert WorkOrder.objects.get(id=visit.order_id).status == "completed"


def test_an_exception_on_site_is_recorded_through_the_api(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    api = Api(api_token_create(user=user, name="phone"))
    rates = dataclasses.replace(care.Rates(), exception_on_site=1.0, kinds=(("power_cut", 1.0),))
    kind = care.exception_on_site(api, order.id, order.version, random.Random(3), rates)
    assert kind == "power_cut"
    assert OrderEvent.objects.filter(order=order, action="field_exception").exists()
    order.refresh_from_db()
    assert order.status == "awaiting_appointment"


def test_no_exception_means_no_call(clock):
    """Without a draw under the rate, the phone sends nothing (no API to call here)."""
    rates = dataclasses.replace(care.Rates(), exception_on_site=0.0)
    api = None
    assert care.exception_on_site(api, 1, 1, random.Random(7), rates) is None  # type: ignore[arg-type]
