from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services
from guifan.apps.orders.models import Contact
from guifan.apps.timers.models import Timer
from guifan.apps.timers.services import timers_fire_due
from guifan.clock import at_local
from guifan.errors import RuleViolation
from tests import factories as f
from tests.visits import visit_finish

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)


def kept(norm):
    return list(NormCheck.objects.filter(norm_id=norm).values_list("kept", flat=True))


def scheduled_repair(clock, **over):
    order = f.order(kind="repair", **over)
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "光猫故障"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    appt = services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(MON, "14:00")
    )
    return order, appt


def dispatched_repair(clock):
    """A repair booked for 14:00 today, assigned to a certified technician arriving 13:52."""
    order, _ = scheduled_repair(clock)
    tech = f.technician(work_types=("broadband_repair",))
    services.visit_assign(
        order_id=order.id, technician_id=tech.id, planned_arrival=at_local(MON, "13:52"), by=None
    )
    return order, tech


def test_first_contact_inside_the_tier_deadline_keeps_apt02(clock):
    order = f.order(tier="diamond")
    clock.advance(dt.timedelta(hours=1))
    services.contact_record(
        order_id=order.id, channel="call", purpose="first_contact", outcome="no_answer", by=None
    )
    assert kept("APT-02") == [True]
    assert Timer.objects.get(key=f"apt02:{order.id}").status == "cancelled"


def test_no_contact_by_the_deadline_breaks_apt02_when_the_timer_fires(clock):
    f.order(tier="diamond")
    clock.advance(dt.timedelta(hours=2, minutes=1))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert kept("APT-02") == [False]


def test_unreachable_customer_gets_retries_then_the_visit_still_happens(clock):
    order, _appt = scheduled_repair(clock)
    for _ in range(3):
        services.contact_record(
            order_id=order.id, channel="call", purpose="reconfirm", outcome="no_answer", by=None
        )
    assert Timer.objects.filter(kind="apt08.retry").count() == 2  # min_attempts 3: two retries
    tech = f.technician(work_types=("broadband_repair",))
    services.visit_assign(
        order_id=order.id, technician_id=tech.id, planned_arrival=at_local(MON, "13:52"), by=None
    )
    clock.set(at_local(MON, "13:20"))
    f.kit_ready(order.id)
    services.work_order_transition(order_id=order.id, action="depart", by=None)
    clock.set(at_local(MON, "13:55"))
    services.work_order_transition(order_id=order.id, action="arrive", by=None)
    assert kept("APT-08") == [True]


def test_only_certified_technicians_are_assigned(clock):
    order, _ = scheduled_repair(clock)
    tech = f.technician(work_types=("iptv_install",))
    with pytest.raises(RuleViolation) as exc:
        services.visit_assign(
            order_id=order.id,
            technician_id=tech.id,
            planned_arrival=at_local(MON, "13:52"),
            by=None,
        )
    assert exc.value.rule == "DSP-05"
    # The work type by its Chinese name, not its code (a Chinese page shows this message).
    assert f"无 {order.work_type}" not in exc.value.message
    assert "有效资格认证" in exc.value.message and "_" not in exc.value.message.split("无 ")[1]


def test_the_arrival_notice_goes_out_30_minutes_ahead(clock):
    order, tech = dispatched_repair(clock)
    clock.set(at_local(MON, "13:22"))
    timers_fire_due(now=clock.now(), worker_id="t")
    notice = Contact.objects.get(order=order, purpose="arrival_notice")
    assert notice.outcome == "sent"
    assert tech.badge_no in notice.body
    assert kept("APT-07") == [True]


def test_a_late_worker_breaks_apt07(clock):
    _order, _tech = dispatched_repair(clock)
    clock.set(at_local(MON, "13:45"))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert kept("APT-07") == [False]


def test_repair_restored_in_time_keeps_ord08(clock):
    order, _tech = dispatched_repair(clock)
    f.kit_ready(order.id)
    for action in ("depart", "arrive"):
        services.work_order_transition(order_id=order.id, action=action, by=None)
    visit_finish(order.id)
    assert kept("ORD-08") == [True]
    clock.set(at_local(MON + dt.timedelta(days=1), "00:00"))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert kept("ORD-08") == [True]
    assert kept("QA-04") == []


def test_missed_deadline_with_escalation_keeps_qa04(clock):
    order, _ = scheduled_repair(clock)
    clock.set(at_local(MON, "22:00"))
    services.order_escalate(
        order_id=order.id, reason_code="hard fault", note="需更换分光器", by=None
    )
    clock.set(at_local(MON + dt.timedelta(days=1), "00:00"))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert kept("QA-04") == [True]
    assert kept("ORD-08") == [True]


def test_missed_deadline_without_escalation_breaks_qa04_and_ord08(clock):
    scheduled_repair(clock)
    clock.set(at_local(MON + dt.timedelta(days=1), "00:01"))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert kept("QA-04") == [False]
    assert kept("ORD-08") == [False]


