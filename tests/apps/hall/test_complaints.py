"""Hall complaints (HAL-08): owned by the first contact, replied on time or counted late."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.accounts.models import Role
from guifan.apps.cases.hall import complaint_close, complaint_record
from guifan.apps.cases.models import HallComplaint
from guifan.apps.hall.models import Hall
from guifan.apps.norms.models import NormCheck
from guifan.apps.timers.services import timers_fire_due
from guifan.errors import Conflict, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(clock):
    return Hall.objects.create(code="H1", name="春熙路营业厅")


@pytest.fixture
def staff():
    return f.user(Role.HALL_STAFF, "zhang")


def record(hall, staff, clock, **over):
    kw = {
        "hall": hall,
        "customer_name": "王女士",
        "customer_phone": "139-1234-5678",
        "summary": "多扣了上月话费",
        "dispute": True,
        "reply_by": clock.now() + dt.timedelta(hours=2),
        "by": staff,
    }
    return complaint_record(**{**kw, **over})


def hal08():
    return list(NormCheck.objects.filter(norm_id="HAL-08").values_list("kept", flat=True))


def test_the_first_contact_owns_the_complaint_and_a_reply_in_time_keeps_hal08(hall, staff, clock):
    c = record(hall, staff, clock)
    assert (c.owner, c.customer_phone, c.status) == (staff, "13912345678", "open")
    clock.advance(dt.timedelta(hours=1))
    complaint_close(
        complaint_id=c.id, hall=hall, status="replied", outcome="已退还多扣费用", by=staff
    )
    clock.advance(dt.timedelta(hours=2))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert hal08() == [True]


def test_a_reply_time_passed_breaks_hal08_once(hall, staff, clock):
    c = record(hall, staff, clock)
    clock.advance(dt.timedelta(hours=3))
    timers_fire_due(now=clock.now(), worker_id="t")
    complaint_close(
        complaint_id=c.id, hall=hall, status="escalated", outcome="已上报区分公司", by=staff
    )
    assert hal08() == [False]


def test_a_referral_names_a_hal08_number(hall, staff, clock):
    c = record(hall, staff, clock)
    with pytest.raises(ValidationFailed) as exc:
        complaint_close(
            complaint_id=c.id, hall=hall, status="referred", outcome="请拨打客服", by=staff
        )
    assert exc.value.field == "outcome"
    complaint_close(
        complaint_id=c.id, hall=hall, status="referred", outcome="已指导拨打 10000", by=staff
    )
    with pytest.raises(Conflict):
        complaint_close(complaint_id=c.id, hall=hall, status="replied", outcome="再次", by=staff)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"customer_name": " "}, "customer_name"),
        ({"customer_phone": "abc"}, "customer_phone"),
        ({"summary": ""}, "summary"),
        ({"reply_by": None}, "reply_by"),
    ],
)
def test_bad_input_is_refused(hall, staff, clock, over, field):
    if "reply_by" in over:
        over = {"reply_by": clock.now() - dt.timedelta(minutes=1)}
    with pytest.raises(ValidationFailed) as exc:
        record(hall, staff, clock, **over)
    assert exc.value.field == field
    assert not HallComplaint.objects.exists()
