"""Recurring home care (seed 003): agreements, generated visits, feedback and the next visit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from guifan.apps.audit.models import AuditEntry
from guifan.apps.care import services
from guifan.apps.care.models import CareVisit, ServiceAgreement
from guifan.apps.care.schedule import first_on_or_after, next_after
from guifan.apps.care.timer_handlers import care_generate
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.apps.orders.services import contact_record
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.services import timers_fire_due
from guifan.clock import at_local
from guifan.errors import Conflict, NotFound, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)
WED = dt.date(2025, 6, 4)


def data(**over):
    values = {
        "customer_name": "李奶奶",
        "phone": "13912340000",
        "address": "成都市锦江区红星路3号",
        "area": "A01",
        "description": "居家养老上门关怀：清洁、陪护、量血压",
        "every_weeks": 2,
        "weekday": 2,
        "half_day": "pm",
        "start": MON,
    }
    values.update(over)
    return services.AgreementIn(**values)


def make(**over):
    f.area("A01")
    return services.care_agreement_create(data=data(**over), by=None)


def gen_timers(agreement):
    return list(
        Timer.objects.filter(kind=services.GENERATE, payload__agreement_id=agreement.id)
        .order_by("id")
        .values_list("key", "status", "due_at")
    )


def fire(clock, at):
    clock.set(at)
    return timers_fire_due(now=at, worker_id="test")


def test_the_schedule_is_every_n_weeks_on_its_weekday():
    assert first_on_or_after(MON, 2) == WED
    assert next_after(WED, every_weeks=2, weekday=2) == dt.date(2025, 6, 18)
    # A visit agreed on another day returns the schedule to its weekday.
    assert next_after(dt.date(2025, 6, 5), every_weeks=1, weekday=2) == dt.date(2025, 6, 11)


def test_an_agreement_arms_the_first_visit_a_lead_time_before_it(clock):
    agreement = make()
    assert (agreement.next_date, agreement.next_half_day, agreement.next_sequence) == (WED, "pm", 1)
    key = f"care:gen:{agreement.id}:1"
    assert gen_timers(agreement) == [(key, "pending", at_local(dt.date(2025, 6, 1), "09:00"))]
    assert AuditEntry.objects.filter(action="care.agreement").count() == 1


def test_the_timer_generates_the_visit_through_the_intake(clock):
    agreement = make()
    assert fire(clock, clock.now()) >= 1
    visit = CareVisit.objects.get(agreement=agreement)
    order = visit.order
    assert (visit.sequence, visit.date, visit.half_day) == (1, WED, "pm")
    assert (order.service_type, order.kind, order.status) == ("home_care", "care", "received")
    assert order.requested_time.startswith("2025-06-04 下午")
    assert order.customer.name == "李奶奶" and order.area.code == "A01"
    assert OrderEvent.objects.filter(order=order, action="intake").exists()
    agreement.refresh_from_db()
    assert (agreement.next_sequence, agreement.next_date) == (2, dt.date(2025, 6, 18))
    assert gen_timers(agreement)[-1] == (
        f"care:gen:{agreement.id}:2",
        "pending",
        at_local(dt.date(2025, 6, 15), "09:00"),
    )
    assert Timer.objects.get(key=f"care:fb:{visit.id}:1").due_at == at_local(
        dt.date(2025, 6, 5), "10:00"
    )


def test_a_timer_fired_twice_makes_one_order(clock):
    agreement = make()
    fire(clock, clock.now())
    timer = Timer.objects.get(key=f"care:gen:{agreement.id}:1")
    again = care_generate(timer, clock.now())
    assert again["generated"] is True
    assert services.care_visit_generate(agreement_id=agreement.id, sequence=1) is not None
    assert CareVisit.objects.filter(agreement=agreement).count() == 1
    assert WorkOrder.objects.filter(kind="care").count() == 1
    agreement.refresh_from_db()
    assert agreement.next_sequence == 2


def test_one_visit_per_agreement_and_sequence_in_the_database(clock):
    agreement = make()
    fire(clock, clock.now())
    visit = CareVisit.objects.get(agreement=agreement)
    other = f.order(service_type="home_care", kind="care", description="关怀")
    with pytest.raises(IntegrityError), transaction.atomic():
        CareVisit.objects.create(
            agreement=agreement,
            sequence=visit.sequence,
            date=visit.date,
            half_day="am",
            order=other,
            generated_at=clock.now(),
        )


def test_no_visit_is_generated_after_the_end(clock):
    agreement = make(end=dt.date(2025, 6, 10))
    fire(clock, clock.now())
    agreement.refresh_from_db()
    assert agreement.next_date is None and agreement.next_sequence == 2
    assert [k for k, *_ in gen_timers(agreement)] == [f"care:gen:{agreement.id}:1"]


def test_an_inactive_agreement_generates_nothing(clock):
    agreement = make()
    ServiceAgreement.objects.filter(id=agreement.id).update(active=False)
    fire(clock, clock.now())
    assert not CareVisit.objects.filter(agreement=agreement).exists()


def completed(visit):
    WorkOrder.objects.filter(id=visit.order_id).update(status="completed")


def test_the_feedback_call_falls_due_the_day_after_a_completed_visit(clock):
    agreement = make()
    fire(clock, clock.now())
    visit = CareVisit.objects.get(agreement=agreement)
    completed(visit)
    fire(clock, at_local(dt.date(2025, 6, 5), "10:00"))
    event = OrderEvent.objects.get(order_id=visit.order_id, action="care_feedback_due")
    assert event.detail["next_date"] == "2025-06-18" and event.detail["sequence"] == 1


def test_a_visit_not_done_yet_is_checked_again_the_next_day(clock):
    agreement = make()
    fire(clock, clock.now())
    visit = CareVisit.objects.get(agreement=agreement)
    fire(clock, at_local(dt.date(2025, 6, 5), "10:00"))
    assert not OrderEvent.objects.filter(action="care_feedback_due").exists()
    assert Timer.objects.get(key=f"care:fb:{visit.id}:2").due_at == at_local(
        dt.date(2025, 6, 6), "10:00"
    )
    completed(visit)
    fire(clock, at_local(dt.date(2025, 6, 6), "10:00"))
    assert OrderEvent.objects.filter(order_id=visit.order_id, action="care_feedback_due").exists()


def test_a_cancelled_visit_needs_no_feedback(clock):
    agreement = make()
    fire(clock, clock.now())
    visit = CareVisit.objects.get(agreement=agreement)
    WorkOrder.objects.filter(id=visit.order_id).update(status="cancelled")
    fire(clock, at_local(dt.date(2025, 6, 5), "10:00"))
    assert not OrderEvent.objects.filter(action="care_feedback_due").exists()
    assert not Timer.objects.filter(key=f"care:fb:{visit.id}:2").exists()


def test_the_feedback_call_agrees_the_next_visit_and_moves_its_timer(clock):
    dispatcher = f.user()
    agreement = make()
    fire(clock, clock.now())
    visit = CareVisit.objects.get(agreement=agreement)
    completed(visit)
    clock.set(at_local(dt.date(2025, 6, 5), "10:30"))
    contact_record(
        order_id=visit.order_id,
        channel="call",
        purpose="callback",
        outcome="answered",
        by=dispatcher,
    )
    services.care_next_visit_agree(
        agreement_id=agreement.id, day=dt.date(2025, 6, 20), half_day="am", by=dispatcher
    )
    agreement.refresh_from_db()
    visit.refresh_from_db()
    assert (agreement.next_date, agreement.next_half_day) == (dt.date(2025, 6, 20), "am")
    assert visit.feedback_at == at_local(dt.date(2025, 6, 5), "10:30")
    assert visit.order.status == "callback"
    key, status, due = gen_timers(agreement)[-1]
    assert (key, status, due) == (
        f"care:gen:{agreement.id}:2",
        TimerStatus.PENDING,
        at_local(dt.date(2025, 6, 17), "09:00"),
    )
    fire(clock, at_local(dt.date(2025, 6, 17), "09:00"))
    second = CareVisit.objects.get(agreement=agreement, sequence=2)
    assert (second.date, second.half_day) == (dt.date(2025, 6, 20), "am")
    agreement.refresh_from_db()
    assert agreement.next_date == dt.date(2025, 7, 2)  # back on Wednesdays


@pytest.mark.parametrize(
    ("day", "half_day", "field"),
    [
        (MON, "am", "date"),
        (dt.date(2025, 6, 3), "evening", "half_day"),
        (dt.date(2026, 1, 5), "am", "date"),
    ],
)
def test_a_bad_next_visit_is_refused_naming_the_field(clock, day, half_day, field):
    agreement = make(end=dt.date(2025, 12, 31))
    with pytest.raises(ValidationFailed) as err:
        services.care_next_visit_agree(
            agreement_id=agreement.id, day=day, half_day=half_day, by=None
        )
    assert err.value.field == field
    agreement.refresh_from_db()
    assert agreement.next_date == WED


def test_the_next_visit_must_follow_the_last(clock):
    agreement = make()
    fire(clock, clock.now())
    with pytest.raises(ValidationFailed) as err:
        services.care_next_visit_agree(
            agreement_id=agreement.id, day=dt.date(2025, 6, 3), half_day="am", by=None
        )
    assert err.value.code == "care.date_before_last"


def test_an_ended_agreement_takes_no_next_visit(clock):
    agreement = make()
    ServiceAgreement.objects.filter(id=agreement.id).update(active=False)
    with pytest.raises(Conflict):
        services.care_next_visit_agree(
            agreement_id=agreement.id, day=dt.date(2025, 6, 20), half_day="am", by=None
        )


def test_another_areas_agreement_is_not_found(clock):
    agreement = make()
    outsider = f.user(areas=("A02",))
    with pytest.raises(NotFound):
        services.care_next_visit_agree(
            agreement_id=agreement.id, day=dt.date(2025, 6, 20), half_day="am", by=outsider
        )
    assert services.care_agreement_list(by=outsider) == []
    assert services.care_agreement_list(by=f.user()) == [agreement]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"every_weeks": 0}, "every_weeks"),
        ({"every_weeks": 53}, "every_weeks"),
        ({"weekday": 7}, "weekday"),
        ({"half_day": "night"}, "half_day"),
        ({"start": dt.date(2025, 6, 1)}, "start"),
        ({"end": dt.date(2025, 6, 1)}, "end"),
        ({"phone": "123"}, "phone"),
        ({"customer_name": " "}, "customer_name"),
        ({"tier": "platinum"}, "tier"),
    ],
)
def test_a_bad_agreement_is_refused_naming_the_field(clock, over, field):
    with pytest.raises(ValidationFailed) as err:
        make(**over)
    assert err.value.field == field
    assert not ServiceAgreement.objects.exists()


def test_a_dispatcher_signs_only_in_their_areas(clock):
    f.area("A02")
    with pytest.raises(NotFound) as err:
        services.care_agreement_create(data=data(area="A02"), by=f.user())
    assert err.value.field == "area"
    assert not ServiceAgreement.objects.exists()
