"""ORD-04: requisition at analysis, a part missing on site, the part collected."""

from __future__ import annotations

import pytest

from guifan.apps.accounts.models import Role
from guifan.apps.orders import services as order_services
from guifan.apps.orders.models import WorkOrder
from guifan.apps.stock.models import Movement, Requisition, StockLevel
from guifan.apps.stock.services import (
    Need,
    part_revisits,
    requisition_issue,
    requisition_raise,
    visit_part_missing,
)
from guifan.clock import at_local
from guifan.errors import Conflict, NotFound, RuleViolation
from tests import factories as f
from tests.apps.stock.stages import MON, Stage, verdicts
from tests.factories import kit_ready

pytestmark = pytest.mark.django_db


def test_a_requisition_at_analysis_reserves_the_parts_and_keeps_ord04(stage: Stage) -> None:
    order = stage.analysed()
    req = requisition_raise(order_id=order.id, needs=[Need("MB-PC", 1), Need("RAM-8G", 2)], by=None)
    assert (req.stage, req.status) == ("analysis", "open")
    assert StockLevel.objects.get(item__code="RAM-8G").reserved == 2
    assert verdicts("ORD-04") == [True]


def test_a_part_the_stock_does_not_have_is_refused_naming_it_and_nothing_is_written(
    stage: Stage,
) -> None:
    order = stage.analysed()
    before = Movement.objects.count()
    with pytest.raises(RuleViolation) as exc:
        requisition_raise(order_id=order.id, needs=[Need("RAM-8G", 1), Need("MB-PC", 3)], by=None)
    assert (exc.value.code, exc.value.rule, exc.value.field) == (
        "stock.short",
        "ORD-04",
        "items[1].code",
    )
    assert "电脑主板" in exc.value.message and "可用 2" in exc.value.message
    assert Movement.objects.count() == before
    assert not Requisition.objects.exists()
    assert StockLevel.objects.get(item__code="RAM-8G").reserved == 0


def test_an_item_not_in_the_catalog_is_refused(stage: Stage) -> None:
    order = stage.analysed()
    with pytest.raises(RuleViolation) as exc:
        requisition_raise(order_id=order.id, needs=[Need("FLUX-CAP", 1)], by=None)
    assert (exc.value.code, exc.value.field) == ("stock.unknown_item", "items[0].code")


def test_a_loaner_cannot_be_requisitioned_as_a_part(stage: Stage) -> None:
    order = stage.analysed()
    with pytest.raises(RuleViolation) as exc:
        requisition_raise(order_id=order.id, needs=[Need("LOANER-PC", 1)], by=None)
    assert exc.value.code == "requisition.loaner"


def test_a_requisition_after_booking_breaks_ord04(stage: Stage) -> None:
    order = stage.booked()
    req = requisition_raise(order_id=order.id, needs=[Need("HDD-1T", 1)], by=None)
    assert req.stage == "late"
    assert verdicts("ORD-04") == [False]


def test_a_part_missing_on_site_rebooks_counts_a_revisit_and_breaks_ord04(stage: Stage) -> None:
    order = stage.on_site()
    req = visit_part_missing(order_id=order.id, code="HDD-1T", qty=1, rebook=True, by=None)
    order.refresh_from_db()
    assert order.status == "awaiting_appointment"
    assert (req.stage, req.revisit) == ("on_site", True)
    assert part_revisits(order) == 1
    assert verdicts("ORD-04") == [False]
    reason = order.events.filter(action="await_appointment").latest("id").reason
    assert "缺少硬盘" in reason
    # The part arrives: collected, the requisition is fulfilled, the desk books the revisit.
    requisition_issue(requisition_id=req.id, by=None)
    req.refresh_from_db()
    assert req.status == "fulfilled"
    assert StockLevel.objects.get(item__code="HDD-1T").on_hand == 2
    order_services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(MON.replace(day=3), "10:00")
    )


def test_a_revisit_after_an_analysis_requisition_says_the_part_was_wrong(stage: Stage) -> None:
    order = stage.analysed()
    requisition_raise(order_id=order.id, needs=[Need("HDD-1T", 1)], by=None)
    order_services.appointment_book(order_id=order.id, by=None, window_start=at_local(MON, "14:00"))
    order_services.visit_assign(
        order_id=order.id,
        technician_id=stage.tech.id,
        planned_arrival=at_local(MON, "13:52"),
        by=None,
    )
    kit_ready(order.id)
    for action in ("depart", "arrive"):
        order_services.work_order_transition(order_id=order.id, action=action, by=None)
    visit_part_missing(order_id=order.id, code="HDD-1T", qty=1, rebook=True, by=None)
    assert verdicts("ORD-04") == [True, False]
    from guifan.apps.norms.models import NormCheck

    assert "不符" in NormCheck.objects.filter(norm_id="ORD-04", kept=False).get().reason


