"""A star customer's order gets at least the field tier its star level maps to (APT-02's
``star_to_field_tier``), so a 7-star customer's repair gets the diamond first-contact deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.audit.models import AuditEntry
from guifan.apps.customers.models import Customer
from guifan.apps.norms.models import NormParameter
from guifan.apps.orders.models import OrderEvent
from guifan.apps.stars.models import StarMember
from guifan.apps.timers.models import Timer
from tests import factories as f

pytestmark = pytest.mark.django_db
PHONE = "13912345678"  # the factories' customer


def member(level: int, phone: str = PHONE, ref: str = "CRM-1") -> StarMember:
    return StarMember.objects.create(ref=ref, name="张三", phone=phone, level=level)


def first_contact_hours(order) -> float:
    timer = Timer.objects.get(kind="apt02.first_contact", order_id=order.id)
    return (timer.due_at - order.received_at) / dt.timedelta(hours=1)


def test_a_7_star_customers_repair_gets_the_diamond_deadline(clock):
    member(7)
    order = f.order(tier="normal", service_type="broadband", kind="repair")
    assert order.tier == "diamond" and first_contact_hours(order) == 2
    intake = OrderEvent.objects.get(order=order, action="intake")
    assert intake.detail == {
        "source": "test",
        "star_level": 7,
        "tier_sent": "normal",
        "tier": "diamond",
    }
    assert Customer.objects.get(phone=PHONE).star_level == 7


@pytest.mark.parametrize(
    ("level", "sent", "tier"),
    [
        (6, "normal", "gold"),
        (5, "silver", "silver"),
        (5, "diamond", "diamond"),
        (4, "gold", "gold"),
    ],
)
def test_the_tier_is_at_least_the_mapped_one(clock, level, sent, tier):
    member(level)
    assert f.order(tier=sent).tier == tier


def test_a_phone_without_a_record_keeps_the_sent_tier(clock):
    member(7, phone="13800000000")
    order = f.order(tier="silver")
    assert order.tier == "silver" and first_contact_hours(order) == 8
    assert "star_level" not in OrderEvent.objects.get(order=order, action="intake").detail


def test_a_phone_two_members_share_keeps_the_sent_tier(clock):
    member(7)
    member(6, ref="CRM-2")
    assert f.order(tier="normal").tier == "normal"


def test_the_map_is_catalog_data(clock):
    member(7)
    NormParameter.objects.create(
        norm_id="APT-02",
        name="star_to_field_tier",
        value={"7": "gold", "6": "silver"},
        updated_at=clock.now(),
    )
    assert f.order(tier="normal").tier == "gold"


def test_a_level_change_of_a_known_customer_is_audited(clock):
    f.order(tier="normal")
    member(6)
    f.order(tier="normal")
    assert Customer.objects.get(phone=PHONE).star_level == 6
    assert AuditEntry.objects.filter(action="customer.star_level").count() == 1
