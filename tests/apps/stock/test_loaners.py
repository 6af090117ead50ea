"""ORD-07: the loaner, the receipt and the agreed return date as a durable timer."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.orders.models import WorkOrder
from guifan.apps.stock.models import LoanerUnit, StockLevel
from guifan.apps.stock.receipt import receipt_id_from_token, receipt_pdf, receipt_token
from guifan.apps.stock.services import (
    bring_back_receipt_issue,
    bring_back_return,
    stock_ledger_verify,
)
from guifan.apps.timers.models import Timer
from guifan.apps.timers.services import timers_fire_due
from guifan.clock import at_local
from guifan.errors import Conflict, RuleViolation
from tests.apps.stock.stages import MON, Stage, verdicts

pytestmark = pytest.mark.django_db
TUE = MON + dt.timedelta(days=1)


def loaners_on_hand() -> int:
    return StockLevel.objects.get(item__code="LOANER-PC").on_hand


def test_the_receipt_lends_the_loaner_and_arms_the_return_date(stage: Stage) -> None:
    order = stage.taken()
    receipt = bring_back_receipt_issue(
        order_id=order.id, return_by=TUE, loaner_serial="LN-A01-01", by=None
    )
    assert receipt.number == f"SJ-{order.number}"
    unit = LoanerUnit.objects.get(serial="LN-A01-01")
    assert (unit.state, unit.order_id) == ("lent", order.id)
    assert loaners_on_hand() == 2
    timer = Timer.objects.get(key=f"ord07:{order.id}")
    assert (timer.kind, timer.due_at) == (
        "ord07.return_due",
        at_local(TUE + dt.timedelta(days=1), "00:00"),
    )
    assert verdicts("ORD-07") == []


def test_a_loaner_already_lent_out_is_refused(stage: Stage) -> None:
    first, second = stage.taken(), stage.taken()
    bring_back_receipt_issue(order_id=first.id, return_by=TUE, loaner_serial="LN-A01-01", by=None)
    with pytest.raises(RuleViolation) as exc:
        bring_back_receipt_issue(
            order_id=second.id, return_by=TUE, loaner_serial="LN-A01-01", by=None
        )
    assert (exc.value.code, exc.value.rule, exc.value.field) == (
        "loaner.lent",
        "ORD-07",
        "loaner_serial",
    )
    assert first.number in exc.value.message
    assert loaners_on_hand() == 2


def test_a_return_date_in_the_past_is_refused(stage: Stage) -> None:
    order = stage.taken()
    with pytest.raises(RuleViolation) as exc:
        bring_back_receipt_issue(
            order_id=order.id, return_by=MON - dt.timedelta(days=1), loaner_serial=None, by=None
        )
    assert (exc.value.code, exc.value.rule, exc.value.field) == (
        "receipt.return_by_past",
        "ORD-07",
        "return_by",
    )
    assert not Timer.objects.filter(key=f"ord07:{order.id}").exists()


def test_a_receipt_without_an_agreed_date_is_refused(stage: Stage) -> None:
    order = stage.taken()
    with pytest.raises(RuleViolation) as exc:
        bring_back_receipt_issue(order_id=order.id, return_by=None, loaner_serial=None, by=None)
    assert (exc.value.rule, exc.value.field) == ("ORD-07", "return_by")


def test_a_loaner_of_another_area_is_refused(stage: Stage) -> None:
    order = stage.taken()
    with pytest.raises(RuleViolation) as exc:
        bring_back_receipt_issue(
            order_id=order.id, return_by=TUE, loaner_serial="LN-A02-01", by=None
        )
    assert exc.value.field == "loaner_serial"


def test_a_receipt_needs_the_signed_bring_back_first(stage: Stage) -> None:
    order = stage.on_site()
    with pytest.raises(Conflict):
        bring_back_receipt_issue(order_id=order.id, return_by=TUE, loaner_serial=None, by=None)


def test_returned_by_the_agreed_date_keeps_ord07_and_the_loaner_comes_back(stage: Stage) -> None:
    order = stage.taken()
    bring_back_receipt_issue(order_id=order.id, return_by=TUE, loaner_serial="LN-A01-02", by=None)
    stage.clock.set(at_local(TUE, "18:00"))
    bring_back_return(order_id=order.id, by=None)
    assert verdicts("ORD-07") == [True]
    assert WorkOrder.objects.get(id=order.id).status == "completed"
    assert LoanerUnit.objects.get(serial="LN-A01-02").state == "available"
    assert loaners_on_hand() == 3
    assert Timer.objects.get(key=f"ord07:{order.id}").status == "cancelled"
    assert stock_ledger_verify().consistent


def test_the_date_passing_without_the_return_breaks_ord07_once(stage: Stage) -> None:
    order = stage.taken()
    bring_back_receipt_issue(order_id=order.id, return_by=TUE, loaner_serial="LN-A01-01", by=None)
    stage.clock.set(at_local(TUE + dt.timedelta(days=1), "00:00"))
    timers_fire_due(now=stage.clock.now(), worker_id="t")
    assert verdicts("ORD-07") == [False]
    stage.clock.set(at_local(TUE + dt.timedelta(days=1), "10:00"))
    bring_back_return(order_id=order.id, by=None)
    assert verdicts("ORD-07") == [False]  # the late return adds no second verdict
    assert LoanerUnit.objects.get(serial="LN-A01-01").state == "available"


def test_a_device_returned_without_a_receipt_breaks_ord07(stage: Stage) -> None:
    order = stage.taken()
    bring_back_return(order_id=order.id, by=None)
    assert verdicts("ORD-07") == [False]


def test_the_receipt_is_a_pdf_with_a_signed_link(stage: Stage) -> None:
    order = stage.taken()
    receipt = bring_back_receipt_issue(
        order_id=order.id, return_by=TUE, loaner_serial="LN-A01-01", by=None
    )
    pdf = receipt_pdf(receipt)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    token = receipt_token(receipt.id)
    assert receipt_id_from_token(token) == receipt.id
    assert receipt_id_from_token(token[:-2] + "xx") is None
