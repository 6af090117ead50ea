"""Field services: checklist records, evidence, call-ahead, completion and the offline sync."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from guifan.apps.fieldwork import services
from guifan.apps.fieldwork.checklist import checklist_for, checklist_steps
from guifan.apps.fieldwork.models import StepRecord, SyncAction, VisitSignature
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import Contact
from guifan.apps.orders.services import work_order_transition
from guifan.apps.timers.models import Timer
from guifan.clock import at_local
from guifan.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from tests.apps.fieldwork.visits import MON, field_user, field_visit, on_site
from tests.visits import png_bytes, steps_record

pytestmark = pytest.mark.django_db
PNG = png_bytes()


def checks(order, norm):
    return list(NormCheck.objects.filter(order=order, norm_id=norm).values_list("kept", flat=True))


def finish_mandatory(user, order):
    steps_record(order.id)


def test_the_checklist_holds_vis_01_to_19_in_visit_order(clock):
    ids = [s.norm_id for s in checklist_steps()]
    assert ids == [f"VIS-{n:02d}" for n in range(1, 20)]
    vis04 = checklist_steps()[3]
    assert vis04.title == "问候、自我介绍、出示证件、核对工单"
    assert vis04.mandatory and vis04.check and vis04.moment == "arrival"


def test_steps_apply_by_service_and_kind(clock):
    repair = [s.norm_id for s in checklist_for(service_type="broadband", kind="repair")]
    assert "VIS-13" in repair and "VIS-09" not in repair and "VIS-11" not in repair
    appliance = [s.norm_id for s in checklist_for(service_type="appliance", kind="repair")]
    assert "VIS-09" in appliance and "VIS-13" not in appliance


def test_a_done_enforced_step_keeps_its_norm(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    services.checklist_step_record(
        order_id=order.id, norm_id="VIS-04", outcome="done", expected_version=order.version, by=user
    )
    rec = StepRecord.objects.get(order=order, norm_id="VIS-04")
    assert (rec.outcome, rec.by) == ("done", user)
    assert checks(order, "VIS-04") == [True]


def record(user, order, norm, outcome="done", reason=""):
    return services.checklist_step_record(
        order_id=order.id,
        norm_id=norm,
        outcome=outcome,
        reason=reason,
        expected_version=order.version,
        by=user,
    )


def test_no_work_step_before_the_badge_is_shown_and_the_order_confirmed(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    record(user, order, "VIS-02")
    with pytest.raises(RuleViolation) as exc:
        record(user, order, "VIS-07")
    assert exc.value.rule == "VIS-04"
    record(user, order, "VIS-04")
    record(user, order, "VIS-07")
    assert StepRecord.objects.filter(order=order, norm_id="VIS-07").exists()


def test_a_skipped_step_needs_a_reason_and_breaks_a_checkable_norm(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    record(user, order, "VIS-04")
    with pytest.raises(ValidationFailed) as exc:
        services.checklist_step_record(
            order_id=order.id,
            norm_id="VIS-14",
            outcome="skipped",
            expected_version=order.version,
            by=user,
        )
    assert exc.value.field == "reason"
    services.checklist_step_record(
        order_id=order.id,
        norm_id="VIS-14",
        outcome="skipped",
        reason="客户不在家中测试",
        expected_version=order.version,
        by=user,
    )
    assert checks(order, "VIS-14") == [False]


def test_an_assisted_step_is_judged_too_kept_when_done_broken_when_skipped(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    record(user, order, "VIS-04")
    services.checklist_step_record(
        order_id=order.id, norm_id="VIS-05", outcome="done", expected_version=order.version, by=user
    )
    assert StepRecord.objects.filter(order=order, norm_id="VIS-05").exists()
    assert checks(order, "VIS-05") == [True]
    record(user, order, "VIS-06", outcome="skipped", reason="客户不需要")
    assert checks(order, "VIS-06") == [False]


def test_steps_are_refused_before_arrival_and_on_a_stale_version(clock):
    user = field_user()
    order = field_visit(user)
    with pytest.raises(Conflict):
        services.checklist_step_record(
            order_id=order.id,
            norm_id="VIS-01",
            outcome="done",
            expected_version=order.version,
            by=user,
        )
    order = on_site(user, order)
    with pytest.raises(Conflict) as exc:
        services.checklist_step_record(
            order_id=order.id,
            norm_id="VIS-01",
            outcome="done",
            expected_version=order.version - 1,
            by=user,
        )
    assert "已被他人修改" in exc.value.message


def test_another_technicians_order_is_not_found(clock):
    owner, other = field_user("owner"), field_user("other")
    order = on_site(owner, field_visit(owner))
    with pytest.raises(NotFound):
        services.checklist_step_record(
            order_id=order.id,
            norm_id="VIS-01",
            outcome="done",
            expected_version=order.version,
            by=other,
        )


def test_calling_ahead_in_time_keeps_apt07_and_replaces_the_automatic_notice(clock):
    user = field_user()
    order = field_visit(user, arrival="10:30")
    services.field_call_ahead(
        order_id=order.id, late=False, outcome="answered", expected_version=order.version, by=user
    )
    assert Contact.objects.get(order=order).purpose == "arrival_notice"
    assert checks(order, "APT-07") == [True]
    assert Timer.objects.get(kind="apt07.arrival_notice", order_id=order.id).status == "cancelled"


def test_a_late_notice_in_time_keeps_dsp04_on_a_late_arrival(clock):
    user = field_user()
    order = field_visit(user, window="10:20", arrival="10:15")
    services.field_call_ahead(
        order_id=order.id, late=True, outcome="answered", expected_version=order.version, by=user
    )
    assert Contact.objects.get(order=order).purpose == "late_notice"
    clock.set(at_local(MON, "11:50"))
    on_site(user, order)
    assert checks(order, "DSP-04") == [True]


def test_completion_needs_the_mandatory_steps_and_a_forced_signature(clock):
    from guifan.apps.norms.models import NormParameter

    NormParameter.objects.create(
        norm_id="VIS-18", name="force_signature", value=True, updated_at=clock.now()
    )
    user = field_user()
    order = on_site(user, field_visit(user))
    with pytest.raises(ValidationFailed) as exc:
        services.field_visit_complete(order_id=order.id, expected_version=order.version, by=user)
    fields = {m["field"] for m in exc.value.extra["missing"]}
    assert fields == {"steps", "signature"}
    finish_mandatory(user, order)
    services.visit_signature_save(order_id=order.id, png=PNG, by=user)
    services.visit_rating_save(order_id=order.id, score=5, comment="很满意", by=user)
    services.visit_photo_add(order_id=order.id, data=PNG, content_type="image/png", by=user)
    done = services.field_visit_complete(order_id=order.id, expected_version=order.version, by=user)
    assert done.status == "completed"
    assert bytes(VisitSignature.objects.get(order=order).png) == PNG
    assert checks(order, "VIS-18") == [True]


def test_a_signature_is_never_forced_by_default_and_its_absence_opens_a_follow_up(clock):
    from guifan.apps.orders.models import OrderEvent

    user = field_user()
    order = on_site(user, field_visit(user))
    finish_mandatory(user, order)
    services.visit_rating_save(order_id=order.id, score=4, by=user)
    done = services.field_visit_complete(order_id=order.id, expected_version=order.version, by=user)
    assert done.status == "completed"
    assert checks(order, "VIS-18") == [True]
    follow = OrderEvent.objects.get(order=order, action="followup_needed")
    assert follow.detail["norm"] == "QA-02" and "未签名" in follow.reason


def test_a_photo_must_be_an_image(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    with pytest.raises(ValidationFailed) as exc:
        services.visit_photo_add(
            order_id=order.id, data=b"not a picture", content_type="image/png", by=user
        )
    assert exc.value.field == "photo"


def test_sync_applies_in_order_and_a_repeated_key_returns_the_first_result(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    step = {
        "key": "k1",
        "kind": "step",
        "order": order.id,
        "version": order.version,
        "norm": "VIS-02",
        "outcome": "done",
    }
    first = services.sync_apply(actions=[step], by=user)
    again = services.sync_apply(actions=[step], by=user)
    assert first[0]["status"] == again[0]["status"] == "ok"
    assert StepRecord.objects.filter(order=order, norm_id="VIS-02").count() == 1
    assert SyncAction.objects.filter(user=user, key="k1").count() == 1


def test_sync_reports_a_conflict_when_the_order_changed_meanwhile(clock):
    user = field_user()
    order = field_visit(user)
    seen = order.version
    work_order_transition(order_id=order.id, action="depart", by=None)
    results = services.sync_apply(
        actions=[
            {
                "key": "k2",
                "kind": "call_ahead",
                "order": order.id,
                "version": seen,
                "outcome": "answered",
            }
        ],
        by=user,
    )
    assert results[0]["status"] == "conflict"
    assert "已被他人修改" in results[0]["message"]
    assert not Contact.objects.filter(order=order).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_of_a_key_apply_once(clock):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    user = field_user()
    order = on_site(user, field_visit(user))
    record(user, order, "VIS-04")
    step = {
        "key": "race",
        "kind": "step",
        "order": order.id,
        "version": order.version,
        "norm": "VIS-02",
        "outcome": "done",
    }
    results: list[str] = []

    def hit() -> None:
        results.append(services.sync_apply(actions=[step], by=user)[0]["status"])
        connection.close()

    threads = [threading.Thread(target=hit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["ok"] * 6
    assert StepRecord.objects.filter(order=order, norm_id="VIS-02").count() == 1
    assert checks(order, "VIS-02") == [True]
