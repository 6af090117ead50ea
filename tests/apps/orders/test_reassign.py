"""Reassigning a visit re-arms the timers of the assignment (APT-07 notice, DSP-04 late check)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services, timer_handlers
from guifan.apps.orders.models import Contact, OrderEvent
from guifan.apps.timers.models import Timer
from guifan.apps.timers.worker import worker_tick
from guifan.clock import at_local
from tests import factories as f

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)


@dataclass
class RecordingSender:
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    def send(self, *, to: str, channel: str, body: str, key: str) -> str:
        self.sent.append((to, channel, body))
        return "sent"


@pytest.fixture
def sender(monkeypatch: pytest.MonkeyPatch) -> RecordingSender:
    recorder = RecordingSender()
    monkeypatch.setattr(timer_handlers, "get_sender", lambda: recorder)
    return recorder


def booked_repair():
    order = f.order(kind="repair")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "光猫故障"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    services.appointment_book(order_id=order.id, by=None, window_start=at_local(MON, "14:00"))
    return order


def assign(order, tech, at: str = "13:52") -> None:
    services.visit_assign(
        order_id=order.id, technician_id=tech.id, planned_arrival=at_local(MON, at), by=None
    )


def fire(clock, at: str) -> int:
    clock.set(at_local(MON, at))
    return worker_tick(worker_id="t")


def notices(order) -> list[Contact]:
    return list(Contact.objects.filter(order=order, purpose="arrival_notice"))


def test_reassigning_at_the_same_arrival_still_tells_the_customer_once(clock, sender):
    order = booked_repair()
    first = f.technician(work_types=("broadband_repair",))
    second = f.technician(work_types=("broadband_repair",))
    assign(order, first)
    assign(order, second)
    fire(clock, "13:22")
    assert len(notices(order)) == 1
    assert len(sender.sent) == 1
    to, channel, body = sender.sent[0]
    assert (to, channel) == (order.customer.phone, "sms")
    assert second.badge_no in body
    assert list(NormCheck.objects.filter(norm_id="APT-07").values_list("kept", flat=True)) == [True]
    fire(clock, "13:40")
    assert len(sender.sent) == 1
    pending = Timer.objects.filter(kind="apt07.arrival_notice", status="pending")
    assert not pending.exists()


def test_reassigning_at_another_arrival_tells_the_customer_once(clock, sender):
    order = booked_repair()
    tech = f.technician(work_types=("broadband_repair",))
    assign(order, tech, "13:52")
    assign(order, tech, "13:40")
    fire(clock, "13:30")
    assert len(sender.sent) == 1
    assert "13:40" in sender.sent[0][2]


def test_assigning_twice_in_a_row_arms_one_notice(clock, sender):
    order = booked_repair()
    tech = f.technician(work_types=("broadband_repair",))
    assign(order, tech)
    assign(order, tech)
    assert Timer.objects.filter(kind="apt07.arrival_notice", status="pending").count() == 1
    assert Timer.objects.filter(kind="dsp04.late_check", status="pending").count() == 1
    fire(clock, "13:22")
    assert len(sender.sent) == 1


def test_reassigning_after_a_late_risk_checks_the_new_technician_too(clock, sender):
    order = booked_repair()
    first = f.technician(work_types=("broadband_repair",))
    second = f.technician(work_types=("broadband_repair",))
    assign(order, first, "13:00")
    check = Timer.objects.get(kind="dsp04.late_check").due_at
    clock.set(check)
    worker_tick(worker_id="t")  # first is not under way: late risk (DSP-04), DSP-03 armed
    assert OrderEvent.objects.filter(order=order, action="late_risk").count() == 1
    services.visit_assign(
        order_id=order.id,
        technician_id=second.id,
        planned_arrival=check + dt.timedelta(minutes=5),
        by=None,
    )
    clock.set(check + dt.timedelta(minutes=6))
    worker_tick(worker_id="t")
    assert OrderEvent.objects.filter(order=order, action="late_risk").count() == 2
    clock.set(check + dt.timedelta(minutes=30))
    worker_tick(worker_id="t")
    # The first prompt was answered by the reassignment; the second technician's was not.
    dsp03 = NormCheck.objects.filter(norm_id="DSP-03").order_by("id")
    assert list(dsp03.values_list("kept", flat=True)) == [True, False]
    late = Timer.objects.filter(kind__in=("dsp04.late_check", "dsp03.action_due"))
    assert list(late.order_by("id").values_list("status", flat=True)) == ["fired"] * 4


def test_reassigning_after_the_notice_went_out_tells_the_customer_who_comes(clock, sender):
    order = booked_repair()
    first = f.technician(work_types=("broadband_repair",))
    second = f.technician(work_types=("broadband_repair",))
    assign(order, first)
    fire(clock, "13:22")
    clock.set(at_local(MON, "13:25"))
    assign(order, second)
    fire(clock, "13:26")
    assert [second.badge_no in body for _to, _ch, body in sender.sent] == [False, True]
