from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.services import norm_parameter_set
from guifan.apps.orders import services
from guifan.apps.orders.models import Appointment
from guifan.apps.timers.services import timers_fire_due
from guifan.clock import at_local
from guifan.errors import Conflict, RuleViolation, ValidationFailed
from guifan.norms.reasons import reason_text
from tests import factories as f

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)  # the clock fixture stands at Monday 10:00


def booked(order, day=MON + dt.timedelta(days=2), half_day="am"):
    services.work_order_analyse(order_id=order.id, analysis={}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    return services.appointment_book(order_id=order.id, by=None, day=day, half_day=half_day)


def test_a_slot_at_21_00_is_refused_naming_apt03(clock):
    order = f.order()
    services.work_order_analyse(order_id=order.id, analysis={}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    start = at_local(MON + dt.timedelta(days=3), "21:00")
    with pytest.raises(RuleViolation) as exc:
        services.appointment_book(order_id=order.id, by=None, window_start=start)
    assert exc.value.rule == "APT-03"
    assert not Appointment.objects.exists()


def test_an_install_slot_less_than_24_h_ahead_is_refused(clock):
    order = f.order()
    services.work_order_analyse(order_id=order.id, analysis={}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    with pytest.raises(RuleViolation) as exc:
        services.appointment_book(
            order_id=order.id, by=None, window_start=at_local(MON + dt.timedelta(days=1), "09:00")
        )
    assert (exc.value.rule, exc.value.field) == ("APT-03", "date")


def test_a_repair_may_be_booked_the_same_day(clock):
    order = f.order(kind="repair")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "光猫"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    appt = services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(MON, "15:00")
    )
    assert appt.window_minutes == 60


def test_the_lead_time_is_data_not_code(clock):
    norm_parameter_set(norm_id="APT-03", name="min_lead_hours", value=72, by=None)
    order = f.order()
    services.work_order_analyse(order_id=order.id, analysis={}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    with pytest.raises(RuleViolation):
        services.appointment_book(
            order_id=order.id, by=None, day=MON + dt.timedelta(days=2), half_day="pm"
        )


def test_offered_slots_are_all_outside_quiet_hours_and_after_the_lead(clock):
    order = f.order()
    slots = services.appointment_slots(order=order, now=clock.now(), days=3)
    assert slots
    assert all(s.start >= clock.now() + dt.timedelta(hours=24) for s in slots)
    assert all(s.start.hour >= 8 and s.end.hour <= 20 for s in slots)
    # Every qualifying hour is offered: Tue 10:00..19:00 and all of Wed.
    assert len([s for s in slots if s.start.date() == MON + dt.timedelta(days=2)]) == 12


def test_provider_reschedule_needs_a_reason_and_consent(clock):
    appt = booked(f.order())
    with pytest.raises(RuleViolation) as no_reason:
        services.appointment_reschedule(
            appointment_id=appt.id,
            initiator="provider",
            by=None,
            consent=True,
            day=MON + dt.timedelta(days=3),
            half_day="pm",
        )
    assert (no_reason.value.rule, no_reason.value.field) == ("APT-06", "reason_code")
    with pytest.raises(RuleViolation) as no_consent:
        services.appointment_reschedule(
            appointment_id=appt.id,
            initiator="provider",
            by=None,
            reason_code="schedule conflict",
            day=MON + dt.timedelta(days=3),
            half_day="pm",
        )
    assert (no_consent.value.rule, no_consent.value.field) == ("APT-06", "consent")
    new = services.appointment_reschedule(
        appointment_id=appt.id,
        initiator="provider",
        by=None,
        reason_code="schedule conflict",
        consent=True,
        day=MON + dt.timedelta(days=3),
        half_day="pm",
    )
    old = Appointment.objects.get(id=appt.id)
    assert (old.status, old.replaced_by_id, old.counts_against_team) == (
        "rescheduled",
        new.id,
        True,
    )
    assert NormCheck.objects.filter(norm_id="APT-06", kept=True).count() == 1
    check = NormCheck.objects.get(norm_id="APT-06", kept=True)
    assert check.reason == "改约：时间冲突，计入班组"
    assert reason_text(check.detail["msg"], check.detail["args"], "en") == (
        "Rescheduled: schedule conflict; counts against the team"
    )


def test_customer_changes_are_never_counted_against_the_team(clock):
    appt = booked(f.order())
    services.appointment_reschedule(
        appointment_id=appt.id,
        initiator="customer",
        by=None,
        day=MON + dt.timedelta(days=4),
        half_day="am",
    )
    assert Appointment.objects.get(id=appt.id).counts_against_team is False
    check = NormCheck.objects.get(norm_id="APT-05", kept=True)
    assert check.reason == "改约：客户要求"
    english = reason_text(check.detail["msg"], check.detail["args"], "en")
    assert english == "Rescheduled: the customer's request"


def test_closing_an_order_that_never_started_is_refused(clock):
    order = f.order()
    with pytest.raises(Conflict) as exc:
        services.work_order_transition(order_id=order.id, action="close", by=None)
    assert exc.value.code == "order.illegal_transition"
    order.refresh_from_db()
    assert order.status == "received"


def test_reconfirmed_by_nine_keeps_apt04_and_the_hour_window_keeps_apt01(clock):
    appt = booked(f.order())
    clock.set(at_local(appt.date, "08:10"))
    services.appointment_confirm(
        appointment_id=appt.id, by=None, window_start=at_local(appt.date, "10:00")
    )
    clock.set(at_local(appt.date, "09:00"))
    assert timers_fire_due(now=clock.now(), worker_id="t") >= 1
    checks = dict(
        NormCheck.objects.filter(norm_id__in=["APT-04", "APT-01"]).values_list("norm_id", "kept")
    )
    assert checks == {"APT-04": True, "APT-01": True}


def test_no_reconfirmation_breaks_apt04_and_a_half_day_breaks_apt01(clock):
    appt = booked(f.order())
    clock.set(at_local(appt.date, "09:00"))
    timers_fire_due(now=clock.now(), worker_id="t")
    checks = dict(
        NormCheck.objects.filter(norm_id__in=["APT-04", "APT-01"]).values_list("norm_id", "kept")
    )
    assert checks == {"APT-04": False, "APT-01": False}


def test_a_window_longer_than_an_hour_cannot_be_confirmed(clock):
    appt = booked(f.order())
    with pytest.raises(RuleViolation) as exc:
        services.appointment_confirm(
            appointment_id=appt.id,
            by=None,
            window_start=at_local(appt.date, "09:00"),
            window_end=at_local(appt.date, "11:00"),
        )
    assert exc.value.rule == "APT-01"


def test_booking_without_a_half_day_is_refused(clock):
    order = f.order()
    services.work_order_analyse(order_id=order.id, analysis={}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    with pytest.raises(ValidationFailed) as exc:
        services.appointment_book(order_id=order.id, by=None, day=MON + dt.timedelta(days=3))
    assert exc.value.rule == "APT-01"
