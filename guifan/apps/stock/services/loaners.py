"""Bring-back repairs (ORD-07): the loaner unit, the receipt, the agreed return date.

The device leaves under ORD-06 (``POST /orders/{id}/bring-back``, unchanged); the receipt
follows on the same visit (``POST /visits/{id}/loaner``): an optional loaner unit from the
area's stock (one already lent out is refused), the agreed return date (not in the past)
as a durable timer at the end of that day, and a receipt the customer keeps (PDF).

ORD-07 verdicts (measured; one per bring-back, decided when the device comes back):

- kept: returned (``POST /orders/{id}/returned``) on or before the agreed date;
- broken: the agreed date passed without the return (the ``ord07.return_due`` timer), or
  the device came back without a receipt and agreed date ever having been recorded.

The loaner is offered "where one exists": a customer may decline it, so a receipt without
a loaner is not a breach; the receipt records whether one was lent.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import Status
from guifan.apps.orders.models import BringBackForm, WorkOrder
from guifan.apps.orders.services import work_order_transition
from guifan.apps.orders.services.records import event_record, order_lock, verdict_record
from guifan.apps.stock.models import BringBackReceipt, LoanerState, LoanerUnit, MovementKind
from guifan.apps.stock.services.ledger import levels_lock, movement_apply
from guifan.apps.timers.services import timer_cancel, timer_schedule
from guifan.clock import at_local, local
from guifan.clock import now as clock_now
from guifan.errors import Conflict, RuleViolation
from guifan.norms import Verdict
from guifan.norms.reasons import reason

RETURN_TIMER = "ord07.return_due"


def return_due_at(return_by: dt.date) -> dt.datetime:
    """The end of the agreed day, Asia/Shanghai: returned any time that day is on time."""
    return at_local(return_by + dt.timedelta(days=1), "00:00")


def return_timer_key(order_id: int) -> str:
    return f"ord07:{order_id}"


@transaction.atomic
def bring_back_receipt_issue(
    *,
    order_id: int,
    return_by: dt.date | None,
    loaner_serial: str | None,
    by: User | None,
    expected_version: int | None = None,
) -> BringBackReceipt:
    """Record the receipt of a device taken for repair, lend a loaner, arm the return date."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    if order.status != Status.BRING_BACK or not BringBackForm.objects.filter(order=order).exists():
        raise Conflict(
            "receipt.no_bring_back",
            "须先办理带回维修登记（客户同意并签字，ORD-06）",
            field="order_id",
        )
    if BringBackReceipt.objects.filter(order=order).exists():
        raise Conflict("receipt.exists", f"工单 {order.number} 已开具收条", field="order_id")
    if return_by is None:
        raise RuleViolation(
            "receipt.return_by_required", "须与客户约定送回日期", rule="ORD-07", field="return_by"
        )
    if return_by < local(now).date():
        raise RuleViolation(
            "receipt.return_by_past",
            f"约定送回日期 {return_by:%Y-%m-%d} 已过，须约定今天或以后的日期",
            rule="ORD-07",
            field="return_by",
        )
    unit = _loaner_lend(order, loaner_serial, at=now, by=by) if loaner_serial else None
    receipt = BringBackReceipt.objects.create(
        order=order,
        number=f"SJ-{order.number}",
        loaner=unit,
        return_by=return_by,
        issued_at=now,
        issued_by=by,
    )
    timer_schedule(
        kind=RETURN_TIMER,
        key=return_timer_key(order.id),
        due_at=return_due_at(return_by),
        norm_id="ORD-07",
        order_id=order.id,
        payload={"receipt": receipt.id},
    )
    event_record(
        order,
        action="bring_back_receipt",
        at=now,
        by=by,
        msg="event.bring_back_loaner" if unit else "event.bring_back_no_loaner",
        args={
            "receipt": receipt.number,
            "return_month": return_by.month,
            "return_day": return_by.day,
            **({"loaner": unit.serial} if unit else {}),
        },
        detail={"receipt": receipt.id, "loaner": unit.serial if unit else None},
    )
    return receipt


def _loaner_lend(order: WorkOrder, serial: str, *, at: dt.datetime, by: User | None) -> LoanerUnit:
    # The unit's row lock: two bring-backs cannot lend the same unit.
    unit = (
        LoanerUnit.objects.select_for_update(of=("self",))
        .select_related("item", "order")
        .filter(serial=serial.strip(), area=order.area)
        .first()
    )
    if unit is None:
        raise RuleViolation(
            "loaner.not_found",
            f"{order.area.name}没有序列号为 {serial} 的周转机",
            rule="ORD-07",
            field="loaner_serial",
        )
    if unit.state == LoanerState.LENT:
        holder = unit.order.number if unit.order else ""
        raise RuleViolation(
            "loaner.lent",
            f"周转机 {unit.serial} 已借出（工单 {holder}），请选择在库的周转机",
            rule="ORD-07",
            field="loaner_serial",
        )
    level = levels_lock(order.area, [unit.item])[unit.item_id]
    movement_apply(level, MovementKind.LEND, 1, at=at, by=by, order=order, loaner=unit)
    unit.state, unit.order = LoanerState.LENT, order
    unit.save(update_fields=["state", "order"])
    return unit


@transaction.atomic
def bring_back_return(*, order_id: int, by: User | None) -> WorkOrder:
    """The repaired device is back with the customer; the loaner comes back into stock."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD)
    if order.status != Status.BRING_BACK:
        raise Conflict(
            "receipt.not_taken",
            f"工单状态为{order.get_status_display()}，没有带回维修中的设备",
            field="order_id",
        )
    receipt = (
        BringBackReceipt.objects.select_for_update(of=("self",))
        .select_related("loaner__item")
        .filter(order=order)
        .first()
    )
    verdict: Verdict | None
    if receipt is None:
        ns = norms_snapshot()
        required = ns.param("ORD-07", "receipt_required") or ns.param(
            "ORD-07", "return_date_required"
        )
        verdict = Verdict.broke("ORD-07", reason("ord07.no_receipt")) if required else None
    else:
        receipt.returned_at = now
        receipt.save(update_fields=["returned_at"])
        if receipt.loaner is not None:
            _loaner_take_back(order, receipt.loaner, at=now, by=by)
        pending = timer_cancel(key=return_timer_key(order.id))
        on_time = local(now).date() <= receipt.return_by
        by_date = {"return_month": receipt.return_by.month, "return_day": receipt.return_by.day}
        if on_time:
            verdict = Verdict.keep("ORD-07", reason("ord07.returned_on_time", **by_date))
        elif pending:
            # The worker had not yet fired the deadline: judge it here, once.
            verdict = Verdict.broke("ORD-07", reason("ord07.returned_late", **by_date))
        else:
            verdict = None  # the deadline already recorded the breach
    if verdict is not None:
        verdict_record(order, verdict, at=now, by=by)
    return work_order_transition(
        order_id=order.id, action="complete", by=by, msg="event.repaired_returned"
    )


def _loaner_take_back(
    order: WorkOrder, unit: LoanerUnit, *, at: dt.datetime, by: User | None
) -> None:
    unit = LoanerUnit.objects.select_for_update(of=("self",)).select_related("item").get(id=unit.id)
    level = levels_lock(order.area, [unit.item])[unit.item_id]
    movement_apply(level, MovementKind.TAKE_BACK, 1, at=at, by=by, order=order, loaner=unit)
    unit.state, unit.order = LoanerState.AVAILABLE, None
    unit.save(update_fields=["state", "order"])