def test_escalation_needs_a_catalog_reason(clock):
    order, _ = scheduled_repair(clock)
    with pytest.raises(RuleViolation) as exc:
        services.order_escalate(order_id=order.id, reason_code="太忙", note="", by=None)
    assert exc.value.rule == "QA-04"


def test_remote_fix_needs_a_callback_within_30_minutes(clock):
    order = f.order(kind="repair", remote_possible=True)
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "设置"}, by=None)
    services.work_order_remote(order_id=order.id, resolved=True, channel="phone guidance", by=None)
    clock.advance(dt.timedelta(minutes=25))
    services.contact_record(
        order_id=order.id, channel="call", purpose="callback", outcome="answered", by=None
    )
    assert kept("ORD-03") == [True]
    services.work_order_transition(order_id=order.id, action="close", by=None)


def test_appliance_callbacks_have_two_hours(clock):
    order = f.order(kind="repair", service_type="appliance")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "软件"}, by=None)
    services.work_order_remote(order_id=order.id, resolved=True, channel="remote desktop", by=None)
    assert Timer.objects.get(key=f"ord03:{order.id}").due_at == clock.now() + dt.timedelta(hours=2)


def test_bring_back_needs_the_signed_form(clock):
    order, _ = scheduled_repair(clock, service_type="appliance")
    tech = f.technician(work_types=("appliance_repair",))
    services.visit_assign(
        order_id=order.id, technician_id=tech.id, planned_arrival=at_local(MON, "13:52"), by=None
    )
    f.kit_ready(order.id)
    services.work_order_transition(order_id=order.id, action="depart", by=None)
    services.work_order_transition(order_id=order.id, action="arrive", by=None)
    form = {
        "device_configuration": "i5/8G",
        "data_backup_confirmed": True,
        "exterior_condition": "完好",
        "reason": "主板故障",
    }
    with pytest.raises(RuleViolation) as exc:
        services.visit_bring_back(order_id=order.id, customer_signature="", by=None, **form)
    assert (exc.value.rule, exc.value.field) == ("ORD-06", "customer_signature")
    assert exc.value.message == "带回维修单缺少客户签名"  # the field by its Chinese name
    services.visit_bring_back(
        order_id=order.id, customer_signature="data:image/png;base64,AAAA", by=None, **form
    )
    order.refresh_from_db()
    assert order.status == "bring_back"


def test_no_resource_close_needs_register_and_notice(clock):
    order = f.order(kind="install")
    with pytest.raises(RuleViolation) as exc:
        services.work_order_cancel(order_id=order.id, reason="no_resource", by=None)
    assert exc.value.rule == "ORD-05"
    services.order_resource_missing(
        order_id=order.id, line="无光纤", port_equipment="OLT 端口满", address="春熙路1号", by=None
    )
    with pytest.raises(RuleViolation):
        services.work_order_cancel(order_id=order.id, reason="no_resource", by=None)
    clock.advance(dt.timedelta(hours=3))
    services.contact_record(
        order_id=order.id, channel="call", purpose="resource_notice", outcome="answered", by=None
    )
    services.work_order_cancel(order_id=order.id, reason="no_resource", by=None)
    assert kept("ORD-05") == [True]


def test_a_late_visit_without_an_early_call_breaks_dsp04(clock):
    order, _tech = dispatched_repair(clock)
    clock.set(at_local(MON, "14:40"))
    timers_fire_due(now=clock.now(), worker_id="t")  # the late-risk check prompts a call
    assert order.events.filter(action="late_risk").exists()
    f.kit_ready(order.id)
    services.work_order_transition(order_id=order.id, action="depart", by=None)
    clock.set(at_local(MON, "15:20"))
    services.work_order_transition(order_id=order.id, action="arrive", by=None)
    assert kept("DSP-04") == [False]


def test_a_late_visit_announced_in_time_keeps_dsp04(clock):
    order, _tech = dispatched_repair(clock)
    clock.set(at_local(MON, "14:40"))
    services.contact_record(
        order_id=order.id, channel="call", purpose="late_notice", outcome="answered", by=None
    )
    f.kit_ready(order.id)
    services.work_order_transition(order_id=order.id, action="depart", by=None)
    clock.set(at_local(MON, "15:20"))
    services.work_order_transition(order_id=order.id, action="arrive", by=None)
    assert kept("DSP-04") == [True]


def test_a_late_risk_needs_a_call_or_a_move_within_minutes(clock):
    order, _tech = dispatched_repair(clock)
    clock.set(at_local(MON, "14:40"))
    timers_fire_due(now=clock.now(), worker_id="t")
    clock.set(at_local(MON, "14:45"))
    services.contact_record(
        order_id=order.id, channel="call", purpose="late_notice", outcome="answered", by=None
    )
    clock.set(at_local(MON, "14:50"))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert kept("DSP-03") == [True]


def test_a_late_risk_left_alone_breaks_dsp03(clock):
    _order, _tech = dispatched_repair(clock)
    clock.set(at_local(MON, "14:40"))
    timers_fire_due(now=clock.now(), worker_id="t")
    clock.set(at_local(MON, "14:50"))
    timers_fire_due(now=clock.now(), worker_id="t")
    assert kept("DSP-03") == [False]