def test_a_part_fetched_while_the_customer_waits_keeps_ord04(stage: Stage) -> None:
    order = stage.on_site()
    visit_part_missing(order_id=order.id, code="PSU-12V", qty=1, rebook=False, by=None)
    order.refresh_from_db()
    assert order.status == "on_site" and part_revisits(order) == 0
    assert verdicts("ORD-04") == [True]


def test_a_part_missing_is_only_reported_on_site(stage: Stage) -> None:
    order = stage.booked()
    with pytest.raises(Conflict):
        visit_part_missing(order_id=order.id, code="PSU-12V", qty=1, rebook=True, by=None)


def test_a_collected_requisition_cannot_be_collected_again(stage: Stage) -> None:
    order = stage.analysed()
    req = requisition_raise(order_id=order.id, needs=[Need("PSU-12V", 1)], by=None)
    requisition_issue(requisition_id=req.id, by=None)
    with pytest.raises(Conflict):
        requisition_issue(requisition_id=req.id, by=None)


def test_another_areas_dispatcher_and_another_technician_find_nothing(stage: Stage) -> None:
    order = stage.on_site()
    req = requisition_raise(order_id=order.id, needs=[Need("PSU-12V", 1)], by=None)
    stranger = f.user(Role.DISPATCHER, areas=("A02",))
    with pytest.raises(NotFound):
        requisition_raise(order_id=order.id, needs=[Need("PSU-12V", 1)], by=stranger)
    with pytest.raises(NotFound):
        requisition_issue(requisition_id=req.id, by=stranger)
    other_tech = f.user(Role.TECHNICIAN)
    with pytest.raises(NotFound):
        requisition_issue(requisition_id=req.id, by=other_tech)
    # The order's own technician collects the parts of their order.
    own = f.user(Role.TECHNICIAN)
    stage.tech.user = own
    stage.tech.save(update_fields=["user"])
    assert requisition_issue(requisition_id=req.id, by=own).status == "fulfilled"
    assert WorkOrder.objects.get(id=order.id).status == "on_site"


def test_cancelling_an_order_frees_the_parts_it_reserved(stage: Stage) -> None:
    order = stage.analysed()
    req = requisition_raise(order_id=order.id, needs=[Need("RAM-8G", 2)], by=None)
    desk = f.user(Role.DISPATCHER, "desk")
    order_services.work_order_cancel(order_id=order.id, reason="客户不再需要", by=desk)
    req.refresh_from_db()
    assert req.status == "released" and req.closed_at is not None
    level = StockLevel.objects.get(item__code="RAM-8G")
    assert (level.reserved, level.available) == (0, level.on_hand)
    release = Movement.objects.get(requisition=req, kind="release")
    assert (release.qty, release.actor_label) == (2, "dispatcher:desk")
    event = order.events.get(action="requisition_released")
    assert (event.actor, event.detail) == (desk, {"requisition": req.id})


def test_a_customers_cancelled_appointment_frees_the_parts_too(stage: Stage) -> None:
    order = stage.analysed()
    req = requisition_raise(order_id=order.id, needs=[Need("MB-PC", 1)], by=None)
    order_services.appointment_book(order_id=order.id, by=None, window_start=at_local(MON, "14:00"))
    appt = order.appointments.get()
    order_services.appointment_cancel(appointment_id=appt.id, by=None)
    req.refresh_from_db()
    assert req.status == "released"
    assert StockLevel.objects.get(item__code="MB-PC").reserved == 0


def test_parts_already_collected_stay_collected_when_the_order_is_cancelled(
    stage: Stage,
) -> None:
    order = stage.booked()
    req = requisition_raise(order_id=order.id, needs=[Need("RAM-8G", 1)], by=None)
    requisition_issue(requisition_id=req.id, by=None)
    on_hand = StockLevel.objects.get(item__code="RAM-8G").on_hand
    order_services.work_order_cancel(order_id=order.id, reason="客户不再需要", by=None)
    req.refresh_from_db()
    assert req.status == "fulfilled"  # with the technician: returned by requisition_return
    assert StockLevel.objects.get(item__code="RAM-8G").on_hand == on_hand
    assert not Movement.objects.filter(requisition=req, kind="release").exists()
