"""The ledger: balances follow the movements, never go negative, and hold under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from guifan.apps.stock.models import AppendOnlyError, Movement, StockLevel
from guifan.apps.stock.services import (
    Need,
    requisition_issue,
    requisition_raise,
    requisition_release,
    requisition_return,
    stock_ledger_verify,
    stock_receive,
    stock_seed_for_area,
)
from guifan.errors import RuleViolation
from tests import factories as f
from tests.apps.stock.stages import Stage

pytestmark = pytest.mark.django_db


def level(code: str, area: str = "A01") -> StockLevel:
    return StockLevel.objects.get(item__code=code, area__code=area)


def test_each_movement_moves_on_hand_and_reserved_as_its_kind_says(stage: Stage) -> None:
    order = stage.analysed()
    start = level("MB-PC")
    assert (start.on_hand, start.reserved) == (2, 0)
    stock_receive(area_code="A01", code="MB-PC", qty=3, by=None)
    req = requisition_raise(order_id=order.id, needs=[Need("MB-PC", 2)], by=None)
    assert (level("MB-PC").on_hand, level("MB-PC").reserved) == (5, 2)
    requisition_issue(requisition_id=req.id, by=None)
    assert (level("MB-PC").on_hand, level("MB-PC").reserved) == (3, 0)
    requisition_return(requisition_id=req.id, code="MB-PC", qty=1, by=None)
    assert (level("MB-PC").on_hand, level("MB-PC").reserved) == (4, 0)
    other = requisition_raise(order_id=order.id, needs=[Need("RAM-8G", 1)], by=None)
    requisition_release(requisition_id=other.id, by=None)
    assert (level("RAM-8G").on_hand, level("RAM-8G").reserved) == (4, 0)
    kinds = list(
        Movement.objects.filter(item__code="MB-PC").order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["receive", "receive", "reserve", "issue", "return"]
    check = stock_ledger_verify()
    assert check.consistent, check.mismatches


def test_the_check_names_a_level_that_differs_from_its_movements(stage: Stage) -> None:
    StockLevel.objects.filter(item__code="PSU-12V").update(on_hand=99)
    check = stock_ledger_verify(area=stage.area)
    assert not check.consistent
    assert len(check.mismatches) == 1 and "99/0" in check.mismatches[0]


def test_a_movement_cannot_be_edited_or_deleted(stage: Stage) -> None:
    m = Movement.objects.first()
    assert m is not None
    m.qty = 100
    with pytest.raises(AppendOnlyError):
        m.save()
    with pytest.raises(AppendOnlyError):
        m.delete()


def test_the_database_refuses_negative_stock_and_reservations_beyond_on_hand(stage: Stage) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(item__code="MB-PC").update(on_hand=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(item__code="MB-PC").update(reserved=3)


def test_the_last_unit_goes_to_the_first_reservation_only(stage: Stage) -> None:
    first, second = stage.analysed(), stage.analysed()
    requisition_raise(order_id=first.id, needs=[Need("MB-PC", 2)], by=None)
    with pytest.raises(RuleViolation) as exc:
        requisition_raise(order_id=second.id, needs=[Need("MB-PC", 1)], by=None)
    assert (exc.value.rule, exc.value.field) == ("ORD-04", "items[0].code")
    assert (level("MB-PC").on_hand, level("MB-PC").reserved) == (2, 2)


def test_stock_is_kept_per_area(stage: Stage) -> None:
    stock_seed_for_area(f.area("A02"))
    order = stage.analysed()
    requisition_raise(order_id=order.id, needs=[Need("MB-PC", 2)], by=None)
    assert level("MB-PC", "A02").reserved == 0


@pytest.mark.django_db(transaction=True)
def test_two_desks_reserving_the_last_units_at_once_get_one_each_at_most(clock) -> None:  # type: ignore[no-untyped-def]
    """Two threads, two connections, one barrier: the row lock lets exactly one through."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    stage = Stage(
        clock=clock, area=f.area("A01"), tech=f.technician(work_types=("appliance_repair",))
    )
    stock_seed_for_area(stage.area)
    orders = [stage.analysed().id for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def desk(order_id: int) -> None:
        start.wait()
        try:
            requisition_raise(order_id=order_id, needs=[Need("MB-PC", 2)], by=None)
            outcomes.append("reserved")
        except RuleViolation as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(o,)) for o in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["reserved", "stock.short"]
    assert (level("MB-PC").on_hand, level("MB-PC").reserved) == (2, 2)
    assert stock_ledger_verify().consistent


def test_goods_received_into_an_area_without_the_item_open_its_level(stage: Stage) -> None:
    f.area("A02")
    stock_receive(area_code="A02", code="MB-PC", qty=4, by=None)
    assert (level("MB-PC", "A02").on_hand, level("MB-PC", "A02").reserved) == (4, 0)
    assert stock_ledger_verify().consistent


def test_a_technician_may_not_receive_goods_and_another_dispatcher_finds_no_area(
    stage: Stage,
) -> None:
    from guifan.apps.accounts.models import Role
    from guifan.errors import NotFound

    with pytest.raises(NotFound):
        stock_receive(area_code="A01", code="MB-PC", qty=1, by=f.user(Role.TECHNICIAN))
    with pytest.raises(NotFound):
        stock_receive(
            area_code="A01", code="MB-PC", qty=1, by=f.user(Role.DISPATCHER, areas=("A02",))
        )
    assert stock_receive(area_code="A01", code="MB-PC", qty=1, by=f.user(Role.DISPATCHER)).qty == 1
